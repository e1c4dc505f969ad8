import { StoreError } from './types';

/**
 * Classifies driver errors of better-sqlite3 and pg. Only the ones callers act on become a
 * StoreError; anything else is a bug and propagates as it is (the API answers 500).
 */

function codeOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

function constraintOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'constraint' in error) {
    const constraint = (error as { constraint: unknown }).constraint;
    if (typeof constraint === 'string') return constraint;
  }
  return error instanceof Error ? error.message : '';
}

export function isUniqueViolation(error: unknown, constraintOrColumns?: string): boolean {
  const code = codeOf(error);
  const unique =
    code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  if (!unique || constraintOrColumns === undefined) return unique;
  // pg names the constraint; SQLite names the columns ("UNIQUE constraint failed: actions.chatbot_id, …").
  return constraintOf(error).includes(constraintOrColumns);
}

export function isForeignKeyViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

const UNAVAILABLE_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Query read timeout',
  'not queryable',
  'Cannot use a pool after calling end',
  'The database connection is not open',
  'driver has already been destroyed',
];

/** The database cannot answer now (down, unreachable, overloaded, timed out, locked, closed). */
export function isUnavailable(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined) {
    if (UNAVAILABLE_NODE_CODES.has(code)) return true;
    // pg: class 08 connection exception, 53 insufficient resources, 57 operator intervention
    // (57014 is a statement timeout), 58 system error.
    if (/^(08|53|57|58)[0-9A-Z]{3}$/.test(code)) return true;
    if (/^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|NOMEM)/.test(code)) return true;
  }
  const message = error instanceof Error ? error.message : '';
  return UNAVAILABLE_MESSAGES.some((m) => message.includes(m));
}

/** Rethrows `error` as StoreError `unavailable` when it is one, else unchanged. */
export function translateError(error: unknown): unknown {
  if (error instanceof StoreError) return error;
  if (isUnavailable(error)) {
    // The driver's message may name hosts or SQL; callers get a stable code and a fixed message.
    const wrapped = new StoreError('unavailable', 'The database is unavailable.');
    (wrapped as { cause?: unknown }).cause = error;
    return wrapped;
  }
  return error;
}
