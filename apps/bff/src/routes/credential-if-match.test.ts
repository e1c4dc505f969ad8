import {
  type ActionDefinition,
  invokeResultSchema,
  routePath,
  storedActionSchema,
} from '@aihio/actions-core';
import type request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { agentInvoke, as, expectError, sampleAction } from '../test-support/fixtures';
import { createHarness, type Harness } from '../test-support/harness';
import { echoHandler } from '../test-support/upstream';

/**
 * Setting or removing a credential with If-Match: the secret is stored only against the version
 * (and so the origin, auth type and header) its owner saw. Without it the PUT still works, as
 * before. Every case is checked through the API and by invoking the action against the loopback
 * upstream, which records the host and headers it received.
 */

const SECRET = 'entered-for-host-a-only-4321';

let h: Harness;
let admin: ReturnType<typeof as>;
let chatbotId: string;
let serviceKey: string;
let counter = 0;

beforeAll(async () => {
  h = await createHarness();
  admin = as(h.app, await h.session());
  chatbotId = (await admin.post(routePath('chatbots')).send({ name: 'If-Match bot' })).body.id;
  serviceKey = (await admin.post(routePath('serviceKeys'))).body.key;
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.upstream.handler = echoHandler;
  h.upstream.requests.length = 0;
});

/** The error envelope, and the secret nowhere in it. */
function expectRefusal(res: request.Response, status: number, code: string) {
  expectError(res, status, code);
  expect(JSON.stringify(res.body)).not.toContain(SECRET);
}

async function createBearerAction(overrides: Partial<ActionDefinition> = {}) {
  counter += 1;
  const definition = sampleAction(h.upstreamOrigin, {
    identifier: `guarded_${counter}`,
    auth: { type: 'bearer' },
    ...overrides,
  });
  const res = await admin.post(routePath('actions', { chatbotId })).send(definition);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const action = storedActionSchema.parse(res.body);
  return { ids: { chatbotId, actionId: action.id }, definition, action };
}

async function stored(actionId: string) {
  return (await h.store.getAction('ws-a', chatbotId, actionId))!;
}

const invoke = (identifier: string) => agentInvoke(h.app, serviceKey, chatbotId, identifier);

describe('PUT …/credential with If-Match', () => {
  it('a stale version is 412 version_conflict, and nothing is stored', async () => {
    const { ids, action } = await createBearerAction();
    // The version moves on (turning the action off and on is enough).
    const bumped = await admin.put(routePath('actionEnabled', ids)).send({ enabled: true });
    expect(bumped.body.version).toBe(action.version + 1);
    const before = await stored(ids.actionId);

    const res = await admin
      .put(routePath('actionCredential', ids))
      .set('If-Match', `"${action.version}"`)
      .send({ secret: SECRET });
    expectRefusal(res, 412, 'version_conflict');
    expect(await stored(ids.actionId)).toEqual(before);
    expect((await admin.get(routePath('action', ids))).body.credential).toBeNull();
  });

  it.each([
    ['"N"', (v: number) => `"${v}"`],
    ['W/"N"', (v: number) => `W/"${v}"`],
    ['N', (v: number) => `${v}`],
  ])('the current version (%s) stores it and answers the new ETag', async (_form, header) => {
    const { ids, action } = await createBearerAction();
    const res = await admin
      .put(routePath('actionCredential', ids))
      .set('If-Match', header(action.version))
      .send({ secret: SECRET });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const updated = storedActionSchema.parse(res.body);
    expect(updated).toMatchObject({ version: action.version + 1, credential: { last4: '4321' } });
    expect(res.headers.etag).toBe(`"${action.version + 1}"`);
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
  });

  it('without If-Match it still works (compatibility)', async () => {
    const { ids } = await createBearerAction();
    const res = await admin.put(routePath('actionCredential', ids)).send({ secret: SECRET });
    expect(res.status).toBe(200);
    expect(res.body.credential).toEqual({ last4: '4321' });
  });

  it('a malformed If-Match is invalid_request, and nothing is stored', async () => {
    const { ids } = await createBearerAction();
    const res = await admin
      .put(routePath('actionCredential', ids))
      .set('If-Match', 'soon')
      .send({ secret: SECRET });
    expectRefusal(res, 400, 'invalid_request');
    expect((await stored(ids.actionId)).credentialSealed).toBeNull();
  });

  it('another workspace’s action is not_found, with or without If-Match', async () => {
    const { ids, action } = await createBearerAction();
    const intruder = as(h.app, await h.session({ sub: 'user-b', wid: 'ws-b', wname: 'Workspace B' }));
    const res = await intruder
      .put(routePath('actionCredential', ids))
      .set('If-Match', `"${action.version}"`)
      .send({ secret: SECRET });
    expectRefusal(res, 404, 'not_found');
    expect((await stored(ids.actionId)).credentialSealed).toBeNull();
  });
});

describe('DELETE …/credential with If-Match', () => {
  it('a stale version keeps the credential; the current one removes it; none still removes it', async () => {
    const { ids, action } = await createBearerAction();
    const withCredential = await admin
      .put(routePath('actionCredential', ids))
      .set('If-Match', `"${action.version}"`)
      .send({ secret: SECRET });
    const version = withCredential.body.version as number;

    expectRefusal(
      await admin.delete(routePath('actionCredential', ids)).set('If-Match', `"${version - 1}"`),
      412,
      'version_conflict',
    );
    expect((await admin.get(routePath('action', ids))).body.credential).toEqual({ last4: '4321' });

    const removed = await admin.delete(routePath('actionCredential', ids)).set('If-Match', `"${version}"`);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ version: version + 1, credential: null });

    await admin.put(routePath('actionCredential', ids)).send({ secret: SECRET });
    const unconditional = await admin.delete(routePath('actionCredential', ids));
    expect(unconditional.status).toBe(200);
    expect(unconditional.body.credential).toBeNull();
  });
});

describe('the race: a credential typed for host A, while another editor moves the action to host B', () => {
  it('is refused with version_conflict; the secret is never stored or sent to host B', async () => {
    // Owner 1 opens the editor: version N, host A (api.bff.test), no credential yet.
    const { ids, definition, action: loaded } = await createBearerAction();
    const owner1 = admin;
    const owner2 = as(h.app, await h.session({ sub: 'user-a2', role: 'editor' }));

    // Owner 2 moves the host to B (other.bff.test): version N+1.
    const hostB = 'https://other.bff.test/echo/orders/{{order_number}}';
    const moved = await owner2
      .put(routePath('action', ids))
      .set('If-Match', `"${loaded.version}"`)
      .send({ ...definition, url: hostB });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ version: loaded.version + 1, url: hostB, credential: null });

    // Owner 1 sends the credential typed against host A, with the version they loaded.
    const late = await owner1
      .put(routePath('actionCredential', ids))
      .set('If-Match', `"${loaded.version}"`)
      .send({ secret: SECRET });
    expectRefusal(late, 412, 'version_conflict');
    expect((await stored(ids.actionId)).credentialSealed).toBeNull();

    // The agent finds no credential: nothing is called, and host B never sees the secret.
    const refused = await invoke(definition.identifier);
    expect({ status: refused.status, code: refused.body?.error?.code }).toEqual({
      status: 409,
      code: 'credential_missing',
    });
    expect(h.upstream.requests).toHaveLength(0);

    // Owner 1 reloads, sees host B, and enters the credential for it: now it is stored and sent.
    const reloaded = storedActionSchema.parse((await owner1.get(routePath('action', ids))).body);
    expect(reloaded.url).toBe(hostB);
    const entered = await owner1
      .put(routePath('actionCredential', ids))
      .set('If-Match', `"${reloaded.version}"`)
      .send({ secret: 'entered-for-host-b-9876' });
    expect(entered.status).toBe(200);
    const ok = await invoke(definition.identifier);
    expect(invokeResultSchema.parse(ok.body).ok).toBe(true);
    const seen = h.upstream.requests.at(-1)!;
    expect(seen.headers.host).toBe('other.bff.test');
    expect(seen.headers.authorization).toBe('Bearer entered-for-host-b-9876');
    expect(JSON.stringify(h.upstream.requests)).not.toContain(SECRET);
  });

  it('without If-Match (an old client) the same race stores the secret against host B: why clients should send it', async () => {
    const { ids, definition, action: loaded } = await createBearerAction();
    await admin
      .put(routePath('action', ids))
      .set('If-Match', `"${loaded.version}"`)
      .send({ ...definition, url: 'https://other.bff.test/echo/orders/{{order_number}}' });
    const late = await admin.put(routePath('actionCredential', ids)).send({ secret: SECRET });
    expect(late.status).toBe(200);
    expect(late.body.credential).toEqual({ last4: '4321' });
  });
});
