import { openApiFetchResponseSchema, routePath } from '@aihio/actions-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { as, expectError } from '../test-support/fixtures';
import { createHarness, type Harness } from '../test-support/harness';
import { echoHandler } from '../test-support/upstream';

/** The import dialog's "from a URL", against a real HTTPS server on loopback through the BFF's egress. */

let h: Harness;
let admin: ReturnType<typeof as>;
let chatbotId: string;

const DOCUMENT = `openapi: 3.0.3
info: { title: Loopback Orders, version: '1' }
servers: [{ url: 'https://api.bff.test/v1' }]
paths:
  /orders/{id}:
    get:
      operationId: getOrder
      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]
      responses: { '200': { description: ok } }
`;

beforeAll(async () => {
  h = await createHarness({ AIHIO_TEST_RATE_LIMIT: '40', AIHIO_EGRESS_MAX_RESPONSE_BYTES: '4096' });
  admin = as(h.app, await h.session());
  chatbotId = (await admin.post(routePath('chatbots')).send({ name: 'Import bot' })).body.id;
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.upstream.requests.length = 0;
  h.upstream.handler = (req, res) => {
    if (req.url === '/openapi.yaml') {
      res.setHeader('content-type', 'application/yaml');
      res.end(DOCUMENT);
    } else if (req.url === '/moved') {
      res.statusCode = 301;
      res.setHeader('location', 'https://api.bff.test/openapi.yaml');
      res.end();
    } else if (req.url === '/huge') {
      res.end('x'.repeat(10_000));
    } else {
      echoHandler(req, res, { method: '', path: req.url ?? '', headers: req.headers, body: '' });
    }
  };
});

const fetchUrl = () => routePath('openApiFetch', { chatbotId });

describe('fetch an OpenAPI document by URL', () => {
  it('fetches it through egress and returns the text as it is', async () => {
    const res = await admin.post(fetchUrl()).send({ url: `${h.upstreamOrigin}/openapi.yaml` });
    expect(res.status).toBe(200);
    const body = openApiFetchResponseSchema.parse(res.body);
    expect(body.text).toBe(DOCUMENT);
    expect(h.upstream.requests).toHaveLength(1);
    expect(h.upstream.requests[0]?.headers.accept).toMatch(/^application\/json, application\/yaml/);
  });

  it('does not follow a redirect', async () => {
    const res = await admin.post(fetchUrl()).send({ url: `${h.upstreamOrigin}/moved` });
    expectError(res, 502, 'import_fetch_failed');
    expect(res.body.error.message).toMatch(/301.*do not follow redirects/);
    expect(h.upstream.requests.map((r) => r.path)).toEqual(['/moved']);
  });

  it('refuses a document over the response cap', async () => {
    expectError(
      await admin.post(fetchUrl()).send({ url: `${h.upstreamOrigin}/huge` }),
      502,
      'response_too_large',
    );
  });

  it.each([
    ['http', 'http://api.bff.test/openapi.yaml', 'invalid_url'],
    ['another port', 'https://api.bff.test:8443/openapi.yaml', 'blocked_destination'],
    ['a loopback address', 'https://127.0.0.1/openapi.yaml', 'blocked_destination'],
    ['the metadata address', 'https://169.254.169.254/latest/meta-data', 'blocked_destination'],
  ])('applies the SSRF rules: %s is refused, nothing is sent', async (_name, url, code) => {
    const res = await admin.post(fetchUrl()).send({ url });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body.error.code).toBe(code);
    expect(h.upstream.requests).toHaveLength(0);
  });

  it('is for editors of the workspace’s own chatbots', async () => {
    expectError(
      await admin
        .post(routePath('openApiFetch', { chatbotId: 'nope' }))
        .send({ url: `${h.upstreamOrigin}/openapi.yaml` }),
      404,
      'not_found',
    );
    expectError(await admin.post(fetchUrl()).send({}), 400, 'invalid_request');
  });
});
