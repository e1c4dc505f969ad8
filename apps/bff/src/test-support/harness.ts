import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Plan, Role } from '@aihio/actions-core';
import type { Egress, LookupFunction } from '@aihio/egress';
import { SignJWT } from 'jose';
import type { Logger } from 'pino';
import type { App } from '../app';
import { createApp } from '../app';
import { type Config, loadConfig } from '../config';
import { type DataKeyring, loadKeyring } from '../crypto';
import { createBffEgress } from '../executor/egress';
import { createLogger } from '../http/logger';
import { MaintenanceStatus } from '../maintenance';
import { createStore } from '../store';
import type { Store } from '../store/types';
import { devHostMap, type Listening } from './loopback';
import { startUpstream, UPSTREAM_DOMAIN, UPSTREAM_HOSTS, type Upstream } from './upstream';

/**
 * Everything real: the SQLite store in a temp directory, the keyring, the egress client (built as
 * start.ts builds it), and pino writing into memory so tests can search every log line. The
 * egress policy differs from production only in what the loopback upstream needs: the test host
 * names (`UPSTREAM_HOSTS`) are mapped to its address and port by `AIHIO_DEV_HOST_MAP`, as in
 * development, which admits that address for those names only (no allowlist: every loopback,
 * private and metadata address stays blocked, the upstream's own included when called by IP).
 * Its lookup finds no name, so nothing else is ever dialled.
 */

export const JWT_SECRET = 'test-session-secret-that-is-long-enough-0123456789';

export interface Harness {
  app: App;
  config: Config;
  store: Store;
  keyring: DataKeyring;
  egress: Egress;
  upstream: Upstream;
  /** `https://api.bff.test` */
  upstreamOrigin: string;
  logs: string[];
  sqlitePath: string;
  logger: Logger;
  /** What /readyz shows of upkeep; `runMaintenance` records into it. */
  maintenance: MaintenanceStatus;
  session(claims?: Partial<SessionOptions>): Promise<string>;
  close(): Promise<void>;
}

export interface SessionOptions {
  sub: string;
  wid: string;
  wname: string;
  role: Role;
  plan: Plan;
  expiresIn: string;
}

export interface HarnessOptions {
  /**
   * More loopback HTTPS servers (with the test certificate, `testPki`) the egress reaches, each
   * under its own host names of the test domain, host-mapped like the upstream.
   */
  servers?: { hostnames: readonly string[]; listening: Listening }[];
  /** Name resolution for names that are not host-mapped; none resolves otherwise. */
  lookup?: LookupFunction;
  /** Another instance's store (it stays open: its owner closes it); an own SQLite file otherwise. */
  store?: Store;
  /** The master key; instances sharing a store share it. Random otherwise. */
  masterKey?: Buffer;
  /** The clock of cached OAuth tokens (AppDeps.now). */
  now?: () => number;
}

export async function createHarness(
  env: Record<string, string> = {},
  options: HarnessOptions = {},
): Promise<Harness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'aihio-bff-'));
  const sqlitePath = path.join(dir, 'aihio.db');
  const upstream = await startUpstream();
  const servers = [{ hostnames: UPSTREAM_HOSTS, listening: upstream }, ...(options.servers ?? [])];
  const config = loadConfig({
    NODE_ENV: 'test',
    AIHIO_AUTH_MODE: 'jwt',
    AIHIO_JWT_SECRET: JWT_SECRET,
    AIHIO_DATA_DIR: dir,
    AIHIO_DEV_HOST_MAP: servers.map((s) => devHostMap(s.hostnames, s.listening)).join(','),
    AIHIO_EGRESS_TIMEOUT_MS: '3000',
    AIHIO_LOG_LEVEL: 'trace',
    // Suites call invoke in tight loops; the rate limit's own tests set it low.
    AIHIO_INVOKE_RATE_LIMIT: '10000000',
    AIHIO_INVOKE_RATE_BURST: '100000',
    ...env,
  });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({ level: config.logLevel, destination });
  const store = options.store ?? (await createStore({ sqlitePath }));
  const keyring = await loadKeyring(store, options.masterKey ?? randomBytes(32));
  const egress = createBffEgress(config.egress, logger, {
    ca: upstream.ca,
    lookup: options.lookup ?? (async () => []),
  });
  const maintenance = new MaintenanceStatus();
  const app = createApp({
    config,
    store,
    keyring,
    egress,
    logger,
    maintenance,
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    app,
    maintenance,
    logger,
    config,
    store,
    keyring,
    egress,
    upstream,
    upstreamOrigin: `https://api.${UPSTREAM_DOMAIN}`,
    logs,
    sqlitePath,
    async session(options = {}) {
      const claims = {
        sub: 'user-a',
        wid: 'ws-a',
        wname: 'Workspace A',
        role: 'admin',
        plan: 'starter',
        ...options,
      };
      return new SignJWT({ wid: claims.wid, wname: claims.wname, role: claims.role, plan: claims.plan })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(claims.sub)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '10m')
        .sign(new TextEncoder().encode(JWT_SECRET));
    },
    async close() {
      await egress.close();
      if (!options.store) await store.close();
      await upstream.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
