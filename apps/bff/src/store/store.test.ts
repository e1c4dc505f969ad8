import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createStore } from './index';
import { testBackends } from './testing/backends';
import { actionDefinition, seedWorkspace, storeSuite } from './testing/store-suite';
import { StoreError } from './types';

// SQLite always; PostgreSQL too when DATABASE_URL is set (.ci/run sets it).
for (const backend of testBackends()) storeSuite(backend);

describe('createStore', () => {
  it('fails fast with `unavailable` when PostgreSQL cannot be reached', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const attempt = createStore({ url: 'postgres://postgres@127.0.0.1:1/none', pgConnectTimeoutMs: 2_000 });
    await expect(attempt).rejects.toBeInstanceOf(StoreError);
    await expect(attempt).rejects.toMatchObject({ code: 'unavailable' });
  });

  const url = process.env.DATABASE_URL;
  if (url) {
    it('prunes a history far larger than one statement may touch within the statement timeout', async () => {
      // 60,000 runs of one action. The old prune ranked and deleted them in one statement (over
      // 2 s here), which the 1 s statement timeout cancelled every time (in production: 1.2 M rows and
      // 10 s, every 10 minutes, for good).
      const [backend] = testBackends().filter((b) => b.name === 'postgres');
      const database = await backend!.create();
      try {
        const store = await database.open({ statementTimeoutMs: 1_000 });
        const { workspaceId, chatbotId } = await seedWorkspace(store);
        const action = await store.createAction(workspaceId, chatbotId, actionDefinition('busy'));
        await database.insertRuns({ workspaceId, chatbotId, actionId: action.id }, 60_000);
        expect(await store.pruneRuns(200, { batchSize: 2_000 })).toBe(60_000 - 200);
        expect(await store.listRuns(workspaceId, chatbotId, action.id, 500)).toHaveLength(200);
      } finally {
        await database.destroy();
      }
    }, 120_000);

    it('answers `unavailable` instead of hanging when PostgreSQL does not answer in time', async () => {
      const schema = `test_${randomBytes(6).toString('hex')}`;
      const store = await createStore({ url, pgSchema: schema, pgStatementTimeoutMs: 300 });
      const blocker = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
      await blocker.connect();
      try {
        await blocker.query('begin');
        await blocker.query('lock table workspaces in access exclusive mode');
        await expect(store.getWorkspace('any')).rejects.toMatchObject({ code: 'unavailable' });
        await blocker.query('rollback');
        expect(await store.getWorkspace('any')).toBeNull();
      } finally {
        await store.close();
        await blocker.query(`drop schema if exists "${schema}" cascade`);
        await blocker.end();
      }
    });
  }
});
