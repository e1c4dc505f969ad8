import { Writable } from 'node:stream';
import { ERROR_CODES, routePath, testResultSchema } from '@aihio/actions-core';
import type request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../app';
import { createApp } from '../app';
import { createBffEgress } from '../executor/egress';
import { createLogger } from '../http/logger';
import { agentInvoke, as, expectError, sampleAction } from '../test-support/fixtures';
import { createHarness, type Harness } from '../test-support/harness';
import { echoHandler, type SeenRequest } from '../test-support/upstream';
import { withoutResolvedAddresses } from './testing';

let h: Harness;
let admin: ReturnType<typeof as>;
let chatbotId: string;

beforeAll(async () => {
  h = await createHarness({ AIHIO_TEST_RATE_LIMIT: '40', AIHIO_EGRESS_MAX_RESPONSE_BYTES: '2048' });
  admin = as(h.app, await h.session());
  chatbotId = (await admin.post(routePath('chatbots')).send({ name: 'Test bot' })).body.id;
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.upstream.handler = echoHandler;
  h.upstream.requests.length = 0;
});

function echoed(res: request.Response): SeenRequest {
  const result = testResultSchema.parse(res.body);
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return JSON.parse(result.body) as SeenRequest;
}

describe('test a draft', () => {
  const draftUrl = () => routePath('testDraft', { chatbotId });

  it('runs the call through egress and returns status, the shown headers only, body and duration', async () => {
    const res = await admin
      .post(draftUrl())
      .send({ action: sampleAction(h.upstreamOrigin), values: { order_number: 'ORD 1/2' } });
    expect(res.status).toBe(200);
    const result = testResultSchema.parse(res.body);
    expect(result).toMatchObject({ ok: true, status: 200, truncated: false });
    if (!result.ok) return;
    expect(Object.keys(result.headers).sort()).toEqual(['content-length', 'content-type', 'date', 'etag']);
    expect(result.durationMs).toBeGreaterThan(0);
    const seen = JSON.parse(result.body) as SeenRequest;
    // The value is one path segment whatever it contains.
    expect(seen.path).toBe('/echo/orders/ORD%201%2F2?verbose=yes');
    expect(seen.headers.accept).toBe('application/json');
    // A draft has no id: nothing is recorded.
    expect(await h.store.listActions('ws-a', chatbotId)).toHaveLength(0);
  });

  it('refuses an invalid draft with validation_failed and its issues', async () => {
    const res = await admin
      .post(draftUrl())
      .send({ action: sampleAction(h.upstreamOrigin, { url: 'https://api.bff.test:8443/x' }), values: {} });
    expectError(res, 422, 'validation_failed');
    expect(res.body.error.details.issues[0]).toMatchObject({ code: 'url_port', path: ['url'] });
    expectError(await admin.post(draftUrl()).send({ values: 'nope' }), 400, 'invalid_request');
    expect(h.upstream.requests).toHaveLength(0);
  });

  it('reports invalid sample values as an invalid_arguments result with issues, and makes no call', async () => {
    const res = await admin.post(draftUrl()).send({ action: sampleAction(h.upstreamOrigin), values: {} });
    expect(res.status).toBe(200);
    const result = testResultSchema.parse(res.body);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_arguments');
    expect(result.error.issues?.[0]).toMatchObject({ code: 'value_required' });
    expect(h.upstream.requests).toHaveLength(0);
  });

  it('needs the credential for an authenticated action and sends it once, as Bearer or the API-key header', async () => {
    const bearer = sampleAction(h.upstreamOrigin, { auth: { type: 'bearer' } });
    expectError(
      await admin.post(draftUrl()).send({ action: bearer, values: { order_number: '1' } }),
      422,
      'credential_required',
    );
    expect(h.upstream.requests).toHaveLength(0);

    const withBearer = await admin
      .post(draftUrl())
      .send({ action: bearer, values: { order_number: '1' }, credential: 'tok-123456789' });
    expect(echoed(withBearer).headers.authorization).toBe('Bearer tok-123456789');

    const apiKey = sampleAction(h.upstreamOrigin, { auth: { type: 'api_key', headerName: 'X-Api-Key' } });
    const withKey = await admin
      .post(draftUrl())
      .send({ action: apiKey, values: { order_number: '1' }, credential: 'key-987654321' });
    expect(echoed(withKey).headers['x-api-key']).toBe('key-987654321');

    expectError(
      await admin
        .post(draftUrl())
        .send({ action: apiKey, values: { order_number: '1' }, credential: 'a\r\nb' }),
      400,
      'invalid_request',
    );
  });

  it('uses the sample identity as verified JWT claims, and fails closed without one', async () => {
    const action = sampleAction(h.upstreamOrigin, {
      method: 'POST',
      body: '{"email":"{{identity.email}}","order":"{{order_number}}"}',
      headers: [{ name: 'Content-Type', value: 'application/json' }],
      requireVerifiedIdentity: true,
    });
    const ok = await admin
      .post(draftUrl())
      .send({ action, values: { order_number: '7' }, identity: { email: 'visitor@example.com' } });
    expect(JSON.parse(echoed(ok).body)).toEqual({ email: 'visitor@example.com', order: '7' });

    h.upstream.requests.length = 0;
    const none = await admin.post(draftUrl()).send({ action, values: { order_number: '7' } });
    expect(testResultSchema.parse(none.body)).toMatchObject({
      ok: false,
      error: { code: 'identity_unverified' },
    });
    expect(h.upstream.requests).toHaveLength(0);
  });

  it('passes egress refusals through as results (dns_failed, blocked_destination)', async () => {
    // 127.0.0.1 is blocked although the harness's upstream listens on loopback: its host map admits
    // the upstream's address for the mapped names only, and there is no allowlist.
    const unknownHost = await admin
      .post(draftUrl())
      .send({ action: sampleAction('https://unknown.example.invalid'), values: { order_number: '1' } });
    expect(testResultSchema.parse(unknownHost.body)).toMatchObject({
      ok: false,
      error: { code: 'dns_failed' },
    });
    const internal = await admin
      .post(draftUrl())
      .send({ action: sampleAction('https://127.0.0.1'), values: { order_number: '1' } });
    expect(testResultSchema.parse(internal.body)).toMatchObject({
      ok: false,
      error: { code: 'blocked_destination' },
    });
  });

  it('cuts a large body at the response cap and flags it; returns a redirect as it is', async () => {
    h.upstream.handler = (_req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.end('x'.repeat(10_000));
    };
    const big = testResultSchema.parse(
      (
        await admin
          .post(draftUrl())
          .send({ action: sampleAction(h.upstreamOrigin), values: { order_number: '1' } })
      ).body,
    );
    expect(big).toMatchObject({ ok: true, truncated: true });
    if (big.ok) expect(big.body.length).toBe(2048);

    h.upstream.handler = (_req, res) => {
      res.statusCode = 302;
      res.setHeader('location', 'https://elsewhere.bff.test/');
      res.end();
    };
    const redirect = testResultSchema.parse(
      (
        await admin
          .post(draftUrl())
          .send({ action: sampleAction(h.upstreamOrigin), values: { order_number: '1' } })
      ).body,
    );
    expect(redirect).toMatchObject({
      ok: true,
      status: 302,
      headers: { location: 'https://elsewhere.bff.test/' },
    });
    expect(h.upstream.requests).toHaveLength(2);
  });
});

describe('test a saved action', () => {
  it('runs it, records a run without values or secrets, and needs the credential typed in', async () => {
    const created = await admin
      .post(routePath('actions', { chatbotId }))
      .send(sampleAction(h.upstreamOrigin, { identifier: 'saved_test', auth: { type: 'bearer' } }));
    const actionId = created.body.id as string;
    await admin
      .put(routePath('actionCredential', { chatbotId, actionId }))
      .send({ secret: 'stored-secret-abcdef' });
    const url = routePath('actionTest', { chatbotId, actionId });

    // The stored credential is not enough: the tester types it in.
    expectError(await admin.post(url).send({ values: { order_number: 'S1' } }), 422, 'credential_required');
    const res = await admin
      .post(url)
      .send({ values: { order_number: 'S1' }, credential: 'typed-secret-123456' });
    expect(echoed(res).headers.authorization).toBe('Bearer typed-secret-123456');

    const [run] = await h.store.listRuns('ws-a', chatbotId, actionId, 10);
    expect(run).toMatchObject({ source: 'test', outcome: 'ok', httpStatus: 200 });
    expect(run!.responseBytes).toBeGreaterThan(0);
    expect(JSON.stringify(run)).not.toContain('S1');
    expect(JSON.stringify(run)).not.toContain('typed-secret');

    // The stored credential is untouched by the test.
    expect((await admin.get(routePath('action', { chatbotId, actionId }))).body.credential).toEqual({
      last4: 'cdef',
    });

    const failed = await admin.post(url).send({ values: {}, credential: 'typed-secret-123456' });
    expect(testResultSchema.parse(failed.body)).toMatchObject({
      ok: false,
      error: { code: 'invalid_arguments' },
    });
    const runs = await h.store.listRuns('ws-a', chatbotId, actionId, 10);
    expect(runs[0]).toMatchObject({ outcome: 'invalid_arguments', httpStatus: null, responseBytes: null });
  });

  it('is not_found for an unknown action', async () => {
    const res = await admin
      .post(routePath('actionTest', { chatbotId, actionId: 'missing' }))
      .send({ values: {} });
    expectError(res, 404, 'not_found');
  });
});

describe('refusal messages', () => {
  // Host names that resolve to internal addresses, as a split-horizon DNS would answer them, and
  // one that does not exist: the test panel cannot tell them apart (no internal DNS oracle: an
  // editor could otherwise map the internal network one name at a time). One code, one message;
  // the operator's log says which. The app is the real one with an egress whose lookup answers
  // these names; nothing is dialled, every answer is refused before a connection.
  const INTERNAL: Record<string, { address: string; family: 4 | 6 }[]> = {
    'private.bff.test': [{ address: '10.0.0.5', family: 4 }],
    'v6.bff.test': [{ address: 'fd00:ec2::5', family: 6 }],
    'mapped.bff.test': [{ address: '::ffff:192.168.77.9', family: 6 }],
    'meta.bff.test': [{ address: '169.254.169.254', family: 4 }],
    'loop.bff.test': [{ address: '127.0.0.1', family: 4 }],
    'mixed.bff.test': [
      { address: '8.8.8.8', family: 4 },
      { address: '172.16.9.8', family: 4 },
    ],
  };
  const HIDDEN = [
    '10.0.0.5',
    'fd00',
    '192.168.77.9',
    '169.254.169.254',
    '8.8.8.8',
    '172.16.9.8',
    '127.0.0.1',
  ];
  const logs: string[] = [];
  let app: App;
  let close: () => Promise<void>;

  beforeAll(() => {
    const logger = createLogger({
      level: 'info',
      destination: new Writable({
        write(chunk: Buffer, _encoding, callback) {
          logs.push(chunk.toString('utf8'));
          callback();
        },
      }),
    });
    const egress = createBffEgress(h.config.egress, logger, {
      lookup: async (hostname) => {
        const answers = INTERNAL[hostname];
        if (answers === undefined) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
        return answers;
      },
    });
    app = createApp({ config: h.config, store: h.store, keyring: h.keyring, egress, logger });
    close = () => egress.close();
  });
  afterAll(async () => {
    await close();
  });

  /** The test panel's result for a draft and for a saved action calling `https://<host>`. */
  async function refusals(host: string) {
    const session = as(app, await h.session());
    const draft = await session
      .post(routePath('testDraft', { chatbotId }))
      .send({ action: sampleAction(`https://${host}`), values: { order_number: '1' } });
    const created = await session
      .post(routePath('actions', { chatbotId }))
      .send(sampleAction(`https://${host}`, { identifier: `to_${host.split('.')[0]}` }));
    const saved = await session
      .post(routePath('actionTest', { chatbotId, actionId: created.body.id }))
      .send({ values: { order_number: '1' } });
    return [draft, saved];
  }

  it.each([
    ['private.bff.test', 'resolves to 10.0.0.5, a private network address'],
    ['v6.bff.test', 'resolves to fd00:ec2::5, a private network address'],
    ['mapped.bff.test', 'resolves to 192.168.77.9, a private network address'],
    ['meta.bff.test', 'resolves to 169.254.169.254, the cloud metadata address'],
    ['loop.bff.test', 'resolves to 127.0.0.1, a loopback address'],
    ['mixed.bff.test', 'resolves to 172.16.9.8, a private network address'],
    ['nowhere.bff.test', 'no such name (ENOTFOUND)'],
  ])('%s: the one "cannot be called" refusal, the reason in the operator log only', async (host, detail) => {
    logs.length = 0;
    for (const res of await refusals(host)) {
      const result = testResultSchema.parse(res.body);
      if (result.ok) throw new Error('expected a refusal');
      expect(result.error).toEqual({
        code: 'dns_failed',
        message: `the host name ${host} cannot be called: it does not resolve to a public internet address`,
      });
      for (const address of HIDDEN) expect(res.text).not.toContain(address);
    }
    // The agent's invoke result is the same for every one of them too.
    const serviceKey = (await as(app, await h.session()).post(routePath('serviceKeys'))).body.key;
    const invoked = await agentInvoke(app, serviceKey, chatbotId, `to_${host.split('.')[0]}`, {
      order_number: '1',
    });
    expect(invoked.body).toEqual({
      ok: false,
      error: { code: 'dns_failed', message: ERROR_CODES.dns_failed.message },
    });
    const logged = logs
      .map((line) => JSON.parse(line))
      .filter((line) => line.msg === 'egress refused a call');
    expect(logged).toHaveLength(3);
    for (const line of logged) {
      expect(line.egress).toEqual({
        workspaceId: 'ws-a',
        hostname: host,
        code: 'dns_failed',
        detail: `${host}: ${detail}`,
      });
    }
  });

  it('a message naming an address in another shape falls back to the host and the code’s message', () => {
    const error = {
      code: 'blocked_destination' as const,
      message:
        'the connection to api.example.com reached 10.9.8.7, not the checked address [2001:4860::8888]',
    };
    expect(withoutResolvedAddresses(error, 'https://api.example.com/x')).toEqual({
      code: 'blocked_destination',
      message: 'api.example.com: The address is not one that actions may call.',
    });
    // Nothing to hide: unchanged (numbers that are not addresses included).
    const timeout = {
      code: 'timeout' as const,
      message: 'api.example.com did not finish within 2.5 seconds',
    };
    expect(withoutResolvedAddresses(timeout, 'https://api.example.com/x')).toBe(timeout);
  });

  it('an address the owner typed is named as typed: it tells them nothing new', async () => {
    const res = await as(app, await h.session())
      .post(routePath('testDraft', { chatbotId }))
      .send({ action: sampleAction('https://10.0.0.5'), values: { order_number: '1' } });
    const result = testResultSchema.parse(res.body);
    if (result.ok) throw new Error('expected a refusal');
    expect(result.error).toMatchObject({ code: 'blocked_destination' });
    expect(result.error.message).toContain('10.0.0.5');
  });
});

describe('rate limit', () => {
  it('limits tests per user with rate_limited and Retry-After', async () => {
    const limited = await createHarness({ AIHIO_TEST_RATE_LIMIT: '2', AIHIO_TEST_RATE_WINDOW_MS: '60000' });
    try {
      const user = as(limited.app, await limited.session({ sub: 'busy-user' }));
      const other = as(limited.app, await limited.session({ sub: 'other-user' }));
      const bot = (await user.post(routePath('chatbots')).send({ name: 'b' })).body.id;
      const send = (who: typeof user) =>
        who
          .post(routePath('testDraft', { chatbotId: bot }))
          .send({ action: sampleAction(limited.upstreamOrigin), values: { order_number: '1' } });
      expect((await send(user)).status).toBe(200);
      expect((await send(user)).status).toBe(200);
      const third = await send(user);
      expectError(third, 429, 'rate_limited');
      expect(Number(third.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(third.headers['retry-after'])).toBeLessThanOrEqual(60);
      // Per user: someone else in the workspace is not affected.
      expect((await send(other)).status).toBe(200);
      expect(limited.upstream.requests).toHaveLength(3);
    } finally {
      await limited.close();
    }
  });
});
