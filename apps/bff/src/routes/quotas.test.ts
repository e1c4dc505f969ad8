import { routePath } from '@aihio/actions-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, expectError, sampleAction } from '../test-support/fixtures';
import { createHarness, type Harness } from '../test-support/harness';

/** Quotas (issue 11, item 2): configurable, `quota_exceeded` naming the limit, nothing created. */

let h: Harness;
beforeAll(async () => {
  h = await createHarness({
    AIHIO_QUOTA_ACTIONS_PER_CHATBOT: '2',
    AIHIO_QUOTA_CHATBOTS_PER_WORKSPACE: '2',
    AIHIO_QUOTA_SERVICE_KEYS_PER_WORKSPACE: '1',
  });
});
afterAll(async () => {
  await h.close();
});

describe('quotas', () => {
  it('refuses the action, chatbot and service key past each limit with quota_exceeded and the limit', async () => {
    const admin = as(h.app, await h.session({ wid: 'ws-quota' }));
    const chatbotId = (await admin.post(routePath('chatbots')).send({ name: 'One' })).body.id as string;
    for (const identifier of ['first', 'second']) {
      const res = await admin
        .post(routePath('actions', { chatbotId }))
        .send(sampleAction(h.upstreamOrigin, { identifier }));
      expect(res.status).toBe(201);
    }
    const third = await admin
      .post(routePath('actions', { chatbotId }))
      .send(sampleAction(h.upstreamOrigin, { identifier: 'third' }));
    expectError(third, 409, 'quota_exceeded');
    expect(third.body.error.message).toBe('A chatbot can have at most 2 actions: delete one to add another.');
    expect((await h.store.listActions('ws-quota', chatbotId)).map((a) => a.definition.identifier)).toEqual([
      'first',
      'second',
    ]);

    expect((await admin.post(routePath('chatbots')).send({ name: 'Two' })).status).toBe(201);
    const bot = await admin.post(routePath('chatbots')).send({ name: 'Three' });
    expectError(bot, 409, 'quota_exceeded');
    expect(bot.body.error.message).toContain('at most 2 chatbots');

    expect((await admin.post(routePath('serviceKeys'))).status).toBe(201);
    const key = await admin.post(routePath('serviceKeys'));
    expectError(key, 409, 'quota_exceeded');
    expect(key.body.error.message).toContain('at most 1 service keys');
    expect(key.body).not.toHaveProperty('key');
    expect(await h.store.listServiceKeys('ws-quota')).toHaveLength(1);

    // Another workspace counts its own.
    const other = as(h.app, await h.session({ wid: 'ws-quota-other' }));
    expect((await other.post(routePath('chatbots')).send({ name: 'One' })).status).toBe(201);
  });
});
