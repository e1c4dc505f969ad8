import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyFilePathIn, loadKeyring, resolveMasterKey } from '../crypto';
import { credentialAad, identitySecretAad } from '../crypto/types';
import { createStore, sqlitePathIn } from '../store';
import { actionDefinition, seedWorkspace } from '../store/testing/store-suite';
import { runRotateKeys } from './rotate-keys';

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
  const { DATABASE_URL: _ignored, AIHIO_MASTER_KEY: _alsoIgnored, ...env } = process.env;
  return { ...env, NODE_ENV: 'development', AIHIO_DATA_DIR: dataDir, ...extra };
}

function rotateKeysCli(env: NodeJS.ProcessEnv) {
  return run(process.execPath, ['--conditions=@aihio/source', '--import', 'tsx', 'src/cli/rotate-keys.ts'], {
    cwd: packageDir,
    env,
  });
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
});
