import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createServer as createViteServer, type ViteDevServer } from 'vite';
import { SANDBOX_ORIGIN } from '../dev/examples';
import { type Sandbox, startSandbox } from '../sandbox/server';

/**
 * The whole product for one end-to-end file, on loopback only: the sandbox upstream, the real
 * BFF (its own start command, development auth, a fresh SQLite directory), the demo on a Vite
 * server, and Chromium. Everything is started by the test and stopped by `stop()`.
 */

const demoDir = resolve(import.meta.dirname, '..');
const bffDir = resolve(demoDir, '../bff');
export const screenshotDir = join(demoDir, 'test-output', 'screenshots');

export interface Stack {
  sandbox: Sandbox;
  /** Where the seeded and test-made actions send the sandbox's calls. */
  sandboxOrigin: string;
  bffUrl: string;
  /** Empty when started with `{ ui: false }`. */
  demoUrl: string;
  /** Throws when started with `{ ui: false }`. */
  browser: Browser;
  /** Everything the BFF wrote to stdout/stderr, for assertions that no secret is logged. */
  bffOutput: () => string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the BFF exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${output()}`);
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // The browser may talk to the demo on loopback and nothing else.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

export async function startStack(options: { ui?: boolean } = {}): Promise<Stack> {
  const ui = options.ui ?? true;
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch {
        // Keep stopping the rest.
      }
    }
  };
  try {
    const dataDir = mkdtempSync(join(tmpdir(), 'aihio-demo-e2e-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));

    // Actions may only name port 443 (core's url_port rule), so they call
    // https://sandbox.aihio.test, and the BFF's development host map sends that name to the
    // sandbox on a free port of 127.0.0.1 (its certificate names sandbox.aihio.test). No root needed.
    const sandbox = await startSandbox();
    cleanups.push(() => sandbox.close());
    const caFile = join(dataDir, 'sandbox-ca.pem');
    writeFileSync(caFile, sandbox.caCert);
    const sandboxOrigin = SANDBOX_ORIGIN;

    const bffPort = await freePort();
    const bffUrl = `http://127.0.0.1:${bffPort}`;
    let output = '';
    const bff = spawn(process.execPath, ['--conditions=@aihio/source', '--import', 'tsx', 'src/main.ts'], {
      cwd: bffDir,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: String(bffPort),
        AIHIO_DATA_DIR: join(dataDir, 'bff'),
        AIHIO_AUTH_MODE: 'dev',
        AIHIO_LOG_LEVEL: 'info',
        AIHIO_DEV_HOST_MAP: sandbox.hostMapEntry,
        // Egress trusts Node's default store, which this extends with the sandbox's throwaway CA.
        NODE_EXTRA_CA_CERTS: caFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    bff.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    bff.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    const exited = new Promise<void>((r) => bff.once('exit', () => r()));
    cleanups.push(async () => {
      if (bff.exitCode === null) {
        bff.kill('SIGTERM');
        const killer = setTimeout(() => bff.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(killer);
      }
    });
    await waitForHttp(`${bffUrl}/readyz`, bff, () => output);

    if (!ui) {
      const noBrowser = new Proxy({} as Browser, {
        get: () => {
          throw new Error('this stack was started without the UI');
        },
      });
      return {
        sandbox,
        sandboxOrigin,
        bffUrl,
        demoUrl: '',
        browser: noBrowser,
        bffOutput: () => output,
        stop,
      };
    }

    process.env.AIHIO_BFF_URL = bffUrl;
    const vite: ViteDevServer = await createViteServer({
      root: demoDir,
      configFile: join(demoDir, 'vite.config.ts'),
      logLevel: 'warn',
      clearScreen: false,
      server: { port: await freePort(), strictPort: true, host: '127.0.0.1', hmr: false, watch: null },
      // Pre-bundle the workspace packages as an installed kit would be: a reload then loads a few
      // modules instead of hundreds of source files (seconds per navigation on a busy machine).
      optimizeDeps: { include: ['@aihio/actions-ui', '@aihio/actions-core'] },
      // Its own optimizer cache: a running `npm start` keeps using node_modules/.vite undisturbed.
      cacheDir: join(demoDir, 'node_modules', '.vite-e2e'),
    });
    cleanups.push(() => vite.close());
    await vite.listen();
    const demoUrl = vite.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? '';
    if (!demoUrl) throw new Error('the demo server has no local URL');

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    cleanups.push(() => browser.close());

    mkdirSync(screenshotDir, { recursive: true });
    return { sandbox, sandboxOrigin, bffUrl, demoUrl, browser, bffOutput: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A page at a viewport size, failing the test on any uncaught page error. */
export async function openPage(
  stack: Stack,
  width = 1280,
  height = 800,
): Promise<{ page: Page; errors: string[] }> {
  const context = await stack.browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.setDefaultTimeout(15_000);
  return { page, errors };
}
