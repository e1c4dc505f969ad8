import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { DataKeyRecord, Store } from '../store/types';
import { decrypt, encrypt, formatEnvelope, KEY_BYTES, parseEnvelope } from './envelope';
import { masterKeyId } from './master-key';
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
  /**
   * AIHIO_MASTER_KEY_PREVIOUS during a master-key rotation: opens data keys still wrapped under
   * it. It never wraps anything: new data keys, and `rotate-keys --master`, use the current key.
   */
  previousMasterKey?: Buffer | null;
}

/** A master key and its non-secret id (`masterKeyId`). */
interface MasterKeyEntry {
  id: string;
  key: Buffer;
}

/** Which of this process's master keys opens a data key; `other` is one it cannot open (any more). */
export type WrappedUnder = 'current' | 'previous' | 'other';

interface HeldKey {
  key: Buffer;
  /** The stored wrapping this key was read from: an unchanged row is not unwrapped again. */
  wrapped: string;
  under: WrappedUnder;
}

/**
 * The keyring shared by every instance on one database: data keys live in the store wrapped
 * under the master key (AIHIO_MASTER_KEY or the key file), which never leaves the process.
 * Sealed values are `v1.<keyId>.<iv>.<ciphertext>.<tag>`; the GCM additional data is the key id
 * plus the caller's binding (credentialAad / identitySecretAad).
 *
 * A wrapped data key is `<masterKeyId>.<iv>.<ciphertext>.<tag>`, naming the master key that wraps
 * it, or, written before master keys had ids, `<iv>.<ciphertext>.<tag>` (tried under each key).
 */
export class DataKeyring implements Keyring {
  private held = new Map<string, HeldKey>();
  private order: string[] = [];
  private createdAt = new Map<string, string>();
  /** Data keys in the store that this process cannot open (only after its start: see load). */
  private unreadable = 0;
  private loaded = false;
  private loadedAt = 0;
  private reloading: Promise<void> | null = null;

  constructor(
    private readonly store: KeyStore,
    private readonly master: MasterKeyEntry,
    private readonly previousMaster: MasterKeyEntry | null,
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

  /** The non-secret id of the current master key (AIHIO_MASTER_KEY or the key file). */
  get masterKeyId(): string {
    return this.master.id;
  }

  /** The non-secret id of AIHIO_MASTER_KEY_PREVIOUS, or null when it is not set. */
  get previousMasterKeyId(): string | null {
    return this.previousMaster?.id ?? null;
  }

  /**
   * How many data keys, as last read, each master key opens: `previous` above zero means
   * `rotate-keys --master` has not run (or not finished); `other` counts keys this process cannot
   * open, re-wrapped or added under a master key it does not have.
   */
  wrapCounts(): Record<WrappedUnder, number> {
    const counts: Record<WrappedUnder, number> = { current: 0, previous: 0, other: this.unreadable };
    for (const id of this.order) counts[this.held.get(id)!.under] += 1;
    return counts;
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
    const key = this.held.get(keyId)!.key;
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
    let key = this.held.get(keyId)?.key;
    if (!key) {
      // Another instance may have rotated in a key since this one loaded.
      await this.reload();
      key = this.held.get(keyId)?.key;
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
      wrapDataKey(this.master, id, randomBytes(KEY_BYTES), new Date(at).toISOString()),
    );
    await this.reload();
    return id;
  }

  /** True when the record opens under the current master key and names it (nothing to re-wrap). */
  isWrappedUnderCurrent(record: DataKeyRecord): boolean {
    return wrappedMasterKeyId(record.wrapped) === this.master.id && unwrapWith(this.master, record) !== null;
  }

  /**
   * The record's data key wrapped under the current master key, for `rotate-keys --master`.
   * Throws KeyringError `invalid_key` when neither master key opens it.
   */
  rewrap(record: DataKeyRecord): string {
    const opened = this.unwrap(record);
    if (!opened) throw new KeyringError('invalid_key', this.unopenedMessage(record));
    return wrapDataKey(this.master, record.id, opened.key, record.createdAt).wrapped;
  }

  private unwrap(record: DataKeyRecord): { key: Buffer; under: WrappedUnder } | null {
    const current = unwrapWith(this.master, record);
    if (current) return { key: current, under: 'current' };
    const previous = this.previousMaster ? unwrapWith(this.previousMaster, record) : null;
    return previous ? { key: previous, under: 'previous' } : null;
  }

  /**
   * At start every data key must open (a wrong master key must stop the start, not surface later
   * as undecryptable data). Afterwards a key this process cannot open is kept from memory when it
   * was opened before (rotate-keys --master re-wraps the same key under a master key an instance
   * started earlier may not have) and otherwise left out, so running instances keep working.
   */
  private async load(): Promise<void> {
    const records = await this.store.listDataKeys();
    const held = new Map<string, HeldKey>();
    const createdAt = new Map<string, string>();
    const order: string[] = [];
    let unreadable = 0;
    for (const record of records) {
      const known = this.held.get(record.id);
      let entry: HeldKey;
      if (known && known.wrapped === record.wrapped) {
        entry = known;
      } else {
        const opened = this.unwrap(record);
        if (opened) entry = { ...opened, wrapped: record.wrapped };
        else if (known) entry = { key: known.key, wrapped: record.wrapped, under: 'other' };
        else if (!this.loaded) throw new KeyringError('invalid_key', this.unopenedMessage(record));
        else {
          unreadable += 1;
          continue;
        }
      }
      held.set(record.id, entry);
      createdAt.set(record.id, record.createdAt);
      order.push(record.id);
    }
    this.held = held;
    this.createdAt = createdAt;
    this.order = order;
    this.unreadable = unreadable;
    this.loaded = true;
    this.loadedAt = Date.now();
  }

  /** Names the keys involved by their ids (fingerprints), never by value. */
  private unopenedMessage(record: DataKeyRecord): string {
    const under = wrappedMasterKeyId(record.wrapped);
    const previous = this.previousMaster
      ? `AIHIO_MASTER_KEY_PREVIOUS is ${this.previousMaster.id}`
      : 'AIHIO_MASTER_KEY_PREVIOUS is not set';
    return (
      `The master key does not open data key ${record.id}` +
      (under ? ` (wrapped under master key ${under})` : '') +
      `: the master key (AIHIO_MASTER_KEY or the key file) is ${this.master.id} and ${previous}. ` +
      'Start with the master key this database was created with; while rotating master keys, set the new key ' +
      'as AIHIO_MASTER_KEY and the old one as AIHIO_MASTER_KEY_PREVIOUS.'
    );
  }
}

/**
 * Loads the keyring from the store, creating the first data key when there is none. Throws
 * KeyringError `invalid_key` when a master key is not 32 bytes, the previous one equals the
 * current one, or a stored data key opens under neither (a wrong AIHIO_MASTER_KEY must stop the
 * start, not surface later as undecryptable data).
 */
export async function loadKeyring(
  store: KeyStore,
  masterKey: Buffer,
  options: KeyringOptions = {},
): Promise<DataKeyring> {
  const previous = options.previousMasterKey ?? null;
  if (masterKey.length !== KEY_BYTES || (previous !== null && previous.length !== KEY_BYTES)) {
    throw new KeyringError('invalid_key', `The master key must be ${KEY_BYTES} bytes.`);
  }
  if (previous !== null && timingSafeEqual(previous, masterKey)) {
    throw new KeyringError('invalid_key', 'AIHIO_MASTER_KEY_PREVIOUS must differ from AIHIO_MASTER_KEY.');
  }
  const entry = (key: Buffer): MasterKeyEntry => ({ id: masterKeyId(key), key: Buffer.from(key) });
  const keyring = new DataKeyring(
    store,
    entry(masterKey),
    previous ? entry(previous) : null,
    options.maxAgeMs ?? 60_000,
  );
  await keyring.reload();
  if (keyring.keyIds.length === 0) await keyring.createKey();
  return keyring;
}

/** The master key id a wrapped data key names, or null for the format before master key ids. */
export function wrappedMasterKeyId(wrapped: string): string | null {
  const parts = wrapped.split('.');
  return parts.length === 4 ? (parts[0] ?? null) : null;
}

function boundAad(keyId: string, aad: string): Buffer {
  return Buffer.from(`aihio:sealed:${VERSION}:${keyId}:${aad}`, 'utf8');
}

/** Binds a wrapped key to its data key id and, in the current format, to the master key's id. */
function wrapAad(id: string, masterId: string | null): Buffer {
  return Buffer.from(
    masterId === null ? `aihio:data-key:v1:${id}` : `aihio:data-key:v2:${masterId}:${id}`,
    'utf8',
  );
}

function wrapDataKey(master: MasterKeyEntry, id: string, dataKey: Buffer, createdAt: string): DataKeyRecord {
  const envelope = formatEnvelope(encrypt(master.key, dataKey, wrapAad(id, master.id)));
  return { id, wrapped: `${master.id}.${envelope}`, createdAt };
}

/** The data key when `master` opens the record, else null. */
function unwrapWith(master: MasterKeyEntry, record: DataKeyRecord): Buffer | null {
  const parts = record.wrapped.split('.');
  const named = parts.length === 4 ? parts[0]! : null;
  // A record naming another master key is not tried: that key id says this one did not wrap it.
  if (named !== null && named !== master.id) return null;
  const envelope = parseEnvelope(named === null ? parts : parts.slice(1));
  const key = envelope ? decrypt(master.key, envelope, wrapAad(record.id, named)) : null;
  return key && key.length === KEY_BYTES ? key : null;
}
