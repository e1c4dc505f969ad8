/**
 * Child process of the durability tests: opens the SQLite store at argv[2] and creates actions
 * one after another, printing `ack <id>` only after each write has resolved. argv[3] is how many
 * to write (absent: until killed). With `--wait`, it loads everything, prints `ready` and opens
 * the store only when a line arrives on stdin, so several writers can start at the same moment.
 */
import { createInterface } from 'node:readline';
import { createStore } from '../index';
import { StoreError } from '../types';
import { actionDefinition } from './store-suite';

const [, , sqlitePath, countArg, waitFlag] = process.argv;
if (!sqlitePath) throw new Error('usage: ack-writer <sqlite path> [count|-] [--wait]');
const count = countArg && countArg !== '-' ? Number(countArg) : Number.POSITIVE_INFINITY;

if (waitFlag === '--wait') {
  const input = createInterface({ input: process.stdin });
  const go = new Promise<void>((resolve) => input.once('line', () => resolve()));
  process.stdout.write('ready\n');
  await go;
  input.close();
}

const store = await createStore({ sqlitePath });
const workspaceId = 'ws_durability';
const chatbotId = 'bot_durability';
await store.upsertWorkspace({ id: workspaceId, name: 'Durability', plan: 'starter' });
try {
  await store.createChatbot(workspaceId, 'Durability bot', chatbotId);
} catch (error) {
  // Another writer on the same file created it first.
  if (!(error instanceof StoreError && error.code === 'identifier_taken')) throw error;
}
const prefix = `w${process.pid}_`;
for (let i = 0; i < count; i += 1) {
  const action = await store.createAction(workspaceId, chatbotId, actionDefinition(`${prefix}${i}`));
  process.stdout.write(`ack ${action.id}\n`);
}
await store.close();
