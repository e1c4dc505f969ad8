import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The real process: `node --conditions=@aihio/source --import tsx src/main.ts`, as `npm start` runs it. */

const MAIN = path.join(import.meta.dirname, 'main.ts');
const KEY = Buffer.alloc(32, 9).toString('base64');
let dir: string;
/** Every child started, so none outlives the suite even when a test times out. */
const children = new Set<ChildProcess>();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'aihio-main-'));
});
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

function start(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--conditions=@aihio/source', '--import', 'tsx', MAIN], {
    cwd: path.dirname(import.meta.dirname),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      AIHIO_DATA_DIR: dir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { child, output: () => text };
}

async function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

const SECRET = 'rTiHfD8+lsMzBchYeCw2UJ9QhV5CuzPt-main-test';

// Every refusal rule is covered by config.test.ts; here the process itself exits 1 with the message.
describe.concurrent('production refuses insecure starts', () => {
  it.each([
    [{ AIHIO_AUTH_MODE: 'dev', AIHIO_MASTER_KEY: KEY }, 'AIHIO_AUTH_MODE=dev'],
    [{ AIHIO_JWT_SECRET: SECRET }, 'AIHIO_MASTER_KEY is required'],
    [
      {
        AIHIO_JWT_SECRET: SECRET,
        AIHIO_MASTER_KEY: KEY,
        AIHIO_DEV_HOST_MAP: 'sandbox.aihio.test=127.0.0.1:8443',
      },
      'AIHIO_DEV_HOST_MAP sends',
    ],
  ])('%j', { timeout: 60_000 }, async (env, message) => {
    const { child, output } = start({ NODE_ENV: 'production', ...env });
    expect(await exitOf(child)).toBe(1);
    expect(output()).toContain(message);
  });

  // Secure by default: a start that never set NODE_ENV gets production's refusals, not dev auth.
  it.each([
    [{}, 'NODE_ENV is unset'],
    [{ AIHIO_AUTH_MODE: 'dev' }, 'AIHIO_ALLOW_INSECURE=dev-auth'],
    [{ AIHIO_JWT_SECRET: SECRET }, 'AIHIO_MASTER_KEY is required when NODE_ENV is unset'],
  ])('NODE_ENV unset: %j', { timeout: 60_000 }, async (env, message) => {
    const { child, output } = start(env);
    expect(await exitOf(child)).toBe(1);
    expect(output()).toContain(message);
  });
});

describe('development start', () => {
  it('seeds the demo workspace, serves it with dev auth, and stops gracefully on SIGTERM', {
    timeout: 90_000,
  }, async () => {
    const { child, output } = start({
      NODE_ENV: 'development',
      AIHIO_AUTH_MODE: 'dev',
      AIHIO_CORS_ORIGINS: 'http://127.0.0.1:5173',
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line:\n${output()}`)), 60_000);
        child.stdout?.on('data', () => {
          const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output());
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
      });
      const me = await (await fetch(`${url}/api/v1/me`)).json();
      expect(me).toEqual({
        user: { id: 'demo-user', name: 'Demo user' },
        workspace: { id: 'demo', name: 'Demo workspace', plan: 'starter' },
        role: 'admin',
      });
      const chatbots = await (await fetch(`${url}/api/v1/chatbots`)).json();
      expect(chatbots).toEqual({
        chatbots: [{ id: 'demo-chatbot', name: 'Demo chatbot', identitySecret: null }],
        nextCursor: null,
      });
      // The development master key file is created beside the database, owner-only.
      expect((await stat(path.join(dir, 'master.key'))).mode & 0o777).toBe(0o600);
      expect((await stat(path.join(dir, 'aihio.db'))).isFile()).toBe(true);
      // What production would refuse is accepted here only because the start said development, and said out loud.
      const accepted = output()
        .split('\n')
        .filter((line) => line.includes('accepted only because this is not a production start'));
      expect(accepted.map((line) => JSON.parse(line).refusal)).toEqual([
        expect.stringContaining('AIHIO_AUTH_MODE=dev'),
        expect.stringContaining('AIHIO_MASTER_KEY is required'),
        expect.stringContaining('AIHIO_CORS_ORIGINS has plain http://'),
      ]);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exitOf(child)).toBe(0);
    expect(output()).toContain('"msg":"stopped"');
  });
});
