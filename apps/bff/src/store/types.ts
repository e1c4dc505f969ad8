import type { ActionDefinition, Plan, RunSource } from '@aihio/actions-core';

/**
 * The store's contract, shared by the SQLite and PostgreSQL implementations (one Kysely code path).
 * Every read and write of tenant data takes the workspace id and filters by it in SQL, so a
 * route can never reach another workspace's rows by id alone. Secrets arrive here already sealed
 * (see crypto/keyring.ts): the store never sees a plaintext credential.
 */

export interface WorkspaceRecord {
  id: string;
  name: string;
  plan: Plan;
}

export interface ChatbotRecord {
  id: string;
  workspaceId: string;
  name: string;
  /** Sealed secret for verifying visitors' identity JWTs (HS256), and its last 4 characters. */
  identitySecretSealed: string | null;
  identitySecretLast4: string | null;
}

export interface ActionRecord {
  id: string;
  workspaceId: string;
  chatbotId: string;
  definition: ActionDefinition;
  version: number;
  createdAt: string;
  updatedAt: string;
  credentialSealed: string | null;
  credentialLast4: string | null;
}

export interface RunInput {
  workspaceId: string;
  chatbotId: string;
  actionId: string;
  source: RunSource;
  /** `ok` or an error code: never values, bodies or secrets. */
  outcome: string;
  httpStatus: number | null;
  durationMs: number;
  responseBytes: number | null;
  /** The upstream's body was cut at the egress response cap (false when no answer came back). */
  truncated: boolean;
}

export interface RunRow extends RunInput {
  id: string;
  at: string;
}

/**
 * What one agent call needs, read in one query: the service key found by hash, its workspace, and
 * that workspace's chatbot and action (null when the workspace has no such chatbot or action).
 */
export interface AgentScope {
  serviceKey: ServiceKeyRecord;
  workspace: WorkspaceRecord;
  chatbot: ChatbotRecord | null;
  action: ActionRecord | null;
}

export interface ServiceKeyRecord {
  id: string;
  workspaceId: string;
  /** SHA-256 of the key, hex. The key itself is shown once and never stored. */
  keyHash: string;
  last4: string;
  createdAt: string;
}

/** A sealed value somewhere in the store, for key rotation. */
export interface SealedRef {
  table: 'actions' | 'chatbots';
  id: string;
  workspaceId: string;
  sealed: string;
}

/**
 * A data key of the keyring, wrapped (AES-256-GCM) under the master key. Kept in the store so
 * every instance on one database shares the keyring; the master key never is.
 */
export interface DataKeyRecord {
  id: string;
  /**
   * `<masterKeyId>.<iv>.<ciphertext>.<tag>` (base64url parts; before master key ids:
   * `<iv>.<ciphertext>.<tag>`), bound to `id` and the master key id by its additional data.
   */
  wrapped: string;
  createdAt: string;
}

/**
 * An OAuth 2.0 access token shared by every instance (one row per action): sealed by the keyring,
 * bound to the workspace, action and credential version, and valid for that version only.
 */
export interface OAuthTokenRecord {
  workspaceId: string;
  actionId: string;
  /** A digest of the sealed client secret and token settings it was bought with. */
  credentialVersion: string;
  tokenSealed: string;
  /** Epoch milliseconds. */
  obtainedAt: number;
  expiresAt: number;
}

export type StoreErrorCode =
  | 'not_found'
  | 'identifier_taken'
  | 'version_conflict'
  | 'unavailable'
  /** A create would pass a quota; the message names the limit and is written for the user. */
  | 'quota_exceeded'
  /** A list cursor that this store did not hand out (or for another list). */
  | 'invalid_cursor';

/** One page of a list: at most `limit` items, and the cursor of the next page (null at the end). */
export interface PageRequest {
  limit: number;
  /** Opaque, from a previous page's `nextCursor`; absent for the first page. */
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A fixed-window rate-limit key: three separate parts, so no two keys can collide. */
export interface RateLimitKey {
  /** What is limited, e.g. `test`. */
  scope: string;
  workspaceId: string;
  /** Whose hits within the workspace, e.g. a user id. */
  subject: string;
}

/** A token bucket per workspace: `ratePerSecond` refill, at most `burst` tokens. */
export interface TokenBucketPolicy {
  ratePerSecond: number;
  burst: number;
}

/**
 * What a confirmation token is bound to: the call it lets run once. Every field must match when
 * it is redeemed; `visitor` is the verified `sub` ('' when the visitor is not verified).
 */
export interface ConfirmationBinding {
  workspaceId: string;
  chatbotId: string;
  actionId: string;
  actionVersion: number;
  argumentsHash: string;
  visitor: string;
}

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';

  upsertWorkspace(workspace: WorkspaceRecord): Promise<void>;
  getWorkspace(workspaceId: string): Promise<WorkspaceRecord | null>;

  /** With `quota`: StoreError `quota_exceeded` when the workspace already has that many (atomic). */
  createChatbot(
    workspaceId: string,
    name: string,
    id?: string,
    options?: { quota?: number },
  ): Promise<ChatbotRecord>;
  listChatbots(workspaceId: string): Promise<ChatbotRecord[]>;
  /** Oldest first. StoreError `invalid_cursor`. */
  pageChatbots(workspaceId: string, page: PageRequest): Promise<Page<ChatbotRecord>>;
  getChatbot(workspaceId: string, chatbotId: string): Promise<ChatbotRecord | null>;
  setChatbotIdentitySecret(
    workspaceId: string,
    chatbotId: string,
    sealed: string | null,
    last4: string | null,
  ): Promise<ChatbotRecord>;

  listActions(workspaceId: string, chatbotId: string): Promise<ActionRecord[]>;
  /**
   * Oldest first, read and decoded in small slices that yield to the event loop, so a page of
   * the largest actions never stalls other requests. StoreError `invalid_cursor`.
   */
  pageActions(workspaceId: string, chatbotId: string, page: PageRequest): Promise<Page<ActionRecord>>;
  getAction(workspaceId: string, chatbotId: string, actionId: string): Promise<ActionRecord | null>;
  getActionByIdentifier(
    workspaceId: string,
    chatbotId: string,
    identifier: string,
  ): Promise<ActionRecord | null>;
  /**
   * Throws StoreError `identifier_taken`; with `quota`, `quota_exceeded` when the chatbot already
   * has that many actions (atomic: concurrent creates, on any instance, never pass it).
   */
  createAction(
    workspaceId: string,
    chatbotId: string,
    definition: ActionDefinition,
    options?: { quota?: number },
  ): Promise<ActionRecord>;
  /**
   * Compare-and-set on `expectedVersion` in one statement: StoreError `version_conflict` when the
   * stored version differs, `not_found`, `identifier_taken`. `dropCredential` clears the sealed
   * credential in the same write (auth type or host changed), and the OAuth token cached for it.
   */
  updateAction(
    workspaceId: string,
    chatbotId: string,
    actionId: string,
    expectedVersion: number,
    definition: ActionDefinition,
    options: { dropCredential: boolean },
  ): Promise<ActionRecord>;
  /**
   * Bumps the version. With `expectedVersion`, compare-and-set like update. StoreError
   * `not_found`, `version_conflict`.
   */
  setEnabled(
    workspaceId: string,
    chatbotId: string,
    actionId: string,
    enabled: boolean,
    expectedVersion?: number,
  ): Promise<ActionRecord>;
  /** With `expectedVersion`, compare-and-set like update. Returns false when there was no such action. */
  deleteAction(
    workspaceId: string,
    chatbotId: string,
    actionId: string,
    expectedVersion?: number,
  ): Promise<boolean>;
  /**
   * Bumps the version and forgets the OAuth token cached for the old credential. `sealed: null`
   * removes the credential. With `expectedVersion`,
   * compare-and-set like update (StoreError `version_conflict`, nothing written); `not_found`.
   */
  setCredential(
    workspaceId: string,
    chatbotId: string,
    actionId: string,
    sealed: string | null,
    last4: string | null,
    expectedVersion?: number,
  ): Promise<ActionRecord>;

  /**
   * Queued and written in batches shortly after (run history is a log, not an acknowledged
   * write); the promise settles when the row is written. Runs reads flush first.
   */
  recordRun(run: RunInput): Promise<void>;
  /** Writes every queued run now; resolves when they are written (never rejects). */
  flushRuns(): Promise<void>;
  /** Newest first. */
  listRuns(workspaceId: string, chatbotId: string, actionId: string, limit: number): Promise<RunRow[]>;
  /** Newest first, a page at a time. StoreError `invalid_cursor`. */
  pageRuns(
    workspaceId: string,
    chatbotId: string,
    actionId: string,
    page: PageRequest,
  ): Promise<Page<RunRow>>;
  /** The newest run of each of the chatbot's actions (or of `actionIds` only), for lists. */
  lastRuns(workspaceId: string, chatbotId: string, actionIds?: string[]): Promise<Map<string, RunRow>>;
  /**
   * Bounded retention: keep at most `keepPerAction` runs per action, and none of a deleted action.
   * Deletes in batches of at most `batchSize` rows (default 1000), one action at a time, yielding to
   * the event loop between statements: no statement scans the whole table, so none stalls the
   * process or meets the statement timeout however large the history. Returns rows removed.
   */
  pruneRuns(keepPerAction: number, options?: { batchSize?: number }): Promise<number>;

  /** With `quota`: StoreError `quota_exceeded` when the workspace already has that many (atomic). */
  createServiceKey(
    workspaceId: string,
    keyHash: string,
    last4: string,
    options?: { quota?: number },
  ): Promise<ServiceKeyRecord>;
  listServiceKeys(workspaceId: string): Promise<ServiceKeyRecord[]>;
  /** Oldest first. StoreError `invalid_cursor`. */
  pageServiceKeys(workspaceId: string, page: PageRequest): Promise<Page<ServiceKeyRecord>>;
  findServiceKeyByHash(keyHash: string): Promise<ServiceKeyRecord | null>;
  /**
   * The agent invoke path's reads in one query: null when no key has this hash. The chatbot and
   * action are looked up only in the key's own workspace.
   */
  resolveAgentScope(keyHash: string, chatbotId: string, identifier: string): Promise<AgentScope | null>;
  deleteServiceKey(workspaceId: string, keyId: string): Promise<boolean>;

  /** Stores a pending confirmation: `tokenHash` is the SHA-256 of the token handed to the caller. */
  createConfirmation(tokenHash: string, binding: ConfirmationBinding, expiresAt: string): Promise<void>;
  /**
   * Uses the confirmation once, atomically across instances: true only when it exists, is unused,
   * has not expired and every field of `binding` matches (then it is marked used).
   */
  redeemConfirmation(tokenHash: string, binding: ConfirmationBinding): Promise<boolean>;
  /** Removes confirmations that expired. Returns rows removed. */
  pruneConfirmations(): Promise<number>;

  /** Removes rate-limit rows whose window has ended. Returns rows removed. */
  pruneRateLimits(): Promise<number>;

  /** The keyring's wrapped data keys, oldest first: the last one is the current key. */
  listDataKeys(): Promise<DataKeyRecord[]>;
  insertDataKey(key: DataKeyRecord): Promise<void>;
  /** Replace a data key's wrapping if it is still `previous` (`rotate-keys --master`, safe while servers run). */
  replaceDataKey(id: string, previous: string, next: string): Promise<boolean>;

  /** The action's cached OAuth access token, sealed (see OAuthTokenRecord), or null. */
  getOAuthToken(workspaceId: string, actionId: string): Promise<OAuthTokenRecord | null>;
  /** Replaces the action's cached token (the newest fetch wins). */
  putOAuthToken(token: OAuthTokenRecord): Promise<void>;

  /** Fixed-window counter shared by every instance on this store. */
  hitRateLimit(
    key: RateLimitKey,
    windowMs: number,
    limit: number,
  ): Promise<{ allowed: boolean; retryAfterMs: number }>;

  /**
   * Takes up to `want` tokens from the workspace's invoke bucket in one atomic statement, shared
   * by every instance: `granted` (0 … want) and the tokens left, for a Retry-After.
   */
  takeInvokeTokens(
    workspaceId: string,
    want: number,
    policy: TokenBucketPolicy,
  ): Promise<{ granted: number; tokensLeft: number }>;

  /** Every sealed secret, for `rotate-keys`. */
  listSealed(): Promise<SealedRef[]>;
  /** Replace one sealed value if it is still `previous` (rotation must not clobber a concurrent write). */
  replaceSealed(ref: SealedRef, previous: string, next: string): Promise<boolean>;

  /** Liveness of the database for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
