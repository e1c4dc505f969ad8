import {
  ERROR_CODES,
  type InvokeResult,
  invokeRequestSchema,
  invokeResultSchema,
  needsConfirmation,
  PLANS_WITH_ACTIONS,
  type RenderIdentity,
  renderCompiled,
} from '@aihio/actions-core';
import { checkServiceKey, serviceKeyHashOfHeader } from '../auth/service-key';
import { verifyVisitorIdentity } from '../auth/visitor-identity';
import { credentialAad, identitySecretAad } from '../crypto/types';
import type { AppDeps } from '../deps';
import { agentView } from '../executor/agent-view';
import { CompiledActionCache } from '../executor/compiled-cache';
import { issueConfirmation, redeemConfirmation } from '../executor/confirmation';
import { type ExecuteOutcome, execute } from '../executor/execute';
import { InvokeRateLimiter } from '../executor/invoke-rate-limit';
import { OAuthTokenCache, type TokenSource } from '../executor/oauth/token-cache';
import { recordRun } from '../executor/runs';
import { ApiError } from '../http/errors';
import { parseBody } from '../http/validate';

/** What an invoke needs from the HTTP request, whichever adapter read it. */
export interface InvokeInput {
  /** The `Authorization` header as sent. */
  authorization: string | undefined;
  chatbotId: string;
  identifier: string;
  /** The parsed JSON body (checked against the core schema here). */
  body: unknown;
  /** Fires when the client goes away: the outbound call is cancelled. */
  signal: AbortSignal;
}

/** Runs one agent invoke; resolves with the model-ready result or throws an ApiError. */
export type Invoker = (input: InvokeInput) => Promise<InvokeResult>;

/**
 * The agent invoke, independent of the HTTP framework: the Express route and the lean
 * node:http path of `http/invoke-fast-path.ts` both call it, so the two cannot drift apart.
 *
 * Whatever stops a call before it is made (bad key, plan, unknown identifier, disabled, invalid
 * arguments, unverified visitor, no credential) is an ApiError with its code and status from the
 * core table, and nothing leaves the process. Once the call is made the answer is model-ready:
 * `{ ok: true, status, body, truncated }`, or `{ ok: false, error }` for what egress reports.
 */
export function createInvoker(deps: AppDeps): Invoker {
  const { store, keyring, egress, config } = deps;
  const compiledActions = new CompiledActionCache();
  const oauthTokens = new OAuthTokenCache({ store, keyring, egress, ...(deps.now ? { now: deps.now } : {}) });
  const rateLimiter = new InvokeRateLimiter(store, config.invokeRateLimit);

  return async function invoke(input: InvokeInput): Promise<InvokeResult> {
    // Key, workspace, chatbot and action in one query, checked in the same order as the other
    // agent routes' middleware: 401, then 403, then 404.
    const hash = serviceKeyHashOfHeader(input.authorization);
    const scope = await store.resolveAgentScope(hash, input.chatbotId, input.identifier);
    checkServiceKey(scope?.serviceKey, hash);
    if (!scope) throw new ApiError('unauthenticated');
    // Every authenticated invoke spends a token, refused or not: refusals are cheap for the
    // caller but each writes a run row, and a flood of them wore out retention for everyone.
    const taken = await rateLimiter.take(scope.workspace.id);
    if (!taken.allowed) {
      throw new ApiError('rate_limited', {
        message: 'Too many calls for this workspace. Wait a moment and try again.',
        headers: { 'Retry-After': String(Math.max(1, Math.ceil(taken.retryAfterMs / 1000))) },
      });
    }
    if (!PLANS_WITH_ACTIONS.includes(scope.workspace.plan)) throw new ApiError('plan_required');
    const { chatbot, action } = scope;
    if (!chatbot) throw new ApiError('not_found');
    const body = parseBody(invokeRequestSchema, input.body);
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
      identity = await verifyVisitorIdentity(body.identity, secret, { audience: chatbot.id });
      if (!identity) return refusal('identity_unverified');
    }

    let credential: string | null = null;
    let oauth: TokenSource | undefined;
    const { auth } = action.definition;
    if (auth.type !== 'none') {
      const sealed = action.credentialSealed;
      if (!sealed) return refusal('credential_missing');
      const aad = credentialAad(action.workspaceId, action.id);
      if (auth.type === 'oauth2_client_credentials') {
        // The client secret is opened only when a token must be fetched: a cached token serves
        // the call without it.
        oauth = oauthTokens.source({
          workspaceId: action.workspaceId,
          actionId: action.id,
          auth,
          credentialSealed: sealed,
          openSecret: () => keyring.open(sealed, aad),
        });
      } else {
        credential = await keyring.open(sealed, aad);
      }
    }

    const compiled = compiledActions.get(action);
    // Only actions with side effects (by their confirmation mode) pay for this: a GET on `auto`
    // passes one comparison and goes on as before.
    if (needsConfirmation(action.definition)) {
      const precheck = compiled.ok ? renderCompiled(compiled.compiled, body.arguments, identity) : compiled;
      // An invalid call is refused by execute below (invalid_arguments, identity_unverified, …):
      // the visitor is never asked to confirm a call that cannot run.
      if (precheck.ok && !(action.definition.requireVerifiedIdentity && identity?.method !== 'jwt')) {
        if (body.confirmation === undefined) {
          const confirmation = await issueConfirmation(store, action, body.arguments, identity);
          throw new ApiError('confirmation_required', { confirmation });
        }
        if (!(await redeemConfirmation(store, body.confirmation, action, body.arguments, identity))) {
          return refuse({
            ok: false,
            called: false,
            error: { code: 'confirmation_invalid', message: ERROR_CODES.confirmation_invalid.message },
            durationMs: Math.round(performance.now() - started),
          });
        }
      }
    }

    const outcome = await execute(egress, {
      workspaceId: action.workspaceId,
      action: action.definition,
      values: body.arguments,
      identity,
      credential,
      ...(oauth ? { oauth } : {}),
      signal: input.signal,
      compiled,
    });
    if (!outcome.ok && !outcome.called) return refuse(outcome);
    void recordRun(deps, action, 'agent', outcome);

    if (outcome.ok) {
      // Credential redacted, the action's response shaping applied (compiled once per version,
      // with the templates), then cut to the model-ready budget.
      const view = agentView({
        body: outcome.body,
        truncated: outcome.truncated,
        credential,
        alsoRedact: outcome.sentSecrets ?? [],
        shaper: compiled.ok ? compiled.compiled.response : null,
        budget: config.invokeBodyBudget,
      });
      return invokeResultSchema.parse({ ok: true, status: outcome.status, ...view });
    }
    // The table's message: egress's own names hosts and addresses, which the model has no use for.
    return invokeResultSchema.parse({
      ok: false,
      error: { code: outcome.error.code, message: ERROR_CODES[outcome.error.code].message },
    });
  };
}
