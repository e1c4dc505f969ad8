import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Socket } from 'node:net';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, jwtVerify, SignJWT } from 'jose';
import Provider from 'oidc-provider';
import { type Listening, listenOnLoopback } from './loopback';
import { testPki, UPSTREAM_DOMAIN } from './upstream';

/**
 * A real OAuth 2.0 authorization server and an API that trusts it, for the client credentials
 * suites: `oidc-provider` (a certified OpenID Provider) with the client credentials grant, issuing
 * JWT access tokens for the orders API, and the orders API verifying each token's signature
 * against the provider's JWKS, audience, issuer and expiry. Both answer on one loopback HTTPS
 * server under their own names of the test domain (the test certificate is `*.bff.test`):
 * - `https://auth.bff.test/token`: the provider's token endpoint; `/misbehave/<case>` answers
 *   badly on purpose (hang, redirect, a too-large or non-JSON answer, a token without expiry);
 * - `https://orders.bff.test/orders/<n>`: the API; `/echo-auth/<n>` echoes the Authorization
 *   header it got. A token whose `jti` is in `revoked` is refused with 401, as introspection of a
 *   revoked token would.
 */

export const AUTH_HOST = `auth.${UPSTREAM_DOMAIN}`;
export const ORDERS_HOST = `orders.${UPSTREAM_DOMAIN}`;
export const ISSUER = `https://${AUTH_HOST}`;
export const ORDERS_AUDIENCE = `https://${ORDERS_HOST}/`;
/** The clients the provider knows: one authenticating with HTTP Basic, one in the form body. */
export const BASIC_CLIENT = { id: 'orders-bot', secret: 'PLAIN-oauth-client-secret-3c9d1e7a' };
export const POST_CLIENT = { id: 'orders-bot-post', secret: 'PLAIN-oauth-post-secret-8b2f4a6c' };
export const TOKEN_TTL_SECONDS = 60;

export interface ApiCall {
  path: string;
  /** The verified token's `jti`, or null when the API refused it. */
  jti: string | null;
  status: number;
}

export interface AuthorizationServer {
  listening: Listening;
  hostnames: readonly string[];
  /** Requests to the token endpoint (any outcome), in order. */
  tokenRequests: { path: string; authorization: string | undefined }[];
  /** Access tokens the provider issued, in order (for the leak searches). */
  issued: string[];
  apiCalls: ApiCall[];
  /** `jti`s the API refuses with 401. */
  revoked: Set<string>;
  /** TCP connections accepted, whatever their host. */
  connections: number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export async function startAuthorizationServer(): Promise<AuthorizationServer> {
  const pki = await testPki();
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  // What a resource server fetches from the provider's jwks_uri: the public half.
  const jwks = createLocalJWKSet({
    keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }],
  });

  const provider = new Provider(ISSUER, {
    jwks: { keys: [privateJwk] },
    clients: [
      {
        client_id: BASIC_CLIENT.id,
        client_secret: BASIC_CLIENT.secret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: 'orders:read',
      },
      {
        client_id: POST_CLIENT.id,
        client_secret: POST_CLIENT.secret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: 'client_secret_post',
        scope: 'orders:read',
      },
    ],
    scopes: ['orders:read'],
    cookies: { keys: [randomUUID()] },
    ttl: { ClientCredentials: TOKEN_TTL_SECONDS },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => ORDERS_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'orders:read',
          audience: ORDERS_AUDIENCE,
          accessTokenFormat: 'jwt',
          accessTokenTTL: TOKEN_TTL_SECONDS,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  });
  const providerCallback = provider.callback();

  const server: AuthorizationServer = {
    listening: { address: '', port: 0 },
    hostnames: [AUTH_HOST, ORDERS_HOST],
    tokenRequests: [],
    issued: [],
    apiCalls: [],
    revoked: new Set(),
    connections: 0,
    close: async () => {},
  };

  async function misbehave(req: IncomingMessage, res: ServerResponse, which: string): Promise<void> {
    await readBody(req);
    switch (which) {
      case 'hang':
        return; // Never answers: the BFF's deadline must end it.
      case 'redirect':
        res.writeHead(302, { location: `${ISSUER}/token` }).end();
        return;
      case 'large':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ access_token: 'x'.repeat(64 * 1024), token_type: 'Bearer', expires_in: 60 }),
        );
        return;
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Sign in</body></html>');
        return;
      case 'no-expiry': {
        // A valid token for the API, issued without expires_in: the BFF must use it once.
        const token = await new SignJWT({ client_id: BASIC_CLIENT.id, scope: 'orders:read' })
          .setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt' })
          .setIssuer(ISSUER)
          .setAudience(ORDERS_AUDIENCE)
          .setSubject(BASIC_CLIENT.id)
          .setJti(randomUUID())
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(privateKey);
        server.issued.push(token);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: token, token_type: 'Bearer' }));
        return;
      }
      default:
        res.writeHead(404).end();
    }
  }

  async function orders(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '';
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    let jti: string | null = null;
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer: ISSUER, audience: ORDERS_AUDIENCE });
      jti = typeof payload.jti === 'string' && !server.revoked.has(payload.jti) ? payload.jti : null;
    } catch {
      jti = null;
    }
    if (jti === null) {
      server.apiCalls.push({ path, jti, status: 401 });
      res.writeHead(401, {
        'www-authenticate': 'Bearer error="invalid_token"',
        'content-type': 'application/json',
      });
      res.end('{"error":"invalid_token"}');
      return;
    }
    server.apiCalls.push({ path, jti, status: 200 });
    res.writeHead(200, { 'content-type': 'application/json' });
    const order = path.split('/').at(-1);
    res.end(
      JSON.stringify(
        path.startsWith('/echo-auth') ? { authorization: header } : { order, status: 'shipped' },
      ),
    );
  }

  const https = createServer({ key: pki.key, cert: pki.cert }, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const path = req.url ?? '';
    if (host === ORDERS_HOST) {
      void orders(req, res);
      return;
    }
    if (path.startsWith('/misbehave/')) {
      server.tokenRequests.push({ path, authorization: req.headers.authorization });
      void misbehave(req, res, path.slice('/misbehave/'.length));
      return;
    }
    if (path === '/token') {
      const seen = { path, authorization: req.headers.authorization };
      server.tokenRequests.push(seen);
      // Keep what the provider answered: the issued tokens, for the leak searches.
      const write = res.write.bind(res);
      const end = res.end.bind(res);
      const chunks: Buffer[] = [];
      res.write = ((chunk: unknown, ...rest: unknown[]) => {
        if (chunk) chunks.push(Buffer.from(chunk as string));
        return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof res.write;
      res.end = ((chunk?: unknown, ...rest: unknown[]) => {
        if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as string));
        try {
          const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { access_token?: unknown };
          if (typeof answer.access_token === 'string') server.issued.push(answer.access_token);
        } catch {
          // Not JSON: nothing issued.
        }
        return (end as (...args: unknown[]) => ServerResponse)(chunk, ...rest);
      }) as typeof res.end;
    }
    providerCallback(req, res);
  });
  const sockets = new Set<Socket>();
  https.on('connection', (socket: Socket) => {
    server.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listening = await listenOnLoopback(https);
  server.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => https.close(() => resolve()));
  };
  return server;
}
