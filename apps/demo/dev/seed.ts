// `node --conditions=@aihio/source --import tsx dev/seed.ts --bff http://127.0.0.1:8787`
// Adds the example actions to the Demo chatbot through the BFF's dashboard API (development auth),
// once: an example that already exists (perhaps edited since) is left as it is, except that an
// example still calling the sandbox's old address (https://127.0.0.1, from before the BFF's
// development host map) is moved to the current origin.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type ActionDefinition,
  actionDefinitionSchema,
  actionListResponseSchema,
  routePath,
  type StoredAction,
  storedActionSchema,
} from '@aihio/actions-core';
import { DEMO_TICKET_TOKEN, exampleActions, LEGACY_SANDBOX_ORIGIN, SANDBOX_ORIGIN } from './examples';

export const DEMO_CHATBOT_ID = 'demo-chatbot';

export interface SeedOptions {
  bffUrl: string;
  chatbotId?: string;
  sandboxOrigin?: string;
  /** Session headers for a BFF not in development auth (tests of other workspaces). */
  headers?: Record<string, string>;
  /** Told about each example moved from the old sandbox address. */
  log?: (line: string) => void;
}

async function call(url: string, init: RequestInit): Promise<unknown> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok)
    throw new Error(`${init.method ?? 'GET'} ${new URL(url).pathname}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/**
 * Point a seeded example that still calls the old sandbox address at the new one. Another origin
 * drops the stored credential (the BFF binds it to the origin), so the demo token is stored again
 * when the old credential was the demo token (judged by its last 4 characters).
 */
async function moveExample(
  base: string,
  chatbotId: string,
  headers: Record<string, string>,
  stored: StoredAction,
  url: string,
): Promise<void> {
  const path = base + routePath('action', { chatbotId, actionId: stored.id });
  const definition = actionDefinitionSchema.parse({ ...stored, url });
  await call(path, {
    method: 'PUT',
    headers: { ...headers, 'if-match': `"${stored.version}"` },
    body: JSON.stringify(definition),
  });
  if (definition.auth.type !== 'none' && stored.credential?.last4 === DEMO_TICKET_TOKEN.slice(-4)) {
    await call(base + routePath('actionCredential', { chatbotId, actionId: stored.id }), {
      method: 'PUT',
      headers,
      body: JSON.stringify({ secret: DEMO_TICKET_TOKEN }),
    });
  }
}

/** Returns the identifiers it created (empty when every example was already there). */
export async function seedDemo(options: SeedOptions): Promise<string[]> {
  const chatbotId = options.chatbotId ?? DEMO_CHATBOT_ID;
  const headers = { 'content-type': 'application/json', accept: 'application/json', ...options.headers };
  const base = options.bffUrl.replace(/\/$/, '');
  const list = actionListResponseSchema.parse(
    await call(base + routePath('actions', { chatbotId }), { headers }),
  );
  const existing = new Map(list.actions.map((action) => [action.identifier, action]));
  const origin = options.sandboxOrigin ?? SANDBOX_ORIGIN;
  const legacy = new Map(exampleActions(LEGACY_SANDBOX_ORIGIN).map((action) => [action.identifier, action]));
  const created: string[] = [];
  for (const example of exampleActions(origin)) {
    const stored = existing.get(example.identifier);
    if (stored !== undefined) {
      if (origin !== LEGACY_SANDBOX_ORIGIN && stored.url === legacy.get(example.identifier)?.url) {
        await moveExample(base, chatbotId, headers, stored, example.url);
        options.log?.(`moved ${example.identifier} to ${example.url}`);
      }
      continue;
    }
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
    const created = await seedDemo({
      bffUrl: values.bff,
      sandboxOrigin: values['sandbox-origin'],
      log: (line) => console.log(line),
    });
    console.log(created.length > 0 ? `added ${created.join(', ')}` : 'the examples are already there');
  } catch (error) {
    console.error(`could not add the examples: ${(error as Error).message}`);
    process.exit(1);
  }
}
