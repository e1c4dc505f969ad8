import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Socket } from 'node:net';
import { createSecureContext } from 'node:tls';
import { generate } from 'selfsigned';
import { listenOnLoopback } from '../../src/test-support/loopback';

/**
 * A hostile "customer API" on loopback for the load and fault suites, on a free port of a random
 * 127.x.y.z address (see `test-support/loopback.ts`: no root needed; the BFF maps each of
 * `LOAD_HOSTS` there). Its certificate, issued by a throwaway CA, names `*.load.test`; a TLS
 * client asking for `badcert.load.test` gets a self-signed certificate instead. The path picks
 * the behaviour:
 *
 * - `/hang…`     accepts the request and never answers
 * - `/reset…`    drops the connection without answering
 * - `/trickle…`  sends headers, then one body byte every 50 ms, forever
 * - `/huge…`     a 4 MiB body (far above the egress response cap)
 * - `/status/N…` an empty-ish answer with status N (5xx storms)
 * - anything else: a small JSON answer naming the path
 */

export const LOAD_DOMAIN = 'load.test';

/** The names of the domain the suites call; the BFF's host map sends each to the upstream. */
export const LOAD_HOSTS: readonly string[] = [`api.${LOAD_DOMAIN}`, `badcert.${LOAD_DOMAIN}`];

export interface FaultUpstream {
  /** The 127.x.y.z address it listens on. */
  address: string;
  /** The free port it listens on (the URLs the suites call keep port 443). */
  port: number;
  /** PEM of the CA that issued its certificate (not the self-signed one). */
  ca: string;
  /** Requests seen, by the first path segment (`hang`, `ok`, …). */
  seen: Map<string, number>;
  /** The Authorization header of each request, in order (tests check a stored credential arrives). */
  authorizations: (string | undefined)[];
  /** Requests the server is holding open right now (`/hang` and `/trickle`). */
  readonly open: number;
  close(): Promise<void>;
}

const DAY = 86_400_000;
const HUGE_BYTES = 4 * 1024 * 1024;

type Pems = { key: string; cert: string };

async function issue(): Promise<{ ca: string; leaf: Pems; selfSigned: Pems }> {
  const now = Date.now();
  const validity = { notBeforeDate: new Date(now - DAY), notAfterDate: new Date(now + 7 * DAY) };
  const names = [{ type: 2 as const, value: `*.${LOAD_DOMAIN}` }];
  const leafExtensions = [
    { name: 'basicConstraints' as const, cA: false },
    { name: 'keyUsage' as const, digitalSignature: true, critical: true },
    { name: 'extKeyUsage' as const, serverAuth: true },
    { name: 'subjectAltName' as const, altNames: names },
  ];
  const ca = await generate([{ name: 'commonName', value: 'Aihio load test CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ...validity,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const [leaf, selfSigned] = await Promise.all([
    generate([{ name: 'commonName', value: `api.${LOAD_DOMAIN}` }], {
      keyType: 'ec',
      algorithm: 'sha256',
      ...validity,
      ca: { key: ca.private, cert: ca.cert },
      extensions: leafExtensions,
    }),
    generate([{ name: 'commonName', value: `badcert.${LOAD_DOMAIN}` }], {
      keyType: 'ec',
      algorithm: 'sha256',
      ...validity,
      extensions: leafExtensions,
    }),
  ]);
  return {
    ca: ca.cert,
    leaf: { key: leaf.private, cert: leaf.cert },
    selfSigned: { key: selfSigned.private, cert: selfSigned.cert },
  };
}

function answer(req: IncomingMessage, res: ServerResponse, held: Set<ServerResponse>): void {
  const path = req.url ?? '/';
  if (path.startsWith('/hang')) {
    held.add(res);
    res.once('close', () => held.delete(res));
    return;
  }
  if (path.startsWith('/reset')) {
    // resetAndDestroy (RST) needs a plain TCP handle; under TLS a drop is what the client sees.
    req.socket.destroy();
    return;
  }
  if (path.startsWith('/trickle')) {
    held.add(res);
    res.writeHead(200, { 'content-type': 'text/plain' });
    const timer = setInterval(() => res.write('.'), 50);
    res.once('close', () => {
      clearInterval(timer);
      held.delete(res);
    });
    return;
  }
  if (path.startsWith('/huge')) {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(HUGE_BYTES) });
    const block = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const pump = () => {
      while (sent < HUGE_BYTES) {
        sent += block.length;
        if (!res.write(block)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
    return;
  }
  const status = /^\/status\/(\d{3})/.exec(path);
  res.writeHead(status ? Number(status[1]) : 200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ path }));
}

export async function startFaultUpstream(): Promise<FaultUpstream> {
  const seen = new Map<string, number>();
  const authorizations: (string | undefined)[] = [];
  const held = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  const pems = await issue();
  const badContext = createSecureContext({ key: pems.selfSigned.key, cert: pems.selfSigned.cert });
  const server = createServer(
    {
      key: pems.leaf.key,
      cert: pems.leaf.cert,
      SNICallback(servername, callback) {
        callback(null, servername.startsWith('badcert.') ? badContext : undefined);
      },
    },
    (req, res) => {
      const first = (req.url ?? '/').split('/')[1] ?? '';
      seen.set(first, (seen.get(first) ?? 0) + 1);
      authorizations.push(req.headers.authorization);
      // Request bodies are small in these suites; read them so keep-alive works.
      req.resume();
      req.once('end', () => answer(req, res, held));
    },
  );
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const { address, port } = await listenOnLoopback(server);
  return {
    address,
    port,
    ca: pems.ca,
    seen,
    authorizations,
    get open() {
      return held.size;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
