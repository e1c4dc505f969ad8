// Upstream faults at volume: CONCURRENCY agent invokes kept in flight for DURATION seconds
// through the BFF (a production process) against upstreams that drop the connection, trickle,
// hang, send 4 MiB, present a self-signed certificate or answer 503, spread over 32 workspaces
// (the production bound is 16 calls per workspace and 128 in all). Every answer must carry a
// code (`ok` for an upstream response) and come back within the egress deadline; the BFF's
// resident memory is sampled every 100 ms and its peak reported.
//
//   corepack pnpm --filter @aihio/bench invoke:faults
//   knobs: DURATION=20 CONCURRENCY=128 DEADLINE_MS=3000 (AIHIO_EGRESS_TIMEOUT_MS of the BFF)
import {
  benchAction,
  createAction,
  jsonClient,
  rssOf,
  samplePeakRss,
  seedWorkspace,
  startBff,
  startUpstream,
  type Workspace,
} from './bff';

const DURATION = Number(process.env.DURATION ?? 20);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 128);
const DEADLINE_MS = Number(process.env.DEADLINE_MS ?? 3000);
// Enough workspaces, and a process bound of 256 instead of production's 128, that every fault is
// called at volume rather than refused by egress's concurrency bounds (the isolation suite tests
// those): at concurrency 128 each workspace has 4 calls in flight and the process stays half free.
const WORKSPACES = 32;

async function main() {
  const upstream = await startUpstream();
  const bff = await startBff({
    upstream,
    env: { AIHIO_EGRESS_TIMEOUT_MS: String(DEADLINE_MS), AIHIO_EGRESS_MAX_CONCURRENCY: '256' },
  });
  const faults: Record<string, string> = {
    drops: `https://${upstream.address}/reset/{{order_number}}`,
    trickles: `https://${upstream.address}/trickle/{{order_number}}`,
    hangs: `https://${upstream.address}/hang/{{order_number}}`,
    oversized: `https://${upstream.address}/huge/{{order_number}}`,
    bad_certificate: `https://${upstream.badAddress}/ok/{{order_number}}`,
    server_errors: `https://${upstream.address}/status/503/{{order_number}}`,
  };
  const kinds = Object.keys(faults);
  const client = jsonClient(bff.url, CONCURRENCY);
  const workspaces: Workspace[] = [];
  for (let i = 0; i < WORKSPACES; i += 1) {
    const ws = await seedWorkspace(client, `bench-faults-${i}`);
    for (const [identifier, url] of Object.entries(faults)) {
      await createAction(client, ws, benchAction(identifier, url));
    }
    workspaces.push(ws);
  }
  const idleRss = await rssOf(bff.pid);

  const rssSampler = samplePeakRss(bff.pid);

  const counts: Record<string, Record<string, number>> = {};
  const slowest: Record<string, number> = {};
  let calls = 0;
  const until = performance.now() + DURATION * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      let n = worker;
      while (performance.now() < until) {
        const kind = kinds[n % kinds.length]!;
        const ws = workspaces[Math.floor(n / kinds.length) % WORKSPACES]!;
        n += CONCURRENCY;
        const started = performance.now();
        const res = await client.call(
          'POST',
          `/agent/v1/chatbots/${ws.chatbotId}/actions/${kind}/invoke`,
          ws.serviceKey,
          { arguments: { order_number: `F-${n}` } },
        );
        const took = performance.now() - started;
        const body = res.json as { ok?: boolean; status?: number; error?: { code?: string } } | null;
        const code =
          res.status === 200 && body?.ok === true
            ? `ok ${body.status}`
            : (body?.error?.code ?? `no code (HTTP ${res.status})`);
        const row = counts[kind] ?? {};
        row[code] = (row[code] ?? 0) + 1;
        counts[kind] = row;
        slowest[kind] = Math.max(slowest[kind] ?? 0, took);
        calls += 1;
      }
    }),
  );
  const peakRss = rssSampler.stop();

  console.log(
    `upstream faults — ${calls} invokes in ${DURATION} s at concurrency ${CONCURRENCY}, ${WORKSPACES} workspaces, egress deadline ${DEADLINE_MS} ms, node ${process.version}`,
  );
  console.table(
    Object.fromEntries(
      kinds.map((kind) => [
        kind,
        {
          answers: Object.entries(counts[kind] ?? {})
            .map(([code, count]) => `${code} ×${count}`)
            .join(', '),
          'slowest ms': Math.round(slowest[kind] ?? 0),
        },
      ]),
    ),
  );
  const uncoded = Object.values(counts).reduce(
    (sum, row) =>
      sum + Object.entries(row).reduce((s, [code, n]) => s + (code.startsWith('no code') ? n : 0), 0),
    0,
  );
  const overDeadline = Object.values(slowest).filter((ms) => ms > DEADLINE_MS + 1000).length;
  console.log(
    `BFF RSS idle ${(idleRss / 1024 / 1024).toFixed(1)} MiB, peak ${(peakRss / 1024 / 1024).toFixed(1)} MiB; answers without a code: ${uncoded}; fault kinds whose slowest answer exceeded the deadline by > 1 s: ${overDeadline}`,
  );

  await client.close();
  await bff.stop();
  upstream.stop();
}

await main();
