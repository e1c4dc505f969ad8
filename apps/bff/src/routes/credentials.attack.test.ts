import {
  type ActionDefinition,
  invokeResultSchema,
  routePath,
  storedActionSchema,
} from '@aihio/actions-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { agentInvoke, as, expectError, sampleAction } from '../test-support/fixtures';
import { createHarness, type Harness } from '../test-support/harness';
import { echoHandler } from '../test-support/upstream';

/**
 * A stored credential goes only where the owner entered it for. An owner (or anyone who gets
 * editor rights later) who edits a saved action so that the credential would be sent to another
 * origin, under another auth scheme or in another header must find it dropped: the action then
 * shows "credential missing" (`credential: null`) and invoke refuses with `credential_missing`
 * before any call. Edits that keep the destination (path, query, description, …) keep it.
 * Every case is checked through the API's `credential` field and by invoking the action against
 * the loopback upstream, which records the headers it received.
 */

const SECRET = 'stored-for-the-original-destination-7788';

let h: Harness;
let admin: ReturnType<typeof as>;
let chatbotId: string;
let serviceKey: string;
let counter = 0;

beforeAll(async () => {
  h = await createHarness();
  admin = as(h.app, await h.session());
  chatbotId = (await admin.post(routePath('chatbots')).send({ name: 'Credential bot' })).body.id;
  serviceKey = (await admin.post(routePath('serviceKeys'))).body.key;
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.upstream.handler = echoHandler;
  h.upstream.requests.length = 0;
});

type Auth = ActionDefinition['auth'];

/** A saved action with `auth` and a stored credential; returns its ids, definition and version. */
async function savedWithCredential(auth: Auth) {
  counter += 1;
  const definition = sampleAction(h.upstreamOrigin, { identifier: `keyed_${counter}`, auth });
  const created = await admin.post(routePath('actions', { chatbotId })).send(definition);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const ids = { chatbotId, actionId: created.body.id as string };
  const withCredential = await admin.put(routePath('actionCredential', ids)).send({ secret: SECRET });
  expect(withCredential.body.credential).toEqual({ last4: '7788' });
  return { ids, definition, version: withCredential.body.version as number };
}

async function edit(
  saved: Awaited<ReturnType<typeof savedWithCredential>>,
  change: Partial<ActionDefinition>,
) {
  const res = await admin
    .put(routePath('action', saved.ids))
    .set('If-Match', `"${saved.version}"`)
    .send({ ...saved.definition, ...change });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return storedActionSchema.parse(res.body);
}

const invoke = (identifier: string) => agentInvoke(h.app, serviceKey, chatbotId, identifier);

/** Every header value the upstream received, in any header. */
function sentAnywhere(): string {
  return JSON.stringify(h.upstream.requests.map((seen) => seen.headers));
}

const ORIGIN = 'https://api.bff.test';
const bearer: Auth = { type: 'bearer' };
const apiKey: Auth = { type: 'api_key', headerName: 'X-Api-Key' };

describe('an edit that changes where or how the credential is sent drops it', () => {
  it.each<[string, Auth, Partial<ActionDefinition>]>([
    ['another host', bearer, { url: 'https://other.bff.test/echo/orders/{{order_number}}' }],
    ['a subdomain of the host', bearer, { url: 'https://eu.api.bff.test/echo/orders/{{order_number}}' }],
    ['another host, API key', apiKey, { url: 'https://other.bff.test/echo/orders/{{order_number}}' }],
    ['bearer → API key', bearer, { auth: { type: 'api_key', headerName: 'X-Api-Key' } }],
    ['API key → bearer', apiKey, { auth: { type: 'bearer' } }],
    ['API key → none', apiKey, { auth: { type: 'none' } }],
    ['the API key’s header name', apiKey, { auth: { type: 'api_key', headerName: 'X-Debug-Echo' } }],
    [
      'the API key moved into Authorization',
      apiKey,
      { auth: { type: 'api_key', headerName: 'Authorization' } },
    ],
  ])('%s: credential: null, invoke refuses credential_missing with no call', async (_name, auth, change) => {
    const saved = await savedWithCredential(auth);
    const updated = await edit(saved, change);
    expect(updated.credential).toBeNull();
    expect((await admin.get(routePath('action', saved.ids))).body.credential).toBeNull();
    expect((await h.store.getAction('ws-a', chatbotId, saved.ids.actionId))?.credentialSealed).toBeNull();

    const res = await invoke(saved.definition.identifier);
    if (updated.auth.type === 'none') {
      // Nothing to send: the call is made, and the old secret is nowhere in it.
      expect(invokeResultSchema.parse(res.body).ok).toBe(true);
    } else {
      expectError(res, 409, 'credential_missing');
    }
    expect(sentAnywhere()).not.toContain(SECRET);
  });

  it('a credential dropped by a host change does not come back when the host is changed back', async () => {
    const saved = await savedWithCredential(bearer);
    const moved = await edit(saved, { url: 'https://other.bff.test/echo/orders/{{order_number}}' });
    expect(moved.credential).toBeNull();
    const back = await edit({ ...saved, version: moved.version }, {});
    expect(back.credential).toBeNull();
    expect((await invoke(saved.definition.identifier)).body.error.code).toBe('credential_missing');
    expect(h.upstream.requests).toHaveLength(0);
  });
});

describe('an edit made from a stale copy', () => {
  it('cannot move a credential stored after the editor loaded the action: version_conflict, nothing changes', async () => {
    const saved = await savedWithCredential(bearer);
    // The editor's copy is from before the credential was stored (setting it bumps the version).
    const res = await admin
      .put(routePath('action', saved.ids))
      .set('If-Match', `"${saved.version - 1}"`)
      .send({ ...saved.definition, url: 'https://other.bff.test/echo/orders/{{order_number}}' });
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({
      status: 412,
      code: 'version_conflict',
    });
    const current = storedActionSchema.parse((await admin.get(routePath('action', saved.ids))).body);
    expect({ url: current.url, credential: current.credential }).toEqual({
      url: saved.definition.url,
      credential: { last4: '7788' },
    });
  });
});

describe('an edit that keeps the origin, the auth type and the API-key header keeps it', () => {
  // Same origin (scheme, host, port): the owner entered the credential for that service; a
  // different path or query on it is still that service (an API's version prefix, a new endpoint).
  it.each<[string, Auth, Partial<ActionDefinition>, string]>([
    ['the description', bearer, { description: 'Find an order.' }, '/echo/orders/A-1?verbose=yes'],
    [
      'the path',
      bearer,
      { url: `${ORIGIN}/echo/v2/orders/{{order_number}}/status` },
      '/echo/v2/orders/A-1/status',
    ],
    ['the query', apiKey, { url: `${ORIGIN}/echo/orders/{{order_number}}?v=2` }, '/echo/orders/A-1?v=2'],
    [
      'the host’s letter case and an explicit :443 (the same origin)',
      bearer,
      { url: 'https://API.BFF.test:443/echo/orders/{{order_number}}' },
      '/echo/orders/A-1',
    ],
    [
      'the API key header’s letter case (the same header on the wire)',
      apiKey,
      { auth: { type: 'api_key', headerName: 'x-api-key' } },
      '/echo/orders/A-1?verbose=yes',
    ],
    [
      'the method, headers and body',
      bearer,
      {
        method: 'POST',
        headers: [{ name: 'Content-Type', value: 'application/json' }],
        body: '{"order":"{{order_number}}"}',
        confirmation: 'never',
      },
      '/echo/orders/A-1?verbose=yes',
    ],
  ])('%s: the credential stays and is sent as before', async (_name, auth, change, path) => {
    const saved = await savedWithCredential(auth);
    const updated = await edit(saved, change);
    expect(updated.credential).toEqual({ last4: '7788' });

    const res = await invoke(saved.definition.identifier);
    expect(invokeResultSchema.parse(res.body).ok).toBe(true);
    const seen = h.upstream.requests.at(-1)!;
    expect(seen.path).toBe(path);
    if (auth.type === 'bearer') expect(seen.headers.authorization).toBe(`Bearer ${SECRET}`);
    else expect(seen.headers['x-api-key']).toBe(SECRET);
  });
});
