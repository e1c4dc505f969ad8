import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig, type Plugin } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

/** Debian's Chromium (nothing here downloads a browser). `npm test` sets CHROMIUM_PATH. */
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  throw new Error(`Chromium not found at ${executablePath}: apt-get install chromium, or set CHROMIUM_PATH.`);
}

/** Shared with bench/ui: flags that make Chromium run as root in a sandboxed CI and stay offline. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

// The Storybook plugin roots its project at the repo root (the parent of .storybook), where this
// package's dependencies are not installed, and names its setup files by bare specifiers that would
// be resolved from there. Resolve them from this package instead.
const requireHere = createRequire(import.meta.url);
const storybookSetupPrefix = '@storybook/addon-vitest/internal/';
const resolveSetupFile = (file: unknown) =>
  typeof file === 'string' && file.startsWith(storybookSetupPrefix) ? requireHere.resolve(file) : file;
function storybookSetupFilesFromHere(): Plugin {
  return {
    name: 'aihio:storybook-setup-files',
    enforce: 'post',
    config(config) {
      // Root the project here (the plugin roots it at .storybook's parent), so dependency
      // pre-bundling resolves this package's dependencies and never reloads a running test.
      const fromRepoRoot = config.root ?? repoRoot;
      config.root = here;
      if (config.test?.include) {
        config.test.include = config.test.include.map((glob) =>
          path.relative(here, path.resolve(fromRepoRoot, glob)),
        );
      }
      const files = config.test?.setupFiles;
      if (config.test && files) {
        config.test.setupFiles = (Array.isArray(files) ? files : [files]).map(resolveSetupFile) as string[];
      }
    },
    configureVitest({ vitest, project }) {
      for (const target of [vitest.config, project.config]) {
        target.setupFiles = target.setupFiles.map(resolveSetupFile) as string[];
      }
    },
  };
}

const browser = (name: string) => ({
  enabled: true,
  headless: true,
  provider: playwright({ launchOptions: { executablePath, args: chromiumArgs } }),
  instances: [{ browser: 'chromium' as const, name }],
  // Vitest's own browser server is the only thing the page talks to.
  api: { host: '127.0.0.1' },
});

export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['@aihio/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@aihio/source', ...defaultServerConditions] } },
  server: { host: '127.0.0.1', fs: { allow: [repoRoot] } },
  optimizeDeps: {
    include: [
      'react',
      'react-dom',
      'react-dom/client',
      'react/jsx-dev-runtime',
      '@tanstack/react-query',
      'react-hook-form',
      '@hookform/resolvers/zod',
      '@radix-ui/react-checkbox',
      '@radix-ui/react-dialog',
      '@radix-ui/react-radio-group',
      '@radix-ui/react-select',
      '@radix-ui/react-slot',
      '@radix-ui/react-switch',
      '@radix-ui/react-toast',
      'zod',
      'axe-core',
      'vitest-browser-react',
    ],
  },
  test: {
    projects: [
      {
        extends: true,
        plugins: [
          storybookTest({ configDir: path.join(repoRoot, '.storybook') }),
          storybookSetupFilesFromHere(),
        ],
        test: { name: 'storybook', browser: browser('storybook (chromium)') },
      },
      {
        // The packed tarball installed into fresh Vite apps (React 18 and 19): Node drives npm,
        // Vite and Chromium itself. The bounds are for work (two builds with .d.ts, two installs,
        // two Vite builds), not for waiting: about 2 min on an idle machine, 5 on a shared one.
        test: {
          name: 'pack',
          include: ['e2e/pack.test.ts'],
          environment: 'node',
          testTimeout: 240_000,
          hookTimeout: 420_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['src/**/*.test.tsx', 'src/**/*.test.ts'],
          browser: browser('components (chromium)'),
        },
      },
    ],
  },
});
