import { routePath } from '@aihio/actions-core';
import BetterSqlite3 from 'better-sqlite3';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../http/logger';
import { runMaintenance } from '../maintenance';
import { as, sampleAction } from '../test-support/fixtures';
import { createHarness, type Harness } from '../test-support/harness';
import { pruneRuns } from './runs';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

describe('run retention', () => {
  it('keeps the newest runs per action', async () => {
    const admin = as(h.app, await h.session());
    const chatbotId = (await admin.post(routePath('chatbots')).send({ name: 'r' })).body.id as string;
    const actionId = (
      await admin.post(routePath('actions', { chatbotId })).send(sampleAction(h.upstreamOrigin))
    ).body.id as string;
    for (let i = 0; i < 5; i += 1) {
      await admin.post(routePath('actionTest', { chatbotId, actionId })).send({ values: {} });
    }
    const before = await h.store.listRuns('ws-a', chatbotId, actionId, 100);
    expect(before).toHaveLength(5);
    const removed = await pruneRuns({ store: h.store, logger: createLogger({ level: 'silent' }) }, 2);
    expect(removed).toBe(3);
    const after = await h.store.listRuns('ws-a', chatbotId, actionId, 100);
    expect(after.map((run) => run.id)).toEqual(before.slice(0, 2).map((run) => run.id));
  });
});

describe('/readyz', () => {
  it('is 503 unavailable when the store cannot answer', async () => {
    const broken = await createHarness();
    await broken.store.close();
    const res = await request(broken.app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('unavailable');
    await broken.close();
  });
});

describe('a failed retention', () => {
  it('is logged as an error and shown on /readyz, which stays ready', async () => {
    const admin = as(h.app, await h.session());
    const chatbotId = (await admin.post(routePath('chatbots')).send({ name: 'r' })).body.id as string;
    const actionId = (
      await admin.post(routePath('actions', { chatbotId })).send(sampleAction(h.upstreamOrigin))
    ).body.id as string;
    for (let i = 0; i < 3; i += 1) {
      await admin.post(routePath('actionTest', { chatbotId, actionId })).send({ values: {} });
    }
    // Another process holds the write lock past the store's busy timeout: reads go on (WAL),
    // the prune's deletes cannot.
    const other = new BetterSqlite3(h.sqlitePath);
    other.exec('begin immediate');
    try {
      await runMaintenance({ store: h.store, logger: h.logger }, 1, h.maintenance);
    } finally {
      other.exec('rollback');
      other.close();
    }
    const line = h.logs
      .map((text) => JSON.parse(text))
      .find((entry) => /run retention failed/.test(entry.msg));
    expect(line).toMatchObject({ level: 50 });
    const ready = await request(h.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', retention: { ok: false, error: 'unavailable' } });

    await runMaintenance({ store: h.store, logger: h.logger }, 1, h.maintenance);
    expect((await request(h.app).get('/readyz')).body.retention).toMatchObject({ ok: true });
    expect(await h.store.listRuns('ws-a', chatbotId, actionId, 10)).toHaveLength(1);
  }, 30_000);
});
