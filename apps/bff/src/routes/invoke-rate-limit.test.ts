import { routePath } from '@aihio/actions-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentInvoke, as, expectError, sampleAction } from '../test-support/fixtures';
import { createHarness, type Harness } from '../test-support/harness';

/**
 * The per-workspace invoke rate (item 3 of issue 11): a token bucket in the store, so every
 * instance on one database spends the same tokens. Refused invokes spend a token too, and a
 * rate-limited one is answered before anything else happens (no run row, no outbound call).
 */

let h: Harness;
const workspaces: { chatbotId: string; key: string }[] = [];

beforeAll(async () => {
  // One token a minute after a burst of 4: no refill comes while the test runs.
  h = await createHarness({ AIHIO_INVOKE_RATE_LIMIT: '1', AIHIO_INVOKE_RATE_BURST: '4' });
  for (const wid of ['ws-rate-a', 'ws-rate-b']) {
    const admin = as(h.app, await h.session({ wid, wname: wid }));
    const chatbotId = (await admin.post(routePath('chatbots')).send({ name: 'Bot' })).body.id as string;
    expect(
      (await admin.post(routePath('actions', { chatbotId })).send(sampleAction(h.upstreamOrigin))).status,
    ).toBe(201);
    workspaces.push({ chatbotId, key: (await admin.post(routePath('serviceKeys'))).body.key as string });
  }
});
afterAll(async () => {
  await h.close();
});

describe('invoke rate limit', () => {
  it('answers rate_limited 429 with Retry-After once the burst is spent, refused invokes included', async () => {
    const [a, b] = workspaces as [(typeof workspaces)[number], (typeof workspaces)[number]];
    expect((await agentInvoke(h.app, a.key, a.chatbotId, 'lookup_order')).status).toBe(200);
    // Refusals before the call (bad arguments, unknown identifier) spend tokens too.
    expectError(await agentInvoke(h.app, a.key, a.chatbotId, 'lookup_order', {}), 422, 'invalid_arguments');
    expectError(await agentInvoke(h.app, a.key, a.chatbotId, 'no_such_action'), 404, 'not_found');
    expect((await agentInvoke(h.app, a.key, a.chatbotId, 'lookup_order')).status).toBe(200);

    const limited = await agentInvoke(h.app, a.key, a.chatbotId, 'lookup_order');
    expectError(limited, 429, 'rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Through the Express route too (an Origin header takes the invoke off the lean path).
    const viaExpress = await agentInvoke(h.app, a.key, a.chatbotId, 'lookup_order').set(
      'Origin',
      'https://elsewhere.example',
    );
    expectError(viaExpress, 429, 'rate_limited');

    // Nothing of the refused calls reached the run history: 2 calls ran, 1 was refused by validation.
    const actionId = (await h.store.listActions('ws-rate-a', a.chatbotId))[0]!.id;
    expect(await h.store.listRuns('ws-rate-a', a.chatbotId, actionId, 100)).toHaveLength(3);

    // Another workspace has its own bucket.
    expect((await agentInvoke(h.app, b.key, b.chatbotId, 'lookup_order')).status).toBe(200);
  });

  it('shares the bucket between instances on one store', async () => {
    const [, b] = workspaces as [(typeof workspaces)[number], (typeof workspaces)[number]];
    // A second app (another instance) on the same store: b spent 1 of 4 above.
    const { createApp } = await import('../app');
    const other = createApp({
      config: h.config,
      store: h.store,
      keyring: h.keyring,
      egress: h.egress,
      logger: h.logger,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push(
        (await agentInvoke(i % 2 === 0 ? other : h.app, b.key, b.chatbotId, 'lookup_order')).status,
      );
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(3);
    expect(statuses.at(-1)).toBe(429);
  });
});
