import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BffClient,
  bffClient,
  invoke,
  invokeCode,
  type LoadBff,
  loadAction,
  type SeededWorkspace,
  seedWorkspace,
  startLoadBff,
  until,
} from './support';
import { type FaultUpstream, startFaultUpstream } from './upstream';

/**
 * One workspace's hanging upstream must not take the service from another. Workspace A fires 200
 * invokes at an upstream that never answers: egress lets A hold its per-workspace bound (16, the
 * production default) and refuses the rest at once with `overloaded` (no queue: the queue limit is
 * zero, so nothing piles up in memory). While A's calls hang, B's invokes run normally; A's held
 * calls then end with `timeout` at the egress deadline.
 */

const PER_WORKSPACE = 16;
const A_CALLS = 200;

let upstream: FaultUpstream;
let bff: LoadBff;
let client: BffClient;
let a: SeededWorkspace;
let b: SeededWorkspace;

beforeAll(async () => {
  upstream = await startFaultUpstream();
  bff = await startLoadBff({
    upstream,
    env: {
      AIHIO_EGRESS_MAX_CONCURRENCY_PER_WORKSPACE: String(PER_WORKSPACE),
      // The production default. Shorter would be a quicker test, but on a busy machine B's
      // rounds (behind A's 200 requests) must finish while A's calls still hang.
      AIHIO_EGRESS_TIMEOUT_MS: '10000',
    },
  });
  client = bffClient(bff.url);
  a = await seedWorkspace(client, 'ws-load-a', [
    loadAction('hanging_lookup', '/hang'),
    loadAction('lookup_order', '/ok'),
  ]);
  b = await seedWorkspace(client, 'ws-load-b', [loadAction('lookup_order', '/ok')]);
});

afterAll(async () => {
  await client?.close();
  await bff?.close();
  await upstream?.close();
});

describe('per-workspace isolation', () => {
  it('A’s hanging upstream at 200 concurrent invokes leaves B working; A gets overloaded, then timeout', async () => {
    const aCodes: string[] = [];
    const aCalls = Array.from({ length: A_CALLS }, () =>
      invoke(client, a, 'hanging_lookup').then((res) => {
        const code = invokeCode(res);
        // A refusal before any call is an HTTP error like the other pre-call refusals.
        if (code === 'overloaded') {
          expect(res.status).toBe(503);
          expect(res.headers['retry-after']).toBe('1');
        }
        aCodes.push(code);
        return code;
      }),
    );

    // A holds exactly its bound at the upstream.
    await until(() => upstream.open === PER_WORKSPACE, 20_000, 'A to fill its bound');

    // B, in three rounds at its own bound, while A's held calls hang and its refusals stream back.
    const bCodes: string[] = [];
    for (let round = 0; round < 3; round += 1) {
      const results = await Promise.all(
        Array.from({ length: PER_WORKSPACE }, (_, i) =>
          invoke(client, b, 'lookup_order', { order_number: `B-${round}-${i}` }),
        ),
      );
      for (const res of results) {
        bCodes.push(invokeCode(res));
        expect(res.json).toMatchObject({ ok: true, status: 200 });
      }
    }
    expect(bCodes).toEqual(Array(3 * PER_WORKSPACE).fill('ok'));
    // Every one of A's held calls was still in flight while B ran.
    expect(upstream.open).toBe(PER_WORKSPACE);
    expect(aCodes).not.toContain('timeout');

    // Everything beyond A's bound was refused with `overloaded`, not queued.
    await until(() => aCodes.length >= A_CALLS - PER_WORKSPACE, 20_000, 'A’s refusals');
    expect(aCodes.slice(0, A_CALLS - PER_WORKSPACE)).toEqual(
      Array(A_CALLS - PER_WORKSPACE).fill('overloaded'),
    );
    expect(bff.egress.inFlight).toBe(PER_WORKSPACE);

    // A's held calls end at the deadline with `timeout`, and egress lets go of them.
    const settled = await Promise.all(aCalls);
    const counts = Object.fromEntries(
      [...new Set(settled)].map((code) => [code, settled.filter((c) => c === code).length]),
    );
    expect(counts).toEqual({ overloaded: A_CALLS - PER_WORKSPACE, timeout: PER_WORKSPACE });
    expect(bff.egress.inFlight).toBe(0);
    await until(() => upstream.open === 0, 5_000, 'the upstream to see the held calls closed');

    // Once its calls are over, A is served again.
    const after = await invoke(client, a, 'lookup_order');
    expect(invokeCode(after)).toBe('ok');
  }, 45_000);
});

/**
 * The same promise against several tenants at once: with a fixed per-workspace bound alone, eight
 * workspaces whose upstreams hang (an attacker with eight accounts, or eight customers with one
 * broken API) would hold all 128 slots of the process. Egress's fair share stops them short of
 * that, and a quiet workspace keeps being served while their calls hang.
 */
describe('many hanging workspaces', () => {
  const HANGING = 8;
  const CALLS_EACH = 40;
  const TOTAL = 128;
  let many: LoadBff;
  let manyClient: BffClient;
  let hanging: SeededWorkspace[];
  let quiet: SeededWorkspace;

  beforeAll(async () => {
    many = await startLoadBff({
      upstream,
      env: {
        // The production defaults, spelled out: what the numbers below are about.
        AIHIO_EGRESS_MAX_CONCURRENCY: String(TOTAL),
        AIHIO_EGRESS_MAX_CONCURRENCY_PER_WORKSPACE: '16',
        AIHIO_EGRESS_TIMEOUT_MS: '6000',
      },
    });
    manyClient = bffClient(many.url);
    hanging = [];
    for (let i = 0; i < HANGING; i += 1) {
      hanging.push(await seedWorkspace(manyClient, `ws-hang-${i}`, [loadAction('hanging_lookup', '/hang')]));
    }
    quiet = await seedWorkspace(manyClient, 'ws-quiet', [loadAction('lookup_order', '/ok')]);
  });
  afterAll(async () => {
    await manyClient?.close();
    await many?.close();
  });

  it('eight hanging workspaces cannot fill the process: a quiet one is still served', async () => {
    let refused = 0;
    const calls = hanging.flatMap((ws) =>
      Array.from({ length: CALLS_EACH }, () =>
        invoke(manyClient, ws, 'hanging_lookup').then((res) => {
          const code = invokeCode(res);
          if (code === 'overloaded') refused += 1;
          return code;
        }),
      ),
    );
    // Every call has either been refused at once or is held at the upstream.
    await until(
      () => refused + many.egress.inFlight === HANGING * CALLS_EACH,
      20_000,
      'the hanging workspaces to take what they may',
    );
    const held = many.egress.inFlight;
    // 88 when their calls interleave, 103 when each workspace fills up before the next: never all.
    expect(held).toBeGreaterThanOrEqual(88);
    expect(held).toBeLessThanOrEqual(103);

    // The quiet workspace, in rounds of 4 concurrent invokes (a share the rule always leaves it).
    for (let round = 0; round < 3; round += 1) {
      const results = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          invoke(manyClient, quiet, 'lookup_order', { order_number: `Q-${round}-${i}` }),
        ),
      );
      for (const res of results) expect(res.json).toMatchObject({ ok: true, status: 200 });
    }
    expect(many.egress.inFlight).toBe(held);

    // The held calls end at the deadline; the rest were refused, none queued.
    const codes = await Promise.all(calls);
    expect(new Set(codes)).toEqual(new Set(['overloaded', 'timeout']));
    expect(codes.filter((code) => code === 'timeout')).toHaveLength(held);
    expect(many.egress.inFlight).toBe(0);
  }, 45_000);
});
