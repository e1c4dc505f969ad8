import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestDatabase, testBackends } from '../store/testing/backends';
import { actionDefinition, seedWorkspace } from '../store/testing/store-suite';
import type { Store } from '../store/types';
import { encrypt, formatEnvelope } from './envelope';
import { type DataKeyring, loadKeyring, wrappedMasterKeyId } from './keyring';
import { masterKeyId } from './master-key';
import { rotateKeys } from './rotate';
import { rotateMasterKey } from './rotate-master';
import { keyringError } from './testing/keyring-error';
import { credentialAad, identitySecretAad } from './types';

/** Every text form in which a key could leak into a message, a log line or a row. */
function encodings(key: Buffer): string[] {
  return [key.toString('base64'), key.toString('base64url'), key.toString('hex'), key.toString('latin1')];
}

interface Secret {
  workspaceId: string;
  chatbotId: string;
  actionId: string;
  value: string;
}

/** Seals one credential per name (and the chatbot's identity secret) through `keyring`. */
async function sealSecrets(store: Store, keyring: DataKeyring, names: string[]) {
  const { workspaceId, chatbotId } = await seedWorkspace(store);
  const secrets: Secret[] = [];
  for (const name of names) {
    const action = await store.createAction(workspaceId, chatbotId, actionDefinition(name));
    const value = `sk_live_${name}_${randomUUID()}`;
    await store.setCredential(
      workspaceId,
      chatbotId,
      action.id,
      await keyring.seal(value, credentialAad(workspaceId, action.id)),
      value.slice(-4),
    );
    secrets.push({ workspaceId, chatbotId, actionId: action.id, value });
  }
  const identitySecret = `idsecret_${randomUUID()}`;
  await store.setChatbotIdentitySecret(
    workspaceId,
    chatbotId,
    await keyring.seal(identitySecret, identitySecretAad(workspaceId, chatbotId)),
    identitySecret.slice(-4),
  );
  return { workspaceId, chatbotId, secrets, identitySecret };
}

async function openAll(store: Store, keyring: DataKeyring, sealed: Awaited<ReturnType<typeof sealSecrets>>) {
  const { workspaceId, chatbotId } = sealed;
  const values: string[] = [];
  for (const secret of sealed.secrets) {
    const action = await store.getAction(workspaceId, chatbotId, secret.actionId);
    values.push(await keyring.open(action!.credentialSealed!, credentialAad(workspaceId, secret.actionId)));
  }
  const bot = await store.getChatbot(workspaceId, chatbotId);
  values.push(await keyring.open(bot!.identitySecretSealed!, identitySecretAad(workspaceId, chatbotId)));
  return values;
}

const expected = (sealed: Awaited<ReturnType<typeof sealSecrets>>) => [
  ...sealed.secrets.map((s) => s.value),
  sealed.identitySecret,
];

for (const backend of testBackends()) {
  describe(`master-key rotation on ${backend.name}`, () => {
    let database: TestDatabase;
    const keyA = randomBytes(32);
    const keyB = randomBytes(32);

    beforeEach(async () => {
      database = await backend.create();
    });
    afterEach(async () => {
      await database.destroy();
    });

    it('runs the operator procedure: A → B with previous A → rotate → B alone; A alone is refused', async () => {
      // Sealed under A, with two data keys (one data-key rotation happened before).
      const store = await database.open();
      const underA = await loadKeyring(store, keyA);
      const first = await sealSecrets(store, underA, ['one', 'two']);
      await rotateKeys(store, underA);
      const second = await sealSecrets(store, underA, ['three']);
      expect(underA.wrapCounts()).toEqual({ current: 2, previous: 0, other: 0 });
      for (const record of await store.listDataKeys())
        expect(wrappedMasterKeyId(record.wrapped)).toBe(masterKeyId(keyA));

      // B alone cannot start: the message names both keys by id, never by value.
      const refused = await keyringError(loadKeyring(await database.open(), keyB));
      expect(refused.code).toBe('invalid_key');
      expect(refused.message).toContain(`wrapped under master key ${masterKeyId(keyA)}`);
      expect(refused.message).toContain(`is ${masterKeyId(keyB)}`);
      expect(refused.message).toContain('AIHIO_MASTER_KEY_PREVIOUS');
      for (const text of [...encodings(keyA), ...encodings(keyB)])
        expect(refused.message).not.toContain(text);

      // Deployed with B and previous A: everything opens, and the keyring says rotation is due.
      const serverStore = await database.open();
      const server = await loadKeyring(serverStore, keyB, { previousMasterKey: keyA, maxAgeMs: 0 });
      expect(server.wrapCounts()).toEqual({ current: 0, previous: 2, other: 0 });
      expect(server.masterKeyId).toBe(masterKeyId(keyB));
      expect(server.previousMasterKeyId).toBe(masterKeyId(keyA));
      expect(await openAll(serverStore, server, first)).toEqual(expected(first));
      // An instance still on A alone, started before the deployment.
      const laggingStore = await database.open();
      const lagging = await loadKeyring(laggingStore, keyA, { maxAgeMs: 0 });

      const rotatorStore = await database.open();
      const rotator = await loadKeyring(rotatorStore, keyB, { previousMasterKey: keyA });
      const counts = await rotateMasterKey(rotatorStore, rotator);
      expect(counts).toEqual({
        masterKeyId: masterKeyId(keyB),
        total: 2,
        rewrapped: 2,
        alreadyCurrent: 0,
        conflicts: 0,
        failed: 0,
        remaining: 0,
      });
      for (const record of await store.listDataKeys())
        expect(wrappedMasterKeyId(record.wrapped)).toBe(masterKeyId(keyB));
      // Sealed values were not touched: only the wrapping of the data keys changed.
      expect(rotator.keyIds).toEqual(underA.keyIds);

      // Running instances keep working, including the one that has only A (it holds the keys).
      await server.reload();
      expect(server.wrapCounts()).toEqual({ current: 2, previous: 0, other: 0 });
      await lagging.reload();
      expect(lagging.wrapCounts()).toEqual({ current: 0, previous: 0, other: 2 });
      expect(await openAll(laggingStore, lagging, second)).toEqual(expected(second));
      const aad = credentialAad('ws_x', 'act_x');
      expect(await server.open(await lagging.seal('from-lagging', aad), aad)).toBe('from-lagging');
      expect(await lagging.open(await server.seal('from-server', aad), aad)).toBe('from-server');

      // Restarted with B alone: everything opens.
      const afterStore = await database.open();
      const after = await loadKeyring(afterStore, keyB);
      expect(after.wrapCounts()).toEqual({ current: 2, previous: 0, other: 0 });
      expect(await openAll(afterStore, after, first)).toEqual(expected(first));
      expect(await openAll(afterStore, after, second)).toEqual(expected(second));

      // A alone no longer starts, with or without B as its "previous".
      expect((await keyringError(loadKeyring(await database.open(), keyA))).code).toBe('invalid_key');
      // Running again changes nothing.
      expect(await rotateMasterKey(afterStore, after)).toMatchObject({
        total: 2,
        rewrapped: 0,
        alreadyCurrent: 2,
        remaining: 0,
      });

      // No key material in any row.
      const dump = await database.dump();
      for (const text of [...encodings(keyA), ...encodings(keyB)]) expect(dump).not.toContain(text);
      for (const value of [...expected(first), ...expected(second)]) expect(dump).not.toContain(value);
    });

    it('opens and upgrades data keys wrapped before master key ids existed', async () => {
      const store = await database.open();
      // The earlier format: `<iv>.<ciphertext>.<tag>` bound to `aihio:data-key:v1:<id>`.
      const dataKey = randomBytes(32);
      const wrapped = formatEnvelope(
        encrypt(keyA, dataKey, Buffer.from('aihio:data-key:v1:klegacy', 'utf8')),
      );
      await store.insertDataKey({ id: 'klegacy', wrapped, createdAt: '2026-01-01T00:00:00.000Z' });
      const old = await loadKeyring(store, keyA);
      expect(old.keyIds).toEqual(['klegacy']);
      expect(old.wrapCounts()).toEqual({ current: 1, previous: 0, other: 0 });
      const sealed = await sealSecrets(store, old, ['legacy']);

      // Rotated to B straight from the earlier format; the legacy row is tried under each key.
      const keyring = await loadKeyring(await database.open(), keyB, { previousMasterKey: keyA });
      expect(keyring.wrapCounts()).toEqual({ current: 0, previous: 1, other: 0 });
      expect(await rotateMasterKey(store, keyring)).toMatchObject({ total: 1, rewrapped: 1, remaining: 0 });
      const [record] = await store.listDataKeys();
      expect(wrappedMasterKeyId(record!.wrapped)).toBe(masterKeyId(keyB));
      expect(await openAll(store, await loadKeyring(await database.open(), keyB), sealed)).toEqual(
        expected(sealed),
      );

      // A legacy row under the current key just gets its master key id written.
      const own = await backend.create();
      try {
        const s = await own.open();
        const legacy = formatEnvelope(encrypt(keyA, dataKey, Buffer.from('aihio:data-key:v1:kold', 'utf8')));
        await s.insertDataKey({ id: 'kold', wrapped: legacy, createdAt: '2026-01-01T00:00:00.000Z' });
        const current = await loadKeyring(s, keyA);
        expect(await rotateMasterKey(s, current)).toMatchObject({ total: 1, rewrapped: 1, remaining: 0 });
        expect(wrappedMasterKeyId((await s.listDataKeys())[0]!.wrapped)).toBe(masterKeyId(keyA));
      } finally {
        await own.destroy();
      }
    });

    it('refuses a previous key equal to the current one, and reports keys it cannot open', async () => {
      const store = await database.open();
      expect(
        (await keyringError(loadKeyring(store, keyA, { previousMasterKey: Buffer.from(keyA) }))).message,
      ).toContain('must differ');
      expect(
        (await keyringError(loadKeyring(store, keyA, { previousMasterKey: randomBytes(16) }))).code,
      ).toBe('invalid_key');

      // A data key under a third master key, added after this instance started (an instance
      // deployed with yet another key): the running keyring leaves it out, rotation leaves it as is.
      const keyring = await loadKeyring(store, keyB, { previousMasterKey: keyA, maxAgeMs: 0 });
      const keyC = randomBytes(32);
      const elsewhere = await backend.create();
      let stranger: DataKeyring;
      try {
        const strangerStore = await elsewhere.open();
        stranger = await loadKeyring(strangerStore, keyC);
        const [record] = await strangerStore.listDataKeys();
        await store.insertDataKey({ ...record!, createdAt: new Date(Date.now() + 60_000).toISOString() });
      } finally {
        await elsewhere.destroy();
      }
      const strangerKeyId = stranger.currentKeyId;
      await keyring.reload();
      expect(keyring.keyIds).not.toContain(strangerKeyId);
      expect(keyring.wrapCounts()).toEqual({ current: 1, previous: 0, other: 1 });
      const aad = credentialAad('ws', 'act');
      expect(await keyring.open(await keyring.seal('still works', aad), aad)).toBe('still works');
      expect((await keyringError(keyring.open(await stranger.seal('x', aad), aad))).code).toBe(
        'decrypt_failed',
      );

      const counts = await rotateMasterKey(store, keyring);
      expect(counts).toMatchObject({ total: 2, rewrapped: 0, alreadyCurrent: 1, failed: 1, remaining: 1 });
      // And a new start refuses, naming the stranger's key.
      const refused = await keyringError(
        loadKeyring(await database.open(), keyB, { previousMasterKey: keyA }),
      );
      expect(refused.message).toContain(
        `data key ${strangerKeyId} (wrapped under master key ${masterKeyId(keyC)})`,
      );
    });

    it('is safe with concurrent rotations and a server sealing, opening and adding keys meanwhile', {
      timeout: 60_000,
    }, async () => {
      const store = await database.open();
      const underA = await loadKeyring(store, keyA);
      for (let i = 0; i < 4; i += 1) await underA.createKey();
      const sealed = await sealSecrets(store, underA, ['a', 'b', 'c', 'd']);
      const dataKeysUnderA = (await store.listDataKeys()).length;

      const serverStore = await database.open();
      const server = await loadKeyring(serverStore, keyB, { previousMasterKey: keyA, maxAgeMs: 0 });
      const [store1, store2] = [await database.open(), await database.open()];
      const [rotator1, rotator2] = [
        await loadKeyring(store1, keyB, { previousMasterKey: keyA }),
        await loadKeyring(store2, keyB, { previousMasterKey: keyA }),
      ];

      // The server keeps rewriting credentials (sealing with whatever key is current) and reading
      // them back, while two operators rotate the master key and one rotates the data key.
      const latest = new Map(sealed.secrets.map((s) => [s.actionId, s.value]));
      let stop = false;
      const serverLoop = async () => {
        let round = 0;
        while (!stop && round < 200) {
          round += 1;
          for (const secret of sealed.secrets) {
            const aad = credentialAad(sealed.workspaceId, secret.actionId);
            const value = `${secret.value}-${round}`;
            await serverStore.setCredential(
              sealed.workspaceId,
              sealed.chatbotId,
              secret.actionId,
              await server.seal(value, aad),
              value.slice(-4),
            );
            latest.set(secret.actionId, value);
            const row = await serverStore.getAction(sealed.workspaceId, sealed.chatbotId, secret.actionId);
            expect(await server.open(row!.credentialSealed!, aad)).toBe(value);
          }
        }
      };
      const rotations = (async () => {
        try {
          return await Promise.all([
            rotateMasterKey(store1, rotator1),
            rotateMasterKey(store2, rotator2),
            rotateKeys(store1, rotator1),
          ]);
        } finally {
          stop = true;
        }
      })();
      const [[first, second, dataRotation]] = await Promise.all([rotations, serverLoop()]);

      // Every data key under A was re-wrapped exactly once between the two runs; the one the
      // data-key rotation added was born under B.
      expect(first!.rewrapped + second!.rewrapped).toBe(dataKeysUnderA);
      for (const counts of [first!, second!]) expect(counts.failed).toBe(0);
      expect(dataRotation.failed).toBe(0);
      const records = await store.listDataKeys();
      expect(records).toHaveLength(dataKeysUnderA + 1);
      for (const record of records) expect(wrappedMasterKeyId(record.wrapped)).toBe(masterKeyId(keyB));

      // Restarted with B alone, the newest value of every secret opens.
      const afterStore = await database.open();
      const after = await loadKeyring(afterStore, keyB);
      for (const secret of sealed.secrets) {
        const row = await afterStore.getAction(sealed.workspaceId, sealed.chatbotId, secret.actionId);
        expect(
          await after.open(row!.credentialSealed!, credentialAad(sealed.workspaceId, secret.actionId)),
        ).toBe(latest.get(secret.actionId));
      }
      const bot = await afterStore.getChatbot(sealed.workspaceId, sealed.chatbotId);
      expect(
        await after.open(bot!.identitySecretSealed!, identitySecretAad(sealed.workspaceId, sealed.chatbotId)),
      ).toBe(sealed.identitySecret);
    });
  });
}
