// biome-ignore-all lint/correctness/noNodejsModules: the test reads its fixtures and watches the process's own DNS, sockets and files to prove the import uses none of them
import dns from 'node:dns';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type ImportedOperation, importOpenApi, type OpenApiImport } from './openapi';
import { validateAction } from './validate';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/openapi/${name}`, import.meta.url), 'utf8');

function ok(result: OpenApiImport) {
  if (!result.ok) throw new Error(`expected an import, got ${JSON.stringify(result.errors)}`);
  return result;
}

function byKey(result: OpenApiImport): Map<string, ImportedOperation> {
  return new Map(ok(result).operations.map((o) => [`${o.method} ${o.path}`, o]));
}

function imported(op: ImportedOperation | undefined) {
  if (!op || !('action' in op)) throw new Error(`expected an imported action, got ${JSON.stringify(op)}`);
  return op;
}

function skipped(op: ImportedOperation | undefined): string {
  if (!op || !('skipped' in op)) throw new Error(`expected a skip, got ${JSON.stringify(op)}`);
  return op.skipped;
}

describe('importOpenApi: OpenAPI 3.0 (shop-3.0.yaml)', async () => {
  const result = await importOpenApi(fixture('shop-3.0.yaml'));
  const ops = byKey(result);

  it('lists every path × method exactly once, imported or skipped with a reason', () => {
    expect(ok(result).title).toBe('Example Shop API');
    expect([...ops.keys()].sort()).toEqual(
      [
        'GET /orders',
        'POST /orders',
        'HEAD /orders',
        'OPTIONS /orders',
        'GET /orders/{orderId}/',
        'DELETE /orders/{orderId}/',
        'POST /orders/{orderId}/attachments',
        'GET /cart',
        'GET /internal/stats',
        'GET /legacy/export',
        'PATCH /categories/{categoryId}',
        'PUT /tags',
        'POST /reviews',
      ].sort(),
    );
    expect(ok(result).operations).toHaveLength(13);
  });

  it('every imported action passes validateAction, is disabled, and identifiers are unique snake_case ≤ 64', () => {
    const actions = ok(result).operations.flatMap((o) => ('action' in o ? [o.action] : []));
    expect(actions.length).toBe(4);
    for (const action of actions) {
      expect(validateAction(action)).toEqual({ ok: true, action });
      expect(action.enabled).toBe(false);
      expect(action.identifier).toMatch(/^[a-z][a-z0-9_]{0,63}$/);
    }
    expect(new Set(actions.map((a) => a.identifier)).size).toBe(actions.length);
  });

  it('reads a query enum, a header parameter, the first https server with its variable defaults; leaves the optional out, saying so', () => {
    const op = imported(ops.get('GET /orders'));
    // Duplicate YAML key: the last operationId wins, as JSON.parse would have it.
    expect(op.operationId).toBe('listOrdersByStatus');
    expect(op.action).toMatchObject({
      identifier: 'list_orders_by_status',
      method: 'GET',
      url: 'https://eu.shop.example.com/v1/orders?status={{status}}',
      headers: [
        { name: 'X-Request-Id', value: '{{x_request_id}}' },
        { name: 'Accept', value: 'application/json' },
      ],
      description: 'List orders by status',
      // OAuth2 comes first but is not supported: the next alternative, http bearer, wins.
      auth: { type: 'bearer' },
    });
    expect(op.action.parameters).toEqual([
      {
        name: 'x_request_id',
        label: 'X Request Id',
        type: 'text',
        required: true,
        hint: 'Correlation id of the call.',
      },
      {
        name: 'status',
        label: 'Status',
        type: 'enum',
        choices: ['open', 'shipped', 'on hold'],
        required: true,
      },
    ]);
    expect(op.warnings).toEqual([expect.stringContaining('Optional query parameter “limit” was left out')]);
  });

  it('builds a JSON body from the top-level properties (allOf merged): typed bare placeholders, exact spec keys', () => {
    const op = imported(ops.get('POST /orders'));
    expect(op.action.identifier).toBe('create_order');
    expect(op.action.description).toBe('Create an order\n\nCreates an order for a customer.');
    expect(JSON.parse(op.action.body!.replace(/\{\{(\w+)\}\}(?!")/g, '0'))).toEqual({
      email: '{{email}}',
      sku: '{{sku}}',
      quantity: 0,
      gift: 0,
      deliverOn: '{{deliver_on}}',
    });
    expect(op.action.body).toContain('"quantity": {{quantity}}');
    expect(op.action.body).toContain('"gift": {{gift}}');
    expect(op.action.parameters.map((p) => [p.name, p.type])).toEqual([
      ['x_request_id', 'text'],
      ['email', 'email'],
      ['sku', 'text'],
      ['quantity', 'integer'],
      ['gift', 'boolean'],
      ['deliver_on', 'date'],
    ]);
    expect(op.action.headers).toContainEqual({ name: 'Content-Type', value: 'application/json' });
    // Object/array properties are never text placeholders: optional ones are left out and named.
    expect(op.warnings.join('\n')).toMatch(/“unitPrice”.*\n.*“notes”.*\n.*“shipping”/);
  });

  it('keeps the path’s own trailing slash; renames the path parameter, keeps its type and description', () => {
    const op = imported(ops.get('GET /orders/{orderId}/'));
    expect(op.action.url).toBe('https://eu.shop.example.com/v1/orders/{{order_id}}/');
    expect(op.action.identifier).toBe('get_order_by_id');
    expect(op.action.parameters).toEqual([
      { name: 'order_id', label: 'Order Id', type: 'integer', required: true, hint: "The order's number." },
    ]);
    // `security: []` on the operation: anonymous.
    expect(op.action.auth).toEqual({ type: 'none' });
  });

  it('names an operation without an operationId by method and path; basic auth becomes none with a warning', () => {
    const op = imported(ops.get('DELETE /orders/{orderId}/'));
    expect(op.action.identifier).toBe('delete_orders_by_order_id');
    expect(op.action.description).toBe('Calls DELETE /orders/{orderId}/.');
    expect(op.action.auth).toEqual({ type: 'none' });
    expect(op.warnings).toEqual([expect.stringContaining('basic authentication')]);
  });

  it.each([
    ['HEAD /orders', /HEAD is not a method actions use/],
    ['OPTIONS /orders', /OPTIONS is not a method/],
    ['POST /orders/{orderId}/attachments', /multipart\/form-data/],
    ['GET /cart', /cookie parameter \(session\)/],
    ['GET /internal/stats', /port 8443/],
    ['GET /legacy/export', /only http servers/],
    ['PATCH /categories/{categoryId}', /“parent” has a circular schema/],
    ['PUT /tags', /body is a list/],
    ['POST /reviews', /another file \(https:\/\/schemas\.example\.com\/review\.json\)/],
  ])('skips %s with its reason', (key, reason) => {
    expect(skipped(ops.get(key))).toMatch(reason);
  });

  it('warns, at the document level, about the schema violation, external references and the circular schema', () => {
    const warnings = ok(result).warnings.join('\n');
    expect(warnings).toContain('“https://schemas.example.com/review.json” points outside the document');
    expect(warnings).toContain('“./common.yaml#/Address” points outside the document');
    expect(warnings).toMatch(/does not follow the OpenAPI schema/);
    expect(warnings).toMatch(/circular/);
  });

  it('gives the same import for the YAML text, the same as JSON text, and as an object', async () => {
    const object = parseYaml(fixture('shop-3.0.yaml'), { uniqueKeys: false });
    expect(await importOpenApi(object)).toEqual(result);
    expect(await importOpenApi(JSON.stringify(object))).toEqual(result);
  });

  it('imports only the listed operationIds with `only`, and warns about an unknown one', async () => {
    const some = ok(
      await importOpenApi(fixture('shop-3.0.yaml'), { only: ['createOrder', 'getCart', 'nope'] }),
    );
    expect(some.operations.map((o) => `${o.method} ${o.path}`)).toEqual(['POST /orders', 'GET /cart']);
    expect(some.warnings).toContain('No operation has the operationId “nope”.');
  });
});

describe('importOpenApi: Swagger 2.0 (petstore-2.0.json)', async () => {
  const ops = byKey(await importOpenApi(fixture('petstore-2.0.json')));

  it('uses https://host + basePath when schemes include https; body and form parameters; apiKey header auth', () => {
    const find = imported(ops.get('GET /pets'));
    expect(find.action).toMatchObject({
      url: 'https://shelter.example.org/api/pets?tag={{tag}}',
      auth: { type: 'api_key', headerName: 'X-Api-Key' },
    });
    const add = imported(ops.get('POST /pets'));
    expect(add.action.body).toBe('{\n  "name": "{{name}}",\n  "age": {{age}}\n}');
    expect(add.action.parameters.map((p) => [p.name, p.type, p.hint])).toEqual([
      ['name', 'text', "The pet's name."],
      ['age', 'integer', undefined],
    ]);
    const adopt = imported(ops.get('POST /pets/{petId}/adopt'));
    expect(adopt.action).toMatchObject({
      url: 'https://shelter.example.org/api/pets/{{pet_id}}/adopt',
      body: 'adopter+name={{adopter_name}}',
      auth: { type: 'none' },
    });
    expect(adopt.action.headers).toContainEqual({
      name: 'Content-Type',
      value: 'application/x-www-form-urlencoded',
    });
    expect(skipped(ops.get('POST /pets/{petId}/photo'))).toMatch(/uploads a file/);
  });

  it('skips everything when the schemes are http only', async () => {
    const http = JSON.parse(fixture('petstore-2.0.json'));
    http.schemes = ['http'];
    const result = ok(await importOpenApi(http));
    expect(result.operations).toHaveLength(4);
    for (const op of result.operations) expect(skipped(op)).toMatch(/does not list https/);
  });
});

describe('importOpenApi: OpenAPI 3.1 (relative-3.1.json)', () => {
  it('skips operations with only a relative server; a webhook is listed as skipped, never imported', async () => {
    const ops = byKey(await importOpenApi(fixture('relative-3.1.json')));
    expect(skipped(ops.get('GET /notes'))).toMatch(/relative/);
    expect(skipped(ops.get('POST noteCreated'))).toMatch(/webhook/);
  });

  it('imports a loopback host as written (egress refuses it at run time)', async () => {
    const doc = JSON.parse(fixture('relative-3.1.json'));
    doc.servers = [{ url: 'https://127.0.0.1/api/' }];
    const op = imported(byKey(await importOpenApi(doc)).get('GET /notes'));
    expect(op.action.url).toBe('https://127.0.0.1/api/notes');
  });
});

describe('importOpenApi: documents that are not imported', () => {
  it.each<[string, unknown, RegExp]>([
    ['empty text', '   ', /empty/],
    ['text that is neither JSON nor YAML', '{"openapi": "3.0.0", "paths": {', /neither JSON nor YAML/],
    ['a YAML scalar', 'just words', /not an OpenAPI document/],
    ['an AsyncAPI document', 'asyncapi: 2.6.0\ninfo: {title: x, version: "1"}\nchannels: {}', /AsyncAPI/],
    ['a Swagger 1.2 document', { swaggerVersion: '1.2', apis: [] }, /Swagger 1\.x/],
    ['OpenAPI 4', { openapi: '4.0.0', info: { title: 'x', version: '1' }, paths: {} }, /not supported/],
    ['a document without paths', { openapi: '3.0.0', info: { title: 'x', version: '1' } }, /no “paths”/],
    ['null', null, /not an OpenAPI document/],
  ])('refuses %s with a message a person understands', async (_name, source, message) => {
    const result = await importOpenApi(source as string);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toMatch(message);
  });
});

describe('importOpenApi: no DNS, socket, fetch or file read', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    syncBuiltinESMExports();
  });

  it('follows no external $ref, local or remote', async () => {
    const touched: string[] = [];
    const record =
      (what: string) =>
      (...args: unknown[]) => {
        touched.push(`${what} ${String(args[0])}`);
        throw new Error(`${what} during an import`);
      };
    vi.spyOn(globalThis, 'fetch').mockImplementation(record('fetch'));
    vi.spyOn(dns, 'lookup').mockImplementation(record('dns.lookup') as never);
    vi.spyOn(dns.promises, 'lookup').mockImplementation(record('dns.promises.lookup') as never);
    vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(record('socket.connect') as never);
    const realReadFile = fs.readFile;
    vi.spyOn(fs, 'readFile').mockImplementation(((path: unknown, ...rest: unknown[]) => {
      if (String(path).includes('common.yaml') || String(path).includes('review')) record('readFile')(path);
      return (realReadFile as (...a: unknown[]) => unknown)(path, ...rest);
    }) as never);
    // The ESM views of node:dns/promises etc. follow the patched CommonJS objects.
    syncBuiltinESMExports();

    const result = ok(await importOpenApi(fixture('shop-3.0.yaml')));
    const remote = {
      openapi: '3.1.0',
      info: { title: 'Remote refs', version: '1' },
      servers: [{ url: 'https://api.example.com' }],
      paths: {
        '/a': { $ref: 'https://evil.example/paths.yaml#/a' },
        '/b': {
          post: {
            operationId: 'b',
            requestBody: { content: { 'application/json': { schema: { $ref: 'file:///etc/passwd' } } } },
            responses: { '200': { description: 'ok' } },
          },
        },
      },
    };
    const second = ok(await importOpenApi(remote));
    expect(touched).toEqual([]);
    expect(result.warnings.filter((w) => w.includes('points outside the document'))).toHaveLength(2);
    expect(second.warnings.join('\n')).toContain('“file:///etc/passwd” points outside the document');
    expect(skipped(second.operations.find((o) => o.path === '/b'))).toMatch(/another file/);
  });
});

describe('importOpenApi: robustness', () => {
  it('never hangs on a circular schema used at the top of a body, and never throws on odd shapes', async () => {
    const doc = {
      openapi: '3.0.0',
      info: { title: 'Odd', version: '1' },
      servers: [{ url: 'https://api.example.com' }],
      paths: {
        '/tree': {
          post: {
            operationId: 'plantTree',
            requestBody: {
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } },
            },
            responses: {},
          },
          put: 'not an operation',
          get: { parameters: [null, 5, { in: 'query' }], responses: {} },
        },
        '/x': null,
      },
      components: {
        schemas: {
          Node: {
            type: 'object',
            properties: { name: { type: 'string' }, child: { $ref: '#/components/schemas/Node' } },
          },
        },
      },
    };
    const result = ok(await importOpenApi(doc));
    const plant = imported(result.operations.find((o) => o.operationId === 'plantTree'));
    expect(plant.action.body).toBe('{}');
    expect(plant.warnings.join(' ')).toMatch(/“name” was left out.*|“child” was left out/);
    expect(result.operations.map((o) => o.method)).toEqual(['GET', 'POST']);
  });

  it('makes identifiers unique and keeps them within 64 characters', async () => {
    const op = (id: string) => ({ operationId: id, responses: {} });
    const doc = {
      openapi: '3.0.0',
      info: { title: 'Names', version: '1' },
      servers: [{ url: 'https://api.example.com' }],
      paths: {
        '/a': { get: op('get-item'), put: op('getItem'), post: op('GET ITEM') },
        '/b': { get: op('x'.repeat(80)), put: op('x'.repeat(80)), post: op('123 start with digits') },
      },
    };
    const ids = ok(await importOpenApi(doc)).operations.map((o) =>
      'action' in o ? o.action.identifier : o.skipped,
    );
    expect(ids).toEqual([
      'get_item',
      'get_item_2',
      'get_item_3',
      'x'.repeat(64),
      `${'x'.repeat(62)}_2`,
      'call_123_start_with_digits',
    ]);
  });
});
