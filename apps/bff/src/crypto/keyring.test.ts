import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testBackends } from '../store/testing/backends';
import { actionDefinition, seedWorkspace } from '../store/testing/store-suite';
import type { Store } from '../store/types';
import { fromBase64url, toBase64url } from './envelope';
import { type DataKeyring, loadKeyring } from './keyring';
import { rotateKeys } from './rotate';
import { credentialAad, identitySecretAad, KeyringError } from './types';

async function keyringError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KeyringError) return error.code;
    throw error;
  }
  throw new Error('expected a KeyringError, the call succeeded');
}

/** Flips one bit in the decoded bytes of part `index` of a sealed value. */
function flipPart(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const bytes = fromBase64url(parts[index]!)!;
  bytes[0] = bytes[0]! ^ 0x01;
  parts[index] = toBase64url(bytes);
  return parts.join('.');
}

for (const backend of testBackends()) {
  describe(`keyring on ${backend.name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let keyring: DataKeyring;
    const masterKey = randomBytes(32);

    beforeAll(async () => {
      database = await backend.create();
      store = await database.open();
      keyring = await loadKeyring(store, masterKey);
    });
    afterAll(async () => {
      await database.destroy();
    });

    it('creates its first data key in the store and round-trips secrets', async () => {
      expect((await store.listDataKeys()).map((k) => k.id)).toEqual([keyring.currentKeyId]);
      const aad = credentialAad('ws_1', 'act_1');
      const sealed = await keyring.seal('sk_live_ünïcode-🔑', aad);
      expect(sealed).toMatch(new RegExp(`^v1\\.${keyring.currentKeyId}\\.[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
      expect(await keyring.open(sealed, aad)).toBe('sk_live_ünïcode-🔑');
      expect(await keyring.seal('sk_live_ünïcode-🔑', aad)).not.toBe(sealed);
      expect(await keyring.open(await keyring.seal('', aad), aad)).toBe('');
      expect(keyring.isStale(sealed)).toBe(false);
    });

    it('detects tampering with every part of a sealed value', async () => {
      const aad = credentialAad('ws_1', 'act_1');
      const sealed = await keyring.seal('token-123456', aad);
      const [, keyId, iv, ciphertext, tag] = sealed.split('.');
      const tampered = [
        `v2.${keyId}.${iv}.${ciphertext}.${tag}`,
        `v1.kunknown.${iv}.${ciphertext}.${tag}`,
        flipPart(sealed, 2),
        flipPart(sealed, 3),
        flipPart(sealed, 4),
        `v1.${keyId}.${iv}.${ciphertext}.${tag!.slice(0, 16)}`,
        `v1.${keyId}.${iv}.${ciphertext}`,
        `${sealed}.extra`,
        `v1.${keyId}.${iv}.${ciphertext}!.${tag}`,
        'not sealed at all',
      ];
      for (const value of tampered)
        expect(await keyringError(keyring.open(value, aad))).toBe('decrypt_failed');
      expect(await keyring.open(sealed, aad)).toBe('token-123456');
    });

    it('does not open a sealed value copied to another row or purpose', async () => {
      const sealed = await keyring.seal('secret-for-a', credentialAad('ws_a', 'act_1'));
      for (const aad of [
        credentialAad('ws_a', 'act_2'),
        credentialAad('ws_b', 'act_1'),
        identitySecretAad('ws_a', 'act_1'),
      ]) {
        expect(await keyringError(keyring.open(sealed, aad))).toBe('decrypt_failed');
      }

      // The same through the store: B's row holding A's ciphertext does not open as B's.
      const { workspaceId, chatbotId } = await seedWorkspace(store);
      const first = await store.createAction(workspaceId, chatbotId, actionDefinition('first'));
      const second = await store.createAction(workspaceId, chatbotId, actionDefinition('second'));
      const firstSealed = await keyring.seal('first-secret', credentialAad(workspaceId, first.id));
      await store.setCredential(workspaceId, chatbotId, first.id, firstSealed, 'cret');
      await store.setCredential(workspaceId, chatbotId, second.id, firstSealed, 'cret');
      const swapped = await store.getAction(workspaceId, chatbotId, second.id);
      expect(
        await keyringError(keyring.open(swapped!.credentialSealed!, credentialAad(workspaceId, second.id))),
      ).toBe('decrypt_failed');
    });

    it('refuses a master key that does not open the stored data keys, or of the wrong size', async () => {
      expect(await keyringError(loadKeyring(store, randomBytes(32)))).toBe('invalid_key');
      expect(await keyringError(loadKeyring(store, randomBytes(16)))).toBe('invalid_key');
    });

    it('keeps no plaintext secret in any stored row', async () => {
      const { workspaceId, chatbotId } = await seedWorkspace(store);
      const action = await store.createAction(workspaceId, chatbotId, actionDefinition('secretive'));
      const secret = `sk_live_${randomUUID()}`;
      const identitySecret = `idsecret_${randomUUID()}`;
      await store.setCredential(
        workspaceId,
        chatbotId,
        action.id,
        await keyring.seal(secret, credentialAad(workspaceId, action.id)),
        secret.slice(-4),
      );
      await store.setChatbotIdentitySecret(
        workspaceId,
        chatbotId,
        await keyring.seal(identitySecret, identitySecretAad(workspaceId, chatbotId)),
        identitySecret.slice(-4),
      );
      const dump = await database.dump();
      expect(dump).toContain(action.id);
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(identitySecret);
      expect(dump).not.toContain(Buffer.from(secret).toString('base64'));
      expect(dump).not.toContain(masterKey.toString('base64'));
      expect(dump).not.toContain(masterKey.toString('hex'));
    });

    it('rotates: re-encrypts every sealed value under a new key, old values open until rotated', async () => {
      const own = await backend.create();
      try {
        const s = await own.open();
        const first = await loadKeyring(s, masterKey);
        const second = await loadKeyring(await own.open(), masterKey);
        const oldKeyId = first.currentKeyId;
        expect(second.currentKeyId).toBe(oldKeyId);

        const { workspaceId, chatbotId } = await seedWorkspace(s);
        const secrets = new Map<string, string>();
        for (const name of ['one', 'two', 'three']) {
          const action = await s.createAction(workspaceId, chatbotId, actionDefinition(name));
          const secret = `secret-${name}-${randomUUID()}`;
          secrets.set(action.id, secret);
          await s.setCredential(
            workspaceId,
            chatbotId,
            action.id,
            await first.seal(secret, credentialAad(workspaceId, action.id)),
            secret.slice(-4),
          );
        }
        await s.setChatbotIdentitySecret(
          workspaceId,
          chatbotId,
          await first.seal('identity-secret', identitySecretAad(workspaceId, chatbotId)),
          'cret',
        );
        // A row whose ciphertext was copied from another: rotation cannot open it and leaves it.
        const [firstId, secondId] = [...secrets.keys()];
        const copied = (await s.getAction(workspaceId, chatbotId, firstId!))!.credentialSealed!;
        const swappedAction = await s.createAction(workspaceId, chatbotId, actionDefinition('swapped'));
        await s.setCredential(workspaceId, chatbotId, swappedAction.id, copied, 'xxxx');
        const oldSealed = (await s.getAction(workspaceId, chatbotId, secondId!))!.credentialSealed!;

        const counts = await rotateKeys(s, first);
        expect(counts).toEqual({ keyId: first.currentKeyId, total: 5, rotated: 4, conflicts: 0, failed: 1 });
        expect(counts.keyId).not.toBe(oldKeyId);
        expect((await s.listDataKeys()).map((k) => k.id)).toEqual([oldKeyId, counts.keyId]);

        for (const [actionId, secret] of secrets) {
          const sealed = (await s.getAction(workspaceId, chatbotId, actionId))!.credentialSealed!;
          expect(sealed.split('.')[1]).toBe(counts.keyId);
          expect(first.isStale(sealed)).toBe(false);
          expect(await first.open(sealed, credentialAad(workspaceId, actionId))).toBe(secret);
          // The second instance has never seen the new key: it reloads on meeting it.
          expect(await second.open(sealed, credentialAad(workspaceId, actionId))).toBe(secret);
        }
        expect(second.currentKeyId).toBe(counts.keyId);
        const bot = (await s.getChatbot(workspaceId, chatbotId))!;
        expect(await second.open(bot.identitySecretSealed!, identitySecretAad(workspaceId, chatbotId))).toBe(
          'identity-secret',
        );
        expect((await s.getAction(workspaceId, chatbotId, swappedAction.id))!.credentialSealed).toBe(copied);

        // The old ciphertext still opens: old keys stay until nothing uses them.
        expect(first.isStale(oldSealed)).toBe(true);
        expect(await first.open(oldSealed, credentialAad(workspaceId, secondId!))).toBe(
          secrets.get(secondId!),
        );

        // A value sealed by an instance still on the old key is picked up by the next rotation.
        const lagging = await loadKeyring(await own.open(), masterKey, {
          maxAgeMs: Number.POSITIVE_INFINITY,
        });
        await s.setCredential(
          workspaceId,
          chatbotId,
          firstId!,
          await lagging.seal('late-write', credentialAad(workspaceId, firstId!)),
          'rite',
        );
        const again = await rotateKeys(s, first);
        expect(again).toMatchObject({ rotated: 4, failed: 1 });
        const late = (await s.getAction(workspaceId, chatbotId, firstId!))!.credentialSealed!;
        expect(late.split('.')[1]).toBe(again.keyId);
        expect(await lagging.open(late, credentialAad(workspaceId, firstId!))).toBe('late-write');
      } finally {
        await own.destroy();
      }
    });

    it('lets instances starting together on an empty store open each other’s values', async () => {
      const own = await backend.create();
      try {
        const stores = [await own.open(), await own.open()];
        const [a, b] = await Promise.all(stores.map((s) => loadKeyring(s, masterKey)));
        if (!a || !b) throw new Error('two keyrings expected');
        const aad = credentialAad('ws', 'act');
        expect(await b.open(await a.seal('from-a', aad), aad)).toBe('from-a');
        expect(await a.open(await b.seal('from-b', aad), aad)).toBe('from-b');
      } finally {
        await own.destroy();
      }
    });
  });
}

describe('keyring refresh', () => {
  it('seals with the key it has when the periodic refresh cannot reach the store', async () => {
    const backend = testBackends()[0]!;
    const database = await backend.create();
    try {
      const store = await database.open();
      const keyring = await loadKeyring(store, randomBytes(32), { maxAgeMs: 0 });
      const keyId = keyring.currentKeyId;
      await store.close();
      const aad = credentialAad('ws', 'act');
      const sealed = await keyring.seal('still-works', aad);
      expect(sealed.split('.')[1]).toBe(keyId);
      expect(await keyring.open(sealed, aad)).toBe('still-works');
    } finally {
      await database.destroy();
    }
  });
});
