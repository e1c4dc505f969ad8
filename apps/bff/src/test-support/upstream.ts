import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Socket } from 'node:net';
import { generate } from 'selfsigned';
import { listenOnLoopback } from './loopback';

/**
 * A loopback HTTPS "customer API" for tests, on a free port of a random 127.x.y.z address (see
 * `loopback.ts`: no root needed). Its certificate is for `*.bff.test`, issued by a throwaway CA
 * the test egress trusts; the test egress maps each of `UPSTREAM_HOSTS` to this address and port,
 * and finds no other name.
 */

export const UPSTREAM_DOMAIN = 'bff.test';

/**
 * The names of the domain the suites call. Host overrides are per name, so a suite that calls a
 * new one adds it here (else its calls end in `dns_failed`).
 */
export const UPSTREAM_HOSTS: readonly string[] = ['api', 'other', 'eu.api', 'elsewhere'].map(
  (label) => `${label}.${UPSTREAM_DOMAIN}`,
);

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type UpstreamHandler = (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void;

export interface Upstream {
  /** The 127.x.y.z address it listens on. */
  address: string;
  /** The free port it listens on (the URLs the suites call keep port 443). */
  port: number;
  ca: string;
  requests: SeenRequest[];
  /** Replace to change how the next requests are answered. */
  handler: UpstreamHandler;
  close(): Promise<void>;
}

const DAY = 86_400_000;

let sharedPki: Promise<{ ca: string; key: string; cert: string }> | undefined;

/**
 * The throwaway CA and the `*.bff.test` certificate, one per test process: every loopback HTTPS
 * server of a suite (the upstream, an authorization server) is trusted by the same test egress.
 */
export function testPki(): Promise<{ ca: string; key: string; cert: string }> {
  sharedPki ??= createTestPki();
  return sharedPki;
}

async function createTestPki(): Promise<{ ca: string; key: string; cert: string }> {
  const now = Date.now();
  const validity = { notBeforeDate: new Date(now - DAY), notAfterDate: new Date(now + 7 * DAY) };
  const ca = await generate([{ name: 'commonName', value: 'Aihio BFF test CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ...validity,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: `api.${UPSTREAM_DOMAIN}` }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ...validity,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: `*.${UPSTREAM_DOMAIN}` }] },
    ],
  });
  return { ca: ca.cert, key: leaf.private, cert: leaf.cert };
}

/** Default answers: `/echo…` returns what it received as JSON; anything else `{"ok":true}`. */
export const echoHandler: UpstreamHandler = (_req, res, seen) => {
  res.setHeader('content-type', 'application/json');
  res.setHeader('set-cookie', 'session=upstream-cookie');
  res.setHeader('x-internal-trace', 'abc');
  res.setHeader('etag', '"v1"');
  res.end(JSON.stringify(seen.path.startsWith('/echo') ? seen : { ok: true }));
};

export async function startUpstream(): Promise<Upstream> {
  const pki = await testPki();
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const upstream: Upstream = {
    address: '',
    port: 0,
    ca: pki.ca,
    requests,
    handler: echoHandler,
    close: async () => {},
  };
  const server = createServer({ key: pki.key, cert: pki.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      upstream.handler(req, res, seen);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listening = await listenOnLoopback(server);
  upstream.address = listening.address;
  upstream.port = listening.port;
  upstream.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return upstream;
}
