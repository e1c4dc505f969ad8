import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { secureSqliteFile } from './file-permissions';
import type { Database } from './schema';

export const DEFAULT_DATA_DIR = './data';
export const SQLITE_FILE_NAME = 'aihio.db';
export const DEFAULT_SQLITE_PATH = join(DEFAULT_DATA_DIR, SQLITE_FILE_NAME);

/** The embedded database file in a data directory (AIHIO_DATA_DIR). */
export function sqlitePathIn(dataDir: string): string {
  return join(dataDir, SQLITE_FILE_NAME);
}

/**
 * Opens the embedded database. WAL lets readers run beside the writer; synchronous=FULL makes
 * every commit durable before better-sqlite3 returns, so an acknowledged write survives a
 * power loss, not only a process crash (NORMAL, WAL's usual partner, may lose the last commits).
 */
export function openSqlite(path: string): Kysely<Database> {
  return openTrackedSqlite(path).db;
}

/** The same, with the change tracker the store's agent-scope cache validates against. */
export function openTrackedSqlite(path: string): { db: Kysely<Database>; changes: SqliteChanges } {
  // The directory 0700 and the file 0600 before SQLite opens it (its WAL and SHM files follow).
  if (path !== ':memory:') secureSqliteFile(path);
  const database = new BetterSqlite3(path);
  try {
    // First, so that even switching to WAL waits for another process on the same file (the
    // rotate-keys CLI, a second server) instead of failing at once.
    database.pragma('busy_timeout = 5000');
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = FULL');
    database.pragma('foreign_keys = ON');
  } catch (error) {
    database.close();
    throw error;
  }
  const changes = new SqliteChanges(database);
  cacheStatements(database, changes);
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }), changes };
}

// Statements that cannot change what a cached read returns: reads, transaction control, the
// durability switch of the run batches, and writes of the run history, rate-limit windows,
// cached OAuth tokens and invoke token buckets, which no cached read covers. Anything else counts
// as a change, whatever it turns out to do.
const CANNOT_CHANGE_CACHED_READS =
  /^\s*(?:select\b|pragma\s+(?:data_version|synchronous)\b|begin\b|commit\b|rollback\b|(?:insert\s+into|delete\s+from|update)\s+"(?:runs|rate_limits|oauth_tokens|invoke_buckets)"\s)/i;

/** How often `SqliteChanges` asks SQLite whether another connection or process committed. */
export const CROSS_PROCESS_CHECK_MS = 100;

/**
 * What may have changed the data, for caches of reads. `generation()` returns a new number after
 * any statement of this connection that may write a cached table (counted as it runs, by its SQL
 * text, conservatively), and, within CROSS_PROCESS_CHECK_MS, after a commit by another connection
 * or process on the same file (SQLite's `PRAGMA data_version`: another server, the rotate-keys
 * CLI). The pragma is asked at most that often because it costs as much as the cached read itself
 * (a lock round trip per statement); so this process's own writes are seen by the next read, and
 * another process's within a tenth of a second.
 * A cache entry is tagged with the generation read before its query was issued: a write that
 * lands while the query is in flight leaves the entry stale-tagged, never served.
 */
export class SqliteChanges {
  #generation = 0;
  #dataVersion: number;
  #checkedAt: number;
  readonly #readDataVersion: BetterSqlite3.Statement<[], number>;

  constructor(database: BetterSqlite3.Database) {
    this.#readDataVersion = database.prepare<[], number>('pragma data_version').pluck();
    this.#dataVersion = this.#readDataVersion.get() ?? 0;
    this.#checkedAt = performance.now();
  }

  generation(): number {
    const now = performance.now();
    if (now - this.#checkedAt >= CROSS_PROCESS_CHECK_MS) {
      this.#checkedAt = now;
      const version = this.#readDataVersion.get() ?? 0;
      if (version !== this.#dataVersion) {
        this.#dataVersion = version;
        this.#generation += 1;
      }
    }
    return this.#generation;
  }

  /** Wrap a prepared statement so that running it counts as a change unless its SQL cannot be one. */
  track(source: string, statement: BetterSqlite3.Statement): void {
    if (CANNOT_CHANGE_CACHED_READS.test(source)) return;
    const changed = () => {
      this.#generation += 1;
    };
    const target = statement as unknown as Record<
      'run' | 'all' | 'get' | 'iterate',
      (...args: unknown[]) => unknown
    >;
    for (const method of ['run', 'all', 'get', 'iterate'] as const) {
      const original = target[method].bind(statement);
      target[method] = (...args: unknown[]) => {
        try {
          return original(...args);
        } finally {
          changed();
        }
      };
    }
  }
}

/**
 * Kysely prepares every query it runs, and better-sqlite3 compiles the SQL on every `prepare`:
 * in the invoke benchmark's CPU profile that cost more than executing the queries. The store runs
 * a small, fixed set of SQL texts (values are parameters), so compiled statements are kept by
 * text, a bounded number. Safe because Kysely runs one query at a time on this connection and
 * the store never streams (a statement is never reused while it iterates).
 */
function cacheStatements(database: BetterSqlite3.Database, changes: SqliteChanges, max = 256): void {
  const prepare = database.prepare.bind(database);
  const cache = new Map<string, BetterSqlite3.Statement>();
  database.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (statement === undefined) {
      statement = prepare(source);
      changes.track(source, statement);
      if (cache.size >= max) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      cache.set(source, statement);
    }
    return statement;
  }) as typeof database.prepare;
}
