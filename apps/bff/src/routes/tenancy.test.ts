import { routePath } from '@aihio/actions-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, sampleAction } from '../test-support/fixtures';
import { createHarness, type Harness } from '../test-support/harness';

/**
 * A user of workspace A tries every route on workspace B's chatbot and action. Every answer is
 * 404 (never 403, which would confirm they exist), and B's data is exactly as before.
 */

let h: Harness;
let userA: ReturnType<typeof as>;
let keyA: string;
const b = { chatbotId: '', actionId: '', keyId: '' };

async function snapshotOfB() {
  return {
    chatbots: await h.store.listChatbots('ws-b'),
    actions: await h.store.listActions('ws-b', b.chatbotId),
    runs: await h.store.listRuns('ws-b', b.chatbotId, b.actionId, 100),
    keys: await h.store.listServiceKeys('ws-b'),
  };
}

beforeAll(async () => {
  h = await createHarness();
  const userB = as(h.app, await h.session({ sub: 'user-b', wid: 'ws-b', wname: 'Workspace B' }));
  b.chatbotId = (await userB.post(routePath('chatbots')).send({ name: 'B bot' })).body.id;
  await userB
    .put(routePath('identitySecret', { chatbotId: b.chatbotId }))
    .send({ secret: 'b-identity-secret-xyz-0123456789abcdef' });
  const action = await userB
    .post(routePath('actions', { chatbotId: b.chatbotId }))
    .send(sampleAction(h.upstreamOrigin, { auth: { type: 'bearer' } }));
  b.actionId = action.body.id;
  await userB.put(routePath('actionCredential', b)).send({ secret: 'b-credential-0123456789' });
  await userB
    .post(routePath('actionTest', b))
    .send({ values: { order_number: '1' }, credential: 'typed-by-b-000' });
  b.keyId = (await userB.post(routePath('serviceKeys'))).body.id;

  userA = as(h.app, await h.session({ sub: 'user-a', wid: 'ws-a', role: 'admin' }));
  // A has the same kind of things, so a 404 is about B's ids, not A's emptiness.
  const botA = (await userA.post(routePath('chatbots')).send({ name: 'A bot' })).body.id;
  await userA.post(routePath('actions', { chatbotId: botA })).send(sampleAction(h.upstreamOrigin));
  keyA = (await userA.post(routePath('serviceKeys'))).body.key;
});
afterAll(async () => {
  await h.close();
});

describe('cross-tenant matrix', () => {
  it('every dashboard and agent route on B’s chatbot and action is 404 for A, and B’s data is unchanged', async () => {
    const before = await snapshotOfB();
    const definition = sampleAction(h.upstreamOrigin, {
      identifier: 'lookup_order',
      description: 'Hijacked.',
    });
    const agent = (test: request.Test) => test.set('Authorization', `Bearer ${keyA}`);
    const attempts: [string, request.Test][] = [
      ['GET chatbot', userA.get(routePath('chatbot', b))],
      [
        'PUT identity secret',
        userA.put(routePath('identitySecret', b)).send({ secret: 'hijacked-secret-1-0123456789abcdefghij' }),
      ],
      ['DELETE identity secret', userA.delete(routePath('identitySecret', b))],
      ['GET actions', userA.get(routePath('actions', b))],
      ['POST actions', userA.post(routePath('actions', b)).send(definition)],
      [
        'POST test draft',
        userA.post(routePath('testDraft', b)).send({ action: definition, values: { order_number: '1' } }),
      ],
      ['GET action', userA.get(routePath('action', b))],
      ['PUT action', userA.put(routePath('action', b)).set('If-Match', '"2"').send(definition)],
      ['DELETE action', userA.delete(routePath('action', b))],
      ['PUT enabled', userA.put(routePath('actionEnabled', b)).send({ enabled: false })],
      ['PUT credential', userA.put(routePath('actionCredential', b)).send({ secret: 'hijacked-credential' })],
      ['DELETE credential', userA.delete(routePath('actionCredential', b))],
      [
        'POST test saved',
        userA.post(routePath('actionTest', b)).send({ values: { order_number: '1' }, credential: 'x-12345' }),
      ],
      ['GET runs', userA.get(routePath('actionRuns', b))],
      ['DELETE service key', userA.delete(routePath('serviceKey', b))],
      ['GET agent tools', agent(request(h.app).get(routePath('agentTools', b)))],
      [
        'POST agent invoke',
        agent(request(h.app).post(routePath('agentInvoke', { ...b, identifier: 'lookup_order' }))).send({
          arguments: { order_number: '1' },
        }),
      ],
    ];
    const upstreamBefore = h.upstream.requests.length;
    for (const [name, attempt] of attempts) {
      const res = await attempt;
      expect({ name, status: res.status, code: res.body?.error?.code }).toEqual({
        name,
        status: 404,
        code: 'not_found',
      });
    }
    expect(h.upstream.requests.length).toBe(upstreamBefore);
    expect(await snapshotOfB()).toEqual(before);
  });

  it('lists never include another workspace’s rows', async () => {
    const chatbots = (await userA.get(routePath('chatbots'))).body.chatbots as { id: string }[];
    expect(chatbots.map((c) => c.id)).not.toContain(b.chatbotId);
    const keys = (await userA.get(routePath('serviceKeys'))).body.keys as { id: string }[];
    expect(keys.map((k) => k.id)).not.toContain(b.keyId);
  });
});
