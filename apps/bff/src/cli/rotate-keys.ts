import { pathToFileURL } from 'node:url';
import {
  type DataKeyring,
  keyFilePathIn,
  loadKeyring,
  resolveMasterKeys,
  rotateKeys,
  rotateMasterKey,
} from '../crypto';
import { createStore, DEFAULT_DATA_DIR, sqlitePathIn } from '../store';
import type { Store } from '../store/types';

export const USAGE = `Usage: rotate-keys [--data] [--master]
  --data    add a new data key and re-encrypt every stored secret under it (the default)
  --master  re-wrap every data key under AIHIO_MASTER_KEY, opening the ones still under
            AIHIO_MASTER_KEY_PREVIOUS; with --data too, the master key goes first`;

/** A command line the tool does not understand: exit 2 with the usage, having changed nothing. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * `rotate-keys`: with `--data` (the default) adds a new data key and re-encrypts every stored
 * secret under it; with `--master` re-wraps every data key under the current master key. Reads the
 * same environment as the server (DATABASE_URL or the SQLite file in AIHIO_DATA_DIR; the master
 * key from AIHIO_MASTER_KEY or the key file beside the database, and AIHIO_MASTER_KEY_PREVIOUS)
 * and prints counts and master key ids (fingerprints), never a key or a value. Safe to run while
 * servers are up: each replacement is a compare-and-set. Exits 1 when something was left behind.
 */
export async function runRotateKeys(
  env: NodeJS.ProcessEnv,
  print: (line: string) => void,
  args: readonly string[] = [],
): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    print(USAGE);
    return 0;
  }
  const unknown = args.filter((arg) => arg !== '--data' && arg !== '--master');
  if (unknown.length > 0) {
    throw new UsageError(`unknown argument ${unknown[0]}\n${USAGE}`);
  }
  const master = args.includes('--master');
  const data = args.includes('--data') || !master;

  const dataDir = env.AIHIO_DATA_DIR || DEFAULT_DATA_DIR;
  const allowInsecure = (env.AIHIO_ALLOW_INSECURE ?? '').split(',').map((item) => item.trim());
  const masterKeys = await resolveMasterKeys({
    env: env.AIHIO_MASTER_KEY,
    previousEnv: env.AIHIO_MASTER_KEY_PREVIOUS,
    nodeEnv: env.NODE_ENV,
    keyFilePath: keyFilePathIn(dataDir),
    allowKeyFileInProduction: allowInsecure.includes('master-key-file'),
  });
  const store = await createStore(
    env.DATABASE_URL ? { url: env.DATABASE_URL } : { sqlitePath: sqlitePathIn(dataDir) },
  );
  try {
    const keyring = await loadKeyring(store, masterKeys.current.key, {
      previousMasterKey: masterKeys.previous,
    });
    let code = 0;
    if (master) code = Math.max(code, await rewrapDataKeys(store, keyring, masterKeys.current.source, print));
    if (data) code = Math.max(code, await reencryptSecrets(store, keyring, print));
    return code;
  } finally {
    await store.close();
  }
}

async function rewrapDataKeys(
  store: Store,
  keyring: DataKeyring,
  source: 'env' | 'key-file',
  print: (line: string) => void,
): Promise<number> {
  const previousId = keyring.previousMasterKeyId;
  print(
    `Master key: ${keyring.masterKeyId} (${source === 'env' ? 'AIHIO_MASTER_KEY' : 'the key file'}); ` +
      `previous: ${previousId ? `${previousId} (AIHIO_MASTER_KEY_PREVIOUS)` : 'not set'}`,
  );
  const counts = await rotateMasterKey(store, keyring);
  print(
    `Data keys: ${counts.total}, re-wrapped: ${counts.rewrapped}, already under the master key: ` +
      `${counts.alreadyCurrent}, changed concurrently: ${counts.conflicts}, could not be opened: ${counts.failed}`,
  );
  if (counts.remaining > 0) {
    print(
      `${counts.remaining} data key(s) are not wrapped under ${counts.masterKeyId} yet: keep ` +
        'AIHIO_MASTER_KEY_PREVIOUS and run `rotate-keys --master` again.',
    );
    return 1;
  }
  print(
    previousId
      ? `Every data key is wrapped under ${counts.masterKeyId}: AIHIO_MASTER_KEY_PREVIOUS can now be removed from every instance.`
      : `Every data key is wrapped under ${counts.masterKeyId}.`,
  );
  return 0;
}

async function reencryptSecrets(
  store: Store,
  keyring: DataKeyring,
  print: (line: string) => void,
): Promise<number> {
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
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runRotateKeys(process.env, (line) => console.log(line), process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(`rotate-keys: ${error.message}`);
        process.exitCode = 2;
        return;
      }
      // Our errors carry fixed messages without secrets; print only the message, not a dump of the cause.
      console.error(`rotate-keys: ${error instanceof Error ? error.message : 'failed'}`);
      process.exitCode = 1;
    },
  );
}
