import type { Role } from '@aihio/actions-core';
import type { WorkspaceRecord } from '../store/types';

/** Who is calling, as the auth middleware established it. Every store call is scoped by `workspace.id`. */
export interface SessionContext {
  kind: 'session';
  userId: string;
  userName: string | undefined;
  workspace: WorkspaceRecord;
  role: Role;
}

/** An agent runtime, authenticated by one of the workspace's service keys. */
export interface AgentContext {
  kind: 'agent';
  workspace: WorkspaceRecord;
  serviceKeyId: string;
}

declare global {
  namespace Express {
    interface Request {
      session?: SessionContext;
      agent?: AgentContext;
    }
  }
}
