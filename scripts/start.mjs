#!/usr/bin/env node
// `npm start`: set up, then run the BFF (development auth, embedded SQLite under ./data), the
// sandbox upstream the example actions call, and the demo dashboard, together. One Ctrl-C stops
// all three.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { baseEnv, install, root, step } from './lib/bootstrap.mjs';
import { freePort, isStopping, startService, stopAll, stopOnSignals, waitForHttp } from './lib/services.mjs';

// AIHIO_START_SKIP_INSTALL: for the test of this script, which runs from an installed tree.
if (!process.env.AIHIO_START_SKIP_INSTALL) install();
stopOnSignals();

const demoDir = join(root, 'apps', 'demo');
const bffDir = join(root, 'apps', 'bff');
const dataDir = resolve(process.env.AIHIO_DATA_DIR ?? join(root, 'data'));
const caFile = join(dataDir, 'sandbox', 'ca.pem');
mkdirSync(dataDir, { recursive: true });

// Workspace packages run from source, the same way their tests do.
const tsNode = [process.execPath, '--conditions=@aihio/source', '--import', 'tsx'];

// The host name the example actions call; the sandbox's certificate names it.
const sandboxHost = 'sandbox.aihio.test';

async function main() {
  // Actions may only call port 443 (a rule of the product), yet binding 443 needs root. So the
  // examples call https://sandbox.aihio.test/… (port 443 in the URL), the sandbox listens on a
  // free unprivileged port of 127.0.0.1, and the BFF's development-only AIHIO_DEV_HOST_MAP sends
  // that name there, checking the certificate for the name. The same for every user.
  const sandboxPort = await freePort(Number(process.env.AIHIO_SANDBOX_PORT ?? 0));
  const bffPort = await freePort(Number(process.env.AIHIO_BFF_PORT ?? 8787));
  const demoPort = await freePort(Number(process.env.AIHIO_DEMO_PORT ?? 5173));
  const bffUrl = `http://127.0.0.1:${bffPort}`;
  const demoUrl = `http://127.0.0.1:${demoPort}`;

  step(`Starting the sandbox upstream (https://${sandboxHost}) on 127.0.0.1:${sandboxPort}`);
  const sandbox = startService(
    'sandbox',
    tsNode[0],
    [...tsNode.slice(1), 'sandbox/main.ts', '--port', String(sandboxPort), '--ca-file', caFile],
    { cwd: demoDir, env: baseEnv, ready: /^SANDBOX_READY (.*)$/ },
  );
  // The sandbox reports the port it bound, which is what the BFF must dial.
  const [, readyJson] = await sandbox.ready;
  const { hostMap } = JSON.parse(readyJson);

  step(`Starting the BFF on ${bffUrl} (development auth, SQLite in ${dataDir})`);
  const bff = startService('bff', tsNode[0], [...tsNode.slice(1), 'src/main.ts'], {
    cwd: bffDir,
    env: {
      ...baseEnv,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(bffPort),
      AIHIO_DATA_DIR: dataDir,
      AIHIO_AUTH_MODE: 'dev',
      // Development only: https://sandbox.aihio.test goes to the sandbox's port on loopback (the
      // host map admits that address for that name only: no allowlist, so every loopback, private
      // and metadata address stays blocked, https://127.0.0.1/ included), trusting its throwaway
      // CA (egress uses Node's default trust store, which NODE_EXTRA_CA_CERTS extends). A
      // production config sets neither: the BFF refuses the host map there.
      AIHIO_DEV_HOST_MAP: hostMap,
      NODE_EXTRA_CA_CERTS: caFile,
    },
  });
  await waitForHttp(`${bffUrl}/readyz`, { service: bff });

  step('Adding the example actions (lookup_order, create_ticket) to the Demo chatbot');
  const seedArgs = ['dev/seed.ts', '--bff', bffUrl, '--sandbox-origin', `https://${sandboxHost}`];
  const seed = startService('seed', tsNode[0], [...tsNode.slice(1), ...seedArgs], {
    cwd: demoDir,
    env: baseEnv,
  });
  if ((await seed.exited) !== 0)
    console.log('  (the examples could not be added; the dashboard works without them)');

  step(`Starting the demo dashboard on ${demoUrl}`);
  const demo = startService(
    'demo',
    process.execPath,
    [join(demoDir, 'node_modules', 'vite', 'bin', 'vite.js'), '--port', String(demoPort), '--strictPort'],
    { cwd: demoDir, env: { ...baseEnv, AIHIO_BFF_URL: bffUrl } },
  );
  await waitForHttp(demoUrl, { service: demo });

  console.log(`
  ┌───────────────────────────────────────────────────────────────────────────┐
    Open  ${demoUrl}/chatbots/demo-chatbot/settings/actions

    Try the agent loop:  corepack pnpm --filter @aihio/demo agent "where is my order ORD-123"${
      bffPort === 8787 ? '' : ` --bff ${bffUrl}`
    }
    Press Ctrl-C to stop the BFF, the sandbox and the demo.
  └───────────────────────────────────────────────────────────────────────────┘
`);

  // Any of them stopping on its own stops the rest: a half-running demo only confuses.
  const first = await Promise.race(
    [sandbox, bff, demo].map((s) => s.exited.then((code) => ({ name: s.name, code }))),
  );
  if (isStopping()) return;
  console.error(`\n\u2716 ${first.name} stopped (exit ${first.code}); stopping the others.`);
  await stopAll(first.code || 1);
}

main().catch((error) => {
  if (isStopping()) return;
  console.error(`\n\u2716 ${error.message}`);
  stopAll(1);
});
