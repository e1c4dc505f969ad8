#!/usr/bin/env node
// `npm test`: set up and run every test — lint, dependency rules, typecheck, then each package's
// tests (unit, real HTTPS on loopback, SQLite and PostgreSQL stores, browser tests in Chromium).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { baseEnv, ensureChromium, install, root, step } from './lib/bootstrap.mjs';
import { ensurePostgres } from './lib/postgres.mjs';

const pnpm = install();
baseEnv.CHROMIUM_PATH = ensureChromium();
ensurePostgres();

// Each package's vitest writes a JSON report here; the sum is the closing line.
const packageDirs = [
  ...['packages', 'apps'].flatMap((dir) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => join(root, dir, entry.name))
      : [],
  ),
  join(root, 'bench'),
];
const outputs = packageDirs.map((dir) => join(dir, 'test-output', 'vitest.json'));
for (const file of outputs) rmSync(file, { force: true });

step('Lint, format and dependency direction (biome)');
pnpm('exec', 'biome', 'check', '.');
step('Typecheck every package');
pnpm('exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only');
step('Tests');
// One package at a time: the browser and timing-bound suites share two cores.
// --continue: a failing package must not hide the results of the others.
const testStatus = pnpm.status('exec', 'turbo', 'run', 'test', '--concurrency=1', '--continue');

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of outputs) {
  if (!existsSync(file)) continue;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
// A package that crashed before writing its report counts through turbo's status.
process.exit(testStatus !== 0 || failed > 0 || passed === 0 ? 1 : 0);
