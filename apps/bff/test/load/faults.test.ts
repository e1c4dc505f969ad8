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
import { type FaultUpstream, LOAD_DOMAIN, startFaultUpstream } from './upstream';

/**
 * Upstream faults at volume: many invokes at once against upstreams that reset the connection,
 * trickle their body, send far more than the cap, present a certificate nobody issued, answer
 * 503 or never answer. Every invoke gets a coded answer (the total deadline ends the slow ones
 * with `timeout`), and afterwards egress holds nothing. Peak memory under the same load is
 * measured by `bench/invoke/faults.ts`, not here.
 */

const PER_FAULT = 12;
const WAVES = 2;

/** Identifier → the path it calls and the outcome every call must have. */
const FAULTS = {
  resets: { path: '/reset', code: 'connect_failed' },
  trickles: { path: '/trickle', code: 'timeout' },
  hangs: { path: '/hang', code: 'timeout' },
  oversized: { path: '/huge', code: 'ok' },
  bad_certificate: { path: '/ok', code: 'tls_failed', host: `badcert.${LOAD_DOMAIN}` },
  server_errors: { path: '/status/503', code: 'ok' },
} as const satisfies Record<string, { path: string; code: string; host?: string }>;

let upstream: FaultUpstream;
let bff: LoadBff;
let client: BffClient;
let ws: SeededWorkspace;

beforeAll(async () => {
  upstream = await startFaultUpstream();
  bff = await startLoadBff({
    upstream,
    env: {
      // Room for every call of a wave at once: this suite is about faults, not the bound.
      AIHIO_EGRESS_MAX_CONCURRENCY_PER_WORKSPACE: '128',
      // Generous: on a busy 2-core machine 72 TLS calls at once take a while to even start.
      AIHIO_EGRESS_TIMEOUT_MS: '2500',
      AIHIO_INVOKE_BODY_BUDGET: '1024',
    },
  });
  client = bffClient(bff.url);
  ws = await seedWorkspace(
    client,
    'ws-faults',
    Object.entries(FAULTS).map(([identifier, fault]) => {
      const action = loadAction(identifier, fault.path);
      return 'host' in fault
        ? { ...action, url: action.url.replace(`api.${LOAD_DOMAIN}`, fault.host) }
        : action;
    }),
  );
});

afterAll(async () => {
  await client?.close();
  await bff?.close();
  await upstream?.close();
});

describe('upstream faults at volume', () => {
  it(`answers ${WAVES} waves of ${PER_FAULT} × ${Object.keys(FAULTS).length} faulty invokes, each with its code`, async () => {
    for (let wave = 0; wave < WAVES; wave += 1) {
      const calls = Object.keys(FAULTS).flatMap((identifier) =>
        Array.from({ length: PER_FAULT }, (_, i) =>
          invoke(client, ws, identifier, { order_number: `W${wave}-${i}` }).then((res) => ({
            identifier,
            res,
          })),
        ),
      );
      const results = await Promise.all(calls);
      const got: Record<string, string[]> = {};
      for (const { identifier, res } of results)
        got[identifier] = [...(got[identifier] ?? []), invokeCode(res)];
      const expected = Object.fromEntries(
        Object.entries(FAULTS).map(([identifier, fault]) => [identifier, Array(PER_FAULT).fill(fault.code)]),
      );
      expect(got).toEqual(expected);

      for (const { identifier, res } of results) {
        if (identifier === 'oversized') {
          // Cut at the response cap by egress, then to the model's budget.
          expect(res.json).toMatchObject({ ok: true, status: 200, truncated: true });
          expect(Buffer.byteLength((res.json as { body: string }).body)).toBeLessThanOrEqual(1024);
        }
        if (identifier === 'server_errors') expect(res.json).toMatchObject({ ok: true, status: 503 });
      }
      expect(bff.egress.inFlight).toBe(0);
    }
    // Nothing is held open at the upstream once the calls are over.
    await until(() => upstream.open === 0, 5_000, 'the upstream to see every held call closed');
  }, 60_000);
});
