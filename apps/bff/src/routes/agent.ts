import {
  API_ROUTES,
  formattedToolListResponseSchema,
  TOOL_FORMATS,
  toolListQuerySchema,
  toolListResponseSchema,
  toToolDefinition,
} from '@aihio/actions-core';
import { Router } from 'express';
import { serviceKeyAuth } from '../auth/service-key';
import type { AppDeps } from '../deps';
import { ApiError } from '../http/errors';
import { reply } from '../http/validate';
import type { Invoker } from './agent-invoke';
import { loadChatbot, param, requireActionsPlan } from './scope';

/**
 * `/agent/v1`: for the agent runtime, authenticated with a workspace service key. Tools are the
 * chatbot's enabled actions; invoke runs one by identifier. Whatever stops a call before it is
 * made (unknown identifier, disabled, invalid arguments, unverified visitor, no credential) is an
 * HTTP error with its code and status from the core table, and nothing leaves the process. Once
 * the call is made, the answer is model-ready: `{ ok: true, status, body, truncated }`, or
 * `{ ok: false, error }` for what egress reports (blocked destination, timeout, …).
 */
export function agentRouter(deps: AppDeps, invoke: Invoker): Router {
  const { store } = deps;
  const router = Router();

  router.post(API_ROUTES.agentInvoke, async (req, res) => {
    // Usually answered by the lean path (http/invoke-fast-path.ts) before Express routes it; this
    // route takes what that path passes on (a browser's Origin, a compressed or chunked body).
    const abort = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const result = await invoke({
      authorization: req.headers.authorization,
      chatbotId: param(req, 'chatbotId'),
      identifier: param(req, 'identifier'),
      body: req.body,
      signal: abort.signal,
    });
    // The invoker's result has been through invokeResultSchema already.
    res.status(200).json(result);
  });

  // Every other /agent/v1 request (the tools list, unknown paths) authenticates here; invoke,
  // registered above, does the same checks itself from its one query.
  router.use('/agent/v1', serviceKeyAuth(store), requireActionsPlan);

  router.get(API_ROUTES.agentTools, async (req, res) => {
    const query = toolListQuerySchema.safeParse(req.query);
    if (!query.success) {
      throw new ApiError('invalid_request', {
        message: `Unknown tool format: use one of ${TOOL_FORMATS.join(', ')}.`,
      });
    }
    const { format } = query.data;
    const chatbot = await loadChatbot(store, req);
    const actions = await store.listActions(chatbot.workspaceId, chatbot.id);
    const enabled = actions.filter((action) => action.definition.enabled);
    if (format === 'json-schema') {
      reply(res, 200, toolListResponseSchema, {
        tools: enabled.map((action) => toToolDefinition(action.definition)),
      });
      return;
    }
    reply(res, 200, formattedToolListResponseSchema, {
      tools: enabled.map(
        (action) => toToolDefinition(action.definition, { format }) as unknown as Record<string, unknown>,
      ),
    });
  });

  return router;
}
