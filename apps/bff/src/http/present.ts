import type { Chatbot, LastRun, RunRecord, StoredAction } from '@aihio/actions-core';
import type { ActionRecord, ChatbotRecord, RunRow, ServiceKeyRecord } from '../store/types';

/** Store records → API shapes. Sealed values never leave; only their `last4`. */

export function presentChatbot(record: ChatbotRecord): Chatbot {
  return {
    id: record.id,
    name: record.name,
    identitySecret: record.identitySecretSealed ? { last4: record.identitySecretLast4 ?? '' } : null,
  };
}

export function presentLastRun(run: RunRow | undefined | null): LastRun | null {
  if (!run) return null;
  return { at: run.at, source: run.source, outcome: run.outcome, httpStatus: run.httpStatus };
}

export function presentAction(record: ActionRecord, lastRun: RunRow | undefined | null): StoredAction {
  return {
    ...record.definition,
    id: record.id,
    chatbotId: record.chatbotId,
    version: record.version,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    credential: record.credentialSealed ? { last4: record.credentialLast4 ?? '' } : null,
    lastRun: presentLastRun(lastRun),
  };
}

export function presentRun(run: RunRow): RunRecord {
  return {
    id: run.id,
    actionId: run.actionId,
    at: run.at,
    source: run.source,
    outcome: run.outcome,
    httpStatus: run.httpStatus,
    durationMs: run.durationMs,
    responseBytes: run.responseBytes,
    truncated: run.truncated,
  };
}

export function presentServiceKey(record: ServiceKeyRecord) {
  return { id: record.id, last4: record.last4, createdAt: record.createdAt };
}

/**
 * The visible tail of a secret, for identification. Never more than a quarter of it, so a short
 * secret is not given away by its "last 4".
 */
export function visibleTail(secret: string): string {
  const count = Math.min(4, Math.floor(secret.length / 4));
  return count > 0 ? secret.slice(-count) : '';
}
