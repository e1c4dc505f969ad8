import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import pg from 'pg';

/**
 * Real BFF processes, started the way `npm start` starts one (`node --conditions=@aihio/source
 * --import tsx src/main.ts`), each on a random loopback port, and a throwaway PostgreSQL database
 * for them to share.
 */

const MAIN = path.join(import.meta.dirname, '..', '..', 'src', 'main.ts');

export interface BffProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM, then wait for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/** How `npm start` runs the BFF in development: from source through tsx. */
export const FROM_SOURCE = ['--conditions=@aihio/source', '--import', 'tsx', MAIN];

export async function startBffProcess(
  env: Record<string, string>,
  timeoutMs = 60_000,
  nodeArgs: string[] = FROM_SOURCE,
): Promise<BffProcess> {
  const child = spawn(process.execPath, nodeArgs, {
    cwd: path.join(import.meta.dirname, '..', '..'),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const exited = once(child, 'exit');
  const stop = async (graceMs = 10_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the BFF did not start in ${timeoutMs} ms:\n${text}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the BFF exited with ${code} before listening:\n${text}`));
    });
  }).catch(async (error: unknown) => {
    await stop(1_000);
    throw error;
  });
  return { url, child, output: () => text, stop };
}

/** A new, empty database on the server of `baseUrl`, and a way to drop it. */
export async function createTestDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `aihio_load_${randomBytes(6).toString('hex')}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await admin(`create database "${name}"`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(`drop database if exists "${name}" with (force)`),
  };
}
