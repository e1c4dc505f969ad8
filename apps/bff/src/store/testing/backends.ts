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
  open(options?: { statementTimeoutMs?: number }): Promise<Store>;
  /**
   * Inserts `count` runs of one action straight in SQL (a million in seconds, where recordRun
   * batches every 100 ms), all at `at` or one millisecond apart going back from it.
   */
  insertRuns(
    run: { workspaceId: string; chatbotId: string; actionId: string },
    count: number,
    at?: string,
  ): Promise<void>;
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
    async insertRuns(run, count, at) {
      const database = new BetterSqlite3(path);
      try {
        database.pragma('busy_timeout = 5000');
        database
          .prepare(
            `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
             insert into runs (id, workspace_id, chatbot_id, action_id, at, source, outcome, http_status, duration_ms, response_bytes, truncated)
             select lower(hex(randomblob(16))), ?, ?, ?,
                    ${at ? '?' : "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || i || ' seconds')"},
                    'agent', 'ok', 200, 1, 10, 0 from n`,
          )
          .run(count, run.workspaceId, run.chatbotId, run.actionId, ...(at ? [at] : []));
      } finally {
        database.close();
      }
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
    async open(options = {}) {
      const store = await createStore({
        url,
        pgSchema: schema,
        pgMaxConnections: 5,
        ...(options.statementTimeoutMs ? { pgStatementTimeoutMs: options.statementTimeoutMs } : {}),
      });
      stores.push(store);
      return store;
    },
    async insertRuns(run, count, at) {
      await query(
        `insert into "${schema}".runs (id, workspace_id, chatbot_id, action_id, at, source, outcome, http_status, duration_ms, response_bytes, truncated)
         select gen_random_uuid()::text, $2, $3, $4,
                ${at ? '$5' : `to_char((now() - i * interval '1 second') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`},
                'agent', 'ok', 200, 1, 10, 0 from generate_series(1, $1::int) as i`,
        [count, run.workspaceId, run.chatbotId, run.actionId, ...(at ? [at] : [])],
      );
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
