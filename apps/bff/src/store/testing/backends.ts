import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { createStore } from '../index';
import type { Store } from '../types';

/**
 * Real databases for tests: a fresh SQLite file in a temporary directory, and, when
 * DATABASE_URL is set, a fresh PostgreSQL schema (dropped afterwards) on that server.
 */
export interface TestDatabase {
  readonly name: 'sqlite' | 'postgres';
  /** Opens another store instance on this database (like another server process). */
  open(): Promise<Store>;
  /** Every row of every table, plus on SQLite the raw database and WAL files, as one text to search. */
  dump(): Promise<string>;
  /** Closes every store opened here and removes the database. */
  destroy(): Promise<void>;
}

export interface TestBackend {
  readonly name: 'sqlite' | 'postgres';
  create(): Promise<TestDatabase>;
}

export function testBackends(): TestBackend[] {
  const url = process.env.DATABASE_URL;
  const backends: TestBackend[] = [{ name: 'sqlite', create: createSqliteDatabase }];
  if (url) backends.push({ name: 'postgres', create: () => createPostgresDatabase(url) });
  return backends;
}

async function createSqliteDatabase(): Promise<TestDatabase> {
  const directory = await mkdtemp(join(tmpdir(), 'aihio-store-'));
  const path = join(directory, 'aihio.db');
  const stores: Store[] = [];
  return {
    name: 'sqlite',
    async open() {
      const store = await createStore({ sqlitePath: path });
      stores.push(store);
      return store;
    },
    async dump() {
      const database = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
      let rows: string;
      try {
        const tables = database
          .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
          .all() as { name: string }[];
        rows = tables
          .map(({ name }) => JSON.stringify(database.prepare(`select * from "${name}"`).all()))
          .join('\n');
      } finally {
        database.close();
      }
      const files = (await readdir(directory)).filter((file) => file.startsWith('aihio.db'));
      const raw = await Promise.all(files.map((file) => readFile(join(directory, file), 'latin1')));
      return [rows, ...raw].join('\n');
    },
    async destroy() {
      await Promise.all(stores.map((store) => store.close()));
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function createPostgresDatabase(url: string): Promise<TestDatabase> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const stores: Store[] = [];
  const query = async <T extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<T[]> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    name: 'postgres',
    async open() {
      const store = await createStore({ url, pgSchema: schema, pgMaxConnections: 5 });
      stores.push(store);
      return store;
    },
    async dump() {
      const tables = await query<{ table_name: string }>(
        'select table_name from information_schema.tables where table_schema = $1',
        [schema],
      );
      const dumps = await Promise.all(
        tables.map(async ({ table_name }) =>
          JSON.stringify(await query(`select * from "${schema}"."${table_name}"`)),
        ),
      );
      return dumps.join('\n');
    },
    async destroy() {
      await Promise.all(stores.map((store) => store.close()));
      await query(`drop schema if exists "${schema}" cascade`);
    },
  };
}
