import {
  API_ROUTES,
  chatbotSchema,
  createChatbotRequestSchema,
  createServiceKeyResponseSchema,
  MAX_PAGE_SIZE,
  meResponseSchema,
  serviceKeySchema,
  setSecretRequestSchema,
} from '@aihio/actions-core';
import { Router } from 'express';
import { generateServiceKey, hashServiceKey } from '../auth/service-key';
import { requireRole, sessionAuth, sessionOf } from '../auth/session';
import { identitySecretAad } from '../crypto/types';
import type { AppDeps } from '../deps';
import { ApiError } from '../http/errors';
import { listQuery, replyList } from '../http/list';
import { presentChatbot, presentServiceKey, visibleTail } from '../http/present';
import { parseBody, reply } from '../http/validate';
import { actionRoutes } from './actions';
import { loadChatbot, param } from './scope';

/** `/api/v1`: the dashboard API, for a signed-in user of the host app. */
export function dashboardRouter(deps: AppDeps): Router {
  const { store, keyring } = deps;
  const router = Router();
  router.use('/api/v1', sessionAuth({ auth: deps.config.auth, store }));

  router.get(API_ROUTES.me, (req, res) => {
    const session = sessionOf(req);
    reply(res, 200, meResponseSchema, {
      user: { id: session.userId, ...(session.userName ? { name: session.userName } : {}) },
      workspace: session.workspace,
      role: session.role,
    });
  });

  // ---------- chatbots ----------

  router.get(API_ROUTES.chatbots, async (req, res) => {
    const page = await store.pageChatbots(sessionOf(req).workspace.id, listQuery(req, MAX_PAGE_SIZE));
    await replyList(res, 'chatbots', page.items, chatbotSchema, presentChatbot, page.nextCursor);
  });

  router.post(API_ROUTES.chatbots, requireRole('editor'), async (req, res) => {
    const body = parseBody(createChatbotRequestSchema, req.body);
    const chatbot = await store.createChatbot(sessionOf(req).workspace.id, body.name, undefined, {
      quota: deps.config.quotas.chatbotsPerWorkspace,
    });
    res.setHeader('Location', `${API_ROUTES.chatbots}/${encodeURIComponent(chatbot.id)}`);
    reply(res, 201, chatbotSchema, presentChatbot(chatbot));
  });

  router.get(API_ROUTES.chatbot, async (req, res) => {
    reply(res, 200, chatbotSchema, presentChatbot(await loadChatbot(store, req)));
  });

  // The identity secret verifies visitors' signed JWTs and HMAC hashes. Write-only: only last4 returns.
  router.put(API_ROUTES.identitySecret, requireRole('editor'), async (req, res) => {
    const chatbot = await loadChatbot(store, req);
    const { secret } = parseBody(setSecretRequestSchema, req.body);
    const sealed = await keyring.seal(secret, identitySecretAad(chatbot.workspaceId, chatbot.id));
    const updated = await store.setChatbotIdentitySecret(
      chatbot.workspaceId,
      chatbot.id,
      sealed,
      visibleTail(secret),
    );
    reply(res, 200, chatbotSchema, presentChatbot(updated));
  });

  router.delete(API_ROUTES.identitySecret, requireRole('editor'), async (req, res) => {
    const chatbot = await loadChatbot(store, req);
    const updated = await store.setChatbotIdentitySecret(chatbot.workspaceId, chatbot.id, null, null);
    reply(res, 200, chatbotSchema, presentChatbot(updated));
  });

  router.use(actionRoutes(deps));

  // ---------- service keys (agent runtime authentication): admins only ----------

  router.get(API_ROUTES.serviceKeys, requireRole('admin'), async (req, res) => {
    const page = await store.pageServiceKeys(sessionOf(req).workspace.id, listQuery(req, MAX_PAGE_SIZE));
    await replyList(res, 'keys', page.items, serviceKeySchema, presentServiceKey, page.nextCursor);
  });

  router.post(API_ROUTES.serviceKeys, requireRole('admin'), async (req, res) => {
    const key = generateServiceKey();
    const record = await store.createServiceKey(
      sessionOf(req).workspace.id,
      hashServiceKey(key),
      key.slice(-4),
      { quota: deps.config.quotas.serviceKeysPerWorkspace },
    );
    reply(res, 201, createServiceKeyResponseSchema, { ...presentServiceKey(record), key });
  });

  router.delete(API_ROUTES.serviceKey, requireRole('admin'), async (req, res) => {
    const deleted = await store.deleteServiceKey(sessionOf(req).workspace.id, param(req, 'keyId'));
    if (!deleted) throw new ApiError('not_found');
    res.status(204).end();
  });

  return router;
}
