import { routePath } from '@aihio/actions-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, expectError, sampleAction } from '../test-support/fixtures';
import { createHarness, type Harness } from '../test-support/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

describe('list pages', () => {
  it('pages actions with limit and an opaque cursor; a bad cursor is invalid_cursor, a bad limit invalid_request', async () => {
    const admin = as(h.app, await h.session({ wid: 'ws-pages' }));
    const chatbotId = (await admin.post(routePath('chatbots')).send({ name: 'Pages' })).body.id as string;
    for (const identifier of ['a_one', 'a_two', 'a_three']) {
      await admin
        .post(routePath('actions', { chatbotId }))
        .send(sampleAction(h.upstreamOrigin, { identifier }));
    }
    const url = routePath('actions', { chatbotId });
    const first = await admin.get(`${url}?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.actions).toHaveLength(2);
    expect(typeof first.body.nextCursor).toBe('string');
    const second = await admin.get(`${url}?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body).toMatchObject({ nextCursor: null });
    expect(
      [...first.body.actions, ...second.body.actions].map((a: { identifier: string }) => a.identifier),
    ).toEqual(['a_one', 'a_two', 'a_three']);
    expectError(await admin.get(`${url}?cursor=nonsense`), 400, 'invalid_cursor');
    expectError(await admin.get(`${url}?limit=101`), 400, 'invalid_request');
    const bots = await admin.get(`${routePath('chatbots')}?limit=1`);
    expectError(
      await admin.get(`${url}?cursor=${encodeURIComponent(bots.body.nextCursor ?? 'x')}`),
      400,
      'invalid_cursor',
    );
  });
});
