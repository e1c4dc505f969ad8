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
  /**
   * A second workspace on the Free plan, so the demo shows the upgrade state (`plan_required`).
   * A development request picks it with the `x-aihio-dev-workspace: demo-free` header.
   */
  freeWorkspace: { id: 'demo-free', name: 'Free workspace', plan: 'free' } satisfies WorkspaceRecord,
  freeChatbot: { id: 'free-chatbot', name: 'Free chatbot' },
  userId: 'demo-user',
  userName: 'Demo user',
  role: 'admin' as Role,
} as const;

/** The header a development request names its workspace with (dev auth only; unknown ids fall back). */
export const DEV_WORKSPACE_HEADER = 'x-aihio-dev-workspace';

/** The development workspace a request asks for: the Free one by its id, else the default. */
export function devWorkspaceFor(requested: string | undefined): WorkspaceRecord {
  return requested === DEV_SEED.freeWorkspace.id ? DEV_SEED.freeWorkspace : DEV_SEED.workspace;
}

/** Idempotent: safe on every start and on several instances at once. */
export async function seedDevWorkspace(store: Store): Promise<void> {
  await seedWorkspace(store, DEV_SEED.workspace, DEV_SEED.chatbot);
  await seedWorkspace(store, DEV_SEED.freeWorkspace, DEV_SEED.freeChatbot);
}

async function seedWorkspace(
  store: Store,
  workspace: WorkspaceRecord,
  chatbot: { id: string; name: string },
): Promise<void> {
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
