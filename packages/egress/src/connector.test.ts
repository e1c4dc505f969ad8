import { once } from 'node:events';
import type { Socket } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedConnector } from './connector';
import { resolvePolicy } from './policy';
import { createTestPki, type TestPki } from './test-support/pki';
import { tableLookup } from './test-support/servers';

// The connector is the choke point: whatever reaches undici (an IP literal, a name, a port),
// it checks again before dialling, so these tests call it directly.
let pki: TestPki;
let server: ReturnType<typeof createServer>;
let port: number;
const seen = { connections: 0, servernames: [] as (string | false | null)[] };
const sockets = new Set<Socket>();

beforeAll(async () => {
  pki = await createTestPki();
  server = createServer({ key: pki.server.key, cert: pki.server.cert }, (socket: TLSSocket) => {
    seen.servernames.push(socket.servername);
    socket.end();
  });
  server.on('connection', (socket: Socket) => {
    seen.connections += 1;
    sockets.add(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server?.close(resolve));
});

function connect(
  hostname: string,
  options: { allowCidrs?: string[]; protocol?: string } = {},
): Promise<{ error: (Error & { code?: string }) | null; socket: Socket | null }> {
  const connector = createGuardedConnector({
    policy: resolvePolicy({ allowedPorts: [port], allowCidrs: options.allowCidrs ?? [] }),
    lookup: tableLookup({ 'api.egress.test': '127.0.0.1' }),
    ca: pki.ca.cert,
  });
  return new Promise((resolve) => {
    connector(
      { hostname, host: `${hostname}:${port}`, protocol: options.protocol ?? 'https:', port: String(port) },
      (error, socket) => resolve({ error, socket }),
    );
  });
}

describe('the guarded connector', () => {
  it.each([
    ['127.0.0.1', 'blocked_destination'],
    ['::1', 'blocked_destination'],
    ['api.egress.test', 'dns_failed'],
    ['localhost', 'blocked_destination'],
    ['metadata.google.internal', 'blocked_destination'],
  ])('refuses %s without the allowlist, and never dials', async (hostname, code) => {
    const before = seen.connections;
    const { error, socket } = await connect(hostname);
    expect(socket).toBeNull();
    expect(error).toMatchObject({ code });
    expect(seen.connections).toBe(before);
  });

  it('refuses anything but https', async () => {
    const { error } = await connect('api.egress.test', { allowCidrs: ['127.0.0.1/32'], protocol: 'http:' });
    expect(error).toMatchObject({ code: 'invalid_url' });
  });

  it('dials the checked address with the host name as SNI', async () => {
    const { error, socket } = await connect('api.egress.test', { allowCidrs: ['127.0.0.1/32'] });
    expect(error).toBeNull();
    expect(socket?.remoteAddress).toBe('127.0.0.1');
    await expect.poll(() => seen.servernames.at(-1)).toBe('api.egress.test');
    socket?.destroy();
  });

  it('sends no SNI for an IP literal and checks the certificate against the address', async () => {
    const { error, socket } = await connect('127.0.0.1', { allowCidrs: ['127.0.0.1/32'] });
    expect(error).toBeNull();
    await expect.poll(() => seen.servernames.at(-1)).toBe(false);
    socket?.destroy();
  });
});
