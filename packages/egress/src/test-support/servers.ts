import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import { createGzip } from 'node:zlib';
import type { LookupFunction } from '../dns-lookup';
import type { KeyPair } from './pki';

/** What a test server saw of one request. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A server on loopback that counts connections and stops everything on `close`. */
export interface LoopbackServer {
  host: string;
  port: number;
  /** TCP connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

export interface HttpsTestServer extends LoopbackServer {
  requests: SeenRequest[];
}

function track(server: HttpsServer | TcpServer, state: { connections: number }): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return sockets;
}

async function listen(server: HttpsServer | TcpServer, host: string, port: number): Promise<number> {
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  return address.port;
}

function closer(server: HttpsServer | TcpServer, sockets: Set<Socket>): () => Promise<void> {
  return async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

export type Handler = (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void;

/** An HTTPS server on `host` (127.0.0.1 unless said otherwise) that records every request. */
export async function startHttpsServer(
  keyPair: KeyPair,
  handler: Handler,
  options: { host?: string; port?: number } = {},
): Promise<HttpsTestServer> {
  const host = options.host ?? '127.0.0.1';
  const requests: SeenRequest[] = [];
  const server = createHttpsServer({ key: keyPair.key, cert: keyPair.cert }, (req, res) => {
    const seen: SeenRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: '',
    };
    requests.push(seen);
    // Routes that never read the body must not stall on it.
    if (req.method === 'GET' || req.method === 'HEAD') {
      handler(req, res, seen);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.body = Buffer.concat(chunks).toString('utf8');
      handler(req, res, seen);
    });
  });
  const result = { host, port: 0, connections: 0, requests, close: async () => {} };
  const sockets = track(server, result);
  result.port = await listen(server, host, options.port ?? 0);
  result.close = closer(server, sockets);
  return result;
}

/** A plain TCP server on loopback; `onConnection` decides what happens to each socket. */
export async function startTcpServer(
  onConnection: (socket: Socket) => void,
  options: { host?: string } = {},
): Promise<LoopbackServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createTcpServer(onConnection);
  const result = { host, port: 0, connections: 0, close: async () => {} };
  const sockets = track(server, result);
  result.port = await listen(server, host, 0);
  result.close = closer(server, sockets);
  return result;
}

/** A lookup from a fixed table, counting its calls; unknown names fail like the system resolver. */
export function tableLookup(table: Record<string, string | string[]>): LookupFunction & { calls: string[] } {
  const calls: string[] = [];
  const lookup = async (hostname: string) => {
    calls.push(hostname);
    const entry = table[hostname];
    if (entry === undefined) throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return (Array.isArray(entry) ? entry : [entry]).map((address) => ({
      address,
      family: address.includes(':') ? (6 as const) : (4 as const),
    }));
  };
  return Object.assign(lookup, { calls });
}

/** Gzip of `size` zero bytes, compressed in a stream so the plain bytes never exist at once. */
export async function gzipBomb(size: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const done = once(gzip, 'end');
  const block = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < size; written += block.length) {
    if (!gzip.write(block)) await once(gzip, 'drain');
  }
  gzip.end();
  await done;
  return Buffer.concat(out);
}
