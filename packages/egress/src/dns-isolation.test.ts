import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LookupAddress } from './dns-lookup';
import { createEgress, type Egress, type EgressResult } from './egress';
import { type DnsResponder, startDnsResponder } from './test-support/dns-responder';
import { createTestPki, type TestPki } from './test-support/pki';
import { type HttpsTestServer, startHttpsServer } from './test-support/servers';

// One workspace's lookups must not fail another's. The egress resolves with its default lookup
// (c-ares) against a real name server on loopback UDP that answers the quiet tenant's zone and
// never answers the hostile zone, as a hostile or broken zone's name server does. With the old
// `dns.lookup` (getaddrinfo on libuv's four shared threads), the hostile lookups held every
// thread for the system resolver's whole timeout and the quiet tenant's lookups queued behind
// them until their own deadline: `dns_failed`.

let pki: TestPki;
let upstream: HttpsTestServer;
let responder: DnsResponder;
const opened: Egress[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  upstream = await startHttpsServer(pki.server, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  responder = await startDnsResponder({
    names: { 'quiet.egress.test': { A: ['127.0.0.1'] } },
    silent: ['hostile.egress.test'],
  });
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((egress) => egress.close()));
});
afterAll(async () => {
  await Promise.all([upstream?.close(), responder?.close()]);
});

const hostileQuestions = () => responder.questions.filter((q) => q.name.endsWith('.hostile.egress.test'));

describe('a hostile DNS zone and the other workspaces', () => {
  it("a zone that never answers, looked up 16 names at a time by one workspace, fails none of another's calls", async () => {
    const egress = createEgress({
      ca: pki.ca.cert,
      policy: {
        dnsServers: [responder.server],
        // The quiet tenant's answer is a loopback address: only these two differ from production.
        allowCidrs: ['127.0.0.1/32'],
        allowedPorts: [upstream.port],
      },
    });
    opened.push(egress);

    // The hostile workspace's whole share, each call to its own name (nothing is shared or cached).
    const hostile = Array.from({ length: 16 }, (_, i) =>
      egress.request(
        { method: 'GET', url: `https://n${i}.hostile.egress.test:${upstream.port}/` },
        { key: 'ws-hostile' },
      ),
    );
    // Its lookups are in flight (getaddrinfo would run at most four at once, c-ares all of them).
    while (hostileQuestions().length < 4) await new Promise((resolve) => setTimeout(resolve, 5));

    const quiet: EgressResult[] = [];
    for (let round = 0; round < 3; round += 1) {
      quiet.push(
        ...(await Promise.all(
          Array.from({ length: 4 }, () =>
            egress.request(
              { method: 'GET', url: `https://quiet.egress.test:${upstream.port}/orders` },
              { key: 'ws-quiet' },
            ),
          ),
        )),
      );
    }
    expect(quiet.map((result) => (result.ok ? result.status : result.code))).toEqual(Array(12).fill(200));

    // The hostile calls fail on their own, as a name that cannot be resolved right now.
    for (const result of await Promise.all(hostile)) {
      expect(result).toMatchObject({
        ok: false,
        code: 'dns_failed',
        message: expect.stringContaining('try again'),
      });
    }
  }, 30_000);
});

describe('a lookup counts against its workspace until it truly ends', () => {
  it('a call answered at its lookup deadline keeps its slot until the lookup ends', async () => {
    // Lookups that outlive their deadline, as getaddrinfo did for a silent zone (about 10 s
    // against our 3): each ends only when the test lets it.
    const gates: ((answers: LookupAddress[]) => void)[] = [];
    const lookup = (hostname: string) =>
      hostname.startsWith('held')
        ? new Promise<LookupAddress[]>((resolve) => gates.push(resolve))
        : Promise.resolve([{ address: '127.0.0.1', family: 4 as const }]);
    const egress = createEgress({
      ca: pki.ca.cert,
      lookup,
      policy: {
        allowCidrs: ['127.0.0.1/32'],
        allowedPorts: [upstream.port],
        maxConcurrentPerKey: 2,
        lookupTimeoutMs: 100,
      },
    });
    opened.push(egress);
    const call = (host: string, key: string) =>
      egress.request({ method: 'GET', url: `https://${host}:${upstream.port}/` }, { key });

    const held = await Promise.all([call('held-1.egress.test', 'ws-h'), call('held-2.egress.test', 'ws-h')]);
    for (const result of held) {
      expect(result).toMatchObject({
        ok: false,
        code: 'dns_failed',
        message: expect.stringContaining('within 100 ms'),
      });
    }
    expect(gates).toHaveLength(2);

    // Both calls were answered, their lookups are still running: the workspace still holds 2.
    expect(egress.inFlight).toBe(2);
    expect(await call('other.egress.test', 'ws-h')).toMatchObject({ ok: false, code: 'overloaded' });
    // Another workspace is not affected.
    expect(await call('other.egress.test', 'ws-q')).toMatchObject({ ok: true, status: 200 });

    for (const open of gates.splice(0)) open([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(egress.inFlight).toBe(0);
    expect(await call('other.egress.test', 'ws-h')).toMatchObject({ ok: true, status: 200 });
  });
});
