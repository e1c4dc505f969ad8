import type { ActionDefinition } from './action';

/**
 * Where a stored credential belongs. A credential is entered for one destination and one
 * placement: the URL's origin (scheme, host and port, as the URL parser normalizes them), the auth
 * type, and the header it is sent in. An update that changes any of them drops it (the BFF does,
 * in the same write), so a secret is never sent where or how its owner did not enter it for; the
 * editor uses the same rule to warn before saving. The path and query are not part of it: a
 * different endpoint of the same origin is the same service (a version prefix, a new resource),
 * and an owner who edits a path expects the credential to stay.
 *
 * For OAuth 2.0 client credentials the secret goes to the token endpoint and the token it buys
 * goes to the action's origin, so both bind it: a changed token URL (any part of it: the secret is
 * sent to exactly that endpoint), client id, scope or audience drops the secret and every token
 * cached for it (tokens are keyed by the credential's version, which a drop retires). How the
 * client authenticates (Basic or form body) is not part of it: the same secret goes to the same
 * endpoint either way.
 */

/** The parts of an action a credential is bound to. */
export type CredentialScope = Pick<ActionDefinition, 'url' | 'auth'>;

/** Why an update drops the stored credential, in the order they are checked. */
export type CredentialDropReason =
  | 'origin'
  | 'auth_type'
  | 'header_name'
  | 'token_url'
  | 'client_id'
  | 'scope'
  | 'audience';

export const CREDENTIAL_DROP_REASONS: readonly CredentialDropReason[] = [
  'origin',
  'auth_type',
  'header_name',
  'token_url',
  'client_id',
  'scope',
  'audience',
];

function originOf(url: string): string | null {
  try {
    const { origin } = new URL(url);
    // An opaque origin ("null") identifies nothing: never treat two of them as the same place.
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/** Where an auth scheme puts the secret: `Authorization` for bearer, the API key's own header. */
function credentialHeaderOf(auth: ActionDefinition['auth']): string | null {
  if (auth.type === 'none') return null;
  // Header names are case-insensitive: `X-Api-Key` and `x-api-key` are the same header on the wire.
  return auth.type === 'api_key' ? auth.headerName.toLowerCase() : 'authorization';
}

/** The token URL as the parser normalizes it (host case, a default :443), or null when it does not parse. */
function normalizedUrl(url: string): string | null {
  try {
    return new URL(url).href;
  } catch {
    return null;
  }
}

/** Scope is a set (RFC 6749 §3.3): order and repeated spaces do not change what is asked for. */
function scopeSet(scope: string | undefined): string {
  return [...new Set((scope ?? '').split(/\s+/).filter(Boolean))].sort().join(' ');
}

function oauthDropReason(
  before: Extract<ActionDefinition['auth'], { type: 'oauth2_client_credentials' }>,
  after: Extract<ActionDefinition['auth'], { type: 'oauth2_client_credentials' }>,
): CredentialDropReason | null {
  const beforeToken = normalizedUrl(before.tokenUrl);
  if (beforeToken === null || beforeToken !== normalizedUrl(after.tokenUrl)) return 'token_url';
  if (before.clientId !== after.clientId) return 'client_id';
  if (scopeSet(before.scope) !== scopeSet(after.scope)) return 'scope';
  if ((before.audience ?? '') !== (after.audience ?? '')) return 'audience';
  return null;
}

/**
 * Why changing `before` into `after` drops a credential stored for `before`, or `null` when it
 * still applies. A URL that does not parse has no origin, so it never matches (the credential is
 * dropped rather than guessed to belong).
 */
export function credentialDropReason(
  before: CredentialScope,
  after: CredentialScope,
): CredentialDropReason | null {
  const beforeOrigin = originOf(before.url);
  if (beforeOrigin === null || beforeOrigin !== originOf(after.url)) return 'origin';
  if (before.auth.type !== after.auth.type) return 'auth_type';
  if (credentialHeaderOf(before.auth) !== credentialHeaderOf(after.auth)) return 'header_name';
  if (before.auth.type === 'oauth2_client_credentials' && after.auth.type === 'oauth2_client_credentials') {
    return oauthDropReason(before.auth, after.auth);
  }
  return null;
}

/** Whether a credential stored for `before` still belongs to `after` (see `credentialDropReason`). */
export function credentialStillApplies(before: CredentialScope, after: CredentialScope): boolean {
  return credentialDropReason(before, after) === null;
}
