import { createHmac } from 'node:crypto';
import {
  invokeResultSchema,
  routePath,
  TOOL_FORMATS,
  toolListResponseSchema,
  toolRuleViolations,
  toToolDefinition,
} from '@aihio/actions-core';
import { SignJWT } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { as, expectError, sampleAction } from '../test-support/fixtures';
import { createHarness, type Harness } from '../test-support/harness';
import { echoHandler, type SeenRequest } from '../test-support/upstream';

const IDENTITY_SECRET = 'chatbot-identity-secret-0123456789';

let h: Harness;
let admin: ReturnType<typeof as>;
let chatbotId: string;
let serviceKey: string;

function agent(method: 'get' | 'post', url: string, key = serviceKey) {
  return request(h.app)[method](url).set('Authorization', `Bearer ${key}`);
}
const invokeUrl = (identifier: string, bot = chatbotId) =>
  routePath('agentInvoke', { chatbotId: bot, identifier });

async function create(overrides: Parameters<typeof sampleAction>[1]) {
  const res = await admin
    .post(routePath('actions', { chatbotId }))
    .send(sampleAction(h.upstreamOrigin, overrides));
  expect(res.status).toBe(201);
  return res.body as { id: string; version: number };
}

function visitorJwt(claims: Record<string, string>, secret = IDENTITY_SECRET) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(secret));
}

beforeAll(async () => {
  h = await createHarness({ AIHIO_INVOKE_BODY_BUDGET: '512' });
  admin = as(h.app, await h.session());
  chatbotId = (await admin.post(routePath('chatbots')).send({ name: 'Agent bot' })).body.id;
  await admin.put(routePath('identitySecret', { chatbotId })).send({ secret: IDENTITY_SECRET });
  serviceKey = (await admin.post(routePath('serviceKeys'))).body.key;

  await create({ identifier: 'lookup_order' });
  const off = await create({ identifier: 'turned_off' });
  await admin.put(routePath('actionEnabled', { chatbotId, actionId: off.id })).send({ enabled: false });
  await create({ identifier: 'needs_token', auth: { type: 'bearer' } });
  const withToken = await create({ identifier: 'has_token', auth: { type: 'bearer' } });
  await admin
    .put(routePath('actionCredential', { chatbotId, actionId: withToken.id }))
    .send({ secret: 'upstream-token-abcdef123456' });
  await create({
    identifier: 'who_am_i',
    method: 'POST',
    url: `${h.upstreamOrigin}/echo/me`,
    parameters: [],
    headers: [{ name: 'Content-Type', value: 'application/json' }],
    body: '{"user":"{{identity.user_id}}","email":"{{identity.email}}"}',
    requireVerifiedIdentity: true,
    // Identity is what this one tests; confirmation has its own tests below.
    confirmation: 'never',
  });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.upstream.handler = echoHandler;
  h.upstream.requests.length = 0;
});

describe('service-key authentication', () => {
  it('refuses no key, a wrong key, a session token and a revoked key', async () => {
    const tools = routePath('agentTools', { chatbotId });
    expectError(await request(h.app).get(tools), 401, 'unauthenticated');
    expectError(await agent('get', tools, 'aihio_sk_wrong'), 401, 'unauthenticated');
    expectError(await agent('get', tools, await h.session()), 401, 'unauthenticated');
    const revoked = (await admin.post(routePath('serviceKeys'))).body;
    expect((await agent('get', tools, revoked.key)).status).toBe(200);
    await admin.delete(routePath('serviceKey', { keyId: revoked.id }));
    expectError(await agent('get', tools, revoked.key), 401, 'unauthenticated');
  });

  it('refuses a workspace below Starter with plan_required', async () => {
    const free = as(h.app, await h.session({ wid: 'ws-free', sub: 'f', plan: 'free' }));
    const bot = (await free.post(routePath('chatbots')).send({ name: 'free' })).body.id;
    const key = (await free.post(routePath('serviceKeys'))).body.key;
    expectError(await agent('get', routePath('agentTools', { chatbotId: bot }), key), 402, 'plan_required');
    expectError(await agent('post', invokeUrl('x', bot), key).send({ arguments: {} }), 402, 'plan_required');
  });
});

describe('tools', () => {
  it('lists the enabled actions as tool definitions', async () => {
    const res = await agent('get', routePath('agentTools', { chatbotId }));
    expect(res.status).toBe(200);
    const { tools } = toolListResponseSchema.parse(res.body);
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['lookup_order', 'needs_token', 'has_token', 'who_am_i']));
    expect(names).not.toContain('turned_off');
    const lookup = tools.find((tool) => tool.name === 'lookup_order')!;
    expect(lookup.parameters.required).toEqual(['order_number']);
    expect(lookup.parameters.properties.order_number).toBeDefined();
  });

  it('is not_found for an unknown chatbot', async () => {
    expectError(await agent('get', routePath('agentTools', { chatbotId: 'nope' })), 404, 'not_found');
  });

  it.each(TOOL_FORMATS)(
    '?format=%s: each enabled action in the provider’s shape, obeying its rules',
    async (format) => {
      const res = await agent('get', `${routePath('agentTools', { chatbotId })}?format=${format}`);
      expect(res.status).toBe(200);
      const { tools } = res.body as { tools: Record<string, unknown>[] };
      expect(tools.length).toBeGreaterThanOrEqual(4);
      for (const tool of tools) expect(toolRuleViolations(tool, format), JSON.stringify(tool)).toEqual([]);
      const actions = await h.store.listActions('ws-a', chatbotId);
      const expected = actions
        .filter((a) => a.definition.enabled)
        .map((a) => toToolDefinition(a.definition, { format }));
      expect(tools).toEqual(expected);
    },
  );

  it('refuses an unknown format with invalid_request', async () => {
    expectError(
      await agent('get', `${routePath('agentTools', { chatbotId })}?format=gemini`),
      400,
      'invalid_request',
    );
  });
});

describe('invoke', () => {
  it('runs the action: model-ready status and body as text; records an agent run', async () => {
    const res = await agent('post', invokeUrl('lookup_order')).send({
      arguments: { order_number: 'A-1', extra: 'ignored' },
    });
    expect(res.status).toBe(200);
    const result = invokeResultSchema.parse(res.body);
    expect(result).toMatchObject({ ok: true, status: 200, truncated: false });
    if (!result.ok) return;
    const seen = JSON.parse(result.body) as SeenRequest;
    expect(seen.path).toBe('/echo/orders/A-1?verbose=yes');
    // Only defined parameters go upstream.
    expect(JSON.stringify(seen)).not.toContain('ignored');
    const action = await h.store.getActionByIdentifier('ws-a', chatbotId, 'lookup_order');
    const [run] = await h.store.listRuns('ws-a', chatbotId, action!.id, 1);
    expect(run).toMatchObject({ source: 'agent', outcome: 'ok', httpStatus: 200 });
  });

  it('cuts the body to the budget and flags it', async () => {
    h.upstream.handler = (_req, res) => res.end('é'.repeat(1000));
    const result = invokeResultSchema.parse(
      (await agent('post', invokeUrl('lookup_order')).send({ arguments: { order_number: '1' } })).body,
    );
    expect(result).toMatchObject({ ok: true, truncated: true });
    if (result.ok) {
      expect(Buffer.byteLength(result.body)).toBeLessThanOrEqual(512);
      expect(result.body).toBe('é'.repeat(256));
    }
  });

  it('sends the stored credential, and keeps it out of the echo the agent gets back', async () => {
    const result = invokeResultSchema.parse(
      (await agent('post', invokeUrl('has_token')).send({ arguments: { order_number: '1' } })).body,
    );
    if (!result.ok) throw new Error(result.error.code);
    expect(h.upstream.requests.at(-1)?.headers.authorization).toBe('Bearer upstream-token-abcdef123456');
    expect((JSON.parse(result.body) as SeenRequest).headers.authorization).toBe('Bearer [redacted]');
  });

  it.each([
    ['an unknown identifier', 'no_such_action', { arguments: {} }, 404, 'not_found'],
    ['a disabled action', 'turned_off', { arguments: { order_number: '1' } }, 409, 'action_disabled'],
    ['invalid arguments', 'lookup_order', { arguments: { order_number: '' } }, 422, 'invalid_arguments'],
    [
      'an authenticated action without a stored credential',
      'needs_token',
      { arguments: { order_number: '1' } },
      409,
      'credential_missing',
    ],
    ['identity fields without a verified visitor', 'who_am_i', { arguments: {} }, 403, 'identity_unverified'],
  ])(
    'refuses %s with a coded error and makes no outbound call',
    async (_name, identifier, body, status, code) => {
      const res = await agent('post', invokeUrl(identifier)).send(body);
      expectError(res, status, code);
      expect(h.upstream.requests).toHaveLength(0);
    },
  );

  it('puts the argument issues in details', async () => {
    const res = await agent('post', invokeUrl('lookup_order')).send({ arguments: { order_number: ['x'] } });
    expectError(res, 422, 'invalid_arguments');
    expect(res.body.error.details.issues[0]).toMatchObject({
      path: expect.arrayContaining(['order_number']),
    });
  });

  it('refuses a malformed body with invalid_request', async () => {
    expectError(await agent('post', invokeUrl('lookup_order')).send({ args: {} }), 400, 'invalid_request');
    expectError(
      await agent('post', invokeUrl('lookup_order')).send({ arguments: {}, identity: { method: 'magic' } }),
      400,
      'invalid_request',
    );
  });

  it('records refusals of an existing action in its history', async () => {
    await agent('post', invokeUrl('turned_off')).send({ arguments: {} });
    const action = await h.store.getActionByIdentifier('ws-a', chatbotId, 'turned_off');
    const [run] = await h.store.listRuns('ws-a', chatbotId, action!.id, 1);
    expect(run).toMatchObject({ source: 'agent', outcome: 'action_disabled', httpStatus: null });
  });

  describe('visitor identity', () => {
    it('a JWT signed with the chatbot’s secret fills identity fields (sub → user_id)', async () => {
      const token = await visitorJwt({ sub: 'visitor-42', email: 'v@example.com', role: 'ignored' });
      const res = await agent('post', invokeUrl('who_am_i')).send({
        arguments: {},
        identity: { method: 'jwt', token },
      });
      const result = invokeResultSchema.parse(res.body);
      if (!result.ok) throw new Error(result.error.code);
      expect(JSON.parse((JSON.parse(result.body) as SeenRequest).body)).toEqual({
        user: 'visitor-42',
        email: 'v@example.com',
      });
    });

    it('a JWT signed with another secret, expired or garbage is identity_unverified, with no call', async () => {
      const wrong = await visitorJwt({ sub: 'v', email: 'v@example.com' }, 'another-secret-entirely-000000');
      const expired = await new SignJWT({ sub: 'v', email: 'v@example.com' })
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(new TextEncoder().encode(IDENTITY_SECRET));
      for (const token of [wrong, expired, 'not.a.jwt']) {
        const res = await agent('post', invokeUrl('lookup_order')).send({
          arguments: { order_number: '1' },
          identity: { method: 'jwt', token },
        });
        expectError(res, 403, 'identity_unverified');
      }
      expect(h.upstream.requests).toHaveLength(0);
    });

    it('an HMAC user hash verifies for display only: identity references fail closed', async () => {
      const hash = createHmac('sha256', IDENTITY_SECRET).update('visitor-7').digest('hex');
      const plain = await agent('post', invokeUrl('lookup_order')).send({
        arguments: { order_number: '1' },
        identity: { method: 'hmac', userId: 'visitor-7', hash },
      });
      expect(invokeResultSchema.parse(plain.body).ok).toBe(true);
      const withRefs = await agent('post', invokeUrl('who_am_i')).send({
        arguments: {},
        identity: { method: 'hmac', userId: 'visitor-7', hash },
      });
      expectError(withRefs, 403, 'identity_unverified');
      const forged = await agent('post', invokeUrl('lookup_order')).send({
        arguments: { order_number: '1' },
        identity: { method: 'hmac', userId: 'visitor-8', hash },
      });
      expectError(forged, 403, 'identity_unverified');
      expect(h.upstream.requests).toHaveLength(1);
    });

    it('without an identity secret on the chatbot, no identity verifies', async () => {
      const bare = (await admin.post(routePath('chatbots')).send({ name: 'No secret' })).body.id as string;
      await admin.post(routePath('actions', { chatbotId: bare })).send(sampleAction(h.upstreamOrigin));
      const token = await visitorJwt({ sub: 'v' });
      const res = await agent('post', invokeUrl('lookup_order', bare)).send({
        arguments: { order_number: '1' },
        identity: { method: 'jwt', token },
      });
      expectError(res, 403, 'identity_unverified');
    });
  });

  it('a credential copied from another action does not open: internal_error, no call, no secret', async () => {
    const source = await h.store.getActionByIdentifier('ws-a', chatbotId, 'has_token');
    const target = await h.store.getActionByIdentifier('ws-a', chatbotId, 'needs_token');
    await h.store.setCredential('ws-a', chatbotId, target!.id, source!.credentialSealed, 'copy');
    try {
      const res = await agent('post', invokeUrl('needs_token')).send({ arguments: { order_number: '1' } });
      expectError(res, 500, 'internal_error');
      expect(res.text).not.toContain('upstream-token');
      expect(h.upstream.requests).toHaveLength(0);
      expect(h.logs.join('')).toContain('"keyringError":"decrypt_failed"');
    } finally {
      await h.store.setCredential('ws-a', chatbotId, target!.id, null, null);
    }
  });

  it('returns egress failures as { ok: false } results with the code', async () => {
    const draft = sampleAction('https://127.0.0.1', { identifier: 'internal_target' });
    await admin.post(routePath('actions', { chatbotId })).send(draft);
    const res = await agent('post', invokeUrl('internal_target')).send({ arguments: { order_number: '1' } });
    expect(res.status).toBe(200);
    expect(invokeResultSchema.parse(res.body)).toEqual({
      ok: false,
      error: { code: 'blocked_destination', message: expect.any(String) },
    });
  });
});
