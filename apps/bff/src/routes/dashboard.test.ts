import {
  actionListResponseSchema,
  chatbotListResponseSchema,
  chatbotSchema,
  createServiceKeyResponseSchema,
  meResponseSchema,
  routePath,
  runListResponseSchema,
  serviceKeyListResponseSchema,
  storedActionSchema,
} from '@aihio/actions-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, expectError, sampleAction } from '../test-support/fixtures';
import { createHarness, type Harness } from '../test-support/harness';

let h: Harness;
let admin: ReturnType<typeof as>;
let chatbotId: string;

beforeAll(async () => {
  h = await createHarness({ AIHIO_BODY_LIMIT_BYTES: '4096' });
  admin = as(h.app, await h.session());
  const res = await admin.post(routePath('chatbots')).send({ name: 'Support bot' });
  chatbotId = res.body.id;
});
afterAll(async () => {
  await h.close();
});

async function createAction(overrides: Parameters<typeof sampleAction>[1] = {}) {
  const res = await admin
    .post(routePath('actions', { chatbotId }))
    .send(sampleAction(h.upstreamOrigin, overrides));
  expect(res.status).toBe(201);
  return storedActionSchema.parse(res.body);
}

describe('health and documents', () => {
  it('answers /healthz and /readyz (store ping)', async () => {
    expect((await request(h.app).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(h.app).get('/readyz')).body).toEqual({
      status: 'ready',
      retention: { ok: true, at: null },
    });
  });

  it('sets a request id (and keeps a sane incoming one)', async () => {
    const res = await request(h.app).get('/healthz').set('X-Request-Id', 'abc-123');
    expect(res.headers['x-request-id']).toBe('abc-123');
    const generated = await request(h.app).get('/healthz').set('X-Request-Id', 'bad id\twith spaces');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with the not_found envelope', async () => {
    expectError(await request(h.app).get('/nope'), 404, 'not_found');
    expectError(await admin.get('/api/v1/nope'), 404, 'not_found');
  });
});

describe('authentication', () => {
  it('refuses a missing, malformed, forged or expired session token', async () => {
    expectError(await request(h.app).get(routePath('me')), 401, 'unauthenticated');
    expectError(
      await request(h.app).get(routePath('me')).set('Authorization', 'Basic abc'),
      401,
      'unauthenticated',
    );
    const token = await h.session();
    const forged = `${token.slice(0, -4)}AAAA`;
    expectError(await as(h.app, forged).get(routePath('me')), 401, 'unauthenticated');
    const expired = await h.session({ expiresIn: '-1m' });
    expectError(await as(h.app, expired).get(routePath('me')), 401, 'unauthenticated');
  });

  it('refuses a token whose claims are not the contract (unknown role)', async () => {
    const token = await h.session({ role: 'owner' as never });
    expectError(await as(h.app, token).get(routePath('me')), 401, 'unauthenticated');
  });

  it('GET me: user, workspace and role from the claims; the workspace is upserted', async () => {
    const res = await admin.get(routePath('me'));
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(meResponseSchema.parse(res.body)).toEqual({
      user: { id: 'user-a' },
      workspace: { id: 'ws-a', name: 'Workspace A', plan: 'starter' },
      role: 'admin',
    });
    const renamed = as(h.app, await h.session({ wname: 'Renamed A', plan: 'pro' }));
    await renamed.get(routePath('me'));
    expect(await h.store.getWorkspace('ws-a')).toEqual({ id: 'ws-a', name: 'Renamed A', plan: 'pro' });
    await admin.get(routePath('me'));
  });
});

describe('chatbots', () => {
  it('lists, creates and reads the workspace’s chatbots', async () => {
    const created = await admin.post(routePath('chatbots')).send({ name: '  Sales bot ' });
    expect(created.status).toBe(201);
    expect(chatbotSchema.parse(created.body)).toEqual({
      id: expect.any(String),
      name: 'Sales bot',
      identitySecret: null,
    });
    const list = await admin.get(routePath('chatbots'));
    expect(chatbotListResponseSchema.parse(list.body).chatbots.map((c) => c.name)).toEqual(
      expect.arrayContaining(['Support bot', 'Sales bot']),
    );
    const one = await admin.get(routePath('chatbot', { chatbotId: created.body.id }));
    expect(one.body).toEqual(created.body);
  });

  it('refuses a blank name and an unknown chatbot', async () => {
    const blank = await admin.post(routePath('chatbots')).send({ name: '   ' });
    expectError(blank, 400, 'invalid_request');
    expect(blank.body.error.details.issues[0].path).toEqual(['name']);
    expectError(await admin.get(routePath('chatbot', { chatbotId: 'missing' })), 404, 'not_found');
  });

  it('sets and removes the identity secret: write-only, only last4 returns', async () => {
    const secret = 'identity-secret-0123456789-abc-WXYZ';
    const set = await admin.put(routePath('identitySecret', { chatbotId })).send({ secret });
    expect(set.status).toBe(200);
    expect(set.body.identitySecret).toEqual({ last4: 'WXYZ' });
    expect(JSON.stringify(set.body)).not.toContain(secret);
    expect((await admin.get(routePath('chatbot', { chatbotId }))).body.identitySecret).toEqual({
      last4: 'WXYZ',
    });
    expectError(
      await admin.put(routePath('identitySecret', { chatbotId })).send({ secret: 'short' }),
      400,
      'invalid_request',
    );
    // 31 characters: short enough for a visitor to guess offline from their own token.
    expectError(
      await admin.put(routePath('identitySecret', { chatbotId })).send({ secret: 'x'.repeat(31) }),
      400,
      'invalid_request',
    );
    const removed = await admin.delete(routePath('identitySecret', { chatbotId }));
    expect(removed.body.identitySecret).toBeNull();
  });
});

describe('request bodies', () => {
  it('answers malformed JSON with a 400 envelope, never a 500', async () => {
    const res = await admin
      .post(routePath('chatbots'))
      .set('Content-Type', 'application/json')
      .send('{"name": ');
    expectError(res, 400, 'invalid_request');
  });

  it('answers an oversized body with payload_too_large', async () => {
    const res = await admin.post(routePath('chatbots')).send({ name: 'x'.repeat(5000) });
    expectError(res, 413, 'payload_too_large');
  });

  it('treats a non-JSON body as missing fields', async () => {
    const res = await admin.post(routePath('chatbots')).set('Content-Type', 'text/plain').send('name=x');
    expectError(res, 400, 'invalid_request');
  });
});

describe('actions', () => {
  it('creates an action: 201, ETag "1", Location, stored shape', async () => {
    const res = await admin
      .post(routePath('actions', { chatbotId }))
      .send(sampleAction(h.upstreamOrigin, { identifier: 'create_me' }));
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers.location).toBe(routePath('action', { chatbotId, actionId: res.body.id }));
    const action = storedActionSchema.parse(res.body);
    expect(action).toMatchObject({
      identifier: 'create_me',
      version: 1,
      chatbotId,
      credential: null,
      lastRun: null,
    });
  });

  it('refuses an invalid definition with validation_failed and the core issues by path', async () => {
    const res = await admin
      .post(routePath('actions', { chatbotId }))
      .send(sampleAction(h.upstreamOrigin, { identifier: 'Bad Name', url: 'http://api.bff.test/x' }));
    expectError(res, 422, 'validation_failed');
    const paths = res.body.error.details.issues.map((issue: { path: unknown[] }) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['identifier', 'url']));
    const notAnObject = await admin.post(routePath('actions', { chatbotId })).send([1, 2]);
    expectError(notAnObject, 422, 'validation_failed');
  });

  it('refuses a second action with the same identifier in one chatbot (identifier_taken)', async () => {
    await createAction({ identifier: 'twice' });
    const res = await admin
      .post(routePath('actions', { chatbotId }))
      .send(sampleAction(h.upstreamOrigin, { identifier: 'twice' }));
    expectError(res, 409, 'identifier_taken');
  });

  it('lists actions with their last run and credential last4', async () => {
    const action = await createAction({ identifier: 'listed', auth: { type: 'bearer' } });
    await admin
      .put(routePath('actionCredential', { chatbotId, actionId: action.id }))
      .send({ secret: 'listed-token-0123456789-ABCD' });
    await admin
      .post(routePath('actionTest', { chatbotId, actionId: action.id }))
      .send({ values: { order_number: 'A1' }, credential: 'listed-token-0123456789-ABCD' });
    const res = await admin.get(routePath('actions', { chatbotId }));
    expect(res.status).toBe(200);
    const listed = actionListResponseSchema.parse(res.body).actions.find((a) => a.id === action.id)!;
    expect(listed.credential).toEqual({ last4: 'ABCD' });
    expect(listed.lastRun).toMatchObject({ source: 'test', outcome: 'ok', httpStatus: 200 });
  });

  it('reads one action with its ETag; an unknown id is not_found', async () => {
    const action = await createAction({ identifier: 'read_me' });
    const res = await admin.get(routePath('action', { chatbotId, actionId: action.id }));
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toEqual(action);
    expectError(await admin.get(routePath('action', { chatbotId, actionId: 'nope' })), 404, 'not_found');
  });

  describe('update', () => {
    it('needs If-Match (precondition_required) and refuses a stale version (version_conflict), losing nothing', async () => {
      const action = await createAction({ identifier: 'concurrent' });
      const url = routePath('action', { chatbotId, actionId: action.id });
      const edit = sampleAction(h.upstreamOrigin, { identifier: 'concurrent', description: 'First edit.' });
      expectError(await admin.put(url).send(edit), 428, 'precondition_required');
      expectError(await admin.put(url).set('If-Match', 'banana').send(edit), 400, 'invalid_request');

      const first = await admin.put(url).set('If-Match', '"1"').send(edit);
      expect(first.status).toBe(200);
      expect(first.headers.etag).toBe('"2"');
      expect(first.body).toMatchObject({ version: 2, description: 'First edit.' });

      const stale = await admin
        .put(url)
        .set('If-Match', '"1"')
        .send({ ...edit, description: 'Stale edit.' });
      expectError(stale, 412, 'version_conflict');
      expect((await admin.get(url)).body).toMatchObject({ version: 2, description: 'First edit.' });

      const weak = await admin
        .put(url)
        .set('If-Match', 'W/"2"')
        .send({ ...edit, description: 'Third.' });
      expect(weak.body.version).toBe(3);
    });

    it('validates the new definition and keeps identifier uniqueness', async () => {
      await createAction({ identifier: 'taken_name' });
      const action = await createAction({ identifier: 'will_rename' });
      const url = routePath('action', { chatbotId, actionId: action.id });
      const invalid = await admin
        .put(url)
        .set('If-Match', '"1"')
        .send({ ...action, description: ' ' });
      expectError(invalid, 422, 'validation_failed');
      const taken = await admin
        .put(url)
        .set('If-Match', '"1"')
        .send(sampleAction(h.upstreamOrigin, { identifier: 'taken_name' }));
      expectError(taken, 409, 'identifier_taken');
    });

    it('keeps the credential for other edits, drops it when the auth type or host changes', async () => {
      const action = await createAction({ identifier: 'drop_cred', auth: { type: 'bearer' } });
      const url = routePath('action', { chatbotId, actionId: action.id });
      const credUrl = routePath('actionCredential', { chatbotId, actionId: action.id });
      await admin.put(credUrl).send({ secret: 'secret-token-for-drop-1234' });

      const base = sampleAction(h.upstreamOrigin, { identifier: 'drop_cred', auth: { type: 'bearer' } });
      const kept = await admin
        .put(url)
        .set('If-Match', '"2"')
        .send({ ...base, description: 'Same host.' });
      expect(kept.body.credential).toEqual({ last4: '1234' });

      const otherHost = await admin
        .put(url)
        .set('If-Match', String(kept.body.version))
        .send({ ...base, url: 'https://other.bff.test/echo/{{order_number}}' });
      expect(otherHost.status).toBe(200);
      expect(otherHost.body.credential).toBeNull();
      expect((await h.store.getAction('ws-a', chatbotId, action.id))?.credentialSealed).toBeNull();

      await admin.put(credUrl).send({ secret: 'secret-token-for-drop-5678' });
      const current = (await admin.get(url)).body;
      const otherAuth = await admin
        .put(url)
        .set('If-Match', String(current.version))
        .send({ ...base, url: current.url, auth: { type: 'api_key', headerName: 'X-Api-Key' } });
      expect(otherAuth.body.credential).toBeNull();
    });
  });

  it('deletes an action (If-Match optional, checked when sent)', async () => {
    const action = await createAction({ identifier: 'delete_me' });
    const url = routePath('action', { chatbotId, actionId: action.id });
    expectError(await admin.delete(url).set('If-Match', '"7"'), 412, 'version_conflict');
    const res = await admin.delete(url).set('If-Match', '"1"');
    expect(res.status).toBe(204);
    expectError(await admin.get(url), 404, 'not_found');
    expectError(await admin.delete(url), 404, 'not_found');
  });

  it('turns an action on and off (version bumps)', async () => {
    const action = await createAction({ identifier: 'toggle_me' });
    const url = routePath('actionEnabled', { chatbotId, actionId: action.id });
    const off = await admin.put(url).send({ enabled: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ enabled: false, version: 2 });
    expect(off.headers.etag).toBe('"2"');
    expectError(await admin.put(url).send({ enabled: 'no' }), 400, 'invalid_request');
    expectError(await admin.put(url).set('If-Match', '"1"').send({ enabled: true }), 412, 'version_conflict');
  });

  it('credential: set (only last4 returns), replace, remove; refused for auth none and for bad characters', async () => {
    const action = await createAction({
      identifier: 'with_cred',
      auth: { type: 'api_key', headerName: 'X-Api-Key' },
    });
    const url = routePath('actionCredential', { chatbotId, actionId: action.id });
    const set = await admin.put(url).send({ secret: 'first-secret-value-0001' });
    expect(set.status).toBe(200);
    expect(set.body.credential).toEqual({ last4: '0001' });
    const replaced = await admin.put(url).send({ secret: 'second-secret-value-0002' });
    expect(replaced.body.credential).toEqual({ last4: '0002' });
    expectError(await admin.put(url).send({ secret: 'line\nbreak-secret' }), 400, 'invalid_request');
    expectError(await admin.put(url).send({}), 400, 'invalid_request');
    const removed = await admin.delete(url);
    expect(removed.body.credential).toBeNull();

    const open = await createAction({ identifier: 'no_auth' });
    const refused = await admin
      .put(routePath('actionCredential', { chatbotId, actionId: open.id }))
      .send({ secret: 'does-not-apply-123' });
    expectError(refused, 400, 'invalid_request');
  });

  it('shows only a short tail of a short credential', async () => {
    const action = await createAction({ identifier: 'short_cred', auth: { type: 'bearer' } });
    const res = await admin
      .put(routePath('actionCredential', { chatbotId, actionId: action.id }))
      .send({ secret: 'abcdef' });
    expect(res.body.credential).toEqual({ last4: 'f' });
  });

  it('lists runs newest first with a limit, and checks the limit', async () => {
    const action = await createAction({ identifier: 'with_runs' });
    for (const order of ['A', 'B', 'C']) {
      await admin
        .post(routePath('actionTest', { chatbotId, actionId: action.id }))
        .send({ values: { order_number: order } });
    }
    const url = routePath('actionRuns', { chatbotId, actionId: action.id });
    const res = await admin.get(`${url}?limit=2`);
    expect(res.status).toBe(200);
    const { runs } = runListResponseSchema.parse(res.body);
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({ actionId: action.id, source: 'test', outcome: 'ok', httpStatus: 200 });
    expect(runs[0]!.at >= runs[1]!.at).toBe(true);
    expect(Object.keys(runs[0]!).sort()).toEqual(
      [
        'actionId',
        'at',
        'durationMs',
        'httpStatus',
        'id',
        'outcome',
        'responseBytes',
        'source',
        'truncated',
      ].sort(),
    );
    expectError(await admin.get(`${url}?limit=0`), 400, 'invalid_request');
    expectError(await admin.get(`${url}?limit=x`), 400, 'invalid_request');
  });
});

describe('roles and plans', () => {
  it('viewers read but cannot write', async () => {
    const action = await createAction({ identifier: 'viewer_target' });
    const viewer = as(h.app, await h.session({ sub: 'viewer-a', role: 'viewer' }));
    expect((await viewer.get(routePath('actions', { chatbotId }))).status).toBe(200);
    expect((await viewer.get(routePath('action', { chatbotId, actionId: action.id }))).status).toBe(200);
    const writes = [
      viewer.post(routePath('chatbots')).send({ name: 'x' }),
      viewer.put(routePath('identitySecret', { chatbotId })).send({ secret: '12345678' }),
      viewer
        .post(routePath('actions', { chatbotId }))
        .send(sampleAction(h.upstreamOrigin, { identifier: 'v' })),
      viewer
        .put(routePath('action', { chatbotId, actionId: action.id }))
        .set('If-Match', '"1"')
        .send(action),
      viewer.delete(routePath('action', { chatbotId, actionId: action.id })),
      viewer.put(routePath('actionEnabled', { chatbotId, actionId: action.id })).send({ enabled: false }),
      viewer.put(routePath('actionCredential', { chatbotId, actionId: action.id })).send({ secret: 'x' }),
      viewer.post(routePath('actionTest', { chatbotId, actionId: action.id })).send({ values: {} }),
      viewer.post(routePath('testDraft', { chatbotId })).send({ action, values: {} }),
      viewer.post(routePath('serviceKeys')),
      viewer.get(routePath('serviceKeys')),
    ];
    for (const res of await Promise.all(writes)) expectError(res, 403, 'forbidden');
    expect((await admin.get(routePath('action', { chatbotId, actionId: action.id }))).body).toEqual(action);
  });

  it('editors write actions but manage no service keys', async () => {
    const editor = as(h.app, await h.session({ sub: 'editor-a', role: 'editor' }));
    const res = await editor
      .post(routePath('actions', { chatbotId }))
      .send(sampleAction(h.upstreamOrigin, { identifier: 'by_editor' }));
    expect(res.status).toBe(201);
    expectError(await editor.post(routePath('serviceKeys')), 403, 'forbidden');
  });

  it('a workspace below Starter gets plan_required on every action endpoint', async () => {
    const free = as(h.app, await h.session({ wid: 'ws-free', sub: 'free-user', plan: 'free' }));
    const bot = (await free.post(routePath('chatbots')).send({ name: 'Free bot' })).body;
    expect(bot.id).toBeDefined();
    const ids = { chatbotId: bot.id, actionId: 'any' };
    const calls = [
      free.get(routePath('actions', ids)),
      free.post(routePath('actions', ids)).send(sampleAction(h.upstreamOrigin)),
      free.post(routePath('testDraft', ids)).send({}),
      free.get(routePath('action', ids)),
      free.put(routePath('action', ids)).set('If-Match', '"1"').send({}),
      free.delete(routePath('action', ids)),
      free.put(routePath('actionEnabled', ids)).send({ enabled: true }),
      free.put(routePath('actionCredential', ids)).send({ secret: 'x' }),
      free.delete(routePath('actionCredential', ids)),
      free.post(routePath('actionTest', ids)).send({ values: {} }),
      free.get(routePath('actionRuns', ids)),
    ];
    for (const res of await Promise.all(calls)) expectError(res, 402, 'plan_required');
  });
});

describe('service keys', () => {
  it('creates (key shown once, stored hashed), lists (no key) and deletes', async () => {
    const created = await admin.post(routePath('serviceKeys'));
    expect(created.status).toBe(201);
    const body = createServiceKeyResponseSchema.parse(created.body);
    expect(body.key).toMatch(/^aihio_sk_/);
    expect(body.last4).toBe(body.key.slice(-4));
    expect(created.headers['cache-control']).toBe('no-store');

    const list = serviceKeyListResponseSchema.parse((await admin.get(routePath('serviceKeys'))).body);
    expect(list.keys.map((k) => k.id)).toContain(body.id);
    expect(JSON.stringify(list)).not.toContain(body.key);
    const stored = await h.store.listServiceKeys('ws-a');
    expect(JSON.stringify(stored)).not.toContain(body.key);

    expect((await admin.delete(routePath('serviceKey', { keyId: body.id }))).status).toBe(204);
    expectError(await admin.delete(routePath('serviceKey', { keyId: body.id })), 404, 'not_found');
  });
});

describe('CORS', () => {
  it('allows only configured origins', async () => {
    const cors = await createHarness({ AIHIO_CORS_ORIGINS: 'https://dash.example.com' });
    try {
      const allowed = await request(cors.app)
        .options(routePath('me'))
        .set('Origin', 'https://dash.example.com')
        .set('Access-Control-Request-Method', 'GET');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://dash.example.com');
      const other = await request(cors.app)
        .options(routePath('me'))
        .set('Origin', 'https://evil.example.com')
        .set('Access-Control-Request-Method', 'GET');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await cors.close();
    }
  });
});
