import type { ActionParameter, ParameterType } from '@aihio/actions-core';
import { forwardRef, type InputHTMLAttributes, type SelectHTMLAttributes } from 'react';
import { z } from 'zod';
import type { Translator } from '../i18n/translate';

/**
 * The input for one parameter value, following its type: a text box with the right keyboard for
 * numbers, a date picker for dates, a select for yes/no and for choices. Values stay text (as the
 * person typed them): the server's `checkValue` is the authority and accepts `"3"` for an integer,
 * so the kit never converts, only pre-checks.
 */
export type TypedValueInputProps = {
  parameter: Pick<ActionParameter, 'type' | 'choices' | 'required'>;
} & InputHTMLAttributes<HTMLInputElement> &
  SelectHTMLAttributes<HTMLSelectElement> & { t: Translator };

export const TypedValueInput = forwardRef<HTMLInputElement & HTMLSelectElement, TypedValueInputProps>(
  function TypedValueInput({ parameter, t, type: _ignored, ...props }, ref) {
    const { type, choices } = parameter;
    if (type === 'boolean' || type === 'enum') {
      const options = type === 'boolean' ? ['true', 'false'] : (choices ?? []);
      return (
        <select ref={ref} className="aihio-select" data-value-type={type} {...props}>
          {/* An empty first option: nothing is chosen until the person chooses (and an optional
              value can be left out). */}
          <option value="">{t.t('test.value.choose')}</option>
          {options.map((option) => (
            <option key={option} value={option}>
              {type === 'boolean' ? t.t(option === 'true' ? 'test.value.true' : 'test.value.false') : option}
            </option>
          ))}
        </select>
      );
    }
    return (
      <input
        ref={ref}
        className="aihio-input"
        data-value-type={type}
        type={INPUT_TYPES[type]}
        inputMode={type === 'integer' ? 'numeric' : type === 'number' ? 'decimal' : undefined}
        {...props}
      />
    );
  },
);

const INPUT_TYPES: Record<Exclude<ParameterType, 'boolean' | 'enum'>, string> = {
  text: 'text',
  email: 'email',
  phone: 'tel',
  // Text with a numeric keyboard rather than type="number", which hides what was typed when it is
  // not a number (the value reads as '') and changes on a scroll of the wheel.
  number: 'text',
  integer: 'text',
  date: 'date',
};

// Deliberately loose where the server normalises (phones to E.164); exact where it does not.
const PHONE = /^\+?[0-9][0-9 ()./-]{4,24}$/;
const DECIMAL = /^\s*-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?\s*$/;
const INTEGER = /^\s*[+-]?\d+\s*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The pre-check of one typed value in the test form (the server checks again, exactly). */
export function typedValueSchema(
  parameter: Pick<ActionParameter, 'type' | 'choices'>,
  t: Translator,
): z.ZodType<string, string> {
  switch (parameter.type) {
    case 'email':
      return z.email({ message: t.t('test.value.email') });
    case 'phone':
      return z.string().regex(PHONE, { message: t.t('test.value.phone') });
    case 'number':
      return z.string().regex(DECIMAL, { message: t.t('issue.value_number') });
    case 'integer':
      return z.string().regex(INTEGER, { message: t.t('issue.value_integer') });
    case 'boolean':
      return z.enum(['true', 'false'], { message: t.t('issue.value_boolean') });
    case 'enum':
      return z
        .string()
        .refine((v) => (parameter.choices ?? []).includes(v), { message: t.t('issue.value_enum') });
    case 'date':
      return z.string().regex(DATE, { message: t.t('issue.value_date') });
    case 'text':
      return z.string();
  }
}
