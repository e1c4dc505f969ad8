import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { routePath } from '@aihio/actions-core';
import request from 'supertest';
import { request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHeaderMiddleware } from '../app';
import { createInvoker } from '../routes/agent-invoke';
import { as, sampleAction } from '../test-support/fixtures';
import { createHarness, type Harness } from '../test-support/harness';
import { invokeFastPath, recordHeaders } from './invoke-fast-path';
import { createLogger } from './logger';

/**
 * The lean invoke path must be invisible: for every request it takes, the same answer (status,
 * body, headers) as the Express route, and every request it does not take reaches Express untouched.
 */

const BODY_LIMIT = 2048;
const NOT_TAKEN = 599;

let h: Harness;
let chatbotId: string;
let serviceKey: string;
/** The fast path alone on a real server: what it does not take answers 599. */
let lean: Server;
let leanUrl: string;
const leanLogs: string[] = [];

const invokePath = (identifier: string) => routePath('agentInvoke', { chatbotId, identifier });

beforeAll(async () => {
  h = await createHarness({ AIHIO_BODY_LIMIT_BYTES: String(BODY_LIMIT) });
  const admin = as(h.app, await h.session());
  chatbotId = (await admin.post(routePath('chatbots')).send({ name: 'Fast bot' })).body.id;
  serviceKey = (await admin.post(routePath('serviceKeys'))).body.key;
  for (const identifier of ['lookup_order', 'turned_off']) {
    const res = await admin
      .post(routePath('actions', { chatbotId }))
      .send(sampleAction(h.upstreamOrigin, { identifier, enabled: identifier === 'lookup_order' }));
    expect(res.status).toBe(201);
  }

  const logger = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        leanLogs.push(chunk.toString('utf8'));
        callback();
      },
    }),
  });
  const fast = invokeFastPath({
    invoke: createInvoker({ config: h.config, store: h.store, keyring: h.keyring, egress: h.egress, logger }),
    logger,
    bodyLimitBytes: BODY_LIMIT,
    headers: recordHeaders(apiHeaderMiddleware(h.config)),
  });
  lean = createServer((req, res) => {
    if (!fast(req, res)) res.writeHead(NOT_TAKEN).end();
  });
  lean.listen(0, '127.0.0.1');
  await once(lean, 'listening');
  leanUrl = `http://127.0.0.1:${(lean.address() as AddressInfo).port}`;
});
afterAll(async () => {
  lean?.close();
  await h?.close();
});

function send(
  path: string,
  options: { body?: string | Buffer; headers?: Record<string, string>; method?: 'POST' | 'GET' } = {},
) {
  return undiciRequest(`${leanUrl}${path}`, {
    method: options.method ?? 'POST',
    headers: {
      authorization: `Bearer ${serviceKey}`,
      'content-type': 'application/json',
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: options.body }),
  });
}

const ARGS = JSON.stringify({ arguments: { order_number: 'ORD-1' } });

describe('what the lean path takes', () => {
  it('answers a plain JSON invoke itself', async () => {
    const res = await send(invokePath('lookup_order'), { body: ARGS });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toMatchObject({ ok: true, status: 200 });
  });

  it('passes on everything else to Express, unread', async () => {
    const cases: [string, Parameters<typeof send>][] = [
      [
        'a browser (Origin)',
        [invokePath('lookup_order'), { body: ARGS, headers: { origin: 'https://x.example' } }],
      ],
      [
        'a compressed body',
        [invokePath('lookup_order'), { body: gzipSync(ARGS), headers: { 'content-encoding': 'gzip' } }],
      ],
      [
        'another content type',
        [invokePath('lookup_order'), { body: ARGS, headers: { 'content-type': 'text/plain' } }],
      ],
      [
        'another charset',
        [
          invokePath('lookup_order'),
          { body: ARGS, headers: { 'content-type': 'application/json; charset=utf-16' } },
        ],
      ],
      ['a GET', [invokePath('lookup_order'), { method: 'GET' }]],
      ['a percent-escaped parameter', [invokePath('lookup%5Forder'), { body: ARGS }]],
      [
        'a Content-Encoding, even identity',
        [invokePath('lookup_order'), { body: ARGS, headers: { 'content-encoding': 'identity' } }],
      ],
      ['another route', [routePath('agentTools', { chatbotId }), { body: ARGS }]],
      ['a longer path', [`${invokePath('lookup_order')}/more`, { body: ARGS }]],
    ];
    for (const [name, args] of cases) {
      const res = await send(...args);
      await res.body.dump();
      expect({ name, status: res.statusCode }).toEqual({ name, status: NOT_TAKEN });
    }
  });

  it('passes on a chunked body (no Content-Length)', async () => {
    const res = await undiciRequest(`${leanUrl}${invokePath('lookup_order')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${serviceKey}`, 'content-type': 'application/json' },
      body: Readable.from([Buffer.from(ARGS)]),
    });
    await res.body.dump();
    expect(res.statusCode).toBe(NOT_TAKEN);
  });

  it('refuses a declared body over the limit with 413 without reading it, and closes the connection', async () => {
    const res = await send(invokePath('lookup_order'), { body: 'x'.repeat(BODY_LIMIT + 1) });
    expect(res.statusCode).toBe(413);
    expect(res.headers.connection).toBe('close');
    expect(((await res.body.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('writes one access line per invoke: id, method, url, status, never a header', async () => {
    leanLogs.length = 0;
    const res = await send(invokePath('lookup_order'), {
      body: ARGS,
      headers: { 'x-request-id': 'trace-42' },
    });
    expect(res.headers['x-request-id']).toBe('trace-42');
    await res.body.dump();
    const lines = leanLogs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { id: 'trace-42', method: 'POST', url: invokePath('lookup_order') },
      res: { statusCode: 200 },
    });
    expect(leanLogs.join('')).not.toContain(serviceKey);
  });

  it('logs a refusal at warn with its error code', async () => {
    leanLogs.length = 0;
    const res = await send(invokePath('no_such'), { body: ARGS });
    await res.body.dump();
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(leanLogs[0] ?? '{}')).toMatchObject({
      level: 40,
      errorCode: 'not_found',
      res: { statusCode: 404 },
    });
  });
});

describe('the same answer as the Express route', () => {
  // Headers that differ per response by nature.
  const VARYING = new Set(['date', 'x-request-id', 'connection', 'keep-alive']);
  const comparable = (res: { status: number; body: unknown; headers: Record<string, unknown> }) => ({
    status: res.status,
    body: res.body,
    headers: Object.fromEntries(Object.entries(res.headers).filter(([name]) => !VARYING.has(name))),
  });

  const cases: { name: string; identifier: string; body: string; key?: string }[] = [
    { name: 'a call made', identifier: 'lookup_order', body: ARGS },
    { name: 'an unknown identifier', identifier: 'no_such', body: ARGS },
    { name: 'a disabled action', identifier: 'turned_off', body: ARGS },
    { name: 'arguments missing', identifier: 'lookup_order', body: '{}' },
    { name: 'arguments of the wrong type', identifier: 'lookup_order', body: '{"arguments":[1]}' },
    { name: 'an empty body', identifier: 'lookup_order', body: '' },
    { name: 'JSON that is not an object', identifier: 'lookup_order', body: '"text"' },
    { name: 'broken JSON', identifier: 'lookup_order', body: '{"arguments":' },
    { name: 'a wrong key', identifier: 'lookup_order', body: ARGS, key: 'aihio_sk_wrong' },
    { name: 'no key of the right form', identifier: 'lookup_order', body: ARGS, key: 'not-a-key' },
  ];
  for (const { name, identifier, body, key } of cases) {
    it(name, async () => {
      const headers = { authorization: `Bearer ${key ?? serviceKey}` };
      // The lean path alone (it would answer 599 for a request it did not take)…
      const lean = await send(invokePath(identifier), { body, headers });
      const fast = { status: lean.statusCode, body: await lean.body.json(), headers: lean.headers };
      // …and the app's Express route: `Content-Encoding: identity` leaves a request to Express
      // without changing what it means.
      const express = await request(h.app)
        .post(invokePath(identifier))
        .set('Authorization', headers.authorization)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'identity')
        .send(body);
      expect(comparable(fast)).toEqual(comparable(express));
    });
  }
});
