import { type ComponentPropsWithoutRef, type ReactNode, useLayoutEffect } from 'react';
import { useActionEditor } from './context';

export interface EditorSectionProps extends Omit<ComponentPropsWithoutRef<'section'>, 'title'> {
  /** A stable key, unique in the editor (`basics`, `parameters`, …; yours for your own parts). */
  sectionKey: string;
  title: string;
  /** The first segments of the paths this section edits, to mark it invalid in the navigation. */
  paths?: readonly string[];
  /** The part's name, for the error thrown outside the root. */
  part?: string;
  children?: ReactNode;
}

/**
 * One section of the editor: a labelled `<section>` whose heading the section navigation links to
 * (and focuses). Use it in a part of your own so the navigation lists it.
 */
export function EditorSection({
  sectionKey,
  title,
  paths = [],
  part = 'ActionEditor.Section',
  children,
  className,
  ...rest
}: EditorSectionProps) {
  const { idPrefix, registerSection, shownIssues } = useActionEditor(part);
  const headingId = `${idPrefix}-section-${sectionKey}`;
  const invalid = paths.length > 0 && shownIssues.some((i) => paths.includes(String(i.path[0])));
  useLayoutEffect(
    () => registerSection({ key: sectionKey, title, headingId, invalid }),
    [registerSection, sectionKey, title, headingId, invalid],
  );
  return (
    <section
      {...rest}
      className={className ? `aihio-section ${className}` : 'aihio-section'}
      aria-labelledby={headingId}
      data-slot="editor-section"
      data-section={sectionKey}
      data-invalid={invalid || undefined}
    >
      <h3 className="aihio-section-title" id={headingId} tabIndex={-1}>
        {title}
      </h3>
      {children}
    </section>
  );
}
