// Shared by the invoke and dashboard benchmarks: the loopback upstream process, the BFF as a
// production process (its real entry point, NODE_ENV=production), a session token, seeding
// through the HTTP API, a throwaway PostgreSQL database, a load loop and percentiles.
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Pool, request } from 'undici';

const BFF_DIR = fileURLToPath(new URL('../../apps/bff/', import.meta.url));
export const JWT_SECRET = 'bench-session-secret-0123456789-abcdefghij';

export interface UpstreamProcess {
  address: string;
  ca: string;
  /** Same answers, on another address, with a self-signed certificate. */
  badAddress: string;
  child: ChildProcess;
  stop(): void;
}

export async function startUpstream(): Promise<UpstreamProcess> {
  const child = fork(fileURLToPath(new URL('./upstream.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    cwd: BFF_DIR,
    stdio: 'inherit',
  });
  const [message] = (await once(child, 'message')) as [{ address: string; ca: string; badAddress: string }];
  return { ...message, child, stop: () => child.kill() };
}

export interface BffProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export interface BffOptions {
  upstream: UpstreamProcess;
  databaseUrl?: string;
  env?: Record<string, string>;
  /** Write a V8 CPU profile of the BFF into this directory when it stops. */
  cpuProfDir?: string;
}

/**
 * The BFF exactly as production starts it (NODE_ENV=production, JSON logs at info on stdout, the
 * production egress policy), except what loopback needs: the upstream's address is allowlisted
 * (confirmed with AIHIO_ALLOW_INSECURE=egress-allowlist, as production demands) and its test CA
 * is added to Node's roots with NODE_EXTRA_CA_CERTS. Actions call the upstream by IP, so the
 * system resolver is not involved.
 */
export async function startBff(options: BffOptions): Promise<BffProcess> {
  const dir = await mkdtemp(path.join(tmpdir(), 'aihio-bench-'));
  const port = await freePort();
  const caFile = path.join(dir, 'ca.pem');
  await writeFile(caFile, options.upstream.ca);
  const args = ['--conditions=@aihio/source', '--import', 'tsx'];
  if (options.cpuProfDir) args.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`);
  const child = spawn(process.execPath, [...args, 'src/main.ts'], {
    cwd: BFF_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      AIHIO_DATA_DIR: path.join(dir, 'data'),
      AIHIO_MASTER_KEY: randomBytes(32).toString('base64'),
      AIHIO_AUTH_MODE: 'jwt',
      AIHIO_JWT_SECRET: JWT_SECRET,
      AIHIO_EGRESS_ALLOWLIST: `${options.upstream.address}/32,${options.upstream.badAddress}/32`,
      AIHIO_ALLOW_INSECURE: 'egress-allowlist',
      // The bench measures the hop, not the per-workspace rate limit: lift it far above the load.
      AIHIO_INVOKE_RATE_LIMIT: '100000000',
      AIHIO_INVOKE_RATE_BURST: '100000',
      NODE_EXTRA_CA_CERTS: caFile,
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  // Logs go to a pipe that is read and thrown away: what a log collector costs the process.
  child.stdout?.resume();
  const url = `http://127.0.0.1:${port}`;
  // Ready when /healthz answers, whatever the log level.
  for (;;) {
    if (exited) throw new Error('the BFF exited before it was ready');
    try {
      const res = await request(`${url}/healthz`);
      await res.body.text();
      if (res.statusCode === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid!,
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A loopback port free right now (the BFF binds it a moment later). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resident memory of a process in bytes (Linux), for sampling a child's peak. */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return kb ? Number(kb[1]) * 1024 : 0;
}

/** Samples a process's resident memory every 100 ms; `stop()` ends it and returns the peak in bytes. */
export function samplePeakRss(pid: number): { stop(): number } {
  let peak = 0;
  const timer = setInterval(() => {
    rssOf(pid).then(
      (rss) => {
        peak = Math.max(peak, rss);
      },
      () => {},
    );
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** CPU time (user + system) a process has used so far, in ms (Linux), to charge a round to it. */
export async function cpuMsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): utime is the 14th field, stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
// USER_HZ, 100 on every Linux that Node supports.
const CLOCK_TICKS = 100;

export interface BareProxyProcess {
  url: string;
  pid: number;
  stop(): void;
}

/** The bare node:http → undici proxy of bare-proxy.ts, the floor of any invoke path. */
export async function startBareProxy(upstream: UpstreamProcess): Promise<BareProxyProcess> {
  const dir = await mkdtemp(path.join(tmpdir(), 'aihio-bare-'));
  const caFile = path.join(dir, 'ca.pem');
  await writeFile(caFile, upstream.ca);
  const port = await freePort();
  const child = fork(fileURLToPath(new URL('./bare-proxy.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    cwd: BFF_DIR,
    stdio: 'inherit',
    env: {
      PATH: process.env.PATH ?? '',
      TARGET: `https://${upstream.address}/ok/ORD-123`,
      CA_FILE: caFile,
      PORT: String(port),
    },
  });
  await once(child, 'message');
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    stop: () => {
      child.kill();
      void rm(dir, { recursive: true, force: true });
    },
  };
}

/** An HS256 session token of the host app: admin of `workspaceId` on the Starter plan. */
export function sessionToken(workspaceId: string): string {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({
    sub: `bench-${workspaceId}`,
    wid: workspaceId,
    wname: workspaceId,
    role: 'admin',
    plan: 'starter',
    iat: now,
    exp: now + 3600,
  })}`;
  return `${body}.${createHmac('sha256', JWT_SECRET).update(body).digest('base64url')}`;
}

/** A small JSON client on one undici Pool. */
export function jsonClient(url: string, connections: number) {
  const pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  async function call(
    method: 'GET' | 'POST' | 'PUT',
    urlPath: string,
    token: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: unknown; etag: string | undefined }> {
    const res = await pool.request({
      method,
      path: urlPath,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.body.text();
    const etag = res.headers.etag;
    return {
      status: res.statusCode,
      json: text ? JSON.parse(text) : null,
      etag: typeof etag === 'string' ? etag : undefined,
    };
  }
  return { call, pool, close: () => pool.close() };
}
export type JsonClient = ReturnType<typeof jsonClient>;

export function benchAction(identifier: string, url: string) {
  return {
    identifier,
    description: `Look up an order (${identifier}).`,
    method: 'GET',
    url,
    headers: [{ name: 'Accept', value: 'application/json' }],
    body: null,
    parameters: [{ name: 'order_number', label: 'Order number', type: 'text', required: true }],
    auth: { type: 'none' },
    requireVerifiedIdentity: false,
    enabled: true,
  };
}

export interface Workspace {
  token: string;
  chatbotId: string;
  serviceKey: string;
}

/** A workspace with a chatbot and a service key, through the dashboard API. */
export async function seedWorkspace(client: JsonClient, workspaceId: string): Promise<Workspace> {
  const token = sessionToken(workspaceId);
  const bot = await client.call('POST', '/api/v1/chatbots', token, { name: 'Bench bot' });
  if (bot.status !== 201) throw new Error(`create chatbot: ${bot.status} ${JSON.stringify(bot.json)}`);
  const key = await client.call('POST', '/api/v1/service-keys', token);
  if (key.status !== 201) throw new Error(`create service key: ${key.status}`);
  return {
    token,
    chatbotId: (bot.json as { id: string }).id,
    serviceKey: (key.json as { key: string }).key,
  };
}

export async function createAction(client: JsonClient, ws: Workspace, action: object): Promise<string> {
  const res = await client.call('POST', `/api/v1/chatbots/${ws.chatbotId}/actions`, ws.token, action);
  if (res.status !== 201) throw new Error(`create action: ${res.status} ${JSON.stringify(res.json)}`);
  return (res.json as { id: string }).id;
}

/** A fresh database on the PostgreSQL server of `baseUrl`, dropped by `drop`. */
export async function createDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `aihio_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await admin(`create database "${name}"`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists "${name}" with (force)`) };
}

/** Run `total` calls of `send` with `concurrency` workers; latencies in ms and the wall time. */
export async function round(
  send: (worker: number) => Promise<void>,
  total: number,
  concurrency: number,
): Promise<{ latencies: Float64Array; seconds: number }> {
  const latencies = new Float64Array(total);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (next < total) {
        const index = next;
        next += 1;
        const t0 = performance.now();
        await send(worker);
        latencies[index] = performance.now() - t0;
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out.sort();
}
