import {
  API_ROUTES,
  type ApiRoute,
  actionDefinitionSchema,
  actionListResponseSchema,
  chatbotListResponseSchema,
  chatbotSchema,
  createChatbotRequestSchema,
  createServiceKeyResponseSchema,
  ERROR_CODES,
  type ErrorCode,
  errorEnvelopeSchema,
  invokeRequestSchema,
  invokeResultSchema,
  meResponseSchema,
  openApiFetchRequestSchema,
  openApiFetchResponseSchema,
  runListResponseSchema,
  serviceKeyListResponseSchema,
  setCredentialRequestSchema,
  setEnabledRequestSchema,
  setSecretRequestSchema,
  storedActionSchema,
  TOOL_FORMATS,
  testDraftRequestSchema,
  testResultSchema,
  testSavedRequestSchema,
  toolListResponseSchema,
} from '@aihio/actions-core';
import { z } from 'zod';

/**
 * `/openapi.json`: OpenAPI 3.1 generated from the core zod schemas with zod's own
 * `z.toJSONSchema` (3.1 uses JSON Schema 2020-12, zod's default target), so the document is the
 * contract the BFF validates with, not a second description of it.
 */

type Method = 'get' | 'post' | 'put' | 'delete';
type Security = 'session' | 'serviceKey';

interface Operation {
  route: ApiRoute;
  method: Method;
  summary: string;
  security: Security;
  request?: string;
  /** Success status and response component (none: empty body). */
  success: [number, string | null];
  errors: ErrorCode[];
  ifMatch?: 'required' | 'optional';
  etag?: boolean;
  query?: { name: string; description: string; schema: Record<string, unknown> }[];
  /** Part of plan gating (`plan_required`). */
  actions?: boolean;
}

/**
 * MCP messages follow the protocol's own schema (modelcontextprotocol.io); the document names only
 * their JSON-RPC envelope. A response may also come as text/event-stream.
 */
const mcpMessageSchema = z.looseObject({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.string(), z.number()]).optional(),
  method: z.string().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  result: z.record(z.string(), z.unknown()).optional(),
  error: z.object({ code: z.number(), message: z.string() }).optional(),
});

const REQUESTS = {
  CreateChatbotRequest: createChatbotRequestSchema,
  SetSecretRequest: setSecretRequestSchema,
  ActionDefinition: actionDefinitionSchema,
  SetEnabledRequest: setEnabledRequestSchema,
  SetCredentialRequest: setCredentialRequestSchema,
  TestSavedRequest: testSavedRequestSchema,
  TestDraftRequest: testDraftRequestSchema,
  OpenApiFetchRequest: openApiFetchRequestSchema,
  InvokeRequest: invokeRequestSchema,
  McpRequest: mcpMessageSchema,
} as const;

const RESPONSES = {
  ErrorEnvelope: errorEnvelopeSchema,
  MeResponse: meResponseSchema,
  Chatbot: chatbotSchema,
  ChatbotListResponse: chatbotListResponseSchema,
  StoredAction: storedActionSchema,
  ActionListResponse: actionListResponseSchema,
  TestResult: testResultSchema,
  OpenApiFetchResponse: openApiFetchResponseSchema,
  RunListResponse: runListResponseSchema,
  CreateServiceKeyResponse: createServiceKeyResponseSchema,
  ServiceKeyListResponse: serviceKeyListResponseSchema,
  ToolListResponse: toolListResponseSchema,
  InvokeResult: invokeResultSchema,
  McpResponse: mcpMessageSchema,
} as const;

const READ: ErrorCode[] = ['unauthenticated', 'not_found', 'unavailable', 'internal_error'];
const LIST: ErrorCode[] = [...READ, 'invalid_request', 'invalid_cursor'];
/** Every list pages: `limit` (1 … 100) and the previous page's `nextCursor`. */
const PAGE_QUERY = [
  {
    name: 'limit',
    description: 'At most this many items (1 to 100; default 100, runs 50).',
    schema: { type: 'integer', minimum: 1, maximum: 100 },
  },
  {
    name: 'cursor',
    description: 'The nextCursor of the previous page (opaque); absent for the first page.',
    schema: { type: 'string', maxLength: 1024 },
  },
];
const WRITE: ErrorCode[] = [...READ, 'forbidden', 'invalid_request', 'payload_too_large'];

export const OPERATIONS: Operation[] = [
  {
    route: 'me',
    method: 'get',
    summary: 'The signed-in user, workspace and role',
    security: 'session',
    success: [200, 'MeResponse'],
    errors: READ,
  },
  {
    route: 'chatbots',
    method: 'get',
    summary: 'List the workspace’s chatbots, a page at a time',
    security: 'session',
    success: [200, 'ChatbotListResponse'],
    errors: LIST,
    query: PAGE_QUERY,
  },
  {
    route: 'chatbots',
    method: 'post',
    summary: 'Create a chatbot',
    security: 'session',
    request: 'CreateChatbotRequest',
    success: [201, 'Chatbot'],
    errors: [...WRITE, 'quota_exceeded'],
  },
  {
    route: 'chatbot',
    method: 'get',
    summary: 'Read a chatbot',
    security: 'session',
    success: [200, 'Chatbot'],
    errors: READ,
  },
  {
    route: 'identitySecret',
    method: 'put',
    summary: 'Set the identity-verification secret (write-only; only last4 returns)',
    security: 'session',
    request: 'SetSecretRequest',
    success: [200, 'Chatbot'],
    errors: WRITE,
  },
  {
    route: 'identitySecret',
    method: 'delete',
    summary: 'Remove the identity-verification secret',
    security: 'session',
    success: [200, 'Chatbot'],
    errors: WRITE,
  },
  {
    route: 'actions',
    method: 'get',
    summary: 'List a chatbot’s actions with their last run, a page at a time',
    security: 'session',
    success: [200, 'ActionListResponse'],
    errors: LIST,
    query: PAGE_QUERY,
    actions: true,
  },
  {
    route: 'actions',
    method: 'post',
    summary: 'Create an action',
    security: 'session',
    request: 'ActionDefinition',
    success: [201, 'StoredAction'],
    errors: [...WRITE, 'validation_failed', 'identifier_taken', 'quota_exceeded'],
    etag: true,
    actions: true,
  },
  {
    route: 'testDraft',
    method: 'post',
    summary: 'Test a draft action with sample values (no run is recorded)',
    security: 'session',
    request: 'TestDraftRequest',
    success: [200, 'TestResult'],
    errors: [...WRITE, 'validation_failed', 'credential_required', 'rate_limited'],
    actions: true,
  },
  {
    route: 'openApiFetch',
    method: 'post',
    summary:
      'Fetch an OpenAPI document by URL for the import dialog, through the guarded egress (https, port 443, checked addresses, no redirects, the response cap); the kit imports the text with importOpenApi',
    security: 'session',
    request: 'OpenApiFetchRequest',
    success: [200, 'OpenApiFetchResponse'],
    errors: [
      ...WRITE,
      'rate_limited',
      'import_fetch_failed',
      'response_too_large',
      'blocked_destination',
      'invalid_url',
      'dns_failed',
      'connect_failed',
      'tls_failed',
      'timeout',
    ],
    actions: true,
  },
  {
    route: 'action',
    method: 'get',
    summary: 'Read an action',
    security: 'session',
    success: [200, 'StoredAction'],
    errors: READ,
    etag: true,
    actions: true,
  },
  {
    route: 'action',
    method: 'put',
    summary:
      'Update an action (If-Match with its version); a new auth type or host drops the stored credential',
    security: 'session',
    request: 'ActionDefinition',
    success: [200, 'StoredAction'],
    errors: [...WRITE, 'validation_failed', 'identifier_taken', 'version_conflict', 'precondition_required'],
    ifMatch: 'required',
    etag: true,
    actions: true,
  },
  {
    route: 'action',
    method: 'delete',
    summary: 'Delete an action',
    security: 'session',
    success: [204, null],
    errors: [...WRITE, 'version_conflict'],
    ifMatch: 'optional',
    actions: true,
  },
  {
    route: 'actionEnabled',
    method: 'put',
    summary: 'Turn an action on or off',
    security: 'session',
    request: 'SetEnabledRequest',
    success: [200, 'StoredAction'],
    errors: [...WRITE, 'version_conflict'],
    ifMatch: 'optional',
    etag: true,
    actions: true,
  },
  {
    route: 'actionCredential',
    method: 'put',
    summary:
      'Set or replace the credential (write-only; only last4 returns). Send If-Match with the version the owner saw, so the secret is never stored against an edit that moved the action to another host or auth',
    security: 'session',
    request: 'SetCredentialRequest',
    success: [200, 'StoredAction'],
    errors: [...WRITE, 'version_conflict'],
    ifMatch: 'optional',
    etag: true,
    actions: true,
  },
  {
    route: 'actionCredential',
    method: 'delete',
    summary: 'Remove the credential (If-Match recommended, as for setting it)',
    security: 'session',
    success: [200, 'StoredAction'],
    errors: [...WRITE, 'version_conflict'],
    ifMatch: 'optional',
    etag: true,
    actions: true,
  },
  {
    route: 'actionTest',
    method: 'post',
    summary: 'Test a saved action with sample values',
    security: 'session',
    request: 'TestSavedRequest',
    success: [200, 'TestResult'],
    errors: [...WRITE, 'credential_required', 'rate_limited'],
    actions: true,
  },
  {
    route: 'actionRuns',
    method: 'get',
    summary: 'Run history of an action, newest first (no values, bodies or secrets)',
    security: 'session',
    success: [200, 'RunListResponse'],
    errors: LIST,
    query: PAGE_QUERY,
    actions: true,
  },
  {
    route: 'serviceKeys',
    method: 'get',
    summary: 'List service keys (admins), a page at a time',
    security: 'session',
    success: [200, 'ServiceKeyListResponse'],
    errors: [...LIST, 'forbidden'],
    query: PAGE_QUERY,
  },
  {
    route: 'serviceKeys',
    method: 'post',
    summary: 'Create a service key for an agent runtime; the key is shown once (admins)',
    security: 'session',
    success: [201, 'CreateServiceKeyResponse'],
    errors: [...WRITE, 'quota_exceeded'],
  },
  {
    route: 'serviceKey',
    method: 'delete',
    summary: 'Revoke a service key (admins)',
    security: 'session',
    success: [204, null],
    errors: WRITE,
  },
  {
    route: 'agentTools',
    method: 'get',
    summary:
      'The chatbot’s enabled actions as tool definitions, in the format a model API takes (default: ToolListResponse; other formats: each tool in its provider’s own shape)',
    security: 'serviceKey',
    success: [200, 'ToolListResponse'],
    errors: [...READ, 'invalid_request'],
    query: [
      {
        name: 'format',
        description:
          'json-schema (default: { name, description, parameters }), openai (Chat Completions, strict), openai-responses (Responses API, strict), anthropic (input_schema, strict) or mcp (MCP Tool with annotations).',
        schema: { type: 'string', enum: [...TOOL_FORMATS], default: 'json-schema' },
      },
    ],
    actions: true,
  },
  {
    route: 'agentMcp',
    method: 'post',
    summary:
      'The chatbot’s MCP server (Streamable HTTP, stateless; protocol 2026-07-28 and 2025-11-25): tools/list has one tool per enabled action, tools/call runs the invoke. The visitor’s identity JWT travels per request in the Aihio-Identity header. An Origin outside AIHIO_CORS_ORIGINS is 403.',
    security: 'serviceKey',
    request: 'McpRequest',
    success: [200, 'McpResponse'],
    errors: [
      'unauthenticated',
      'forbidden',
      'not_found',
      'invalid_request',
      'payload_too_large',
      'internal_error',
    ],
    actions: true,
  },
  {
    route: 'agentInvoke',
    method: 'post',
    summary:
      'Run an action by identifier. Refusals before the call are errors; egress failures are { ok: false } results. Every authenticated invoke, refused or not, spends a token of the workspace rate (rate_limited with Retry-After)',
    security: 'serviceKey',
    request: 'InvokeRequest',
    success: [200, 'InvokeResult'],
    errors: [
      'unauthenticated',
      'not_found',
      'rate_limited',
      'invalid_request',
      'payload_too_large',
      'action_disabled',
      'invalid_arguments',
      'identity_unverified',
      'confirmation_required',
      'confirmation_invalid',
      'credential_missing',
      'overloaded',
      'unavailable',
      'internal_error',
    ],
    actions: true,
  },
];

function components(io: 'input' | 'output', schemas: Record<string, z.ZodType>) {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const result = z.toJSONSchema(registry, {
    io,
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
  });
  const out: Record<string, unknown> = {};
  for (const [id, schema] of Object.entries(result.schemas)) {
    const { $schema: _drop, $id: _id, ...rest } = schema as Record<string, unknown>;
    out[id] = rest;
  }
  return out;
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const template = API_ROUTES[op.route];
    const path = template.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: unknown[] = [...template.matchAll(/:([A-Za-z]+)/g)].map((match) => ({
      name: match[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (op.ifMatch) {
      parameters.push({
        name: 'If-Match',
        in: 'header',
        required: op.ifMatch === 'required',
        description:
          op.ifMatch === 'required'
            ? 'The action version from its ETag, for example "3" (also W/"3" or 3). Another version is 412 version_conflict, nothing changed.'
            : 'The action version from its ETag, for example "3" (also W/"3" or 3). Optional, and clients should send it: without it the write is unconditional; another version is 412 version_conflict, nothing changed.',
        schema: { type: 'string' },
      });
    }
    for (const query of op.query ?? []) parameters.push({ in: 'query', required: false, ...query });

    const errors = new Set<ErrorCode>(op.errors);
    if (op.actions) errors.add('plan_required');
    const responses: Record<string, unknown> = {};
    const [status, body] = op.success;
    responses[String(status)] = {
      description: 'Success',
      ...(op.etag
        ? { headers: { ETag: { description: 'The action version, quoted.', schema: { type: 'string' } } } }
        : {}),
      ...(body ? { content: { 'application/json': { schema: ref(body) } } } : {}),
    };
    const byStatus = new Map<number, ErrorCode[]>();
    for (const code of errors) {
      const codes = byStatus.get(ERROR_CODES[code].status) ?? [];
      codes.push(code);
      byStatus.set(ERROR_CODES[code].status, codes);
    }
    for (const [errorStatus, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
      responses[String(errorStatus)] = {
        description: `Error: ${codes.join(', ')}`,
        ...(codes.includes('rate_limited')
          ? { headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } } }
          : {}),
        content: { 'application/json': { schema: ref('ErrorEnvelope') } },
      };
    }

    paths[path] ??= {};
    paths[path][op.method] = {
      operationId: `${op.method}${op.route[0]!.toUpperCase()}${op.route.slice(1)}`,
      summary: op.summary,
      tags: [op.security === 'serviceKey' ? 'agent' : 'dashboard'],
      security: [{ [op.security]: [] }],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(op.request
        ? { requestBody: { required: true, content: { 'application/json': { schema: ref(op.request) } } } }
        : {}),
      responses,
    };
  }

  const status = (description: string) => ({
    description,
    content: {
      'application/json': { schema: { type: 'object', properties: { status: { type: 'string' } } } },
    },
  });
  paths['/healthz'] = {
    get: {
      operationId: 'healthz',
      summary: 'Liveness',
      tags: ['operations'],
      security: [],
      responses: { '200': status('Alive') },
    },
  };
  paths['/readyz'] = {
    get: {
      operationId: 'readyz',
      summary: 'Readiness: the database answers',
      tags: ['operations'],
      security: [],
      responses: {
        '200': status('Ready'),
        '503': {
          description: 'Error: unavailable',
          content: { 'application/json': { schema: ref('ErrorEnvelope') } },
        },
      },
    },
  };
  paths['/openapi.json'] = {
    get: {
      operationId: 'openapi',
      summary: 'This document',
      tags: ['operations'],
      security: [],
      responses: {
        '200': {
          description: 'OpenAPI 3.1',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
      },
    },
  };

  return {
    openapi: '3.1.0',
    info: {
      title: 'Aihio Actions BFF',
      version: '1.0.0',
      description:
        'Dashboard API (/api/v1, host session JWT) and agent API (/agent/v1, workspace service key) for custom HTTP actions. Every non-2xx response is an ErrorEnvelope whose code is stable.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [
      { name: 'dashboard', description: 'For a signed-in user of the host dashboard.' },
      { name: 'agent', description: 'For the agent runtime.' },
      { name: 'operations', description: 'Health and this document; no authentication.' },
    ],
    paths,
    components: {
      schemas: { ...components('output', RESPONSES), ...components('input', REQUESTS) },
      securitySchemes: {
        session: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'The host app’s session token: claims sub (user), wid (workspace id), wname, role (viewer|editor|admin), plan.',
        },
        serviceKey: { type: 'http', scheme: 'bearer', description: 'A workspace service key (aihio_sk_…).' },
      },
    },
  };
}
