// `pnpm --filter @aihio/demo sandbox [--port 443] [--ca-file ../../data/sandbox/ca.pem]`
// Starts the sandbox upstream on 127.0.0.1 and writes its CA certificate where the BFF's
// development config reads it. `npm start` runs this beside the BFF and the demo.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.AIHIO_SANDBOX_PORT ?? '443' },
    'ca-file': { type: 'string', default: resolve(import.meta.dirname, '../../../data/sandbox/ca.pem') },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`sandbox: --port must be a port number, got ${values.port}`);
  process.exit(2);
}

const sandbox = await startSandbox({ port, log: (line) => console.log(line) });
const caFile = resolve(values['ca-file']);
mkdirSync(dirname(caFile), { recursive: true });
writeFileSync(caFile, sandbox.caCert);
// One machine-readable line for scripts/start.mjs, which waits for it.
console.log(`SANDBOX_READY ${JSON.stringify({ origin: sandbox.origin, port: sandbox.port, caFile })}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    sandbox.close().then(() => process.exit(0));
  });
}
