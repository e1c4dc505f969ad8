import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from './index';
import type { Store } from './types';

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('the embedded database on disk', () => {
  const cleanup: string[] = [];
  const stores: Store[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await Promise.all(cleanup.splice(0).map((path) => rm(path, { recursive: true, force: true })));
  });

  async function tempRoot(): Promise<string> {
    const root = await mkdtemp(join(tmpdir(), 'aihio-perm-'));
    cleanup.push(root);
    return root;
  }

  it('creates the data directory 0700 and the database, WAL and SHM files 0600', async () => {
    const dir = join(await tempRoot(), 'data');
    const store = await createStore({ sqlitePath: join(dir, 'aihio.db') });
    stores.push(store);
    await store.upsertWorkspace({ id: 'ws', name: 'Acme', plan: 'starter' });

    expect(await mode(dir)).toBe(0o700);
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(['aihio.db', 'aihio.db-shm', 'aihio.db-wal']);
    for (const file of files) expect([file, await mode(join(dir, file))]).toEqual([file, 0o600]);
  });

  it('tightens an existing data directory and database files that other users could read', async () => {
    const dir = join(await tempRoot(), 'data');
    await mkdir(dir);
    await chmod(dir, 0o755);
    const first = await createStore({ sqlitePath: join(dir, 'aihio.db') });
    await first.upsertWorkspace({ id: 'ws', name: 'Acme', plan: 'starter' });
    await first.close();
    // As an older version (or a umask of 022) would have left them.
    await chmod(dir, 0o755);
    for (const file of await readdir(dir)) await chmod(join(dir, file), 0o644);
    await writeFile(join(dir, 'unrelated.txt'), 'x', { mode: 0o644 });

    const store = await createStore({ sqlitePath: join(dir, 'aihio.db') });
    stores.push(store);
    expect(await store.getWorkspace('ws')).toMatchObject({ id: 'ws' });
    expect(await mode(dir)).toBe(0o700);
    for (const file of (await readdir(dir)).filter((name) => name.startsWith('aihio.db'))) {
      expect([file, await mode(join(dir, file))]).toEqual([file, 0o600]);
    }
  });
});
