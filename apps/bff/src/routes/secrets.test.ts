import { routePath } from '@aihio/actions-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, dumpDatabase, sampleAction } from '../test-support/fixtures';
import { createHarness, type Harness } from '../test-support/harness';

/**
 * Secrets never reach responses, logs or the database in plaintext: after setting, testing,
 * invoking and the error paths, every response body and header, every log line and every row of
 * every table is searched for each plaintext.
 */

const STORED = 'PLAIN-stored-credential-7f3a9b2c4d5e';
const REPLACED = 'PLAIN-replaced-credential-91ab22cd';
const TYPED = 'PLAIN-typed-test-credential-55ee66ff';
const BAD = 'PLAIN-bad\ncredential-with-newline';
const IDENTITY = 'PLAIN-identity-secret-0a1b2c3d4e';

let h: Harness;
const responses: string[] = [];

function keep(res: request.Response): request.Response {
  responses.push(
    JSON.stringify({ status: res.status, headers: res.headers, body: res.body, text: res.text }),
  );
  return res;
}

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

describe('secret plaintext', () => {
  it('appears in no response, log line or database row', async () => {
    // The upstream answers without echoing: what it receives is its business, not a leak.
    h.upstream.handler = (req, res) => {
      if (req.url?.includes('fail')) {
        res.statusCode = 500;
        res.end('{"error":"upstream failed"}');
        return;
      }
      if (req.url?.includes('drop')) {
        req.socket.destroy();
        return;
      }
      res.end('{"ok":true}');
    };
    const token = await h.session();
    const admin = as(h.app, token);
    const chatbotId = keep(await admin.post(routePath('chatbots')).send({ name: 'Secret bot' })).body
      .id as string;
    keep(await admin.put(routePath('identitySecret', { chatbotId })).send({ secret: IDENTITY }));

    const action = keep(
      await admin.post(routePath('actions', { chatbotId })).send(
        sampleAction(h.upstreamOrigin, {
          auth: { type: 'bearer' },
          url: `${h.upstreamOrigin}/orders/{{order_number}}`,
        }),
      ),
    ).body;
    const ids = { chatbotId, actionId: action.id as string };

    keep(await admin.put(routePath('actionCredential', ids)).send({ secret: STORED }));
    keep(await admin.put(routePath('actionCredential', ids)).send({ secret: BAD }));
    keep(await admin.put(routePath('actionCredential', ids)).send({ secret: REPLACED }));
    keep(await admin.get(routePath('action', ids)));
    keep(await admin.get(routePath('actions', { chatbotId })));
    keep(await admin.get(routePath('chatbot', { chatbotId })));

    // Tests: success, upstream 500, dropped connection, invalid values, bad credential, no credential.
    keep(
      await admin
        .post(routePath('actionTest', ids))
        .send({ values: { order_number: 'ok' }, credential: TYPED }),
    );
    keep(
      await admin
        .post(routePath('actionTest', ids))
        .send({ values: { order_number: 'fail' }, credential: TYPED }),
    );
    keep(
      await admin
        .post(routePath('actionTest', ids))
        .send({ values: { order_number: 'drop' }, credential: TYPED }),
    );
    keep(await admin.post(routePath('actionTest', ids)).send({ values: {}, credential: TYPED }));
    keep(
      await admin.post(routePath('actionTest', ids)).send({ values: { order_number: 'x' }, credential: BAD }),
    );
    keep(await admin.post(routePath('actionTest', ids)).send({ values: { order_number: 'x' } }));
    keep(
      await admin.post(routePath('testDraft', { chatbotId })).send({
        action: sampleAction(h.upstreamOrigin, { auth: { type: 'bearer' } }),
        values: { order_number: 'ok' },
        credential: TYPED,
      }),
    );
    // Malformed JSON carrying a secret.
    keep(
      await admin
        .put(routePath('actionCredential', ids))
        .set('Content-Type', 'application/json')
        .send(`{"secret": "${TYPED}"`),
    );

    // Agent: success, upstream failure, invalid arguments, unverified identity.
    const key = keep(await admin.post(routePath('serviceKeys'))).body.key as string;
    const invoke = (body: object) =>
      request(h.app)
        .post(routePath('agentInvoke', { chatbotId, identifier: 'lookup_order' }))
        .set('Authorization', `Bearer ${key}`)
        .send(body);
    keep(await invoke({ arguments: { order_number: 'ok' } }));
    keep(await invoke({ arguments: { order_number: 'fail' } }));
    keep(await invoke({ arguments: { order_number: 'drop' } }));
    keep(await invoke({ arguments: {} }));
    keep(
      await invoke({
        arguments: { order_number: 'ok' },
        identity: { method: 'jwt', token: 'bad.token.here' },
      }),
    );
    keep(await admin.get(routePath('actionRuns', ids)));

    // The upstream did get the credentials (so the search below is meaningful).
    const sent = h.upstream.requests.map((r) => r.headers.authorization);
    expect(sent).toContain(`Bearer ${TYPED}`);
    expect(sent).toContain(`Bearer ${REPLACED}`);

    const logs = h.logs.join('');
    if (process.env.PRINT_LOGS) console.log(logs);
    const database = dumpDatabase(h.sqlitePath);
    expect(logs.length).toBeGreaterThan(1000);
    expect(database).toContain('v1.'); // sealed values are there
    for (const secret of [STORED, REPLACED, TYPED, BAD, IDENTITY, 'PLAIN-']) {
      for (const [where, text] of [
        ['responses', responses.join('\n')],
        ['logs', logs],
        ['database', database],
      ] as const) {
        expect({ secret, where, found: text.includes(secret) }).toEqual({ secret, where, found: false });
      }
    }
    // Service keys and session tokens: shown once at creation, never logged or stored.
    expect(logs).not.toContain(key);
    expect(database).not.toContain(key);
    expect(logs).not.toContain(token);
  });

  it('logs every request line with its request id', async () => {
    h.logs.length = 0;
    await request(h.app).get('/api/v1/me').set('X-Request-Id', 'trace-me-1');
    const lines = h.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.reqId).toBe('trace-me-1');
  });
});
