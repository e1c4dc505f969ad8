import { z } from 'zod';
import {
  actionDefinitionSchema,
  identityFieldSchema,
  LIMITS,
  methodSchema,
  runSourceSchema,
  storedActionSchema,
} from './action';
import { errorCodes, ISSUE_CODES } from './errors';
import { TOOL_FORMATS } from './tool';

/**
 * The HTTP contract of the BFF: every request and response body of `/api/v1` (dashboard) and
 * `/agent/v1` (agent runtime). The BFF validates with these schemas and the UI client parses
 * with them, so the two can never drift. Paths are in `API_ROUTES`.
 */

export const issueSchema = z.object({
  code: z.enum(ISSUE_CODES),
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
});

/** What the visitor confirms (core's `summarizeCall`): the values sent and where, never a secret. */
export const confirmationSummarySchema = z.object({
  text: z.string(),
  action: z.string(),
  label: z.string().nullable(),
  method: methodSchema,
  host: z.string(),
  values: z.array(z.object({ name: z.string(), label: z.string(), value: z.string() })),
  identityFields: z.array(identityFieldSchema),
});

/**
 * With `confirmation_required`: the summary to show the visitor and a single-use token, bound to
 * the action (id and version), the exact arguments, the chatbot and the visitor, valid until
 * `expiresAt`. Re-invoke with the same arguments and `confirmation: token` once the visitor agrees.
 */
export const confirmationChallengeSchema = z.object({
  token: z.string(),
  expiresAt: z.iso.datetime(),
  summary: confirmationSummarySchema,
});
export type ConfirmationChallenge = z.infer<typeof confirmationChallengeSchema>;

/** `{ error: { code, message, details? } }`: every non-2xx response of the BFF. */
export const errorEnvelopeSchema = z.object({
  error: z.object({
    code: z.enum(errorCodes as [string, ...string[]]),
    message: z.string(),
    /**
     * For `validation_failed` and `invalid_arguments`: the issues, each with its path. For
     * `confirmation_required`: the confirmation to ask the visitor for.
     */
    details: z
      .object({
        issues: z.array(issueSchema).optional(),
        confirmation: confirmationChallengeSchema.optional(),
      })
      .optional(),
  }),
});
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

// ---------- lists ----------

/** Every list route pages: `?limit=` (1 … 100) and `?cursor=`, the previous page's `nextCursor`. */
export const MAX_PAGE_SIZE = 100;
export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
  /** Opaque: only ever a `nextCursor` the same list handed out (else `invalid_cursor`). */
  cursor: z.string().min(1).max(1024).optional(),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

/**
 * The cursor of the next page, null on the last. Defaults to null when parsing an answer of a BFF
 * that predates paging (it sent the whole list).
 */
export const nextCursorSchema = z.string().nullable().default(null);

// ---------- workspace and chatbots ----------

export const PLANS = ['free', 'starter', 'pro', 'enterprise'] as const;
export const planSchema = z.enum(PLANS);
export type Plan = z.infer<typeof planSchema>;
/** Actions need Starter or above. */
export const PLANS_WITH_ACTIONS: readonly Plan[] = ['starter', 'pro', 'enterprise'];

export const ROLES = ['viewer', 'editor', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const meResponseSchema = z.object({
  user: z.object({ id: z.string(), name: z.string().optional() }),
  workspace: z.object({ id: z.string(), name: z.string(), plan: planSchema }),
  role: roleSchema,
});
export type MeResponse = z.infer<typeof meResponseSchema>;

export const chatbotSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Whether a secret for verifying visitors' signed identity JWTs is stored (never the secret). */
  identitySecret: z.object({ last4: z.string() }).nullable(),
});
export type Chatbot = z.infer<typeof chatbotSchema>;
export const chatbotListResponseSchema = z.object({
  chatbots: z.array(chatbotSchema),
  nextCursor: nextCursorSchema,
});
export const createChatbotRequestSchema = z.object({ name: z.string().trim().min(1).max(120) });
export type CreateChatbotRequest = z.infer<typeof createChatbotRequestSchema>;

/**
 * The chatbot's identity secret signs visitors' HS256 JWTs. A visitor holds a token signed with it
 * and can guess offline, so a short secret would let them forge any identity: 32 characters at least.
 */
export const setSecretRequestSchema = z.object({
  secret: z
    .string()
    .min(32, 'Use at least 32 characters: visitors could guess a shorter secret offline.')
    .max(4096),
});
export type SetSecretRequest = z.infer<typeof setSecretRequestSchema>;

// ---------- actions ----------

export const actionListResponseSchema = z.object({
  actions: z.array(storedActionSchema),
  nextCursor: nextCursorSchema,
});
export type ActionListResponse = z.infer<typeof actionListResponseSchema>;

/** Create and update take the definition; the response is the stored action (ETag: its version). */
export const saveActionRequestSchema = actionDefinitionSchema;
export type SaveActionRequest = z.infer<typeof saveActionRequestSchema>;

export const setEnabledRequestSchema = z.object({ enabled: z.boolean() });
export type SetEnabledRequest = z.infer<typeof setEnabledRequestSchema>;

/** Write-only: the response shows only `credential.last4` of the stored action. */
export const setCredentialRequestSchema = z.object({ secret: z.string().min(1).max(4096) });
export type SetCredentialRequest = z.infer<typeof setCredentialRequestSchema>;

// ---------- values, identity and running ----------

/** What an agent or a tester supplies for parameters. Numbers become text; anything else is rejected by `renderRequest`. */
export const argumentValuesSchema = z.record(z.string(), z.unknown());
export type ArgumentValues = z.infer<typeof argumentValuesSchema>;

/** Sample verified-visitor fields for a test run (the owner stands in for a JWT-verified visitor). */
export const sampleIdentitySchema = z.partialRecord(identityFieldSchema, z.string().max(LIMITS.value));
export type SampleIdentity = z.infer<typeof sampleIdentitySchema>;

export const testRequestBaseSchema = z.object({
  values: argumentValuesSchema,
  identity: sampleIdentitySchema.optional(),
  /** Used for this one call and never stored. Required when the action is authenticated. */
  credential: z.string().min(1).max(4096).optional(),
});
/** Test a saved action: `POST …/actions/:actionId/test`. */
export const testSavedRequestSchema = testRequestBaseSchema;
export type TestSavedRequest = z.infer<typeof testSavedRequestSchema>;
/** Test a draft before saving: `POST …/actions/test`. */
export const testDraftRequestSchema = testRequestBaseSchema.extend({ action: actionDefinitionSchema });
export type TestDraftRequest = z.infer<typeof testDraftRequestSchema>;

/** Response headers shown to the owner: a fixed, safe selection (never Set-Cookie). */
export const SHOWN_RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'cache-control',
  'date',
  'etag',
  'last-modified',
  'location',
  'retry-after',
  'x-request-id',
] as const;

export const runErrorSchema = z.object({
  code: z.enum(errorCodes as [string, ...string[]]),
  message: z.string(),
  issues: z.array(issueSchema).optional(),
});
export type RunError = z.infer<typeof runErrorSchema>;

/**
 * The OAuth 2.0 token step that ran before the call (client credentials auth only): an access
 * token obtained (or reused from the cache) with its lifetime in seconds (`null`: the server gave
 * none, so it is used for this one call), or the coded failure with what the token endpoint said
 * (its `error` and `error_description`, sanitised). Never the token or the secret.
 */
export const tokenStepSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    /** True when a cached token was used instead of a new one from the token endpoint. */
    reused: z.boolean(),
    expiresIn: z.number().int().nonnegative().nullable(),
  }),
  z.object({
    ok: z.literal(false),
    error: runErrorSchema,
    /** The token endpoint's HTTP status, when it answered. */
    status: z.number().int().nullable(),
    /** RFC 6749 §5.2 `error` and `error_description`, cut and limited to printable ASCII. */
    oauthError: z.string().optional(),
    oauthErrorDescription: z.string().optional(),
  }),
]);
export type TokenStep = z.infer<typeof tokenStepSchema>;

/** The outcome of one call, for the test panel. A failed call is a result, not an HTTP error. */
export const testResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    token: tokenStepSchema.optional(),
    status: z.number().int(),
    headers: z.record(z.string(), z.string()),
    body: z.string(),
    /** True when the body was cut at the response cap. */
    truncated: z.boolean(),
    durationMs: z.number(),
    /**
     * What the agent would receive of this response (credential redacted, the action's response
     * shaping applied, cut to the model-ready budget), beside the raw `body` above.
     */
    agent: z.object({ body: z.string(), truncated: z.boolean() }).optional(),
  }),
  z.object({
    ok: z.literal(false),
    error: runErrorSchema,
    durationMs: z.number(),
    token: tokenStepSchema.optional(),
  }),
]);
export type TestResult = z.infer<typeof testResultSchema>;

export const runRecordSchema = z.object({
  id: z.string(),
  actionId: z.string(),
  at: z.iso.datetime(),
  source: runSourceSchema,
  /** `ok` or an error code. Never values, bodies or secrets. */
  outcome: z.string(),
  httpStatus: z.number().int().nullable(),
  durationMs: z.number(),
  responseBytes: z.number().int().nullable(),
  /**
   * True when the upstream's response body was cut at the egress response cap (the test result's
   * `truncated`), not the agent's smaller body budget. Always present in the BFF's answers (runs
   * recorded before the field existed read `false`); defaults to `false` when parsing a record
   * from a BFF that predates it, so a newer client still reads an older server.
   */
  truncated: z.boolean().default(false),
});
export type RunRecord = z.infer<typeof runRecordSchema>;
export const runListResponseSchema = z.object({
  runs: z.array(runRecordSchema),
  nextCursor: nextCursorSchema,
});

// ---------- service keys (agent runtime authentication) ----------

export const serviceKeySchema = z.object({ id: z.string(), last4: z.string(), createdAt: z.iso.datetime() });
export const createServiceKeyResponseSchema = serviceKeySchema.extend({
  /** Shown once, at creation. Stored hashed. */
  key: z.string(),
});
export const serviceKeyListResponseSchema = z.object({
  keys: z.array(serviceKeySchema),
  nextCursor: nextCursorSchema,
});

// ---------- agent API ----------

export const toolDefinitionSchema = z.object({
  name: z.string(),
  description: z.string(),
  parameters: z.object({
    type: z.literal('object'),
    properties: z.record(z.string(), z.record(z.string(), z.unknown())),
    required: z.array(z.string()),
    additionalProperties: z.literal(false),
  }),
});
export type ToolDefinition = z.infer<typeof toolDefinitionSchema>;
export const toolListResponseSchema = z.object({ tools: z.array(toolDefinitionSchema) });
/** `GET …/tools?format=`: which shape the tools come in (core's `toToolDefinition` formats). */
export const toolListQuerySchema = z.object({ format: z.enum(TOOL_FORMATS).default('json-schema') });
/** The tools in any format: each is the provider's own shape (see `ToolDefinitionByFormat`). */
export const formattedToolListResponseSchema = z.object({
  tools: z.array(z.record(z.string(), z.unknown())),
});

/** The widget's verification of the visitor: a signed JWT, or an HMAC user hash (display only). */
export const visitorIdentitySchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('jwt'), token: z.string().min(1).max(8192) }),
  z.object({
    method: z.literal('hmac'),
    userId: z.string().min(1).max(256),
    hash: z.string().min(1).max(256),
  }),
]);
export type VisitorIdentity = z.infer<typeof visitorIdentitySchema>;

export const invokeRequestSchema = z.object({
  arguments: argumentValuesSchema,
  identity: visitorIdentitySchema.optional(),
  /** The token of a `confirmation_required` answer, once the visitor has agreed. */
  confirmation: z.string().min(1).max(256).optional(),
});
export type InvokeRequest = z.infer<typeof invokeRequestSchema>;

/** Model-ready: the status and the body as text cut to a budget, or a coded error. */
export const invokeResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), status: z.number().int(), body: z.string(), truncated: z.boolean() }),
  z.object({ ok: z.literal(false), error: runErrorSchema }),
]);
export type InvokeResult = z.infer<typeof invokeResultSchema>;

/** Fetch an OpenAPI document by URL for the import dialog (the BFF fetches it through egress). */
export const openApiFetchRequestSchema = z.object({ url: z.string().min(1).max(LIMITS.url) });
export type OpenApiFetchRequest = z.infer<typeof openApiFetchRequestSchema>;
export const openApiFetchResponseSchema = z.object({
  /** The URL as fetched. */
  url: z.string(),
  /** The document's text (JSON or YAML); the kit imports it with `importOpenApi`. */
  text: z.string(),
});
export type OpenApiFetchResponse = z.infer<typeof openApiFetchResponseSchema>;

// ---------- routes ----------

/** Route templates (Express syntax). The UI client and the OpenAPI document use the same list. */
export const API_ROUTES = {
  me: '/api/v1/me',
  chatbots: '/api/v1/chatbots',
  chatbot: '/api/v1/chatbots/:chatbotId',
  identitySecret: '/api/v1/chatbots/:chatbotId/identity-secret',
  actions: '/api/v1/chatbots/:chatbotId/actions',
  testDraft: '/api/v1/chatbots/:chatbotId/actions/test',
  openApiFetch: '/api/v1/chatbots/:chatbotId/openapi/fetch',
  action: '/api/v1/chatbots/:chatbotId/actions/:actionId',
  actionEnabled: '/api/v1/chatbots/:chatbotId/actions/:actionId/enabled',
  actionCredential: '/api/v1/chatbots/:chatbotId/actions/:actionId/credential',
  actionTest: '/api/v1/chatbots/:chatbotId/actions/:actionId/test',
  actionRuns: '/api/v1/chatbots/:chatbotId/actions/:actionId/runs',
  serviceKeys: '/api/v1/service-keys',
  serviceKey: '/api/v1/service-keys/:keyId',
  agentTools: '/agent/v1/chatbots/:chatbotId/tools',
  agentInvoke: '/agent/v1/chatbots/:chatbotId/actions/:identifier/invoke',
  /** The chatbot's MCP server (Streamable HTTP, stateless): one tool per enabled action. */
  agentMcp: '/agent/v1/chatbots/:chatbotId/mcp',
} as const;
export type ApiRoute = keyof typeof API_ROUTES;

/** Fill a route template: `routePath('action', { chatbotId, actionId })`. Segments are percent-encoded. */
export function routePath(route: ApiRoute, params: Record<string, string> = {}): string {
  return API_ROUTES[route].replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`routePath(${route}): missing parameter ${name}`);
    return encodeURIComponent(value);
  });
}
