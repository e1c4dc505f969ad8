import {
  type ActionDefinition,
  API_ROUTES,
  credentialStillApplies,
  MAX_PAGE_SIZE,
  runRecordSchema,
  setCredentialRequestSchema,
  setEnabledRequestSchema,
  storedActionSchema,
  validateAction,
} from '@aihio/actions-core';
import { type Response, Router } from 'express';
import { requireRole } from '../auth/session';
import { credentialAad } from '../crypto/types';
import type { AppDeps } from '../deps';
import { isHeaderSafe } from '../executor/execute';
import { ApiError } from '../http/errors';
import { listQuery, replyList } from '../http/list';
import { presentAction, presentRun, visibleTail } from '../http/present';
import { parseBody, reply } from '../http/validate';
import type { ActionRecord, RunRow } from '../store/types';
import { importRoutes } from './imports';
import { etag, ifMatchVersion, loadAction, loadChatbot, requireActionsPlan } from './scope';
import { testRoutes } from './testing';

/** A chatbot's actions: CRUD with optimistic concurrency, enable/disable, credential, runs, test. */

function validated(input: unknown): ActionDefinition {
  const result = validateAction(input);
  if (!result.ok) throw new ApiError('validation_failed', { issues: result.errors });
  return result.action;
}

async function latestRun(deps: AppDeps, action: ActionRecord): Promise<RunRow | null> {
  const [run] = await deps.store.listRuns(action.workspaceId, action.chatbotId, action.id, 1);
  return run ?? null;
}

async function sendAction(deps: AppDeps, res: Response, status: number, action: ActionRecord) {
  res.setHeader('ETag', etag(action.version));
  reply(res, status, storedActionSchema, presentAction(action, await latestRun(deps, action)));
}

export function actionRoutes(deps: AppDeps): Router {
  const { store, keyring } = deps;
  const router = Router();
  const editor = requireRole('editor');

  // Plan gating comes before anything else on every action endpoint.
  for (const route of [
    API_ROUTES.actions,
    API_ROUTES.testDraft,
    API_ROUTES.action,
    API_ROUTES.actionEnabled,
    API_ROUTES.actionCredential,
    API_ROUTES.actionTest,
    API_ROUTES.actionRuns,
  ]) {
    router.all(route, requireActionsPlan);
  }

  router.get(API_ROUTES.actions, async (req, res) => {
    const chatbot = await loadChatbot(store, req);
    const query = listQuery(req, MAX_PAGE_SIZE);
    const page = await store.pageActions(chatbot.workspaceId, chatbot.id, query);
    const lastRuns = await store.lastRuns(
      chatbot.workspaceId,
      chatbot.id,
      page.items.map((action) => action.id),
    );
    await replyList(
      res,
      'actions',
      page.items,
      storedActionSchema,
      (action) => presentAction(action, lastRuns.get(action.id)),
      page.nextCursor,
    );
  });

  router.post(API_ROUTES.actions, editor, async (req, res) => {
    const chatbot = await loadChatbot(store, req);
    const definition = validated(req.body);
    const action = await store.createAction(chatbot.workspaceId, chatbot.id, definition, {
      quota: deps.config.quotas.actionsPerChatbot,
    });
    res.setHeader(
      'Location',
      `${API_ROUTES.actions.replace(':chatbotId', encodeURIComponent(chatbot.id))}/${encodeURIComponent(action.id)}`,
    );
    await sendAction(deps, res, 201, action);
  });

  // Registered before `:actionId` routes: `test` is not an action id.
  router.use(testRoutes(deps));
  router.use(importRoutes(deps));

  router.get(API_ROUTES.action, async (req, res) => {
    const { action } = await loadAction(store, req);
    await sendAction(deps, res, 200, action);
  });

  router.put(API_ROUTES.action, editor, async (req, res) => {
    const expected = ifMatchVersion(req, true)!;
    const { action } = await loadAction(store, req);
    const definition = validated(req.body);
    if (action.version !== expected) throw new ApiError('version_conflict');
    const updated = await store.updateAction(
      action.workspaceId,
      action.chatbotId,
      action.id,
      expected,
      definition,
      // The update is conditional on the version, and setting a credential bumps it: a credential
      // stored after this request loaded the action makes the update a version_conflict instead.
      { dropCredential: !credentialStillApplies(action.definition, definition) },
    );
    await sendAction(deps, res, 200, updated);
  });

  router.delete(API_ROUTES.action, editor, async (req, res) => {
    const expected = ifMatchVersion(req, false);
    const { action } = await loadAction(store, req);
    const deleted = await store.deleteAction(action.workspaceId, action.chatbotId, action.id, expected);
    if (!deleted) throw new ApiError('not_found');
    res.status(204).end();
  });

  router.put(API_ROUTES.actionEnabled, editor, async (req, res) => {
    const expected = ifMatchVersion(req, false);
    const { action } = await loadAction(store, req);
    const { enabled } = parseBody(setEnabledRequestSchema, req.body);
    const updated = await store.setEnabled(
      action.workspaceId,
      action.chatbotId,
      action.id,
      enabled,
      expected,
    );
    await sendAction(deps, res, 200, updated);
  });

  // Write-only: the secret is sealed (bound to workspace + action) and only its tail comes back.
  // If-Match is optional for compatibility, and clients should send it: the credential is then
  // stored only against the version (origin, auth type, header) its owner saw, never against an
  // edit made in between that moved the action elsewhere (version_conflict, nothing stored).
  router.put(API_ROUTES.actionCredential, editor, async (req, res) => {
    const expected = ifMatchVersion(req, false);
    const { action } = await loadAction(store, req);
    const { secret } = parseBody(setCredentialRequestSchema, req.body);
    if (expected !== undefined && action.version !== expected) throw new ApiError('version_conflict');
    if (action.definition.auth.type === 'none') {
      throw new ApiError('invalid_request', {
        message: 'This action uses no authentication: choose Bearer token, API key or OAuth 2.0 first.',
      });
    }
    if (!isHeaderSafe(secret)) {
      throw new ApiError('invalid_request', {
        message: 'The credential has characters a header cannot carry (use visible ASCII).',
      });
    }
    const sealed = await keyring.seal(secret, credentialAad(action.workspaceId, action.id));
    const updated = await store.setCredential(
      action.workspaceId,
      action.chatbotId,
      action.id,
      sealed,
      visibleTail(secret),
      // Checked again in the write itself: an edit between the read above and here is a conflict too.
      expected,
    );
    await sendAction(deps, res, 200, updated);
  });

  router.delete(API_ROUTES.actionCredential, editor, async (req, res) => {
    const expected = ifMatchVersion(req, false);
    const { action } = await loadAction(store, req);
    const updated = await store.setCredential(
      action.workspaceId,
      action.chatbotId,
      action.id,
      null,
      null,
      expected,
    );
    await sendAction(deps, res, 200, updated);
  });

  router.get(API_ROUTES.actionRuns, async (req, res) => {
    const { action } = await loadAction(store, req);
    const query = listQuery(req, 50);
    const page = await store.pageRuns(action.workspaceId, action.chatbotId, action.id, query);
    await replyList(res, 'runs', page.items, runRecordSchema, presentRun, page.nextCursor);
  });

  return router;
}
