import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { MAX_IDENTITY_TOKEN_LIFETIME_S, verifyVisitorIdentity } from './visitor-identity';

/** The visitor identity token, verified with real HS256 signatures (jose signs them). */

const SECRET = 'chatbot-identity-secret-0123456789';
const CHATBOT = 'bot-1234';
const now = () => Math.floor(Date.now() / 1000);

interface TokenOptions {
  exp?: number | null;
  iat?: number;
  aud?: string | string[];
  iss?: string;
  secret?: string;
}

function token(claims: Record<string, unknown> = { sub: 'visitor-1' }, options: TokenOptions = {}) {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' });
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? now() + 300);
  if (options.iat !== undefined) jwt.setIssuedAt(options.iat);
  if (options.aud !== undefined) jwt.setAudience(options.aud);
  if (options.iss !== undefined) jwt.setIssuer(options.iss);
  return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

async function verify(jwt: string, expected: Parameters<typeof verifyVisitorIdentity>[2] = {}) {
  return verifyVisitorIdentity({ method: 'jwt', token: jwt }, SECRET, expected);
}

describe('signed JWT', () => {
  it('exposes the string claims as identity fields (sub → user_id)', async () => {
    const jwt = await token({ sub: 'visitor-1', email: 'v@example.com', name: 'Vee', phone: 42 });
    expect(await verify(jwt, { audience: CHATBOT })).toEqual({
      method: 'jwt',
      claims: { user_id: 'visitor-1', email: 'v@example.com', name: 'Vee' },
    });
  });

  it('refuses another secret, no exp, and an expired token', async () => {
    expect(await verify(await token({ sub: 'v' }, { secret: 'another-secret-0123456789abcdef' }))).toBeNull();
    expect(await verify(await token({ sub: 'v' }, { exp: null }))).toBeNull();
    expect(await verify(await token({ sub: 'v' }, { exp: now() - 10 }))).toBeNull();
  });

  describe('audience', () => {
    it('a token without aud verifies (the chatbot’s own secret already binds it to the chatbot)', async () => {
      expect(await verify(await token(), { audience: CHATBOT })).not.toBeNull();
      expect(await verify(await token())).not.toBeNull();
    });

    it('an aud naming this chatbot verifies, as a string or in a list', async () => {
      expect(await verify(await token({ sub: 'v' }, { aud: CHATBOT }), { audience: CHATBOT })).not.toBeNull();
      expect(
        await verify(await token({ sub: 'v' }, { aud: ['another-service', CHATBOT] }), { audience: CHATBOT }),
      ).not.toBeNull();
    });

    it('an aud naming something else is refused: a token minted for another chatbot or service', async () => {
      for (const aud of ['bot-9999', ['bot-9999', 'other'], '', 'BOT-1234']) {
        expect(await verify(await token({ sub: 'v' }, { aud }), { audience: CHATBOT })).toBeNull();
      }
    });

    it('an aud of the wrong type is refused', async () => {
      expect(await verify(await token({ sub: 'v', aud: 1234 }), { audience: CHATBOT })).toBeNull();
      expect(await verify(await token({ sub: 'v', aud: [CHATBOT, 7] }), { audience: CHATBOT })).toBeNull();
    });

    it('a token with aud is refused when the caller names no audience (fails closed)', async () => {
      expect(await verify(await token({ sub: 'v' }, { aud: CHATBOT }))).toBeNull();
    });
  });

  describe('issuer', () => {
    it('is checked when the caller expects one: required and equal', async () => {
      const issuer = 'https://shop.example.com';
      expect(await verify(await token({ sub: 'v' }, { iss: issuer }), { issuer })).not.toBeNull();
      expect(await verify(await token({ sub: 'v' }, { iss: 'https://evil.example' }), { issuer })).toBeNull();
      expect(await verify(await token(), { issuer })).toBeNull();
    });

    it('is not checked when the caller expects none', async () => {
      expect(await verify(await token({ sub: 'v' }, { iss: 'https://shop.example.com' }))).not.toBeNull();
    });
  });

  describe('lifetime', () => {
    const max = MAX_IDENTITY_TOKEN_LIFETIME_S;

    it('is bounded: exp at most the maximum lifetime ahead', async () => {
      expect(await verify(await token({ sub: 'v' }, { exp: now() + max - 60 }))).not.toBeNull();
      expect(await verify(await token({ sub: 'v' }, { exp: now() + max + 60 }))).toBeNull();
      expect(await verify(await token({ sub: 'v' }, { exp: now() + 10 * 365 * 86_400 }))).toBeNull();
    });

    it('with iat, exp − iat is at most the maximum lifetime, even when exp is near', async () => {
      const issued = now() - max + 120;
      expect(await verify(await token({ sub: 'v' }, { iat: issued, exp: issued + max }))).not.toBeNull();
      expect(await verify(await token({ sub: 'v' }, { iat: now() - max - 60, exp: now() + 60 }))).toBeNull();
    });
  });
});

describe('HMAC user hash', () => {
  it('verifies the user id for display only', async () => {
    const hash = createHmac('sha256', SECRET).update('visitor-7').digest('hex');
    expect(await verifyVisitorIdentity({ method: 'hmac', userId: 'visitor-7', hash }, SECRET)).toEqual({
      method: 'hmac',
      userId: 'visitor-7',
    });
    expect(await verifyVisitorIdentity({ method: 'hmac', userId: 'visitor-8', hash }, SECRET)).toBeNull();
  });
});

it('without a secret nothing verifies', async () => {
  expect(await verifyVisitorIdentity({ method: 'jwt', token: await token() }, null)).toBeNull();
});
