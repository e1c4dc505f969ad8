import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { routePath, toolListResponseSchema, toolRuleViolations } from '@aihio/actions-core';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SignJWT } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { as, expectError, sampleAction } from '../test-support/fixtures';
import { createHarness, type Harness } from '../test-support/harness';
import { echoHandler } from '../test-support/upstream';
import { CONFIRMATION_META_KEY } from './agent-mcp';

/**
 * The MCP server, through the official MCP client SDKs (v2 in the 2026-07-28 revision and in its
 * default 2025 mode, and the v1 SDK), against a real BFF listening on loopback with a real upstream.
 */

const IDENTITY_SECRET = 'chatbot-identity-secret-0123456789';
const ALLOWED_ORIGIN = 'https://dashboard.example';

let h: Harness;
let server: Server;
let base: string;
let admin: ReturnType<typeof as>;
let chatbotId: string;
let serviceKey: string;

const mcpPath = (bot = chatbotId) => routePath('agentMcp', { chatbotId: bot });

function visitorJwt(sub: string) {
  return new SignJWT({ email: `${sub}@example.com` })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setAudience(chatbotId)
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(IDENTITY_SECRET));
}

type Mode = 'modern' | 'legacy';

async function v2Client(
  mode: Mode,
  options: { headers?: Record<string, string>; onElicit?: (message: string) => boolean } = {},
) {
  const client = new Client(
    { name: 'aihio-test', version: '1.0.0' },
    {
      ...(mode === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
      ...(options.onElicit ? { capabilities: { elicitation: { form: {} } } } : {}),
    },
  );
  if (options.onElicit) {
    const answer = options.onElicit;
    client.setRequestHandler('elicitation/create', async (req) => {
      const confirm = answer(req.params.message);
      return confirm ? { action: 'accept', content: { confirm: true } } : { action: 'decline' };
    });
  }
  const transport = new StreamableHTTPClientTransport(new URL(base + mcpPath()), {
    requestInit: { headers: { authorization: `Bearer ${serviceKey}`, ...options.headers } },
  });
  await client.connect(transport);
  return client;
}

async function v1Client(headers: Record<string, string> = {}) {
  const client = new ClientV1({ name: 'aihio-test-v1', version: '1.0.0' });
  const transport = new TransportV1(new URL(base + mcpPath()), {
    requestInit: { headers: { authorization: `Bearer ${serviceKey}`, ...headers } },
  });
  await client.connect(transport);
  return client;
}

function textOf(result: { content?: unknown }): string {
  const content = (result.content ?? []) as { type: string; text?: string }[];
  return content.map((block) => block.text ?? '').join('\n');
}

beforeAll(async () => {
  h = await createHarness({ AIHIO_INVOKE_BODY_BUDGET: '4096', AIHIO_CORS_ORIGINS: ALLOWED_ORIGIN });
  admin = as(h.app, await h.session());
  chatbotId = (await admin.post(routePath('chatbots')).send({ name: 'MCP bot' })).body.id;
  await admin.put(routePath('identitySecret', { chatbotId })).send({ secret: IDENTITY_SECRET });
  serviceKey = (await admin.post(routePath('serviceKeys'))).body.key;
  const create = async (overrides: Parameters<typeof sampleAction>[1]) => {
    const res = await admin
      .post(routePath('actions', { chatbotId }))
      .send(sampleAction(h.upstreamOrigin, overrides));
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string };
  };
  await create({ identifier: 'lookup_order', visitorLabel: 'Looking up your order' });
  await create({
    identifier: 'create_ticket',
    description: 'Open a support ticket.',
    method: 'POST',
    url: `${h.upstreamOrigin}/echo/tickets`,
    headers: [{ name: 'Content-Type', value: 'application/json' }],
    body: '{"subject":"{{subject}}"}',
    parameters: [{ name: 'subject', label: 'Subject', type: 'text', required: true }],
  });
  await create({ identifier: 'remove_order', method: 'DELETE' });
  await create({
    identifier: 'who_am_i',
    method: 'POST',
    url: `${h.upstreamOrigin}/echo/me`,
    parameters: [],
    headers: [{ name: 'Content-Type', value: 'application/json' }],
    body: '{"user":"{{identity.user_id}}"}',
    requireVerifiedIdentity: true,
    confirmation: 'never',
  });
  const off = await create({ identifier: 'turned_off' });
  await admin.put(routePath('actionEnabled', { chatbotId, actionId: off.id })).send({ enabled: false });

  server = createServer(h.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await h.close();
});
beforeEach(() => {
  h.upstream.handler = echoHandler;
  h.upstream.requests.length = 0;
});

describe('MCP: who may connect', () => {
  const initialize = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  };
  const post = (path: string) =>
    request(h.app).post(path).set('Accept', 'application/json, text/event-stream').send(initialize);

  it('a missing or unknown key is 401, checked before the chatbot (also for one that does not exist)', async () => {
    expectError(await post(mcpPath()), 401, 'unauthenticated');
    expectError(await post(mcpPath('no-such-bot')), 401, 'unauthenticated');
    expectError(
      await post(mcpPath()).set('Authorization', 'Bearer aihio_sk_unknown'),
      401,
      'unauthenticated',
    );
  });

  it('a chatbot outside the key’s workspace, or none, is 404', async () => {
    const other = as(h.app, await h.session({ wid: 'ws-b', sub: 'b' }));
    const foreign = (await other.post(routePath('chatbots')).send({ name: 'B' })).body.id;
    expectError(await post(mcpPath(foreign)).set('Authorization', `Bearer ${serviceKey}`), 404, 'not_found');
    expectError(
      await post(mcpPath('no-such-bot')).set('Authorization', `Bearer ${serviceKey}`),
      404,
      'not_found',
    );
  });

  it('an Origin outside AIHIO_CORS_ORIGINS is 403 even with a valid key; an allowed one is served', async () => {
    const withKey = () => post(mcpPath()).set('Authorization', `Bearer ${serviceKey}`);
    expectError(await withKey().set('Origin', 'https://evil.example'), 403, 'forbidden');
    const allowed = await withKey().set('Origin', ALLOWED_ORIGIN);
    expect(allowed.status).toBe(200);
    const noOrigin = await withKey();
    expect(noOrigin.status).toBe(200);
  });
});

describe.each(['modern', 'legacy'] as const)('MCP with the v2 client SDK (%s)', (mode) => {
  it(`negotiates ${mode === 'modern' ? '2026-07-28 (server/discover)' : '2025-11-25 (initialize)'}`, async () => {
    const client = await v2Client(mode);
    expect(client.getNegotiatedProtocolVersion()).toBe(mode === 'modern' ? '2026-07-28' : '2025-11-25');
    await client.close();
  });

  it('lists one tool per enabled action: the agent API’s schema, annotations from the method', async () => {
    const client = await v2Client(mode);
    const { tools } = await client.listTools();
    await client.close();
    expect(tools.map((tool) => tool.name)).toEqual([
      'lookup_order',
      'create_ticket',
      'remove_order',
      'who_am_i',
    ]);
    const agentTools = toolListResponseSchema.parse(
      (
        await request(h.app)
          .get(routePath('agentTools', { chatbotId }))
          .set('Authorization', `Bearer ${serviceKey}`)
      ).body,
    ).tools;
    for (const tool of tools) {
      const same = agentTools.find((t) => t.name === tool.name)!;
      expect(tool.inputSchema).toEqual(same.parameters);
      expect(tool.description).toBe(same.description);
      expect(toolRuleViolations(tool, 'mcp')).toEqual([]);
    }
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    expect(byName.lookup_order!.title).toBe('Looking up your order');
    expect(byName.lookup_order!.annotations).toEqual({
      title: 'Looking up your order',
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    });
    expect(byName.create_ticket!.annotations).toEqual({
      readOnlyHint: false,
      destructiveHint: false,
      openWorldHint: true,
    });
    expect(byName.remove_order!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(byName.create_ticket!.description).toContain('confirmation_required');
  });

  it('calls a lookup: the model-ready body as text and structured content, and records the run', async () => {
    const client = await v2Client(mode);
    const result = await client.callTool({ name: 'lookup_order', arguments: { order_number: 'A-7' } });
    await client.close();
    expect(result.isError).toBe(false);
    expect(textOf(result)).toMatch(/^HTTP 200\n\n\{/);
    expect(result.structuredContent).toMatchObject({ path: '/echo/orders/A-7?verbose=yes', method: 'GET' });
    expect(h.upstream.requests).toHaveLength(1);
    const action = await h.store.getActionByIdentifier('ws-a', chatbotId, 'lookup_order');
    await h.store.flushRuns();
    const [run] = await h.store.listRuns('ws-a', chatbotId, action!.id, 1);
    expect(run).toMatchObject({ source: 'agent', outcome: 'ok', httpStatus: 200 });
  });

  it('a POST needs the visitor’s confirmation: code and token, then the same call with the token runs once', async () => {
    const client = await v2Client(mode);
    const asked = await client.callTool({ name: 'create_ticket', arguments: { subject: 'Broken lamp' } });
    expect(asked.isError).toBe(true);
    expect(textOf(asked)).toContain('confirmation_required');
    expect(textOf(asked)).toContain(
      'Open a support ticket: this sends Subject “Broken lamp” to api.bff.test.',
    );
    const { token } = (asked._meta as Record<string, { token: string }>)[CONFIRMATION_META_KEY]!;
    expect(h.upstream.requests).toHaveLength(0);

    const confirmed = {
      name: 'create_ticket',
      arguments: { subject: 'Broken lamp' },
      _meta: { [CONFIRMATION_META_KEY]: token },
    };
    const ran = await client.callTool(confirmed);
    expect(ran.isError).toBe(false);
    expect(h.upstream.requests.map((r) => [r.method, r.body])).toEqual([
      ['POST', '{"subject":"Broken lamp"}'],
    ]);
    const replay = await client.callTool(confirmed);
    await client.close();
    expect(replay.isError).toBe(true);
    expect(textOf(replay)).toContain('confirmation_invalid');
    expect(h.upstream.requests).toHaveLength(1);
  });

  it('coded refusals are results with isError and the code, not protocol errors, and call nothing', async () => {
    const client = await v2Client(mode);
    const invalid = await client.callTool({ name: 'lookup_order', arguments: {} });
    expect(invalid.isError).toBe(true);
    expect(textOf(invalid)).toMatch(/^invalid_arguments: .*\n- values\.order_number: /);
    const unverified = await client.callTool({ name: 'who_am_i', arguments: {} });
    expect(textOf(unverified)).toMatch(/^identity_unverified: /);
    expect(h.upstream.requests).toHaveLength(0);
    await client.close();
  });

  it('an upstream non-2xx is isError with its status', async () => {
    h.upstream.handler = (_req, res) => {
      res.statusCode = 503;
      res.end('{"error":"down"}');
    };
    const client = await v2Client(mode);
    const result = await client.callTool({ name: 'lookup_order', arguments: { order_number: 'A-1' } });
    await client.close();
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('HTTP 503');
    expect(result.structuredContent).toBeUndefined();
  });

  it('a disabled or unknown tool is not callable, and nothing is called', async () => {
    const client = await v2Client(mode);
    for (const name of ['turned_off', 'no_such_tool']) {
      await expect(client.callTool({ name, arguments: { order_number: 'A-1' } })).rejects.toThrow(
        /Unknown tool/,
      );
    }
    await client.close();
    expect(h.upstream.requests).toHaveLength(0);
  });

  it('the visitor’s identity travels per HTTP request in Aihio-Identity, for that request only', async () => {
    const token = await visitorJwt('visitor-42');
    const withIdentity = await v2Client(mode, { headers: { 'Aihio-Identity': token } });
    const ok = await withIdentity.callTool({ name: 'who_am_i', arguments: {} });
    await withIdentity.close();
    expect(ok.isError).toBe(false);
    expect(JSON.parse(h.upstream.requests.at(-1)!.body)).toEqual({ user: 'visitor-42' });
    const without = await v2Client(mode);
    const refused = await without.callTool({ name: 'who_am_i', arguments: {} });
    await without.close();
    expect(textOf(refused)).toMatch(/^identity_unverified/);
    expect(h.upstream.requests).toHaveLength(1);
  });
});

describe('MCP with the v1 SDK client (2025-11-25)', () => {
  it('lists the tools and runs a lookup and a confirmed ticket', async () => {
    const client = await v1Client();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('create_ticket');
    const lookup = await client.callTool({ name: 'lookup_order', arguments: { order_number: 'B-1' } });
    expect(lookup.isError).toBe(false);
    const asked = await client.callTool({ name: 'create_ticket', arguments: { subject: 'v1' } });
    expect(asked.isError).toBe(true);
    const { token } = (asked._meta as Record<string, { token: string }>)[CONFIRMATION_META_KEY]!;
    const ran = await client.callTool({
      name: 'create_ticket',
      arguments: { subject: 'v1' },
      _meta: { [CONFIRMATION_META_KEY]: token },
    });
    await client.close();
    expect(ran.isError).toBe(false);
    expect(h.upstream.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
  });
});

describe('MCP confirmation through the protocol (2026-07-28 elicitation)', () => {
  it('a client that can elicit asks the visitor; yes runs the call once', async () => {
    const asked: string[] = [];
    const client = await v2Client('modern', {
      onElicit: (message) => {
        asked.push(message);
        return true;
      },
    });
    const result = await client.callTool({
      name: 'create_ticket',
      arguments: { subject: 'Via elicitation' },
    });
    await client.close();
    expect(asked).toEqual(['Open a support ticket: this sends Subject “Via elicitation” to api.bff.test.']);
    expect(result.isError).toBe(false);
    expect(h.upstream.requests).toHaveLength(1);
  });

  it('no makes no call', async () => {
    const client = await v2Client('modern', { onElicit: () => false });
    const result = await client.callTool({ name: 'create_ticket', arguments: { subject: 'Declined' } });
    await client.close();
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('did not confirm');
    expect(h.upstream.requests).toHaveLength(0);
  });
});
