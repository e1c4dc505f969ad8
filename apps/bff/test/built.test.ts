import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBffProcess } from './load/processes';

// Production runs the built bundle (`pnpm --filter @aihio/bff build`, then `node dist/main.js`):
// no tsx, no TypeScript and no source export condition at run time.
const bffDir = path.join(import.meta.dirname, '..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'aihio-built-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the built BFF', () => {
  it('builds to dist/main.js and serves a production start from it', async () => {
    const build = spawnSync(
      process.execPath,
      [path.join(bffDir, 'node_modules', 'tsup', 'dist', 'cli-default.js')],
      {
        cwd: bffDir,
        encoding: 'utf8',
      },
    );
    expect(build.status, build.stderr).toBe(0);
    const main = path.join(bffDir, 'dist', 'main.js');
    expect(existsSync(main)).toBe(true);
    // Nothing in the bundle reaches for TypeScript or the source condition.
    const bundle = readFileSync(main, 'utf8');
    expect(bundle).not.toMatch(/from ['"]tsx|\.ts['"]/u);

    const bff = await startBffProcess(
      {
        NODE_ENV: 'production',
        AIHIO_DATA_DIR: dataDir,
        AIHIO_MASTER_KEY: randomBytes(32).toString('base64'),
        AIHIO_JWT_SECRET: randomBytes(32).toString('hex'),
      },
      60_000,
      ['--enable-source-maps', main],
    );
    try {
      const ready = await fetch(`${bff.url}/readyz`);
      expect(ready.status).toBe(200);
      const spec = await fetch(`${bff.url}/openapi.json`);
      expect(spec.status).toBe(200);
      // A production start is still secure: no dev auth, so the dashboard API wants a token.
      const list = await fetch(`${bff.url}/api/v1/chatbots`);
      expect(list.status).toBe(401);
    } finally {
      await bff.stop();
    }
  }, 120_000);
});
