import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { z } from 'zod';
import { LIMITS, type ParameterType } from './action';
import type { IssueCode } from './errors';

/**
 * Checking one value an agent, a tester or a verified identity supplies, by its type. Placement
 * rules (a path segment, a header) come later, in `render`; these are the rules of the value itself.
 *
 * Phone numbers use libphonenumber-js's `min` metadata: it checks the length and the leading digits
 * of every country, which is what normalising to E.164 needs, at about half the size of `max`
 * (the browser kit bundles this module). `max` would add per-type digit patterns, which the
 * endpoint, not us, is in a position to enforce.
 */

export type ValueCheck = { ok: true; value: string } | { ok: false; code: IssueCode; message: string };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/**
 * C0 and C1 controls and DEL, except tab, line feed and carriage return: free text such as a ticket
 * description legitimately has line breaks (header placement refuses them separately).
 */
const CONTROL = /(?![\t\n\r])\p{Cc}/u;
const emailSchema = z.email();

/** Decimal text of a finite number, without the exponent form `String(1e21)` would give. */
export function numberToDecimal(n: number): string {
  if (Object.is(n, -0)) return '0';
  const text = String(n);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, fraction = '', exp] = match;
  const digits = `${lead}${fraction}`;
  const point = 1 + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** A raw value as text: strings as they are, finite numbers as decimal text, anything else refused. */
export function valueAsText(raw: unknown): ValueCheck {
  if (typeof raw === 'string') return { ok: true, value: raw };
  if (typeof raw === 'number' && Number.isFinite(raw)) return { ok: true, value: numberToDecimal(raw) };
  const what =
    raw === null
      ? 'empty (null)'
      : Array.isArray(raw)
        ? 'a list'
        : typeof raw === 'number'
          ? 'not a finite number'
          : typeof raw === 'boolean'
            ? 'true/false'
            : typeof raw === 'object'
              ? 'an object'
              : `of type ${typeof raw}`;
  return { ok: false, code: 'value_type', message: `Enter text or a number: this value is ${what}.` };
}

/** The checks every value passes whatever its type: well-formed text, no NUL or controls, a length cap. */
function checkText(value: string): ValueCheck {
  if (value.length > LIMITS.value) {
    return {
      ok: false,
      code: 'value_too_long',
      message: `This value is too long: at most ${LIMITS.value} characters.`,
    };
  }
  if (LONE_SURROGATE.test(value)) {
    return {
      ok: false,
      code: 'value_characters',
      message: 'This value contains a broken character (an unpaired surrogate).',
    };
  }
  if (CONTROL.test(value)) {
    return {
      ok: false,
      code: 'value_characters',
      message: 'This value contains control characters (such as NUL); remove them.',
    };
  }
  return { ok: true, value };
}

/** Check a raw value against its parameter type; emails are trimmed, phones normalised to E.164. */
export function checkValue(type: ParameterType, raw: unknown): ValueCheck {
  const text = valueAsText(raw);
  if (!text.ok) return text;
  const basic = checkText(text.value);
  if (!basic.ok) return basic;
  switch (type) {
    case 'text':
      return basic;
    case 'email': {
      const email = basic.value.trim();
      if (!emailSchema.safeParse(email).success) {
        return { ok: false, code: 'value_email', message: 'Enter an email address, like name@example.com.' };
      }
      return { ok: true, value: email };
    }
    case 'phone': {
      const phone = parsePhoneNumberFromString(basic.value.trim());
      if (!phone?.isValid()) {
        return {
          ok: false,
          code: 'value_phone',
          message: 'Enter a phone number in international format, starting with + and the country code.',
        };
      }
      return { ok: true, value: phone.number };
    }
  }
}
