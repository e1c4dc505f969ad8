import { routePath } from '@aihio/actions-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../http/logger';
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
