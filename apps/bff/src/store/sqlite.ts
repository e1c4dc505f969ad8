import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
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
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
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
  cacheStatements(database);
  return new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
}

/**
 * Kysely prepares every query it runs, and better-sqlite3 compiles the SQL on every `prepare`:
 * in the invoke benchmark's CPU profile that cost more than executing the queries. The store runs
 * a small, fixed set of SQL texts (values are parameters), so compiled statements are kept by
 * text, a bounded number. Safe because Kysely runs one query at a time on this connection and
 * the store never streams (a statement is never reused while it iterates).
 */
function cacheStatements(database: BetterSqlite3.Database, max = 256): void {
  const prepare = database.prepare.bind(database);
  const cache = new Map<string, BetterSqlite3.Statement>();
  database.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (statement === undefined) {
      statement = prepare(source);
      if (cache.size >= max) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      cache.set(source, statement);
    }
    return statement;
  }) as typeof database.prepare;
}
