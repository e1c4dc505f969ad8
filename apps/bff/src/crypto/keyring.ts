import { randomBytes } from 'node:crypto';
import type { DataKeyRecord, Store } from '../store/types';
import { decrypt, encrypt, formatEnvelope, KEY_BYTES, parseEnvelope } from './envelope';
import { type Keyring, KeyringError } from './types';

const VERSION = 'v1';
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The store calls the keyring's storage: data keys, each wrapped under the master key. */
type KeyStore = Pick<Store, 'listDataKeys' | 'insertDataKey'>;

export interface KeyringOptions {
  /**
   * How long `seal` trusts its list of keys before reading it again, so an instance picks up a
   * key another instance (or rotate-keys) added without a restart. `open` reloads at once when
   * it meets an unknown key id.
   */
  maxAgeMs?: number;
}

/**
 * The keyring shared by every instance on one database: data keys live in the store wrapped
 * under the master key (AIHIO_MASTER_KEY or the key file), which never leaves the process.
 * Sealed values are `v1.<keyId>.<iv>.<ciphertext>.<tag>`; the GCM additional data is the key id
 * plus the caller's binding (credentialAad / identitySecretAad).
 */
export class DataKeyring implements Keyring {
  private keys = new Map<string, Buffer>();
  private order: string[] = [];
  private createdAt = new Map<string, string>();
  private loadedAt = 0;
  private reloading: Promise<void> | null = null;

  constructor(
    private readonly store: KeyStore,
    private readonly masterKey: Buffer,
    private readonly maxAgeMs: number,
  ) {}

  get currentKeyId(): string {
    const id = this.order.at(-1);
    if (id === undefined) throw new KeyringError('invalid_key', 'The keyring has no data key.');
    return id;
  }

  /** Ids of every data key, oldest first. */
  get keyIds(): readonly string[] {
    return [...this.order];
  }

  async seal(plaintext: string, aad: string): Promise<string> {
    if (Date.now() - this.loadedAt > this.maxAgeMs) {
      // Best effort: sealing under the key this instance already has is still correct (rotation
      // picks it up later), so a database hiccup here must not fail the request.
      await this.reload().catch(() => {
        this.loadedAt = Date.now();
      });
    }
    const keyId = this.currentKeyId;
    const key = this.keys.get(keyId)!;
    const envelope = encrypt(key, Buffer.from(plaintext, 'utf8'), boundAad(keyId, aad));
    return `${VERSION}.${keyId}.${formatEnvelope(envelope)}`;
  }

  async open(sealed: string, aad: string): Promise<string> {
    const parts = sealed.split('.');
    const [version, keyId, ...rest] = parts;
    const envelope = parseEnvelope(rest);
    if (version !== VERSION || keyId === undefined || !KEY_ID.test(keyId) || !envelope) {
      throw new KeyringError('decrypt_failed', 'The sealed value is malformed.');
    }
    let key = this.keys.get(keyId);
    if (!key) {
      // Another instance may have rotated in a key since this one loaded.
      await this.reload();
      key = this.keys.get(keyId);
    }
    if (!key) throw new KeyringError('decrypt_failed', 'The sealed value names an unknown key.');
    const plaintext = decrypt(key, envelope, boundAad(keyId, aad));
    if (!plaintext) {
      throw new KeyringError('decrypt_failed', 'The sealed value does not authenticate for this record.');
    }
    return plaintext.toString('utf8');
  }

  isStale(sealed: string): boolean {
    return sealed.split('.')[1] !== this.currentKeyId;
  }

  /** Reads the data keys again (concurrent callers share one read). */
  reload(): Promise<void> {
    this.reloading ??= this.load().finally(() => {
      this.reloading = null;
    });
    return this.reloading;
  }

  /** Adds a new data key, which becomes the current one for every instance. Returns its id. */
  async createKey(): Promise<string> {
    await this.reload();
    const id = `k${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
    const last = this.order.at(-1);
    const lastCreatedAt = last ? this.createdAt.get(last) : undefined;
    // Newest is decided by creation time; never place a new key behind one a skewed clock dated later.
    const at = Math.max(Date.now(), lastCreatedAt ? Date.parse(lastCreatedAt) + 1 : 0);
    await this.store.insertDataKey(
      wrapDataKey(this.masterKey, id, randomBytes(KEY_BYTES), new Date(at).toISOString()),
    );
    await this.reload();
    return id;
  }

  private async load(): Promise<void> {
    const records = await this.store.listDataKeys();
    const keys = new Map<string, Buffer>();
    const createdAt = new Map<string, string>();
    for (const record of records) {
      keys.set(record.id, unwrapDataKey(this.masterKey, record));
      createdAt.set(record.id, record.createdAt);
    }
    this.keys = keys;
    this.createdAt = createdAt;
    this.order = records.map((record) => record.id);
    this.loadedAt = Date.now();
  }
}

/**
 * Loads the keyring from the store, creating the first data key when there is none. Throws
 * KeyringError `invalid_key` when the master key is not 32 bytes or does not unwrap the stored
 * keys (a wrong AIHIO_MASTER_KEY must stop the start, not surface later as undecryptable data).
 */
export async function loadKeyring(
  store: KeyStore,
  masterKey: Buffer,
  options: KeyringOptions = {},
): Promise<DataKeyring> {
  if (masterKey.length !== KEY_BYTES) {
    throw new KeyringError('invalid_key', `The master key must be ${KEY_BYTES} bytes.`);
  }
  const keyring = new DataKeyring(store, Buffer.from(masterKey), options.maxAgeMs ?? 60_000);
  await keyring.reload();
  if (keyring.keyIds.length === 0) await keyring.createKey();
  return keyring;
}

function boundAad(keyId: string, aad: string): Buffer {
  return Buffer.from(`aihio:sealed:${VERSION}:${keyId}:${aad}`, 'utf8');
}

function wrapAad(id: string): Buffer {
  return Buffer.from(`aihio:data-key:${VERSION}:${id}`, 'utf8');
}

function wrapDataKey(masterKey: Buffer, id: string, dataKey: Buffer, createdAt: string): DataKeyRecord {
  return { id, wrapped: formatEnvelope(encrypt(masterKey, dataKey, wrapAad(id))), createdAt };
}

function unwrapDataKey(masterKey: Buffer, record: DataKeyRecord): Buffer {
  const envelope = parseEnvelope(record.wrapped.split('.'));
  const key = envelope ? decrypt(masterKey, envelope, wrapAad(record.id)) : null;
  if (!key || key.length !== KEY_BYTES) {
    throw new KeyringError(
      'invalid_key',
      `The master key does not open data key ${record.id}: AIHIO_MASTER_KEY (or the key file) is not the one this database was created with.`,
    );
  }
  return key;
}
