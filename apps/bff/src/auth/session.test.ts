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
    });
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u-1')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a'.repeat(40)));
    expect(await verify(hs)).toBeNull();
  });
});
