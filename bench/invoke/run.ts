// Invoke overhead: an agent invoke through the BFF (a production process) against a loopback
// HTTPS upstream, versus the same GET sent straight to the upstream with a raw undici Agent,
// interleaved in rounds in one run at concurrency 1, 32 and 128.
//
//   corepack pnpm --filter @aihio/bench invoke                       (SQLite store)
//   corepack pnpm --filter @aihio/bench invoke -- --store=postgres   (DATABASE_URL, default local)
//   knobs: ROUNDS=4 REQUESTS=2000 CONCURRENCY=1,32,128 PROFILE=dir (V8 CPU profile of the BFF)
//          LOG_LEVEL=warn (the BFF's AIHIO_LOG_LEVEL; production's default is info)
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Agent, request } from 'undici';
import {
  benchAction,
  concat,
  createAction,
  createDatabase,
  jsonClient,
  percentile,
  round,
  rssOf,
  seedWorkspace,
  startBff,
  startUpstream,
  type Workspace,
} from './bff';

const ROUNDS = Number(process.env.ROUNDS ?? 4);
const REQUESTS = Number(process.env.REQUESTS ?? 2000);
const LEVELS = (process.env.CONCURRENCY ?? '1,32,128').split(',').map(Number);
const STORE = process.argv.includes('--store=postgres') ? 'postgres' : 'sqlite';
// The production default bound is 16 calls per workspace: spread the load over enough
// workspaces (as many chatbots would) that the bound is never what is measured.
const WORKSPACES = 8;

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
    ...(process.env.LOG_LEVEL ? { env: { AIHIO_LOG_LEVEL: process.env.LOG_LEVEL } } : {}),
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

  let peakRss = 0;
  const sampler = setInterval(() => {
    rssOf(bff.pid).then(
      (rss) => {
        peakRss = Math.max(peakRss, rss);
      },
      () => {},
    );
  }, 100);

  const rows: Record<string, Record<string, number | string>> = {};
  for (const concurrency of LEVELS) {
    const total = concurrency === 1 ? Math.max(200, Math.floor(REQUESTS / 4)) : REQUESTS;
    // Warm-up, uncounted: connections, JIT, the keyring and statement caches.
    await round(sendBff, Math.min(total, 500), concurrency);
    await round(sendDirect, Math.min(total, 500), concurrency);
    const samples = { bff: [] as Float64Array[], direct: [] as Float64Array[] };
    const seconds = { bff: 0, direct: 0 };
    const ratios: number[] = [];
    for (let r = 0; r < ROUNDS; r += 1) {
      // Alternate which goes first, so drift on a shared machine hits both alike.
      const order = r % 2 === 0 ? (['bff', 'direct'] as const) : (['direct', 'bff'] as const);
      const perRound: Record<string, number> = {};
      for (const which of order) {
        const result = await round(which === 'bff' ? sendBff : sendDirect, total, concurrency);
        samples[which].push(result.latencies);
        seconds[which] += result.seconds;
        perRound[which] = total / result.seconds;
      }
      ratios.push(perRound.bff! / perRound.direct!);
    }
    const bffAll = concat(samples.bff);
    const directAll = concat(samples.direct);
    const rpsBff = (total * ROUNDS) / seconds.bff;
    const rpsDirect = (total * ROUNDS) / seconds.direct;
    ratios.sort((a, b) => a - b);
    rows[`c=${concurrency}`] = {
      'BFF req/s': Math.round(rpsBff),
      'direct req/s': Math.round(rpsDirect),
      'throughput ratio': Number((rpsBff / rpsDirect).toFixed(2)),
      'median round ratio': Number(ratios[Math.floor(ratios.length / 2)]!.toFixed(2)),
      'BFF p50 ms': Number(percentile(bffAll, 50).toFixed(2)),
      'direct p50 ms': Number(percentile(directAll, 50).toFixed(2)),
      'added p50 ms': Number((percentile(bffAll, 50) - percentile(directAll, 50)).toFixed(2)),
      'BFF p99 ms': Number(percentile(bffAll, 99).toFixed(2)),
      'direct p99 ms': Number(percentile(directAll, 99).toFixed(2)),
    };
  }
  clearInterval(sampler);

  console.log(
    `invoke overhead — store ${STORE}, log level ${process.env.LOG_LEVEL ?? 'info'}, ${ROUNDS} rounds × ${REQUESTS} requests (c=1: ${Math.max(200, Math.floor(REQUESTS / 4))}), ${WORKSPACES} workspaces, node ${process.version}`,
  );
  console.table(rows);
  console.log(`BFF peak RSS ${(peakRss / 1024 / 1024).toFixed(1)} MiB; failed calls: ${failures}`);
  console.log('Goal at c=32: added p50 < 1 ms and throughput ratio ≥ 0.5.');

  await viaBff.close();
  await direct.close();
  await bff.stop();
  upstream.stop();
  await database?.drop();
  if (profileDir) console.log(`CPU profile of the BFF written to ${profileDir}`);
}

await main();
