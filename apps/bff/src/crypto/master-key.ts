import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { constants } from 'node:fs';
import { link, mkdir, open, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { KEY_BYTES } from './envelope';
import { KeyringError } from './types';

export const KEY_FILE_NAME = 'master.key';

/** The development key file lives beside the embedded database. */
export function keyFilePathIn(dataDir: string): string {
  return join(dataDir, KEY_FILE_NAME);
}

export interface MasterKeyOptions {
  /** The value of AIHIO_MASTER_KEY, when set. */
  env: string | null | undefined;
  /** NODE_ENV: only `development` and `test` allow the key file (unset is production). */
  nodeEnv: string | undefined;
  keyFilePath: string;
  /** Production only: the operator accepted the key file explicitly (AIHIO_ALLOW_INSECURE=master-key-file). */
  allowKeyFileInProduction?: boolean;
}

export interface MasterKey {
  key: Buffer;
  source: 'env' | 'key-file';
  /** True when this call generated the key file. */
  created: boolean;
  keyFilePath: string | null;
}

/**
 * Where the master key comes from: AIHIO_MASTER_KEY when set; otherwise, outside production, a
 * 0600 key file created at first start; in production, nowhere (refuse to start), because a key
 * file on the same disk as the database protects nothing when that disk leaks.
 */
export async function resolveMasterKey(options: MasterKeyOptions): Promise<MasterKey> {
  if (options.env !== undefined && options.env !== null && options.env !== '') {
    return { key: parseMasterKey(options.env), source: 'env', created: false, keyFilePath: null };
  }
  // Secure by default, like the server's configuration: only an explicit development or test
  // NODE_ENV may fall back to the key file; unset is production.
  const development = options.nodeEnv === 'development' || options.nodeEnv === 'test';
  if (!development && !options.allowKeyFileInProduction) {
    throw new KeyringError(
      'invalid_key',
      'AIHIO_MASTER_KEY is required when NODE_ENV=production or unset (32 bytes, base64 or hex; for example the output of `openssl rand -base64 32`). ' +
        'The key file beside the database is for NODE_ENV=development.',
    );
  }
  return readOrCreateKeyFile(options.keyFilePath);
}

export interface MasterKeysOptions extends MasterKeyOptions {
  /** The value of AIHIO_MASTER_KEY_PREVIOUS, when set: the key being rotated away from. */
  previousEnv?: string | null | undefined;
}

export interface MasterKeys {
  current: MasterKey;
  /** AIHIO_MASTER_KEY_PREVIOUS: opens data keys not yet re-wrapped (`rotate-keys --master`); never wraps. */
  previous: Buffer | null;
}

/**
 * The current master key (as resolveMasterKey) and, during a master-key rotation, the previous one.
 * The previous key must differ from the current one (compared as bytes: one may be hex, the other
 * base64): the same key twice is a deployment mistake that would hide a rotation not done.
 */
export async function resolveMasterKeys(options: MasterKeysOptions): Promise<MasterKeys> {
  const previousText = options.previousEnv;
  // Parsed before the current key, so a bad previous key is reported without creating a key file.
  const previous =
    previousText === undefined || previousText === null || previousText === ''
      ? null
      : parseMasterKey(previousText, 'AIHIO_MASTER_KEY_PREVIOUS');
  const current = await resolveMasterKey(options);
  if (previous && timingSafeEqual(previous, current.key)) {
    throw new KeyringError(
      'invalid_key',
      current.source === 'env'
        ? 'AIHIO_MASTER_KEY_PREVIOUS must differ from AIHIO_MASTER_KEY (it is the key being rotated away from).'
        : 'AIHIO_MASTER_KEY_PREVIOUS must differ from the master key file (it is the key being rotated away from).',
    );
  }
  return { current, previous };
}

/**
 * A short, non-secret fingerprint of a master key, stored with every data key it wraps and safe to
 * print: an HMAC of a fixed label under the key, so it tells keys apart without revealing anything
 * about them (64 bits of a one-way function of a 256-bit key).
 */
export function masterKeyId(key: Buffer): string {
  return `mk_${createHmac('sha256', key).update('aihio:master-key-id:v1').digest().subarray(0, 8).toString('hex')}`;
}

/** Decodes a 32-byte key given as 64 hex digits or base64 (standard or url-safe). */
export function parseMasterKey(text: string, name = 'AIHIO_MASTER_KEY'): Buffer {
  const value = text.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(value)) {
    key = Buffer.from(value, 'hex');
  } else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    key = Buffer.from(value.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
  }
  if (!key || key.length !== KEY_BYTES) {
    // Never echo the value: it may be a real key with a typo.
    throw new KeyringError(
      'invalid_key',
      `${name} must be ${KEY_BYTES} bytes written as base64 or 64 hex digits (for example the output of \`openssl rand -base64 32\`).`,
    );
  }
  return key;
}

async function readOrCreateKeyFile(path: string): Promise<MasterKey> {
  const existing = await readKeyFile(path);
  if (existing) return { key: existing, source: 'key-file', created: false, keyFilePath: path };

  const directory = dirname(path);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  // Written whole under a temporary name and linked into place: link() fails if another
  // instance got there first, so no process ever reads a half-written key file.
  const key = randomBytes(KEY_BYTES);
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(`${key.toString('base64')}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const theirs = await readKeyFile(path);
    if (!theirs) throw error;
    return { key: theirs, source: 'key-file', created: false, keyFilePath: path };
  } finally {
    await unlink(temporary).catch(() => {});
  }
  await syncDirectory(directory);
  return { key, source: 'key-file', created: true, keyFilePath: path };
}

/** The key in the file, or null when there is no file. Refuses a file others may read. */
async function readKeyFile(path: string): Promise<Buffer | null> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile())
      throw new KeyringError('invalid_key', `The master key file ${path} is not a regular file.`);
    if ((stat.mode & 0o077) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new KeyringError(
        'invalid_key',
        `The master key file ${path} has mode ${mode}, readable by others: run \`chmod 600 ${path}\` or set AIHIO_MASTER_KEY.`,
      );
    }
    return parseMasterKey(await handle.readFile('utf8'), `The master key file ${path}`);
  } finally {
    await handle.close();
  }
}

/** Makes the new directory entry durable: a key lost after a power cut would make every sealed value unreadable. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
