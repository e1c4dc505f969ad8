import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEgress, type Egress, type EgressResult } from './egress';
import type { EgressPolicyInput } from './policy';
import { createTestPki, type TestPki } from './test-support/pki';
import { type HttpsTestServer, startHttpsServer, tableLookup } from './test-support/servers';

// Tenants whose upstreams hang must not take the process from a quiet tenant. The hanging
// upstream is a real HTTPS server on loopback that holds each request until the test lets go,
// so every held call keeps a real socket open, as a broken or hostile API would.

let pki: TestPki;
let upstream: HttpsTestServer;
const held: (() => void)[] = [];
const opened: Egress[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  upstream = await startHttpsServer(pki.server, (req, res) => {
    if (req.url === '/hang') {
      held.push(() => res.end('released'));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
});

afterEach(async () => {
  for (const release of held.splice(0)) release();
  await Promise.all(opened.splice(0).map((egress) => egress.close()));
});

afterAll(async () => {
  await upstream?.close();
});

const hangingKeys = (count: number) => Array.from({ length: count }, (_, i) => `ws-hanging-${i}`);
// Each tenant has its own upstream host name (all served by the one loopback server).
const hostOf = (key: string) => `${key}.egress.test`;
const urlOf = (key: string, path: string) => `https://${hostOf(key)}:${upstream.port}${path}`;

function tenantEgress(keys: string[], policy: EgressPolicyInput): Egress {
  const table = Object.fromEntries([...keys, 'ws-quiet'].map((key) => [hostOf(key), '127.0.0.1']));
  const egress = createEgress({
    ca: pki.ca.cert,
    lookup: tableLookup(table),
    policy: {
      allowCidrs: ['127.0.0.1/32'],
      allowedPorts: [upstream.port],
      // Nothing may time out while the test looks: the held calls end when the test releases them.
      headersTimeoutMs: 60_000,
      totalTimeoutMs: 60_000,
      ...policy,
    },
  });
  opened.push(egress);
  return egress;
}

/** Every hanging key asks for `perKey` calls, interleaved, as many visitors at once would. */
function hang(egress: Egress, keys: string[], perKey: number) {
  const refused: EgressResult[] = [];
  const calls: Promise<EgressResult>[] = [];
  for (let round = 0; round < perKey; round += 1) {
    for (const key of keys) {
      const call = egress.request({ method: 'GET', url: urlOf(key, '/hang') }, { key });
      calls.push(
        call.then((result) => {
          if (!result.ok) refused.push(result);
          return result;
        }),
      );
    }
  }
  return { calls, refused };
}

async function untilHeld(count: number): Promise<void> {
  while (held.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
}

const quietCall = (egress: Egress) =>
  egress.request({ method: 'GET', url: urlOf('ws-quiet', '/ok') }, { key: 'ws-quiet' });

describe('fair share of egress slots between tenants', () => {
  it('8 tenants with hanging upstreams (16 calls each) leave room for a quiet tenant at the defaults', async () => {
    const keys = hangingKeys(8);
    const egress = tenantEgress(keys, {});
    const hanging = hang(egress, keys, 16);

    // The hanging tenants stop growing at 11 calls each instead of taking all 128 slots.
    await untilHeld(88);
    expect(egress.inFlight).toBe(88);
    expect(hanging.refused).toHaveLength(128 - 88);
    for (const refusal of hanging.refused) {
      expect(refusal).toMatchObject({
        ok: false,
        code: 'overloaded',
        message:
          'too many calls are already running for this account while the service is busy (at most 11 at once right now); try again shortly',
      });
    }

    // The quiet tenant runs 8 calls at once against its own (healthy) upstream; a 9th is refused.
    const quiet = await Promise.all(Array.from({ length: 9 }, () => quietCall(egress)));
    const answered = quiet.filter((result) => result.ok);
    expect(answered).toHaveLength(8);
    for (const result of answered) expect(result).toMatchObject({ status: 200, body: '{"ok":true}' });
    expect(quiet.find((result) => !result.ok)).toMatchObject({
      code: 'overloaded',
      message: expect.stringContaining('at most 8 at once right now'),
    });

    // The hanging calls were never disturbed: released, they all finish normally.
    expect(held).toHaveLength(88);
    for (const release of held.splice(0)) release();
    const finished = (await Promise.all(hanging.calls)).filter((result) => result.ok);
    expect(finished).toHaveLength(88);
    for (const result of finished) expect(result).toMatchObject({ status: 200, body: 'released' });
    expect(egress.inFlight).toBe(0);

    // With the hanging calls gone the quiet tenant has its whole per-key bound again.
    const after = await Promise.all(Array.from({ length: 16 }, () => quietCall(egress)));
    expect(after.every((result) => result.ok)).toBe(true);
  }, 30_000);

  it('without the fair share (fairShareBelowFree 0), a few hanging tenants lock the quiet one out', async () => {
    const keys = hangingKeys(4);
    const egress = tenantEgress(keys, { maxConcurrent: 8, maxConcurrentPerKey: 2, fairShareBelowFree: 0 });
    const hanging = hang(egress, keys, 2);
    await untilHeld(8);

    expect(await quietCall(egress)).toMatchObject({
      ok: false,
      code: 'overloaded',
      message: 'too many calls are already running (at most 8 at once); try again shortly',
    });

    for (const release of held.splice(0)) release();
    await Promise.all(hanging.calls);
    expect(await quietCall(egress)).toMatchObject({ ok: true, status: 200 });
  });
});
