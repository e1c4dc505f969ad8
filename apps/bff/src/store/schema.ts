import type { Generated } from 'kysely';

/**
 * Table shapes as both dialects store them. Types are chosen to read back identically from
 * better-sqlite3 and pg: timestamps are ISO-8601 text (sortable as text), booleans are 0/1
 * integers, the action definition is JSON text, and the one 64-bit column is parsed to a number.
 */
export interface Database {
  workspaces: WorkspacesTable;
  chatbots: ChatbotsTable;
  actions: ActionsTable;
  runs: RunsTable;
  service_keys: ServiceKeysTable;
  rate_limits: RateLimitsTable;
  invoke_buckets: InvokeBucketsTable;
  data_keys: DataKeysTable;
  oauth_tokens: OAuthTokensTable;
  confirmations: ConfirmationsTable;
}

/** A pending confirmation of an agent call (migration 0005). */
export interface ConfirmationsTable {
  /** SHA-256 of the token, hex: the token itself is only ever with the caller. */
  token_hash: string;
  workspace_id: string;
  chatbot_id: string;
  action_id: string;
  action_version: number;
  /** SHA-256 of the canonical JSON of the arguments. */
  arguments_hash: string;
  /** The verified visitor's `sub`, or '' for an unverified one. */
  visitor: string;
  expires_at: string;
  used_at: string | null;
}

export interface WorkspacesTable {
  id: string;
  name: string;
  plan: string;
  created_at: string;
}

export interface ChatbotsTable {
  id: string;
  workspace_id: string;
  name: string;
  identity_secret_sealed: string | null;
  identity_secret_last4: string | null;
  created_at: string;
}

export interface ActionsTable {
  id: string;
  workspace_id: string;
  chatbot_id: string;
  /** Kept as columns (not only in the JSON) so uniqueness and enable/disable are plain SQL. */
  identifier: string;
  enabled: number;
  /** The rest of the ActionDefinition, as JSON text. */
  definition: string;
  version: number;
  created_at: string;
  updated_at: string;
  credential_sealed: string | null;
  credential_last4: string | null;
}

export interface RunsTable {
  /** Insertion order, the tie-breaker for runs logged in the same millisecond. Never shown. */
  seq: Generated<number>;
  /** The run's opaque public id (migration 0003; older rows were given one then). */
  id: string;
  workspace_id: string;
  chatbot_id: string;
  action_id: string;
  at: string;
  source: string;
  outcome: string;
  http_status: number | null;
  duration_ms: number;
  response_bytes: number | null;
  /** 0/1: the response body was cut at the egress cap (migration 0002; older rows are 0). */
  truncated: number;
}

export interface ServiceKeysTable {
  id: string;
  workspace_id: string;
  key_hash: string;
  last4: string;
  created_at: string;
}

/** A fixed-window counter, keyed by three columns so no two keys can collide (migration 0003). */
export interface RateLimitsTable {
  /** What is limited, e.g. `test`. */
  scope: string;
  workspace_id: string;
  /** Whose hits, within the workspace: a user id. */
  subject: string;
  window_start: string;
  window_end: string;
  hits: number;
}

export interface DataKeysTable {
  id: string;
  wrapped: string;
  created_at: string;
}

/** Migration 0004: one cached OAuth access token per action, sealed (see store/types.ts). */
export interface OAuthTokensTable {
  action_id: string;
  workspace_id: string;
  credential_version: string;
  token_sealed: string;
  /** Epoch milliseconds; PostgreSQL's bigint reads back as text, so it is parsed on read. */
  obtained_at: number | string;
  expires_at: number | string;
}

/** The agent invoke's token bucket of a workspace, shared by every instance (migration 0003). */
export interface InvokeBucketsTable {
  workspace_id: string;
  /** Tokens left after the last take, as of `refilled_at`. */
  tokens: number;
  /** Epoch milliseconds of the last take. */
  refilled_at: number;
  /** What the last take granted (returned by the same statement). */
  granted: number;
}
