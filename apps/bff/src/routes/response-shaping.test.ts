import { invokeResultSchema, routePath, testResultSchema } from '@aihio/actions-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { agentInvoke, as, expectError, sampleAction } from '../test-support/fixtures';
import { createHarness, type Harness } from '../test-support/harness';
import { echoHandler, type SeenRequest } from '../test-support/upstream';

/**
 * What the agent sees of a response (the action's `response` shaping) and typed parameters, end
 * to end: saved through the dashboard API, invoked through the agent API against a real HTTPS
 * upstream on loopback, and shown raw and shaped side by side in the test panel's result.
 */

const TOKEN = 'upstream-token-abcdef123456';
let h: Harness;
let admin: ReturnType<typeof as>;
let chatbotId: string;
let serviceKey: string;

const ORDER = {
  id: 'ORD-1',
  status: 'shipped',
  customer: { name: 'Ann', email: 'ann@example.com', internalScore: 7 },
  items: [
    { sku: 'A', qty: 2, warehouse: { bin: 'X1', cost: 3 } },
    { sku: 'B', qty: 1, warehouse: { bin: 'Y2', cost: 9 } },
  ],
  audit: 'x'.repeat(5000),
};

async function create(overrides: Parameters<typeof sampleAction>[1]) {
  const res = await admin
    .post(routePath('actions', { chatbotId }))
    .send(sampleAction(h.upstreamOrigin, overrides));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; version: number };
}

beforeAll(async () => {
  h = await createHarness({ AIHIO_INVOKE_BODY_BUDGET: '4096' });
  admin = as(h.app, await h.session());
  chatbotId = (await admin.post(routePath('chatbots')).send({ name: 'Shaping bot' })).body.id;
  serviceKey = (await admin.post(routePath('serviceKeys'))).body.key;
  await create({
    identifier: 'order_summary',
    url: `${h.upstreamOrigin}/orders/{{order_number}}`,
    response: {
      pick: ['id', 'status', 'customer', 'items[*].sku', 'items[*].qty', 'echo'],
      omit: ['customer.internalScore'],
    },
  });
  const secretEcho = await create({
    identifier: 'echo_token',
    url: `${h.upstreamOrigin}/orders/{{order_number}}`,
    auth: { type: 'bearer' },
    response: { pick: ['echo'] },
  });
  await admin
    .put(routePath('actionCredential', { chatbotId, actionId: secretEcho.id }))
    .send({ secret: TOKEN });
  await create({
    identifier: 'short_view',
    url: `${h.upstreamOrigin}/orders/{{order_number}}`,
    response: { maxChars: 120 },
  });
  await create({
    identifier: 'create_order',
    // This test is about typed values, not the visitor's confirmation of a POST.
    confirmation: 'never',
    method: 'POST',
    url: `${h.upstreamOrigin}/echo/orders?day={{day}}&gift={{gift}}`,
    headers: [{ name: 'X-Qty', value: '{{qty}}' }],
    body: '{"qty": {{qty}}, "price": {{price}}, "gift": {{gift}}, "status": "{{status}}", "day": "{{day}}"}',
    parameters: [
      { name: 'qty', label: 'Quantity', type: 'integer', required: true },
      { name: 'price', label: 'Price', type: 'number', required: true },
      { name: 'gift', label: 'Gift', type: 'boolean', required: true },
      { name: 'status', label: 'Status', type: 'enum', choices: ['open', 'on hold'], required: true },
      { name: 'day', label: 'Day', type: 'date', required: true },
    ],
  });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.upstream.requests.length = 0;
  h.upstream.handler = (req, res) => {
    res.setHeader('content-type', 'application/json');
    // An echo of the auth header inside the JSON, spelled with a JSON escape the text redaction
    // cannot see before parsing.
    const auth = String(req.headers.authorization ?? '').replace('u', '\\u0075');
    res.end(JSON.stringify(ORDER).replace(/}$/, `,"echo":"${auth}"}`));
  };
});

describe('response shaping', () => {
  it('gives the agent only the picked paths, minus the omitted ones', async () => {
    const result = invokeResultSchema.parse(
      (await agentInvoke(h.app, serviceKey, chatbotId, 'order_summary')).body,
    );
    expect(result).toMatchObject({ ok: true, status: 200, truncated: false });
    if (!result.ok) return;
    expect(JSON.parse(result.body)).toEqual({
      id: 'ORD-1',
      status: 'shipped',
      customer: { name: 'Ann', email: 'ann@example.com' },
      items: [
        { sku: 'A', qty: 2 },
        { sku: 'B', qty: 1 },
      ],
      echo: '',
    });
  });

  it('redacts the credential after shaping too (an escaped echo decodes to it)', async () => {
    const result = invokeResultSchema.parse(
      (await agentInvoke(h.app, serviceKey, chatbotId, 'echo_token')).body,
    );
    if (!result.ok) throw new Error(result.error.code);
    expect(h.upstream.requests.at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(result.body).toBe('{"echo":"Bearer [redacted]"}');
  });

  it('cuts to maxChars and flags it', async () => {
    const result = invokeResultSchema.parse(
      (await agentInvoke(h.app, serviceKey, chatbotId, 'short_view')).body,
    );
    if (!result.ok) throw new Error(result.error.code);
    expect(result).toMatchObject({ truncated: true });
    expect(result.body).toHaveLength(120);
    expect(result.body).toBe(JSON.stringify(ORDER).slice(0, 120));
  });

  it('passes a non-JSON body through, cut to the budget', async () => {
    h.upstream.handler = (_req, res) => res.end(`<html>${'x'.repeat(6000)}</html>`);
    const result = invokeResultSchema.parse(
      (await agentInvoke(h.app, serviceKey, chatbotId, 'order_summary')).body,
    );
    if (!result.ok) throw new Error(result.error.code);
    expect(result).toMatchObject({ truncated: true });
    expect(result.body).toBe(`<html>${'x'.repeat(4090)}`);
  });

  it('refuses an invalid path with validation_failed and changes nothing', async () => {
    const before = await h.store.listActions('ws-a', chatbotId);
    const res = await admin.post(routePath('actions', { chatbotId })).send(
      sampleAction(h.upstreamOrigin, {
        identifier: 'bad_paths',
        response: { pick: ['items[0].sku'], omit: ['a..b'] },
      }),
    );
    expectError(res, 422, 'validation_failed');
    expect(res.body.error.details.issues).toEqual([
      expect.objectContaining({ code: 'response_path_invalid', path: ['response', 'pick', 0] }),
      expect.objectContaining({ code: 'response_path_invalid', path: ['response', 'omit', 0] }),
    ]);
    expect(await h.store.listActions('ws-a', chatbotId)).toHaveLength(before.length);
  });

  it('the test panel gets the raw response and what the agent receives, side by side', async () => {
    const res = await admin.post(routePath('testDraft', { chatbotId })).send({
      action: sampleAction(h.upstreamOrigin, {
        url: `${h.upstreamOrigin}/orders/{{order_number}}`,
        auth: { type: 'bearer' },
        response: { pick: ['status', 'echo'] },
      }),
      values: { order_number: '1' },
      credential: TOKEN,
    });
    const result = testResultSchema.parse(res.body);
    if (!result.ok) throw new Error(result.error.code);
    // Raw: what the endpoint sent (the owner typed this credential, so the echo shows it).
    expect(JSON.parse(result.body)).toMatchObject({ id: 'ORD-1', echo: `Bearer ${TOKEN}` });
    expect(result.agent).toEqual({
      body: '{"status":"shipped","echo":"Bearer [redacted]"}',
      truncated: false,
    });
  });
});

describe('typed parameters through the agent API', () => {
  it('the tool says the types, and "3" for an integer is sent as the JSON number 3', async () => {
    const tools = await request(h.app, serviceKey, routePath('agentTools', { chatbotId }));
    const tool = tools.tools.find((t: { name: string }) => t.name === 'create_order');
    expect(tool.parameters.properties).toMatchObject({
      qty: { type: 'integer' },
      price: { type: 'number' },
      gift: { type: 'boolean' },
      status: { type: 'string', enum: ['open', 'on hold'] },
      day: { type: 'string', format: 'date' },
    });
    h.upstream.handler = echoHandler;
    const result = invokeResultSchema.parse(
      (
        await agentInvoke(h.app, serviceKey, chatbotId, 'create_order', {
          qty: '3',
          price: 2.5,
          gift: false,
          status: 'on hold',
          day: '2026-02-28',
        })
      ).body,
    );
    if (!result.ok) throw new Error(result.error.code);
    const seen = JSON.parse(result.body) as SeenRequest;
    expect(seen.path).toBe('/echo/orders?day=2026-02-28&gift=false');
    expect(seen.headers['x-qty']).toBe('3');
    expect(JSON.parse(seen.body)).toEqual({
      qty: 3,
      price: 2.5,
      gift: false,
      status: 'on hold',
      day: '2026-02-28',
    });
  });

  it('refuses "3.5" for an integer, a made-up choice and an impossible date, each at its field, calling nothing', async () => {
    const res = await agentInvoke(h.app, serviceKey, chatbotId, 'create_order', {
      qty: '3.5',
      price: 1,
      gift: 'yes',
      status: 'closed',
      day: '2026-02-30',
    });
    expectError(res, 422, 'invalid_arguments');
    expect(
      res.body.error.details.issues.map((i: { code: string; path: string[] }) => [i.code, i.path[1]]),
    ).toEqual([
      ['value_integer', 'qty'],
      ['value_boolean', 'gift'],
      ['value_enum', 'status'],
      ['value_date', 'day'],
    ]);
    expect(h.upstream.requests).toHaveLength(0);
  });
});

async function request(app: Harness['app'], key: string, path: string) {
  const supertest = (await import('supertest')).default;
  const res = await supertest(app).get(path).set('Authorization', `Bearer ${key}`);
  expect(res.status).toBe(200);
  return res.body;
}
