import { isIP } from 'node:net';
import {
  type ActionDefinition,
  API_ROUTES,
  compileResponseShaping,
  ERROR_CODES,
  type RenderIdentity,
  type SampleIdentity,
  SHOWN_RESPONSE_HEADERS,
  type TestResult,
  testResultSchema,
  testSavedRequestSchema,
  validateAction,
} from '@aihio/actions-core';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole, sessionOf } from '../auth/session';
import type { AppDeps } from '../deps';
import { agentView } from '../executor/agent-view';
import { type ExecuteError, type ExecuteOutcome, execute, isHeaderSafe } from '../executor/execute';
import { uncachedTokenSource } from '../executor/oauth/token-cache';
import { redactSecret } from '../executor/redact';
import { recordRun } from '../executor/runs';
import { ApiError } from '../http/errors';
import { parseBody, reply } from '../http/validate';
import { loadAction, loadChatbot } from './scope';

/**
 * The test panel: run a draft or a saved action with sample values. An authenticated action's
 * test needs the credential typed in: it is used for this one call and never stored. A failed
 * call is a result (`ok: false`), not an HTTP error; testing is rate-limited per user.
 */

const testDraftBodySchema = testSavedRequestSchema.extend({ action: z.unknown() });

function sampleIdentity(identity: SampleIdentity | undefined): RenderIdentity | null {
  // The owner stands in for a JWT-verified visitor: the sample fields are the claims.
  return identity ? { method: 'jwt', claims: identity } : null;
}

/** The URL's host when the owner typed a name; null for an address literal (or no URL). */
function typedHostName(url: string): string | null {
  try {
    const { hostname } = new URL(url);
    return isIP(hostname.replace(/^\[|\]$/g, '')) === 0 ? hostname : null;
  } catch {
    return null;
  }
}

function mentionsAddress(text: string): boolean {
  return text.split(/[\s,;()]+/).some((token) => isIP(token.replace(/^\[|\]?\.?$/g, '')) !== 0);
}

/**
 * Egress explains a refusal with the address a host name resolved to ("… resolves to 10.0.0.5, a
 * private network address, …"): right for an operator's log, but to a dashboard user it maps the
 * internal network, one host name at a time. The test panel keeps the host and the reason and
 * drops the address. An address the owner typed as the host tells them nothing new and stays.
 * Matched on the text because the message is egress's; if its wording ever hides the address
 * somewhere else, the fallback (host and the code's own message) still never shows it.
 */
export function withoutResolvedAddresses(error: ExecuteError, url: string): ExecuteError {
  const host = typedHostName(url);
  if (host === null || !mentionsAddress(error.message)) return error;
  const message = error.message.replace(/resolves to (\S+?), /g, (match, address: string) =>
    isIP(address) === 0 ? match : 'resolves to ',
  );
  if (!mentionsAddress(message)) return { ...error, message };
  return { ...error, message: `${host}: ${ERROR_CODES[error.code].message}` };
}

/**
 * The test result: the raw response as the endpoint sent it, and (with `agent`) what the agent
 * would receive of it, so the owner sees both side by side. For an OAuth action, the token step
 * comes first; the access token is the server's, never shown (an echoing API's copy is redacted).
 */
export function toTestResult(
  outcome: ExecuteOutcome,
  agent?: { definition: ActionDefinition; credential: string | null; budget: number },
): TestResult {
  const token = outcome.token ? { token: outcome.token } : {};
  if (!outcome.ok) return { ok: false, error: outcome.error, durationMs: outcome.durationMs, ...token };
  const sentSecrets = outcome.sentSecrets ?? [];
  let body = outcome.body;
  for (const secret of sentSecrets) body = redactSecret(body, secret, outcome.truncated);
  const headers: Record<string, string> = {};
  for (const name of SHOWN_RESPONSE_HEADERS) {
    const value = outcome.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  return {
    ok: true,
    status: outcome.status,
    headers,
    body,
    truncated: outcome.truncated,
    durationMs: outcome.durationMs,
    ...(agent
      ? {
          agent: agentView({
            body: outcome.body,
            truncated: outcome.truncated,
            credential: agent.credential,
            alsoRedact: sentSecrets,
            // The test path is not hot: compiling the (already validated) shaping here is cheap.
            shaper: compileResponseShaping(agent.definition.response).shaper,
            budget: agent.budget,
          }),
        }
      : {}),
    ...token,
  };
}

export function testRoutes(deps: AppDeps): Router {
  const { store, config, egress } = deps;
  const router = Router();
  const editor = requireRole('editor');

  async function rateLimit(req: Request): Promise<void> {
    const session = sessionOf(req);
    const { limit, windowMs } = config.testRateLimit;
    // Separate key parts: ids may contain ':', so a joined text would let two users share a window.
    const hit = await store.hitRateLimit(
      { scope: 'test', workspaceId: session.workspace.id, subject: session.userId },
      windowMs,
      limit,
    );
    if (!hit.allowed) {
      const seconds = Math.max(1, Math.ceil(hit.retryAfterMs / 1000));
      throw new ApiError('rate_limited', { headers: { 'Retry-After': String(seconds) } });
    }
  }

  async function run(
    req: Request,
    res: Response,
    workspaceId: string,
    definition: ActionDefinition,
    body: z.infer<typeof testSavedRequestSchema>,
  ): Promise<{ outcome: ExecuteOutcome; result: TestResult }> {
    if (definition.auth.type !== 'none' && body.credential === undefined) {
      throw new ApiError('credential_required');
    }
    if (body.credential !== undefined && !isHeaderSafe(body.credential)) {
      throw new ApiError('invalid_request', {
        message: 'The credential has characters a header cannot carry (use visible ASCII).',
      });
    }
    await rateLimit(req);
    const abort = new AbortController();
    // Stop the outbound call when the tester goes away.
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const { auth } = definition;
    const oauth =
      auth.type === 'oauth2_client_credentials' && body.credential !== undefined
        ? uncachedTokenSource(egress, auth, body.credential, workspaceId, abort.signal, deps.now)
        : undefined;
    // The client secret goes to the token endpoint only: never into the call or the agent view.
    const credential = auth.type === 'none' || oauth ? null : (body.credential ?? null);
    const outcome = await execute(egress, {
      workspaceId,
      action: definition,
      values: body.values,
      identity: sampleIdentity(body.identity),
      credential,
      ...(oauth ? { oauth } : {}),
      signal: abort.signal,
    });
    // A failed token step is about the token URL, not the action's.
    const tokenFailed =
      !outcome.ok && outcome.token?.ok === false && auth.type === 'oauth2_client_credentials';
    const shown: ExecuteOutcome = outcome.ok
      ? outcome
      : (() => {
          const error = withoutResolvedAddresses(outcome.error, tokenFailed ? auth.tokenUrl : definition.url);
          return {
            ...outcome,
            error,
            ...(outcome.token && !outcome.token.ok ? { token: { ...outcome.token, error } } : {}),
          };
        })();
    const result = toTestResult(shown, { definition, credential, budget: config.invokeBodyBudget });
    return { outcome, result };
  }

  router.post(API_ROUTES.testDraft, editor, async (req, res) => {
    const chatbot = await loadChatbot(store, req);
    const body = parseBody(testDraftBodySchema, req.body);
    const validation = validateAction(body.action);
    if (!validation.ok) throw new ApiError('validation_failed', { issues: validation.errors });
    const { result } = await run(req, res, chatbot.workspaceId, validation.action, body);
    // A draft has no action id yet, so no run is recorded for it.
    reply(res, 200, testResultSchema, result);
  });

  router.post(API_ROUTES.actionTest, editor, async (req, res) => {
    const { action } = await loadAction(store, req);
    const body = parseBody(testSavedRequestSchema, req.body);
    const { outcome, result } = await run(req, res, action.workspaceId, action.definition, body);
    await recordRun(deps, action, 'test', outcome);
    reply(res, 200, testResultSchema, result);
  });

  return router;
}
