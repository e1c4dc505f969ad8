import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from './server';

let sandbox: Sandbox;
let agent: Agent;

beforeAll(async () => {
  sandbox = await startSandbox();
  // Trust only the sandbox's own CA: this proves the certificate chain, not a disabled check.
  agent = new Agent({ connect: { ca: sandbox.caCert, servername: 'sandbox.aihio.test' } });
});
afterAll(async () => {
  await agent?.close();
  await sandbox?.close();
});

function call(
  path: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {},
) {
  return request(`${sandbox.origin}${path}`, { dispatcher: agent, ...init });
}

describe('sandbox upstream', () => {
  it('serves a verified TLS certificate for sandbox.aihio.test signed by its CA', async () => {
    const res = await call('/healthz');
    expect(res.statusCode).toBe(200);
    await res.body.dump();
  });

  it('also names 127.0.0.1 in its certificate, and gives the BFF host map entry for its port', async () => {
    const byAddress = new Agent({ connect: { ca: sandbox.caCert } });
    const res = await request(`https://127.0.0.1:${sandbox.port}/healthz`, { dispatcher: byAddress });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    await byAddress.close();
    expect(sandbox.hostMapEntry).toBe(`sandbox.aihio.test=127.0.0.1:${sandbox.port}`);
  });

  it('rejects a client that does not trust its CA', async () => {
    const strict = new Agent();
    await expect(request(`${sandbox.origin}/healthz`, { dispatcher: strict })).rejects.toThrow();
    await strict.close();
  });

  it('looks up an order by number, and 404s the unknown one', async () => {
    const ok = await call('/orders/ORD-123');
    expect(ok.statusCode).toBe(200);
    expect(await ok.body.json()).toMatchObject({ order_number: 'ORD-123', status: 'shipped' });
    const missing = await call('/orders/ORD-404');
    expect(missing.statusCode).toBe(404);
    await missing.body.dump();
  });

  it('creates a ticket only with a demo_ Bearer token and a JSON body', async () => {
    const body = JSON.stringify({ subject: 'Broken lamp', message: 'It flickers', email: 'a@example.com' });
    const json = { 'content-type': 'application/json' };
    const anonymous = await call('/tickets', { method: 'POST', headers: json, body });
    expect(anonymous.statusCode).toBe(401);
    await anonymous.body.dump();
    const wrong = await call('/tickets', {
      method: 'POST',
      headers: { ...json, authorization: 'Bearer x' },
      body,
    });
    expect(wrong.statusCode).toBe(401);
    await wrong.body.dump();
    const created = await call('/tickets', {
      method: 'POST',
      headers: { ...json, authorization: 'Bearer demo_secret_1234' },
      body,
    });
    expect(created.statusCode).toBe(201);
    expect(await created.body.json()).toMatchObject({
      ticket_id: expect.stringMatching(/^TCK-\d+$/),
      status: 'open',
    });
    const incomplete = await call('/tickets', {
      method: 'POST',
      headers: { ...json, authorization: 'Bearer demo_secret_1234' },
      body: JSON.stringify({ subject: 'only a subject' }),
    });
    expect(incomplete.statusCode).toBe(422);
    await incomplete.body.dump();
    expect(sandbox.requests.filter((r) => r.path === '/tickets')).toHaveLength(4);
  });

  it('answers a redirect with 302 and never a body from elsewhere', async () => {
    const res = await call('/redirect');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('https://example.com/');
    await res.body.dump();
  });
});
