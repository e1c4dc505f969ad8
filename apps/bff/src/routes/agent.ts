import {
  API_ROUTES,
  ERROR_CODES,
  type InvokeResult,
  invokeRequestSchema,
  invokeResultSchema,
  PLANS_WITH_ACTIONS,
  type RenderIdentity,
  toolListResponseSchema,
  toToolDefinition,
} from '@aihio/actions-core';
import { Router } from 'express';
import type { AppDeps } from '../app';
import { checkServiceKey, serviceKeyAuth, serviceKeyHashOf } from '../auth/service-key';
import { verifyVisitorIdentity } from '../auth/visitor-identity';
import { credentialAad, identitySecretAad } from '../crypto/types';
import { CompiledActionCache } from '../executor/compiled-cache';
import { cutText, type ExecuteOutcome, execute } from '../executor/execute';
import { redactSecret } from '../executor/redact';
import { recordRun } from '../executor/runs';
import { ApiError } from '../http/errors';
import { parseBody, reply } from '../http/validate';
import { loadChatbot, param, requireActionsPlan } from './scope';

/**
 * `/agent/v1`: for the agent runtime, authenticated with a workspace service key. Tools are the
 * chatbot's enabled actions; invoke runs one by identifier. Whatever stops a call before it is
 * made (unknown identifier, disabled, invalid arguments, unverified visitor, no credential) is an
 * HTTP error with its code and status from the core table, and nothing leaves the process. Once
 * the call is made, the answer is model-ready: `{ ok: true, status, body, truncated }`, or
 * `{ ok: false, error }` for what egress reports (blocked destination, timeout, …).
 */
export function agentRouter(deps: AppDeps): Router {
  const { store, keyring, egress, config } = deps;
  const router = Router();
  const compiledActions = new CompiledActionCache();

  router.post(API_ROUTES.agentInvoke, async (req, res) => {
    // The hot path: key, workspace, chatbot and action in one query, checked in the same order
    // as serviceKeyAuth + requireActionsPlan + loadChatbot (401, then 403, then 404).
    const hash = serviceKeyHashOf(req);
    const scope = await store.resolveAgentScope(hash, param(req, 'chatbotId'), param(req, 'identifier'));
    const serviceKey = checkServiceKey(scope?.serviceKey, hash);
    if (!scope) throw new ApiError('unauthenticated');
    req.agent = { kind: 'agent', workspace: scope.workspace, serviceKeyId: serviceKey.id };
    if (!PLANS_WITH_ACTIONS.includes(scope.workspace.plan)) throw new ApiError('plan_required');
    const { chatbot, action } = scope;
    if (!chatbot) throw new ApiError('not_found');
    const body = parseBody(invokeRequestSchema, req.body);
    if (!action) {
      throw new ApiError('not_found', { message: 'This chatbot has no action with that identifier.' });
    }
    const started = performance.now();

    /** Refuse before any outbound call, and keep the refusal in the run history. */
    const refuse = (outcome: Extract<ExecuteOutcome, { ok: false }>): never => {
      // Not awaited: the store batches run rows off the response path (recordRun never rejects).
      void recordRun(deps, action, 'agent', outcome);
      const overloaded = outcome.error.code === 'overloaded';
      throw new ApiError(outcome.error.code, {
        // For `overloaded`, the table's message: egress's own is about its internals.
        message: overloaded ? ERROR_CODES.overloaded.message : outcome.error.message,
        // Egress's bound frees up within a call's time: a prompt retry is the right move.
        ...(overloaded ? { headers: { 'Retry-After': '1' } } : {}),
        ...(outcome.error.issues ? { issues: outcome.error.issues } : {}),
      });
    };
    const refusal = (code: 'action_disabled' | 'identity_unverified' | 'credential_missing') =>
      refuse({
        ok: false,
        called: false,
        error: { code, message: ERROR_CODES[code].message },
        durationMs: Math.round(performance.now() - started),
      });

    if (!action.definition.enabled) return refusal('action_disabled');

    let identity: RenderIdentity | null = null;
    if (body.identity) {
      const secret = chatbot.identitySecretSealed
        ? await keyring.open(chatbot.identitySecretSealed, identitySecretAad(chatbot.workspaceId, chatbot.id))
        : null;
      identity = await verifyVisitorIdentity(body.identity, secret);
      if (!identity) return refusal('identity_unverified');
    }

    let credential: string | null = null;
    if (action.definition.auth.type !== 'none') {
      if (!action.credentialSealed) return refusal('credential_missing');
      credential = await keyring.open(action.credentialSealed, credentialAad(action.workspaceId, action.id));
    }

    const abort = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const outcome = await execute(egress, {
      workspaceId: action.workspaceId,
      action: action.definition,
      values: body.arguments,
      identity,
      credential,
      signal: abort.signal,
      compiled: compiledActions.get(action),
    });
    if (!outcome.ok && !outcome.called) return refuse(outcome);
    void recordRun(deps, action, 'agent', outcome);

    let result: InvokeResult;
    if (outcome.ok) {
      // An endpoint that echoes its request must not hand the stored credential to the model.
      const body =
        credential === null ? outcome.body : redactSecret(outcome.body, credential, outcome.truncated);
      const { text, cut } = cutText(body, config.invokeBodyBudget);
      result = { ok: true, status: outcome.status, body: text, truncated: outcome.truncated || cut };
    } else {
      // The table's message: egress's own names hosts and addresses, which the model has no use for.
      result = {
        ok: false,
        error: { code: outcome.error.code, message: ERROR_CODES[outcome.error.code].message },
      };
    }
    reply(res, 200, invokeResultSchema, result);
  });

  // Every other /agent/v1 request (the tools list, unknown paths) authenticates here; invoke,
  // registered above, does the same checks itself from its one query.
  router.use('/agent/v1', serviceKeyAuth(store), requireActionsPlan);

  router.get(API_ROUTES.agentTools, async (req, res) => {
    const chatbot = await loadChatbot(store, req);
    const actions = await store.listActions(chatbot.workspaceId, chatbot.id);
    reply(res, 200, toolListResponseSchema, {
      tools: actions
        .filter((action) => action.definition.enabled)
        .map((action) => toToolDefinition(action.definition)),
    });
  });

  return router;
}
