import { ERROR_CODES, isErrorCode, type RunRecord } from '@aihio/actions-core';
import { intlLocale, type Translator } from '../i18n/translate';

/**
 * How a run of the history reads: its outcome class, relative time and duration, in the owner's
 * language. Pure functions of the record (which holds no values, bodies or secrets) and a clock.
 */

/** `ok` with the upstream's status class, or `failed` when no answer came back (an error code). */
export type RunOutcomeKind = 'success' | 'redirect' | 'client-error' | 'server-error' | 'failed';

export function runOutcomeKind(run: Pick<RunRecord, 'outcome' | 'httpStatus'>): RunOutcomeKind {
  if (run.outcome !== 'ok') return 'failed';
  const status = run.httpStatus;
  if (status === null || (status >= 200 && status < 300)) return 'success';
  if (status >= 500) return 'server-error';
  if (status >= 400) return 'client-error';
  return 'redirect';
}

/** The owner-facing explanation of an error outcome: the kit's catalog, else core's table, else the code. */
export function runErrorText(code: string, t: Translator): string {
  return t.error(code, isErrorCode(code) ? ERROR_CODES[code].message : code);
}

/** Newest first; runs with the same time keep the order they came in (the server's). */
export function newestFirst<R extends Pick<RunRecord, 'at'>>(runs: readonly R[]): R[] {
  const time = (run: R) => {
    const ms = Date.parse(run.at);
    return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
  };
  return runs
    .map((run, index) => ({ run, index, ms: time(run) }))
    .sort((a, b) => b.ms - a.ms || a.index - b.index)
    .map((entry) => entry.run);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/** "5 minutes ago", "yesterday", "2 viikkoa sitten": the largest unit that keeps the number above one. */
export function relativeTime(iso: string, now: number, t: Translator): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const format = new Intl.RelativeTimeFormat(intlLocale(t.locale), { numeric: 'auto' });
  // A clock a little ahead of the browser's (the server's) must not read "in 3 seconds".
  let amount = Math.min(0, at - now) / 1000;
  if (amount > -45) return format.format(0, 'second');
  for (const [unit, next] of UNITS) {
    if (Math.abs(amount) < next) return format.format(Math.round(amount), unit);
    amount /= next;
  }
  return format.format(Math.round(amount), 'year');
}

export function durationText(ms: number, t: Translator): string {
  if (ms < 1) return t.t('runs.durationInstant');
  if (ms < 1000) return t.t('runs.durationMs', { ms: Math.round(ms) });
  const seconds = new Intl.NumberFormat(intlLocale(t.locale), { maximumFractionDigits: 1 }).format(ms / 1000);
  return t.t('runs.durationS', { s: seconds });
}
