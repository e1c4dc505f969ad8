import { useTranslator } from '../../provider';
import { useActionEditor } from './context';

/** Links to the editor's sections (those rendered, in their order); a section with problems is marked. */
export function EditorNav({ className }: { className?: string }) {
  const { sections, idPrefix } = useActionEditor('ActionEditor.Nav');
  const t = useTranslator();
  if (sections.length < 2) return null;
  return (
    <nav
      className={className ? `aihio-editor-nav ${className}` : 'aihio-editor-nav'}
      aria-label={t.t('editor.nav')}
      data-slot="editor-nav"
      id={`${idPrefix}-nav`}
    >
      <ul>
        {sections.map((section) => (
          <li key={section.key}>
            <a
              href={`#${section.headingId}`}
              data-invalid={section.invalid || undefined}
              onClick={(event) => {
                const heading = document.getElementById(section.headingId);
                if (!heading) return;
                // Move focus with the view, so keyboard and screen-reader users land in the section too.
                event.preventDefault();
                heading.scrollIntoView({ block: 'start' });
                heading.focus({ preventScroll: true });
              }}
            >
              {section.title}
              {section.invalid ? (
                <span className="aihio-visually-hidden"> ({t.t('editor.nav.invalid')})</span>
              ) : null}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
