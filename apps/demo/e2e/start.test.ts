import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  actionDefinitionSchema,
  actionListResponseSchema,
  routePath,
  testResultSchema,
} from '@aihio/actions-core';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm start` (scripts/start.mjs) as a reader uses it: it prints the URL to open, the dashboard
 * answers there with the example actions seeded through the BFF, and one Ctrl-C (SIGINT to the
 * terminal's foreground group) stops the BFF, the sandbox and the demo server, and itself. Nothing
 * in it needs root: the sandbox takes a free unprivileged port, which the BFF's development host
 * map puts behind https://sandbox.aihio.test.
 */

const root = resolve(import.meta.dirname, '../../..');
const dataDir = mkdtempSync(join(tmpdir(), 'aihio-start-'));
let child: ChildProcess | null = null;
let output = '';

afterAll(async () => {
  // Only if the test failed half-way. SIGINT first: start.mjs stops its children (each in its own
  // process group) and exits; SIGKILL to its group would orphan them.
  if (child?.pid && child.exitCode === null) {
    const exited = new Promise((r) => child?.once('exit', r));
    process.kill(-child.pid, 'SIGINT');
    const timer = setTimeout(() => child?.pid && process.kill(-child.pid, 'SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dataDir, { recursive: true, force: true });
});

function waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolveMatch, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const check = () => {
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        child?.stdout?.off('data', check);
        resolveMatch(match);
      }
    };
    child?.stdout?.on('data', check);
    child?.once('exit', () => reject(new Error(`start.mjs exited early:\n${output}`)));
    check();
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolveOpen) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolveOpen(true);
    });
    socket.once('error', () => resolveOpen(false));
  });
}

describe('npm start', () => {
  it('starts BFF, sandbox and demo, prints the URL, and one Ctrl-C stops them all', async () => {
    child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: root,
      // Its own process group, as a terminal's foreground job.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        // The embedded SQLite default, whatever database the surrounding test run points at.
        DATABASE_URL: '',
        AIHIO_START_SKIP_INSTALL: '1',
        AIHIO_DATA_DIR: dataDir,
        AIHIO_BFF_PORT: '0',
        AIHIO_DEMO_PORT: '0',
      },
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });

    const [, sandboxPort] = await waitFor(
      /Starting the sandbox upstream \(https:\/\/sandbox\.aihio\.test\) on 127\.0\.0\.1:(\d+)/,
      30_000,
    );
    expect(Number(sandboxPort)).toBeGreaterThanOrEqual(1024);
    const [, bffUrl] = await waitFor(/Starting the BFF on (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
    const [, demoUrl, path] = await waitFor(/Open {2}(http:\/\/127\.0\.0\.1:\d+)(\/\S+)/, 90_000);
    const page = await fetch(demoUrl! + path!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    // The demo proxies the BFF, and the examples were seeded through its API.
    const res = await fetch(demoUrl! + routePath('actions', { chatbotId: 'demo-chatbot' }));
    const { actions } = actionListResponseSchema.parse(await res.json());
    expect(actions.map((a) => a.identifier).sort()).toEqual(['create_ticket', 'lookup_order']);
    expect(actions.find((a) => a.identifier === 'create_ticket')?.credential?.last4).toHaveLength(4);
    const lookup = actions.find((a) => a.identifier === 'lookup_order')!;
    expect(lookup.url).toBe('https://sandbox.aihio.test/orders/{{order_number}}');
    // And they work: the test panel's call reaches the sandbox through the host map.
    const tested = await fetch(
      demoUrl! + routePath('actionTest', { chatbotId: 'demo-chatbot', actionId: lookup.id }),
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ values: { order_number: 'ORD-123' } }),
      },
    );
    expect(tested.status).toBe(200);
    expect(testResultSchema.parse(await tested.json())).toMatchObject({ ok: true, status: 200 });
    // While every loopback address stays blocked: the host map admits 127.0.0.1 for the sandbox's
    // name only, and there is no allowlist (the same draft at https://127.0.0.1/ is refused).
    const draftTest = (url: string) =>
      fetch(demoUrl! + routePath('testDraft', { chatbotId: 'demo-chatbot' }), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          action: { ...actionDefinitionSchema.parse(lookup), identifier: 'probe', url },
          values: { order_number: 'ORD-123' },
        }),
      }).then(async (res) => testResultSchema.parse(await res.json()));
    expect(await draftTest('https://sandbox.aihio.test/orders/{{order_number}}')).toMatchObject({
      ok: true,
      status: 200,
    });
    for (const url of [
      'https://127.0.0.1/orders/{{order_number}}',
      'https://[::1]/orders/{{order_number}}',
    ]) {
      expect(await draftTest(url)).toMatchObject({ ok: false, error: { code: 'blocked_destination' } });
    }

    const exited = new Promise<number | null>((r) => child?.once('exit', (code) => r(code)));
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    const ports = [bffUrl!, demoUrl!].map((url) => Number(new URL(url).port));
    expect(await Promise.all([...ports, Number(sandboxPort)].map(portOpen))).toEqual([false, false, false]);
    expect(output).toContain('Stopping (SIGINT)');
    expect(output).not.toMatch(/✖/);
  });
});
