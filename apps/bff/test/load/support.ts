import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ActionDefinition } from '@aihio/actions-core';
import { routePath } from '@aihio/actions-core';
import { createEgress, type Egress } from '@aihio/egress';
import { SignJWT } from 'jose';
import type { DestinationStream } from 'pino';
import { Agent, request } from 'undici';
import { createApp } from '../../src/app';
import { type Config, loadConfig } from '../../src/config';
import { loadKeyring } from '../../src/crypto';
import { createLogger } from '../../src/http/logger';
import { listen, type RunningServer } from '../../src/server';
import { createStore } from '../../src/store';
import type { Store } from '../../src/store/types';
import { devHostMap } from '../../src/test-support/loopback';
import { type FaultUpstream, LOAD_DOMAIN, LOAD_HOSTS } from './upstream';

/**
 * The BFF as it runs in production, in this process and listening on a loopback port: the real
 * store (a temporary SQLite file, or PostgreSQL), keyring, egress and HTTP stack. The egress
 * differs from production only in what loopback needs: the upstream's address is allowlisted,
 * `LOAD_HOSTS` are mapped to its address and port (`AIHIO_DEV_HOST_MAP`), its CA is trusted, and
 * the lookup finds no other name.
 */

export const LOAD_JWT_SECRET = 'load-suite-session-secret-0123456789abcdef';

export interface LoadBff {
  url: string;
  config: Config;
  store: Store;
  egress: Egress;
  /** The SQLite file, or null on PostgreSQL. */
  sqlitePath: string | null;
  close(): Promise<void>;
}

export interface LoadBffOptions {
  upstream: FaultUpstream;
  /** Environment overrides (AIHIO_EGRESS_TIMEOUT_MS, …). */
  env?: Record<string, string>;
  /** PostgreSQL instead of a temporary SQLite file. */
  postgres?: { url: string; schema?: string; statementTimeoutMs?: number; connectTimeoutMs?: number };
  /** The master key; default a fresh one (instances sharing a database must share it). */
  masterKey?: Buffer;
  /** Where logs go; default nowhere (level silent unless `env` says otherwise). */
  logDestination?: DestinationStream;
}

export async function startLoadBff(options: LoadBffOptions): Promise<LoadBff> {
  const { upstream } = options;
  const dir = await mkdtemp(path.join(tmpdir(), 'aihio-load-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    AIHIO_AUTH_MODE: 'jwt',
    AIHIO_JWT_SECRET: LOAD_JWT_SECRET,
    AIHIO_DATA_DIR: dir,
    AIHIO_DEV_HOST_MAP: devHostMap(LOAD_HOSTS, upstream),
    AIHIO_LOG_LEVEL: 'silent',
    // Load suites measure the process under floods; the rate limit's own tests set it low.
    AIHIO_INVOKE_RATE_LIMIT: '100000000',
    AIHIO_INVOKE_RATE_BURST: '1000000',
    ...options.env,
  });
  const logger = createLogger({
    level: config.logLevel,
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const sqlitePath = options.postgres ? null : path.join(dir, 'aihio.db');
  const store = await createStore(
    options.postgres
      ? {
          url: options.postgres.url,
          ...(options.postgres.schema ? { pgSchema: options.postgres.schema } : {}),
          ...(options.postgres.statementTimeoutMs
            ? { pgStatementTimeoutMs: options.postgres.statementTimeoutMs }
            : {}),
          ...(options.postgres.connectTimeoutMs
            ? { pgConnectTimeoutMs: options.postgres.connectTimeoutMs }
            : {}),
        }
      : { sqlitePath: sqlitePath! },
  );
  const keyring = await loadKeyring(store, options.masterKey ?? randomBytes(32));
  const egress = createEgress({
    policy: config.egress,
    ca: upstream.ca,
    lookup: async () => [],
  });
  const app = createApp({ config, store, keyring, egress, logger });
  const running: RunningServer = await listen(app, { port: 0, host: '127.0.0.1', logger });
  return {
    url: running.url,
    config,
    store,
    egress,
    sqlitePath,
    async close() {
      await running.close(1_000);
      await egress.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A session token of the host app for `workspaceId`, as an admin on the Starter plan. */
export function sessionToken(workspaceId: string, plan = 'starter'): Promise<string> {
  return new SignJWT({ wid: workspaceId, wname: `Workspace ${workspaceId}`, role: 'admin', plan })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`user-${workspaceId}`)
    .setIssuedAt()
    .setExpirationTime('30m')
    .sign(new TextEncoder().encode(LOAD_JWT_SECRET));
}

/** An HTTP client to a BFF: no connection limit, so the suites control concurrency themselves. */
export function bffClient(baseUrl: string) {
  const dispatcher = new Agent({ connections: null, keepAliveTimeout: 30_000, pipelining: 1 });
  async function call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    urlPath: string,
    options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; headers: Record<string, string>; json: unknown; text: string }> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    const res = await request(`${baseUrl}${urlPath}`, { method, headers, body, dispatcher });
    const text = await res.body.text();
    let json: unknown = null;
    try {
      json = text.length > 0 ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    const flat: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: res.statusCode, headers: flat, json, text };
  }
  return { call, close: () => dispatcher.close() };
}
export type BffClient = ReturnType<typeof bffClient>;

export interface SeededWorkspace {
  workspaceId: string;
  token: string;
  chatbotId: string;
  serviceKey: string;
  /** Action ids by identifier. */
  actions: Record<string, string>;
}

/** A valid action calling `https://api.load.test<path>` with one required text parameter. */
export function loadAction(identifier: string, urlPath: string, overrides: Partial<ActionDefinition> = {}) {
  return {
    identifier,
    description: `Load-suite action ${identifier}.`,
    method: 'GET',
    url: `https://api.${LOAD_DOMAIN}${urlPath}/{{order_number}}`,
    headers: [{ name: 'Accept', value: 'application/json' }],
    body: null,
    parameters: [{ name: 'order_number', label: 'Order number', type: 'text', required: true }],
    auth: { type: 'none' },
    requireVerifiedIdentity: false,
    enabled: true,
    ...overrides,
  } satisfies ActionDefinition;
}

/** A workspace with one chatbot, a service key and the given actions, all through the HTTP API. */
export async function seedWorkspace(
  client: BffClient,
  workspaceId: string,
  actions: ActionDefinition[],
): Promise<SeededWorkspace> {
  const token = await sessionToken(workspaceId);
  const expectStatus = (res: { status: number; text: string }, status: number, what: string) => {
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.text}`);
  };
  const bot = await client.call('POST', routePath('chatbots'), { token, body: { name: 'Load bot' } });
  expectStatus(bot, 201, 'create chatbot');
  const chatbotId = (bot.json as { id: string }).id;
  const key = await client.call('POST', routePath('serviceKeys'), { token });
  expectStatus(key, 201, 'create service key');
  const ids: Record<string, string> = {};
  for (const action of actions) {
    const res = await client.call('POST', routePath('actions', { chatbotId }), { token, body: action });
    expectStatus(res, 201, `create action ${action.identifier}`);
    ids[action.identifier] = (res.json as { id: string }).id;
  }
  return { workspaceId, token, chatbotId, serviceKey: (key.json as { key: string }).key, actions: ids };
}

/**
 * The error code of an invoke, wherever it is: a refused call is an HTTP error envelope, a call
 * egress could not complete is a 200 `{ ok: false, error }`. `ok` for a response of the upstream.
 */
export function invokeCode(res: { status: number; json: unknown }): string {
  const body = res.json as { ok?: boolean; error?: { code?: unknown }; status?: unknown } | null | undefined;
  if (res.status === 200 && body?.ok === true) return 'ok';
  const code = body?.error?.code;
  return typeof code === 'string' ? code : `no code (HTTP ${res.status})`;
}

export function invoke(
  client: BffClient,
  ws: SeededWorkspace,
  identifier: string,
  args: Record<string, unknown> = { order_number: 'A-1' },
) {
  return client.call('POST', routePath('agentInvoke', { chatbotId: ws.chatbotId, identifier }), {
    token: ws.serviceKey,
    body: { arguments: args },
  });
}

/** Wait until `condition` holds, checking every 10 ms; throws after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
