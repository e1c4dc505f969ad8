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
  return new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
}
