import type { RunSource } from '@aihio/actions-core';
import type { Logger } from 'pino';
import type { ActionRecord, Store } from '../store/types';
import type { ExecuteOutcome } from './execute';

/**
 * Run history: one row per test or agent call with the outcome code, HTTP status, duration,
 * response size and whether the response was cut at the egress cap. Never parameter values, bodies or secrets: the row is built from these fields only.
 */
export async function recordRun(
  deps: { store: Store; logger: Logger },
  action: ActionRecord,
  source: RunSource,
  outcome: ExecuteOutcome | { ok: false; error: { code: string }; durationMs: number },
): Promise<void> {
  try {
    await deps.store.recordRun({
      workspaceId: action.workspaceId,
      chatbotId: action.chatbotId,
      actionId: action.id,
      source,
      outcome: outcome.ok ? 'ok' : outcome.error.code,
      httpStatus: outcome.ok ? outcome.status : null,
      durationMs: outcome.durationMs,
      responseBytes: outcome.ok ? outcome.bodyBytes : null,
      // Cut at the egress response cap, not the agent's body budget (the invoke route's own cut).
      truncated: outcome.ok ? outcome.truncated : false,
    });
  } catch (error) {
    // The call already happened and its result is on its way: a lost history row must not hide it.
    deps.logger.warn({ err: error, actionId: action.id }, 'could not record a run');
  }
}

/** Bounded retention, run periodically by main.ts (and at start). */
export async function pruneRuns(
  deps: { store: Store; logger: Logger },
  keepPerAction: number,
): Promise<number> {
  const removed = await deps.store.pruneRuns(keepPerAction);
  if (removed > 0) deps.logger.info({ removed, keepPerAction }, 'pruned run history');
  return removed;
}
