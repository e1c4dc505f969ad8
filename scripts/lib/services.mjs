// Long-running children of `npm start`: each in its own process group, its output prefixed with
// its name, and all of them stopped together — by Ctrl-C, by SIGTERM, or when one of them dies.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

const COLOURS = { sandbox: 35, bff: 36, demo: 32, seed: 33 };
const services = [];
let stopping = null;

function prefix(name) {
  const colour = COLOURS[name] ?? 37;
  return process.stdout.isTTY ? `\u001b[${colour}m${name.padEnd(7)}\u001b[0m│ ` : `${name.padEnd(7)}| `;
}

/**
 * Start a child. `ready` (optional) is a RegExp matched against each output line; the returned
 * promise `ready` resolves with the match. `exited` resolves with the exit code.
 */
export function startService(name, cmd, args, { cwd, env, ready } = {}) {
  // detached: its own process group, so the terminal's Ctrl-C reaches only us and we stop the
  // children in order, and so a kill of the group also ends grandchildren (esbuild, workers).
  const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let resolveReady;
  let rejectReady;
  const readyPromise = new Promise((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', (error) => {
      console.error(`${prefix(name)}could not start ${cmd}: ${error.message}`);
      resolve(127);
    });
  });
  exited.then((code) => rejectReady(new Error(`${name} exited with ${code} before it was ready`)));
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      const match = ready?.exec(line);
      if (match) resolveReady(match);
      // The machine-readable readiness line is for us, not for the reader.
      if (!line.startsWith('SANDBOX_READY ')) console.log(prefix(name) + line);
    });
  }
  if (!ready) resolveReady(null);
  const service = { name, child, ready: readyPromise, exited };
  services.push(service);
  return service;
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

export function isStopping() {
  return stopping !== null;
}

/** Stop every child (SIGTERM to its group, SIGKILL after a grace period), then exit. */
export function stopAll(exitCode = 0, graceMs = 8000) {
  if (stopping) return stopping;
  stopping = (async () => {
    const alive = services.filter((s) => s.child.exitCode === null && s.child.signalCode === null);
    for (const s of alive) signalGroup(s.child, 'SIGTERM');
    const timer = setTimeout(() => {
      for (const s of alive) signalGroup(s.child, 'SIGKILL');
    }, graceMs);
    await Promise.all(alive.map((s) => s.exited));
    clearTimeout(timer);
    // A group may outlive its leader (a grandchild that ignored SIGTERM): make sure it is gone.
    for (const s of services) signalGroup(s.child, 'SIGKILL');
    process.exit(exitCode);
  })();
  return stopping;
}

export function stopOnSignals() {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (!stopping) console.log(`\n\u25b6 Stopping (${signal})…`);
      stopAll(0);
    });
  }
}

/** The preferred port when it is free on 127.0.0.1, otherwise one the system picks. */
export function freePort(preferred) {
  const attempt = (port) =>
    new Promise((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(null));
      server.listen(port, '127.0.0.1', () => {
        const { port: bound } = server.address();
        server.close(() => resolve(bound));
      });
    });
  return attempt(preferred).then((port) => port ?? attempt(0));
}

/** Poll a URL until it answers 2xx, or fail after `timeoutMs`. */
export async function waitForHttp(url, { timeoutMs = 60_000, service } = {}) {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  service?.exited.then(() => {
    dead = true;
  });
  while (Date.now() < deadline && !dead) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(dead ? `${service.name} exited before ${url} answered` : `${url} did not answer in time`);
}
