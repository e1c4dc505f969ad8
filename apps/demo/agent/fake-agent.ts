// The agent runtime's side of the loop, end to end, with a fake model:
//
//   corepack pnpm --filter @aihio/demo agent "where is my order ORD-123"
//
// 1. creates a service key through the dashboard API (development auth) — a real runtime is
//    given one by the workspace admin (or pass AIHIO_SERVICE_KEY);
// 2. asks the agent API for the chatbot's tools;
// 3. lets the fake model pick a tool and its arguments from the message;
// 4. invokes it and prints the model-ready result the BFF returns.
// Options: --bff URL (default $AIHIO_BFF_URL or http://127.0.0.1:8787), --chatbot ID.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type ConfirmationChallenge,
  type ConfirmationSummary,
  createServiceKeyResponseSchema,
  errorEnvelopeSchema,
  type InvokeResult,
  invokeResultSchema,
  routePath,
  type ToolDefinition,
  toolListResponseSchema,
} from '@aihio/actions-core';
import { chooseToolCall, type ToolCall } from './model';

export interface AgentRun {
  tools: ToolDefinition[];
  call: ToolCall | null;
  result: InvokeResult | null;
  /** What the visitor was asked to confirm (actions with side effects), or null. */
  confirmation?: ConfirmationSummary | null;
}

export interface AgentOptions {
  bffUrl: string;
  chatbotId: string;
  message: string;
  /** A service key; without one, a temporary key is created (dev auth) and deleted afterwards. */
  serviceKey?: string;
  /** The fake visitor's answer when asked to confirm a call (default: confirms). */
  confirm?: boolean;
  log?: (line: string) => void;
}

async function json(res: Response, what: string): Promise<unknown> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/**
 * What the model is told. An outbound failure already is a result (`ok: false`, HTTP 200); a
 * refusal before any call (disabled action, invalid arguments, unverified visitor) is the BFF's
 * error envelope, with the same stable codes, which the runtime hands on the same way.
 */
async function invokeOutcome(
  res: Response,
  what: string,
): Promise<{ result: InvokeResult; confirmation: ConfirmationChallenge | null }> {
  const text = await res.text();
  const envelope = res.ok ? null : errorEnvelopeSchema.safeParse(JSON.parse(text || 'null'));
  if (envelope?.success) {
    const { code, message, details } = envelope.data.error;
    return {
      result: { ok: false, error: { code, message, ...(details?.issues ? { issues: details.issues } : {}) } },
      confirmation: details?.confirmation ?? null,
    };
  }
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return { result: invokeResultSchema.parse(JSON.parse(text)), confirmation: null };
}

export async function runAgent(options: AgentOptions): Promise<AgentRun> {
  const base = options.bffUrl.replace(/\/$/, '');
  const log = options.log ?? (() => {});
  let key = options.serviceKey;
  let temporaryKeyId: string | null = null;
  if (!key) {
    const created = createServiceKeyResponseSchema.parse(
      await json(await fetch(base + routePath('serviceKeys'), { method: 'POST' }), 'creating a service key'),
    );
    key = created.key;
    temporaryKeyId = created.id;
    log(`service key •••• ${created.last4} (temporary, created through the dashboard API)`);
  }
  const auth = { authorization: `Bearer ${key}` };
  try {
    const { tools } = toolListResponseSchema.parse(
      await json(
        await fetch(base + routePath('agentTools', { chatbotId: options.chatbotId }), { headers: auth }),
        'listing tools',
      ),
    );
    log(`tools: ${tools.map((tool) => tool.name).join(', ') || '(none enabled)'}`);
    const call = chooseToolCall(options.message, tools);
    if (!call) {
      log('model: no tool fits this message, or it lacks a required value; it would answer or ask instead.');
      return { tools, call: null, result: null, confirmation: null };
    }
    log(`model: ${call.name}(${JSON.stringify(call.arguments)})`);
    const invoke = async (confirmation?: string) =>
      invokeOutcome(
        await fetch(
          base + routePath('agentInvoke', { chatbotId: options.chatbotId, identifier: call.name }),
          {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify({ arguments: call.arguments, ...(confirmation ? { confirmation } : {}) }),
          },
        ),
        `invoking ${call.name}`,
      );
    const first = await invoke();
    if (!first.confirmation) return { tools, call, result: first.result, confirmation: null };
    // The action has side effects: the BFF made no call and asks the visitor first. A real
    // runtime shows the summary in the chat; this fake visitor answers as told (yes by default).
    const { summary, token } = first.confirmation;
    log(`confirm? ${summary.text}`);
    if (options.confirm === false) {
      log('visitor: cancels');
      return { tools, call, result: first.result, confirmation: summary };
    }
    log('visitor: confirms');
    const second = await invoke(token);
    return { tools, call, result: second.result, confirmation: summary };
  } finally {
    if (temporaryKeyId) {
      await fetch(base + routePath('serviceKey', { keyId: temporaryKeyId }), { method: 'DELETE' });
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      bff: { type: 'string', default: process.env.AIHIO_BFF_URL ?? 'http://127.0.0.1:8787' },
      chatbot: { type: 'string', default: 'demo-chatbot' },
    },
  });
  const message = positionals.join(' ').trim() || 'where is my order ORD-123';
  console.log(`visitor: ${message}`);
  try {
    const run = await runAgent({
      bffUrl: values.bff,
      chatbotId: values.chatbot,
      message,
      serviceKey: process.env.AIHIO_SERVICE_KEY,
      log: (line) => console.log(line),
    });
    if (run.result) console.log(`result (model-ready):\n${JSON.stringify(run.result, null, 2)}`);
  } catch (error) {
    console.error(`agent: ${(error as Error).message}`);
    process.exit(1);
  }
}
