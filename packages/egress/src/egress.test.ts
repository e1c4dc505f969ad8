import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEgress, type Egress, type EgressDetail, type EgressOptions } from './egress';
import type { EgressPolicyInput } from './policy';
import { createTestPki, type TestPki } from './test-support/pki';
import { expectFailure, expectOk } from './test-support/results';
import {
  gzipBomb,
  type HttpsTestServer,
  type LoopbackServer,
  startHttpsServer,
  startTcpServer,
  tableLookup,
} from './test-support/servers';

const HOST = 'api.egress.test';
const MB = 1024 * 1024;
const HUGE_BYTES = 100 * MB;
const BOMB_BYTES = 64 * MB;

let pki: TestPki;
let upstream: HttpsTestServer;
let bomb: Buffer;
const huge = { sent: 0, done: Promise.resolve() };
const holds: (() => void)[] = [];
const opened: Egress[] = [];

function streamHuge(res: ServerResponse) {
  huge.sent = 0;
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(HUGE_BYTES) });
  const block = Buffer.alloc(64 * 1024, 0x61);
  // Write only when the socket has drained, so the server holds at most one block and
  // `huge.sent` counts what the client actually pulled through the socket buffers.
  const pump = () => {
    while (huge.sent < HUGE_BYTES) {
      huge.sent += block.length;
      if (!res.write(block)) return;
    }
    res.end();
  };
  huge.done = once(res, 'close').then(() => undefined);
  res.on('drain', pump);
  pump();
}

const routes = (
  req: { url?: string },
  res: ServerResponse,
  seen: { method: string; headers: object; body: string },
) => {
  const path = new URL(req.url ?? '/', 'https://x').pathname;
  const redirect = /^\/redirect\/(\d{3})$/u.exec(path);
  if (redirect) {
    res.writeHead(Number(redirect[1]), { location: `https://${HOST}:${upstream.port}/json` });
    res.end('moved');
    return;
  }
  switch (path) {
    case '/json':
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
      res.end(JSON.stringify({ order: 'ORD-123', status: 'shipped' }));
      return;
    case '/echo':
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: seen.method, headers: seen.headers, body: seen.body }));
      return;
    case '/huge':
      streamHuge(res);
      return;
    case '/gzip-bomb':
      res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
      res.end(bomb);
      return;
    case '/exact':
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(Buffer.alloc(Number(new URL(req.url ?? '/', 'https://x').searchParams.get('n')), 0x62));
      return;
    case '/utf8':
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('päivää €');
      return;
    case '/never':
      return;
    case '/hold':
      holds.push(() => res.end('released'));
      return;
    case '/trickle': {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('.'), 50);
      res.on('close', () => clearInterval(timer));
      return;
    }
    case '/drop-mid':
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    default:
      res.writeHead(404);
      res.end();
  }
};

beforeAll(async () => {
  [pki, bomb] = await Promise.all([createTestPki(), gzipBomb(BOMB_BYTES)]);
  upstream = await startHttpsServer(pki.server, routes);
});

afterEach(async () => {
  for (const release of holds.splice(0)) release();
  await Promise.all(opened.splice(0).map((egress) => egress.close()));
});

afterAll(async () => {
  await upstream?.close();
});

/** The test policy: production's, except the loopback allowlist, the test ports and short timeouts. */
function testPolicy(extra: EgressPolicyInput = {}, ports: number[] = []): EgressPolicyInput {
  return {
    allowCidrs: ['127.0.0.1/32'],
    allowedPorts: [upstream.port, ...ports],
    lookupTimeoutMs: 500,
    connectTimeoutMs: 1_000,
    headersTimeoutMs: 1_000,
    totalTimeoutMs: 2_000,
    ...extra,
  };
}

function testEgress(options: Partial<EgressOptions> = {}): Egress {
  const egress = createEgress({
    ca: pki.ca.cert,
    lookup: tableLookup({ [HOST]: '127.0.0.1' }),
    policy: testPolicy(),
    ...options,
  });
  opened.push(egress);
  return egress;
}

const at = (path: string, port = upstream.port) => `https://${HOST}:${port}${path}`;

describe('calls that succeed', () => {
  it('makes a normal JSON call with the host name kept for Host, SNI and the certificate', async () => {
    const result = expectOk(await testEgress().request({ method: 'GET', url: at('/json') }));
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ order: 'ORD-123', status: 'shipped' });
    expect(result.headers['content-type']).toBe('application/json');
    expect(result.headers['set-cookie']).toBe('a=1, b=2');
    expect(result.truncated).toBe(false);
    expect(result.bodyBytes).toBe(result.body.length);
    expect(result.durationMs).toBeGreaterThan(0);
    expect(upstream.requests.at(-1)?.headers.host).toBe(`${HOST}:${upstream.port}`);
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'] as const)('sends a %s body', async (method) => {
    const body = JSON.stringify({ note: `${method} ✓` });
    const result = expectOk(
      await testEgress().request({
        method,
        url: at('/echo?x=1'),
        headers: { 'Content-Type': 'application/json', 'X-Trace': 'abc' },
        body,
      }),
    );
    expect(result.status).toBe(201);
    const echoed = JSON.parse(result.body);
    expect(echoed.method).toBe(method);
    expect(echoed.body).toBe(body);
    expect(echoed.headers['content-type']).toBe('application/json');
    expect(echoed.headers['x-trace']).toBe('abc');
    expect(echoed.headers['content-length']).toBe(String(Buffer.byteLength(body)));
  });

  it('asks for identity encoding and owns Host, whatever the caller sends', async () => {
    const result = expectOk(
      await testEgress().request({
        method: 'GET',
        url: at('/echo'),
        headers: { 'Accept-Encoding': 'gzip, br', Host: 'internal.example', Connection: 'upgrade' },
      }),
    );
    const echoed = JSON.parse(result.body);
    expect(echoed.headers['accept-encoding']).toBe('identity');
    expect(echoed.headers.host).toBe(`${HOST}:${upstream.port}`);
  });

  it('reaches an allowlisted IP literal (its certificate names the address)', async () => {
    const result = expectOk(
      await testEgress().request({ method: 'GET', url: `https://127.0.0.1:${upstream.port}/json` }),
    );
    expect(result.status).toBe(200);
  });

  it('dials an IPv4-mapped literal as the IPv4 address it carries', async () => {
    const result = await testEgress().request({
      method: 'GET',
      url: `https://[::ffff:127.0.0.1]:${upstream.port}/json`,
    });
    expect(expectOk(result).status).toBe(200);
  });

  it('reaches an allowlisted IPv6 address, by literal and by name', async () => {
    const v6 = await startHttpsServer(pki.server, routes, { host: '::1' });
    try {
      const egress = testEgress({
        lookup: tableLookup({ 'v6.egress.test': '::1' }),
        policy: testPolicy({ allowCidrs: ['::1/128'] }, [v6.port]),
      });
      expect(
        expectOk(await egress.request({ method: 'GET', url: `https://[::1]:${v6.port}/json` })).status,
      ).toBe(200);
      const named = await egress.request({ method: 'GET', url: `https://v6.egress.test:${v6.port}/echo` });
      expect(JSON.parse(expectOk(named).body).headers.host).toBe(`v6.egress.test:${v6.port}`);
      expect(v6.requests.length).toBe(2);
    } finally {
      await v6.close();
    }
  });

  it('decodes UTF-8 and accepts a trailing dot on the host', async () => {
    const lookup = tableLookup({ [HOST]: '127.0.0.1' });
    const result = expectOk(
      await testEgress({ lookup }).request({ method: 'GET', url: `https://${HOST}.:${upstream.port}/utf8` }),
    );
    expect(result.body).toBe('päivää €');
    expect(result.bodyBytes).toBe(Buffer.byteLength('päivää €'));
    expect(lookup.calls).toEqual([HOST]);
  });

  it.each([301, 302, 307, 308])('returns a %i as it is, without following it', async (status) => {
    const before = upstream.requests.length;
    const result = expectOk(await testEgress().request({ method: 'GET', url: at(`/redirect/${status}`) }));
    expect(result.status).toBe(status);
    expect(result.headers.location).toBe(at('/json'));
    expect(upstream.requests.slice(before).map((r) => r.path)).toEqual([`/redirect/${status}`]);
  });
});

describe('response size', () => {
  it('cuts a 100 MB body at the cap, reading only what it keeps, and closes the connection', async () => {
    const cap = 256 * 1024;
    const result = expectOk(await testEgress().request({ method: 'GET', url: at('/huge') }));
    expect(result.truncated).toBe(true);
    expect(result.bodyBytes).toBe(cap);
    expect(result.body.length).toBe(cap);
    // The server stops when the client closes the socket: what it pushed is bounded by socket
    // buffers, not by the body's 100 MB.
    await huge.done;
    expect(huge.sent).toBeLessThan(16 * MB);
  });

  it('keeps a body of exactly the cap whole', async () => {
    const egress = testEgress({ policy: testPolicy({ maxResponseBytes: 1000 }) });
    const exact = expectOk(await egress.request({ method: 'GET', url: at('/exact?n=1000') }));
    expect([exact.truncated, exact.bodyBytes]).toEqual([false, 1000]);
    const over = expectOk(await egress.request({ method: 'GET', url: at('/exact?n=1001') }));
    expect([over.truncated, over.bodyBytes]).toEqual([true, 1000]);
  });

  it('fails with response_too_large instead when the policy says so', async () => {
    const egress = testEgress({ policy: testPolicy({ maxResponseBytes: 1000, onLargeResponse: 'fail' }) });
    const result = expectFailure(await egress.request({ method: 'GET', url: at('/exact?n=5000') }));
    expect(result.code).toBe('response_too_large');
  });

  it('never expands a gzip bomb: the compressed bytes come back as they are', async () => {
    const result = expectOk(await testEgress().request({ method: 'GET', url: at('/gzip-bomb') }));
    expect(bomb.length).toBeLessThan(256 * 1024);
    expect(result.headers['content-encoding']).toBe('gzip');
    expect(result.bodyBytes).toBe(bomb.length);
    expect(result.truncated).toBe(false);
    expect(upstream.requests.at(-1)?.headers['accept-encoding']).toBe('identity');
  });

  it('refuses a request body over the cap without connecting', async () => {
    const before = upstream.connections;
    const egress = testEgress({ policy: testPolicy({ maxRequestBytes: 100 }) });
    const result = expectFailure(
      await egress.request({ method: 'POST', url: at('/echo'), body: 'x'.repeat(101) }),
    );
    expect(result.code).toBe('request_too_large');
    expect(result.message).not.toContain('xxx');
    expect(upstream.connections).toBe(before);
  });
});

describe('servers that misbehave', () => {
  let silent: LoopbackServer;
  let resetting: LoopbackServer;
  let expired: HttpsTestServer;
  let selfSigned: HttpsTestServer;

  beforeAll(async () => {
    [silent, resetting, expired, selfSigned] = await Promise.all([
      startTcpServer(() => {}),
      startTcpServer((socket) => socket.resetAndDestroy()),
      startHttpsServer(pki.expired, routes),
      startHttpsServer(pki.selfSigned, routes),
    ]);
  });

  afterAll(async () => {
    await Promise.all([silent, resetting, expired, selfSigned].map((server) => server?.close()));
  });

  const ports = () => [silent.port, resetting.port, expired.port, selfSigned.port];

  it.each([
    { name: 'a server that never answers the request', path: '/never', code: 'timeout' },
    { name: 'a server that trickles one byte at a time', path: '/trickle', code: 'timeout' },
    { name: 'a server that drops the connection mid-body', path: '/drop-mid', code: 'connect_failed' },
  ])('$name → $code', async ({ path, code }) => {
    const egress = testEgress({ policy: testPolicy({ headersTimeoutMs: 400, totalTimeoutMs: 700 }) });
    const result = expectFailure(await egress.request({ method: 'GET', url: at(path) }));
    expect(result.code).toBe(code);
    expect(result.message).toContain(HOST);
  });

  it.each([
    { name: 'a server that accepts TCP and never does TLS', server: () => silent, code: 'timeout' },
    { name: 'a server that resets the connection', server: () => resetting, code: 'connect_failed' },
    { name: 'an expired certificate', server: () => expired, code: 'tls_failed', says: 'expired' },
    { name: 'a self-signed certificate', server: () => selfSigned, code: 'tls_failed', says: 'self-signed' },
  ])('$name → $code', async ({ server, code, says }) => {
    const egress = testEgress({ policy: testPolicy({ connectTimeoutMs: 300 }, ports()) });
    const result = expectFailure(await egress.request({ method: 'GET', url: at('/json', server().port) }));
    expect(result.code).toBe(code);
    if (says) expect(result.message).toContain(says);
  });

  it('refuses a certificate for another name → tls_failed', async () => {
    const lookup = tableLookup({ 'other.example.org': '127.0.0.1' });
    const result = expectFailure(
      await testEgress({ lookup }).request({
        method: 'GET',
        url: `https://other.example.org:${upstream.port}/json`,
      }),
    );
    expect(result.code).toBe('tls_failed');
  });

  it('does not trust the bundled roots for a private CA unless given it', async () => {
    const egress = createEgress({ lookup: tableLookup({ [HOST]: '127.0.0.1' }), policy: testPolicy() });
    opened.push(egress);
    expect(expectFailure(await egress.request({ method: 'GET', url: at('/json') })).code).toBe('tls_failed');
  });
});

describe('DNS rebinding and the checked address', () => {
  let decoy: LoopbackServer;

  beforeAll(async () => {
    // A listener on another loopback address, standing for the private address a rebinding
    // answer points at. 127.0.0.2 is not in the test allowlist (127.0.0.1/32).
    decoy = await startTcpServer((socket) => socket.destroy(), { host: '127.0.0.2' });
  });
  afterAll(async () => {
    await decoy?.close();
  });

  it('looks the name up once and dials the checked answer, never a later one', async () => {
    let calls = 0;
    const answers = ['127.0.0.1', '127.0.0.2'];
    const lookup = async () => [{ address: answers[Math.min(calls++, 1)]!, family: 4 as const }];
    const before = upstream.requests.length;
    const egress = testEgress({ lookup, policy: testPolicy({}, [decoy.port]) });

    expectOk(await egress.request({ method: 'GET', url: at('/json') }));
    // One lookup for the check and the connection together: a second one would have answered
    // 127.0.0.2, and the decoy would have seen a connection.
    expect(calls).toBe(1);
    expect(upstream.requests.length).toBe(before + 1);
    expect(decoy.connections).toBe(0);
  });

  it('checks the second answer when a new connection needs one, and blocks it', async () => {
    let calls = 0;
    const answers = ['127.0.0.1', '127.0.0.2'];
    const lookup = async () => [{ address: answers[Math.min(calls++, 1)]!, family: 4 as const }];
    const first = testEgress({ lookup });
    expectOk(await first.request({ method: 'GET', url: at('/json') }));
    await first.close();
    // A fresh client (no pooled connection) asks again and gets the private answer.
    const second = testEgress({ lookup });
    const result = expectFailure(await second.request({ method: 'GET', url: at('/json') }));
    expect(result).toMatchObject({
      code: 'dns_failed',
      message: expect.stringContaining('cannot be called'),
    });
    // The address is for the operator's log only.
    expect(result.message).not.toContain('127.0.0.2');
    expect(calls).toBe(2);
    expect(decoy.connections).toBe(0);
  });

  it('falls back to the next checked answer when one cannot be reached', async () => {
    // Nothing listens on [::1] at the upstream's port: that attempt is refused.
    const lookup = tableLookup({ [HOST]: ['::1', '127.0.0.1'] });
    const egress = testEgress({ lookup, policy: testPolicy({ allowCidrs: ['127.0.0.1/32', '::1/128'] }) });
    expect(expectOk(await egress.request({ method: 'GET', url: at('/json') })).status).toBe(200);
    expect(lookup.calls).toEqual([HOST]);
  });

  it('blocks a name when any one of several answers is private, without connecting', async () => {
    const before = upstream.connections;
    const lookup = tableLookup({ [HOST]: ['127.0.0.1', '10.0.0.5'] });
    const details: EgressDetail[] = [];
    const egress = testEgress({ lookup, onDetail: (detail) => details.push(detail) });
    const result = expectFailure(await egress.request({ method: 'GET', url: at('/json') }, { key: 'ws-1' }));
    expect(result.code).toBe('dns_failed');
    expect(result.message).toBe(
      `the host name ${HOST} cannot be called: it does not resolve to a public internet address`,
    );
    expect(details).toEqual([
      {
        key: 'ws-1',
        hostname: HOST,
        code: 'dns_failed',
        message: result.message,
        detail: `${HOST}: resolves to 10.0.0.5, a private network address`,
      },
    ]);
    expect(upstream.connections).toBe(before);
  });

  it('fails with dns_failed when the name does not resolve or the lookup hangs', async () => {
    const missing = expectFailure(
      await testEgress({ lookup: tableLookup({}) }).request({ method: 'GET', url: at('/json') }),
    );
    expect(missing.code).toBe('dns_failed');
    const hanging = testEgress({
      lookup: () => new Promise(() => {}),
      policy: testPolicy({ lookupTimeoutMs: 100 }),
    });
    const result = expectFailure(await hanging.request({ method: 'GET', url: at('/json') }));
    expect(result.code).toBe('dns_failed');
  });
});

describe('cancellation and concurrency', () => {
  it('an AbortSignal cancels a call in flight → aborted', async () => {
    const controller = new AbortController();
    const egress = testEgress();
    const before = upstream.requests.length;
    const pending = egress.request({ method: 'GET', url: at('/never') }, { signal: controller.signal });
    // Abort once the server has the request: the call is in flight, not merely queued.
    while (upstream.requests.length === before) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const result = expectFailure(await pending);
    expect(result.code).toBe('aborted');
    expect(egress.inFlight).toBe(0);
  });

  it('after close, calls fail with aborted and make no connection', async () => {
    const egress = testEgress();
    await egress.close();
    const before = upstream.connections;
    expect(expectFailure(await egress.request({ method: 'GET', url: at('/json') })).code).toBe('aborted');
    expect(upstream.connections).toBe(before);
  });

  it('an already aborted signal makes no connection', async () => {
    const before = upstream.connections;
    const result = expectFailure(
      await testEgress().request({ method: 'GET', url: at('/json') }, { signal: AbortSignal.abort() }),
    );
    expect(result.code).toBe('aborted');
    expect(upstream.connections).toBe(before);
  });

  it('refuses calls beyond the per-key and total bounds at once, and recovers', async () => {
    const egress = testEgress({ policy: testPolicy({ maxConcurrent: 3, maxConcurrentPerKey: 2 }) });
    const hold = (key: string) => egress.request({ method: 'GET', url: at('/hold') }, { key });
    const held = [hold('a'), hold('a')];

    const perKey = expectFailure(await hold('a'));
    expect(perKey.code).toBe('overloaded');
    expect(perKey.message).toContain('at most 2');

    held.push(hold('b'));
    const total = expectFailure(await hold('c'));
    expect(total.code).toBe('overloaded');
    expect(total.message).toContain('at most 3');

    while (holds.length < 3) await new Promise((r) => setTimeout(r, 5));
    for (const release of holds.splice(0)) release();
    for (const result of await Promise.all(held)) expect(expectOk(result).body).toBe('released');
    expect(egress.inFlight).toBe(0);
    expectOk(await egress.request({ method: 'GET', url: at('/json') }, { key: 'a' }));
  });
});

describe('what errors say', () => {
  const secret = 'Bearer sk_live_9f8e7d6c5b4a';
  const body = JSON.stringify({ email: 'visitor@example.com' });

  it.each<[string, { url: () => string; code: string; policy?: EgressPolicyInput }]>([
    ['blocked', { url: () => `https://10.0.0.5:${upstream.port}/orders`, code: 'blocked_destination' }],
    ['dns', { url: () => `https://unknown.example.org:${upstream.port}/orders`, code: 'dns_failed' }],
    [
      'timeout',
      { url: () => at('/never'), code: 'timeout', policy: { headersTimeoutMs: 200, totalTimeoutMs: 300 } },
    ],
    ['too large', { url: () => at('/echo'), code: 'request_too_large', policy: { maxRequestBytes: 10 } }],
  ])('never include request headers or bodies (%s)', async (_name, { url, code, policy }) => {
    const egress = testEgress({ policy: testPolicy(policy) });
    const result = expectFailure(
      await egress.request({ method: 'POST', url: url(), headers: { Authorization: secret }, body }),
    );
    expect(result.code).toBe(code);
    expect(JSON.stringify(result)).not.toContain('sk_live');
    expect(JSON.stringify(result)).not.toContain('visitor@example.com');
  });

  it('rejects a header value with CR/LF as a programming error, without repeating the value', async () => {
    const call = testEgress().request({
      method: 'GET',
      url: at('/json'),
      headers: { 'X-Token': 'sk_live_1\r\nX-Injected: 1' },
    });
    await expect(call).rejects.toThrow(TypeError);
    await expect(call).rejects.not.toThrow('sk_live');
  });
});

describe('the environment has no say', () => {
  let proxy: LoopbackServer;
  const saved = { ...process.env };

  beforeAll(async () => {
    proxy = await startTcpServer((socket) => socket.destroy());
  });
  afterAll(async () => {
    process.env = saved;
    await proxy?.close();
  });

  it('ignores proxy environment variables and the global dispatcher', async () => {
    const proxyUrl = `http://127.0.0.1:${proxy.port}`;
    for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy']) {
      process.env[name] = proxyUrl;
    }
    process.env.NO_PROXY = '';
    const original = getGlobalDispatcher();
    let globalUsed = 0;
    setGlobalDispatcher(
      new Agent({
        connect: (_options, callback) => {
          globalUsed += 1;
          callback(new Error('the global dispatcher must not be used'), null);
        },
      }),
    );
    try {
      const result = expectOk(await testEgress().request({ method: 'GET', url: at('/json') }));
      expect(result.status).toBe(200);
    } finally {
      setGlobalDispatcher(original);
    }
    expect(proxy.connections).toBe(0);
    expect(globalUsed).toBe(0);
  });
});
