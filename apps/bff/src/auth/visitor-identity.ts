import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IdentityField, RenderIdentity, VisitorIdentity } from '@aihio/actions-core';
import { jwtVerify } from 'jose';

/**
 * Verifies the chat widget's proof of who the visitor is, against the chatbot's identity secret:
 * a signed JWT (HS256, with an `exp`) exposes its claims to `{{identity.*}}`; an HMAC user hash
 * verifies the user id for display only (identity references then fail closed in rendering).
 * Anything that does not verify is `null`: the caller answers `identity_unverified` and makes no call.
 */

const CLAIM_OF: Record<IdentityField, string> = {
  user_id: 'sub',
  email: 'email',
  name: 'name',
  phone: 'phone',
};

export async function verifyVisitorIdentity(
  identity: VisitorIdentity,
  secret: string | null,
): Promise<RenderIdentity | null> {
  if (secret === null) return null;
  if (identity.method === 'jwt') {
    try {
      const { payload } = await jwtVerify(identity.token, new TextEncoder().encode(secret), {
        algorithms: ['HS256'],
        // A token without an expiry would prove who the visitor is forever once it leaks.
        requiredClaims: ['exp'],
      });
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
