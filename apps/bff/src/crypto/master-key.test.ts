import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  keyFilePathIn,
  masterKeyId,
  parseMasterKey,
  resolveMasterKey,
  resolveMasterKeys,
} from './master-key';
import { keyringError } from './testing/keyring-error';
import { KeyringError } from './types';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'aihio-key-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('master key', () => {
  it('reads AIHIO_MASTER_KEY as base64, base64url or hex, and checks its length', async () => {
    const key = randomBytes(32);
    for (const text of [
      key.toString('base64'),
      key.toString('base64url'),
      key.toString('hex'),
      ` ${key.toString('hex')}\n`,
    ]) {
      const resolved = await resolveMasterKey({
        env: text,
        nodeEnv: 'production',
        keyFilePath: keyFilePathIn(directory),
      });
      expect(resolved).toEqual({ key, source: 'env', created: false, keyFilePath: null });
    }
    for (const bad of [
      randomBytes(16).toString('base64'),
      randomBytes(33).toString('hex'),
      'not a key!',
      'Zm9v',
    ]) {
      const error = await keyringError(
        resolveMasterKey({ env: bad, nodeEnv: 'development', keyFilePath: keyFilePathIn(directory) }),
      );
      expect(error.code).toBe('invalid_key');
      expect(error.message).toContain('AIHIO_MASTER_KEY');
      expect(error.message).not.toContain(bad);
    }
    expect(() => parseMasterKey('short')).toThrow(KeyringError);
  });

  it('refuses to start in production without a master key', async () => {
    const error = await keyringError(
      resolveMasterKey({ env: undefined, nodeEnv: 'production', keyFilePath: keyFilePathIn(directory) }),
    );
    expect(error.code).toBe('invalid_key');
    expect(error.message).toMatch(/AIHIO_MASTER_KEY is required when NODE_ENV=production/);
    await expect(stat(keyFilePathIn(directory))).rejects.toMatchObject({ code: 'ENOENT' });
    // Secure by default: NODE_ENV unset (or a word it does not know) is production too.
    for (const nodeEnv of [undefined, '', 'staging']) {
      const unset = await keyringError(
        resolveMasterKey({ env: undefined, nodeEnv, keyFilePath: keyFilePathIn(directory) }),
      );
      expect(unset.message).toMatch(/AIHIO_MASTER_KEY is required when NODE_ENV=production or unset/);
    }
    await expect(stat(keyFilePathIn(directory))).rejects.toMatchObject({ code: 'ENOENT' });
    // Unless the operator accepted the key file explicitly.
    const allowed = await resolveMasterKey({
      env: '',
      nodeEnv: 'production',
      keyFilePath: keyFilePathIn(directory),
      allowKeyFileInProduction: true,
    });
    expect(allowed.source).toBe('key-file');
  });

  it('creates a 0600 key file in development, with its directory, and reads it back', async () => {
    const path = keyFilePathIn(join(directory, 'nested', 'data'));
    const created = await resolveMasterKey({ env: undefined, nodeEnv: 'development', keyFilePath: path });
    expect(created).toMatchObject({ source: 'key-file', created: true, keyFilePath: path });
    expect(created.key).toHaveLength(32);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(path, 'utf8')).trim(), 'base64')).toEqual(created.key);

    const again = await resolveMasterKey({ env: null, nodeEnv: 'test', keyFilePath: path });
    expect(again).toEqual({ key: created.key, source: 'key-file', created: false, keyFilePath: path });
  });

  it('gives instances starting together one key file', async () => {
    const path = keyFilePathIn(directory);
    const keys = await Promise.all(
      Array.from({ length: 6 }, () =>
        resolveMasterKey({ env: undefined, nodeEnv: 'development', keyFilePath: path }),
      ),
    );
    expect(keys.filter((k) => k.created)).toHaveLength(1);
    for (const k of keys) expect(k.key).toEqual(keys[0]!.key);
  });

  it('refuses a key file others may read, and a malformed one', async () => {
    const path = keyFilePathIn(directory);
    await writeFile(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o644 });
    await chmod(path, 0o644);
    const loose = await keyringError(
      resolveMasterKey({ env: undefined, nodeEnv: 'development', keyFilePath: path }),
    );
    expect(loose.code).toBe('invalid_key');
    expect(loose.message).toContain('0644');

    await chmod(path, 0o600);
    await writeFile(path, 'too short\n');
    const malformed = await keyringError(
      resolveMasterKey({ env: undefined, nodeEnv: 'development', keyFilePath: path }),
    );
    expect(malformed.code).toBe('invalid_key');
  });
});

describe('master keys during a rotation', () => {
  it('reads AIHIO_MASTER_KEY_PREVIOUS beside the current key, from the environment or the key file', async () => {
    const current = randomBytes(32);
    const previous = randomBytes(32);
    expect(
      await resolveMasterKeys({
        env: current.toString('base64'),
        previousEnv: previous.toString('hex'),
        nodeEnv: 'production',
        keyFilePath: keyFilePathIn(directory),
      }),
    ).toEqual({ current: { key: current, source: 'env', created: false, keyFilePath: null }, previous });

    const withFile = await resolveMasterKeys({
      env: undefined,
      previousEnv: previous.toString('base64'),
      nodeEnv: 'development',
      keyFilePath: keyFilePathIn(directory),
    });
    expect(withFile.current.source).toBe('key-file');
    expect(withFile.previous).toEqual(previous);
    expect(
      (
        await resolveMasterKeys({
          env: undefined,
          previousEnv: '',
          nodeEnv: 'development',
          keyFilePath: keyFilePathIn(directory),
        })
      ).previous,
    ).toBeNull();
  });

  it('refuses a malformed previous key before creating anything, and one equal to the current key', async () => {
    const path = keyFilePathIn(join(directory, 'fresh'));
    const malformed = await keyringError(
      resolveMasterKeys({
        env: undefined,
        previousEnv: 'c2hvcnQ=',
        nodeEnv: 'development',
        keyFilePath: path,
      }),
    );
    expect(malformed.message).toContain('AIHIO_MASTER_KEY_PREVIOUS must be 32 bytes');
    expect(malformed.message).not.toContain('c2hvcnQ=');
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });

    const key = randomBytes(32);
    const same = await keyringError(
      resolveMasterKeys({
        env: key.toString('hex'),
        previousEnv: key.toString('base64'),
        nodeEnv: 'production',
        keyFilePath: path,
      }),
    );
    expect(same.message).toContain('AIHIO_MASTER_KEY_PREVIOUS must differ from AIHIO_MASTER_KEY');
    const fileKey = await resolveMasterKey({ env: undefined, nodeEnv: 'development', keyFilePath: path });
    const sameAsFile = await keyringError(
      resolveMasterKeys({
        env: undefined,
        previousEnv: fileKey.key.toString('base64'),
        nodeEnv: 'development',
        keyFilePath: path,
      }),
    );
    expect(sameAsFile.message).toContain('must differ from the master key file');
  });

  it('gives each key a stable, distinct, non-secret id', () => {
    const key = randomBytes(32);
    expect(masterKeyId(key)).toMatch(/^mk_[0-9a-f]{16}$/);
    expect(masterKeyId(Buffer.from(key))).toBe(masterKeyId(key));
    expect(masterKeyId(randomBytes(32))).not.toBe(masterKeyId(key));
    expect(key.toString('hex')).not.toContain(masterKeyId(key).slice(3));
  });
});
