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

/** What `checkValue` needs of a parameter: its type and, for `enum`, its choices. */
export interface ValueSpec {
  type: ParameterType;
  choices?: readonly string[] | undefined;
}

/** Integers beyond ±2^53 lose digits in a JSON number, so an agent's value would silently change. */
const INTEGER_BOUND = 2 ** 53;
/** JSON's number grammar, which is also what people type: no `0x`, `Infinity`, `1_000` or `.5`. */
const DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** Longer numeric text than this is not a number a person or an agent means (and 0.000…1 would round to 0). */
const NUMBER_TEXT = 64;
const INTEGER = /^[+-]?\d+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function typeError(code: IssueCode, message: string): ValueCheck {
  return { ok: false, code, message };
}

function checkNumber(raw: unknown): ValueCheck {
  const message = 'Enter a number, like 42 or 3.5.';
  let n: number;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'string' && raw.length <= NUMBER_TEXT && DECIMAL.test(raw.trim())) {
    n = Number(raw.trim());
  } else return typeError('value_number', message);
  if (!Number.isFinite(n)) return typeError('value_number', 'Enter a finite number.');
  return { ok: true, value: numberToDecimal(n) };
}

function checkInteger(raw: unknown): ValueCheck {
  const message = 'Enter a whole number, like 3.';
  let n: number;
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw)) return typeError('value_integer', message);
    n = raw;
  } else if (typeof raw === 'string' && raw.length <= NUMBER_TEXT && INTEGER.test(raw.trim())) {
    // BigInt keeps every digit, so 9007199254740993 is refused rather than rounded to 2^53.
    const big = BigInt(raw.trim());
    if (big > BigInt(INTEGER_BOUND) || big < -BigInt(INTEGER_BOUND)) {
      return typeError('value_integer', `Enter a whole number between −2^53 and 2^53.`);
    }
    n = Number(big);
  } else {
    return typeError('value_integer', message);
  }
  if (Math.abs(n) > INTEGER_BOUND) {
    return typeError('value_integer', `Enter a whole number between −2^53 and 2^53.`);
  }
  return { ok: true, value: numberToDecimal(n) };
}

function checkBoolean(raw: unknown): ValueCheck {
  if (raw === true || raw === false) return { ok: true, value: String(raw) };
  if (typeof raw === 'string' && (raw.trim() === 'true' || raw.trim() === 'false')) {
    return { ok: true, value: raw.trim() };
  }
  return typeError('value_boolean', 'Enter true or false.');
}

function checkDate(value: string): ValueCheck {
  const text = value.trim();
  const match = DATE.exec(text);
  const message = 'Enter a calendar date as YYYY-MM-DD, like 2026-01-31.';
  if (!match) return typeError('value_date', message);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date.UTC rolls 2026-02-30 over to March 2: a real date reads back as itself.
  const date = new Date(Date.UTC(year, month - 1, day));
  date.setUTCFullYear(year);
  if (
    year < 1 ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return typeError('value_date', `${text} is not a real calendar date: ${message}`);
  }
  return { ok: true, value: text };
}

/**
 * Check a raw value against its parameter and give its canonical text: emails trimmed, phones in
 * E.164, numbers as decimal text, integers without a fraction, booleans as `true`/`false`, dates as
 * `YYYY-MM-DD`. The canonical text is what goes into the URL and headers, and a number, integer or
 * boolean standing bare in a JSON body is exactly that text as a JSON literal.
 */
export function checkValue(spec: ParameterType | ValueSpec, raw: unknown): ValueCheck {
  const { type, choices } = typeof spec === 'string' ? { type: spec, choices: undefined } : spec;
  switch (type) {
    case 'number':
      return checkNumber(raw);
    case 'integer':
      return checkInteger(raw);
    case 'boolean':
      return checkBoolean(raw);
  }
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
    case 'enum': {
      // Exact membership: the endpoint expects one of these strings, not something close to one.
      if (choices?.includes(basic.value)) return basic;
      const list = (choices ?? [])
        .slice(0, 10)
        .map((c) => `“${c}”`)
        .join(', ');
      return typeError('value_enum', `Choose one of ${list}${(choices?.length ?? 0) > 10 ? ', …' : ''}.`);
    }
    case 'date':
      return checkDate(basic.value);
  }
}
