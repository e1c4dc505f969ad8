// The PostgreSQL store suites read DATABASE_URL. When it is set but the server is down and we are
// root on a machine with Debian's cluster tools, start the cluster rather than fail obscurely.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { commandExists, isRoot, step } from './bootstrap.mjs';

function reachable(url) {
  if (!commandExists('pg_isready')) return true; // nothing to probe with; the suites will say
  const u = new URL(url);
  const r = spawnSync('pg_isready', ['-h', u.hostname || '127.0.0.1', '-p', u.port || '5432', '-t', '3']);
  return r.status === 0;
}

export function ensurePostgres() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.log(
      '\n\u2139 DATABASE_URL is not set: the PostgreSQL store suites are not run (SQLite always is).',
    );
    return;
  }
  if (reachable(url)) return;
  if (isRoot() && commandExists('pg_ctlcluster') && existsSync('/etc/postgresql')) {
    const [version] = readdirSync('/etc/postgresql');
    step(`Starting PostgreSQL ${version}`);
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
    for (let i = 0; i < 30 && !reachable(url); i++) spawnSync('sleep', ['1']);
  }
  if (!reachable(url)) {
    console.error(`\n\u2716 DATABASE_URL is set but PostgreSQL does not answer at ${new URL(url).host}.`);
    process.exit(1);
  }
}
