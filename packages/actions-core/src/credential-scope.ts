import type { ActionDefinition } from './action';

/**
 * Where a stored credential belongs. A credential is entered for one destination and one
 * placement: the URL's origin (scheme, host and port, as the URL parser normalizes them), the auth
 * type, and the header it is sent in. An update that changes any of them drops it (the BFF does,
 * in the same write), so a secret is never sent where or how its owner did not enter it for; the
 * editor uses the same rule to warn before saving. The path and query are not part of it: a
 * different endpoint of the same origin is the same service (a version prefix, a new resource),
 * and an owner who edits a path expects the credential to stay.
 */

/** The parts of an action a credential is bound to. */
export type CredentialScope = Pick<ActionDefinition, 'url' | 'auth'>;

/** Why an update drops the stored credential, in the order they are checked. */
export type CredentialDropReason = 'origin' | 'auth_type' | 'header_name';

export const CREDENTIAL_DROP_REASONS: readonly CredentialDropReason[] = [
  'origin',
  'auth_type',
  'header_name',
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
  return auth.type === 'bearer' ? 'authorization' : auth.headerName.toLowerCase();
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
  return null;
}

/** Whether a credential stored for `before` still belongs to `after` (see `credentialDropReason`). */
export function credentialStillApplies(before: CredentialScope, after: CredentialScope): boolean {
  return credentialDropReason(before, after) === null;
}
