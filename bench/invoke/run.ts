// Invoke overhead: an agent invoke through the BFF (a production process) against a loopback
// HTTPS upstream, versus the same GET sent straight to the upstream with a raw undici Agent,
// interleaved in rounds in one run at concurrency 1, 32 and 128.
//
//   corepack pnpm --filter @aihio/bench invoke                       (SQLite store)
//   corepack pnpm --filter @aihio/bench invoke -- --store=postgres   (DATABASE_URL, default local)
//   knobs: ROUNDS=4 REQUESTS=2000 CONCURRENCY=1,32,128 PROFILE=dir (V8 CPU profile of the BFF)
//          LOG_LEVEL=warn (the BFF's AIHIO_LOG_LEVEL; production's default is info)
//          BFF_NODE_OPTIONS='--max-semi-space-size=32' (NODE_OPTIONS of the BFF process only)
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Agent, request } from 'undici';
import {
  benchAction,
  concat,
  cpuMsOf,
  createAction,
  createDatabase,
  jsonClient,
  percentile,
  round,
  samplePeakRss,
  seedWorkspace,
  startBareProxy,
  startBff,
  startUpstream,
  type Workspace,
} from './bff';

const ROUNDS = Number(process.env.ROUNDS ?? 4);
const REQUESTS = Number(process.env.REQUESTS ?? 2000);
const LEVELS = (process.env.CONCURRENCY ?? '1,32,128').split(',').map(Number);
const STORE = process.argv.includes('--store=postgres') ? 'postgres' : 'sqlite';
// Spread the load over enough workspaces (as many chatbots would) that no workspace's bound is
// what is measured: 16 calls per workspace in production, less when the process is more than half
// full (egress's fair share). For the same reason the BFF's process-wide bound is raised from 128
// to 256 (AIHIO_EGRESS_MAX_CONCURRENCY), so that at concurrency 128 it stays half free.
const WORKSPACES = 32;

async function main() {
  const upstream = await startUpstream();
  const database =
    STORE === 'postgres'
      ? await createDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test')
      : null;
  const profileDir = process.env.PROFILE ? path.resolve(process.env.PROFILE) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const bff = await startBff({
    upstream,
    ...(database ? { databaseUrl: database.url } : {}),
    ...(profileDir ? { cpuProfDir: profileDir } : {}),
    env: {
      AIHIO_EGRESS_MAX_CONCURRENCY: '256',
      ...(process.env.LOG_LEVEL ? { AIHIO_LOG_LEVEL: process.env.LOG_LEVEL } : {}),
      ...(process.env.BFF_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BFF_NODE_OPTIONS } : {}),
    },
  });
  const maxConcurrency = Math.max(...LEVELS);
  const setup = jsonClient(bff.url, 4);
  const workspaces: Workspace[] = [];
  for (let i = 0; i < WORKSPACES; i += 1) {
    const ws = await seedWorkspace(setup, `bench-ws-${i}`);
    await createAction(
      setup,
      ws,
      benchAction('lookup_order', `https://${upstream.address}/ok/{{order_number}}`),
    );
    workspaces.push(ws);
  }
  await setup.close();

  const viaBff = jsonClient(bff.url, maxConcurrency);
  const invokeBody = JSON.stringify({ arguments: { order_number: 'ORD-123' } });
  let failures = 0;
  const sendBff = async (worker: number) => {
    const ws = workspaces[worker % WORKSPACES]!;
    const res = await viaBff.pool.request({
      method: 'POST',
      path: `/agent/v1/chatbots/${ws.chatbotId}/actions/lookup_order/invoke`,
      headers: { authorization: `Bearer ${ws.serviceKey}`, 'content-type': 'application/json' },
      body: invokeBody,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200 || !text.startsWith('{"ok":true')) failures += 1;
  };
  const direct = new Agent({ connect: { ca: upstream.ca }, keepAliveTimeout: 60_000, pipelining: 1 });
  const directUrl = `https://${upstream.address}/ok/ORD-123`;
  const sendDirect = async () => {
    const res = await request(directUrl, { dispatcher: direct, headers: { accept: 'application/json' } });
    await res.body.text();
    if (res.statusCode !== 200) failures += 1;
  };

  const bare = await startBareProxy(upstream);
  const viaBare = jsonClient(bare.url, maxConcurrency);
  const sendBare = async () => {
    const res = await viaBare.pool.request({
      method: 'POST',
      path: '/invoke',
      headers: { 'content-type': 'application/json' },
      body: invokeBody,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200 || !text.startsWith('{"ok":true')) failures += 1;
  };

  const rssSampler = samplePeakRss(bff.pid);

  type Contender = 'bff' | 'bare' | 'direct';
  const send: Record<Contender, (worker: number) => Promise<void>> = {
    bff: sendBff,
    bare: sendBare,
    direct: sendDirect,
  };
  // The process a contender's requests are charged to, for CPU per request (direct has none in between).
  const pidOf: Partial<Record<Contender, number>> = { bff: bff.pid, bare: bare.pid };
  const orders: Contender[][] = [
    ['bff', 'bare', 'direct'],
    ['direct', 'bff', 'bare'],
    ['bare', 'direct', 'bff'],
  ];

  const rows: Record<string, Record<string, number | string>> = {};
  for (const concurrency of LEVELS) {
    const total = concurrency === 1 ? Math.max(200, Math.floor(REQUESTS / 4)) : REQUESTS;
    // Warm-up, uncounted: connections, JIT, the keyring and statement caches.
    for (const which of orders[0]!) await round(send[which], Math.min(total, 500), concurrency);
    const samples: Record<Contender, Float64Array[]> = { bff: [], bare: [], direct: [] };
    const seconds: Record<Contender, number> = { bff: 0, bare: 0, direct: 0 };
    const cpuMs: Record<Contender, number> = { bff: 0, bare: 0, direct: 0 };
    const ratios: number[] = [];
    for (let r = 0; r < ROUNDS; r += 1) {
      // Rotate which goes first, so drift on a shared machine hits all alike.
      const perRound: Partial<Record<Contender, number>> = {};
      for (const which of orders[r % orders.length]!) {
        const pid = pidOf[which];
        const cpuBefore = pid ? await cpuMsOf(pid) : 0;
        const result = await round(send[which], total, concurrency);
        if (pid) cpuMs[which] += (await cpuMsOf(pid)) - cpuBefore;
        samples[which].push(result.latencies);
        seconds[which] += result.seconds;
        perRound[which] = total / result.seconds;
      }
      ratios.push(perRound.bff! / perRound.direct!);
    }
    const all = { bff: concat(samples.bff), bare: concat(samples.bare), direct: concat(samples.direct) };
    const rps = (which: Contender) => (total * ROUNDS) / seconds[which];
    const p = (which: Contender, q: number) => Number(percentile(all[which], q).toFixed(2));
    const perRequest = (which: Contender) => Number((cpuMs[which] / (total * ROUNDS)).toFixed(3));
    ratios.sort((a, b) => a - b);
    rows[`c=${concurrency}`] = {
      'BFF req/s': Math.round(rps('bff')),
      'bare req/s': Math.round(rps('bare')),
      'direct req/s': Math.round(rps('direct')),
      'BFF/direct': Number((rps('bff') / rps('direct')).toFixed(2)),
      'median round BFF/direct': Number(ratios[Math.floor(ratios.length / 2)]!.toFixed(2)),
      'BFF/bare': Number((rps('bff') / rps('bare')).toFixed(2)),
      'BFF p50': p('bff', 50),
      'bare p50': p('bare', 50),
      'direct p50': p('direct', 50),
      'BFF added p50': Number((p('bff', 50) - p('direct', 50)).toFixed(2)),
      'BFF p99': p('bff', 99),
      'direct p99': p('direct', 99),
      'BFF CPU ms/req': perRequest('bff'),
      'bare CPU ms/req': perRequest('bare'),
    };
  }
  const peakRss = rssSampler.stop();

  console.log(
    `invoke overhead — store ${STORE}, log level ${process.env.LOG_LEVEL ?? 'info'}, ${ROUNDS} rounds × ${REQUESTS} requests (c=1: ${Math.max(200, Math.floor(REQUESTS / 4))}), ${WORKSPACES} workspaces, node ${process.version}`,
  );
  console.log(
    'latencies in ms; bare = a node:http → undici proxy with no checks, the floor of any second hop',
  );
  console.table(rows);
  console.log(`BFF peak RSS ${(peakRss / 1024 / 1024).toFixed(1)} MiB; failed calls: ${failures}`);
  console.log('Goal at c=32: added p50 < 1 ms and throughput ratio ≥ 0.5.');

  await viaBare.close();
  bare.stop();
  await viaBff.close();
  await direct.close();
  await bff.stop();
  upstream.stop();
  await database?.drop();
  if (profileDir) console.log(`CPU profile of the BFF written to ${profileDir}`);
}

await main();
