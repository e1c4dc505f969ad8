import type { Logger } from 'pino';
import { pruneRuns } from './executor/runs';
import type { Store } from './store/types';

/**
 * Periodic upkeep (start.ts runs it at start and every 10 minutes): run retention and ended
 * rate-limit windows. A retention that fails is an error, not a warning: left alone the history
 * grows until every later prune fails too (a large table meeting the statement timeout was
 * exactly that). It is logged at level error and shown on /readyz (`retention`) without making
 * the instance unready, since it still serves every request.
 */

export interface RetentionStatus {
  ok: boolean;
  /** When the last prune finished or failed (ISO-8601), null before the first one. */
  at: string | null;
  /** The error code of the last failure (`unavailable`, …), for operators. */
  error?: string;
}

export class MaintenanceStatus {
  #retention: RetentionStatus = { ok: true, at: null };

  get retention(): RetentionStatus {
    return { ...this.#retention };
  }

  record(result: RetentionStatus): void {
    this.#retention = result;
  }
}

export async function runMaintenance(
  deps: { store: Store; logger: Logger },
  keepPerAction: number,
  status: MaintenanceStatus,
): Promise<void> {
  try {
    await pruneRuns(deps, keepPerAction);
    status.record({ ok: true, at: new Date().toISOString() });
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'internal_error';
    status.record({ ok: false, at: new Date().toISOString(), error: code });
    deps.logger.error(
      { err: error, keepPerAction },
      'run retention failed: the run history is not being pruned',
    );
  }
  try {
    await deps.store.pruneRateLimits();
  } catch (error) {
    deps.logger.warn({ err: error }, 'pruning ended rate-limit windows failed');
  }
  try {
    await deps.store.pruneConfirmations();
  } catch (error) {
    deps.logger.warn({ err: error }, 'pruning expired confirmations failed');
  }
}
