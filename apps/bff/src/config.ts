import path from 'node:path';
import { type HostOverrides, parseDnsServer, resolvePolicy } from '@aihio/egress';
import { z } from 'zod';
import { weakSecretReason } from './auth/secret-strength';
import { parseMasterKey } from './crypto/master-key';

/**
 * The BFF's configuration, read once from the environment and validated with zod: a bad value stops
 * the start with a message naming the variable. Production refuses the insecure conveniences of
 * development unless the operator names each one in `AIHIO_ALLOW_INSECURE`. Secure by default: a
 * start is production unless `NODE_ENV=development` or `NODE_ENV=test` says otherwise (an unset
 * NODE_ENV is production), and what a development start lets through is logged, never silent.
 */

/** What an operator may explicitly accept in production, by name, in `AIHIO_ALLOW_INSECURE`. */
export const INSECURE_ALLOWANCES = [
  'dev-auth',
  'master-key-file',
  'egress-allowlist',
  'egress-ports',
  'jwks-http',
  'cors-http',
] as const;
export type InsecureAllowance = (typeof INSECURE_ALLOWANCES)[number];

export type AuthConfig =
  | { mode: 'dev' }
  | {
      mode: 'jwt';
      /** HS256 shared secret of the host app's session tokens. */
      secret: string | null;
      /** Or a JWKS the host app publishes (asymmetric keys). */
      jwksUrl: string | null;
      issuer: string | null;
      audience: string | null;
      /** Longest session a token may grant (`exp − iat`, or `exp − now` without `iat`), seconds. */
      maxLifetimeS: number;
    };

/** How far a session token's `iat` may lie in the future (clocks of two machines differ a little). */
export const SESSION_CLOCK_SKEW_S = 60;

/** The egress policy (field names of `@aihio/egress`'s EgressPolicy). */
export interface EgressConfig {
  /** 443 plus what AIHIO_EGRESS_PORTS adds (a widening). */
  allowedPorts: number[];
  /** CIDRs the operator allows although they are internal (a widening). Empty by default. */
  allowCidrs: string[];
  /**
   * AIHIO_DEV_HOST_MAP (development only): host names whose calls go to a fixed address and port,
   * e.g. the demo sandbox on a non-privileged port. Empty by default; refused in production.
   */
  hostOverrides: HostOverrides;
  /** AIHIO_EGRESS_DNS_SERVERS: the name servers egress asks (`ip[:port]`); empty: the system's. */
  dnsServers: string[];
  maxResponseBytes: number;
  maxRequestBytes: number;
  lookupTimeoutMs: number;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  totalTimeoutMs: number;
  maxConcurrent: number;
  maxConcurrentPerKey: number;
}

export interface Config {
  /** `production` also when NODE_ENV is unset: only an explicit development or test start relaxes. */
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** PostgreSQL URL; null means the embedded SQLite file in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  /** base64 (32 bytes) master key; null means the 0600 key file beside the database (development). */
  masterKey: string | null;
  /** AIHIO_MASTER_KEY_PREVIOUS during a master-key rotation: opens data keys not yet re-wrapped. */
  previousMasterKey: string | null;
  auth: AuthConfig;
  corsOrigins: string[];
  bodyLimitBytes: number;
  egress: EgressConfig;
  /** Bytes of an upstream body handed to an agent (model-ready budget). */
  invokeBodyBudget: number;
  /** Runs kept per action (bounded retention). */
  runRetentionPerAction: number;
  testRateLimit: { limit: number; windowMs: number };
  /** Agent invokes per workspace: a token bucket shared by every instance on the store. */
  invokeRateLimit: { ratePerSecond: number; burst: number };
  /** How much one tenant may create (quota_exceeded beyond). */
  quotas: { actionsPerChatbot: number; chatbotsPerWorkspace: number; serviceKeysPerWorkspace: number };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  allowInsecure: InsecureAllowance[];
  shutdownTimeoutMs: number;
  /**
   * What this start accepts only because NODE_ENV says development or test, and production would
   * refuse: the start logs each one (never a silent skip).
   */
  developmentOnly: string[];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const list = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

function isMasterKey(value: string): boolean {
  try {
    parseMasterKey(value);
    return true;
  } catch {
    return false;
  }
}

// One AIHIO_DEV_HOST_MAP entry: name=address[:port], an IPv6 address in brackets.
const HOST_MAP_ENTRY = /^([^=\s]+)=(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/i;
const HOST_MAP_EXAMPLE = 'sandbox.aihio.test=127.0.0.1:8443';

/**
 * `sandbox.aihio.test=127.0.0.1:8443,other.test=[::1]:9443` → egress host overrides (port 443 when
 * left out). The syntax is checked here; names, addresses and ports by egress's resolvePolicy.
 */
const hostMap = list.transform((entries, ctx): HostOverrides => {
  // A Map, not an object literal: a name such as "__proto__" must reach egress's check as a name.
  const overrides = new Map<string, { address: string; port: number }>();
  for (const entry of entries) {
    const match = HOST_MAP_ENTRY.exec(entry);
    if (match === null) {
      ctx.addIssue({
        code: 'custom',
        message: `"${entry}" is not name=address:port (for example ${HOST_MAP_EXAMPLE}; an IPv6 address in brackets)`,
      });
      continue;
    }
    const name = match[1]!.toLowerCase();
    if (overrides.has(name)) {
      ctx.addIssue({ code: 'custom', message: `"${name}" is mapped twice` });
      continue;
    }
    overrides.set(name, { address: match[2]!.replace(/^\[|\]$/g, ''), port: Number(match[3] ?? 443) });
  }
  return Object.fromEntries(overrides);
});

const IPV4_CIDR = /^(\d{1,3})(\.\d{1,3}){3}\/(\d|[12]\d|3[0-2])$/;
const IPV6_CIDR = /^[0-9a-f:.]+\/(\d|[1-9]\d|1[01]\d|12[0-8])$/i;

const envSchema = z.object({
  // Unset is production (secure by default); another word is a typo to fix, not a mode to guess.
  NODE_ENV: z.enum(['development', 'production', 'test']).optional(),
  PORT: int(0, 65_535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((value) => value === undefined || value === '' || /^postgres(ql)?:\/\//.test(value), {
      message: 'must be a postgres:// or postgresql:// URL (leave it unset for the embedded SQLite file)',
    }),
  AIHIO_DATA_DIR: z.string().min(1).default('./data'),
  AIHIO_MASTER_KEY: z
    .string()
    .optional()
    .refine((value) => value === undefined || isMasterKey(value), {
      message: 'must be 32 bytes written as base64 or 64 hex digits (for example: openssl rand -base64 32)',
    }),
  AIHIO_MASTER_KEY_PREVIOUS: z
    .string()
    .optional()
    .refine((value) => value === undefined || isMasterKey(value), {
      message: 'must be 32 bytes written as base64 or 64 hex digits, like AIHIO_MASTER_KEY',
    }),
  AIHIO_AUTH_MODE: z.enum(['jwt', 'dev']).optional(),
  AIHIO_JWT_SECRET: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      const reason = value === undefined ? null : weakSecretReason(value);
      // The message never repeats the secret: start-up errors end up in logs.
      if (reason !== null) {
        ctx.addIssue({
          code: 'custom',
          message: `${reason}: whoever guesses it signs sessions. Use a random secret (for example: openssl rand -base64 32)`,
        });
      }
    }),
  AIHIO_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  AIHIO_SESSION_MAX_LIFETIME_S: int(60, 30 * 24 * 3600).default(24 * 3600),
  AIHIO_JWT_ISSUER: z.string().min(1).optional(),
  AIHIO_JWT_AUDIENCE: z.string().min(1).optional(),
  AIHIO_CORS_ORIGINS: list.pipe(
    z.array(z.url({ protocol: /^https?$/ }).refine((value) => !value.endsWith('/'), 'no trailing slash')),
  ),
  AIHIO_BODY_LIMIT_BYTES: int(1024, 10 * 1024 * 1024).default(256 * 1024),
  AIHIO_EGRESS_ALLOWLIST: list.pipe(
    z.array(z.string().refine((value) => IPV4_CIDR.test(value) || IPV6_CIDR.test(value), 'not a CIDR')),
  ),
  AIHIO_EGRESS_PORTS: list.pipe(
    z.array(
      z
        .string()
        .regex(/^\d{1,5}$/, 'not a port')
        .transform(Number)
        .pipe(z.number().int().min(1).max(65_535)),
    ),
  ),
  AIHIO_DEV_HOST_MAP: hostMap,
  AIHIO_EGRESS_DNS_SERVERS: list.pipe(
    z.array(
      z
        .string()
        .refine(
          (value) => parseDnsServer(value) !== null,
          'not an IP address with an optional port (203.0.113.53, 203.0.113.53:5353, [2001:db8::53]:53)',
        ),
    ),
  ),
  AIHIO_EGRESS_LOOKUP_TIMEOUT_MS: int(100, 60_000).default(3_000),
  AIHIO_EGRESS_CONNECT_TIMEOUT_MS: int(100, 60_000).default(5_000),
  AIHIO_EGRESS_HEADERS_TIMEOUT_MS: int(100, 120_000).default(8_000),
  AIHIO_EGRESS_TIMEOUT_MS: int(100, 300_000).default(10_000),
  AIHIO_EGRESS_MAX_RESPONSE_BYTES: int(1024, 50 * 1024 * 1024).default(256 * 1024),
  AIHIO_EGRESS_MAX_REQUEST_BYTES: int(1024, 10 * 1024 * 1024).default(64 * 1024),
  AIHIO_EGRESS_MAX_CONCURRENCY: int(1, 10_000).default(128),
  AIHIO_EGRESS_MAX_CONCURRENCY_PER_WORKSPACE: int(1, 10_000).default(16),
  AIHIO_INVOKE_BODY_BUDGET: int(256, 1024 * 1024).default(16 * 1024),
  AIHIO_RUN_RETENTION: int(1, 100_000).default(200),
  AIHIO_TEST_RATE_LIMIT: int(1, 100_000).default(30),
  AIHIO_TEST_RATE_WINDOW_MS: int(1_000, 24 * 3600 * 1000).default(60_000),
  AIHIO_INVOKE_RATE_LIMIT: int(1, 100_000_000).default(3_000),
  AIHIO_INVOKE_RATE_BURST: int(1, 10_000_000).default(100),
  AIHIO_QUOTA_ACTIONS_PER_CHATBOT: int(1, 100_000).default(200),
  AIHIO_QUOTA_CHATBOTS_PER_WORKSPACE: int(1, 100_000).default(50),
  AIHIO_QUOTA_SERVICE_KEYS_PER_WORKSPACE: int(1, 10_000).default(20),
  AIHIO_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  AIHIO_SHUTDOWN_TIMEOUT_MS: int(0, 300_000).default(10_000),
  AIHIO_ALLOW_INSECURE: list.pipe(z.array(z.enum(INSECURE_ALLOWANCES))),
});

/** Environment variables the BFF reads (for documentation and error messages). */
export const ENV_VARIABLES = Object.keys(envSchema.shape);

/** Parse and check the environment. Throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset": operators often write `VAR=` in env files.
  const cleaned = Object.fromEntries(
    ENV_VARIABLES.map((name) => [name, env[name] === '' ? undefined : env[name]]),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const nodeEnv = e.NODE_ENV ?? 'production';
  const production = nodeEnv === 'production';
  // Named in messages, so an operator who never set NODE_ENV learns why production rules apply.
  const whenProduction =
    e.NODE_ENV === undefined
      ? 'when NODE_ENV is unset (a start is production unless it says otherwise)'
      : 'when NODE_ENV=production';
  const problems: string[] = [];
  const developmentOnly: string[] = [];
  const allowed = new Set(e.AIHIO_ALLOW_INSECURE);
  /**
   * A production refusal: refused in production unless acknowledged (when `allowance` names one),
   * and in an explicit development or test start let through but recorded, so the start logs it.
   */
  const refuseInProduction = (
    applies: boolean,
    allowance: InsecureAllowance | null,
    message: (when: string) => string,
  ) => {
    if (!applies || (allowance !== null && allowed.has(allowance))) return;
    if (production) problems.push(message(whenProduction));
    else developmentOnly.push(message(`when NODE_ENV=production`));
  };

  // Dev auth only when the start asks for it by name: never a default, whatever NODE_ENV says.
  const authMode = e.AIHIO_AUTH_MODE ?? 'jwt';
  let auth: AuthConfig;
  if (authMode === 'dev') {
    refuseInProduction(
      true,
      'dev-auth',
      (when) =>
        `AIHIO_AUTH_MODE=dev is refused ${when} (every request would act as the demo admin). ` +
        'Use AIHIO_AUTH_MODE=jwt, or accept the risk explicitly with AIHIO_ALLOW_INSECURE=dev-auth.',
    );
    // Dev auth makes every caller the demo admin: fine on loopback, never on a reachable interface,
    // whatever NODE_ENV says.
    if (!production && !isLoopbackHost(e.HOST) && !allowed.has('dev-auth')) {
      problems.push(
        `AIHIO_AUTH_MODE=dev is refused with HOST=${e.HOST}: every request ` +
          'would act as the demo admin. Bind HOST to 127.0.0.1, use AIHIO_AUTH_MODE=jwt, or accept the risk ' +
          'explicitly with AIHIO_ALLOW_INSECURE=dev-auth.',
      );
    }
    auth = { mode: 'dev' };
  } else {
    if (!e.AIHIO_JWT_SECRET && !e.AIHIO_JWKS_URL) {
      problems.push(
        'AIHIO_AUTH_MODE=jwt (the default) needs AIHIO_JWT_SECRET (HS256) or AIHIO_JWKS_URL. ' +
          'For a local development start set NODE_ENV=development and AIHIO_AUTH_MODE=dev explicitly.',
      );
    }
    // Whoever can alter a JWKS fetched over plain HTTP signs admin sessions.
    refuseInProduction(
      e.AIHIO_JWKS_URL?.startsWith('http:') ?? false,
      'jwks-http',
      (when) =>
        `AIHIO_JWKS_URL is plain http:// ${when}: whoever alters that answer signs sessions. ` +
        'Publish the JWKS over https://, or accept the risk explicitly with AIHIO_ALLOW_INSECURE=jwks-http.',
    );
    if (e.AIHIO_JWT_SECRET && e.AIHIO_JWKS_URL) {
      problems.push('Set only one of AIHIO_JWT_SECRET and AIHIO_JWKS_URL.');
    }
    auth = {
      mode: 'jwt',
      secret: e.AIHIO_JWT_SECRET ?? null,
      jwksUrl: e.AIHIO_JWKS_URL ?? null,
      issuer: e.AIHIO_JWT_ISSUER ?? null,
      audience: e.AIHIO_JWT_AUDIENCE ?? null,
      maxLifetimeS: e.AIHIO_SESSION_MAX_LIFETIME_S,
    };
  }

  refuseInProduction(
    !e.AIHIO_MASTER_KEY,
    'master-key-file',
    (when) =>
      `AIHIO_MASTER_KEY is required ${when} (32 bytes, base64 or 64 hex digits). ` +
      'To use the generated key file beside the database instead, set AIHIO_ALLOW_INSECURE=master-key-file.',
  );
  // A browser page served over plain HTTP can be altered on the way: it would call the API as the user.
  const httpOrigins = e.AIHIO_CORS_ORIGINS.filter((origin) => origin.startsWith('http:'));
  refuseInProduction(
    httpOrigins.length > 0,
    'cors-http',
    (when) =>
      `AIHIO_CORS_ORIGINS has plain http:// origins (${httpOrigins.join(', ')}) ${when}: a page served ` +
      'over http can be altered in transit and would call the API as the signed-in user. Serve the ' +
      'dashboard over https://, or accept the risk explicitly with AIHIO_ALLOW_INSECURE=cors-http.',
  );
  // Compared as bytes: the same key written once in hex and once in base64 is still the same key.
  if (
    e.AIHIO_MASTER_KEY_PREVIOUS &&
    e.AIHIO_MASTER_KEY &&
    parseMasterKey(e.AIHIO_MASTER_KEY_PREVIOUS).equals(parseMasterKey(e.AIHIO_MASTER_KEY))
  ) {
    problems.push(
      'AIHIO_MASTER_KEY_PREVIOUS must differ from AIHIO_MASTER_KEY: it is the old key being rotated away from ' +
        '(see "Rotating keys" in the BFF README).',
    );
  }
  refuseInProduction(
    e.AIHIO_EGRESS_ALLOWLIST.length > 0,
    'egress-allowlist',
    (when) =>
      `AIHIO_EGRESS_ALLOWLIST lets actions reach internal addresses; ${when} confirm it with ` +
      'AIHIO_ALLOW_INSECURE=egress-allowlist.',
  );
  const extraPorts = e.AIHIO_EGRESS_PORTS.filter((port) => port !== 443);
  refuseInProduction(
    extraPorts.length > 0,
    'egress-ports',
    (when) =>
      `AIHIO_EGRESS_PORTS widens outbound calls beyond port 443; ${when} confirm it with ` +
      'AIHIO_ALLOW_INSECURE=egress-ports.',
  );
  const hostOverrides = e.AIHIO_DEV_HOST_MAP;
  // No AIHIO_ALLOW_INSECURE escape: a host map only stands in for DNS on a developer's machine.
  refuseInProduction(
    Object.keys(hostOverrides).length > 0,
    null,
    (when) =>
      'AIHIO_DEV_HOST_MAP sends the calls for its host names to fixed addresses; it is for development only ' +
      `and is refused ${when}. Unset it (publish the names in DNS instead).`,
  );
  if (problems.length > 0) {
    throw new ConfigError(`Refusing to start:\n  ${problems.join('\n  ')}`);
  }

  try {
    resolvePolicy({ hostOverrides });
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration:\n  AIHIO_DEV_HOST_MAP: ${error instanceof Error ? error.message : String(error)}`,
    );
  }

  const egress: EgressConfig = {
    allowedPorts: [443, ...new Set(extraPorts)],
    allowCidrs: e.AIHIO_EGRESS_ALLOWLIST,
    hostOverrides,
    dnsServers: e.AIHIO_EGRESS_DNS_SERVERS,
    maxResponseBytes: e.AIHIO_EGRESS_MAX_RESPONSE_BYTES,
    maxRequestBytes: e.AIHIO_EGRESS_MAX_REQUEST_BYTES,
    lookupTimeoutMs: e.AIHIO_EGRESS_LOOKUP_TIMEOUT_MS,
    connectTimeoutMs: e.AIHIO_EGRESS_CONNECT_TIMEOUT_MS,
    headersTimeoutMs: e.AIHIO_EGRESS_HEADERS_TIMEOUT_MS,
    totalTimeoutMs: e.AIHIO_EGRESS_TIMEOUT_MS,
    maxConcurrent: e.AIHIO_EGRESS_MAX_CONCURRENCY,
    maxConcurrentPerKey: e.AIHIO_EGRESS_MAX_CONCURRENCY_PER_WORKSPACE,
  };
  try {
    resolvePolicy(egress);
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration:\n  AIHIO_EGRESS_ALLOWLIST / AIHIO_EGRESS_DNS_SERVERS / AIHIO_EGRESS_*: ${error instanceof Error ? error.message : String(error)}`,
    );
  }

  return {
    nodeEnv,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir: path.resolve(e.AIHIO_DATA_DIR),
    masterKey: e.AIHIO_MASTER_KEY ?? null,
    previousMasterKey: e.AIHIO_MASTER_KEY_PREVIOUS ?? null,
    auth,
    corsOrigins: e.AIHIO_CORS_ORIGINS,
    bodyLimitBytes: e.AIHIO_BODY_LIMIT_BYTES,
    egress,
    invokeBodyBudget: e.AIHIO_INVOKE_BODY_BUDGET,
    runRetentionPerAction: e.AIHIO_RUN_RETENTION,
    testRateLimit: { limit: e.AIHIO_TEST_RATE_LIMIT, windowMs: e.AIHIO_TEST_RATE_WINDOW_MS },
    // Per minute in the environment (so a slow rate can be said in whole numbers), per second here.
    invokeRateLimit: { ratePerSecond: e.AIHIO_INVOKE_RATE_LIMIT / 60, burst: e.AIHIO_INVOKE_RATE_BURST },
    quotas: {
      actionsPerChatbot: e.AIHIO_QUOTA_ACTIONS_PER_CHATBOT,
      chatbotsPerWorkspace: e.AIHIO_QUOTA_CHATBOTS_PER_WORKSPACE,
      serviceKeysPerWorkspace: e.AIHIO_QUOTA_SERVICE_KEYS_PER_WORKSPACE,
    },
    logLevel: e.AIHIO_LOG_LEVEL,
    allowInsecure: [...allowed],
    shutdownTimeoutMs: e.AIHIO_SHUTDOWN_TIMEOUT_MS,
    developmentOnly,
  };
}

/** 127.0.0.0/8, ::1 and localhost: addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}
