import { ERROR_CODES, type ErrorCode, type Issue, type RunError } from '@aihio/actions-core';

// Shared by the executor and the OAuth token step, apart from execute.ts so that the token step
// (which execute.ts calls) need not import execute.ts back.

/** A run's error (core's RunError) with its code typed as a key of the core table. */
export interface ExecuteError extends RunError {
  code: ErrorCode;
}

/** A credential goes into a header: it must be a valid header value (visible ASCII, space, tab). */
export function isHeaderSafe(value: string): boolean {
  return /^[\x21-\x7e](?:[\x20-\x7e\t]*[\x21-\x7e])?$/.test(value);
}

export function runError(code: ErrorCode, issues?: Issue[], message?: string): ExecuteError {
  return { code, message: message ?? ERROR_CODES[code].message, ...(issues ? { issues } : {}) };
}
