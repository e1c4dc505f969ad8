import { API_ROUTES, errorCodes } from '@aihio/actions-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './test-support/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string }[];
        requestBody?: unknown;
        responses: Record<string, unknown>;
        security: unknown[];
      }
    >
  >;
  components: { schemas: Record<string, Record<string, unknown>>; securitySchemes: Record<string, unknown> };
};

describe('/openapi.json', () => {
  it('is an OpenAPI 3.1 document with every route, its path parameters and security', async () => {
    const res = await request(h.app).get('/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body as Doc;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['serviceKey', 'session']);
    for (const template of Object.values(API_ROUTES)) {
      const path = template.replace(/:([A-Za-z]+)/g, '{$1}');
      const operations = doc.paths[path];
      expect(operations, path).toBeDefined();
      for (const operation of Object.values(operations!)) {
        const names = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        expect(names.sort()).toEqual([...template.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]).sort());
        expect(operation.security.length).toBe(1);
        expect(Object.keys(operation.responses).some((status) => status.startsWith('2'))).toBe(true);
      }
    }
  });

  it('resolves every $ref to a component generated from the core schemas', async () => {
    const doc = (await request(h.app).get('/openapi.json')).body as Doc;
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([A-Za-z]+)"/g)].map(
      (m) => m[1]!,
    );
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect(doc.components.schemas[ref], ref).toBeDefined();
    const envelope = doc.components.schemas.ErrorEnvelope as {
      properties: { error: { properties: { code: { enum: string[] } } } };
    };
    expect(envelope.properties.error.properties.code.enum).toEqual(errorCodes);
    const stored = doc.components.schemas.StoredAction as { required: string[] };
    expect(stored.required).toEqual(expect.arrayContaining(['id', 'version', 'credential', 'lastRun']));
  });

  it('documents `truncated` as a required boolean of every run record', async () => {
    const doc = (await request(h.app).get('/openapi.json')).body as Doc;
    const list = doc.components.schemas.RunListResponse as {
      properties: { runs: { items: { required: string[]; properties: Record<string, { type?: string }> } } };
    };
    const run = list.properties.runs.items;
    expect(run.properties.truncated?.type).toBe('boolean');
    expect(run.required).toEqual(expect.arrayContaining(['truncated', 'responseBytes', 'outcome']));
  });

  it('documents the error statuses of the update route (If-Match, conflict, plan)', async () => {
    const doc = (await request(h.app).get('/openapi.json')).body as Doc;
    const update = doc.paths['/api/v1/chatbots/{chatbotId}/actions/{actionId}']!.put!;
    expect(Object.keys(update.responses)).toEqual(
      expect.arrayContaining(['200', '402', '409', '412', '422', '428']),
    );
    expect(update.parameters?.some((p) => p.name === 'If-Match' && p.in === 'header')).toBe(true);
    expect(update.requestBody).toBeDefined();
  });

  it('documents an optional If-Match and the 412 on setting and removing a credential', async () => {
    const doc = (await request(h.app).get('/openapi.json')).body as Doc;
    const credential = doc.paths['/api/v1/chatbots/{chatbotId}/actions/{actionId}/credential']!;
    for (const operation of [credential.put!, credential.delete!]) {
      const ifMatch = operation.parameters?.find((p) => p.name === 'If-Match');
      expect(ifMatch).toMatchObject({ in: 'header', required: false });
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '412']));
    }
    expect(credential.put!.requestBody).toBeDefined();
  });
});
