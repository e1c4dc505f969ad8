import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { routePath } from '@aihio/actions-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEV_SEED } from '../auth/dev-seed';
import { createStore } from './index';
import { actionDefinition } from './testing/store-suite';

/** Each write is an fsync (synchronous=FULL), so this is a fraction of a second of streaming. */
const KILL_AFTER_ACKS = 40;
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function startWriter(sqlitePath: string, count?: number, wait = false): ChildProcess {
  return spawn(
    process.execPath,
    [
      '--conditions=@aihio/source',
      '--import',
      'tsx',
      'src/store/testing/ack-writer.ts',
      sqlitePath,
      count === undefined ? '-' : String(count),
      ...(wait ? ['--wait'] : []),
    ],
    { cwd: packageDir, stdio: [wait ? 'pipe' : 'ignore', 'pipe', 'pipe'] },
  );
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  // It may have exited already, and 'exit' is emitted once.
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'aihio-durability-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('durability on SQLite', () => {
  it('keeps every acknowledged write when the process is killed mid-stream', {
    timeout: 20_000,
  }, async () => {
    const sqlitePath = join(directory, 'aihio.db');
    const child = startWriter(sqlitePath);
    const exit = exited(child);
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const acked: string[] = [];
    const lines = createInterface({ input: child.stdout! });
    const drained = new Promise<void>((resolve) => lines.once('close', resolve));
    await new Promise<void>((resolve, reject) => {
      child.once('exit', () => reject(new Error(`writer exited early: ${stderr}`)));
      lines.on('line', (line) => {
        const match = /^ack (\S+)$/.exec(line);
        if (match) acked.push(match[1]!);
        // Kill while writes are still streaming, at an arbitrary point.
        if (acked.length === KILL_AFTER_ACKS) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    expect((await exit).signal).toBe('SIGKILL');
    // Lines already in the pipe when the kill landed are acknowledgements too.
    await drained;

    const store = await createStore({ sqlitePath });
    try {
      const stored = new Set((await store.listActions('ws_durability', 'bot_durability')).map((a) => a.id));
      expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
      const lost = acked.filter((id) => !stored.has(id));
      expect(lost).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('lets two processes migrate and write one fresh file at the same time', {
    timeout: 20_000,
  }, async () => {
    const sqlitePath = join(directory, 'aihio.db');
    const writers = [startWriter(sqlitePath, 10, true), startWriter(sqlitePath, 10, true)];
    const outputs = writers.map((child) => {
      let text = '';
      child.stdout?.on('data', (chunk) => {
        text += String(chunk);
      });
      child.stderr?.on('data', (chunk) => {
        text += String(chunk);
      });
      return () => text;
    });
    const results = Promise.all(writers.map(exited));
    // Both loaded and waiting: release them together, so their migrations overlap.
    await Promise.all(
      writers.map(
        (child) =>
          new Promise<void>((resolve) => {
            const lines = createInterface({ input: child.stdout! });
            lines.once('line', () => resolve());
          }),
      ),
    );
    for (const child of writers) child.stdin?.end('go\n');
    expect(
      (await results).map((r) => r.code),
      outputs.map((o) => o()).join('\n'),
    ).toEqual([0, 0]);

    const store = await createStore({ sqlitePath });
    try {
      expect(await store.listActions('ws_durability', 'bot_durability')).toHaveLength(20);
    } finally {
      await store.close();
    }
  });

  it('keeps every write the HTTP server acknowledged when the server is killed mid-stream', {
    timeout: 120_000,
  }, async () => {
    const actionsUrl = (base: string) => `${base}${routePath('actions', { chatbotId: DEV_SEED.chatbot.id })}`;
    const first = startServer(directory);
    const acked: string[] = [];
    try {
      const base = await first.url;
      // Several writers at once, so requests are in flight when the kill lands.
      let killed = false;
      const unexpected: string[] = [];
      const writer = async (w: number) => {
        for (let i = 0; !killed; i += 1) {
          try {
            const response = await fetch(actionsUrl(base), {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(actionDefinition(`acked_${w}_${i}`)),
            });
            const body = (await response.json()) as { id?: string };
            if (response.status !== 201 || !body.id) {
              unexpected.push(`${response.status} ${JSON.stringify(body)}`);
              return;
            }
            acked.push(body.id);
          } catch {
            return; // the kill landed during this request: not acknowledged
          }
          if (acked.length >= KILL_AFTER_ACKS && !killed) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        }
      };
      await Promise.all([0, 1, 2, 3].map(writer));
      expect(unexpected).toEqual([]);
      expect((await exited(first.child)).signal).toBe('SIGKILL');
    } finally {
      first.child.kill('SIGKILL');
    }

    // What a restarted server would read: the database file as the kill left it.
    const store = await createStore({ sqlitePath: join(directory, 'aihio.db') });
    try {
      const stored = new Set(
        (await store.listActions(DEV_SEED.workspace.id, DEV_SEED.chatbot.id)).map((a) => a.id),
      );
      expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
      expect(acked.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

/** The real server process, as `npm start` runs it, in development mode on a loopback port. */
function startServer(dataDir: string): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, ['--conditions=@aihio/source', '--import', 'tsx', 'src/main.ts'], {
    cwd: packageDir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'development',
      AIHIO_AUTH_MODE: 'dev',
      PORT: '0',
      AIHIO_DATA_DIR: dataDir,
      AIHIO_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', () => reject(new Error(`server exited before listening:\n${output}`)));
  });
  return { child, url };
}
