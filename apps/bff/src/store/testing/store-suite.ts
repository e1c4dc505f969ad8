import { randomUUID } from 'node:crypto';
import type { ActionDefinition } from '@aihio/actions-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CROSS_PROCESS_CHECK_MS } from '../sqlite';
import { type Store, StoreError } from '../types';
import type { TestBackend, TestDatabase } from './backends';

export function actionDefinition(
  identifier: string,
  overrides: Partial<ActionDefinition> = {},
): ActionDefinition {
  return {
    identifier,
    description: 'Look up an order by its number.',
    method: 'POST',
    url: 'https://api.example.com/orders/{{order_id}}?lang=en',
    headers: [{ name: 'X-Trace', value: 'agent' }],
    body: '{"note":"{{note}}"}',
    parameters: [
      { name: 'order_id', label: 'Order number', type: 'text', hint: 'Like A-123', required: true },
      { name: 'note', label: 'Note', type: 'text', required: true },
    ],
    auth: { type: 'api_key', headerName: 'X-Api-Key' },
    requireVerifiedIdentity: false,
    enabled: true,
    ...overrides,
  };
}

/** A workspace with one chatbot, under fresh ids so tests sharing a database never meet. */
export async function seedWorkspace(store: Store, plan: 'free' | 'starter' = 'starter') {
  const workspaceId = `ws_${randomUUID()}`;
  await store.upsertWorkspace({ id: workspaceId, name: 'Acme', plan });
  const chatbot = await store.createChatbot(workspaceId, 'Support bot');
  return { workspaceId, chatbotId: chatbot.id };
}

async function storeError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StoreError) return error.code;
    throw error;
  }
  throw new Error('expected a StoreError, the call succeeded');
}

/** The Store contract, run against every backend the same way. */
export function storeSuite(backend: TestBackend): void {
  describe(`store on ${backend.name}`, () => {
    let database: TestDatabase;
    let store: Store;

    beforeAll(async () => {
      database = await backend.create();
      store = await database.open();
    });
    afterAll(async () => {
      await database.destroy();
    });

    it('reports its dialect and answers ping', async () => {
      expect(store.dialect).toBe(backend.name);
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('upserts and reads workspaces', async () => {
      const id = `ws_${randomUUID()}`;
      expect(await store.getWorkspace(id)).toBeNull();
      await store.upsertWorkspace({ id, name: 'Acme', plan: 'free' });
      expect(await store.getWorkspace(id)).toEqual({ id, name: 'Acme', plan: 'free' });
      await store.upsertWorkspace({ id, name: 'Acme Inc', plan: 'pro' });
      expect(await store.getWorkspace(id)).toEqual({ id, name: 'Acme Inc', plan: 'pro' });
    });

    it('creates, lists and reads chatbots, and sets their identity secret', async () => {
      const { workspaceId, chatbotId } = await seedWorkspace(store);
      const second = await store.createChatbot(workspaceId, 'Sales bot', `bot_fixed_id_${randomUUID()}`);
      expect(second.workspaceId).toBe(workspaceId);
      expect((await store.listChatbots(workspaceId)).map((c) => c.id)).toEqual([chatbotId, second.id]);
      expect(await store.getChatbot(workspaceId, second.id)).toEqual({
        id: second.id,
        workspaceId,
        name: 'Sales bot',
        identitySecretSealed: null,
        identitySecretLast4: null,
      });
      expect(await storeError(store.createChatbot(workspaceId, 'Again', second.id))).toBe('identifier_taken');
      expect(await storeError(store.createChatbot(`ws_${randomUUID()}`, 'Orphan'))).toBe('not_found');

      const set = await store.setChatbotIdentitySecret(workspaceId, chatbotId, 'v1.k.a.b.c', 'wxyz');
      expect(set.identitySecretSealed).toBe('v1.k.a.b.c');
      expect(set.identitySecretLast4).toBe('wxyz');
      const cleared = await store.setChatbotIdentitySecret(workspaceId, chatbotId, null, 'ignored');
      expect(cleared.identitySecretSealed).toBeNull();
      expect(cleared.identitySecretLast4).toBeNull();
      expect(await storeError(store.setChatbotIdentitySecret(workspaceId, 'nope', 's', 'x'))).toBe(
        'not_found',
      );
    });

    it('creates, reads, updates and deletes actions with versions', async () => {
      const { workspaceId, chatbotId } = await seedWorkspace(store);
      const definition = actionDefinition('lookup_order');
      const created = await store.createAction(workspaceId, chatbotId, definition);
      expect(created).toMatchObject({
        workspaceId,
        chatbotId,
        version: 1,
        credentialSealed: null,
        credentialLast4: null,
      });
      expect(created.definition).toEqual(definition);
      expect(created.createdAt).toBe(created.updatedAt);
      expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);

      expect(await store.getAction(workspaceId, chatbotId, created.id)).toEqual(created);
      expect(await store.getActionByIdentifier(workspaceId, chatbotId, 'lookup_order')).toEqual(created);
      expect(await store.getActionByIdentifier(workspaceId, chatbotId, 'other')).toBeNull();
      const minimal = await store.createAction(
        workspaceId,
        chatbotId,
        actionDefinition('ping', {
          method: 'GET',
          body: null,
          headers: [],
          parameters: [],
          auth: { type: 'none' },
        }),
      );
      expect((await store.listActions(workspaceId, chatbotId)).map((a) => a.id)).toEqual([
        created.id,
        minimal.id,
      ]);

      const changed = actionDefinition('lookup_order_v2', { description: 'Changed', enabled: false });
      const updated = await store.updateAction(workspaceId, chatbotId, created.id, 1, changed, {
        dropCredential: false,
      });
      expect(updated.version).toBe(2);
      expect(updated.definition).toEqual(changed);
      expect(updated.createdAt).toBe(created.createdAt);

      // A stale write changes nothing.
      const stale = store.updateAction(workspaceId, chatbotId, created.id, 1, definition, {
        dropCredential: true,
      });
      expect(await storeError(stale)).toBe('version_conflict');
      expect(await store.getAction(workspaceId, chatbotId, created.id)).toEqual(updated);
      expect(
        await storeError(
          store.updateAction(workspaceId, chatbotId, randomUUID(), 1, definition, { dropCredential: false }),
        ),
      ).toBe('not_found');

      const enabled = await store.setEnabled(workspaceId, chatbotId, created.id, true);
      expect(enabled.version).toBe(3);
      expect(enabled.definition.enabled).toBe(true);
      expect(await storeError(store.setEnabled(workspaceId, chatbotId, created.id, false, 2))).toBe(
        'version_conflict',
      );
      const disabled = await store.setEnabled(workspaceId, chatbotId, created.id, false, 3);
      expect(disabled.definition).toEqual({ ...changed, enabled: false });
      expect(await storeError(store.setEnabled(workspaceId, chatbotId, randomUUID(), false))).toBe(
        'not_found',
      );

      expect(await storeError(store.deleteAction(workspaceId, chatbotId, created.id, 1))).toBe(
        'version_conflict',
      );
      expect(await store.getAction(workspaceId, chatbotId, created.id)).not.toBeNull();
      expect(await store.deleteAction(workspaceId, chatbotId, created.id, 4)).toBe(true);
      expect(await store.getAction(workspaceId, chatbotId, created.id)).toBeNull();
      expect(await store.deleteAction(workspaceId, chatbotId, created.id, 4)).toBe(false);
      expect(await store.deleteAction(workspaceId, chatbotId, minimal.id)).toBe(true);
      expect(await store.deleteAction(workspaceId, chatbotId, minimal.id)).toBe(false);
    });

    it('sets, keeps and drops credentials', async () => {
      const { workspaceId, chatbotId } = await seedWorkspace(store);
      const action = await store.createAction(workspaceId, chatbotId, actionDefinition('with_key'));
      const withKey = await store.setCredential(workspaceId, chatbotId, action.id, 'v1.k.sealed.x.y', '1234');
      expect(withKey).toMatchObject({
        version: 2,
        credentialSealed: 'v1.k.sealed.x.y',
        credentialLast4: '1234',
      });

      const kept = await store.updateAction(
        workspaceId,
        chatbotId,
        action.id,
        2,
        actionDefinition('with_key'),
        {
          dropCredential: false,
        },
      );
      expect(kept).toMatchObject({
        version: 3,
        credentialSealed: 'v1.k.sealed.x.y',
        credentialLast4: '1234',
      });
      const dropped = await store.updateAction(
        workspaceId,
        chatbotId,
        action.id,
        3,
        actionDefinition('with_key', { auth: { type: 'bearer' } }),
        { dropCredential: true },
      );
      expect(dropped).toMatchObject({ version: 4, credentialSealed: null, credentialLast4: null });

      await store.setCredential(workspaceId, chatbotId, action.id, 'v1.k.again.x.y', '5678');
      const removed = await store.setCredential(workspaceId, chatbotId, action.id, null, '5678');
      expect(removed).toMatchObject({ version: 6, credentialSealed: null, credentialLast4: null });
      expect(await storeError(store.setCredential(workspaceId, chatbotId, randomUUID(), 's', '1'))).toBe(
        'not_found',
      );
    });

    it('sets and removes a credential only at the expected version (compare-and-set)', async () => {
      const { workspaceId, chatbotId } = await seedWorkspace(store);
      const action = await store.createAction(workspaceId, chatbotId, actionDefinition('cas_key'));
      // Another editor moves the host (and so drops nothing yet: none was stored) to version 2.
      const moved = await store.updateAction(
        workspaceId,
        chatbotId,
        action.id,
        1,
        actionDefinition('cas_key', { url: 'https://other.example.com/orders/{{order_id}}?lang=en' }),
        { dropCredential: true },
      );
      // The first owner's credential, typed against version 1, is refused and nothing changes.
      expect(
        await storeError(store.setCredential(workspaceId, chatbotId, action.id, 'v1.k.stale.x.y', 'tale', 1)),
      ).toBe('version_conflict');
      expect(await store.getAction(workspaceId, chatbotId, action.id)).toEqual(moved);

      const stored = await store.setCredential(
        workspaceId,
        chatbotId,
        action.id,
        'v1.k.fresh.x.y',
        'resh',
        2,
      );
      expect(stored).toMatchObject({
        version: 3,
        credentialSealed: 'v1.k.fresh.x.y',
        credentialLast4: 'resh',
      });
      expect(await storeError(store.setCredential(workspaceId, chatbotId, action.id, null, null, 2))).toBe(
        'version_conflict',
      );
      expect((await store.getAction(workspaceId, chatbotId, action.id))?.credentialSealed).toBe(
        'v1.k.fresh.x.y',
      );
      const removed = await store.setCredential(workspaceId, chatbotId, action.id, null, null, 3);
      expect(removed).toMatchObject({ version: 4, credentialSealed: null, credentialLast4: null });

      // A missing action is not_found with or without a version.
      expect(await storeError(store.setCredential(workspaceId, chatbotId, randomUUID(), 's', '1', 1))).toBe(
        'not_found',
      );
    });

    it('lets exactly one of concurrent credential writes at one version win, across instances', async () => {
      const { workspaceId, chatbotId } = await seedWorkspace(store);
      // Closed with the others by database.destroy().
      const other = await database.open();
      const action = await store.createAction(workspaceId, chatbotId, actionDefinition('cas_race'));
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          i === 0
            ? store.updateAction(
                workspaceId,
                chatbotId,
                action.id,
                1,
                actionDefinition('cas_race', { url: 'https://moved.example.com/x' }),
                { dropCredential: true },
              )
            : (i % 2 === 0 ? store : other).setCredential(
                workspaceId,
                chatbotId,
                action.id,
                `v1.k.writer-${i}.x.y`,
                `w${i}`.padStart(4, '0'),
                1,
              ),
        ),
      );
      const winners = results.filter((r) => r.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      for (const result of results) {
        if (result.status === 'rejected') expect((result.reason as StoreError).code).toBe('version_conflict');
      }
      const final = await store.getAction(workspaceId, chatbotId, action.id);
      expect(final?.version).toBe(2);
      // Either the host moved with no credential, or a credential was stored at the old host.
      if (final?.credentialSealed === null) expect(final.definition.url).toBe('https://moved.example.com/x');
      else expect(final?.definition.url).toBe(actionDefinition('cas_race').url);
    });

    it('keeps identifiers unique per chatbot', async () => {
      const { workspaceId, chatbotId } = await seedWorkspace(store);
      const other = await store.createChatbot(workspaceId, 'Other bot');
      const first = await store.createAction(workspaceId, chatbotId, actionDefinition('book_time'));
      expect(
        await storeError(store.createAction(workspaceId, chatbotId, actionDefinition('book_time'))),
      ).toBe('identifier_taken');
      // Another chatbot may use the same identifier.
      await store.createAction(workspaceId, other.id, actionDefinition('book_time'));
      const second = await store.createAction(workspaceId, chatbotId, actionDefinition('cancel_time'));
      const rename = store.updateAction(workspaceId, chatbotId, second.id, 1, actionDefinition('book_time'), {
        dropCredential: false,
      });
      expect(await storeError(rename)).toBe('identifier_taken');
      expect((await store.getAction(workspaceId, chatbotId, second.id))?.version).toBe(1);
      expect((await store.getAction(workspaceId, chatbotId, first.id))?.definition.identifier).toBe(
        'book_time',
      );

      // Racing creates of one identifier: exactly one wins.
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () => store.createAction(workspaceId, chatbotId, actionDefinition('race'))),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const result of results) {
        if (result.status === 'rejected') expect((result.reason as StoreError).code).toBe('identifier_taken');
      }
    });

    it('lets exactly one of concurrent updates at one version win, across instances', async () => {
      const { workspaceId, chatbotId } = await seedWorkspace(store);
      const other = await database.open();
      const action = await store.createAction(workspaceId, chatbotId, actionDefinition('contended'));
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 === 0 ? store : other).updateAction(
            workspaceId,
            chatbotId,
            action.id,
            1,
            actionDefinition('contended', { description: `writer ${i}` }),
            { dropCredential: false },
          ),
        ),
      );
      const winners = results.filter((r) => r.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      for (const result of results) {
        if (result.status === 'rejected') expect((result.reason as StoreError).code).toBe('version_conflict');
      }
      const stored = await store.getAction(workspaceId, chatbotId, action.id);
      expect(stored?.version).toBe(2);
      expect(stored?.definition).toEqual(
        (winners[0] as PromiseFulfilledResult<{ definition: unknown }>).value.definition,
      );

      const deletes = await Promise.allSettled([
        store.deleteAction(workspaceId, chatbotId, action.id, 2),
        other.setEnabled(workspaceId, chatbotId, action.id, false, 2),
      ]);
      expect(deletes.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });

    it('never lets one workspace reach another workspace’s rows, by any method', async () => {
      const a = await seedWorkspace(store);
      const b = await seedWorkspace(store);
      const action = await store.createAction(a.workspaceId, a.chatbotId, actionDefinition('private_lookup'));
      await store.setCredential(a.workspaceId, a.chatbotId, action.id, 'v1.k.a-secret.x.y', 'abcd');
      await store.setChatbotIdentitySecret(a.workspaceId, a.chatbotId, 'v1.k.a-identity.x.y', 'wxyz');
      await store.recordRun({
        workspaceId: a.workspaceId,
        chatbotId: a.chatbotId,
        actionId: action.id,
        source: 'agent',
        outcome: 'ok',
        httpStatus: 200,
        durationMs: 10,
        responseBytes: 5,
        truncated: false,
      });
      const key = await store.createServiceKey(a.workspaceId, `hash_${randomUUID()}`, 'k123');
      const chatbotBefore = await store.getChatbot(a.workspaceId, a.chatbotId);
      const actionBefore = await store.getAction(a.workspaceId, a.chatbotId, action.id);
      const B = b.workspaceId;

      expect(await store.getChatbot(B, a.chatbotId)).toBeNull();
      expect((await store.listChatbots(B)).map((c) => c.id)).toEqual([b.chatbotId]);
      expect(await storeError(store.setChatbotIdentitySecret(B, a.chatbotId, 'v1.k.evil.x.y', 'evil'))).toBe(
        'not_found',
      );
      expect(await store.listActions(B, a.chatbotId)).toEqual([]);
      expect(await store.getAction(B, a.chatbotId, action.id)).toBeNull();
      expect(await store.getAction(B, b.chatbotId, action.id)).toBeNull();
      expect(await store.getActionByIdentifier(B, a.chatbotId, 'private_lookup')).toBeNull();
      expect(await storeError(store.createAction(B, a.chatbotId, actionDefinition('planted')))).toBe(
        'not_found',
      );
      expect(
        await storeError(
          store.updateAction(B, a.chatbotId, action.id, actionBefore!.version, actionDefinition('stolen'), {
            dropCredential: true,
          }),
        ),
      ).toBe('not_found');
      expect(
        await storeError(
          store.updateAction(B, b.chatbotId, action.id, 1, actionDefinition('x'), { dropCredential: false }),
        ),
      ).toBe('not_found');
      expect(await storeError(store.setEnabled(B, a.chatbotId, action.id, false))).toBe('not_found');
      expect(await storeError(store.setCredential(B, a.chatbotId, action.id, 'v1.k.evil.x.y', 'evil'))).toBe(
        'not_found',
      );
      expect(await store.deleteAction(B, a.chatbotId, action.id)).toBe(false);
      expect(await store.deleteAction(B, a.chatbotId, action.id, actionBefore!.version)).toBe(false);
      await store.recordRun({
        workspaceId: B,
        chatbotId: a.chatbotId,
        actionId: action.id,
        source: 'agent',
        outcome: 'planted',
        httpStatus: 500,
        durationMs: 1,
        responseBytes: null,
        truncated: false,
      });
      expect(await store.listRuns(B, a.chatbotId, action.id, 10)).toEqual([]);
      expect((await store.lastRuns(B, a.chatbotId)).size).toBe(0);
      expect(await store.listServiceKeys(B)).toEqual([]);
      expect(await store.deleteServiceKey(B, key.id)).toBe(false);
      // B's key resolves B's workspace, never A's chatbot or action, by id or by identifier.
      const keyB = await store.createServiceKey(B, `hash_${randomUUID()}`, 'b123');
      const scopeB = await store.resolveAgentScope(keyB.keyHash, a.chatbotId, 'private_lookup');
      expect(scopeB).toMatchObject({ workspace: { id: B }, chatbot: null, action: null });
      const ownChatbotB = await store.resolveAgentScope(keyB.keyHash, b.chatbotId, 'private_lookup');
      expect(ownChatbotB).toMatchObject({ chatbot: { id: b.chatbotId }, action: null });
      expect(
        await store.replaceSealed(
          { table: 'actions', id: action.id, workspaceId: B, sealed: 'v1.k.a-secret.x.y' },
          'v1.k.a-secret.x.y',
          'v1.k.evil.x.y',
        ),
      ).toBe(false);
      expect(
        await store.replaceSealed(
          { table: 'chatbots', id: a.chatbotId, workspaceId: B, sealed: 'v1.k.a-identity.x.y' },
          'v1.k.a-identity.x.y',
          'v1.k.evil.x.y',
        ),
      ).toBe(false);

      // A's data is exactly as it was.
      expect(await store.getChatbot(a.workspaceId, a.chatbotId)).toEqual(chatbotBefore);
      expect(await store.getAction(a.workspaceId, a.chatbotId, action.id)).toEqual(actionBefore);
      const runs = await store.listRuns(a.workspaceId, a.chatbotId, action.id, 10);
      expect(runs.map((r) => r.outcome)).toEqual(['ok']);
      expect((await store.listServiceKeys(a.workspaceId)).map((k) => k.id)).toEqual([key.id]);
    });

    it('lists runs newest first and the last run of each action', async () => {
      const { workspaceId, chatbotId } = await seedWorkspace(store);
      const first = await store.createAction(workspaceId, chatbotId, actionDefinition('first'));
      const second = await store.createAction(workspaceId, chatbotId, actionDefinition('second'));
      const idle = await store.createAction(workspaceId, chatbotId, actionDefinition('idle'));
      const outcomes = ['ok', 'timeout', 'ok', 'blocked_destination', 'ok'];
      for (const [i, outcome] of outcomes.entries()) {
        await store.recordRun({
          workspaceId,
          chatbotId,
          actionId: first.id,
          source: i % 2 === 0 ? 'test' : 'agent',
          outcome,
          httpStatus: outcome === 'ok' ? 200 + i : null,
          durationMs: 10.6 + i,
          responseBytes: outcome === 'ok' ? 100 * i : null,
          // Only the newest ok run was cut at the egress cap.
          truncated: i === 4,
        });
      }
      await store.recordRun({
        workspaceId,
        chatbotId,
        actionId: second.id,
        source: 'agent',
        outcome: 'connect_failed',
        httpStatus: null,
        durationMs: 3,
        responseBytes: null,
        truncated: false,
      });

      const runs = await store.listRuns(workspaceId, chatbotId, first.id, 10);
      expect(runs.map((r) => r.outcome)).toEqual([...outcomes].reverse());
      expect(runs[0]).toMatchObject({
        workspaceId,
        chatbotId,
        actionId: first.id,
        source: 'test',
        outcome: 'ok',
        httpStatus: 204,
        durationMs: 15,
        responseBytes: 400,
        truncated: true,
      });
      expect(runs[1]).toMatchObject({ httpStatus: null, responseBytes: null, truncated: false });
      expect(runs.map((r) => r.truncated)).toEqual([true, false, false, false, false]);
      for (let i = 1; i < runs.length; i += 1) expect(runs[i - 1]!.at >= runs[i]!.at).toBe(true);
      expect((await store.listRuns(workspaceId, chatbotId, first.id, 2)).map((r) => r.id)).toEqual(
        runs.slice(0, 2).map((r) => r.id),
      );

      const last = await store.lastRuns(workspaceId, chatbotId);
      expect([...last.keys()].sort()).toEqual([first.id, second.id].sort());
      expect(last.get(first.id)).toEqual(runs[0]);
      expect(last.get(second.id)?.outcome).toBe('connect_failed');
      expect(last.has(idle.id)).toBe(false);

      // Deleting an action removes its history; a run finishing after the delete is not filed.
      await store.deleteAction(workspaceId, chatbotId, second.id);
      await store.recordRun({
        workspaceId,
        chatbotId,
        actionId: second.id,
        source: 'agent',
        outcome: 'ok',
        httpStatus: 200,
        durationMs: 1,
        responseBytes: 1,
        truncated: false,
      });
      expect(await store.listRuns(workspaceId, chatbotId, second.id, 10)).toEqual([]);
      expect([...(await store.lastRuns(workspaceId, chatbotId)).keys()]).toEqual([first.id]);
    });

    it('prunes runs to a bounded number per action', async () => {
      // Retention is global, so this test owns its database.
      const own = await backend.create();
      try {
        const s = await own.open();
        const { workspaceId, chatbotId } = await seedWorkspace(s);
        const actions = await Promise.all(
          ['a', 'b', 'c'].map((id) => s.createAction(workspaceId, chatbotId, actionDefinition(`act_${id}`))),
        );
        const counts = [7, 3, 1];
        for (const [i, action] of actions.entries()) {
          for (let n = 0; n < counts[i]!; n += 1) {
            await s.recordRun({
              workspaceId,
              chatbotId,
              actionId: action.id,
              source: 'agent',
              outcome: `run_${n}`,
              httpStatus: 200,
              durationMs: n,
              responseBytes: n,
              truncated: false,
            });
          }
        }
        expect(await s.pruneRuns(3)).toBe(4);
        const kept = await s.listRuns(workspaceId, chatbotId, actions[0]!.id, 100);
        expect(kept.map((r) => r.outcome)).toEqual(['run_6', 'run_5', 'run_4']);
        expect(await s.listRuns(workspaceId, chatbotId, actions[1]!.id, 100)).toHaveLength(3);
        expect(await s.listRuns(workspaceId, chatbotId, actions[2]!.id, 100)).toHaveLength(1);
        expect(await s.pruneRuns(3)).toBe(0);
        expect(await s.pruneRuns(0)).toBe(7);
      } finally {
        await own.destroy();
      }
    });

    it('gives runs opaque ids, not a sequence shared by every tenant', async () => {
      const { workspaceId, chatbotId } = await seedWorkspace(store);
      const action = await store.createAction(workspaceId, chatbotId, actionDefinition('opaque_ids'));
      for (let i = 0; i < 3; i += 1) {
        void store.recordRun({
          workspaceId,
          chatbotId,
          actionId: action.id,
          source: 'agent',
          outcome: 'ok',
          httpStatus: 200,
          durationMs: 1,
          responseBytes: 1,
          truncated: false,
        });
      }
      const runs = await store.listRuns(workspaceId, chatbotId, action.id, 10);
      expect(runs).toHaveLength(3);
      for (const run of runs)
        expect(run.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(new Set(runs.map((run) => run.id)).size).toBe(3);
    });

    it('pages chatbots, actions, runs and service keys with opaque cursors', async () => {
      const { workspaceId, chatbotId } = await seedWorkspace(store);
      for (let i = 0; i < 6; i += 1) await store.createChatbot(workspaceId, `Bot ${i}`);
      const all = (await store.listChatbots(workspaceId)).map((c) => c.id);
      expect(all).toHaveLength(7);
      const seen: string[] = [];
      let cursor: string | undefined;
      const sizes: number[] = [];
      do {
        const page = await store.pageChatbots(workspaceId, { limit: 3, cursor });
        sizes.push(page.items.length);
        seen.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(sizes).toEqual([3, 3, 1]);
      expect(seen).toEqual(all);

      // More actions than one read slice, several created in the same millisecond (tie on identifier).
      await Promise.all(
        Array.from({ length: 23 }, (_, i) =>
          store.createAction(workspaceId, chatbotId, actionDefinition(`paged_${String(i).padStart(2, '0')}`)),
        ),
      );
      const actions = (await store.listActions(workspaceId, chatbotId)).map((a) => a.id);
      const pagedActions: string[] = [];
      cursor = undefined;
      do {
        const page = await store.pageActions(workspaceId, chatbotId, { limit: 12, cursor });
        pagedActions.push(...page.items.map((a) => a.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(pagedActions).toEqual(actions);
      expect((await store.pageActions(workspaceId, chatbotId, { limit: 23 })).nextCursor).toBeNull();

      // Runs newest first; 5 of them in one millisecond, so the cursor must break ties by position.
      const action = await store.createAction(workspaceId, chatbotId, actionDefinition('paged_runs'));
      const run = { workspaceId, chatbotId, actionId: action.id };
      await database.insertRuns(run, 4);
      await database.insertRuns(run, 5, new Date(Date.now() + 60_000).toISOString());
      const runs = (await store.listRuns(workspaceId, chatbotId, action.id, 100)).map((r) => r.id);
      expect(runs).toHaveLength(9);
      const pagedRuns: string[] = [];
      cursor = undefined;
      do {
        const page = await store.pageRuns(workspaceId, chatbotId, action.id, { limit: 2, cursor });
        pagedRuns.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(pagedRuns).toEqual(runs);

      for (let i = 0; i < 3; i += 1)
        await store.createServiceKey(workspaceId, `hash_${randomUUID()}`, `k${i}00`);
      const first = await store.pageServiceKeys(workspaceId, { limit: 2 });
      expect(first.items).toHaveLength(2);
      const second = await store.pageServiceKeys(workspaceId, { limit: 2, cursor: first.nextCursor! });
      expect(second).toMatchObject({ nextCursor: null });
      expect([...first.items, ...second.items].map((k) => k.id)).toEqual(
        (await store.listServiceKeys(workspaceId)).map((k) => k.id),
      );

      // A cursor of another list, a made-up one, or a truncated one is refused, never a different page.
      const chatbotCursor = (await store.pageChatbots(workspaceId, { limit: 1 })).nextCursor!;
      for (const bad of [chatbotCursor, 'not-a-cursor', chatbotCursor.slice(0, 10), '%%%', 'W10']) {
        expect(await storeError(store.pageActions(workspaceId, chatbotId, { limit: 5, cursor: bad }))).toBe(
          'invalid_cursor',
        );
      }
      expect(
        await storeError(
          store.pageRuns(workspaceId, chatbotId, action.id, { limit: 5, cursor: chatbotCursor }),
        ),
      ).toBe('invalid_cursor');
      expect(await storeError(store.pageServiceKeys(workspaceId, { limit: 5, cursor: chatbotCursor }))).toBe(
        'invalid_cursor',
      );
      expect(await storeError(store.pageChatbots(workspaceId, { limit: 5, cursor: first.nextCursor! }))).toBe(
        'invalid_cursor',
      );
    });

    it('holds quotas under concurrent creates on two instances (actions, chatbots, service keys)', async () => {
      const other = await database.open();
      const { workspaceId, chatbotId } = await seedWorkspace(store);
      const settle = async (attempts: Promise<unknown>[]) => {
        const results = await Promise.allSettled(attempts);
        const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
        for (const error of refused) expect(error).toMatchObject({ code: 'quota_exceeded' });
        return {
          created: results.length - refused.length,
          message: (refused[0] as Error | undefined)?.message,
        };
      };

      const actions = await settle(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 === 0 ? store : other).createAction(workspaceId, chatbotId, actionDefinition(`quota_${i}`), {
            quota: 4,
          }),
        ),
      );
      expect(actions.created).toBe(4);
      expect(actions.message).toContain('at most 4 actions');
      expect(await store.listActions(workspaceId, chatbotId)).toHaveLength(4);
      // Another chatbot has its own count.
      const second = await store.createChatbot(workspaceId, 'Second bot');
      await expect(
        store.createAction(workspaceId, second.id, actionDefinition('quota_0'), { quota: 4 }),
      ).resolves.toMatchObject({ chatbotId: second.id });

      // Two chatbots exist already.
      const chatbots = await settle(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 === 0 ? store : other).createChatbot(workspaceId, `Bot ${i}`, undefined, { quota: 5 }),
        ),
      );
      expect(chatbots.created).toBe(3);
      expect(chatbots.message).toContain('at most 5 chatbots');
      expect(await store.listChatbots(workspaceId)).toHaveLength(5);

      const keys = await settle(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 === 0 ? store : other).createServiceKey(workspaceId, `hash_${randomUUID()}`, `k${i}00`, {
            quota: 2,
          }),
        ),
      );
      expect(keys.created).toBe(2);
      expect(keys.message).toContain('at most 2 service keys');
      expect(await store.listServiceKeys(workspaceId)).toHaveLength(2);

      // A missing parent is still not_found, not a quota.
      expect(
        await storeError(store.createAction(workspaceId, 'no-such-bot', actionDefinition('x'), { quota: 4 })),
      ).toBe('not_found');
    });

    it('takes invoke tokens from one bucket per workspace, atomically across instances', async () => {
      const workspaceId = `ws_${randomUUID()}`;
      const slow = { ratePerSecond: 0.001, burst: 5 };
      expect(await store.takeInvokeTokens(workspaceId, 3, slow)).toMatchObject({ granted: 3 });
      const rest = await store.takeInvokeTokens(workspaceId, 5, slow);
      expect(rest.granted).toBe(2);
      const none = await store.takeInvokeTokens(workspaceId, 1, slow);
      expect(none.granted).toBe(0);
      expect(none.tokensLeft).toBeLessThan(1);
      // Another workspace has its own bucket.
      expect((await store.takeInvokeTokens(`ws_${randomUUID()}`, 5, slow)).granted).toBe(5);

      const other = await database.open();
      const shared = `ws_${randomUUID()}`;
      const grants = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 === 0 ? store : other).takeInvokeTokens(shared, 1, { ratePerSecond: 0.001, burst: 20 }),
        ),
      );
      expect(grants.reduce((sum, g) => sum + g.granted, 0)).toBe(20);

      // It refills with time, up to the burst.
      const fast = { ratePerSecond: 1000, burst: 10 };
      const refilled = `ws_${randomUUID()}`;
      expect((await store.takeInvokeTokens(refilled, 10, fast)).granted).toBe(10);
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect((await store.takeInvokeTokens(refilled, 50, fast)).granted).toBe(10);
    });

    it('prunes in bounded batches, yielding between them, and drops the runs of deleted actions', async () => {
      const own = await backend.create();
      try {
        const s = await own.open();
        const { workspaceId, chatbotId } = await seedWorkspace(s);
        const kept = await s.createAction(workspaceId, chatbotId, actionDefinition('kept'));
        const gone = await s.createAction(workspaceId, chatbotId, actionDefinition('gone'));
        await s.deleteAction(workspaceId, chatbotId, gone.id);
        await own.insertRuns({ workspaceId, chatbotId, actionId: kept.id }, 1_200);
        // As a run logged by another instance just after the delete would be.
        await own.insertRuns({ workspaceId, chatbotId, actionId: gone.id }, 300);
        const newest = (await s.listRuns(workspaceId, chatbotId, kept.id, 10)).map((r) => r.id);

        // The event loop keeps turning while it prunes (on SQLite every statement is synchronous,
        // so one big DELETE froze the process for its whole length).
        let turns = 0;
        let ticking = true;
        const tick = () => {
          turns += 1;
          if (ticking) setImmediate(tick);
        };
        setImmediate(tick);
        const removed = await s.pruneRuns(10, { batchSize: 50 });
        ticking = false;
        expect(removed).toBe(1_190 + 300);
        // At least one turn per batch of 50.
        expect(turns).toBeGreaterThanOrEqual(30);
        expect((await s.listRuns(workspaceId, chatbotId, kept.id, 100)).map((r) => r.id)).toEqual(newest);
        expect(await s.listRuns(workspaceId, chatbotId, gone.id, 10)).toEqual([]);
        expect(await s.pruneRuns(10, { batchSize: 50 })).toBe(0);
      } finally {
        await own.destroy();
      }
    }, 30_000);

    it('counts rate-limit hits in fixed windows, atomically under concurrency and across instances', async () => {
      const key = { scope: 'test', workspaceId: `ws_${randomUUID()}`, subject: 'user' };
      const hits = [];
      for (let i = 0; i < 4; i += 1) hits.push(await store.hitRateLimit(key, 60_000, 3));
      expect(hits.map((h) => h.allowed)).toEqual([true, true, true, false]);
      expect(hits[0]!.retryAfterMs).toBe(0);
      expect(hits[3]!.retryAfterMs).toBeGreaterThan(0);
      expect(hits[3]!.retryAfterMs).toBeLessThanOrEqual(60_000);
      expect((await store.hitRateLimit({ ...key, subject: 'other' }, 60_000, 3)).allowed).toBe(true);

      const other = await database.open();
      const shared = { scope: 'test', workspaceId: `ws_${randomUUID()}`, subject: 'user' };
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? store : other).hitRateLimit(shared, 60_000, 7)),
      );
      expect(results.filter((r) => r.allowed)).toHaveLength(7);
    });

    it('starts a new window when the old one ends and prunes ended windows', async () => {
      const key = { scope: 'test', workspaceId: `ws_${randomUUID()}`, subject: 'user' };
      const windowMs = 1000;
      // Windows are aligned to the clock: start right after a boundary so that the two hits below
      // land in one window even on a loaded machine.
      await new Promise((resolve) => setTimeout(resolve, windowMs - (Date.now() % windowMs) + 5));
      expect((await store.hitRateLimit(key, windowMs, 1)).allowed).toBe(true);
      const blocked = await store.hitRateLimit(key, windowMs, 1);
      expect(blocked.allowed).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, blocked.retryAfterMs + 20));
      expect((await store.hitRateLimit(key, windowMs, 1)).allowed).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, windowMs + 50));
      expect(await store.pruneRateLimits()).toBeGreaterThanOrEqual(1);
      // Pruned: the key starts over.
      expect((await store.hitRateLimit(key, 60_000, 1)).allowed).toBe(true);
    });

    it('keeps rate-limit keys apart whatever their parts contain (workspace `acme:x` user `y` ≠ `acme` user `x:y`)', async () => {
      const prefix = `acme_${randomUUID()}`;
      const first = { scope: 'test', workspaceId: `${prefix}:x`, subject: 'y' };
      const second = { scope: 'test', workspaceId: prefix, subject: 'x:y' };
      expect((await store.hitRateLimit(first, 60_000, 1)).allowed).toBe(true);
      expect((await store.hitRateLimit(first, 60_000, 1)).allowed).toBe(false);
      // Joined with ':' both were `test:acme:x:y`: the second user found the first one's window spent.
      expect((await store.hitRateLimit(second, 60_000, 1)).allowed).toBe(true);
      expect(
        (await store.hitRateLimit({ scope: `test:${prefix}`, workspaceId: 'x', subject: 'y' }, 60_000, 1))
          .allowed,
      ).toBe(true);
    });

    it('redeems a confirmation once, only with every binding equal, across instances', async () => {
      const binding = {
        workspaceId: 'ws-c',
        chatbotId: 'bot-c',
        actionId: `act-${randomUUID()}`,
        actionVersion: 2,
        argumentsHash: 'a'.repeat(64),
        visitor: 'visitor-1',
      };
      const later = new Date(Date.now() + 60_000).toISOString();
      const token = randomUUID();
      await store.createConfirmation(token, binding, later);
      // Any field different: refused, and the confirmation stays usable.
      for (const change of [
        { workspaceId: 'ws-other' },
        { chatbotId: 'bot-other' },
        { actionId: 'act-other' },
        { actionVersion: 3 },
        { argumentsHash: 'b'.repeat(64) },
        { visitor: '' },
      ]) {
        expect(await store.redeemConfirmation(token, { ...binding, ...change }), JSON.stringify(change)).toBe(
          false,
        );
      }
      expect(await store.redeemConfirmation('unknown', binding)).toBe(false);
      // Two instances race to redeem: exactly one wins, and a replay is refused.
      const other = await database.open();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? store : other).redeemConfirmation(token, binding),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.redeemConfirmation(token, binding)).toBe(false);

      // An expired confirmation is refused and pruned.
      const expired = randomUUID();
      await store.createConfirmation(expired, binding, new Date(Date.now() - 1000).toISOString());
      expect(await other.redeemConfirmation(expired, binding)).toBe(false);
      expect(await store.pruneConfirmations()).toBeGreaterThanOrEqual(1);
    });

    it('keeps service keys by hash', async () => {
      const { workspaceId } = await seedWorkspace(store);
      const hash = `hash_${randomUUID()}`;
      const key = await store.createServiceKey(workspaceId, hash, 'wxyz');
      expect(key).toMatchObject({ workspaceId, keyHash: hash, last4: 'wxyz' });
      const second = await store.createServiceKey(workspaceId, `hash_${randomUUID()}`, 'abcd');
      // Oldest first, but two keys made in the same millisecond tie on created_at (then id order).
      expect((await store.listServiceKeys(workspaceId)).map((k) => k.id).sort()).toEqual(
        [key.id, second.id].sort(),
      );
      expect(await store.findServiceKeyByHash(hash)).toEqual(key);
      expect(await store.findServiceKeyByHash('unknown')).toBeNull();
      expect(await store.deleteServiceKey(workspaceId, key.id)).toBe(true);
      expect(await store.deleteServiceKey(workspaceId, key.id)).toBe(false);
      expect(await store.findServiceKeyByHash(hash)).toBeNull();
      expect(await storeError(store.createServiceKey(`ws_${randomUUID()}`, 'h', '1234'))).toBe('not_found');
    });

    it('resolves an agent call (key, workspace, chatbot, action) in one read', async () => {
      const { workspaceId, chatbotId } = await seedWorkspace(store);
      const key = await store.createServiceKey(workspaceId, `hash_${randomUUID()}`, 'wxyz');
      const created = await store.createAction(workspaceId, chatbotId, actionDefinition('scoped_lookup'));
      const action = await store.setCredential(workspaceId, chatbotId, created.id, 'v1.k.secret.x.y', 'cret');
      const chatbot = await store.getChatbot(workspaceId, chatbotId);

      expect(await store.resolveAgentScope(key.keyHash, chatbotId, 'scoped_lookup')).toEqual({
        serviceKey: key,
        workspace: await store.getWorkspace(workspaceId),
        chatbot,
        action,
      });
      expect(await store.resolveAgentScope(key.keyHash, chatbotId, 'no_such_action')).toMatchObject({
        serviceKey: key,
        chatbot,
        action: null,
      });
      expect(await store.resolveAgentScope(key.keyHash, 'no-such-chatbot', 'scoped_lookup')).toMatchObject({
        serviceKey: key,
        chatbot: null,
        action: null,
      });
      expect(await store.resolveAgentScope(`hash_${randomUUID()}`, chatbotId, 'scoped_lookup')).toBeNull();

      // An edit is seen at once.
      const updated = await store.updateAction(
        workspaceId,
        chatbotId,
        action.id,
        action.version,
        actionDefinition('scoped_lookup', { enabled: false }),
        { dropCredential: false },
      );
      const after = await store.resolveAgentScope(key.keyHash, chatbotId, 'scoped_lookup');
      expect(after?.action).toEqual(updated);
      await store.deleteServiceKey(workspaceId, key.id);
      expect(await store.resolveAgentScope(key.keyHash, chatbotId, 'scoped_lookup')).toBeNull();
    });

    it('an agent call sees every change to its scope at once, from this instance or another', async () => {
      // SQLite keeps this read cached against its change generation; PostgreSQL reads every
      // time. Either way no change may be missed: each write below is followed by a read that
      // must see it, after reads that would have filled a cache (SQLite learns of another
      // process's commits within CROSS_PROCESS_CHECK_MS).
      const other = await database.open();
      const { workspaceId, chatbotId } = await seedWorkspace(store);
      const key = await store.createServiceKey(workspaceId, `hash_${randomUUID()}`, 'wxyz');
      let action = await store.createAction(workspaceId, chatbotId, actionDefinition('watched'));
      const resolve = async (via: Store = store) => {
        // Twice: the second would be served from a cache, if there is one.
        await via.resolveAgentScope(key.keyHash, chatbotId, 'watched');
        return via.resolveAgentScope(key.keyHash, chatbotId, 'watched');
      };
      expect((await resolve())?.action).toEqual(action);

      // Through this instance.
      action = await store.updateAction(
        workspaceId,
        chatbotId,
        action.id,
        action.version,
        actionDefinition('watched', { description: 'Edited.' }),
        { dropCredential: false },
      );
      expect((await resolve())?.action?.definition.description).toBe('Edited.');
      action = await store.setCredential(workspaceId, chatbotId, action.id, 'v1.k.secret.x.y', 'cret');
      expect((await resolve())?.action?.credentialSealed).toBe('v1.k.secret.x.y');
      action = await store.setEnabled(workspaceId, chatbotId, action.id, false);
      expect((await resolve())?.action?.definition.enabled).toBe(false);
      await store.setChatbotIdentitySecret(workspaceId, chatbotId, 'v1.k.identity.x.y', 'tity');
      expect((await resolve())?.chatbot?.identitySecretSealed).toBe('v1.k.identity.x.y');
      await store.upsertWorkspace({ id: workspaceId, name: 'Acme', plan: 'free' });
      expect((await resolve())?.workspace.plan).toBe('free');

      // Through another instance on the same database (another server, the rotate-keys CLI):
      // at once on PostgreSQL, within CROSS_PROCESS_CHECK_MS on SQLite.
      const settle = () =>
        backend.name === 'sqlite'
          ? new Promise((resolve) => setTimeout(resolve, CROSS_PROCESS_CHECK_MS + 20))
          : Promise.resolve();
      expect((await resolve(other))?.action?.version).toBe(action.version);
      action = await other.setCredential(workspaceId, chatbotId, action.id, null, null);
      await settle();
      expect((await resolve())?.action?.credentialSealed).toBeNull();
      await other.upsertWorkspace({ id: workspaceId, name: 'Acme', plan: 'starter' });
      await settle();
      expect((await resolve())?.workspace.plan).toBe('starter');
      expect(await other.deleteAction(workspaceId, chatbotId, action.id)).toBe(true);
      await settle();
      expect((await resolve())?.action).toBeNull();
      action = await store.createAction(workspaceId, chatbotId, actionDefinition('watched'));
      await settle();
      expect((await resolve(other))?.action?.id).toBe(action.id);
      expect(await other.deleteServiceKey(workspaceId, key.id)).toBe(true);
      await settle();
      expect(await resolve()).toBeNull();

      // Runs written in between change nothing a call reads, and a cached answer cannot be
      // changed by its reader.
      const key2 = await store.createServiceKey(workspaceId, `hash_${randomUUID()}`, 'abcd');
      const first = await store.resolveAgentScope(key2.keyHash, chatbotId, 'watched');
      await store.recordRun({
        workspaceId,
        chatbotId,
        actionId: action.id,
        source: 'agent',
        outcome: 'ok',
        httpStatus: 200,
        durationMs: 1,
        responseBytes: 2,
        truncated: false,
      });
      const second = await store.resolveAgentScope(key2.keyHash, chatbotId, 'watched');
      expect(second).toEqual(first);
      if (backend.name === 'sqlite') {
        expect(() => {
          (second as { workspace: { plan: string } }).workspace.plan = 'enterprise';
        }).toThrow(TypeError);
      }
    });

    it('writes queued runs in batches: read back after a flush, on reads, and on close', async () => {
      const { workspaceId, chatbotId } = await seedWorkspace(store);
      const action = await store.createAction(workspaceId, chatbotId, actionDefinition('batched'));
      const run = (outcome: string, truncated = false) => ({
        workspaceId,
        chatbotId,
        actionId: action.id,
        source: 'agent' as const,
        outcome,
        httpStatus: null,
        durationMs: 1,
        responseBytes: null,
        truncated,
      });
      // More than one batch's worth, not awaited (as the invoke route does).
      const written = Array.from({ length: 150 }, (_, i) => store.recordRun(run(`r${i}`, i % 3 === 0)));
      await store.flushRuns();
      await expect(Promise.all(written)).resolves.toHaveLength(150);
      const listed = await store.listRuns(workspaceId, chatbotId, action.id, 200);
      expect(listed).toHaveLength(150);
      expect(new Set(listed.map((r) => r.outcome)).size).toBe(150);
      // Each row keeps its own flag through the batched, precompiled insert.
      for (const r of listed) expect(r.truncated, r.outcome).toBe(Number(r.outcome.slice(1)) % 3 === 0);

      // A read flushes first: this process always reads its own runs.
      void store.recordRun(run('latest'));
      expect((await store.lastRuns(workspaceId, chatbotId)).get(action.id)?.outcome).toBe('latest');

      // Closing writes what is still queued.
      const other = await database.open();
      void other.recordRun(run('at-close'));
      await other.close();
      expect((await store.listRuns(workspaceId, chatbotId, action.id, 1))[0]?.outcome).toBe('at-close');
    });

    it('lists sealed values and replaces them only when unchanged', async () => {
      const { workspaceId, chatbotId } = await seedWorkspace(store);
      const action = await store.createAction(workspaceId, chatbotId, actionDefinition('sealed_one'));
      await store.createAction(workspaceId, chatbotId, actionDefinition('no_secret'));
      const withCredential = await store.setCredential(
        workspaceId,
        chatbotId,
        action.id,
        'v1.old.a.b.c',
        '1111',
      );
      await store.setChatbotIdentitySecret(workspaceId, chatbotId, 'v1.old.d.e.f', '2222');

      const mine = (await store.listSealed()).filter((ref) => ref.workspaceId === workspaceId);
      expect(mine).toEqual(
        expect.arrayContaining([
          { table: 'actions', id: action.id, workspaceId, sealed: 'v1.old.a.b.c' },
          { table: 'chatbots', id: chatbotId, workspaceId, sealed: 'v1.old.d.e.f' },
        ]),
      );
      expect(mine).toHaveLength(2);

      const ref = mine.find((r) => r.table === 'actions')!;
      expect(await store.replaceSealed(ref, 'v1.other.x.y.z', 'v1.new.a.b.c')).toBe(false);
      expect(await store.replaceSealed(ref, 'v1.old.a.b.c', 'v1.new.a.b.c')).toBe(true);
      const after = await store.getAction(workspaceId, chatbotId, action.id);
      expect(after).toMatchObject({ credentialSealed: 'v1.new.a.b.c', credentialLast4: '1111' });
      // Rotation is invisible to editors: the version does not move.
      expect(after?.version).toBe(withCredential.version);
      const botRef = mine.find((r) => r.table === 'chatbots')!;
      expect(await store.replaceSealed(botRef, 'v1.old.d.e.f', 'v1.new.d.e.f')).toBe(true);
      expect((await store.getChatbot(workspaceId, chatbotId))?.identitySecretSealed).toBe('v1.new.d.e.f');
    });

    it('keeps data keys in creation order', async () => {
      const own = await backend.create();
      try {
        const s = await own.open();
        expect(await s.listDataKeys()).toEqual([]);
        await s.insertDataKey({ id: 'k2', wrapped: 'w2', createdAt: '2026-01-02T00:00:00.000Z' });
        await s.insertDataKey({ id: 'k1', wrapped: 'w1', createdAt: '2026-01-01T00:00:00.000Z' });
        expect((await (await own.open()).listDataKeys()).map((k) => k.id)).toEqual(['k1', 'k2']);
      } finally {
        await own.destroy();
      }
    });

    it('keeps its data across reopening, and migrating again is a no-op', async () => {
      const { workspaceId, chatbotId } = await seedWorkspace(store);
      const action = await store.createAction(workspaceId, chatbotId, actionDefinition('durable'));
      const reopened = await database.open();
      expect(await reopened.getAction(workspaceId, chatbotId, action.id)).toEqual(action);
    });

    it('answers unavailable once closed', async () => {
      const closing = await database.open();
      await closing.close();
      expect(await storeError(closing.ping())).toBe('unavailable');
      expect(await storeError(closing.getWorkspace('any'))).toBe('unavailable');
    });
  });
}
