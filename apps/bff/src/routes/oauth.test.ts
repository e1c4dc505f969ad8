import {
  type ActionDefinition,
  invokeResultSchema,
  type OAuthClientCredentialsAuth,
  routePath,
  testResultSchema,
} from '@aihio/actions-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { agentInvoke, as, dumpDatabase, sampleAction } from '../test-support/fixtures';
import { createHarness, type Harness } from '../test-support/harness';
import {
  type AuthorizationServer,
  BASIC_CLIENT,
  ISSUER,
  ORDERS_HOST,
  POST_CLIENT,
  startAuthorizationServer,
  TOKEN_TTL_SECONDS,
} from '../test-support/oauth-server';

/**
 * OAuth 2.0 client credentials end to end, against a real authorization server (oidc-provider)
 * and an API that verifies the JWT access tokens it receives (test-support/oauth-server.ts),
 * both on loopback HTTPS behind the test host map. The BFF's token clock is moved by the tests
 * (`now`) rather than waited for.
 */

let auth: AuthorizationServer;
const lookups: string[] = [];
let h: Harness;
let admin: ReturnType<typeof as>;
let chatbotId: string;
let serviceKey: string;
let clock = Date.now();

const INTERNAL_HOST = 'internal.bff.test';

const oauth = (overrides: Partial<OAuthClientCredentialsAuth> = {}): OAuthClientCredentialsAuth => ({
  type: 'oauth2_client_credentials',
  tokenUrl: `${ISSUER}/token`,
  clientId: BASIC_CLIENT.id,
  scope: 'orders:read',
  clientAuth: 'client_secret_basic',
  ...overrides,
});

function oauthAction(
  identifier: string,
  authOverrides: Partial<OAuthClientCredentialsAuth> = {},
  path = 'orders',
) {
  return sampleAction(`https://${ORDERS_HOST}`, {
    identifier,
    url: `https://${ORDERS_HOST}/${path}/{{order_number}}`,
    auth: oauth(authOverrides),
  });
}

/** Creates the action and stores its client secret; returns its id. */
async function createWithSecret(definition: ActionDefinition, secret = BASIC_CLIENT.secret): Promise<string> {
  const created = await admin.post(routePath('actions', { chatbotId })).send(definition);
  expect(created.status).toBe(201);
  const ids = { chatbotId, actionId: created.body.id as string };
  const stored = await admin.put(routePath('actionCredential', ids)).send({ secret });
  expect(stored.status).toBe(200);
  expect(stored.body.credential).toEqual({ last4: secret.slice(-4) });
  return ids.actionId;
}

async function invoke(identifier: string, order = 'A-1') {
  const res = await agentInvoke(h.app, serviceKey, chatbotId, identifier, { order_number: order });
  return { status: res.status, body: res.body, result: invokeResultSchema.safeParse(res.body) };
}

const tokenCalls = () => auth.tokenRequests.filter((r) => r.path === '/token').length;

beforeAll(async () => {
  auth = await startAuthorizationServer();
  h = await createHarness(
    {},
    {
      servers: [{ hostnames: auth.hostnames, listening: auth.listening }],
      // A name that resolves to an internal address, as a misconfigured (or malicious) token URL's would.
      lookup: async (hostname) => {
        lookups.push(hostname);
        return hostname === INTERNAL_HOST ? [{ address: '10.20.30.40', family: 4 }] : [];
      },
      now: () => clock,
    },
  );
  admin = as(h.app, await h.session());
  chatbotId = (await admin.post(routePath('chatbots')).send({ name: 'OAuth bot' })).body.id;
  serviceKey = (await admin.post(routePath('serviceKeys'))).body.key;
});
afterAll(async () => {
  await h.close();
  await auth.close();
});
beforeEach(() => {
  auth.tokenRequests.length = 0;
  auth.apiCalls.length = 0;
});

describe('OAuth 2.0 client credentials: agent invoke', () => {
  it('first call: fetches a token with HTTP Basic, the API verifies it, and the answer comes back', async () => {
    await createWithSecret(oauthAction('first_call'));
    const { status, body } = await invoke('first_call', 'A-1');
    expect(status).toBe(200);
    expect(body).toEqual({
      ok: true,
      status: 200,
      body: '{"order":"A-1","status":"shipped"}',
      truncated: false,
    });
    expect(tokenCalls()).toBe(1);
    const [request] = auth.tokenRequests;
    expect(request?.authorization).toBe(
      `Basic ${Buffer.from(`${BASIC_CLIENT.id}:${BASIC_CLIENT.secret}`).toString('base64')}`,
    );
    expect(auth.apiCalls).toEqual([{ path: '/orders/A-1', jti: expect.any(String), status: 200 }]);
  });

  it('sends the secret in the form body with client_secret_post', async () => {
    await createWithSecret(
      oauthAction('post_client', { clientId: POST_CLIENT.id, clientAuth: 'client_secret_post' }),
      POST_CLIENT.secret,
    );
    expect((await invoke('post_client')).body).toMatchObject({ ok: true, status: 200 });
    expect(auth.tokenRequests[0]?.authorization).toBeUndefined();
  });

  it('reuses the cached token until shortly before expiry, then fetches a new one', async () => {
    await createWithSecret(oauthAction('cached'));
    for (const order of ['A-1', 'A-2', 'A-3']) {
      expect((await invoke('cached', order)).body).toMatchObject({ ok: true, status: 200 });
    }
    expect(tokenCalls()).toBe(1);
    const firstJti = auth.apiCalls[0]?.jti;
    expect(auth.apiCalls.map((c) => c.jti)).toEqual([firstJti, firstJti, firstJti]);

    // 60 s tokens are refreshed 6 s (a tenth) before expiry: at 53 s still the cached one, at 55 s a new one.
    clock += 53_000;
    await invoke('cached', 'A-4');
    expect(tokenCalls()).toBe(1);
    clock += 2_000;
    await invoke('cached', 'A-5');
    expect(tokenCalls()).toBe(2);
    expect(auth.apiCalls.at(-1)?.jti).not.toBe(firstJti);
    expect(auth.apiCalls.at(-1)?.status).toBe(200);
  });

  it('one token fetch for many concurrent first calls (single flight)', async () => {
    await createWithSecret(oauthAction('concurrent'));
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => invoke('concurrent', `C-${i}`)));
    expect(results.map((r) => r.body.status)).toEqual(Array(8).fill(200));
    expect(tokenCalls()).toBe(1);
  });

  it('a revoked token answered 401 is retried once with a fresh token', async () => {
    await createWithSecret(oauthAction('revoked'));
    await invoke('revoked', 'R-1');
    const first = auth.apiCalls[0]?.jti ?? '';
    auth.revoked.add(first);
    const { body } = await invoke('revoked', 'R-2');
    expect(body).toMatchObject({ ok: true, status: 200 });
    expect(auth.apiCalls.slice(1)).toEqual([
      { path: '/orders/R-2', jti: null, status: 401 },
      { path: '/orders/R-2', jti: expect.any(String), status: 200 },
    ]);
    expect(tokenCalls()).toBe(2);
  });

  it('retries only once: an API that refuses every token gets two calls, and its 401 is the answer', async () => {
    await createWithSecret(oauthAction('always_401'));
    await invoke('always_401', 'X-1');
    auth.apiCalls.length = 0;
    const original = auth.revoked.has.bind(auth.revoked);
    auth.revoked.has = () => true;
    try {
      const { body } = await invoke('always_401', 'X-2');
      expect(body).toMatchObject({ ok: true, status: 401 });
      expect(auth.apiCalls.map((c) => c.status)).toEqual([401, 401]);
    } finally {
      auth.revoked.has = original;
    }
  });

  it('a fresh token refused with 401 is not retried (a second one would fare no better)', async () => {
    await createWithSecret(oauthAction('fresh_401'));
    const original = auth.revoked.has.bind(auth.revoked);
    auth.revoked.has = () => true;
    try {
      const { body } = await invoke('fresh_401');
      expect(body).toMatchObject({ ok: true, status: 401 });
      expect(auth.apiCalls).toHaveLength(1);
      expect(tokenCalls()).toBe(1);
    } finally {
      auth.revoked.has = original;
    }
  });

  it('a token without expires_in is used for one call only', async () => {
    await createWithSecret(oauthAction('no_expiry', { tokenUrl: `${ISSUER}/misbehave/no-expiry` }));
    await invoke('no_expiry', 'N-1');
    await invoke('no_expiry', 'N-2');
    expect(auth.tokenRequests.map((r) => r.path)).toEqual(['/misbehave/no-expiry', '/misbehave/no-expiry']);
    expect(auth.apiCalls.map((c) => c.status)).toEqual([200, 200]);
    expect(auth.apiCalls[0]?.jti).not.toBe(auth.apiCalls[1]?.jti);
  });

  it('a wrong secret: oauth_token_failed, and the API is never called', async () => {
    await createWithSecret(oauthAction('wrong_secret'), 'PLAIN-not-the-client-secret-00');
    const { status, body } = await invoke('wrong_secret');
    expect(status).toBe(200);
    expect(body).toEqual({
      ok: false,
      error: { code: 'oauth_token_failed', message: expect.stringContaining('token endpoint refused') },
    });
    expect(auth.apiCalls).toEqual([]);
  });

  it.each([
    ['redirect', 'oauth_token_failed'],
    ['large', 'oauth_token_invalid'],
    ['html', 'oauth_token_invalid'],
    ['hang', 'timeout'],
  ])('a token endpoint that answers %s: %s, and the API is never called', async (which, code) => {
    const identifier = `misbehave_${which}`;
    await createWithSecret(oauthAction(identifier, { tokenUrl: `${ISSUER}/misbehave/${which}` }));
    const { body } = await invoke(identifier);
    expect(body).toMatchObject({ ok: false, error: { code } });
    expect(auth.apiCalls).toEqual([]);
    // Redirects are never followed: the one request is to the misbehaving endpoint.
    expect(auth.tokenRequests.map((r) => r.path)).toEqual([`/misbehave/${which}`]);
  });

  it('a token URL whose name resolves to a private address is refused before anything is dialled', async () => {
    const actionId = await createWithSecret(
      oauthAction('internal_token', { tokenUrl: `https://${INTERNAL_HOST}/token` }),
    );
    const res = await agentInvoke(h.app, serviceKey, chatbotId, 'internal_token');
    // Egress's one refusal for a name (no internal DNS oracle): the agent learns only that the
    // name cannot be called; the operator's log says why.
    expect(res.body).toEqual({ ok: false, error: { code: 'dns_failed', message: expect.any(String) } });
    expect(JSON.stringify(res.body)).not.toContain('10.20.30.40');
    expect(lookups).toContain(INTERNAL_HOST);
    const refusal = h.logs.find(
      (line) => line.includes('egress refused a call') && line.includes(INTERNAL_HOST),
    );
    expect(refusal).toContain('10.20.30.40');
    expect(auth.apiCalls).toEqual([]);
    await h.store.flushRuns();
    const runs = await admin.get(routePath('actionRuns', { chatbotId, actionId }));
    expect(runs.body.runs[0]).toMatchObject({ outcome: 'dns_failed', httpStatus: null });
  });

  it('a token URL at an address literal is blocked too', async () => {
    await createWithSecret(oauthAction('literal_token', { tokenUrl: 'https://169.254.169.254/token' }));
    const res = await agentInvoke(h.app, serviceKey, chatbotId, 'literal_token');
    expect({ status: res.status, code: res.body.error?.code }).toEqual({
      status: 502,
      code: 'blocked_destination',
    });
  });

  it('records runs with the token failure code and no secret', async () => {
    const actionId = await createWithSecret(oauthAction('run_record'), 'PLAIN-not-the-client-secret-11');
    await invoke('run_record');
    const runs = await admin.get(routePath('actionRuns', { chatbotId, actionId }));
    expect(runs.body.runs[0]).toMatchObject({ source: 'agent', outcome: 'oauth_token_failed' });
  });

  it('an API that echoes the Authorization header never hands the access token to the model', async () => {
    await createWithSecret(oauthAction('echo', {}, 'echo-auth'));
    const { body } = await invoke('echo');
    expect(body).toEqual({
      ok: true,
      status: 200,
      body: '{"authorization":"Bearer [redacted]"}',
      truncated: false,
    });
  });

  it('a changed client id drops the stored secret and the cached token', async () => {
    const actionId = await createWithSecret(oauthAction('drop_on_change'));
    await invoke('drop_on_change');
    expect(await h.store.getOAuthToken('ws-a', actionId)).not.toBeNull();
    const current = await admin.get(routePath('action', { chatbotId, actionId }));
    const updated = await admin
      .put(routePath('action', { chatbotId, actionId }))
      .set('If-Match', current.headers.etag as string)
      .send(oauthAction('drop_on_change', { clientId: 'someone-else' }));
    expect(updated.status).toBe(200);
    expect(updated.body.credential).toBeNull();
    expect(await h.store.getOAuthToken('ws-a', actionId)).toBeNull();
    const res = await agentInvoke(h.app, serviceKey, chatbotId, 'drop_on_change');
    expect(res.body.error?.code).toBe('credential_missing');
  });
});

describe('OAuth 2.0 client credentials: test panel', () => {
  it('shows the token step (obtained, expires in) before the call’s result', async () => {
    const res = await admin.post(routePath('testDraft', { chatbotId })).send({
      action: oauthAction('panel_ok'),
      values: { order_number: 'T-1' },
      credential: BASIC_CLIENT.secret,
    });
    expect(res.status).toBe(200);
    const result = testResultSchema.parse(res.body);
    expect(result).toMatchObject({
      ok: true,
      status: 200,
      token: { ok: true, reused: false, expiresIn: TOKEN_TTL_SECONDS },
    });
  });

  it('shows the coded failure with what the token endpoint said, and never the secret', async () => {
    const wrong = 'PLAIN-typed-wrong-client-secret-22';
    const res = await admin
      .post(routePath('testDraft', { chatbotId }))
      .send({ action: oauthAction('panel_wrong'), values: { order_number: 'T-1' }, credential: wrong });
    const result = testResultSchema.parse(res.body);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'oauth_token_failed' },
      token: {
        ok: false,
        status: 401,
        oauthError: 'invalid_client',
        oauthErrorDescription: 'client authentication failed',
      },
    });
    expect(JSON.stringify(res.body)).not.toContain(wrong);
    expect(auth.apiCalls).toEqual([]);
  });

  it('requires the client secret to be typed in, like any credential', async () => {
    const res = await admin
      .post(routePath('testDraft', { chatbotId }))
      .send({ action: oauthAction('panel_none'), values: { order_number: 'T-1' } });
    expect(res.body.error?.code).toBe('credential_required');
  });
});

describe('OAuth secrets and tokens', () => {
  it('appear in no response, log line or database row', async () => {
    const responses: string[] = [];
    const keep = (res: { status: number; headers: unknown; body: unknown; text?: string }) => {
      responses.push(
        JSON.stringify({ status: res.status, headers: res.headers, body: res.body, text: res.text }),
      );
    };
    const actionId = await createWithSecret(oauthAction('leak_search', {}, 'echo-auth'));
    keep(await admin.get(routePath('action', { chatbotId, actionId })));
    keep(await agentInvoke(h.app, serviceKey, chatbotId, 'leak_search'));
    keep(
      await admin
        .post(routePath('actionTest', { chatbotId, actionId }))
        .send({ values: { order_number: 'L-1' }, credential: BASIC_CLIENT.secret }),
    );
    keep(await admin.get(routePath('actionRuns', { chatbotId, actionId })));
    await h.store.flushRuns();
    const secrets = [BASIC_CLIENT.secret, POST_CLIENT.secret, ...auth.issued];
    expect(auth.issued.length).toBeGreaterThan(0);
    const database = dumpDatabase(h.sqlitePath);
    // The token is cached, sealed: the row exists but holds no plaintext.
    expect(database).toContain('oauth_tokens');
    for (const secret of secrets) {
      for (const response of responses) expect(response).not.toContain(secret);
      for (const line of h.logs) expect(line).not.toContain(secret);
      expect(database).not.toContain(secret);
    }
  });
});
