import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { StoreError } from './types';

/**
 * Cursors and time slices for the lists.
 *
 * A cursor is the position after the last item of a page: the list's kind and the item's sort
 * keys (a creation time and a unique tie-breaker, never an internal sequence), base64url JSON.
 * Opaque to clients by contract; a cursor that does not decode to this list's shape is
 * `invalid_cursor`, never a silently different page. It only ever narrows a query that is already
 * filtered by the caller's workspace, so a forged one reaches nothing new.
 */

export type CursorKind = 'chatbots' | 'actions' | 'runs' | 'service_keys';

export function encodeCursor(kind: CursorKind, keys: [string, string]): string {
  return Buffer.from(JSON.stringify([kind, ...keys]), 'utf8').toString('base64url');
}

const MAX_CURSOR_LENGTH = 1024;

export function decodeCursor(kind: CursorKind, cursor: string): [string, string] {
  const invalid = () => new StoreError('invalid_cursor', 'The cursor is not one this list handed out.');
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw invalid();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== kind ||
    typeof parsed[1] !== 'string' ||
    typeof parsed[2] !== 'string'
  ) {
    throw invalid();
  }
  return [parsed[1], parsed[2]];
}

/** Page sizes the store accepts: the API checks 1 … 100 first; this only keeps the SQL sane. */
export function pageLimit(limit: number): number {
  return Math.min(1000, Math.max(1, Math.floor(limit)));
}

/**
 * A time slicer for loops over large rows: `await slice()` yields to the event loop (a macrotask,
 * so timers and I/O run) once `budgetMs` of synchronous work has passed since the last yield.
 * Between yields it costs a clock read. better-sqlite3 is synchronous, so on SQLite a loop of
 * queries otherwise never lets the event loop turn.
 */
export function timeSlicer(budgetMs = 4): () => Promise<void> | undefined {
  let since = performance.now();
  return () => {
    if (performance.now() - since < budgetMs) return undefined;
    return yieldToEventLoop().then(() => {
      since = performance.now();
    });
  };
}
