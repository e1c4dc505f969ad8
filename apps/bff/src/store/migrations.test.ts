import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from './index';
import { type Dialect, migrationProvider } from './migrations';
import { openPostgres } from './postgres';
import type { Database } from './schema';
import { openSqlite } from './sqlite';
import { actionDefinition } from './testing/store-suite';
import type { Store } from './types';

/**
 * Upgrades of a database that already holds data: each backend is migrated only up to an older
 * migration, given rows as that version wrote them, then opened by the current store (which
 * migrates it to the latest) and read back.
 */

interface OldDatabase {
  /** The database as it stood at `migration`, to write rows the way that version did. */
  db: Kysely<Database>;
  /** Closes the old connection and opens the current store, migrating to the latest. */
  upgrade(): Promise<Store>;
  destroy(): Promise<void>;
}

async function migrateTo(db: Kysely<Database>, dialect: Dialect, migration: string, schema?: string) {
  const { error } = await new Migrator({
    db,
    provider: migrationProvider(dialect),
    ...(schema ? { migrationTableSchema: schema } : {}),
  }).migrateTo(migration);
  if (error) throw error;
}

async function sqliteAt(migration: string): Promise<OldDatabase> {
  const directory = await mkdtemp(join(tmpdir(), 'aihio-migrate-'));
  const path = join(directory, 'aihio.db');
  const db = openSqlite(path);
  await migrateTo(db, 'sqlite', migration);
  let store: Store | undefined;
  return {
    db,
    async upgrade() {
      await db.destroy();
      store = await createStore({ sqlitePath: path });
      return store;
    },
    async destroy() {
      await store?.close();
      await db.destroy().catch(() => {});
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function postgresAt(url: string, migration: string): Promise<OldDatabase> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const { db } = openPostgres({ url, schema, maxConnections: 2 });
  await sql`create schema ${sql.id(schema)}`.execute(db);
  await migrateTo(db, 'postgres', migration, schema);
  let store: Store | undefined;
  let open = true;
  return {
    db,
    async upgrade() {
      await db.destroy();
      open = false;
      store = await createStore({ url, pgSchema: schema, pgMaxConnections: 2 });
      return store;
    },
    async destroy() {
      await store?.close();
      const cleanup = open ? db : openPostgres({ url, maxConnections: 1 }).db;
      try {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(cleanup);
      } finally {
        await cleanup.destroy();
      }
    },
  };
}

const backends: { name: Dialect; at: (migration: string) => Promise<OldDatabase> }[] = [
  { name: 'sqlite', at: sqliteAt },
];
const url = process.env.DATABASE_URL;
if (url) backends.push({ name: 'postgres', at: (migration) => postgresAt(url, migration) });

for (const backend of backends) {
  describe(`migrations on ${backend.name}`, () => {
    let old: OldDatabase | undefined;
    afterEach(async () => {
      await old?.destroy();
      old = undefined;
    });

    it('0002: runs logged before `truncated` existed read as not truncated; new runs keep the flag', async () => {
      old = await backend.at('0001_initial');
      const at = '2026-11-20T09:00:00.000Z';
      const { identifier, enabled, ...rest } = actionDefinition('old_lookup');
      // Rows exactly as 0001 wrote them: the runs table has no `truncated` column yet.
      await sql`insert into workspaces (id, name, plan, created_at) values ('ws', 'Acme', 'starter', ${at})`.execute(
        old.db,
      );
      await sql`insert into chatbots (id, workspace_id, name, created_at) values ('bot', 'ws', 'Bot', ${at})`.execute(
        old.db,
      );
      await sql`insert into actions (id, workspace_id, chatbot_id, identifier, enabled, definition, version, created_at, updated_at)
        values ('act', 'ws', 'bot', ${identifier}, ${enabled ? 1 : 0}, ${JSON.stringify(rest)}, 1, ${at}, ${at})`.execute(
        old.db,
      );
      await sql`insert into runs (workspace_id, chatbot_id, action_id, at, source, outcome, http_status, duration_ms, response_bytes)
        values ('ws', 'bot', 'act', ${at}, 'agent', 'ok', 200, 12, 300000)`.execute(old.db);

      const store = await old.upgrade();
      const [before] = await store.listRuns('ws', 'bot', 'act', 10);
      expect(before).toMatchObject({ at, source: 'agent', outcome: 'ok', httpStatus: 200, truncated: false });
      expect((await store.getAction('ws', 'bot', 'act'))?.definition.identifier).toBe('old_lookup');

      await store.recordRun({
        workspaceId: 'ws',
        chatbotId: 'bot',
        actionId: 'act',
        source: 'test',
        outcome: 'ok',
        httpStatus: 200,
        durationMs: 5,
        responseBytes: 1024,
        truncated: true,
      });
      const runs = await store.listRuns('ws', 'bot', 'act', 10);
      expect(runs.map((run) => [run.source, run.truncated])).toEqual([
        ['test', true],
        ['agent', false],
      ]);
      expect((await store.lastRuns('ws', 'bot')).get('act')?.truncated).toBe(true);
    });

    it('0003: runs logged before opaque ids get one, and keep working in pages and retention', async () => {
      old = await backend.at('0002_runs_truncated');
      const at = '2026-11-20T09:00:00.000Z';
      const { identifier, enabled, ...rest } = actionDefinition('old_lookup');
      await sql`insert into workspaces (id, name, plan, created_at) values ('ws', 'Acme', 'starter', ${at})`.execute(
        old.db,
      );
      await sql`insert into chatbots (id, workspace_id, name, created_at) values ('bot', 'ws', 'Bot', ${at})`.execute(
        old.db,
      );
      await sql`insert into actions (id, workspace_id, chatbot_id, identifier, enabled, definition, version, created_at, updated_at)
        values ('act', 'ws', 'bot', ${identifier}, ${enabled ? 1 : 0}, ${JSON.stringify(rest)}, 1, ${at}, ${at})`.execute(
        old.db,
      );
      for (const minute of ['01', '02', '03']) {
        await sql`insert into runs (workspace_id, chatbot_id, action_id, at, source, outcome, http_status, duration_ms, response_bytes, truncated)
          values ('ws', 'bot', 'act', ${`2026-11-20T09:${minute}:00.000Z`}, 'agent', 'ok', 200, 12, 30, 0)`.execute(
          old.db,
        );
      }
      await sql`insert into rate_limits (bucket, window_start, window_end, hits) values ('test:ws:user', ${at}, ${at}, 3)`.execute(
        old.db,
      );

      const store = await old.upgrade();
      const runs = await store.listRuns('ws', 'bot', 'act', 10);
      expect(runs.map((run) => run.at.slice(14, 16))).toEqual(['03', '02', '01']);
      // Opaque, distinct, and not the sequence numbers 1, 2, 3 they were shown as before.
      for (const run of runs) expect(run.id).toMatch(/^[0-9a-f-]{32,36}$/);
      expect(new Set(runs.map((run) => run.id)).size).toBe(3);
      const first = await store.pageRuns('ws', 'bot', 'act', { limit: 2 });
      const next = await store.pageRuns('ws', 'bot', 'act', { limit: 2, cursor: first.nextCursor! });
      expect([...first.items, ...next.items].map((run) => run.id)).toEqual(runs.map((run) => run.id));
      expect(await store.pruneRuns(1)).toBe(2);
      expect(
        (await store.hitRateLimit({ scope: 'test', workspaceId: 'ws', subject: 'user' }, 60_000, 1)).allowed,
      ).toBe(true);
    });
  });
}
