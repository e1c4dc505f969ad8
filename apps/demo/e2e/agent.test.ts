import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { actionListResponseSchema, routePath } from '@aihio/actions-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent } from '../agent/fake-agent';
import { DEMO_TICKET_TOKEN, LEGACY_SANDBOX_ORIGIN, SANDBOX_ORIGIN } from '../dev/examples';
import { DEMO_CHATBOT_ID, seedDemo } from '../dev/seed';
import { type Stack, startStack } from './stack';

/**
 * The invoke path, whole: the fake agent lists the Demo chatbot's tools with a service key, its
 * model picks one, the BFF runs it through egress against the sandbox, and the model-ready
 * result comes back.
 */

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ ui: false });
  const created = await seedDemo({ bffUrl: stack.bffUrl, sandboxOrigin: stack.sandboxOrigin });
  expect(created).toEqual(['lookup_order', 'create_ticket']);
});

afterAll(async () => {
  await stack?.stop();
});

describe('the agent loop through the BFF to the sandbox', () => {
  it('seeds the examples once: a second run adds nothing', async () => {
    expect(await seedDemo({ bffUrl: stack.bffUrl, sandboxOrigin: stack.sandboxOrigin })).toEqual([]);
  });

  it('looks up an order: tools → model → invoke → model-ready result', async () => {
    const lines: string[] = [];
    const run = await runAgent({
      bffUrl: stack.bffUrl,
      chatbotId: DEMO_CHATBOT_ID,
      message: 'Hi, where is my order ord-123?',
      log: (line) => lines.push(line),
    });
    expect(run.tools.map((tool) => tool.name).sort()).toEqual(['create_ticket', 'lookup_order']);
    expect(run.call).toEqual({ name: 'lookup_order', arguments: { order_number: 'ORD-123' } });
    expect(run.result).toMatchObject({ ok: true, status: 200 });
    expect(run.result?.ok && JSON.parse(run.result.body)).toMatchObject({
      order_number: 'ORD-123',
      status: 'shipped',
    });
    expect(stack.sandbox.requests.at(-1)).toMatchObject({ method: 'GET', path: '/orders/ORD-123' });
    // The action names https://sandbox.aihio.test (port 443); the BFF's host map dialled the
    // sandbox's own port, and the request still carries the name.
    expect(stack.sandbox.requests.at(-1)?.headers.host).toBe('sandbox.aihio.test');
    // The temporary service key was removed again.
    const keys = await (await fetch(stack.bffUrl + routePath('serviceKeys'))).json();
    expect(keys).toEqual({ keys: [], nextCursor: null });
    expect(lines.join('\n')).toContain('lookup_order({"order_number":"ORD-123"})');
  });

  it('prints the loop from the command line (`pnpm --filter @aihio/demo agent "…"`)', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--conditions=@aihio/source',
        '--import',
        'tsx',
        'agent/fake-agent.ts',
        'where is my order ORD-789',
        '--bff',
        stack.bffUrl,
      ],
      { cwd: resolve(import.meta.dirname, '..'), timeout: 30_000 },
    );
    expect(stdout).toContain('visitor: where is my order ORD-789');
    expect(stdout).toContain('tools: lookup_order, create_ticket');
    expect(stdout).toContain('model: lookup_order({"order_number":"ORD-789"})');
    const printed = JSON.parse(
      stdout.slice(stdout.indexOf('result (model-ready):') + 'result (model-ready):'.length),
    );
    expect(printed).toMatchObject({ ok: true, status: 200, truncated: false });
    expect(JSON.parse(printed.body)).toMatchObject({ order_number: 'ORD-789', status: 'delivered' });
  });

  it('opens a ticket with the stored Bearer token, sending only the defined parameters', async () => {
    const message = 'My lamp arrived broken. Please open a ticket, I am ann@example.com';
    const run = await runAgent({ bffUrl: stack.bffUrl, chatbotId: DEMO_CHATBOT_ID, message });
    expect(run.call?.name).toBe('create_ticket');
    // A POST: the visitor confirmed what is sent where before the call ran.
    expect(run.confirmation?.text).toBe(
      'Opening a support ticket: this sends Subject “My lamp arrived broken.”, Message “My lamp arrived broken. Please open a ticket, I am ann@example.com” and Email “ann@example.com” to sandbox.aihio.test.',
    );
    expect(run.result).toMatchObject({ ok: true, status: 201 });
    const upstream = stack.sandbox.requests.at(-1)!;
    expect(upstream.headers.authorization).toBe(`Bearer ${DEMO_TICKET_TOKEN}`);
    expect(JSON.parse(upstream.body)).toEqual({
      subject: 'My lamp arrived broken.',
      message,
      email: 'ann@example.com',
    });
    expect(stack.bffOutput()).not.toContain(DEMO_TICKET_TOKEN);
  });

  it('hands the model a coded refusal, and calls nothing, when the credential is gone', async () => {
    const list = await (
      await fetch(stack.bffUrl + routePath('actions', { chatbotId: DEMO_CHATBOT_ID }))
    ).json();
    const ticket = (list.actions as { id: string; identifier: string }[]).find(
      (a) => a.identifier === 'create_ticket',
    )!;
    const removed = await fetch(
      stack.bffUrl + routePath('actionCredential', { chatbotId: DEMO_CHATBOT_ID, actionId: ticket.id }),
      { method: 'DELETE' },
    );
    expect(removed.ok).toBe(true);
    const before = stack.sandbox.requests.length;
    const run = await runAgent({
      bffUrl: stack.bffUrl,
      chatbotId: DEMO_CHATBOT_ID,
      message: 'My parcel is missing. Please open a ticket, I am bo@example.com',
    });
    expect(run.call?.name).toBe('create_ticket');
    expect(run.result).toEqual({
      ok: false,
      error: { code: 'credential_missing', message: expect.any(String) },
    });
    expect(stack.sandbox.requests.length).toBe(before);
  });

  it('does not offer or run a disabled action', async () => {
    const list = await (
      await fetch(stack.bffUrl + routePath('actions', { chatbotId: DEMO_CHATBOT_ID }))
    ).json();
    const lookup = (list.actions as { id: string; identifier: string }[]).find(
      (a) => a.identifier === 'lookup_order',
    )!;
    const off = await fetch(
      stack.bffUrl + routePath('actionEnabled', { chatbotId: DEMO_CHATBOT_ID, actionId: lookup.id }),
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ enabled: false }),
      },
    );
    expect(off.status).toBe(200);
    const before = stack.sandbox.requests.length;
    const run = await runAgent({
      bffUrl: stack.bffUrl,
      chatbotId: DEMO_CHATBOT_ID,
      message: 'where is order ORD-123',
    });
    expect(run.tools.map((tool) => tool.name)).toEqual(['create_ticket']);
    expect(run.call).toBeNull();
    expect(stack.sandbox.requests.length).toBe(before);
  });

  it('moves examples seeded at the old sandbox address (https://127.0.0.1) to the host name', async () => {
    const made = await fetch(stack.bffUrl + routePath('chatbots'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Seeded before the host map' }),
    });
    expect(made.status).toBe(201);
    const { id: chatbotId } = (await made.json()) as { id: string };
    const old = { bffUrl: stack.bffUrl, chatbotId, sandboxOrigin: LEGACY_SANDBOX_ORIGIN };
    expect(await seedDemo(old)).toEqual(['lookup_order', 'create_ticket']);

    const lines: string[] = [];
    expect(await seedDemo({ bffUrl: stack.bffUrl, chatbotId, log: (line) => lines.push(line) })).toEqual([]);
    expect(lines).toEqual([
      `moved lookup_order to ${SANDBOX_ORIGIN}/orders/{{order_number}}`,
      `moved create_ticket to ${SANDBOX_ORIGIN}/tickets`,
    ]);
    const list = actionListResponseSchema.parse(
      await (await fetch(stack.bffUrl + routePath('actions', { chatbotId }))).json(),
    );
    expect(list.actions.map((a) => [a.identifier, a.url, a.credential])).toEqual([
      ['lookup_order', `${SANDBOX_ORIGIN}/orders/{{order_number}}`, null],
      ['create_ticket', `${SANDBOX_ORIGIN}/tickets`, { last4: DEMO_TICKET_TOKEN.slice(-4) }],
    ]);
    // A third run changes nothing.
    lines.length = 0;
    expect(await seedDemo({ bffUrl: stack.bffUrl, chatbotId, log: (line) => lines.push(line) })).toEqual([]);
    expect(lines).toEqual([]);
  });
});
