import {
  API_ROUTES,
  ERROR_CODES,
  type InvokeResult,
  invokeRequestSchema,
  invokeResultSchema,
  type RenderIdentity,
  toolListResponseSchema,
  toToolDefinition,
} from '@aihio/actions-core';
import { Router } from 'express';
import type { AppDeps } from '../app';
import { serviceKeyAuth } from '../auth/service-key';
import { verifyVisitorIdentity } from '../auth/visitor-identity';
import { credentialAad, identitySecretAad } from '../crypto/types';
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

  router.post(API_ROUTES.agentInvoke, async (req, res) => {
    const chatbot = await loadChatbot(store, req);
    const body = parseBody(invokeRequestSchema, req.body);
    const action = await store.getActionByIdentifier(
      chatbot.workspaceId,
      chatbot.id,
      param(req, 'identifier'),
    );
    if (!action) {
      throw new ApiError('not_found', { message: 'This chatbot has no action with that identifier.' });
    }
    const started = performance.now();

    /** Refuse before any outbound call, and keep the refusal in the run history. */
    const refuse = async (outcome: Extract<ExecuteOutcome, { ok: false }>): Promise<never> => {
      await recordRun(deps, action, 'agent', outcome);
      throw new ApiError(outcome.error.code, {
        message: outcome.error.message,
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
    });
    if (!outcome.ok && !outcome.called) return refuse(outcome);
    await recordRun(deps, action, 'agent', outcome);

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

  return router;
}
