// UI benchmark: keystroke-to-paint in an ActionEditor with 100 parameters, against a plain
// uncontrolled <input> on the same page (the baseline), in Debian's Chromium via playwright-core.
//
//   corepack pnpm --filter @aihio/bench ui          (KEYS=120 ROUNDS=3 CHROMIUM_PATH=/usr/bin/chromium)
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const KEYS = Number(process.env.KEYS ?? 120);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const here = path.dirname(fileURLToPath(import.meta.url));

/** The part of esbuild's API used here (esbuild comes with Vite; it is not a dependency of its own). */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles?: { text: string }[] }>;
}
// A production build (NODE_ENV) is what hosts ship.
const esbuild = createRequire(createRequire(import.meta.url).resolve('vite'))('esbuild') as Esbuild;

async function build(): Promise<{ js: string; css: string }> {
  const result = await esbuild.build({
    entryPoints: [path.join(here, 'page.tsx')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    write: false,
    conditions: ['@aihio/source'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  const js = result.outputFiles?.[0]?.text ?? '';
  const css = readFileSync(createRequire(import.meta.url).resolve('@aihio/actions-ui/styles.css'), 'utf8');
  return { js, css };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

const { js, css } = await build();
const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>UI bench</title>
<style>${css}</style></head><body><div id="root"></div><script type="module" src="/page.js"></script></body></html>`;
const server = createServer((req, res) => {
  if (req.url === '/page.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
  } else {
    res.writeHead(200, { 'content-type': 'text/html' }).end(html);
  }
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const { port } = server.address() as AddressInfo;

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
  ],
});

const targets: { name: string; selector: string }[] = [
  { name: 'baseline <input>', selector: '#baseline' },
  { name: 'parameter label (row 50 of 100)', selector: '[data-field="parameters.50.label"]' },
  { name: 'description', selector: '[data-field="description"]' },
  { name: 'URL (template input)', selector: 'input[data-field="url"]' },
];

try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForSelector('[data-field="parameters.99.label"]');
  const text = 'the quick brown fox jumps over the lazy dog ';
  // Rounds rotate the order so background load hits every target alike; the first round warms up.
  for (let round = 0; round <= ROUNDS; round += 1) {
    if (round === 1) await page.evaluate('window.__bench.reset()');
    const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
    for (const target of order) {
      await page.click(target.selector);
      await page.keyboard.press('End');
      await page.evaluate(`window.__bench.measure(${JSON.stringify(target.name)})`);
      const keys = round === 0 ? 20 : KEYS;
      for (let i = 0; i < keys; i += 1) {
        await page.keyboard.type(text[i % text.length]!);
        // Let the frame settle so keystrokes are measured one at a time.
        await page.evaluate('new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))');
      }
      await page.evaluate('window.__bench.measure(null)');
    }
  }
  const results = (await page.evaluate('window.__bench.results()')) as Record<string, number[]>;
  console.log(`UI keystroke latency, ${ROUNDS} rounds × ${KEYS} keys per target, editor with 100 parameters`);
  console.log(
    'work  = beforeinput → input handled, React committed, layout done (what must fit in a 16 ms frame)',
  );
  console.log('frame = beforeinput → after the next frame was painted (includes the wait for vsync)');
  let worstWork = 0;
  for (const metric of ['work', 'frame'] as const) {
    const base = results[`${targets[0]!.name}|${metric}`] ?? [];
    const baseP50 = percentile(base, 50);
    const baseP95 = percentile(base, 95);
    console.log(`\n${metric.padEnd(34)}  n     p50 ms   p95 ms   p50/base  p95/base`);
    for (const target of targets) {
      const values = results[`${target.name}|${metric}`] ?? [];
      const p50 = percentile(values, 50);
      const p95 = percentile(values, 95);
      if (metric === 'work' && target !== targets[0]) worstWork = Math.max(worstWork, p95);
      console.log(
        `${target.name.padEnd(34)} ${String(values.length).padStart(4)} ${p50.toFixed(2).padStart(8)} ${p95
          .toFixed(2)
          .padStart(
            8,
          )} ${(p50 / baseP50).toFixed(2).padStart(9)}× ${(p95 / baseP95).toFixed(2).padStart(8)}×`,
      );
    }
  }
  console.log(
    `\ntarget p95 < 16 ms (work) for every editor field: worst ${worstWork.toFixed(2)} ms — ${worstWork < 16 ? 'met' : 'NOT met'}`,
  );
} finally {
  await browser.close();
  server.close();
}
