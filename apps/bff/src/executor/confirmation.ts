import { createHash, randomBytes } from 'node:crypto';
import {
  type ArgumentValues,
  type ConfirmationChallenge,
  type RenderIdentity,
  summarizeCall,
} from '@aihio/actions-core';
import type { ActionRecord, ConfirmationBinding, Store } from '../store/types';

/**
 * Confirmation of an agent call before it runs (issue 13). The token is 32 random bytes; the store
 * keeps only its SHA-256 with what it is bound to, so a leaked database row cannot be replayed and
 * any instance on the same store can redeem it, once (see Store.redeemConfirmation).
 */

/** Long enough for a visitor to read the summary and answer; short enough to go stale quickly. */
export const CONFIRMATION_TTL_MS = 10 * 60_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** JSON with sorted keys, so the same arguments always hash alike whatever their order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The exact arguments, hashed. A null is dropped first: it means "not given" (OpenAI's strict
 * tools send one for an optional parameter left out), the same call as leaving it out.
 */
export function argumentsHash(args: ArgumentValues): string {
  const given = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== null));
  return createHash('sha256').update(canonical(given)).digest('hex');
}

/** The visitor a confirmation is for: the JWT's `sub`, the HMAC user id, or '' when unverified. */
export function visitorKey(identity: RenderIdentity | null): string {
  if (identity?.method === 'jwt') return `jwt:${identity.claims.user_id ?? ''}`;
  if (identity?.method === 'hmac') return `hmac:${identity.userId}`;
  return '';
}

export function bindingOf(
  action: ActionRecord,
  args: ArgumentValues,
  identity: RenderIdentity | null,
): ConfirmationBinding {
  return {
    workspaceId: action.workspaceId,
    chatbotId: action.chatbotId,
    actionId: action.id,
    actionVersion: action.version,
    argumentsHash: argumentsHash(args),
    visitor: visitorKey(identity),
  };
}

/** Mint a confirmation for this call: stored hashed, returned with the summary for the visitor. */
export async function issueConfirmation(
  store: Store,
  action: ActionRecord,
  args: ArgumentValues,
  identity: RenderIdentity | null,
  now = Date.now(),
): Promise<ConfirmationChallenge> {
  const token = `aihio_cf_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now + CONFIRMATION_TTL_MS).toISOString();
  await store.createConfirmation(hashToken(token), bindingOf(action, args, identity), expiresAt);
  return { token, expiresAt, summary: summarizeCall(action.definition, args) };
}

/** Use the token for this exact call, once: false when it was used, expired, or anything differs. */
export function redeemConfirmation(
  store: Store,
  token: string,
  action: ActionRecord,
  args: ArgumentValues,
  identity: RenderIdentity | null,
): Promise<boolean> {
  return store.redeemConfirmation(hashToken(token), bindingOf(action, args, identity));
}
