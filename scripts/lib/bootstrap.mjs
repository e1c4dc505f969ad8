// Shared by `npm start` and `npm test`: a fresh machine has only Node and npm, so both commands
// bring pnpm (through corepack, falling back to npx), install the workspace and check the tools
// the chosen command needs. Every step says what it does, so a failure names its cause.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager;

// Nothing we run may call home (turbo, Storybook) and corepack here has no signature keys to check.
export const baseEnv = {
  ...process.env,
  COREPACK_INTEGRITY_KEYS: process.env.COREPACK_INTEGRITY_KEYS ?? '0',
  COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
  TURBO_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
  STORYBOOK_DISABLE_TELEMETRY: '1',
};

export function step(message) {
  console.log(`\n\u25b6 ${message}`);
}

export function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env: baseEnv, ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

export function must(cmd, args, options = {}) {
  const status = run(cmd, args, options);
  if (status !== 0) {
    console.error(`\n\u2716 ${cmd} ${args.join(' ')} exited with ${status}`);
    process.exit(status);
  }
}

function works(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, env: baseEnv, encoding: 'utf8' });
  return r.status === 0;
}

/** The command prefix that runs the pinned pnpm. */
export function pnpm() {
  if (works('corepack', ['pnpm', '--version'])) return ['corepack', 'pnpm'];
  if (works('pnpm', ['--version'])) return ['pnpm'];
  return ['npx', '-y', pinned ?? 'pnpm@10'];
}

/**
 * turbo runs package scripts through a `pnpm` it finds on PATH; without `corepack enable` (which
 * needs root and changes the machine) there is none, so put a small shim first on our PATH.
 */
function shimPnpm(prefix) {
  const dir = join(root, 'node_modules', '.aihio-bin');
  mkdirSync(dir, { recursive: true });
  const shim = join(dir, 'pnpm');
  const quoted = prefix.map((part) => `'${part}'`).join(' ');
  writeFileSync(shim, `#!/bin/sh\nexec ${quoted} "$@"\n`);
  chmodSync(shim, 0o755);
  baseEnv.PATH = `${dir}:${baseEnv.PATH ?? ''}`;
}

export function install() {
  const [cmd, ...pre] = pnpm();
  step(`Installing the workspace with ${pinned}`);
  const frozen = process.env.CI ? ['--frozen-lockfile'] : ['--prefer-offline'];
  must(cmd, [...pre, 'install', ...frozen]);
  shimPnpm([cmd, ...pre]);
  const pnpmMust = (...args) => must(cmd, [...pre, ...args]);
  /** Like the returned function, but gives the exit status back instead of exiting. */
  pnpmMust.status = (...args) => run(cmd, [...pre, ...args]);
  return pnpmMust;
}

export function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function commandExists(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
}

/** Chromium for the browser tests: Debian's package, never a browser a tool downloads itself. */
export function ensureChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    Boolean,
  );
  const found = candidates.find((p) => existsSync(p));
  if (found) return found;
  if (isRoot() && commandExists('apt-get')) {
    step('Installing Chromium from Debian packages (apt-get install chromium)');
    must('apt-get', ['update', '-qq']);
    must('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], {
      env: { ...baseEnv, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  }
  console.error(
    '\n\u2716 The browser tests need Chromium. Install it with `sudo apt-get install chromium` ' +
      '(or set CHROMIUM_PATH to a Chromium binary) and run the command again.',
  );
  process.exit(1);
}
