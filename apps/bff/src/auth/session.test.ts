import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionVerifier } from './session';

const claims = { wid: 'ws-1', wname: 'One', role: 'editor', plan: 'pro' };

describe('session verification with a JWKS', () => {
  let url: string;
  let close: () => Promise<void>;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(async () => {
    await close();
  });

  const sign = (options: { issuer?: string; audience?: string; alg?: string; exp?: boolean } = {}) => {
    let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject('u-1');
    if (options.exp !== false) jwt = jwt.setExpirationTime('5m');
    if (options.issuer) jwt = jwt.setIssuer(options.issuer);
    if (options.audience) jwt = jwt.setAudience(options.audience);
    return jwt.sign(privateKey);
  };

  it('accepts a token signed by a published key with the configured issuer and audience', async () => {
    const verify = createSessionVerifier({
      mode: 'jwt',
      secret: null,
      jwksUrl: url,
      issuer: 'host',
      audience: 'aihio',
      maxLifetimeS: 3600,
    });
    expect(await verify(await sign({ issuer: 'host', audience: 'aihio' }))).toEqual({
      sub: 'u-1',
      ...claims,
    });
  });

  it('refuses the wrong issuer or audience, and a token without exp', async () => {
    const verify = createSessionVerifier({
      mode: 'jwt',
      secret: null,
      jwksUrl: url,
      issuer: 'host',
      audience: 'aihio',
      maxLifetimeS: 3600,
    });
    expect(await verify(await sign({ issuer: 'other', audience: 'aihio' }))).toBeNull();
    expect(await verify(await sign({ issuer: 'host', audience: 'other' }))).toBeNull();
    expect(await verify(await sign({ issuer: 'host', audience: 'aihio', exp: false }))).toBeNull();
  });

  it('refuses an HS256 token when a JWKS is configured (no algorithm confusion)', async () => {
    const verify = createSessionVerifier({
      mode: 'jwt',
      secret: null,
      jwksUrl: url,
      issuer: null,
      audience: null,
      maxLifetimeS: 3600,
    });
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u-1')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a'.repeat(40)));
    expect(await verify(hs)).toBeNull();
  });
});

describe('session lifetime and issue time (HS256)', () => {
  const secret = 'rTiHfD8+lsMzBchYeCw2UJ9QhV5CuzPt-a-session-secret';
  const verify = createSessionVerifier({
    mode: 'jwt',
    secret,
    jwksUrl: null,
    issuer: null,
    audience: null,
    maxLifetimeS: 3600,
  });
  const now = () => Math.floor(Date.now() / 1000);
  const sign = (times: { iat?: number; exp: number }) => {
    let jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u-1')
      .setExpirationTime(times.exp);
    if (times.iat !== undefined) jwt = jwt.setIssuedAt(times.iat);
    return jwt.sign(new TextEncoder().encode(secret));
  };

  it('accepts a token within the lifetime, and reports its iat', async () => {
    const iat = now();
    expect(await verify(await sign({ iat, exp: iat + 3600 }))).toEqual({ sub: 'u-1', ...claims, iat });
    expect(await verify(await sign({ exp: now() + 600 }))).toEqual({ sub: 'u-1', ...claims });
  });

  it('refuses a token that grants more than the maximum lifetime, with or without iat', async () => {
    const iat = now();
    expect(await verify(await sign({ iat, exp: iat + 3601 }))).toBeNull();
    // Issued long ago and still valid for a moment: the span counts, not what is left.
    expect(await verify(await sign({ iat: iat - 86_400, exp: iat + 60 }))).toBeNull();
    // Without iat the lifetime is measured from now.
    expect(await verify(await sign({ exp: now() + 7200 }))).toBeNull();
  });

  it('refuses an iat in the future beyond a small clock skew', async () => {
    const t = now();
    expect(await verify(await sign({ iat: t + 30, exp: t + 600 }))).not.toBeNull();
    expect(await verify(await sign({ iat: t + 600, exp: t + 1200 }))).toBeNull();
  });
});
