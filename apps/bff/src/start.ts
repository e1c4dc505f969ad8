import path from 'node:path';
import { describePolicy } from '@aihio/egress';
import type { Logger } from 'pino';
import { createApp } from './app';
import { seedDevWorkspace } from './auth/dev-seed';
import type { Config } from './config';
import { type DataKeyring, keyFilePathIn, loadKeyring, resolveMasterKeys } from './crypto';
import { createBffEgress } from './executor/egress';
import { createLogger } from './http/logger';
import { MaintenanceStatus, runMaintenance } from './maintenance';
import { listen } from './server';
import { createStore } from './store';

/**
 * The BFF process after its configuration: store (migrations) → keyring → egress → app, then
 * listen. SIGINT / SIGTERM stop it gracefully: no new connections, requests in flight finish,
 * then egress and the store close.
 */

const MAINTENANCE_INTERVAL_MS = 10 * 60 * 1000;

export const SQLITE_FILE_NAME = 'aihio.db';

/** Tells the operator where a master-key rotation stands (key ids are fingerprints, never keys). */
function warnOfMasterKeyRotation(keyring: DataKeyring, logger: Logger): void {
  const wrapped = keyring.wrapCounts();
  const previousMasterKeyId = keyring.previousMasterKeyId;
  if (wrapped.previous > 0) {
    logger.warn(
      { dataKeys: wrapped.previous, masterKeyId: keyring.masterKeyId, previousMasterKeyId },
      'data keys are still wrapped under AIHIO_MASTER_KEY_PREVIOUS: run `rotate-keys --master`, then remove AIHIO_MASTER_KEY_PREVIOUS',
    );
  } else if (previousMasterKeyId) {
    logger.info(
      { masterKeyId: keyring.masterKeyId, previousMasterKeyId },
      'no data key is wrapped under AIHIO_MASTER_KEY_PREVIOUS any more: it can be removed',
    );
  }
}

export async function startBff(config: Config): Promise<void> {
  const logger = createLogger({ level: config.logLevel });
  const store = await createStore({
    ...(config.databaseUrl ? { url: config.databaseUrl } : {}),
    sqlitePath: path.join(config.dataDir, SQLITE_FILE_NAME),
  });
  const { current: master, previous: previousMasterKey } = await resolveMasterKeys({
    env: config.masterKey,
    previousEnv: config.previousMasterKey,
    nodeEnv: config.nodeEnv,
    keyFilePath: keyFilePathIn(config.dataDir),
    allowKeyFileInProduction: config.allowInsecure.includes('master-key-file'),
  });
  if (master.created)
    logger.warn({ keyFilePath: master.keyFilePath }, 'created a master key file (development)');
  // Refuses the start (KeyringError naming the key ids) when a stored data key opens under neither key.
  const keyring = await loadKeyring(store, master.key, { previousMasterKey });
  warnOfMasterKeyRotation(keyring, logger);
  const egressPolicy = describePolicy(config.egress);
  const egress = createBffEgress(config.egress, logger);

  if (config.auth.mode === 'dev') {
    await seedDevWorkspace(store);
    logger.warn(
      'AIHIO_AUTH_MODE=dev: every dashboard request acts as the demo admin (refused in production)',
    );
  }
  // What production would refuse and this development start accepts: said out loud, never silently.
  for (const refusal of config.developmentOnly) {
    logger.warn({ nodeEnv: config.nodeEnv, refusal }, 'accepted only because this is not a production start');
  }
  for (const widening of egressPolicy.widenings) logger.warn({ egress: widening }, 'egress policy widened');

  const maintenance = new MaintenanceStatus();
  const app = createApp({ config, store, keyring, egress, logger, maintenance });
  const running = await listen(app, { port: config.port, host: config.host, logger });
  logger.info(
    {
      url: running.url,
      database: store.dialect,
      auth: config.auth.mode,
      masterKey: master.source,
      egress: egressPolicy.summary,
    },
    'aihio bff listening',
  );

  const maintain = () => runMaintenance({ store, logger }, config.runRetentionPerAction, maintenance);
  void maintain();
  const timer = setInterval(maintain, MAINTENANCE_INTERVAL_MS);
  timer.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    clearInterval(timer);
    await running.close(config.shutdownTimeoutMs);
    await egress.close();
    await store.close();
    logger.info('stopped');
    logger.flush();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
