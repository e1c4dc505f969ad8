// Dashboard API with 1,000 actions in one chatbot: list (all 1,000 with their last runs), read
// one, and update one (PUT with If-Match, each worker on its own actions so no edit conflicts),
// each for a fixed number of requests at a fixed concurrency, through the BFF as a production
// process. There is no outside baseline for these: the figures are absolute, with `read` as the
// in-run reference for what one authenticated round trip costs.
//
//   corepack pnpm --filter @aihio/bench dashboard                       (SQLite store)
//   corepack pnpm --filter @aihio/bench dashboard -- --store=postgres   (DATABASE_URL, default local)
//   knobs: ACTIONS=1000 CONCURRENCY=8 REQUESTS=400 (list: a quarter of it)
import {
  benchAction,
  concat,
  createAction,
  createDatabase,
  jsonClient,
  percentile,
  round,
  samplePeakRss,
  seedWorkspace,
  startBff,
  startUpstream,
} from '../invoke/bff';

const ACTIONS = Number(process.env.ACTIONS ?? 1000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
const REQUESTS = Number(process.env.REQUESTS ?? 400);
const STORE = process.argv.includes('--store=postgres') ? 'postgres' : 'sqlite';

async function main() {
  const upstream = await startUpstream();
  const database =
    STORE === 'postgres'
      ? await createDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test')
      : null;
  const bff = await startBff({ upstream, ...(database ? { databaseUrl: database.url } : {}) });
  const client = jsonClient(bff.url, CONCURRENCY);
  const ws = await seedWorkspace(client, 'bench-dashboard');
  const url = `https://${upstream.address}/ok/{{order_number}}`;

  const seedStarted = performance.now();
  const ids: string[] = new Array(ACTIONS);
  let nextSeed = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (nextSeed < ACTIONS) {
        const index = nextSeed;
        nextSeed += 1;
        ids[index] = await createAction(client, ws, benchAction(`action_${index}`, url));
      }
    }),
  );
  const seedSeconds = (performance.now() - seedStarted) / 1000;

  const base = `/api/v1/chatbots/${ws.chatbotId}/actions`;
  const versions = new Map<string, string>();
  let failures = 0;
  const check = (status: number, expected: number) => {
    if (status !== expected) failures += 1;
  };

  const list = async () => {
    const res = await client.call('GET', base, ws.token);
    check(res.status, 200);
    if ((res.json as { actions: unknown[] }).actions.length !== ACTIONS) failures += 1;
  };
  let readCursor = 0;
  const read = async () => {
    const id = ids[readCursor++ % ACTIONS]!;
    check((await client.call('GET', `${base}/${id}`, ws.token)).status, 200);
  };
  const updateCursor = new Array(CONCURRENCY).fill(0);
  const update = async (worker: number) => {
    // Worker w edits actions w, w + C, w + 2C, …: never two edits of one action at once.
    const index = (worker + CONCURRENCY * updateCursor[worker]!++) % ACTIONS;
    const id = ids[index]!;
    const etag = versions.get(id) ?? '"1"';
    const res = await client.call(
      'PUT',
      `${base}/${id}`,
      ws.token,
      { ...benchAction(`action_${index}`, url), description: `Edited at ${Date.now()}.` },
      { 'if-match': etag },
    );
    check(res.status, 200);
    if (res.etag) versions.set(id, res.etag);
  };

  const rssSampler = samplePeakRss(bff.pid);

  const rows: Record<string, Record<string, number>> = {};
  const scenarios: [string, (worker: number) => Promise<void>, number][] = [
    ['list (1,000 actions)', list, Math.max(20, Math.floor(REQUESTS / 4))],
    ['read one', read, REQUESTS],
    ['update one', update, REQUESTS],
  ];
  for (const [name, send, total] of scenarios) {
    await round(send, Math.min(total, 50), CONCURRENCY);
    const result = await round(send, total, CONCURRENCY);
    const sorted = concat([result.latencies]);
    rows[name] = {
      'req/s': Number((total / result.seconds).toFixed(1)),
      'p50 ms': Number(percentile(sorted, 50).toFixed(2)),
      'p99 ms': Number(percentile(sorted, 99).toFixed(2)),
      requests: total,
    };
  }
  const peakRss = rssSampler.stop();

  console.log(
    `dashboard API — store ${STORE}, ${ACTIONS} actions in one chatbot (seeded in ${seedSeconds.toFixed(1)} s), concurrency ${CONCURRENCY}, node ${process.version}`,
  );
  console.table(rows);
  console.log(`BFF peak RSS ${(peakRss / 1024 / 1024).toFixed(1)} MiB; failed requests: ${failures}`);

  await client.close();
  await bff.stop();
  upstream.stop();
  await database?.drop();
}

await main();
