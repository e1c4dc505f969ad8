import {
  type ActionDefinition,
  API_ROUTES,
  type ApiRoute,
  type Chatbot,
  credentialStillApplies,
  ERROR_CODES,
  type ErrorCode,
  type Issue,
  type MeResponse,
  PLANS_WITH_ACTIONS,
  type Plan,
  type RunRecord,
  type StoredAction,
  type TestResult,
} from '@aihio/actions-core';
import type { FetchLike } from '../client';

/**
 * An in-memory stand-in for the BFF's dashboard API, answering through a `fetch` function that
 * stories and component tests pass to `ActionsProvider`. It speaks the real contract (routes,
 * envelopes, ETag versions), so the kit's client and hooks run unmodified.
 */

export interface FakeFailure {
  code: ErrorCode;
  issues?: Issue[];
}

export type FakeOperation =
  | 'list'
  | 'get'
  | 'create'
  | 'update'
  | 'delete'
  | 'enabled'
  | 'credential'
  | 'test'
  | 'runs'
  | 'identitySecret';

export interface FakeBffOptions {
  actions?: StoredAction[];
  plan?: Plan;
  /** The chatbot's identity secret summary (`null`, the default: not set up). */
  identitySecret?: { last4: string } | null;
  /** Answer an operation with this error envelope (every time). */
  failures?: Partial<Record<FakeOperation, FakeFailure>>;
  /** What a test run returns; a function sees the request body. */
  testResult?: TestResult | ((body: Record<string, unknown>) => TestResult);
  /** Delay of every answer, in ms. */
  delayMs?: number;
  /** Operations that never answer (loading states). */
  hang?: FakeOperation[];
  /** The run history, any order; a test of a saved action adds a run, as the BFF records one. */
  runs?: RunRecord[];
}

export interface FakeCall {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface FakeBff {
  fetch: FetchLike;
  calls: FakeCall[];
  actions: () => StoredAction[];
  runs: () => RunRecord[];
  /** The chatbot as the BFF would answer it (identity secret summary only). */
  chatbot: () => Chatbot;
}

const CHATBOT = 'bot_1';
const NOW = '2026-11-20T10:00:00.000Z';

export function storedAction(
  definition: Partial<ActionDefinition> & Pick<ActionDefinition, 'identifier'>,
  extra: Partial<StoredAction> = {},
): StoredAction {
  return {
    description: 'Look up a customer’s order status by order number.',
    method: 'GET',
    url: `https://api.example.com/${definition.identifier}/{{order_number}}`,
    headers: [],
    body: null,
    parameters: [
      { name: 'order_number', label: 'Order number', type: 'text', hint: 'Such as ORD-123', required: true },
    ],
    auth: { type: 'none' },
    requireVerifiedIdentity: false,
    enabled: true,
    id: `act_${definition.identifier}`,
    chatbotId: CHATBOT,
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
    credential: null,
    lastRun: null,
    ...definition,
    ...extra,
  };
}

export const okTestResult: TestResult = {
  ok: true,
  status: 200,
  headers: {
    'content-type': 'application/json',
    date: 'Fri, 20 Nov 2026 10:00:00 GMT',
    'x-request-id': 'req_42',
  },
  body: '{"order":"ORD-123","status":"shipped","items":[{"sku":"A1","qty":2}]}',
  truncated: false,
  durationMs: 182,
};

/** A run record of `act_lookup_order` (the BFF keeps the outcome only: no values, bodies or secrets). */
export function runRecord(extra: Partial<RunRecord> & Pick<RunRecord, 'id' | 'at'>): RunRecord {
  return {
    actionId: 'act_lookup_order',
    source: 'test',
    outcome: 'ok',
    httpStatus: 200,
    durationMs: 182,
    responseBytes: 512,
    truncated: false,
    ...extra,
  };
}

/** The clock the sample runs are relative to. */
export const RUNS_NOW = '2026-11-20T10:00:00.000Z';

/** One of each outcome, oldest first (the history sorts them): ok, 4xx, 5xx, timeout, blocked, unverified. */
export const sampleRuns: RunRecord[] = [
  runRecord({
    id: 'run_1',
    at: '2026-11-12T08:15:00.000Z',
    outcome: 'blocked_destination',
    httpStatus: null,
    durationMs: 3.4,
    responseBytes: null,
  }),
  runRecord({
    id: 'run_2',
    at: '2026-11-19T16:40:00.000Z',
    source: 'agent',
    httpStatus: 404,
    durationMs: 96,
  }),
  runRecord({
    id: 'run_3',
    at: '2026-11-20T07:05:00.000Z',
    source: 'agent',
    outcome: 'timeout',
    httpStatus: null,
    durationMs: 10_000,
    responseBytes: null,
  }),
  runRecord({
    id: 'run_4',
    at: '2026-11-20T09:12:00.000Z',
    source: 'agent',
    httpStatus: 503,
    durationMs: 1_240,
  }),
  runRecord({
    id: 'run_5',
    at: '2026-11-20T09:48:00.000Z',
    source: 'agent',
    outcome: 'identity_unverified',
    httpStatus: null,
    durationMs: 0.2,
    responseBytes: null,
  }),
  runRecord({ id: 'run_6', at: '2026-11-20T09:58:30.000Z', httpStatus: 200, durationMs: 182 }),
];

function routeMatcher(route: ApiRoute): RegExp {
  return new RegExp(`^${API_ROUTES[route].replace(/:([A-Za-z]+)/g, '(?<$1>[^/]+)')}$`);
}

const matchers = (Object.keys(API_ROUTES) as ApiRoute[]).map((route) => ({
  route,
  regex: routeMatcher(route),
}));

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  if (status === 204) return new Response(null, { status });
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

function envelope(code: ErrorCode, issues?: Issue[], message?: string): Response {
  return json(ERROR_CODES[code].status, {
    error: {
      code,
      message: message ?? ERROR_CODES[code].message,
      ...(issues ? { details: { issues } } : {}),
    },
  });
}

export function createFakeBff(options: FakeBffOptions = {}): FakeBff {
  let actions = [...(options.actions ?? [])];
  const calls: FakeCall[] = [];
  let runs = [...(options.runs ?? [])];
  let nextId = 1;
  const plan = options.plan ?? 'starter';
  const chatbot: Chatbot = {
    id: CHATBOT,
    name: 'Support bot',
    identitySecret: options.identitySecret ?? null,
  };

  const answer = (method: string, path: string, headers: Record<string, string>, body: unknown): Response => {
    const found = matchers.map((m) => ({ route: m.route, match: m.regex.exec(path) })).find((m) => m.match);
    if (!found?.match) return envelope('not_found');
    // Route parameters arrive percent-encoded, as Express would decode them.
    const params = Object.fromEntries(
      Object.entries(found.match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]),
    );
    const op = (name: FakeOperation) => options.failures?.[name];
    const planBlocked = !PLANS_WITH_ACTIONS.includes(plan);
    const bodyObject = (body ?? {}) as Record<string, unknown>;

    if (found.route === 'me') {
      const me: MeResponse = {
        user: { id: 'u1', name: 'Owner' },
        workspace: { id: 'w1', name: 'Acme', plan },
        role: 'admin',
      };
      return json(200, me);
    }
    // As the BFF: only action routes are plan-gated, not the chatbot and its identity secret.
    if (planBlocked && !['chatbots', 'chatbot', 'identitySecret'].includes(found.route)) {
      return envelope('plan_required');
    }

    const find = () => actions.find((a) => a.id === params.actionId);
    switch (`${method} ${found.route}`) {
      case 'GET chatbot':
        return json(200, chatbot);
      case 'PUT identitySecret': {
        const failure = op('identitySecret');
        if (failure) return envelope(failure.code, failure.issues);
        const secret = typeof bodyObject.secret === 'string' ? bodyObject.secret : '';
        // The BFF's floor (core's setSecretRequestSchema): 32 characters.
        if (secret.length < 32) return envelope('invalid_request');
        chatbot.identitySecret = { last4: secret.slice(-4) };
        return json(200, chatbot);
      }
      case 'DELETE identitySecret': {
        const failure = op('identitySecret');
        if (failure) return envelope(failure.code, failure.issues);
        chatbot.identitySecret = null;
        return json(200, chatbot);
      }
      case 'GET actions': {
        const failure = op('list');
        return failure ? envelope(failure.code, failure.issues) : json(200, { actions });
      }
      case 'GET action': {
        const failure = op('get');
        if (failure) return envelope(failure.code, failure.issues);
        const action = find();
        return action ? json(200, action, { etag: `"${action.version}"` }) : envelope('not_found');
      }
      case 'POST actions': {
        const failure = op('create');
        if (failure) return envelope(failure.code, failure.issues);
        const definition = body as ActionDefinition;
        if (actions.some((a) => a.identifier === definition.identifier)) return envelope('identifier_taken');
        const created = storedAction(definition, {
          id: `act_new_${nextId++}`,
          credential: null,
          lastRun: null,
        });
        actions = [...actions, created];
        return json(201, created, { etag: `"${created.version}"` });
      }
      case 'PUT action': {
        const failure = op('update');
        if (failure) return envelope(failure.code, failure.issues);
        const action = find();
        if (!action) return envelope('not_found');
        if (!headers['if-match']) return envelope('precondition_required');
        if (headers['if-match'] !== `"${action.version}"`) return envelope('version_conflict');
        const definition = body as ActionDefinition;
        if (actions.some((a) => a.id !== action.id && a.identifier === definition.identifier)) {
          return envelope('identifier_taken');
        }
        const updated: StoredAction = {
          ...action,
          ...definition,
          version: action.version + 1,
          updatedAt: NOW,
          // The BFF's rule: another origin, auth type or API-key header drops the stored credential.
          credential: credentialStillApplies(action, definition) ? action.credential : null,
        };
        actions = actions.map((a) => (a.id === action.id ? updated : a));
        return json(200, updated, { etag: `"${updated.version}"` });
      }
      case 'DELETE action': {
        const failure = op('delete');
        if (failure) return envelope(failure.code, failure.issues);
        if (!find()) return envelope('not_found');
        actions = actions.filter((a) => a.id !== params.actionId);
        return json(204, null);
      }
      case 'PUT actionEnabled': {
        const failure = op('enabled');
        if (failure) return envelope(failure.code, failure.issues);
        const action = find();
        if (!action) return envelope('not_found');
        const updated = { ...action, enabled: Boolean(bodyObject.enabled), version: action.version + 1 };
        actions = actions.map((a) => (a.id === action.id ? updated : a));
        return json(200, updated);
      }
      case 'PUT actionCredential':
      case 'DELETE actionCredential': {
        const failure = op('credential');
        if (failure) return envelope(failure.code, failure.issues);
        const action = find();
        if (!action) return envelope('not_found');
        // Like the BFF: If-Match is optional here, a stale one changes nothing, and the write bumps the version.
        if (headers['if-match'] && headers['if-match'] !== `"${action.version}"`) {
          return envelope('version_conflict');
        }
        const secret = typeof bodyObject.secret === 'string' ? bodyObject.secret : '';
        const updated: StoredAction = {
          ...action,
          version: action.version + 1,
          credential: method === 'PUT' ? { last4: secret.slice(-4) } : null,
        };
        actions = actions.map((a) => (a.id === action.id ? updated : a));
        return json(200, updated, { etag: `"${updated.version}"` });
      }
      case 'POST testDraft':
      case 'POST actionTest': {
        const failure = op('test');
        if (failure) return envelope(failure.code, failure.issues);
        const tested = (bodyObject.action as ActionDefinition | undefined) ?? find();
        if (tested && tested.auth.type !== 'none' && !bodyObject.credential)
          return envelope('credential_required');
        const result =
          typeof options.testResult === 'function'
            ? options.testResult(bodyObject)
            : (options.testResult ?? okTestResult);
        // Like the BFF: a test of the saved action is recorded (outcome only), a draft's is not.
        const saved = found.route === 'actionTest' ? find() : undefined;
        if (saved) {
          runs = [
            {
              id: `run_${nextId++}`,
              actionId: saved.id,
              at: new Date().toISOString(),
              source: 'test',
              outcome: result.ok ? 'ok' : result.error.code,
              httpStatus: result.ok ? result.status : null,
              durationMs: result.durationMs,
              responseBytes: result.ok ? new TextEncoder().encode(result.body).length : null,
              truncated: result.ok ? result.truncated : false,
            },
            ...runs,
          ];
        }
        return json(200, result);
      }
      case 'GET actionRuns': {
        const failure = op('runs');
        if (failure) return envelope(failure.code, failure.issues);
        if (!find()) return envelope('not_found');
        return json(200, { runs: runs.filter((run) => run.actionId === params.actionId) });
      }
      default:
        return envelope('not_found');
    }
  };

  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input, 'http://bff.test');
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const method = init.method ?? 'GET';
    calls.push({ method, path: url.pathname, headers, body });
    const operation: FakeOperation | undefined =
      method === 'GET' && /\/actions$/.test(url.pathname)
        ? 'list'
        : method === 'POST' && /\/test$/.test(url.pathname)
          ? 'test'
          : method === 'GET' && /\/runs$/.test(url.pathname)
            ? 'runs'
            : undefined;
    if (operation && options.hang?.includes(operation)) return new Promise<Response>(() => {});
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    return answer(method, url.pathname, headers, body);
  };

  return { fetch, calls, actions: () => actions, runs: () => runs, chatbot: () => chatbot };
}
