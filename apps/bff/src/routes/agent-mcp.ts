import {
  API_ROUTES,
  type ConfirmationChallenge,
  type InvokeResult,
  PLANS_WITH_ACTIONS,
  toToolDefinition,
} from '@aihio/actions-core';
import { toNodeHandler } from '@modelcontextprotocol/node';
import {
  type AuthInfo,
  type CallToolResult,
  createMcpHandler,
  inputRequired,
  inputResponse,
  ProtocolError,
  ProtocolErrorCode,
  Server,
  type Tool,
} from '@modelcontextprotocol/server';
import { type Request, Router } from 'express';
import { checkServiceKey, serviceKeyHashOf } from '../auth/service-key';
import type { AppDeps } from '../deps';
import { ApiError } from '../http/errors';
import type { Invoker } from './agent-invoke';
import { param } from './scope';

/**
 * `POST /agent/v1/chatbots/:chatbotId/mcp`: the chatbot's actions as an MCP server (Streamable
 * HTTP, stateless), with the official SDK: `createMcpHandler` serves the 2026-07-28 revision
 * (`server/discover`, a per-request envelope) and 2025-era clients (`initialize`) through its
 * stateless fallback, from one per-request server factory, so nothing of one caller reaches
 * another's request.
 *
 * In front of it, the BFF's own rules, in this order: an `Origin` outside AIHIO_CORS_ORIGINS is
 * 403 (DNS-rebinding protection; requests without `Origin` are served), a missing or unknown
 * service key 401 (before the chatbot is looked up), a workspace below Starter 402, a chatbot
 * outside the key's workspace 404. These are the BFF's error envelopes, not JSON-RPC.
 *
 * `tools/call` runs the agent invoke itself (the same Invoker as `POST …/invoke`): validation,
 * identity, credential, egress, body budget, run record and redaction are that code, not a copy.
 */

/** The `_meta` key a client puts a confirmation token under when it re-calls a tool. */
export const CONFIRMATION_META_KEY = 'ai.aihio/confirmation';
/** The request header carrying the visitor's identity JWT, for that HTTP request only. */
export const IDENTITY_HEADER = 'aihio-identity';

/** What the factory needs of the HTTP request, passed as the SDK's pass-through `authInfo`. */
interface McpScope {
  workspaceId: string;
  chatbotId: string;
  authorization: string;
  identityJwt: string | null;
}

/** Whatever stops a call before it is made is the model's to read: a result, not a protocol error. */
function refusalResult(error: ApiError): CallToolResult {
  const lines = [`${error.code}: ${error.message}`];
  for (const issue of error.details?.issues ?? []) lines.push(`- ${issue.path.join('.')}: ${issue.message}`);
  const confirmation = error.details?.confirmation;
  if (confirmation) {
    lines.push(
      `Ask the visitor: ${confirmation.summary.text}`,
      `Once they agree, call this tool again with the same arguments and _meta {"${CONFIRMATION_META_KEY}": "${confirmation.token}"}.`,
    );
  }
  return {
    isError: true,
    content: [{ type: 'text', text: lines.join('\n') }],
    ...(confirmation ? { _meta: { [CONFIRMATION_META_KEY]: confirmation } } : {}),
  };
}

/** The invoke's model-ready answer as a tool result: the status in a short preamble, then the body. */
function invokeResult(result: InvokeResult): CallToolResult {
  if (!result.ok) {
    return {
      isError: true,
      content: [{ type: 'text', text: `${result.error.code}: ${result.error.message}` }],
    };
  }
  const success = result.status >= 200 && result.status < 300;
  const preamble = success
    ? `HTTP ${result.status}${result.truncated ? ' (body cut to the budget)' : ''}`
    : `The endpoint answered HTTP ${result.status}${result.truncated ? ' (body cut to the budget)' : ''}`;
  const out: CallToolResult = {
    isError: !success,
    content: [{ type: 'text', text: result.body === '' ? preamble : `${preamble}\n\n${result.body}` }],
  };
  if (success && !result.truncated) {
    const json = parseObject(result.body);
    if (json) out.structuredContent = json;
  }
  return out;
}

function parseObject(text: string): Record<string, unknown> | null {
  const first = text.trimStart()[0];
  if (first !== '{') return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function scopeOf(authInfo: AuthInfo | undefined): McpScope {
  const scope = authInfo?.extra?.aihio as McpScope | undefined;
  // The route sets it on every request before the SDK sees it.
  if (!scope) throw new Error('MCP request without its scope');
  return scope;
}

export function mcpRouter(deps: AppDeps, invoke: Invoker): Router {
  const { store, config } = deps;
  const allowedOrigins = new Set(config.corsOrigins);

  const handler = createMcpHandler(
    ({ authInfo, era }) => {
      const scope = scopeOf(authInfo);
      const server = new Server(
        { name: 'aihio-actions', version: '1.0.0' },
        {
          capabilities: { tools: {} },
          instructions:
            'Each tool is an HTTPS action of this chatbot. Fill its arguments from the conversation. A tool with side effects asks the visitor to confirm before it runs.',
        },
      );

      server.setRequestHandler('tools/list', async () => {
        const actions = await store.listActions(scope.workspaceId, scope.chatbotId);
        return {
          tools: actions
            .filter((action) => action.definition.enabled)
            // Plain JSON built by core; the SDK types its schemas as JSON values.
            .map((action) => toToolDefinition(action.definition, { format: 'mcp' }) as unknown as Tool),
        };
      });

      server.setRequestHandler('tools/call', async (request, ctx) => {
        const { name, arguments: args = {}, _meta } = request.params;
        const fromMeta = _meta?.[CONFIRMATION_META_KEY];
        // A client that took part in the protocol's own confirmation (2026-07-28 input_required)
        // comes back with the visitor's answer and the token as its request state.
        const answer = inputResponse(ctx.mcpReq.inputResponses, 'confirm');
        const state = ctx.mcpReq.requestState<string>();
        let confirmation = typeof fromMeta === 'string' ? fromMeta : undefined;
        if (answer.kind === 'elicit' && typeof state === 'string') {
          if (answer.action !== 'accept' || answer.content?.confirm !== true) {
            return {
              isError: true,
              content: [{ type: 'text', text: 'The visitor did not confirm, so the call was not made.' }],
            };
          }
          confirmation = state;
        }

        const run = (token: string | undefined) =>
          invoke({
            authorization: scope.authorization,
            chatbotId: scope.chatbotId,
            identifier: name,
            body: {
              arguments: args,
              ...(scope.identityJwt ? { identity: { method: 'jwt', token: scope.identityJwt } } : {}),
              ...(token ? { confirmation: token } : {}),
            },
            signal: ctx.mcpReq.signal,
          });
        try {
          return invokeResult(await run(confirmation));
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          // Not listed, so not callable: the protocol's own unknown-tool error (no call was made).
          if (error.code === 'not_found' || error.code === 'action_disabled') {
            throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${name}`);
          }
          const challenge = error.details?.confirmation;
          if (challenge && era === 'modern' && server.getClientCapabilities()?.elicitation) {
            return askVisitor(challenge);
          }
          return refusalResult(error);
        }
      });
      return server;
    },
    {
      legacy: 'stateless',
      maxRequestBodySize: config.bodyLimitBytes,
      onerror: (error) => deps.logger.warn({ err: error }, 'mcp request failed'),
    },
  );
  const serve = toNodeHandler(handler, { maxRequestBodySize: config.bodyLimitBytes });

  const router = Router();
  router.all(API_ROUTES.agentMcp, async (req, res) => {
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin)) {
      throw new ApiError('forbidden', { message: 'Requests from this Origin may not use the MCP server.' });
    }
    const hash = serviceKeyHashOf(req);
    const key = checkServiceKey(await store.findServiceKeyByHash(hash), hash);
    const workspace = await store.getWorkspace(key.workspaceId);
    if (!workspace) throw new ApiError('unauthenticated');
    if (!PLANS_WITH_ACTIONS.includes(workspace.plan)) throw new ApiError('plan_required');
    const chatbot = await store.getChatbot(workspace.id, param(req, 'chatbotId'));
    if (!chatbot) throw new ApiError('not_found');

    const scope: McpScope = {
      workspaceId: workspace.id,
      chatbotId: chatbot.id,
      authorization: req.headers.authorization ?? '',
      identityJwt: identityHeader(req),
    };
    // The SDK forwards `req.auth` to the server factory as its pass-through authInfo.
    (req as Request & { auth?: AuthInfo }).auth = {
      token: '',
      clientId: key.id,
      scopes: [],
      extra: { aihio: scope },
    };
    await serve(req, res, req.body);
  });
  return router;
}

/** The protocol's own way to ask (2026-07-28 input_required): the client shows it to the visitor. */
function askVisitor(challenge: ConfirmationChallenge) {
  return inputRequired({
    inputRequests: {
      confirm: inputRequired.elicit({
        mode: 'form',
        message: challenge.summary.text,
        requestedSchema: {
          type: 'object',
          properties: {
            confirm: { type: 'boolean', title: 'Confirm', description: 'Make this call now.' },
          },
          required: ['confirm'],
        },
      }),
    },
    // The token itself: single-use, bound server-side to this exact call, so a client that
    // tampers with the state can at most fail to redeem it.
    requestState: challenge.token,
  });
}

function identityHeader(req: Request): string | null {
  const value = req.headers[IDENTITY_HEADER];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}
