// `pnpm --filter @aihio/demo sandbox [--port 0] [--ca-file ../../data/sandbox/ca.pem]`
// Starts the sandbox upstream on 127.0.0.1 (a free port unless --port names one) and writes its CA
// certificate where the BFF's development config reads it. `npm start` runs this beside the BFF
// and the demo, and maps https://sandbox.aihio.test to it with the BFF's AIHIO_DEV_HOST_MAP.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.AIHIO_SANDBOX_PORT ?? '0' },
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
console.log(
  `SANDBOX_READY ${JSON.stringify({ origin: sandbox.origin, port: sandbox.port, hostMap: sandbox.hostMapEntry, caFile })}`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    sandbox.close().then(() => process.exit(0));
  });
}
