import type { Logger } from 'pino';
import type { Config } from './config';
import type { Keyring } from './crypto/types';
import type { EgressClient } from './executor/egress';
import type { MaintenanceStatus } from './maintenance';
import type { Store } from './store/types';

/**
 * What the app and its routes are built from. It lives apart from app.ts so that routes, which
 * app.ts imports, need not import app.ts back (a cycle through every route).
 */
export interface AppDeps {
  config: Config;
  store: Store;
  keyring: Keyring;
  egress: EgressClient;
  logger: Logger;
  /** The clock of cached OAuth tokens' expiry (epoch ms); tests move it instead of waiting. */
  now?: () => number;
  /** Upkeep results shown on /readyz (set by start.ts, which runs it). */
  maintenance?: MaintenanceStatus;
}
