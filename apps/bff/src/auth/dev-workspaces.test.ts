import { routePath } from '@aihio/actions-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../test-support/fixtures';
import { createHarness, type Harness } from '../test-support/harness';
import { DEV_SEED, DEV_WORKSPACE_HEADER, seedDevWorkspace } from './dev-seed';

describe('development auth: the demo and the Free workspace', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ AIHIO_AUTH_MODE: 'dev' });
    await seedDevWorkspace(h.store);
    // Seeding twice (every start) changes nothing.
    await seedDevWorkspace(h.store);
  });
  afterAll(() => h.close());

  it('without the header every request is the demo admin on Starter', async () => {
    const me = await request(h.app).get(routePath('me'));
    expect(me.status).toBe(200);
    expect(me.body.workspace).toEqual(DEV_SEED.workspace);
    const actions = await request(h.app).get(routePath('actions', { chatbotId: DEV_SEED.chatbot.id }));
    expect(actions.status).toBe(200);
  });

  it('the header picks the Free workspace: its own chatbot, and actions answer plan_required', async () => {
    const free = (path: string) =>
      request(h.app).get(path).set(DEV_WORKSPACE_HEADER, DEV_SEED.freeWorkspace.id);
    const me = await free(routePath('me'));
    expect(me.body.workspace).toEqual({ id: 'demo-free', name: 'Free workspace', plan: 'free' });
    const chatbots = await free(routePath('chatbots'));
    expect(chatbots.body.chatbots.map((c: { id: string }) => c.id)).toEqual([DEV_SEED.freeChatbot.id]);
    expectError(
      await free(routePath('actions', { chatbotId: DEV_SEED.freeChatbot.id })),
      402,
      'plan_required',
    );
    // The other workspace's chatbot is not found from here (tenancy holds in development too).
    expectError(await free(routePath('chatbot', { chatbotId: DEV_SEED.chatbot.id })), 404, 'not_found');
  });

  it('an unknown workspace id falls back to the demo workspace', async () => {
    const me = await request(h.app).get(routePath('me')).set(DEV_WORKSPACE_HEADER, 'someone-else');
    expect(me.body.workspace.id).toBe(DEV_SEED.workspace.id);
  });
});
