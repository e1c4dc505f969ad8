import { type ActionDefinition, errorEnvelopeSchema, routePath } from '@aihio/actions-core';
import Database from 'better-sqlite3';
import request from 'supertest';
import { expect } from 'vitest';
import type { App } from '../app';

/** A valid action against the loopback upstream; override what a test is about. */
export function sampleAction(origin: string, overrides: Partial<ActionDefinition> = {}): ActionDefinition {
  return {
    identifier: 'lookup_order',
    description: 'Look up a customer order by its number.',
    method: 'GET',
    url: `${origin}/echo/orders/{{order_number}}?verbose=yes`,
    headers: [{ name: 'Accept', value: 'application/json' }],
    body: null,
    parameters: [
      { name: 'order_number', label: 'Order number', type: 'text', hint: 'Such as ORD-123', required: true },
    ],
    auth: { type: 'none' },
    requireVerifiedIdentity: false,
    enabled: true,
    ...overrides,
  };
}

/** supertest with the session token set. */
export function as(app: App, token: string) {
  const auth = (test: request.Test) => test.set('Authorization', `Bearer ${token}`);
  return {
    get: (url: string) => auth(request(app).get(url)),
    post: (url: string) => auth(request(app).post(url)),
    put: (url: string) => auth(request(app).put(url)),
    delete: (url: string) => auth(request(app).delete(url)),
  };
}

function blobsAsText(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'Buffer') {
    return Buffer.from((value as { data: number[] }).data).toString('latin1');
  }
  return value;
}

/** Every row of every table of the SQLite file, as text, for searching. */
export function dumpDatabase(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("select name from sqlite_master where type = 'table'").all() as {
      name: string;
    }[];
    return tables
      .map(
        ({ name }) => `${name}: ${JSON.stringify(db.prepare(`select * from "${name}"`).all(), blobsAsText)}`,
      )
      .join('\n');
  } finally {
    db.close();
  }
}

/** The answer is the error envelope with this status and code. */
export function expectError(res: request.Response, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(errorEnvelopeSchema.safeParse(res.body).success).toBe(true);
}

/** An agent invoke of `identifier` with a service key, as the agent runtime sends it. */
export function agentInvoke(
  app: App,
  serviceKey: string,
  chatbotId: string,
  identifier: string,
  args: Record<string, unknown> = { order_number: 'A-1' },
) {
  return request(app)
    .post(routePath('agentInvoke', { chatbotId, identifier }))
    .set('Authorization', `Bearer ${serviceKey}`)
    .send({ arguments: args });
}
