import {
  type ActionDefinition,
  compileAction,
  type ErrorCode,
  type Issue,
  isErrorCode,
  type RenderIdentity,
  renderCompiled,
  type TokenStep,
} from '@aihio/actions-core';
import type { EgressRequest, EgressRequestOptions, EgressResult } from '@aihio/egress';
import type { CompileResult } from './compiled-cache';
import type { EgressClient } from './egress';
import type { TokenOutcome, TokenSource } from './oauth/token-cache';
import { type ExecuteError, isHeaderSafe, runError } from './run-error';

export { type ExecuteError, isHeaderSafe, runError } from './run-error';

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
  /**
   * Plaintext, used for this call only. Required when the action is authenticated with a bearer
   * token or an API key; OAuth actions take `oauth` instead (the secret goes to the token endpoint).
   */
  credential: string | null;
  /** Where an OAuth 2.0 client credentials action gets its access token (required for one). */
  oauth?: TokenSource;
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
      /** The OAuth token step, for an OAuth action. */
      token?: TokenStep;
      /** Secrets sent with the call that an echo must not hand on: the OAuth access tokens. */
      sentSecrets?: string[];
    }
  | {
      ok: false;
      error: ExecuteError;
      durationMs: number;
      /** False when the call was refused before anything left the process. */
      called: boolean;
      token?: TokenStep;
    };

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
    // The client secret is never sent to the API itself: it buys a token at the token endpoint.
    if (!input.oauth) return failed('credential_missing', started);
    return callWithToken(egress, input, { ...rendered.request, headers }, input.oauth, started);
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
    setHeader(headers, name, action.auth.type === 'bearer' ? `Bearer ${input.credential}` : input.credential);
  }

  const result = await egress.request(
    { method: rendered.request.method, url: rendered.request.url, headers, body: rendered.request.body },
    optionsOf(input),
  );
  return outcomeOf(result, started);
}

function optionsOf(input: ExecuteInput): EgressRequestOptions {
  return { key: input.workspaceId, ...(input.signal ? { signal: input.signal } : {}) };
}

/** Validation forbids a template header of this name; drop any case variant all the same. */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
  for (const existing of Object.keys(headers)) {
    if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
  }
  headers[name] = value;
}

function outcomeOf(result: EgressResult, started: number): ExecuteOutcome {
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

/** What the test panel shows of the token step (core's TokenStep): never the token. */
function tokenStepOf(token: TokenOutcome, source: TokenSource): TokenStep {
  if (token.ok) {
    return {
      ok: true,
      reused: token.reused,
      expiresIn: token.expiresAt === null ? null : source.secondsLeft(token.expiresAt),
    };
  }
  return {
    ok: false,
    error: token.error,
    status: token.status,
    ...(token.oauthError ? { oauthError: token.oauthError } : {}),
    ...(token.oauthErrorDescription ? { oauthErrorDescription: token.oauthErrorDescription } : {}),
  };
}

/**
 * OAuth 2.0 client credentials: a token first (cached or fetched), then the call with it as a
 * bearer token. A 401 to a token that came from a cache means it was revoked or expired early:
 * the call is made once more with a fresh token (the API refused it, so it did not act on it).
 * A token fetched for this very call is not retried: a second one would fare no better.
 */
async function callWithToken(
  egress: EgressClient,
  input: ExecuteInput,
  request: {
    method: EgressRequest['method'];
    url: string;
    headers: Record<string, string>;
    body: string | null;
  },
  source: TokenSource,
  started: number,
): Promise<ExecuteOutcome> {
  const sentSecrets: string[] = [];
  const attempt = async (
    rejected: string | null,
  ): Promise<{ outcome: ExecuteOutcome; token: TokenOutcome }> => {
    const token = await source.token(rejected);
    const step = tokenStepOf(token, source);
    if (!token.ok) {
      return {
        token,
        outcome: {
          ok: false,
          error: token.error,
          durationMs: elapsed(started),
          called: token.called,
          token: step,
        },
      };
    }
    sentSecrets.push(token.accessToken);
    setHeader(request.headers, 'Authorization', `Bearer ${token.accessToken}`);
    const result = await egress.request(request, optionsOf(input));
    // The whole of it, token step included: that is what the caller waited.
    return { token, outcome: { ...outcomeOf(result, started), durationMs: elapsed(started), token: step } };
  };

  let { outcome, token } = await attempt(null);
  if (outcome.ok && outcome.status === 401 && token.ok && token.reused) {
    ({ outcome, token } = await attempt(token.accessToken));
  }
  // A token failure after a first call was made still means a call left the process.
  if (!outcome.ok && sentSecrets.length > 0) outcome.called = true;
  return outcome.ok ? { ...outcome, sentSecrets } : outcome;
}

/** Cut a body to `budget` UTF-8 bytes, without a broken character at the end. */
export function cutText(body: string, budget: number): { text: string; cut: boolean } {
  const bytes = Buffer.from(body, 'utf8');
  if (bytes.length <= budget) return { text: body, cut: false };
  let text = bytes.subarray(0, budget).toString('utf8');
  if (text.endsWith('\uFFFD')) text = text.slice(0, -1);
  return { text, cut: true };
}
