import { type ApiRoute, errorEnvelopeSchema, isErrorCode, routePath } from '@aihio/actions-core';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BffClient,
  bffClient,
  type LoadBff,
  loadAction,
  type SeededWorkspace,
  seedWorkspace,
  startLoadBff,
} from './support';
import { type FaultUpstream, startFaultUpstream } from './upstream';

/**
 * Property-based fuzz of every API route: malformed JSON, wrong types, huge strings, deep
 * nesting, unicode (lone surrogates included), odd path parameters and odd headers (If-Match,
 * Content-Type, X-Request-Id, Authorization). Whatever arrives: never a 5xx, every error is the
 * envelope with a code of the core table, and a rejected request changes no stored data.
 *
 * Stored data is every table but `runs` (refused invokes of an existing action are recorded in
 * its history on purpose) and `rate_limits` (counters of test attempts) and `invoke_buckets` (refused invokes spend rate tokens too, by design).
 */

// AIHIO_FUZZ_RUNS=2000 for a longer hunt by hand; the test command keeps it short.
const RUNS = Number(process.env.AIHIO_FUZZ_RUNS ?? 300);
const CREDENTIAL = 'fuzz-credential-never-shown-0123456789';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const ROUTES: [ApiRoute, Method][] = [
  ['me', 'GET'],
  ['chatbots', 'GET'],
  ['chatbots', 'POST'],
  ['chatbot', 'GET'],
  ['identitySecret', 'PUT'],
  ['identitySecret', 'DELETE'],
  ['actions', 'GET'],
  ['actions', 'POST'],
  ['testDraft', 'POST'],
  ['action', 'GET'],
  ['action', 'PUT'],
  ['action', 'DELETE'],
  ['actionEnabled', 'PUT'],
  ['actionCredential', 'PUT'],
  ['actionCredential', 'DELETE'],
  ['actionTest', 'POST'],
  ['actionRuns', 'GET'],
  ['serviceKeys', 'GET'],
  ['serviceKeys', 'POST'],
  ['serviceKey', 'DELETE'],
  ['agentTools', 'GET'],
  ['agentInvoke', 'POST'],
];

let upstream: FaultUpstream;
let bff: LoadBff;
let client: BffClient;
let ws: SeededWorkspace;
let other: SeededWorkspace;
let keyId: string;
let db: Database.Database;

beforeAll(async () => {
  upstream = await startFaultUpstream();
  bff = await startLoadBff({ upstream });
  client = bffClient(bff.url);
  ws = await seedWorkspace(client, 'ws-fuzz', [
    loadAction('lookup_order', '/ok'),
    loadAction('with_token', '/ok', { auth: { type: 'bearer' } }),
  ]);
  other = await seedWorkspace(client, 'ws-fuzz-other', [loadAction('lookup_order', '/ok')]);
  const credential = await client.call(
    'PUT',
    routePath('actionCredential', { chatbotId: ws.chatbotId, actionId: ws.actions.with_token! }),
    { token: ws.token, body: { secret: CREDENTIAL } },
  );
  expect(credential.status).toBe(200);
  const keys = await client.call('GET', routePath('serviceKeys'), { token: ws.token });
  keyId = (keys.json as { keys: { id: string }[] }).keys[0]!.id;
  if (bff.sqlitePath === null) throw new Error('the fuzz suite runs on SQLite');
  db = new Database(bff.sqlitePath, { readonly: true, fileMustExist: true });
});

afterAll(async () => {
  db?.close();
  await client?.close();
  await bff?.close();
  await upstream?.close();
});

/** Every row of the tables that hold stored data, as text. */
function snapshot(): string {
  const tables = db
    .prepare(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not in ('runs', 'rate_limits', 'invoke_buckets') order by name",
    )
    .all() as { name: string }[];
  return tables
    .map(({ name }) => `${name}: ${JSON.stringify(db.prepare(`select * from "${name}" order by 1`).all())}`)
    .join('\n');
}

// ---------- generators ----------

/** Text with any code point, lone surrogates included. */
const anyText = fc.string({ unit: 'binary', maxLength: 40 });
const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
});

/** Lone surrogates become U+FFFD: encodeURIComponent cannot encode them (a path cannot carry them). */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

function pathValue(real: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...real).map(encodeURIComponent) },
    { weight: 2, arbitrary: anyText.map((text) => encodeURIComponent(wellFormed(text))) },
    // Raw, not encoded: broken percent-escapes, dot segments, a very long segment.
    {
      weight: 1,
      arbitrary: fc.constantFrom('%', '%zz', '%E0%A4', '..', '.', '%2e%2e', '%00', 'x'.repeat(5000)),
    },
  );
}

function url(route: ApiRoute): fc.Arbitrary<string> {
  return fc
    .record({
      chatbotId: pathValue([ws.chatbotId, other.chatbotId]),
      actionId: pathValue([ws.actions.lookup_order!, ws.actions.with_token!, other.actions.lookup_order!]),
      identifier: pathValue(['lookup_order', 'with_token']),
      keyId: pathValue([keyId]),
      query: fc.oneof(
        fc.constant(''),
        fc.constantFrom('?limit=0', '?limit=-1', '?limit=1e3', '?limit=abc', '?limit=5&limit=6', '?limit=3'),
        printable.map((text) => `?${encodeURIComponent(text)}=${encodeURIComponent(text)}`),
      ),
    })
    .map(({ query, ...params }) => {
      // Fill the template by hand: routePath would encode the raw (deliberately broken) values.
      const path = routePath(route, { chatbotId: 'C', actionId: 'A', identifier: 'I', keyId: 'K' })
        .replace('/C', `/${params.chatbotId}`)
        .replace('/A', `/${params.actionId}`)
        .replace('/I/', `/${params.identifier}/`)
        .replace('/K', `/${params.keyId}`);
      return `${path}${query}`;
    });
}

const wrongType = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.integer(),
  anyText,
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(anyText, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
);

/** A valid action with some fields replaced by values of the wrong type or shape. */
const mutatedAction = fc
  .record(
    {
      identifier: wrongType,
      description: wrongType,
      method: fc.oneof(wrongType, fc.constantFrom('get', 'TRACE', 'CONNECT', '')),
      url: fc.oneof(
        wrongType,
        fc.constantFrom(
          'http://api.load.test/x',
          'https://api.load.test:8443/x',
          'https://{{order_number}}.load.test/',
          'https://u:p@api.load.test/',
          'https://api.load.test/#frag',
          'javascript:alert(1)',
        ),
      ),
      headers: fc.oneof(wrongType, fc.constant([{ name: 'Host', value: 'x' }])),
      body: wrongType,
      parameters: fc.oneof(wrongType, fc.array(fc.record({ name: wrongType, type: wrongType }))),
      auth: fc.oneof(wrongType, fc.record({ type: fc.constantFrom('bearer', 'api_key', 'basic') })),
      requireVerifiedIdentity: wrongType,
      enabled: wrongType,
    },
    { requiredKeys: [] },
  )
  .map((fields) => ({ ...loadAction('fuzzed_action', '/ok'), ...fields }));

type Body = { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'raw'; text: string };

const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Body>({ kind: 'none' }) },
  // Malformed JSON: arbitrary text, and valid JSON cut short.
  { weight: 2, arbitrary: fc.string({ unit: 'binary' }).map((text): Body => ({ kind: 'raw', text })) },
  {
    weight: 2,
    arbitrary: fc
      .jsonValue({ maxDepth: 3 })
      .map((value): Body => ({ kind: 'raw', text: JSON.stringify(value).slice(0, -1) })),
  },
  // Wrong types everywhere, in the fields every route reads.
  { weight: 3, arbitrary: wrongType.map((value): Body => ({ kind: 'json', value })) },
  {
    weight: 4,
    arbitrary: fc
      .record(
        {
          name: wrongType,
          secret: wrongType,
          enabled: wrongType,
          arguments: wrongType,
          values: wrongType,
          identity: wrongType,
          credential: wrongType,
          action: fc.oneof(wrongType, mutatedAction),
        },
        { requiredKeys: [] },
      )
      .map((value): Body => ({ kind: 'json', value })),
  },
  { weight: 3, arbitrary: mutatedAction.map((value): Body => ({ kind: 'json', value })) },
  // Unicode in every string field, lone surrogates and NUL included.
  {
    weight: 2,
    arbitrary: fc.string({ unit: 'binary', minLength: 1 }).map(
      (text): Body => ({
        kind: 'json',
        value: {
          name: text,
          secret: text,
          arguments: { order_number: text },
          values: { order_number: text },
          ...loadAction('lookup_order', '/ok', { description: text }),
        },
      }),
    ),
  },
  // Huge strings: some under the body limit (256 KiB), some over it.
  {
    weight: 1,
    arbitrary: fc.integer({ min: 50_000, max: 400_000 }).map(
      (size): Body => ({
        kind: 'json',
        value: {
          name: 'n'.repeat(size),
          secret: 's'.repeat(size),
          arguments: { order_number: 'o'.repeat(size) },
        },
      }),
    ),
  },
  // Deep nesting, as arrays and as objects.
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1_000, max: 100_000 })
      .map((depth): Body => ({ kind: 'raw', text: `${'['.repeat(depth)}${']'.repeat(depth)}` })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1_000, max: 30_000 }).map(
      (depth): Body => ({
        kind: 'raw',
        text: `{"arguments":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)},"action":${'{"url":'.repeat(depth)}1${'}'.repeat(depth)}}`,
      }),
    ),
  },
);

// Mostly well-formed framing, so that most requests reach the handlers; odd framing often enough.
const headers = fc.record({
  'content-type': fc.oneof(
    { weight: 6, arbitrary: fc.constant('application/json') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'application/json; charset=utf-8',
        'application/json; charset=latin1',
        'application/json; charset=utf-16',
        'application/json; charset=bogus',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        '*/*',
      ),
    },
  ),
  'if-match': fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: printable },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '*',
        '"1"',
        'W/"1"',
        '"99999"',
        '"9999999999999999999999"',
        '"-1"',
        '1, 2',
        'W/',
      ),
    },
  ),
  'x-request-id': fc.option(printable, { freq: 2 }),
  'content-encoding': fc.oneof(
    { weight: 8, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('gzip', 'br', 'identity', 'bogus') },
  ),
});

type AuthKind = 'session' | 'service' | 'none' | 'garbage' | 'other-session';
const auth = fc.oneof(
  { weight: 6, arbitrary: fc.constant<AuthKind>('session') },
  { weight: 1, arbitrary: fc.constantFrom<AuthKind>('service', 'none', 'garbage', 'other-session') },
);

// ---------- the property ----------

describe('fuzz of every API route', () => {
  it(`answers ${RUNS} hostile requests without a 5xx, with the error envelope, changing nothing when it refuses`, async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES).chain(([route, method]) =>
          fc.record({
            route: fc.constant(route),
            method: fc.constant(method),
            url: url(route),
            // Routes that take an action definition get near-valid definitions more often.
            body:
              (route === 'actions' && method === 'POST') || (route === 'action' && method === 'PUT')
                ? fc.oneof(
                    { weight: 2, arbitrary: mutatedAction.map((value): Body => ({ kind: 'json', value })) },
                    { weight: 1, arbitrary: body },
                  )
                : body,
            headers,
            auth,
            garbage: printable,
          }),
        ),
        async (input) => {
          const agentRoute = input.route.startsWith('agent');
          let token: string | undefined;
          if (input.auth === 'session') token = agentRoute ? ws.serviceKey : ws.token;
          else if (input.auth === 'service') token = agentRoute ? ws.token : ws.serviceKey;
          else if (input.auth === 'other-session') token = agentRoute ? other.serviceKey : other.token;
          else if (input.auth === 'garbage') token = input.garbage;
          const requestHeaders: Record<string, string> = {};
          for (const [name, value] of Object.entries(input.headers)) {
            if (typeof value === 'string') requestHeaders[name] = value;
          }
          // Without If-Match a DELETE is unconditional: it would remove the fixtures the rest need.
          if (input.method === 'DELETE' && requestHeaders['if-match'] === undefined) {
            requestHeaders['if-match'] = '"99999"';
          }
          const before = snapshot();
          const res = await client.call(input.method, input.url, {
            ...(token !== undefined ? { token } : {}),
            ...(input.body.kind === 'json' ? { body: input.body.value } : {}),
            ...(input.body.kind === 'raw' ? { raw: input.body.text } : {}),
            headers: requestHeaders,
          });
          const where = `${input.method} ${input.url.slice(0, 200)} → ${res.status} ${res.text.slice(0, 300)}`;
          expect(res.status, where).toBeLessThan(500);
          expect(res.text, where).not.toContain(CREDENTIAL);
          if (res.status >= 400) {
            const envelope = errorEnvelopeSchema.safeParse(res.json);
            expect(envelope.success, where).toBe(true);
            const code = envelope.data?.error.code;
            expect(isErrorCode(code), where).toBe(true);
            seen.set(`${res.status} ${code}`, (seen.get(`${res.status} ${code}`) ?? 0) + 1);
            expect(snapshot(), where).toBe(before);
          } else {
            seen.set(`${res.status}`, (seen.get(`${res.status}`) ?? 0) + 1);
          }
        },
      ),
      { numRuns: RUNS },
    );
    // The fuzz reached past authentication and parsing, not only the front door.
    const codes = [...seen.keys()].join(' ');
    for (const expected of ['invalid_request', 'not_found', 'validation_failed', 'unauthenticated']) {
      expect(codes).toContain(expected);
    }
  }, 120_000);
});
