import {
  type ActionDefinition,
  actionListResponseSchema,
  type Chatbot,
  chatbotSchema,
  type ErrorCode,
  errorEnvelopeSchema,
  type Issue,
  isErrorCode,
  type MeResponse,
  meResponseSchema,
  type OpenApiFetchResponse,
  openApiFetchResponseSchema,
  type RunRecord,
  routePath,
  runListResponseSchema,
  type SampleIdentity,
  type StoredAction,
  storedActionSchema,
  type TestResult,
  testResultSchema,
} from '@aihio/actions-core';
import type { z } from 'zod';

/**
 * The typed client of the BFF dashboard API. Every response is parsed with the core schemas, and
 * every non-2xx answer becomes an `ActionsApiError` carrying the envelope's stable `code`.
 */

export class ActionsApiError extends Error {
  override readonly name = 'ActionsApiError';
  readonly code: ErrorCode;
  /** HTTP status, or 0 when the request never got an answer. */
  readonly status: number;
  /** For `validation_failed` and `invalid_arguments`: the problems, each with a path. */
  readonly issues: Issue[];

  constructor(code: ErrorCode, message: string, status: number, issues: Issue[] = []) {
    super(message);
    this.code = code;
    this.status = status;
    this.issues = issues;
  }
}

export function isActionsApiError(error: unknown): error is ActionsApiError {
  return error instanceof ActionsApiError;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ActionsClientOptions {
  /** Where the BFF is, e.g. `https://dashboard.example.com` or `''` for the same origin. */
  baseUrl: string;
  /** The host's fetch (e.g. one that refreshes its session); defaults to the global fetch. */
  fetch?: FetchLike;
  /** Extra headers per request, e.g. the host session's `Authorization`. */
  getHeaders?: () => HeadersInit | Promise<HeadersInit>;
  /** Sent with each request; defaults to `same-origin`. */
  credentials?: RequestCredentials;
}

export interface TestActionInput {
  /** A draft to test as it is in the form; without it the saved action is tested. */
  action?: ActionDefinition;
  values: Record<string, unknown>;
  identity?: SampleIdentity;
  credential?: string;
}

export interface ActionsClient {
  me(signal?: AbortSignal): Promise<MeResponse>;
  /** The chatbot, with its identity secret's summary (`{ last4 }` or `null`, never the secret). */
  getChatbot(chatbotId: string, signal?: AbortSignal): Promise<Chatbot>;
  /** Set or rotate the identity secret (at least 32 characters). Write-only: only last4 returns. */
  setIdentitySecret(chatbotId: string, secret: string): Promise<Chatbot>;
  removeIdentitySecret(chatbotId: string): Promise<Chatbot>;
  listActions(chatbotId: string, signal?: AbortSignal): Promise<StoredAction[]>;
  getAction(chatbotId: string, actionId: string, signal?: AbortSignal): Promise<StoredAction>;
  createAction(chatbotId: string, definition: ActionDefinition): Promise<StoredAction>;
  /** Optimistic concurrency: a stale `version` is answered with `version_conflict`. */
  updateAction(
    chatbotId: string,
    actionId: string,
    definition: ActionDefinition,
    version: number,
  ): Promise<StoredAction>;
  deleteAction(chatbotId: string, actionId: string): Promise<void>;
  setEnabled(chatbotId: string, actionId: string, enabled: boolean): Promise<StoredAction | null>;
  /**
   * Write-only: the answer carries only `credential.last4`. Pass the `version` the owner saw (sent
   * as If-Match): if the action changed since (another host, auth type or header), the answer is
   * `version_conflict` and nothing is stored, so a secret never lands where its owner did not see.
   */
  setCredential(
    chatbotId: string,
    actionId: string,
    secret: string,
    version?: number,
  ): Promise<StoredAction | null>;
  /** With `version`, conditional like `setCredential` (`version_conflict`, nothing removed). */
  removeCredential(chatbotId: string, actionId: string, version?: number): Promise<StoredAction | null>;
  testAction(chatbotId: string, actionId: string | undefined, input: TestActionInput): Promise<TestResult>;
  listRuns(chatbotId: string, actionId: string, signal?: AbortSignal): Promise<RunRecord[]>;
  /** The text of an OpenAPI document the BFF fetched by URL (through its guarded egress). */
  fetchOpenApi(chatbotId: string, url: string): Promise<OpenApiFetchResponse>;
}

async function toApiError(response: Response): Promise<ActionsApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's error page): fall through to a status-based code.
  }
  const parsed = errorEnvelopeSchema.safeParse(body);
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new ActionsApiError(
      isErrorCode(code) ? code : 'internal_error',
      message,
      response.status,
      details?.issues ?? [],
    );
  }
  const code: ErrorCode =
    response.status === 401
      ? 'unauthenticated'
      : response.status === 403
        ? 'forbidden'
        : response.status === 404
          ? 'not_found'
          : response.status === 429
            ? 'rate_limited'
            : response.status >= 500
              ? 'unavailable'
              : 'invalid_request';
  return new ActionsApiError(code, `HTTP ${response.status}`, response.status);
}

/** `If-Match: "<version>"`, the action's ETag; no header when there is no version to match. */
function ifMatch(version: number | undefined): Record<string, string> {
  return version === undefined ? {} : { 'If-Match': `"${version}"` };
}

export function createActionsClient(options: ActionsClientOptions): ActionsClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function send(
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<Response> {
    const headers = new Headers(options.getHeaders ? await options.getHeaders() : undefined);
    headers.set('Accept', 'application/json');
    for (const [name, value] of Object.entries(init.headers ?? {})) headers.set(name, value);
    if (init.body !== undefined) headers.set('Content-Type', 'application/json');
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, {
        method,
        headers,
        credentials: options.credentials ?? 'same-origin',
        body: init.body === undefined ? null : JSON.stringify(init.body),
        signal: init.signal ?? null,
      });
    } catch (cause) {
      if (init.signal?.aborted) throw cause;
      throw new ActionsApiError('unavailable', 'The server could not be reached.', 0);
    }
    if (!response.ok) throw await toApiError(response);
    return response;
  }

  async function parse<S extends z.ZodType>(response: Response, schema: S): Promise<z.infer<S>> {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new ActionsApiError('internal_error', 'The server answered with something that is not JSON.', 0);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ActionsApiError('internal_error', 'The server’s answer did not match the API contract.', 0);
    }
    return parsed.data;
  }

  /** Mutations may answer with the stored action or with 204; both are fine. */
  async function storedOrNull(response: Response): Promise<StoredAction | null> {
    if (response.status === 204 || response.headers.get('content-length') === '0') return null;
    return parse(response, storedActionSchema);
  }

  return {
    me: async (signal) => parse(await send('GET', routePath('me'), { signal }), meResponseSchema),
    getChatbot: async (chatbotId, signal) =>
      parse(await send('GET', routePath('chatbot', { chatbotId }), { signal }), chatbotSchema),
    setIdentitySecret: async (chatbotId, secret) =>
      parse(
        await send('PUT', routePath('identitySecret', { chatbotId }), { body: { secret } }),
        chatbotSchema,
      ),
    removeIdentitySecret: async (chatbotId) =>
      parse(await send('DELETE', routePath('identitySecret', { chatbotId })), chatbotSchema),
    listActions: async (chatbotId, signal) =>
      (
        await parse(
          await send('GET', routePath('actions', { chatbotId }), { signal }),
          actionListResponseSchema,
        )
      ).actions,
    getAction: async (chatbotId, actionId, signal) =>
      parse(await send('GET', routePath('action', { chatbotId, actionId }), { signal }), storedActionSchema),
    createAction: async (chatbotId, definition) =>
      parse(
        await send('POST', routePath('actions', { chatbotId }), { body: definition }),
        storedActionSchema,
      ),
    updateAction: async (chatbotId, actionId, definition, version) =>
      parse(
        await send('PUT', routePath('action', { chatbotId, actionId }), {
          body: definition,
          headers: ifMatch(version),
        }),
        storedActionSchema,
      ),
    deleteAction: async (chatbotId, actionId) => {
      await send('DELETE', routePath('action', { chatbotId, actionId }));
    },
    setEnabled: async (chatbotId, actionId, enabled) =>
      storedOrNull(
        await send('PUT', routePath('actionEnabled', { chatbotId, actionId }), { body: { enabled } }),
      ),
    setCredential: async (chatbotId, actionId, secret, version) =>
      storedOrNull(
        await send('PUT', routePath('actionCredential', { chatbotId, actionId }), {
          body: { secret },
          headers: ifMatch(version),
        }),
      ),
    removeCredential: async (chatbotId, actionId, version) =>
      storedOrNull(
        await send('DELETE', routePath('actionCredential', { chatbotId, actionId }), {
          headers: ifMatch(version),
        }),
      ),
    testAction: async (chatbotId, actionId, { action, values, identity, credential }) => {
      const body = {
        values,
        ...(identity && Object.keys(identity).length > 0 ? { identity } : {}),
        ...(credential ? { credential } : {}),
      };
      const response =
        action || !actionId
          ? await send('POST', routePath('testDraft', { chatbotId }), { body: { ...body, action } })
          : await send('POST', routePath('actionTest', { chatbotId, actionId }), { body });
      return parse(response, testResultSchema);
    },
    fetchOpenApi: async (chatbotId, url) =>
      parse(
        await send('POST', routePath('openApiFetch', { chatbotId }), { body: { url } }),
        openApiFetchResponseSchema,
      ),
    listRuns: async (chatbotId, actionId, signal) =>
      (
        await parse(
          await send('GET', routePath('actionRuns', { chatbotId, actionId }), { signal }),
          runListResponseSchema,
        )
      ).runs,
  };
}
