// `node --conditions=@aihio/source --import tsx dev/seed.ts --bff http://127.0.0.1:8787`
// Adds the example actions to the Demo chatbot through the BFF's dashboard API (development auth),
// once: an example that already exists (perhaps edited since) is left as it is.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type ActionDefinition,
  actionListResponseSchema,
  routePath,
  type StoredAction,
  storedActionSchema,
} from '@aihio/actions-core';
import { DEMO_TICKET_TOKEN, exampleActions, SANDBOX_ORIGIN } from './examples';

export const DEMO_CHATBOT_ID = 'demo-chatbot';

export interface SeedOptions {
  bffUrl: string;
  chatbotId?: string;
  sandboxOrigin?: string;
  /** Session headers for a BFF not in development auth (tests of other workspaces). */
  headers?: Record<string, string>;
}

async function call(url: string, init: RequestInit): Promise<unknown> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok)
    throw new Error(`${init.method ?? 'GET'} ${new URL(url).pathname}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Returns the identifiers it created (empty when every example was already there). */
export async function seedDemo(options: SeedOptions): Promise<string[]> {
  const chatbotId = options.chatbotId ?? DEMO_CHATBOT_ID;
  const headers = { 'content-type': 'application/json', accept: 'application/json', ...options.headers };
  const base = options.bffUrl.replace(/\/$/, '');
  const list = actionListResponseSchema.parse(
    await call(base + routePath('actions', { chatbotId }), { headers }),
  );
  const existing = new Set(list.actions.map((action) => action.identifier));
  const created: string[] = [];
  for (const example of exampleActions(options.sandboxOrigin ?? SANDBOX_ORIGIN)) {
    if (existing.has(example.identifier)) continue;
    const action: StoredAction = storedActionSchema.parse(
      await call(base + routePath('actions', { chatbotId }), {
        method: 'POST',
        headers,
        body: JSON.stringify(example satisfies ActionDefinition),
      }),
    );
    if (example.auth.type !== 'none') {
      await call(base + routePath('actionCredential', { chatbotId, actionId: action.id }), {
        method: 'PUT',
        headers,
        body: JSON.stringify({ secret: DEMO_TICKET_TOKEN }),
      });
    }
    created.push(example.identifier);
  }
  return created;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      bff: { type: 'string', default: process.env.AIHIO_BFF_URL ?? 'http://127.0.0.1:8787' },
      'sandbox-origin': { type: 'string', default: process.env.AIHIO_SANDBOX_ORIGIN ?? SANDBOX_ORIGIN },
    },
  });
  try {
    const created = await seedDemo({ bffUrl: values.bff, sandboxOrigin: values['sandbox-origin'] });
    console.log(created.length > 0 ? `added ${created.join(', ')}` : 'the examples are already there');
  } catch (error) {
    console.error(`could not add the examples: ${(error as Error).message}`);
    process.exit(1);
  }
}
