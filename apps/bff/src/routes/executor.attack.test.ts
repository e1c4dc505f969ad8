import { createHmac } from 'node:crypto';
import { errorEnvelopeSchema, invokeResultSchema, routePath, testResultSchema } from '@aihio/actions-core';
import { checkDestination } from '@aihio/egress';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REDACTED } from '../executor/redact';
import { as, dumpDatabase, sampleAction } from '../test-support/fixtures';
import { createHarness, type Harness } from '../test-support/harness';
import { echoHandler, type SeenRequest } from '../test-support/upstream';

/**
 * The security review, end to end through the BFF: a malicious chatbot owner (action definitions),
 * a malicious visitor (argument values and identity tokens) and another tenant. Everything goes to
 * the loopback upstream of the harness; a URL that must be refused is first shown to be refused
 * by `checkDestination` with the BFF's own policy, so no test can dial anything else.
 */

const IDENTITY_SECRET = 'attack-identity-secret-0123456789';
const OTHER_BOT_SECRET = 'other-bot-identity-secret-987654321';
const STORED = 'stored-credential-Secret/"x"-0123456789';

let h: Harness;
let admin: ReturnType<typeof as>;
let chatbotId: string;
let otherBotId: string;
let serviceKey: string;

function agent(url: string, key = serviceKey) {
  return request(h.app).post(url).set('Authorization', `Bearer ${key}`);
}
const invokeUrl = (identifier: string, bot = chatbotId) =>
  routePath('agentInvoke', { chatbotId: bot, identifier });

async function create(overrides: Parameters<typeof sampleAction>[1], bot = chatbotId) {
  const res = await admin
    .post(routePath('actions', { chatbotId: bot }))
    .send(sampleAction(h.upstreamOrigin, overrides));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
}

function signed(claims: Record<string, unknown>, secret = IDENTITY_SECRET, exp: number | string = '5m') {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(secret));
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

beforeAll(async () => {
  // The agent's budget is above the response cap, so a body cut at the cap reaches the agent whole.
  h = await createHarness({
    AIHIO_TEST_RATE_LIMIT: '200',
    AIHIO_EGRESS_MAX_RESPONSE_BYTES: '4096',
    AIHIO_INVOKE_BODY_BUDGET: '8192',
  });
  admin = as(h.app, await h.session());
  chatbotId = (await admin.post(routePath('chatbots')).send({ name: 'Attacked bot' })).body.id;
  otherBotId = (await admin.post(routePath('chatbots')).send({ name: 'Other bot' })).body.id;
  await admin.put(routePath('identitySecret', { chatbotId })).send({ secret: IDENTITY_SECRET });
  await admin.put(routePath('identitySecret', { chatbotId: otherBotId })).send({ secret: OTHER_BOT_SECRET });
  serviceKey = (await admin.post(routePath('serviceKeys'))).body.key;

  const secured = await create({ identifier: 'secured', auth: { type: 'bearer' } });
  await admin
    .put(routePath('actionCredential', { chatbotId, actionId: secured.id }))
    .send({ secret: STORED });
  const keyed = await create({
    identifier: 'keyed',
    auth: { type: 'api_key', headerName: 'X-Api-Key' },
  });
  await admin.put(routePath('actionCredential', { chatbotId, actionId: keyed.id })).send({ secret: STORED });
  await create({ identifier: 'open_echo' });
  await create({
    identifier: 'who_am_i',
    method: 'POST',
    url: `${h.upstreamOrigin}/echo/me`,
    parameters: [],
    headers: [
      { name: 'Content-Type', value: 'application/json' },
      { name: 'X-Visitor', value: '{{identity.user_id}}' },
    ],
    body: '{"user":"{{identity.user_id}}","email":"{{identity.email}}"}',
    requireVerifiedIdentity: true,
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

describe('credentials in answers', () => {
  it('an endpoint echoing its request does not hand the stored credential to the agent (bearer and API key)', async () => {
    for (const identifier of ['secured', 'keyed']) {
      const res = await agent(invokeUrl(identifier)).send({ arguments: { order_number: '1' } });
      const result = invokeResultSchema.parse(res.body);
      if (!result.ok) throw new Error(result.error.code);
      // The upstream got it; the agent's copy of the echo has it replaced.
      expect(
        h.upstream.requests.at(-1)?.headers.authorization ?? h.upstream.requests.at(-1)?.headers['x-api-key'],
      ).toMatch(STORED);
      expect(result.body).toContain(REDACTED);
      expect(res.text).not.toContain('stored-credential');
    }
  });

  it('nor when the echo is cut in the middle of the credential', async () => {
    h.upstream.handler = (_req, res) => {
      res.setHeader('content-type', 'text/plain');
      // A body longer than the response cap (4096 bytes) whose cut falls inside the secret.
      res.end(`${'a'.repeat(4096 - 10)}${STORED}`);
    };
    const res = await agent(invokeUrl('secured')).send({ arguments: { order_number: '1' } });
    const result = invokeResultSchema.parse(res.body);
    expect(result).toMatchObject({ ok: true, truncated: true });
    expect(res.text).not.toContain(STORED.slice(0, 6));
  });

  it('another action’s credential never reaches an action without auth, nor its answer', async () => {
    const res = await agent(invokeUrl('open_echo')).send({ arguments: { order_number: '1' } });
    const result = invokeResultSchema.parse(res.body);
    expect(result.ok).toBe(true);
    const seen = h.upstream.requests.at(-1)!;
    expect(seen.headers.authorization).toBeUndefined();
    expect(JSON.stringify(seen)).not.toContain('stored-credential');
    expect(res.text).not.toContain('stored-credential');
  });

  it('the test panel echoes the owner’s typed credential, never the stored one', async () => {
    const secured = await h.store.getActionByIdentifier('ws-a', chatbotId, 'secured');
    const res = await admin
      .post(routePath('actionTest', { chatbotId, actionId: secured!.id }))
      .send({ values: { order_number: '1' }, credential: 'typed-by-owner-1234' });
    const result = testResultSchema.parse(res.body);
    if (!result.ok) throw new Error(result.error.code);
    expect((JSON.parse(result.body) as SeenRequest).headers.authorization).toBe('Bearer typed-by-owner-1234');
    expect(res.text).not.toContain('stored-credential');
  });

  it('no credential in a log line, a run row, /openapi.json or a list', async () => {
    await agent(invokeUrl('secured')).send({ arguments: { order_number: '1' } });
    const openapi = await request(h.app).get('/openapi.json');
    const list = await admin.get(routePath('actions', { chatbotId }));
    for (const text of [h.logs.join('\n'), dumpDatabase(h.sqlitePath), openapi.text, list.text]) {
      expect(text).not.toContain('stored-credential');
      expect(text).not.toContain(IDENTITY_SECRET);
    }
  });
});

describe('visitor identity tokens', () => {
  async function invokeWho(token: string) {
    return agent(invokeUrl('who_am_i')).send({ arguments: {}, identity: { method: 'jwt', token } });
  }
  function expectRefused(res: request.Response, status: number, code: string) {
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
    expect(errorEnvelopeSchema.safeParse(res.body).success).toBe(true);
  }

  it.each<[string, () => Promise<string>]>([
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'v', exp: 9e9 })}.`],
    [
      'alg none with a signature',
      async () => `${b64({ alg: 'none' })}.${b64({ sub: 'v', exp: 9e9 })}.${b64('x')}`,
    ],
    [
      'RS256 signed with the attacker’s key, public key in the header',
      async () => {
        const { privateKey, publicKey } = await generateKeyPair('RS256');
        return new SignJWT({ sub: 'v' })
          .setProtectedHeader({ alg: 'RS256', jwk: await exportJWK(publicKey) })
          .setExpirationTime('5m')
          .sign(privateKey);
      },
    ],
    [
      'HS512 with the right secret (only HS256 is accepted)',
      async () =>
        new SignJWT({ sub: 'v' })
          .setProtectedHeader({ alg: 'HS512' })
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(IDENTITY_SECRET.repeat(2))),
    ],
    ['signed with another chatbot’s secret', () => signed({ sub: 'v' }, OTHER_BOT_SECRET)],
    ['expired', () => signed({ sub: 'v' }, IDENTITY_SECRET, Math.floor(Date.now() / 1000) - 120)],
    [
      'not yet valid (nbf in an hour)',
      () =>
        new SignJWT({ sub: 'v' })
          .setProtectedHeader({ alg: 'HS256' })
          .setNotBefore('1h')
          .setExpirationTime('2h')
          .sign(new TextEncoder().encode(IDENTITY_SECRET)),
    ],
    [
      'without exp (it would never expire)',
      () =>
        new SignJWT({ sub: 'v', email: 'v@example.com' })
          .setProtectedHeader({ alg: 'HS256' })
          .sign(new TextEncoder().encode(IDENTITY_SECRET)),
    ],
    [
      'with exp of the wrong type',
      async () => {
        // Signed by hand: jose's SignJWT would not write a string exp.
        const unsigned = `${b64({ alg: 'HS256' })}.${b64({ sub: 'v', email: 'v@example.com', exp: 'never' })}`;
        const mac = createHmac('sha256', IDENTITY_SECRET).update(unsigned).digest('base64url');
        return `${unsigned}.${mac}`;
      },
    ],
    [
      'whose aud names another chatbot (minted for it, signed with a shared secret)',
      () => signed({ sub: 'v', email: 'v@example.com', aud: otherBotId }),
    ],
    [
      'whose aud names another service',
      () => signed({ sub: 'v', email: 'v@example.com', aud: 'https://api.example.com' }),
    ],
    [
      'living longer than the maximum (exp in two days)',
      () => signed({ sub: 'v', email: 'v@example.com' }, IDENTITY_SECRET, '2d'),
    ],
    [
      'issued two days before it expires (exp − iat beyond the maximum)',
      () =>
        signed(
          { sub: 'v', email: 'v@example.com', iat: Math.floor(Date.now() / 1000) - 2 * 86_400 },
          IDENTITY_SECRET,
          '5m',
        ),
    ],
  ])('refuses a token %s: identity_unverified, no call', async (_name, make) => {
    const token = await make();
    expectRefused(await invokeWho(token), 403, 'identity_unverified');
    expect(h.upstream.requests).toHaveLength(0);
  });

  it('a token within the maximum lifetime verifies (exp in 23 hours, iat now)', async () => {
    const token = await new SignJWT({ sub: 'v', email: 'v@example.com' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime('23h')
      .sign(new TextEncoder().encode(IDENTITY_SECRET));
    const result = invokeResultSchema.parse((await invokeWho(token)).body);
    expect(result.ok).toBe(true);
    expect(h.upstream.requests).toHaveLength(1);
  });

  it('a token of this chatbot does not verify on another chatbot of the same workspace', async () => {
    await create({ identifier: 'who_am_i', ...whoAmI() }, otherBotId);
    const token = await signed({ sub: 'v', email: 'v@example.com' });
    const res = await agent(invokeUrl('who_am_i', otherBotId)).send({
      arguments: {},
      identity: { method: 'jwt', token },
    });
    expectRefused(res, 403, 'identity_unverified');
    expect(h.upstream.requests).toHaveLength(0);
  });

  it('claims of the wrong type fill nothing: the call is refused, not made with junk', async () => {
    const token = await signed({ sub: 42, email: { $ne: '' } });
    const res = await invokeWho(token);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(h.upstream.requests).toHaveLength(0);
  });

  it('a claim with CR/LF cannot add a header: refused, no call', async () => {
    const token = await signed({ sub: 'v\r\nX-Injected: 1', email: 'v@example.com' });
    const res = await invokeWho(token);
    expectRefused(res, 422, 'invalid_arguments');
    expect(h.upstream.requests).toHaveLength(0);
  });

  it('a claim with JSON breakers stays inside its string', async () => {
    const sub = 'v","admin":true,"x":"';
    const res = await invokeWho(await signed({ sub, email: 'v@example.com' }));
    const result = invokeResultSchema.parse(res.body);
    if (!result.ok) throw new Error(result.error.code);
    const body = JSON.parse(h.upstream.requests.at(-1)!.body) as Record<string, unknown>;
    expect(body).toEqual({ user: sub, email: 'v@example.com' });
  });
});

function whoAmI() {
  return {
    method: 'POST' as const,
    url: `${h.upstreamOrigin}/echo/me`,
    parameters: [],
    headers: [{ name: 'Content-Type', value: 'application/json' }],
    body: '{"user":"{{identity.user_id}}"}',
    requireVerifiedIdentity: true,
    confirmation: 'never' as const,
  };
}

describe('destinations an owner may try', () => {
  const draft = (url: string) =>
    admin.post(routePath('testDraft', { chatbotId })).send({
      action: sampleAction(url.replace(/\/$/, ''), { url: `${url}{{order_number}}` }),
      values: { order_number: '1' },
    });

  it.each([
    'https://[::ffff:127.0.0.1]/',
    'https://[::ffff:7f00:1]/',
    'https://[::127.0.0.1]/',
    'https://[64:ff9b::7f00:1]/',
    'https://[2002:7f00:1::]/',
    'https://[::1]/',
    'https://[::]/',
    'https://0x7f000001/',
    'https://2130706433/',
    'https://0177.0.0.1/',
    'https://127.1/',
    'https://0/',
    'https://127。0。0。1/',
    'https://①②⑦.0.0.1/',
    'https://%31%32%37.0.0.1/',
    'https://localhost./',
    'https://ｌｏｃａｌｈｏｓｔ/',
    'https://169.254.169.254/',
    'https://[::ffff:169.254.169.254]/',
    'https://[fd00:ec2::254]/',
    'https://100.100.100.200/',
    'https://metadata.google.internal./',
  ])('%s: refused before any connection', async (url) => {
    const verdict = await checkDestination(`${url}x`, { policy: h.config.egress, lookup: async () => [] });
    expect(verdict.allowed).toBe(false);
    const res = await draft(url);
    if (res.status === 422) {
      expect(res.body.error.code).toBe('validation_failed');
    } else {
      const result = testResultSchema.parse(res.body);
      expect(result.ok ? 'called' : result.error.code).toMatch(
        /^(blocked_destination|invalid_url|dns_failed)$/,
      );
    }
    expect(h.upstream.requests).toHaveLength(0);
  });

  it.each([
    'https://api.bff.test@127.0.0.1/',
    'https://127.0.0.1#@api.bff.test/',
    'https://api.bff.test\\@127.0.0.1/',
    'https://api.bff.test\t.evil/',
    'https://api.bff.test:8443/',
    'https://[fe80::1%25lo]/',
    'http://api.bff.test/',
  ])('%s: refused by validation', async (url) => {
    const res = await draft(url);
    expect(res.status).toBe(422);
    expect(h.upstream.requests).toHaveLength(0);
  });

  it('a redirect to an internal address is returned, not followed', async () => {
    h.upstream.handler = (_req, res) => {
      res.statusCode = 302;
      res.setHeader('location', 'https://127.0.0.1/admin');
      res.end();
    };
    const res = await agent(invokeUrl('open_echo')).send({ arguments: { order_number: '1' } });
    expect(invokeResultSchema.parse(res.body)).toMatchObject({ ok: true, status: 302 });
    expect(h.upstream.requests).toHaveLength(1);
  });
});

describe('headers an owner may craft', () => {
  it.each<[string, Parameters<typeof sampleAction>[1]]>([
    ['an API-key header named Host', { auth: { type: 'api_key', headerName: 'Host' } }],
    [
      'an API-key header named Transfer-Encoding',
      { auth: { type: 'api_key', headerName: 'Transfer-Encoding' } },
    ],
    ['an API-key header name with CR/LF', { auth: { type: 'api_key', headerName: 'X-Key\r\nHost: evil' } }],
    ['an API-key header named Content-Type', { auth: { type: 'api_key', headerName: 'Content-Type' } }],
    ['a Host header', { headers: [{ name: 'Host', value: '127.0.0.1' }] }],
    ['a Transfer-Encoding header', { headers: [{ name: 'Transfer-Encoding', value: 'chunked' }] }],
    ['a Content-Length header', { headers: [{ name: 'content-length', value: '0' }] }],
    ['an obs-fold header value', { headers: [{ name: 'X-A', value: 'a\r\n b' }] }],
    ['a non-ASCII header value', { headers: [{ name: 'X-A', value: 'é' }] }],
    ['a header name with a colon', { headers: [{ name: 'X-A: b\r\nHost', value: 'x' }] }],
    [
      'a Content-Type a PHP server reads as a form',
      {
        method: 'POST',
        headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded, charset=utf-8' }],
        body: '{"q":"{{order_number}}"}',
      },
    ],
    ['a % that a value would complete', { url: 'https://api.bff.test/echo/%{{order_number}}' }],
  ])('%s is refused by validation', async (_name, overrides) => {
    const res = await admin
      .post(routePath('actions', { chatbotId }))
      .send(sampleAction(h.upstreamOrigin, overrides));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
  });
});

describe('values a visitor may steer', () => {
  it.each([
    ['../../admin', '../../admin', 'value_path_segment'],
    ['..%2f..%2fadmin', '..%2f..%2fadmin', 'value_path_segment'],
    ['full-width dots', '．．', 'value_path_segment'],
    ['a NUL', 'a\u0000b', 'value_characters'],
    ['5000 characters', 'x'.repeat(5000), 'value_too_long'],
  ])('a path value (%s) is refused before any call', async (_name, value, code) => {
    const res = await agent(invokeUrl('open_echo')).send({ arguments: { order_number: value } });
    expect(res.status).toBe(422);
    expect(res.body.error.details.issues.map((i: { code: string }) => i.code)).toContain(code);
    expect(h.upstream.requests).toHaveLength(0);
  });

  it.each(['a/b?c=d#e', 'x\r\nHost: evil', '%0d%0aX: 1', '\t@127.0.0.1'])(
    'a path value %j stays one segment of the same host',
    async (value) => {
      const res = await agent(invokeUrl('open_echo')).send({ arguments: { order_number: value } });
      expect(invokeResultSchema.parse(res.body).ok).toBe(true);
      const seen = h.upstream.requests.at(-1)!;
      expect(seen.headers.host).toBe('api.bff.test');
      expect(seen.path.split('?')[0]!.split('/')).toHaveLength(4);
      expect(seen.path.endsWith('?verbose=yes')).toBe(true);
      expect(decodeURIComponent(seen.path.split('/')[3]!.split('?')[0]!)).toBe(value);
    },
  );

  it('an argument named like an identity field fills nothing: identity comes only from a verified token', async () => {
    const spoof = { 'identity.user_id': 'victim', 'identity.email': 'victim@example.com', user_id: 'victim' };
    const unverified = await agent(invokeUrl('who_am_i')).send({ arguments: spoof });
    expect(unverified.status).toBe(403);
    const token = await signed({ sub: 'visitor' });
    const partial = await agent(invokeUrl('who_am_i')).send({
      arguments: spoof,
      identity: { method: 'jwt', token },
    });
    expect(partial.status).toBe(422);
    expect(partial.body.error.details.issues).toEqual([
      expect.objectContaining({ code: 'identity_field_missing' }),
    ]);
    expect(h.upstream.requests).toHaveLength(0);
  });

  it('a value is never read as a template: {{…}} in it is sent as text', async () => {
    const res = await agent(invokeUrl('open_echo')).send({
      arguments: { order_number: '{{identity.email}}' },
    });
    expect(invokeResultSchema.parse(res.body).ok).toBe(true);
    expect(h.upstream.requests.at(-1)?.path).toBe('/echo/orders/%7B%7Bidentity.email%7D%7D?verbose=yes');
  });

  it('thousands of extra argument names and deep JSON are ignored or refused, never a 500', async () => {
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`extra_${i}`, 'x']));
    const wide = await agent(invokeUrl('open_echo')).send({ arguments: { ...many, order_number: '1' } });
    expect(invokeResultSchema.parse(wide.body).ok).toBe(true);
    expect(JSON.stringify(h.upstream.requests.at(-1))).not.toContain('extra_');

    const deep = `{"arguments":{"order_number":${'['.repeat(50_000)}${']'.repeat(50_000)}}}`;
    const res = await agent(invokeUrl('open_echo')).set('Content-Type', 'application/json').send(deep);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(h.upstream.requests).toHaveLength(1);
  });
});

describe('resource abuse', () => {
  it('an upstream answering with 64 KiB of headers is a coded failure, not a 500', async () => {
    h.upstream.handler = (_req, res) => {
      for (let i = 0; i < 16; i++) res.setHeader(`x-big-${i}`, 'h'.repeat(4096));
      res.end('{}');
    };
    const res = await agent(invokeUrl('open_echo')).send({ arguments: { order_number: '1' } });
    expect(res.status).toBe(200);
    const result = invokeResultSchema.parse(res.body);
    expect(result.ok).toBe(false);
  });

  it('many concurrent tests by one user: exactly the limit runs, the rest are rate_limited', async () => {
    const limited = await createHarness({ AIHIO_TEST_RATE_LIMIT: '5' });
    try {
      const user = as(limited.app, await limited.session());
      const bot = (await user.post(routePath('chatbots')).send({ name: 'Busy bot' })).body.id as string;
      const body = { action: sampleAction(limited.upstreamOrigin), values: { order_number: '1' } };
      const answers = await Promise.all(
        Array.from({ length: 12 }, () => user.post(routePath('testDraft', { chatbotId: bot })).send(body)),
      );
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(7);
      expect(limited.upstream.requests).toHaveLength(5);
    } finally {
      await limited.close();
    }
  });
});
