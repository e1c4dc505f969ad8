// Egress benchmark: the guarded client against (a) a raw undici Agent with the same keep-alive and
// (b) request-filtering-agent on node:https, each sending the same small GETs at concurrency 32
// to a loopback HTTPS server (its own process), interleaved in rounds in one run.
//
//   corepack pnpm --filter @aihio/bench egress            (ROUNDS=8 REQUESTS=2000 CONCURRENCY=32)
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction as NetLookup } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createEgress } from '@aihio/egress';
import { RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { Agent, request as undiciRequest } from 'undici';
import { issueServerCertificate } from '../lib/pki';

const ROUNDS = Number(process.env.ROUNDS ?? 8);
const REQUESTS = Number(process.env.REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);
// Longer than a round takes on a busy machine, so no client loses its connections between rounds.
const KEEP_ALIVE_MS = 30_000;
const HOST = 'bench.egress.test';

type Send = () => Promise<void>;
interface Client {
  name: string;
  send: Send;
  close(): Promise<void>;
}

// Every client reaches the bench host name at 127.0.0.1 through its own lookup hook.
const netLookup = ((
  _hostname: string,
  options: { all?: boolean },
  callback: (...args: unknown[]) => void,
) => {
  if (options?.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
}) as unknown as NetLookup;

function guarded(ca: string, port: number): Client {
  const egress = createEgress({
    ca,
    lookup: async () => [{ address: '127.0.0.1', family: 4 }],
    policy: {
      allowCidrs: ['127.0.0.1/32'],
      allowedPorts: [port],
      maxConcurrent: 256,
      maxConcurrentPerKey: 256,
    },
    keepAliveTimeoutMs: KEEP_ALIVE_MS,
  });
  const url = `https://${HOST}:${port}/order`;
  return {
    name: 'guarded (@aihio/egress)',
    async send() {
      const result = await egress.request({ method: 'GET', url }, { key: 'bench' });
      if (!result.ok || result.status !== 200) throw new Error(`guarded: ${JSON.stringify(result)}`);
    },
    close: () => egress.close(),
  };
}

function rawUndici(ca: string, port: number): Client {
  const agent = new Agent({
    connect: { ca, lookup: netLookup },
    keepAliveTimeout: KEEP_ALIVE_MS,
    pipelining: 1,
  });
  const url = `https://${HOST}:${port}/order`;
  return {
    name: 'raw undici Agent',
    async send() {
      const response = await undiciRequest(url, {
        dispatcher: agent,
        headers: { 'accept-encoding': 'identity' },
      });
      await response.body.text();
      if (response.statusCode !== 200) throw new Error(`raw: ${response.statusCode}`);
    },
    close: () => agent.close(),
  };
}

function peer(ca: string, port: number): Client {
  const agent = new RequestFilteringHttpsAgent({
    ca,
    keepAlive: true,
    // node:https's keep-alive idle timeout is the socket timeout; maxSockets matches concurrency.
    timeout: KEEP_ALIVE_MS,
    maxSockets: CONCURRENCY,
    allowIPAddressList: ['127.0.0.1'],
  });
  return {
    name: 'request-filtering-agent',
    send: () =>
      new Promise<void>((resolve, reject) => {
        const req = httpsRequest(
          {
            host: HOST,
            port,
            path: '/order',
            agent,
            lookup: netLookup,
            headers: { 'accept-encoding': 'identity' },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              Buffer.concat(chunks).toString('utf8');
              if (res.statusCode === 200) resolve();
              else reject(new Error(`peer: ${res.statusCode}`));
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end();
      }),
    async close() {
      agent.destroy();
    },
  };
}

/** Send `total` requests with `concurrency` in flight; returns elapsed ms and each latency. */
async function round(send: Send, total: number, concurrency: number) {
  const latencies = new Float64Array(total);
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const index = next++;
      const t0 = performance.now();
      await send();
      latencies[index] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { elapsedMs, cpuUs: cpu.user + cpu.system, latencies };
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main() {
  const { ca, key, cert } = await issueServerCertificate('egress bench CA', HOST);
  const server = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), { stdio: 'inherit' });
  server.send({ key, cert });
  const [{ port }] = (await once(server, 'message')) as [{ port: number }];

  const handshakes = async () => {
    server.send('handshakes');
    const [reply] = (await once(server, 'message')) as [{ handshakes: number }];
    return reply.handshakes;
  };
  const clients = [guarded(ca, port), rawUndici(ca, port), peer(ca, port)];
  const stats = clients.map(() => ({
    elapsedMs: 0,
    cpuUs: 0,
    handshakes: 0,
    requests: 0,
    latencies: [] as Float64Array[],
    roundRates: [] as number[],
  }));
  try {
    // Warm-up, not counted: connections, TLS sessions and the JIT (each client's code paths get
    // optimized only after a few thousand calls).
    for (let w = 0; w < 2; w += 1) {
      for (const client of clients) await round(client.send, REQUESTS, CONCURRENCY);
    }
    for (let r = 0; r < ROUNDS; r += 1) {
      // Rotate the order so no client always runs first (or last) in a round.
      for (let i = 0; i < clients.length; i += 1) {
        const index = (i + r) % clients.length;
        const before = await handshakes();
        const result = await round(clients[index]!.send, REQUESTS, CONCURRENCY);
        const stat = stats[index]!;
        stat.handshakes += (await handshakes()) - before;
        stat.elapsedMs += result.elapsedMs;
        stat.cpuUs += result.cpuUs;
        stat.roundRates.push((REQUESTS / result.elapsedMs) * 1000);
        stat.requests += REQUESTS;
        stat.latencies.push(result.latencies);
      }
    }
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    server.disconnect();
    server.kill();
  }

  const rows = clients.map((client, index) => {
    const stat = stats[index]!;
    const all = new Float64Array(stat.requests);
    let offset = 0;
    for (const part of stat.latencies) {
      all.set(part, offset);
      offset += part.length;
    }
    all.sort();
    return {
      client: client.name,
      'req/s': Math.round((stat.requests / stat.elapsedMs) * 1000),
      'p50 ms': Number(percentile(all, 50).toFixed(2)),
      'p99 ms': Number(percentile(all, 99).toFixed(2)),
      'client CPU µs/req': Math.round(stat.cpuUs / stat.requests),
      'TLS handshakes': stat.handshakes,
    };
  });
  console.log(
    `egress bench: ${ROUNDS} interleaved rounds × ${REQUESTS} GETs per client, concurrency ${CONCURRENCY}, ` +
      `loopback HTTPS, keep-alive ${KEEP_ALIVE_MS} ms, node ${process.version}`,
  );
  console.table(rows);
  const [g, raw, p] = rows.map((row) => row['req/s']) as [number, number, number];
  // Per-round ratios (each pair measured back to back) are steadier than the totals on a busy
  // machine; the median of them is printed beside the ratio of the totals.
  const median = (values: number[]) =>
    [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? Number.NaN;
  const perRound = (other: number) =>
    median(stats[0]!.roundRates.map((rate, r) => rate / (stats[other]!.roundRates[r] ?? Number.NaN)));
  const [gCpu, rawCpu, pCpu] = rows.map((row) => row['client CPU µs/req']) as [number, number, number];
  console.log(
    `guarded / raw undici  = ${(g / raw).toFixed(3)} req/s (median per round ${perRound(1).toFixed(3)}; goal ≥ 0.90), ` +
      `CPU per request ${(gCpu / rawCpu).toFixed(3)}×`,
  );
  console.log(
    `guarded / peer        = ${(g / p).toFixed(3)} req/s (median per round ${perRound(2).toFixed(3)}; goal > 1), ` +
      `CPU per request ${(gCpu / pCpu).toFixed(3)}×`,
  );
}

await main();
