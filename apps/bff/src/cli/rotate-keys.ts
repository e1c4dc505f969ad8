import { pathToFileURL } from 'node:url';
import { keyFilePathIn, loadKeyring, resolveMasterKey, rotateKeys } from '../crypto';
import { createStore, DEFAULT_DATA_DIR, sqlitePathIn } from '../store';

/**
 * `rotate-keys`: adds a new data key and re-encrypts every stored secret under it. Reads the
 * same environment as the server (DATABASE_URL or the SQLite file in AIHIO_DATA_DIR; the master
 * key from AIHIO_MASTER_KEY or the key file beside the database) and prints counts, never values.
 * Safe to run while servers are up: each replacement is a compare-and-set.
 */
export async function runRotateKeys(env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<number> {
  const dataDir = env.AIHIO_DATA_DIR || DEFAULT_DATA_DIR;
  const allowInsecure = (env.AIHIO_ALLOW_INSECURE ?? '').split(',').map((item) => item.trim());
  const masterKey = await resolveMasterKey({
    env: env.AIHIO_MASTER_KEY,
    nodeEnv: env.NODE_ENV,
    keyFilePath: keyFilePathIn(dataDir),
    allowKeyFileInProduction: allowInsecure.includes('master-key-file'),
  });
  const store = await createStore(
    env.DATABASE_URL ? { url: env.DATABASE_URL } : { sqlitePath: sqlitePathIn(dataDir) },
  );
  try {
    const keyring = await loadKeyring(store, masterKey.key);
    const counts = await rotateKeys(store, keyring);
    print(`New data key: ${counts.keyId}`);
    print(
      `Sealed values: ${counts.total}, re-encrypted: ${counts.rotated}, ` +
        `changed concurrently: ${counts.conflicts}, could not be opened: ${counts.failed}`,
    );
    if (counts.failed > 0) {
      print('Some values could not be opened (tampered, or copied between rows) and were left as they are.');
      return 1;
    }
    return 0;
  } finally {
    await store.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runRotateKeys(process.env, (line) => console.log(line)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // Our errors carry fixed messages without secrets; print only the message, not a dump of the cause.
      console.error(`rotate-keys: ${error instanceof Error ? error.message : 'failed'}`);
      process.exitCode = 1;
    },
  );
}
