import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

export interface PostgresOptions {
  url: string;
  /** A schema to create and put first on the search path (tests isolate themselves this way). */
  schema?: string;
  maxConnections?: number;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  /** The client-side deadline of a query; default: the statement timeout plus 2 s. */
  queryTimeoutMs?: number;
}

const INT8_OID = 20;

/**
 * Opens a pg pool bounded in time everywhere, so a database that is down or stuck makes requests
 * fail fast (StoreError `unavailable`, answered 503) instead of hanging: a connect timeout, a
 * server-side statement timeout, a client-side query timeout a little longer, and a limit on
 * transactions left idle.
 */
export function openPostgres(options: PostgresOptions): { db: Kysely<Database>; pool: pg.Pool } {
  const statementTimeout = options.statementTimeoutMs ?? 10_000;
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error('The PostgreSQL schema name must be a lower-case identifier.');
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    statement_timeout: statementTimeout,
    query_timeout: options.queryTimeoutMs ?? statementTimeout + 2_000,
    // A path that goes silent without closing (a pooler, a NAT, a cut cable) is found by the
    // kernel's probes instead of leaving idle connections that will never answer in the pool.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    idle_in_transaction_session_timeout: statementTimeout * 2,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    // Runs' sequence is int8; pg returns those as strings by default. Ours stay far below 2^53.
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection emits 'error' on the pool; unhandled, it would crash
  // the process. The next query gets a fresh connection or fails as `unavailable`.
  pool.on('error', () => {});
  // A client checked out of the pool has no such listener: when the connection ends while it is
  // lent (the database restarts under load), pg emits 'error' on the client itself, which would
  // crash the process. The query in flight still rejects (answered `unavailable`), and the pool
  // drops the dead client when it is released.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    destroyOnQueryTimeout(client);
  });
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}

/**
 * When pg's client-side query timeout fires, the query is still on the wire: the connection is
 * blocked behind it, and returned to the pool it would fail every query lent it, one timeout at a
 * time, long after the database path healed. A timed-out connection is ended at once instead
 * (`end()` marks it ending, so the pool discards it on release, and destroys the socket of a
 * connection with a query in flight); the next query opens a fresh one.
 */
function destroyOnQueryTimeout(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const result = query(...args);
    if (result instanceof Promise) {
      // Attached before the caller's handlers run (this callback is registered first), so the
      // client is already ending when Kysely releases it.
      result.catch((error: unknown) => {
        if (error instanceof Error && error.message === 'Query read timeout')
          void client.end().catch(() => {});
      });
    }
    return result;
  };
}
