import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import react from '@vitejs/plugin-react';
import { chromium } from 'playwright-core';
import { build, type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumArgs } from '../vitest.config';

/**
 * The kit as a product team installs it: core and ui built (`build`: ESM + .d.ts + styles.css) and
 * packed (`pnpm pack`, which turns `workspace:*` into the version), installed with the machine's
 * npm into a fresh Vite app on React 18.3 and on React 19, built with Vite, and rendered in
 * Chromium. Registry packages come from npm's cache when it has them (`--prefer-offline`).
 */

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const uiDir = path.resolve(here, '..');
const coreDir = path.resolve(uiDir, '../actions-core');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const APP_MAIN = `import { ActionEditor, ActionsProvider, Button } from '@aihio/actions-ui';
import '@aihio/actions-ui/styles.css';
import { version } from 'react';
import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('root')).render(
  <ActionsProvider baseUrl="" theme="light">
    <p id="react-version">{version}</p>
    <div className="aihio-root" data-theme="light">
      <Button variant="primary">Kit button</Button>
    </div>
    <ActionEditor onSubmit={() => undefined} guardUnload={false} />
  </ActionsProvider>,
);
`;

const APP_HTML = `<!doctype html>
<html lang="en"><head><meta charset="UTF-8" /><title>pack check</title><link rel="icon" href="data:," /></head>
<body><div id="root"></div><script type="module" src="/src/main.jsx"></script></body></html>
`;

let work: string;
let tarballs: { core: string; ui: string };
/** The two apps, installed at once (npm mostly waits on the disk and the network). */
let apps: Promise<Record<'18' | '19', string>>;
const servers: PreviewServer[] = [];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'aihio-pack-'));
  // Both builds at once: the kit's types resolve core's from its source (the tsconfig condition).
  await Promise.all([
    run('pnpm', ['run', 'build'], { cwd: coreDir }),
    run('pnpm', ['run', 'build'], { cwd: uiDir }),
  ]);
  for (const dir of [coreDir, uiDir]) {
    await run('pnpm', ['pack', '--pack-destination', work], { cwd: dir });
  }
  const files = await readdir(work);
  const find = (prefix: string) => path.join(work, files.find((f) => f.startsWith(prefix)) ?? 'missing');
  tarballs = { core: find('aihio-actions-core-'), ui: find('aihio-actions-ui-') };
  apps = Promise.all([viteApp('~18.3.1'), viteApp('^19.0.0')]).then(([r18, r19]) => ({
    '18': r18,
    '19': r19,
  }));
  // Surfaced by the tests that await it; never an unhandled rejection meanwhile.
  apps.catch(() => undefined);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  if (work) await rm(work, { recursive: true, force: true });
});

async function viteApp(reactRange: string): Promise<string> {
  const dir = path.join(work, `app-react-${reactRange.replace(/\W/g, '')}`);
  await mkdir(path.join(dir, 'src'), { recursive: true });
  const core = `file:${tarballs.core}`;
  await writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({
      name: 'aihio-pack-check',
      private: true,
      type: 'module',
      dependencies: {
        '@aihio/actions-core': core,
        '@aihio/actions-ui': `file:${tarballs.ui}`,
        '@tanstack/react-query': '^5.90.0',
        react: reactRange,
        'react-dom': reactRange,
      },
      // The kit's packed manifest asks for core by version; this install has it as a tarball.
      overrides: { '@aihio/actions-core': core },
    }),
  );
  await writeFile(path.join(dir, 'index.html'), APP_HTML);
  await writeFile(path.join(dir, 'src/main.jsx'), APP_MAIN);
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    maxBuffer: 16 * 1024 * 1024,
  });
  return dir;
}

describe('the packed kit in a fresh Vite app', () => {
  test('the tarball carries ESM, .d.ts, the stylesheet and "use client"', async () => {
    const listing = (await run('tar', ['-tzf', tarballs.ui])).stdout.split('\n');
    expect(listing).toEqual(
      expect.arrayContaining(['package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/styles.css']),
    );
    expect(listing.some((file) => file.startsWith('package/src/'))).toBe(false);
    const manifest = JSON.parse((await run('tar', ['-xzOf', tarballs.ui, 'package/package.json'])).stdout);
    expect(manifest.dependencies['@aihio/actions-core']).toBe(manifest.version);
    expect(manifest.peerDependencies.react).toBe('^18.3.0 || ^19.0.0');
    const js = (await run('tar', ['-xzOf', tarballs.ui, 'package/dist/index.js'])).stdout;
    expect(js.startsWith('"use client";')).toBe(true);
    const dts = (await run('tar', ['-xzOf', tarballs.ui, 'package/dist/index.d.ts'])).stdout;
    expect(dts).toMatch(/export \{[^}]*\bActionEditor\b/);
  });

  for (const major of ['18', '19'] as const) {
    test(`React ${major}: installs, builds with Vite and renders the editor in Chromium`, async () => {
      const dir = (await apps)[major];
      const installed = JSON.parse(await readFile(path.join(dir, 'node_modules/react/package.json'), 'utf8'));
      expect(installed.version.split('.')[0]).toBe(major);
      expect(existsSync(path.join(dir, 'node_modules/@aihio/actions-ui/dist/index.d.ts'))).toBe(true);

      const warnings: string[] = [];
      // Vitest runs with NODE_ENV=test; the app is built as it ships (production JSX runtime).
      const nodeEnv = process.env.NODE_ENV;
      process.env.NODE_ENV = 'production';
      await build({
        mode: 'production',
        root: dir,
        configFile: false,
        logLevel: 'silent',
        plugins: [react()],
        build: {
          outDir: path.join(dir, 'dist'),
          rollupOptions: { onwarn: (warning) => warnings.push(warning.message) },
        },
      }).finally(() => {
        process.env.NODE_ENV = nodeEnv;
      });
      // No "module level directive was ignored" or other bundling complaint about the kit (zod's
      // own comments and cycles are zod's).
      expect(warnings.filter((message) => /@aihio|directive/i.test(message))).toEqual([]);

      const server = await preview({
        root: dir,
        configFile: false,
        logLevel: 'silent',
        build: { outDir: path.join(dir, 'dist') },
        preview: { host: '127.0.0.1', port: 0, strictPort: false },
      });
      servers.push(server);
      const port = (server.httpServer.address() as AddressInfo).port;
      const browser = await chromium.launch({ executablePath, args: chromiumArgs });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text());
        });
        await page.goto(`http://127.0.0.1:${port}/`);
        await page.getByLabel('Identifier').waitFor();
        expect(await page.locator('#react-version').textContent()).toMatch(new RegExp(`^${major}\\.`));
        expect(await page.getByRole('radio', { name: 'Bearer token' }).count()).toBe(1);
        // The stylesheet applies: the kit's primary button has its token colour, not the UA's.
        const background = await page
          .getByRole('button', { name: 'Kit button' })
          .evaluate((el) => getComputedStyle(el).backgroundColor);
        expect(background).toBe('rgb(29, 78, 216)');
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    });
  }
});
