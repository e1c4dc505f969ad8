import type { Role } from '@aihio/actions-core';
import type { Store, WorkspaceRecord } from '../store/types';

/**
 * The development workspace of the two-command start (`npm start`) and the demo app. Ids are
 * stable so the demo can link straight to the chatbot. Dev auth (refused in production) makes
 * every dashboard request this user.
 */
export const DEV_SEED = {
  workspace: { id: 'demo', name: 'Demo workspace', plan: 'starter' } satisfies WorkspaceRecord,
  chatbot: { id: 'demo-chatbot', name: 'Demo chatbot' },
  userId: 'demo-user',
  userName: 'Demo user',
  role: 'admin' as Role,
} as const;

/** Idempotent: safe on every start and on several instances at once. */
export async function seedDevWorkspace(store: Store): Promise<void> {
  const { workspace, chatbot } = DEV_SEED;
  const current = await store.getWorkspace(workspace.id);
  if (!current) await store.upsertWorkspace(workspace);
  if (!(await store.getChatbot(workspace.id, chatbot.id))) {
    try {
      await store.createChatbot(workspace.id, chatbot.name, chatbot.id);
    } catch (error) {
      // Another instance seeded it between our read and write.
      if (!(await store.getChatbot(workspace.id, chatbot.id))) throw error;
    }
  }
}
