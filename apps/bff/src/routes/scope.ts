import { PLANS_WITH_ACTIONS } from '@aihio/actions-core';
import type { Request, RequestHandler } from 'express';
import { ApiError } from '../http/errors';
import type { ActionRecord, ChatbotRecord, Store, WorkspaceRecord } from '../store/types';

/**
 * Tenancy helpers. Every lookup takes the caller's workspace id, so another workspace's chatbot
 * or action is simply not found (404), never forbidden (403): the answer does not confirm it exists.
 */

export function workspaceOf(req: Request): WorkspaceRecord {
  const workspace = req.session?.workspace ?? req.agent?.workspace;
  if (!workspace) throw new ApiError('unauthenticated');
  return workspace;
}

/** Route parameters are strings in Express 5; this keeps the type honest. */
export function param(req: Request, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string' || value.length === 0) throw new ApiError('not_found');
  return value;
}

export async function loadChatbot(store: Store, req: Request): Promise<ChatbotRecord> {
  const chatbot = await store.getChatbot(workspaceOf(req).id, param(req, 'chatbotId'));
  if (!chatbot) throw new ApiError('not_found');
  return chatbot;
}

export async function loadAction(
  store: Store,
  req: Request,
): Promise<{ chatbot: ChatbotRecord; action: ActionRecord }> {
  const chatbot = await loadChatbot(store, req);
  const action = await store.getAction(chatbot.workspaceId, chatbot.id, param(req, 'actionId'));
  if (!action) throw new ApiError('not_found');
  return { chatbot, action };
}

/** Custom HTTP actions need the Starter plan or above: every action endpoint checks it first. */
export const requireActionsPlan: RequestHandler = (req, _res, next) => {
  if (!PLANS_WITH_ACTIONS.includes(workspaceOf(req).plan)) throw new ApiError('plan_required');
  next();
};

/** `ETag: "<version>"`; If-Match accepts `"3"`, `W/"3"` or `3`. */
export function etag(version: number): string {
  return `"${version}"`;
}

export function ifMatchVersion(req: Request, required: boolean): number | undefined {
  const header = req.headers['if-match'];
  if (header === undefined || header === '') {
    if (required) throw new ApiError('precondition_required');
    return undefined;
  }
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) {
    throw new ApiError('invalid_request', {
      message: 'If-Match must be the action version from its ETag, for example "3".',
    });
  }
  return Number(match[1]);
}
