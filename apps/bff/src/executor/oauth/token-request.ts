import type { OAuthClientCredentialsAuth } from '@aihio/actions-core';
import type { EgressClient } from '../egress';
import { redactSecret } from '../redact';
import { type ExecuteError, isHeaderSafe, runError } from '../run-error';

/**
 * One client credentials grant (RFC 6749 §4.4) through the guarded egress: the token endpoint is
 * a destination like any other (https, port 443, no redirects, every resolved address checked,
 * deadline), and its answer is read only up to `MAX_TOKEN_RESPONSE_BYTES`. Every outcome is a
 * value; a failure names what the endpoint said (`error`, `error_description`, sanitised) and
 * never the secret or a token.
 */

/** A token answer is a few hundred bytes; anything past this is not one (and is not buffered further). */
export const MAX_TOKEN_RESPONSE_BYTES = 16 * 1024;
/** An access token is sent in a header: past this it is not one we will send. */
const MAX_ACCESS_TOKEN_CHARS = 8192;

export interface ObtainedToken {
  ok: true;
  accessToken: string;
  /** Seconds from `expires_in`, or null when the server gave none (the token is then used once). */
  expiresIn: number | null;
}

export interface TokenFailure {
  ok: false;
  error: ExecuteError;
  /** The token endpoint's HTTP status, when it answered. */
  status: number | null;
  oauthError?: string;
  oauthErrorDescription?: string;
  /** False when nothing left the process (a blocked token URL, the concurrency bound). */
  called: boolean;
}

export type TokenRequestResult = ObtainedToken | TokenFailure;

/** `error` of RFC 6749 §5.2: `%x20-21 / %x23-5B / %x5D-7E`. */
const OAUTH_ERROR_CHARS = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g;

/** Printable ASCII only (no quotes or backslashes: RFC 6749's charset), cut to `max` characters. */
function sanitise(value: unknown, max: number, secret: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  // A server that quotes the request back must not hand the secret to the dashboard or a log.
  const cleaned = redactSecret(value, secret, false).replace(OAUTH_ERROR_CHARS, ' ').trim();
  if (cleaned === '') return undefined;
  return cleaned.length > max ? `${cleaned.slice(0, max - 1)}…` : cleaned;
}

/** `application/x-www-form-urlencoded` of RFC 6749 Appendix B (space as +). */
function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

function requestOf(auth: OAuthClientCredentialsAuth, secret: string) {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (auth.scope) form.set('scope', auth.scope);
  if (auth.audience) form.set('audience', auth.audience);
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  };
  if (auth.clientAuth === 'client_secret_basic') {
    // RFC 6749 §2.3.1: each part form-encoded before Basic, so a ':' in either survives.
    const pair = `${formEncode(auth.clientId)}:${formEncode(secret)}`;
    headers.Authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
  } else {
    form.set('client_id', auth.clientId);
    form.set('client_secret', secret);
  }
  return { method: 'POST' as const, url: auth.tokenUrl, headers, body: form.toString() };
}

function failure(
  code: 'oauth_token_failed' | 'oauth_token_invalid',
  message: string,
  status: number | null,
  extra: Pick<TokenFailure, 'oauthError' | 'oauthErrorDescription'> = {},
): TokenFailure {
  return { ok: false, error: runError(code, undefined, message), status, called: true, ...extra };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `expires_in` in whole seconds; some servers send it as a numeric string. */
function expiresInOf(value: unknown): number | null {
  const seconds = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : null;
}

export async function requestToken(
  egress: EgressClient,
  auth: OAuthClientCredentialsAuth,
  secret: string,
  options: { key: string; signal?: AbortSignal },
): Promise<TokenRequestResult> {
  const result = await egress.request(requestOf(auth, secret), {
    key: options.key,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!result.ok) {
    const code = result.code;
    return {
      ok: false,
      // Egress's message names the destination and why; it says "token endpoint" so the owner
      // knows which of the two calls it was.
      error: runError(code, undefined, `Token endpoint: ${result.message}`),
      status: null,
      called: code !== 'overloaded' && code !== 'blocked_destination' && code !== 'invalid_url',
    };
  }
  const { status } = result;
  if (status >= 300 && status < 400) {
    return failure(
      'oauth_token_failed',
      `The token endpoint answered ${status}, a redirect: redirects are never followed. Use the final token URL.`,
      status,
    );
  }
  if (result.truncated || result.bodyBytes > MAX_TOKEN_RESPONSE_BYTES) {
    return failure(
      'oauth_token_invalid',
      `The token endpoint’s answer is larger than ${MAX_TOKEN_RESPONSE_BYTES / 1024} KiB: it is not a token.`,
      status,
    );
  }
  const json = parseJson(result.body);
  if (status < 200 || status >= 300) {
    const oauthError = isObject(json) ? sanitise(json.error, 64, secret) : undefined;
    const oauthErrorDescription = isObject(json) ? sanitise(json.error_description, 300, secret) : undefined;
    const said = oauthError
      ? ` with ${oauthError}${oauthErrorDescription ? `: ${oauthErrorDescription}` : ''}`
      : '';
    return failure('oauth_token_failed', `The token endpoint answered ${status}${said}.`, status, {
      ...(oauthError ? { oauthError } : {}),
      ...(oauthErrorDescription ? { oauthErrorDescription } : {}),
    });
  }
  if (!isObject(json)) {
    return failure('oauth_token_invalid', 'The token endpoint’s answer is not a JSON object.', status);
  }
  const accessToken = json.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    return failure('oauth_token_invalid', 'The token endpoint’s answer has no access_token.', status);
  }
  if (accessToken.length > MAX_ACCESS_TOKEN_CHARS || !isHeaderSafe(accessToken)) {
    return failure(
      'oauth_token_invalid',
      'The access token has characters a header cannot carry, or is too long.',
      status,
    );
  }
  // We send it as `Authorization: Bearer`: a token of another type (DPoP, MAC) would not work so.
  if (json.token_type !== undefined && String(json.token_type).toLowerCase() !== 'bearer') {
    return failure(
      'oauth_token_invalid',
      `The token endpoint issued a token of type ${sanitise(String(json.token_type), 32, secret) ?? '?'}; only Bearer tokens are supported.`,
      status,
    );
  }
  return { ok: true, accessToken, expiresIn: expiresInOf(json.expires_in) };
}
