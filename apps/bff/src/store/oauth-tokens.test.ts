import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testBackends } from './testing/backends';
import { actionDefinition, seedWorkspace } from './testing/store-suite';
import type { OAuthTokenRecord, Store } from './types';

/** The shared OAuth token cache (migration 0004), on SQLite and, with DATABASE_URL, PostgreSQL. */
for (const backend of testBackends()) {
  describe(`oauth_tokens on ${backend.name}`, () => {
    let database: TestDatabase;
    let store: Store;
    beforeAll(async () => {
      database = await backend.create();
      store = await database.open();
    });
    afterAll(async () => {
      await database.destroy();
    });

    async function actionWithToken() {
      const { workspaceId, chatbotId } = await seedWorkspace(store);
      const action = await store.createAction(workspaceId, chatbotId, actionDefinition('lookup_order'));
      const token: OAuthTokenRecord = {
        workspaceId,
        actionId: action.id,
        credentialVersion: 'v-one',
        tokenSealed: 'v1.key.sealed-one',
        // Past 2^31: PostgreSQL's bigint must come back as the same number.
        obtainedAt: 1_780_000_000_000,
        expiresAt: 1_780_000_360_000,
      };
      await store.putOAuthToken(token);
      return { workspaceId, chatbotId, action, token };
    }

    it('keeps one token per action, shared by another instance, the newest write winning', async () => {
      const { workspaceId, action, token } = await actionWithToken();
      const other = await database.open();
      expect(await other.getOAuthToken(workspaceId, action.id)).toEqual(token);
      const next = { ...token, credentialVersion: 'v-two', tokenSealed: 'v1.key.sealed-two' };
      await other.putOAuthToken(next);
      expect(await store.getOAuthToken(workspaceId, action.id)).toEqual(next);
    });

    it('is read only within its workspace, and never moved into another', async () => {
      const { workspaceId, action, token } = await actionWithToken();
      const elsewhere = await seedWorkspace(store);
      expect(await store.getOAuthToken(elsewhere.workspaceId, action.id)).toBeNull();
      await store.putOAuthToken({ ...token, workspaceId: elsewhere.workspaceId, tokenSealed: 'hijack' });
      expect(await store.getOAuthToken(workspaceId, action.id)).toEqual(token);
      expect(await store.getOAuthToken(elsewhere.workspaceId, action.id)).toBeNull();
    });

    it('forgets the token when the credential is replaced or removed, or the action deleted', async () => {
      const a = await actionWithToken();
      await store.setCredential(a.workspaceId, a.chatbotId, a.action.id, 'v1.key.new-secret', 'cret');
      expect(await store.getOAuthToken(a.workspaceId, a.action.id)).toBeNull();

      const b = await actionWithToken();
      await store.deleteAction(b.workspaceId, b.chatbotId, b.action.id);
      expect(await store.getOAuthToken(b.workspaceId, b.action.id)).toBeNull();
    });

    it('forgets it when an update drops the credential, and keeps it when one does not', async () => {
      const { workspaceId, chatbotId, action, token } = await actionWithToken();
      const kept = await store.updateAction(
        workspaceId,
        chatbotId,
        action.id,
        action.version,
        actionDefinition('lookup_order', { description: 'Reworded.' }),
        { dropCredential: false },
      );
      expect(await store.getOAuthToken(workspaceId, action.id)).toEqual(token);
      await store.updateAction(
        workspaceId,
        chatbotId,
        action.id,
        kept.version,
        actionDefinition('lookup_order'),
        {
          dropCredential: true,
        },
      );
      expect(await store.getOAuthToken(workspaceId, action.id)).toBeNull();
    });
  });
}
