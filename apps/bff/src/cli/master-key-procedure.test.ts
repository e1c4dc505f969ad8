import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKeyring, masterKeyId } from '../crypto';
import { credentialAad } from '../crypto/types';
import { createStore, sqlitePathIn } from '../store';
import { actionDefinition } from '../store/testing/store-suite';

/**
 * The operator's procedure with real processes, as the README tells it: servers sealed under key A
 * → deploy B with A as AIHIO_MASTER_KEY_PREVIOUS → `rotate-keys --master` while a server runs →
 * remove the previous key. `main.ts` as `npm start` runs it, the CLI as `pnpm rotate-keys` does.
 */

const packageDir = path.join(import.meta.dirname, '..', '..');
const run = promisify(execFile);
let dir: string;
const children = new Set<ChildProcess>();
const keyA = randomBytes(32);
const keyB = randomBytes(32);
/** Every line any process printed, searched for key material at the end. */
const outputs: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'aihio-master-'));
});
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

function baseEnv(keys: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'development',
    AIHIO_AUTH_MODE: 'dev',
    PORT: '0',
    AIHIO_DATA_DIR: dir,
    ...keys,
  };
}

interface Server {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the URL once listening, or with the exit code when the process stopped first. */
  ready: Promise<{ url: string } | { exitCode: number | null }>;
}

function startServer(keys: Record<string, string>): Server {
  const child = spawn(
    process.execPath,
    ['--conditions=@aihio/source', '--import', 'tsx', path.join(packageDir, 'src', 'main.ts')],
    { cwd: packageDir, env: baseEnv(keys), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(child);
  let text = '';
  const ready = new Promise<{ url: string } | { exitCode: number | null }>((resolve) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(text);
      if (match) resolve({ url: match[1]! });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (exitCode) => resolve({ exitCode }));
  });
  return { child, output: () => text, ready };
}

async function listening(server: Server): Promise<string> {
  const state = await server.ready;
  if (!('url' in state)) throw new Error(`the server did not start:\n${server.output()}`);
  return state.url;
}

async function stopServer(server: Server): Promise<void> {
  server.child.kill('SIGTERM');
  if (server.child.exitCode === null) await once(server.child, 'exit');
  expect(server.child.exitCode).toBe(0);
  outputs.push(server.output());
}

async function request(url: string, method: string, body: unknown) {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { id?: string } };
}

/** Creates an action on the demo chatbot and sets its credential through the running server. */
async function actionWithCredential(url: string, identifier: string, secret: string): Promise<string> {
  const base = `${url}/api/v1/chatbots/demo-chatbot/actions`;
  const created = await request(base, 'POST', actionDefinition(identifier));
  expect(created.status).toBe(201);
  const id = created.body.id!;
  expect((await request(`${base}/${id}/credential`, 'PUT', { secret })).status).toBe(200);
  return id;
}

async function rotateMaster(keys: Record<string, string>) {
  const { stdout, stderr } = await run(
    process.execPath,
    ['--conditions=@aihio/source', '--import', 'tsx', 'src/cli/rotate-keys.ts', '--master'],
    { cwd: packageDir, env: baseEnv(keys) },
  );
  outputs.push(stdout, stderr);
  return stdout;
}

describe('master-key rotation, the operator procedure', () => {
  it('moves a running deployment from key A to key B without downtime', { timeout: 180_000 }, async () => {
    const a = keyA.toString('base64');
    const b = keyB.toString('hex');
    const secrets = new Map<string, string>();

    // 1. Running on A: a credential is sealed.
    const onA = startServer({ AIHIO_MASTER_KEY: a });
    const firstUrl = await listening(onA);
    secrets.set(
      await actionWithCredential(firstUrl, 'sealed_under_a', 'sk_live_under_a_0001'),
      'sk_live_under_a_0001',
    );
    await stopServer(onA);

    // 2. Deployed with B and A as the previous key: it starts, and warns that rotation is due.
    const deployed = startServer({ AIHIO_MASTER_KEY: b, AIHIO_MASTER_KEY_PREVIOUS: a });
    const url = await listening(deployed);
    expect(deployed.output()).toMatch(
      /"level":40,.*"previousMasterKeyId":"mk_[0-9a-f]{16}".*still wrapped under AIHIO_MASTER_KEY_PREVIOUS: run `rotate-keys --master`/,
    );
    expect(deployed.output()).toContain(`"previousMasterKeyId":"${masterKeyId(keyA)}"`);

    // 3. The rotation runs while that server serves; the server keeps sealing afterwards.
    const printed = await rotateMaster({ AIHIO_MASTER_KEY: b, AIHIO_MASTER_KEY_PREVIOUS: a });
    expect(printed).toContain('re-wrapped: 1');
    expect(printed).toContain('AIHIO_MASTER_KEY_PREVIOUS can now be removed');
    secrets.set(
      await actionWithCredential(url, 'sealed_after_rotation', 'sk_live_after_rot_0002'),
      'sk_live_after_rot_0002',
    );
    await stopServer(deployed);

    // 4. Restarted with both keys still set: no warning, a note that the previous key can go.
    const stillBoth = startServer({ AIHIO_MASTER_KEY: b, AIHIO_MASTER_KEY_PREVIOUS: a });
    await listening(stillBoth);
    expect(stillBoth.output()).not.toContain('still wrapped under');
    expect(stillBoth.output()).toContain('no data key is wrapped under AIHIO_MASTER_KEY_PREVIOUS any more');
    await stopServer(stillBoth);

    // 5. Previous key removed: B alone starts, without a word about rotation.
    const onB = startServer({ AIHIO_MASTER_KEY: b });
    await listening(onB);
    expect(onB.output()).not.toContain('AIHIO_MASTER_KEY_PREVIOUS');
    await stopServer(onB);

    // Every secret opens under B alone.
    const store = await createStore({ sqlitePath: sqlitePathIn(dir) });
    try {
      const keyring = await loadKeyring(store, keyB);
      for (const [actionId, secret] of secrets) {
        const action = await store.getAction('demo', 'demo-chatbot', actionId);
        expect(await keyring.open(action!.credentialSealed!, credentialAad('demo', actionId))).toBe(secret);
      }
    } finally {
      await store.close();
    }

    // 6. A alone is refused with a message naming both key ids; so is B given as its own previous key.
    const onOldKey = startServer({ AIHIO_MASTER_KEY: a });
    expect(await onOldKey.ready).toEqual({ exitCode: 1 });
    expect(onOldKey.output()).toContain('aihio bff failed to start: The master key does not open data key');
    expect(onOldKey.output()).toContain(`wrapped under master key ${masterKeyId(keyB)}`);
    expect(onOldKey.output()).toContain(`is ${masterKeyId(keyA)}`);
    outputs.push(onOldKey.output());
    const sameTwice = startServer({
      AIHIO_MASTER_KEY: b,
      AIHIO_MASTER_KEY_PREVIOUS: keyB.toString('base64'),
    });
    expect(await sameTwice.ready).toEqual({ exitCode: 1 });
    expect(sameTwice.output()).toContain('AIHIO_MASTER_KEY_PREVIOUS must differ from AIHIO_MASTER_KEY');
    outputs.push(sameTwice.output());

    // No key and no secret in anything any process printed.
    const printedText = outputs.join('\n');
    for (const key of [keyA, keyB])
      for (const text of [key.toString('base64'), key.toString('base64url'), key.toString('hex')])
        expect(printedText).not.toContain(text);
    for (const secret of secrets.values()) expect(printedText).not.toContain(secret);
  });
});
