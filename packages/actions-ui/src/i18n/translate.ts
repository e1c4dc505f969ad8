import type { Issue } from '@aihio/actions-core';
import { en, type MessageKey, type Messages } from './en';
import { fi } from './fi';

export type Locale = 'en' | 'fi';

export const catalogs: Record<Locale, Messages> = { en, fi };

/** The BCP 47 tag the kit formats dates and numbers with, per catalog locale. */
export function intlLocale(locale: Locale): string {
  return locale === 'fi' ? 'fi-FI' : 'en-GB';
}

export type MessageValues = Record<string, string | number>;

export interface Translator {
  locale: Locale;
  /** The message for `key`, with `{name}` replaced from `values`. */
  t(key: MessageKey, values?: MessageValues): string;
  /** A validation issue in the owner's language. */
  issue(issue: Pick<Issue, 'code' | 'message'>): string;
  /** The plain-language explanation of an error code, falling back to the server's message. */
  error(code: string, message?: string): string;
  formatDateTime(iso: string): string;
}

function interpolate(template: string, values: MessageValues | undefined): string {
  if (!values) return template;
  // Only `{word}` is a slot, so `{{order_number}}` in help texts stays as written.
  return template.replace(/(?<!\{)\{([a-zA-Z0-9_]+)\}(?!\})/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

export function createTranslator(locale: Locale = 'en', overrides: Partial<Messages> = {}): Translator {
  const catalog = catalogs[locale] ?? en;
  const lookup = (key: string): string | undefined =>
    (overrides as Record<string, string | undefined>)[key] ??
    (catalog as Record<string, string | undefined>)[key];
  const dateFormat = new Intl.DateTimeFormat(intlLocale(locale), {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  return {
    locale,
    t: (key, values) => interpolate(lookup(key) ?? en[key], values),
    issue: ({ code, message }) => {
      const key = `issue.${code}`;
      const overridden = (overrides as Record<string, string | undefined>)[key];
      if (overridden) return overridden;
      // Core writes English messages naming the exact value; prefer them in English.
      if (locale === 'en' && message) return message;
      return lookup(key) ?? message;
    },
    error: (code, message) => {
      const text = lookup(`error.${code}`);
      if (text) return text;
      return interpolate(lookup('error.unknown') ?? en['error.unknown'], { message: message ?? code });
    },
    formatDateTime: (iso) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
    },
  };
}
