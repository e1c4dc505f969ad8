import { emptyAction } from '@aihio/actions-core';
import { describe, expect, test } from 'vitest';
import { ActionsApiError, createActionsClient, type FetchLike } from './client';
import { createFakeBff, storedAction } from './testing/fake-bff';

function answering(status: number, body: string, contentType = 'application/json'): FetchLike {
  return async () => new Response(body, { status, headers: { 'content-type': contentType } });
}

describe('createActionsClient', () => {
  test('an error envelope becomes an ActionsApiError with its code, status and issues', async () => {
    const issues = [{ code: 'identifier_format', path: ['identifier'], message: 'Use snake_case.' }];
    const client = createActionsClient({
      baseUrl: '',
      fetch: answering(
        422,
        JSON.stringify({ error: { code: 'validation_failed', message: 'Fix it.', details: { issues } } }),
      ),
    });
    const error = await client.createAction('bot_1', emptyAction()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionsApiError);
    expect(error).toMatchObject({ code: 'validation_failed', status: 422, issues, message: 'Fix it.' });
  });

  test('a non-JSON error page is coded by its status', async () => {
    const client = createActionsClient({
      baseUrl: '',
      fetch: answering(502, '<html>Bad gateway</html>', 'text/html'),
    });
    await expect(client.listActions('bot_1')).rejects.toMatchObject({ code: 'unavailable', status: 502 });
  });

  test('an answer that breaks the contract is rejected, not passed on', async () => {
    const client = createActionsClient({
      baseUrl: '',
      fetch: answering(200, JSON.stringify({ actions: [{ id: 1 }] })),
    });
    await expect(client.listActions('bot_1')).rejects.toMatchObject({ code: 'internal_error' });
  });

  test('a network failure is `unavailable` with status 0', async () => {
    const client = createActionsClient({
      baseUrl: '',
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(client.me()).rejects.toMatchObject({ code: 'unavailable', status: 0 });
  });

  test('sends the host headers, If-Match with the version, and percent-encodes ids', async () => {
    const existing = storedAction({ identifier: 'lookup_order' }, { id: 'a/b' });
    const bff = createFakeBff({ actions: [existing] });
    const client = createActionsClient({
      baseUrl: 'https://dash.example.com/',
      fetch: bff.fetch,
      getHeaders: async () => ({ Authorization: 'Bearer host-session' }),
    });
    const {
      id: _i,
      chatbotId: _c,
      version,
      createdAt: _a,
      updatedAt: _u,
      credential: _r,
      lastRun: _l,
      ...definition
    } = existing;
    const updated = await client.updateAction(
      'bot_1',
      existing.id,
      { ...definition, description: 'New.' },
      version,
    );
    expect(updated.version).toBe(2);
    const call = bff.calls.at(-1);
    expect(call?.path).toBe('/api/v1/chatbots/bot_1/actions/a%2Fb');
    expect(call?.headers).toMatchObject({ 'if-match': '"1"', authorization: 'Bearer host-session' });
    await expect(client.updateAction('bot_1', existing.id, definition, 1)).rejects.toMatchObject({
      code: 'version_conflict',
      status: 412,
    });
  });

  test('sets and removes a credential with If-Match when given a version, and without it when not', async () => {
    const existing = storedAction({ identifier: 'lookup_order', auth: { type: 'bearer' } }, { version: 3 });
    const bff = createFakeBff({ actions: [existing] });
    const client = createActionsClient({ baseUrl: '', fetch: bff.fetch });

    await expect(client.setCredential('bot_1', existing.id, 'secret-1234', 2)).rejects.toMatchObject({
      code: 'version_conflict',
      status: 412,
    });
    expect(bff.calls.at(-1)?.headers['if-match']).toBe('"2"');
    expect(bff.actions()[0]?.credential).toBeNull();

    const stored = await client.setCredential('bot_1', existing.id, 'secret-1234', 3);
    expect(stored).toMatchObject({ version: 4, credential: { last4: '1234' } });
    expect(bff.calls.at(-1)).toMatchObject({ method: 'PUT', headers: { 'if-match': '"3"' } });

    await expect(client.removeCredential('bot_1', existing.id, 3)).rejects.toMatchObject({
      code: 'version_conflict',
    });
    const removed = await client.removeCredential('bot_1', existing.id, 4);
    expect(removed).toMatchObject({ version: 5, credential: null });
    expect(bff.calls.at(-1)).toMatchObject({ method: 'DELETE', headers: { 'if-match': '"4"' } });

    await client.setCredential('bot_1', existing.id, 'secret-5678');
    expect(bff.calls.at(-1)?.headers['if-match']).toBeUndefined();
  });

  test('tests a draft on …/actions/test and a saved action on …/:id/test, omitting empty identity', async () => {
    const existing = storedAction({ identifier: 'lookup_order' });
    const bff = createFakeBff({ actions: [existing] });
    const client = createActionsClient({ baseUrl: '', fetch: bff.fetch });
    await client.testAction('bot_1', undefined, { action: emptyAction(), values: { a: '1' }, identity: {} });
    await client.testAction('bot_1', existing.id, { values: { order_number: 'ORD-1' } });
    expect(bff.calls.map((c) => [c.path, c.body])).toEqual([
      ['/api/v1/chatbots/bot_1/actions/test', { values: { a: '1' }, action: emptyAction() }],
      [`/api/v1/chatbots/bot_1/actions/${existing.id}/test`, { values: { order_number: 'ORD-1' } }],
    ]);
  });
});
