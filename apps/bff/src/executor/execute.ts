import {
  type ActionDefinition,
  compileAction,
  ERROR_CODES,
  type ErrorCode,
  type Issue,
  isErrorCode,
  type RenderIdentity,
  type RunError,
  renderCompiled,
} from '@aihio/actions-core';
import type { CompileResult } from './compiled-cache';
import type { EgressClient } from './egress';

/**
 * Runs one action: core renders the request from the template and the values (a value can never
 * change the request's shape), the auth header is added from the credential, and egress makes
 * the call (SSRF-guarded, capped, timed out). Every failure is a coded value, never an exception,
 * and nothing leaves the process unless rendering succeeded.
 */

export interface ExecuteInput {
  workspaceId: string;
  action: ActionDefinition;
  values: Record<string, unknown>;
  identity: RenderIdentity | null;
  /** Plaintext, used for this call only. Required when the action is authenticated. */
  credential: string | null;
  signal?: AbortSignal;
  /** `compileAction(action)`, when the caller keeps it (see compiled-cache.ts); compiled here otherwise. */
  compiled?: CompileResult;
}

export type ExecuteOutcome =
  | {
      ok: true;
      status: number;
      /** Lower-cased names. */
      headers: Record<string, string>;
      /** UTF-8 text of the bytes read (at most the egress response cap). */
      body: string;
      bodyBytes: number;
      truncated: boolean;
      durationMs: number;
    }
  | {
      ok: false;
      error: ExecuteError;
      durationMs: number;
      /** False when the call was refused before anything left the process. */
      called: boolean;
    };

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

type Failure = Extract<ExecuteOutcome, { ok: false }>;

function failed(code: ErrorCode, started: number, issues?: Issue[], message?: string): Failure {
  return { ok: false, error: runError(code, issues, message), durationMs: elapsed(started), called: false };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

export async function execute(egress: EgressClient, input: ExecuteInput): Promise<ExecuteOutcome> {
  const started = performance.now();
  const { action } = input;

  // An action that asks for a verified visitor runs only for a JWT-verified one (HMAC is display-only).
  if (action.requireVerifiedIdentity && input.identity?.method !== 'jwt') {
    return failed('identity_unverified', started);
  }

  const compiled = input.compiled ?? compileAction(action);
  // What renderRequest does: an invalid stored action gives its definition issues.
  const rendered = compiled.ok
    ? renderCompiled(compiled.compiled, input.values, input.identity)
    : { ok: false as const, errors: compiled.errors };
  if (!rendered.ok) {
    const identityIssue = rendered.errors.some((issue) => issue.code === 'identity_unverified');
    return failed(identityIssue ? 'identity_unverified' : 'invalid_arguments', started, rendered.errors);
  }

  const headers = { ...rendered.request.headers };
  if (action.auth.type === 'oauth2_client_credentials') {
    // The client secret is never sent to the API itself: without a token step, no call is made.
    return failed(
      'oauth_token_failed',
      started,
      undefined,
      'This server cannot obtain OAuth 2.0 tokens yet.',
    );
  }
  if (action.auth.type !== 'none') {
    if (input.credential === null) return failed('credential_missing', started);
    if (!isHeaderSafe(input.credential)) {
      return failed(
        'invalid_request',
        started,
        undefined,
        'The credential has characters a header cannot carry.',
      );
    }
    const name = action.auth.type === 'bearer' ? 'Authorization' : action.auth.headerName;
    // Validation forbids a template header of this name; drop any case variant all the same.
    for (const existing of Object.keys(headers)) {
      if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    }
    headers[name] = action.auth.type === 'bearer' ? `Bearer ${input.credential}` : input.credential;
  }

  const result = await egress.request(
    { method: rendered.request.method, url: rendered.request.url, headers, body: rendered.request.body },
    { key: input.workspaceId, ...(input.signal ? { signal: input.signal } : {}) },
  );
  if (!result.ok) {
    // Egress codes are keys of the core table; anything else would be a bug in the client.
    const code: ErrorCode = isErrorCode(result.code) ? result.code : 'internal_error';
    const message = code === 'internal_error' ? undefined : result.message;
    // `overloaded` is egress refusing at its concurrency bound: nothing was sent.
    return { ...failed(code, started, undefined, message), called: code !== 'overloaded' };
  }
  return {
    ok: true,
    status: result.status,
    headers: result.headers,
    body: result.body,
    bodyBytes: result.bodyBytes,
    truncated: result.truncated,
    durationMs: result.durationMs,
  };
}

/** Cut a body to `budget` UTF-8 bytes, without a broken character at the end. */
export function cutText(body: string, budget: number): { text: string; cut: boolean } {
  const bytes = Buffer.from(body, 'utf8');
  if (bytes.length <= budget) return { text: body, cut: false };
  let text = bytes.subarray(0, budget).toString('utf8');
  if (text.endsWith('\uFFFD')) text = text.slice(0, -1);
  return { text, cut: true };
}
