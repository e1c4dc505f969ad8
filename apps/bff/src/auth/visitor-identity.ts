import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IdentityField, RenderIdentity, VisitorIdentity } from '@aihio/actions-core';
import { jwtVerify } from 'jose';

/**
 * Verifies the chat widget's proof of who the visitor is, against the chatbot's identity secret:
 * a signed JWT (HS256, with an `exp`) exposes its claims to `{{identity.*}}`; an HMAC user hash
 * verifies the user id for display only (identity references then fail closed in rendering).
 * Anything that does not verify is `null`: the caller answers `identity_unverified` and makes no call.
 * How a host app mints the token is in the README ("Visitor identity tokens").
 */

/**
 * The longest a visitor identity token may live: `exp` at most this far ahead, and `exp − iat` at
 * most this when `iat` is given. A host app mints the token when it renders the chat widget; a
 * day covers a long session, and a leaked token stops proving anything within a day.
 */
export const MAX_IDENTITY_TOKEN_LIFETIME_S = 24 * 60 * 60;

/** What the token must be for, besides being signed with the chatbot's secret. */
export interface VisitorTokenExpectations {
  /**
   * The chatbot id. `aud` is optional in the token (the per-chatbot secret already binds it to
   * the chatbot), but a token that has one must name this chatbot: a host app that signs tokens
   * for several chatbots or services with one secret cannot have one replayed on another. With no
   * audience given, a token carrying `aud` is refused (fails closed).
   */
  audience?: string;
  /** When set, `iss` is required and must equal it; when unset, `iss` is not checked. */
  issuer?: string;
}

const CLAIM_OF: Record<IdentityField, string> = {
  user_id: 'sub',
  email: 'email',
  name: 'name',
  phone: 'phone',
};

function audienceMatches(aud: unknown, expected: string | undefined): boolean {
  if (aud === undefined) return true;
  const list = typeof aud === 'string' ? [aud] : aud;
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) return false;
  return expected !== undefined && list.includes(expected);
}

function lifetimeAllowed(exp: unknown, iat: unknown): boolean {
  // jose has checked that `exp` is a number in the future and `iat`, when present, a number.
  if (typeof exp !== 'number') return false;
  if (exp - Date.now() / 1000 > MAX_IDENTITY_TOKEN_LIFETIME_S) return false;
  return typeof iat !== 'number' || exp - iat <= MAX_IDENTITY_TOKEN_LIFETIME_S;
}

export async function verifyVisitorIdentity(
  identity: VisitorIdentity,
  secret: string | null,
  required: VisitorTokenExpectations = {},
): Promise<RenderIdentity | null> {
  if (secret === null) return null;
  if (identity.method === 'jwt') {
    try {
      const { payload } = await jwtVerify(identity.token, new TextEncoder().encode(secret), {
        algorithms: ['HS256'],
        // A token without an expiry would prove who the visitor is forever once it leaks.
        requiredClaims: ['exp'],
        ...(required.issuer !== undefined ? { issuer: required.issuer } : {}),
      });
      if (!audienceMatches(payload.aud, required.audience)) return null;
      if (!lifetimeAllowed(payload.exp, payload.iat)) return null;
      const claims: Partial<Record<IdentityField, string>> = {};
      for (const [field, claim] of Object.entries(CLAIM_OF) as [IdentityField, string][]) {
        const value = payload[claim];
        if (typeof value === 'string' && value.length > 0) claims[field] = value;
      }
      return { method: 'jwt', claims };
    } catch {
      return null;
    }
  }
  const expected = createHmac('sha256', secret).update(identity.userId, 'utf8').digest();
  const given = /^[0-9a-f]{64}$/i.test(identity.hash) ? Buffer.from(identity.hash, 'hex') : null;
  if (!given || !timingSafeEqual(expected, given)) return null;
  return { method: 'hmac', userId: identity.userId };
}
