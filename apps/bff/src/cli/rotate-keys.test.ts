import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyFilePathIn, loadKeyring, masterKeyId, resolveMasterKey, wrappedMasterKeyId } from '../crypto';
import { credentialAad, identitySecretAad } from '../crypto/types';
import { createStore, sqlitePathIn } from '../store';
import { actionDefinition, seedWorkspace } from '../store/testing/store-suite';
import { runRotateKeys, USAGE, UsageError } from './rotate-keys';

const run = promisify(execFile);
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'aihio-cli-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** The server's environment, without whatever DATABASE_URL the test run has. */
function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const {
    DATABASE_URL: _ignored,
    AIHIO_MASTER_KEY: _alsoIgnored,
    AIHIO_MASTER_KEY_PREVIOUS: _previousIgnored,
    ...env
  } = process.env;
  return { ...env, NODE_ENV: 'development', AIHIO_DATA_DIR: dataDir, ...extra };
}

function rotateKeysCli(env: NodeJS.ProcessEnv, args: string[] = []) {
  return run(
    process.execPath,
    ['--conditions=@aihio/source', '--import', 'tsx', 'src/cli/rotate-keys.ts', ...args],
    { cwd: packageDir, env },
  );
}

/** The CLI's exit code and output, also when it fails. */
async function rotateKeysCliResult(env: NodeJS.ProcessEnv, args: string[] = []) {
  try {
    const { stdout, stderr } = await rotateKeysCli(env, args);
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: `${failed.stdout}${failed.stderr}` };
  }
}

/** Every text form in which a key could leak. */
function encodings(key: Buffer): string[] {
  return [key.toString('base64'), key.toString('base64url'), key.toString('hex')];
}

describe('rotate-keys', () => {
  // A real process (its start dominates the time): it reads the environment as the server does.
  it('re-encrypts every stored secret under a new key and prints counts, never secrets', {
    timeout: 30_000,
  }, async () => {
    const master = await resolveMasterKey({
      env: undefined,
      nodeEnv: 'development',
      keyFilePath: keyFilePathIn(dataDir),
    });
    const store = await createStore({ sqlitePath: sqlitePathIn(dataDir) });
    const keyring = await loadKeyring(store, master.key);
    const oldKeyId = keyring.currentKeyId;
    const { workspaceId, chatbotId } = await seedWorkspace(store);
    const action = await store.createAction(workspaceId, chatbotId, actionDefinition('rotated'));
    const secret = 'sk_live_cli_secret_value';
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
      await keyring.seal('identity_secret_value', identitySecretAad(workspaceId, chatbotId)),
      'alue',
    );
    await store.close();

    const { stdout, stderr } = await rotateKeysCli(cliEnv({}));
    expect(stdout).toMatch(/^New data key: k[\w-]+$/m);
    expect(stdout).toContain(
      'Sealed values: 2, re-encrypted: 2, changed concurrently: 0, could not be opened: 0',
    );
    expect(`${stdout}${stderr}`).not.toContain(secret);
    expect(`${stdout}${stderr}`).not.toContain('identity_secret_value');
    expect(`${stdout}${stderr}`).not.toContain(master.key.toString('base64'));

    const reopened = await createStore({ sqlitePath: sqlitePathIn(dataDir) });
    try {
      const after = await loadKeyring(reopened, master.key);
      expect(after.currentKeyId).not.toBe(oldKeyId);
      const sealed = (await reopened.getAction(workspaceId, chatbotId, action.id))!.credentialSealed!;
      expect(sealed.split('.')[1]).toBe(after.currentKeyId);
      expect(await after.open(sealed, credentialAad(workspaceId, action.id))).toBe(secret);
    } finally {
      await reopened.close();
    }
  });

  it('refuses to run in production without a master key, naming the variable', async () => {
    const printed: string[] = [];
    const attempt = runRotateKeys(cliEnv({ NODE_ENV: 'production' }), (line) => printed.push(line));
    await expect(attempt).rejects.toMatchObject({
      code: 'invalid_key',
      message: expect.stringContaining('AIHIO_MASTER_KEY is required when NODE_ENV=production'),
    });
    expect(printed).toEqual([]);
  });
  it('--master re-wraps every data key under AIHIO_MASTER_KEY, reading AIHIO_MASTER_KEY_PREVIOUS', {
    timeout: 60_000,
  }, async () => {
    const keyA = randomBytes(32);
    const keyB = randomBytes(32);
    const store = await createStore({ sqlitePath: sqlitePathIn(dataDir) });
    const underA = await loadKeyring(store, keyA);
    await underA.createKey();
    const { workspaceId, chatbotId } = await seedWorkspace(store);
    const action = await store.createAction(workspaceId, chatbotId, actionDefinition('master'));
    const secret = 'sk_live_master_rotation_secret';
    const sealed = await underA.seal(secret, credentialAad(workspaceId, action.id));
    await store.setCredential(workspaceId, chatbotId, action.id, sealed, secret.slice(-4));
    await store.close();
    const outputs: string[] = [];

    // B without the previous key: refused, naming the variable to set; nothing changed.
    const refused = await rotateKeysCliResult(cliEnv({ AIHIO_MASTER_KEY: keyB.toString('hex') }), [
      '--master',
    ]);
    outputs.push(refused.output);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`wrapped under master key ${masterKeyId(keyA)}`);
    expect(refused.output).toContain('AIHIO_MASTER_KEY_PREVIOUS');

    const rotateEnv = cliEnv({
      AIHIO_MASTER_KEY: keyB.toString('base64'),
      AIHIO_MASTER_KEY_PREVIOUS: keyA.toString('hex'),
    });
    const rotated = await rotateKeysCliResult(rotateEnv, ['--master']);
    outputs.push(rotated.output);
    expect(rotated.code).toBe(0);
    expect(rotated.output).toContain(
      `Master key: ${masterKeyId(keyB)} (AIHIO_MASTER_KEY); previous: ${masterKeyId(keyA)} (AIHIO_MASTER_KEY_PREVIOUS)`,
    );
    expect(rotated.output).toContain(
      'Data keys: 2, re-wrapped: 2, already under the master key: 0, changed concurrently: 0, could not be opened: 0',
    );
    expect(rotated.output).toContain('AIHIO_MASTER_KEY_PREVIOUS can now be removed from every instance.');
    expect(rotated.output).not.toContain('New data key');

    // Again, now with B alone: nothing to do.
    const again = await rotateKeysCliResult(cliEnv({ AIHIO_MASTER_KEY: keyB.toString('base64') }), [
      '--master',
    ]);
    outputs.push(again.output);
    expect(again.code).toBe(0);
    expect(again.output).toContain('Data keys: 2, re-wrapped: 0, already under the master key: 2');
    expect(again.output).toContain('previous: not set');

    // Both at once: master first, then a new data key (born under B) and the secrets re-encrypted.
    const both = await rotateKeysCliResult(cliEnv({ AIHIO_MASTER_KEY: keyB.toString('base64') }), [
      '--master',
      '--data',
    ]);
    outputs.push(both.output);
    expect(both.code).toBe(0);
    expect(both.output).toMatch(
      /Data keys: 2, re-wrapped: 0[\s\S]*New data key: k[\w-]+\nSealed values: 1, re-encrypted: 1/,
    );

    const reopened = await createStore({ sqlitePath: sqlitePathIn(dataDir) });
    try {
      for (const record of await reopened.listDataKeys())
        expect(wrappedMasterKeyId(record.wrapped)).toBe(masterKeyId(keyB));
      const after = await loadKeyring(reopened, keyB);
      const stored = (await reopened.getAction(workspaceId, chatbotId, action.id))!.credentialSealed!;
      expect(await after.open(stored, credentialAad(workspaceId, action.id))).toBe(secret);
      // A alone no longer opens anything.
      await expect(loadKeyring(reopened, keyA)).rejects.toMatchObject({ code: 'invalid_key' });
    } finally {
      await reopened.close();
    }
    for (const output of outputs) {
      expect(output).not.toContain(secret);
      for (const text of [...encodings(keyA), ...encodings(keyB)]) expect(output).not.toContain(text);
    }
  });

  it('refuses a previous key equal to the current one and an unknown argument, changing nothing', async () => {
    const key = randomBytes(32);
    const printed: string[] = [];
    await expect(
      runRotateKeys(
        cliEnv({ AIHIO_MASTER_KEY: key.toString('base64'), AIHIO_MASTER_KEY_PREVIOUS: key.toString('hex') }),
        (line) => printed.push(line),
        ['--master'],
      ),
    ).rejects.toMatchObject({
      code: 'invalid_key',
      message: expect.stringContaining('AIHIO_MASTER_KEY_PREVIOUS must differ from AIHIO_MASTER_KEY'),
    });
    await expect(
      runRotateKeys(cliEnv({ AIHIO_MASTER_KEY_PREVIOUS: 'not-a-key' }), (line) => printed.push(line), [
        '--master',
      ]),
    ).rejects.toMatchObject({
      message: expect.stringContaining('AIHIO_MASTER_KEY_PREVIOUS must be 32 bytes'),
    });
    await expect(
      runRotateKeys(cliEnv({}), (line) => printed.push(line), ['--mastre']),
    ).rejects.toBeInstanceOf(UsageError);
    expect(printed).toEqual([]);
    // Nothing was created: no key file, no database.
    await expect(stat(keyFilePathIn(dataDir))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(sqlitePathIn(dataDir))).rejects.toMatchObject({ code: 'ENOENT' });

    expect(await runRotateKeys(cliEnv({}), (line) => printed.push(line), ['--help'])).toBe(0);
    expect(printed).toEqual([USAGE]);
    const cli = await rotateKeysCliResult(cliEnv({}), ['--bogus']);
    expect(cli.code).toBe(2);
    expect(cli.output).toContain('rotate-keys: unknown argument --bogus');
  });
});
