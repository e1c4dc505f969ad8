import type { ReactNode } from 'react';

/** The ids an input's `aria-describedby` lists: its help text, then its errors. */
export function describedBy(id: string, hasHelp: boolean, hasErrors: boolean): string | undefined {
  const ids = [hasHelp ? `${id}-help` : null, hasErrors ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

/** Help and error text under a field, with the ids `describedBy` points at. */
export function FieldMessages({
  id,
  help,
  errors,
}: {
  id: string;
  help?: ReactNode;
  errors?: readonly string[];
}) {
  return (
    <>
      {help ? (
        <p className="aihio-help" id={`${id}-help`} data-slot="help">
          {help}
        </p>
      ) : null}
      {errors && errors.length > 0 ? (
        <div className="aihio-error" id={`${id}-error`} data-slot="error">
          {errors.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      ) : null}
    </>
  );
}

export interface FieldProps {
  id: string;
  label: ReactNode;
  help?: ReactNode;
  errors?: readonly string[];
  /** Renders the control; spread the given props onto it. */
  children: (control: {
    id: string;
    'aria-describedby': string | undefined;
    'aria-invalid': boolean | undefined;
  }) => ReactNode;
  className?: string;
}

/** A labelled control with help and errors wired through aria-describedby (shadcn's FormItem). */
export function Field({ id, label, help, errors, children, className }: FieldProps) {
  const invalid = errors !== undefined && errors.length > 0;
  return (
    <div
      className={className ? `aihio-field ${className}` : 'aihio-field'}
      data-slot="field"
      data-invalid={invalid || undefined}
    >
      <label className="aihio-label" htmlFor={id} data-slot="label">
        {label}
      </label>
      {children({
        id,
        'aria-describedby': describedBy(id, Boolean(help), invalid),
        'aria-invalid': invalid || undefined,
      })}
      <FieldMessages id={id} help={help} errors={errors} />
    </div>
  );
}
