import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ActionDefinition, Plan, RunSource } from '@aihio/actions-core';
import {
  CompiledQuery,
  type InferResult,
  type Kysely,
  type RawBuilder,
  type Selectable,
  type SelectQueryBuilder,
  sql,
} from 'kysely';
import { AgentScopeCache } from './agent-scope-cache';
import { isForeignKeyViolation, isUniqueViolation, translateError } from './errors';
import { decodeCursor, encodeCursor, pageLimit, timeSlicer } from './paging';
import type { ActionsTable, ChatbotsTable, Database, RunsTable, ServiceKeysTable } from './schema';
import type { SqliteChanges } from './sqlite';
import {
  type ActionRecord,
  type AgentScope,
  type ChatbotRecord,
  type ConfirmationBinding,
  type DataKeyRecord,
  type OAuthTokenRecord,
  type Page,
  type PageRequest,
  type RateLimitKey,
  type RunInput,
  type RunRow,
  type SealedRef,
  type ServiceKeyRecord,
  type Store,
  StoreError,
  type TokenBucketPolicy,
  type WorkspaceRecord,
} from './types';

const RUN_BATCH_DELAY_MS = 100;
const RUN_BATCH_MAX = 500;

interface PendingRun {
  run: RunInput;
  /** When the run happened, not when its batch is written. */
  at: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The Store over Kysely: one query code path for SQLite and PostgreSQL. Every tenant query has
 * `workspace_id = ?` in its WHERE clause; writes that must not race (update, delete, enable,
 * rotation) are single compare-and-set statements, so they are atomic on both databases without
 * explicit locking.
 */
export class KyselyStore implements Store {
  private closed = false;
  private pendingRuns: PendingRun[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private flushing: Promise<void> = Promise.resolve();

  /** SQLite only: the invoke path's read, cached against the change generation. */
  private readonly scopeCache: AgentScopeCache | null;

  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: 'sqlite' | 'postgres',
    private readonly changes: SqliteChanges | null = null,
  ) {
    // PostgreSQL has no cheap way to learn that another instance wrote: it reads every time.
    this.scopeCache = changes ? new AgentScopeCache() : null;
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw translateError(error);
    }
  }

  upsertWorkspace(workspace: WorkspaceRecord): Promise<void> {
    return this.run(async () => {
      await this.db
        .insertInto('workspaces')
        .values({ id: workspace.id, name: workspace.name, plan: workspace.plan, created_at: now() })
        .onConflict((oc) => oc.column('id').doUpdateSet({ name: workspace.name, plan: workspace.plan }))
        .execute();
    });
  }

  getWorkspace(workspaceId: string): Promise<WorkspaceRecord | null> {
    return this.run(async () => {
      const row = await this.db
        .selectFrom('workspaces')
        .select(['id', 'name', 'plan'])
        .where('id', '=', workspaceId)
        .executeTakeFirst();
      return row ? { id: row.id, name: row.name, plan: row.plan as Plan } : null;
    });
  }

  createChatbot(
    workspaceId: string,
    name: string,
    id: string = randomUUID(),
    options: { quota?: number } = {},
  ): Promise<ChatbotRecord> {
    return this.run(async () => {
      try {
        const row = await this.insertWithinQuota('workspace', workspaceId, options.quota, (db) =>
          db
            .insertInto('chatbots')
            .columns([
              'id',
              'workspace_id',
              'name',
              'identity_secret_sealed',
              'identity_secret_last4',
              'created_at',
            ])
            .expression(
              withinQuota(
                db.selectNoFrom((eb) => [
                  eb.val(id).as('id'),
                  eb.val(workspaceId).as('workspace_id'),
                  eb.val(name).as('name'),
                  eb.cast<string | null>(eb.val(null), 'text').as('identity_secret_sealed'),
                  eb.cast<string | null>(eb.val(null), 'text').as('identity_secret_last4'),
                  eb.val(now()).as('created_at'),
                ]),
                options.quota,
                db
                  .selectFrom('chatbots')
                  .select((c) => c.fn.countAll<number>().as('n'))
                  .where('workspace_id', '=', workspaceId),
              ),
            )
            .returningAll()
            .executeTakeFirst(),
        );
        if (!row) throw quotaError(`A workspace can have at most ${options.quota} chatbots.`);
        return toChatbot(row);
      } catch (error) {
        if (isForeignKeyViolation(error)) throw new StoreError('not_found', 'No such workspace.');
        if (isUniqueViolation(error))
          throw new StoreError('identifier_taken', 'A chatbot with this id exists.');
        throw error;
      }
    });
  }

  listChatbots(workspaceId: string): Promise<ChatbotRecord[]> {
    return this.run(async () => {
      const rows = await this.db
        .selectFrom('chatbots')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toChatbot);
    });
  }

  pageChatbots(workspaceId: string, page: PageRequest): Promise<Page<ChatbotRecord>> {
    return this.run(async () => {
      const limit = pageLimit(page.limit);
      let query = this.db
        .selectFrom('chatbots')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit + 1);
      if (page.cursor !== undefined) {
        const [createdAt, id] = decodeCursor('chatbots', page.cursor);
        query = query.where((eb) =>
          eb.or([
            eb('created_at', '>', createdAt),
            eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)]),
          ]),
        );
      }
      return pageOf(await query.execute(), limit, toChatbot, (row) =>
        encodeCursor('chatbots', [row.created_at, row.id]),
      );
    });
  }

  getChatbot(workspaceId: string, chatbotId: string): Promise<ChatbotRecord | null> {
    return this.run(async () => {
      const row = await this.db
        .selectFrom('chatbots')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', chatbotId)
        .executeTakeFirst();
      return row ? toChatbot(row) : null;
    });
  }

  setChatbotIdentitySecret(
    workspaceId: string,
    chatbotId: string,
    sealed: string | null,
    last4: string | null,
  ): Promise<ChatbotRecord> {
    return this.run(async () => {
      const row = await this.db
        .updateTable('chatbots')
        .set({ identity_secret_sealed: sealed, identity_secret_last4: sealed === null ? null : last4 })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', chatbotId)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new StoreError('not_found', 'No such chatbot.');
      return toChatbot(row);
    });
  }

  listActions(workspaceId: string, chatbotId: string): Promise<ActionRecord[]> {
    return this.run(async () => {
      const rows = await this.db
        .selectFrom('actions')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('chatbot_id', '=', chatbotId)
        .orderBy('created_at')
        .orderBy('identifier')
        .execute();
      return rows.map(toAction);
    });
  }

  pageActions(workspaceId: string, chatbotId: string, page: PageRequest): Promise<Page<ActionRecord>> {
    return this.run(async () => {
      const limit = pageLimit(page.limit);
      let after = page.cursor === undefined ? null : decodeCursor('actions', page.cursor);
      const slice = timeSlicer();
      const items: ActionRecord[] = [];
      let more = false;
      // A definition can be ~170 kB, so a page of 100 is read a few rows per query and decoded
      // one row at a time, yielding to the event loop between slices of a few milliseconds.
      while (items.length < limit) {
        const want = Math.min(ACTION_READ_SLICE, limit - items.length);
        let query = this.db
          .selectFrom('actions')
          .selectAll()
          .where('workspace_id', '=', workspaceId)
          .where('chatbot_id', '=', chatbotId)
          .orderBy('created_at')
          .orderBy('identifier')
          .limit(want + 1);
        if (after !== null) {
          const [createdAt, identifier] = after;
          query = query.where((eb) =>
            eb.or([
              eb('created_at', '>', createdAt),
              eb.and([eb('created_at', '=', createdAt), eb('identifier', '>', identifier)]),
            ]),
          );
        }
        const rows = await query.execute();
        for (const row of rows.slice(0, want)) {
          await slice();
          items.push(toAction(row));
        }
        more = rows.length > want;
        const last = rows[Math.min(want, rows.length) - 1];
        if (!more || last === undefined) break;
        after = [last.created_at, last.identifier];
        await slice();
      }
      const last = items.at(-1);
      return {
        items,
        nextCursor:
          more && last ? encodeCursor('actions', [last.createdAt, last.definition.identifier]) : null,
      };
    });
  }

  getAction(workspaceId: string, chatbotId: string, actionId: string): Promise<ActionRecord | null> {
    return this.run(async () => {
      const row = await this.db
        .selectFrom('actions')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('chatbot_id', '=', chatbotId)
        .where('id', '=', actionId)
        .executeTakeFirst();
      return row ? toAction(row) : null;
    });
  }

  getActionByIdentifier(
    workspaceId: string,
    chatbotId: string,
    identifier: string,
  ): Promise<ActionRecord | null> {
    return this.run(async () => {
      const row = await this.db
        .selectFrom('actions')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('chatbot_id', '=', chatbotId)
        .where('identifier', '=', identifier)
        .executeTakeFirst();
      return row ? toAction(row) : null;
    });
  }

  createAction(
    workspaceId: string,
    chatbotId: string,
    definition: ActionDefinition,
    options: { quota?: number } = {},
  ): Promise<ActionRecord> {
    return this.run(async () => {
      const at = now();
      const columns = definitionColumns(definition);
      try {
        const row = await this.insertWithinQuota('chatbot', { workspaceId, chatbotId }, options.quota, (db) =>
          db
            .insertInto('actions')
            .columns([
              'id',
              'workspace_id',
              'chatbot_id',
              'identifier',
              'enabled',
              'definition',
              'version',
              'created_at',
              'updated_at',
              'credential_sealed',
              'credential_last4',
            ])
            .expression(
              withinQuota(
                db.selectNoFrom((eb) => [
                  eb.val(randomUUID()).as('id'),
                  eb.val(workspaceId).as('workspace_id'),
                  eb.val(chatbotId).as('chatbot_id'),
                  eb.val(columns.identifier).as('identifier'),
                  eb.cast<number>(eb.val(columns.enabled), 'integer').as('enabled'),
                  eb.val(columns.definition).as('definition'),
                  eb.cast<number>(eb.val(1), 'integer').as('version'),
                  eb.val(at).as('created_at'),
                  eb.val(at).as('updated_at'),
                  eb.cast<string | null>(eb.val(null), 'text').as('credential_sealed'),
                  eb.cast<string | null>(eb.val(null), 'text').as('credential_last4'),
                ]),
                options.quota,
                db
                  .selectFrom('actions')
                  .select((c) => c.fn.countAll<number>().as('n'))
                  .where('workspace_id', '=', workspaceId)
                  .where('chatbot_id', '=', chatbotId),
              ),
            )
            .returningAll()
            .executeTakeFirst(),
        );
        if (!row)
          throw quotaError(`A chatbot can have at most ${options.quota} actions: delete one to add another.`);
        return toAction(row);
      } catch (error) {
        throw writeError(error);
      }
    });
  }

  /**
   * Runs a conditional insert (`insert … select … where (count) < quota`) so a quota holds under
   * concurrency. On SQLite the one statement is atomic (a single writer). On PostgreSQL two
   * concurrent statements could both count below the quota, so the parent row (the workspace or
   * chatbot) is locked first in the same transaction: creates under one parent queue behind each
   * other, on any instance, and each counts what the previous one committed. FOR NO KEY UPDATE
   * does not block the foreign-key checks of other writes to that parent's children.
   */
  private insertWithinQuota<T>(
    parent: 'workspace' | 'chatbot',
    keys: string | { workspaceId: string; chatbotId: string },
    quota: number | undefined,
    insert: (db: Kysely<Database>) => Promise<T>,
  ): Promise<T> {
    if (quota === undefined || this.dialect === 'sqlite') return insert(this.db);
    return this.db.transaction().execute(async (trx) => {
      if (parent === 'workspace') {
        await trx
          .selectFrom('workspaces')
          .select('id')
          .where('id', '=', keys as string)
          .forNoKeyUpdate()
          .execute();
      } else {
        const { workspaceId, chatbotId } = keys as { workspaceId: string; chatbotId: string };
        await trx
          .selectFrom('chatbots')
          .select('id')
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', chatbotId)
          .forNoKeyUpdate()
          .execute();
      }
      return insert(trx);
    });
  }

  updateAction(
    workspaceId: string,
    chatbotId: string,
    actionId: string,
    expectedVersion: number,
    definition: ActionDefinition,
    options: { dropCredential: boolean },
  ): Promise<ActionRecord> {
    return this.run(async () => {
      let row: Selectable<ActionsTable> | undefined;
      try {
        row = await this.db
          .updateTable('actions')
          .set((eb) => ({
            ...definitionColumns(definition),
            version: eb('version', '+', 1),
            updated_at: now(),
            ...(options.dropCredential ? { credential_sealed: null, credential_last4: null } : {}),
          }))
          .where('workspace_id', '=', workspaceId)
          .where('chatbot_id', '=', chatbotId)
          .where('id', '=', actionId)
          .where('version', '=', expectedVersion)
          .returningAll()
          .executeTakeFirst();
      } catch (error) {
        throw writeError(error);
      }
      if (!row) throw await this.missedWrite(workspaceId, chatbotId, actionId);
      // Tokens are keyed by credential version, so one bought with a dropped secret is never used
      // again anyway; this only keeps it from lingering.
      if (options.dropCredential) await this.forgetOAuthToken(workspaceId, actionId);
      return toAction(row);
    });
  }

  setEnabled(
    workspaceId: string,
    chatbotId: string,
    actionId: string,
    enabled: boolean,
    expectedVersion?: number,
  ): Promise<ActionRecord> {
    return this.run(async () => {
      let query = this.db
        .updateTable('actions')
        .set((eb) => ({ enabled: enabled ? 1 : 0, version: eb('version', '+', 1), updated_at: now() }))
        .where('workspace_id', '=', workspaceId)
        .where('chatbot_id', '=', chatbotId)
        .where('id', '=', actionId);
      if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
      const row = await query.returningAll().executeTakeFirst();
      if (!row) throw await this.missedWrite(workspaceId, chatbotId, actionId);
      return toAction(row);
    });
  }

  deleteAction(
    workspaceId: string,
    chatbotId: string,
    actionId: string,
    expectedVersion?: number,
  ): Promise<boolean> {
    return this.run(async () => {
      const deleted = await this.db.transaction().execute(async (trx) => {
        let query = trx
          .deleteFrom('actions')
          .where('workspace_id', '=', workspaceId)
          .where('chatbot_id', '=', chatbotId)
          .where('id', '=', actionId);
        if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
        const result = await query.executeTakeFirst();
        if (result.numDeletedRows === 0n) return false;
        await trx
          .deleteFrom('runs')
          .where('workspace_id', '=', workspaceId)
          .where('action_id', '=', actionId)
          .execute();
        await trx
          .deleteFrom('oauth_tokens')
          .where('workspace_id', '=', workspaceId)
          .where('action_id', '=', actionId)
          .execute();
        return true;
      });
      if (deleted) return true;
      if (expectedVersion !== undefined && (await this.actionExists(workspaceId, chatbotId, actionId))) {
        throw new StoreError('version_conflict', 'The action changed since this version.');
      }
      return false;
    });
  }

  setCredential(
    workspaceId: string,
    chatbotId: string,
    actionId: string,
    sealed: string | null,
    last4: string | null,
    expectedVersion?: number,
  ): Promise<ActionRecord> {
    return this.run(async () => {
      let query = this.db
        .updateTable('actions')
        .set((eb) => ({
          credential_sealed: sealed,
          credential_last4: sealed === null ? null : last4,
          version: eb('version', '+', 1),
          updated_at: now(),
        }))
        .where('workspace_id', '=', workspaceId)
        .where('chatbot_id', '=', chatbotId)
        .where('id', '=', actionId);
      // One conditional statement: a credential is stored only against the version (and so the
      // origin and auth) its owner saw, never against an edit that landed in between.
      if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
      const row = await query.returningAll().executeTakeFirst();
      if (!row) {
        if (expectedVersion === undefined) throw new StoreError('not_found', 'No such action.');
        throw await this.missedWrite(workspaceId, chatbotId, actionId);
      }
      await this.forgetOAuthToken(workspaceId, actionId);
      return toAction(row);
    });
  }

  /**
   * Run history is a log written on every agent call, not an acknowledged user write, so rows are
   * queued and written in batches (one transaction every RUN_BATCH_DELAY_MS, or at RUN_BATCH_MAX
   * rows), off the response path. The promise settles when the row's batch is written. Reads of
   * runs, retention and close() flush first, so this process always reads its own runs.
   */
  recordRun(run: RunInput): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pendingRuns.push({ run: { ...run }, at: now(), resolve, reject });
      if (this.pendingRuns.length >= RUN_BATCH_MAX) {
        void this.flushRuns();
      } else if (this.flushTimer === undefined) {
        this.flushTimer = setTimeout(() => void this.flushRuns(), RUN_BATCH_DELAY_MS);
        // A pending batch must not keep the process alive: shutdown flushes through close().
        this.flushTimer.unref();
      }
    });
  }

  flushRuns(): Promise<void> {
    if (this.flushTimer !== undefined) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    const batch = this.pendingRuns.splice(0);
    // One batch at a time, in order: a flush resolves once every row queued before it is written.
    this.flushing = this.flushing.then(() => (batch.length > 0 ? this.writeRuns(batch) : undefined));
    return this.flushing;
  }

  /** Never rejects: a failed batch rejects each of its rows' promises instead. */
  private async writeRuns(batch: PendingRun[]): Promise<void> {
    try {
      if (this.dialect === 'sqlite') {
        // With synchronous=FULL each commit is an fsync inside better-sqlite3's synchronous call,
        // which stalls the whole event loop. The batch commits with synchronous=NORMAL: in WAL
        // mode that survives a process crash and loses at most the latest rows on a power loss;
        // the next FULL commit (any acknowledged write) fsyncs them along with itself.
        await this.db.connection().execute(async (connection) => {
          await sql`pragma synchronous = NORMAL`.execute(connection);
          try {
            await sql`begin immediate`.execute(connection);
            try {
              for (const pending of batch) await this.insertRun(connection, pending.run, pending.at);
              await sql`commit`.execute(connection);
            } catch (error) {
              await sql`rollback`.execute(connection).catch(() => {});
              throw error;
            }
          } finally {
            await sql`pragma synchronous = FULL`.execute(connection);
          }
        });
      } else {
        await this.db.transaction().execute(async (trx) => {
          for (const pending of batch) await this.insertRun(trx, pending.run, pending.at);
        });
      }
      for (const pending of batch) pending.resolve();
    } catch (error) {
      const translated = translateError(error);
      for (const pending of batch) pending.reject(translated);
    }
  }

  // Inserted only for an action of this workspace and chatbot (insertRunQuery): a run can never
  // be filed under another tenant's action (nor crowd out its history under retention).
  private async insertRun(db: Kysely<Database>, run: RunInput, at: string): Promise<void> {
    this.insertRunCompiled ??= precompile(11, (markers) => insertRunQuery(this.db, markers));
    // In insertRunQuery's marker order: v[0]..v[6] the run's columns, v[7]..v[9] the action's
    // keys, v[10] the run's opaque id.
    await db.executeQuery(
      this.insertRunCompiled([
        at,
        run.source,
        run.outcome,
        run.httpStatus,
        Math.max(0, Math.round(run.durationMs)),
        run.responseBytes,
        run.truncated ? 1 : 0,
        run.workspaceId,
        run.chatbotId,
        run.actionId,
        randomUUID(),
      ]),
    );
  }

  listRuns(workspaceId: string, chatbotId: string, actionId: string, limit: number): Promise<RunRow[]> {
    return this.run(async () => {
      await this.flushRuns();
      const rows = await this.db
        .selectFrom('runs')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('chatbot_id', '=', chatbotId)
        .where('action_id', '=', actionId)
        .orderBy('at', 'desc')
        .orderBy('seq', 'desc')
        .limit(Math.max(0, Math.floor(limit)))
        .execute();
      return rows.map(toRun);
    });
  }

  pageRuns(
    workspaceId: string,
    chatbotId: string,
    actionId: string,
    page: PageRequest,
  ): Promise<Page<RunRow>> {
    return this.run(async () => {
      const limit = pageLimit(page.limit);
      await this.flushRuns();
      let query = this.db
        .selectFrom('runs')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('chatbot_id', '=', chatbotId)
        .where('action_id', '=', actionId)
        .orderBy('at', 'desc')
        .orderBy('seq', 'desc')
        .limit(limit + 1);
      if (page.cursor !== undefined) {
        // The cursor names the last run by its time and opaque id; its place among runs of the
        // same millisecond is looked up here, so the sequence never leaves the database. A run
        // pruned since leaves only the time: the page goes on from the next millisecond.
        const [at, id] = decodeCursor('runs', page.cursor);
        query = query.where((eb) =>
          eb.or([
            eb('at', '<', at),
            eb.and([
              eb('at', '=', at),
              eb(
                'seq',
                '<',
                eb
                  .selectFrom('runs as c')
                  .select('c.seq')
                  .where('c.id', '=', id)
                  .where('c.action_id', '=', actionId),
              ),
            ]),
          ]),
        );
      }
      return pageOf(await query.execute(), limit, toRun, (row) => encodeCursor('runs', [row.at, row.id]));
    });
  }

  lastRuns(workspaceId: string, chatbotId: string, actionIds?: string[]): Promise<Map<string, RunRow>> {
    return this.run(async () => {
      await this.flushRuns();
      if (actionIds !== undefined && actionIds.length === 0) return new Map();
      // One index probe per action of the chatbot (runs_action_newest_idx), whatever the history size.
      const rows = await this.db
        .selectFrom('actions as a')
        .innerJoin('runs as r', (join) =>
          join.on((eb) =>
            eb(
              'r.seq',
              '=',
              eb
                .selectFrom('runs as r2')
                .select('r2.seq')
                .whereRef('r2.action_id', '=', 'a.id')
                .orderBy('r2.at', 'desc')
                .orderBy('r2.seq', 'desc')
                .limit(1),
            ),
          ),
        )
        .selectAll('r')
        .where('a.workspace_id', '=', workspaceId)
        .where('a.chatbot_id', '=', chatbotId)
        .where('r.workspace_id', '=', workspaceId)
        .$if(actionIds !== undefined, (q) => q.where('a.id', 'in', actionIds ?? []))
        .execute();
      return new Map(rows.map((row) => [row.action_id, toRun(row)]));
    });
  }

  pruneRuns(keepPerAction: number, options: { batchSize?: number } = {}): Promise<number> {
    return this.run(async () => {
      await this.flushRuns();
      const keep = Math.max(0, Math.floor(keepPerAction));
      const batch = Math.max(1, Math.floor(options.batchSize ?? PRUNE_BATCH));
      let removed = 0;
      // One action at a time, found by a skip scan of runs_action_newest_idx (one index seek per
      // action, never a scan of the table), each statement bounded by `batch` rows, and a yield
      // to the event loop between statements (on SQLite each is synchronous). The old prune was
      // one DELETE ranking the whole table: at a million rows it met the statement timeout every
      // time and, on SQLite, froze the process while it ran.
      let actionId: string | null = null;
      for (;;) {
        await yieldToEventLoop();
        const next: { action_id: string } | undefined = await this.inIndexOrder((db) =>
          db
            .selectFrom('runs')
            .select('action_id')
            .$if(actionId !== null, (q) => q.where('action_id', '>', actionId as string))
            .orderBy('action_id')
            .limit(1)
            .executeTakeFirst(),
        );
        if (next === undefined) break;
        actionId = next.action_id;
        const exists = await this.db
          .selectFrom('actions')
          .select('id')
          .where('id', '=', actionId)
          .executeTakeFirst();
        // The newest run past the ones kept; none when the action has no more than `keep`. Runs
        // of a deleted action (logged just after it went) all go.
        let cutoff: { at: string; seq: number } | undefined;
        if (exists) {
          await yieldToEventLoop();
          const current = actionId;
          cutoff = await this.inIndexOrder((db) =>
            db
              .selectFrom('runs')
              .select(['at', 'seq'])
              .where('action_id', '=', current)
              .orderBy('at', 'desc')
              .orderBy('seq', 'desc')
              .offset(keep)
              .limit(1)
              .executeTakeFirst(),
          );
          if (cutoff === undefined) continue;
        }
        // Newest doomed row first, each batch going on below the last one deleted: a batch never
        // walks over the index entries its predecessors left dead (starting again from the oldest
        // end, each batch would, and the prune would grow quadratic).
        let bound = cutoff ? { ...cutoff, inclusive: true } : undefined;
        for (;;) {
          await yieldToEventLoop();
          const current = actionId;
          const below = bound;
          const deleted = await this.inIndexOrder((db) =>
            db
              .deleteFrom('runs')
              .where(
                'seq',
                'in',
                db
                  .selectFrom('runs')
                  .select('seq')
                  .where('action_id', '=', current)
                  // `at <=` is the index range; the rest breaks ties within the bound's millisecond.
                  .$if(below !== undefined, (q) =>
                    q
                      .where('at', '<=', below!.at)
                      .where((eb) =>
                        eb.or([
                          eb('at', '<', below!.at),
                          eb('seq', below!.inclusive ? '<=' : '<', below!.seq),
                        ]),
                      ),
                  )
                  .orderBy('at', 'desc')
                  .orderBy('seq', 'desc')
                  .limit(batch),
              )
              .returning(['at', 'seq'])
              .execute(),
          );
          removed += deleted.length;
          if (deleted.length < batch) break;
          let lowest = deleted[0]!;
          for (const row of deleted) {
            if (row.at < lowest.at || (row.at === lowest.at && row.seq < lowest.seq)) lowest = row;
          }
          bound = { at: lowest.at, seq: lowest.seq, inclusive: false };
        }
      }
      return removed;
    });
  }

  /**
   * PostgreSQL plans a large `runs` table it has not analyzed yet (a burst of inserts, a restore)
   * as a bitmap scan of every matching row and a sort: over a million rows that alone passes the
   * statement timeout. The prune's statements walk runs_action_newest_idx in its order, so they
   * run with the other plans switched off (for their own transaction only) and stay bounded by
   * their LIMIT whatever the statistics say.
   */
  private inIndexOrder<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    if (this.dialect === 'sqlite') return work(this.db);
    return this.db.transaction().execute(async (trx) => {
      await sql`set local enable_bitmapscan = off`.execute(trx);
      await sql`set local enable_seqscan = off`.execute(trx);
      return work(trx);
    });
  }

  createServiceKey(
    workspaceId: string,
    keyHash: string,
    last4: string,
    options: { quota?: number } = {},
  ): Promise<ServiceKeyRecord> {
    return this.run(async () => {
      try {
        const row = await this.insertWithinQuota('workspace', workspaceId, options.quota, (db) =>
          db
            .insertInto('service_keys')
            .columns(['id', 'workspace_id', 'key_hash', 'last4', 'created_at'])
            .expression(
              withinQuota(
                db.selectNoFrom((eb) => [
                  eb.val(randomUUID()).as('id'),
                  eb.val(workspaceId).as('workspace_id'),
                  eb.val(keyHash).as('key_hash'),
                  eb.val(last4).as('last4'),
                  eb.val(now()).as('created_at'),
                ]),
                options.quota,
                db
                  .selectFrom('service_keys')
                  .select((c) => c.fn.countAll<number>().as('n'))
                  .where('workspace_id', '=', workspaceId),
              ),
            )
            .returningAll()
            .executeTakeFirst(),
        );
        if (!row) {
          throw quotaError(
            `A workspace can have at most ${options.quota} service keys: revoke one to create another.`,
          );
        }
        return toServiceKey(row);
      } catch (error) {
        if (isForeignKeyViolation(error)) throw new StoreError('not_found', 'No such workspace.');
        throw error;
      }
    });
  }

  pageServiceKeys(workspaceId: string, page: PageRequest): Promise<Page<ServiceKeyRecord>> {
    return this.run(async () => {
      const limit = pageLimit(page.limit);
      let query = this.db
        .selectFrom('service_keys')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit + 1);
      if (page.cursor !== undefined) {
        const [createdAt, id] = decodeCursor('service_keys', page.cursor);
        query = query.where((eb) =>
          eb.or([
            eb('created_at', '>', createdAt),
            eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)]),
          ]),
        );
      }
      return pageOf(await query.execute(), limit, toServiceKey, (row) =>
        encodeCursor('service_keys', [row.created_at, row.id]),
      );
    });
  }

  listServiceKeys(workspaceId: string): Promise<ServiceKeyRecord[]> {
    return this.run(async () => {
      const rows = await this.db
        .selectFrom('service_keys')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toServiceKey);
    });
  }

  findServiceKeyByHash(keyHash: string): Promise<ServiceKeyRecord | null> {
    return this.run(async () => {
      const row = await this.db
        .selectFrom('service_keys')
        .selectAll()
        .where('key_hash', '=', keyHash)
        .executeTakeFirst();
      return row ? toServiceKey(row) : null;
    });
  }

  resolveAgentScope(keyHash: string, chatbotId: string, identifier: string): Promise<AgentScope | null> {
    if (this.scopeCache === null || this.changes === null) {
      return this.readAgentScope(keyHash, chatbotId, identifier);
    }
    const cache = this.scopeCache;
    // Read before the query is issued: a write landing while it runs retires the entry.
    const generation = this.changes.generation();
    const key = AgentScopeCache.key(keyHash, chatbotId, identifier);
    const cached = cache.get(key, generation);
    if (cached !== undefined) return Promise.resolve(cached);
    return this.readAgentScope(keyHash, chatbotId, identifier).then((scope) => {
      if (scope?.chatbot && scope.action) cache.set(key, generation, scope);
      return scope;
    });
  }

  private readAgentScope(keyHash: string, chatbotId: string, identifier: string): Promise<AgentScope | null> {
    return this.run(async () => {
      const row = await this.agentScopeRow(keyHash, chatbotId, identifier);
      if (!row) return null;
      const workspaceId = row.k_workspace_id;
      const chatbot =
        row.c_id === null
          ? null
          : toChatbot({
              id: row.c_id,
              workspace_id: workspaceId,
              name: row.c_name ?? '',
              identity_secret_sealed: row.c_identity_secret_sealed,
              identity_secret_last4: row.c_identity_secret_last4,
              created_at: row.c_created_at ?? '',
            });
      const action =
        chatbot === null ||
        row.a_id === null ||
        row.a_identifier === null ||
        row.a_enabled === null ||
        row.a_definition === null ||
        row.a_version === null
          ? null
          : toAction({
              id: row.a_id,
              workspace_id: workspaceId,
              chatbot_id: chatbot.id,
              identifier: row.a_identifier,
              enabled: row.a_enabled,
              definition: row.a_definition,
              version: row.a_version,
              created_at: row.a_created_at ?? '',
              updated_at: row.a_updated_at ?? '',
              credential_sealed: row.a_credential_sealed,
              credential_last4: row.a_credential_last4,
            });
      return {
        serviceKey: toServiceKey({
          id: row.k_id,
          workspace_id: workspaceId,
          key_hash: row.k_key_hash,
          last4: row.k_last4,
          created_at: row.k_created_at,
        }),
        workspace: { id: row.w_id, name: row.w_name, plan: row.w_plan as Plan },
        chatbot,
        action,
      };
    });
  }

  deleteServiceKey(workspaceId: string, keyId: string): Promise<boolean> {
    return this.run(async () => {
      const result = await this.db
        .deleteFrom('service_keys')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', keyId)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  getOAuthToken(workspaceId: string, actionId: string): Promise<OAuthTokenRecord | null> {
    return this.run(async () => {
      const row = await this.db
        .selectFrom('oauth_tokens')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('action_id', '=', actionId)
        .executeTakeFirst();
      if (!row) return null;
      return {
        workspaceId: row.workspace_id,
        actionId: row.action_id,
        credentialVersion: row.credential_version,
        tokenSealed: row.token_sealed,
        obtainedAt: Number(row.obtained_at),
        expiresAt: Number(row.expires_at),
      };
    });
  }

  putOAuthToken(token: OAuthTokenRecord): Promise<void> {
    return this.run(async () => {
      const values = {
        credential_version: token.credentialVersion,
        token_sealed: token.tokenSealed,
        obtained_at: token.obtainedAt,
        expires_at: token.expiresAt,
      };
      await this.db
        .insertInto('oauth_tokens')
        .values({ action_id: token.actionId, workspace_id: token.workspaceId, ...values })
        // Never move a row into another workspace: the action id is the key, the workspace a guard.
        .onConflict((oc) =>
          oc
            .column('action_id')
            .doUpdateSet(values)
            .where('oauth_tokens.workspace_id', '=', token.workspaceId),
        )
        .execute();
    });
  }

  private async forgetOAuthToken(workspaceId: string, actionId: string): Promise<void> {
    await this.db
      .deleteFrom('oauth_tokens')
      .where('workspace_id', '=', workspaceId)
      .where('action_id', '=', actionId)
      .execute();
  }

  hitRateLimit(
    key: RateLimitKey,
    windowMs: number,
    limit: number,
  ): Promise<{ allowed: boolean; retryAfterMs: number }> {
    return this.run(async () => {
      const at = Date.now();
      const start = Math.floor(at / windowMs) * windowMs;
      // One atomic upsert on both databases: the row either counts one more hit in the current
      // window or starts a new window. An instance whose clock lags never resets a newer window.
      const row = await this.db
        .insertInto('rate_limits')
        .values({
          scope: key.scope,
          workspace_id: key.workspaceId,
          subject: key.subject,
          window_start: new Date(start).toISOString(),
          window_end: new Date(start + windowMs).toISOString(),
          hits: 1,
        })
        .onConflict((oc) =>
          oc.columns(['scope', 'workspace_id', 'subject']).doUpdateSet({
            hits: sql<number>`case when rate_limits.window_start >= excluded.window_start then rate_limits.hits + 1 else 1 end`,
            window_end: sql<string>`case when rate_limits.window_start >= excluded.window_start then rate_limits.window_end else excluded.window_end end`,
            window_start: sql<string>`case when rate_limits.window_start >= excluded.window_start then rate_limits.window_start else excluded.window_start end`,
          }),
        )
        .returning(['hits', 'window_end'])
        .executeTakeFirstOrThrow();
      const allowed = row.hits <= limit;
      return { allowed, retryAfterMs: allowed ? 0 : Math.max(0, Date.parse(row.window_end) - at) };
    });
  }

  takeInvokeTokens(
    workspaceId: string,
    want: number,
    policy: TokenBucketPolicy,
  ): Promise<{ granted: number; tokensLeft: number }> {
    return this.run(async () => {
      const at = Date.now();
      const burst = Math.max(1, policy.burst);
      const take = Math.max(0, Math.min(Math.floor(want), Math.floor(burst)));
      const pg = this.dialect === 'postgres';
      // Numbers typed for PostgreSQL, which cannot infer a parameter's type inside least()/greatest().
      const num = (value: number) => (pg ? sql`cast(${value} as double precision)` : sql`${value}`);
      const least = sql.raw(pg ? 'least' : 'min');
      const greatest = sql.raw(pg ? 'greatest' : 'max');
      const whole = (value: RawBuilder<unknown>) =>
        pg ? sql`cast(floor(${value}) as integer)` : sql`cast(${value} as integer)`;
      // One atomic upsert on both databases: refill for the time since the last take (never
      // backwards when an instance's clock lags), cap at the burst, grant what is there up to
      // `want`. SET expressions read the row as it was, so `granted` and `tokens` agree.
      const available = sql`${least}(${num(burst)}, "invoke_buckets"."tokens" + ${greatest}(${num(0)}, ${num(at)} - "invoke_buckets"."refilled_at") * ${num(policy.ratePerSecond)} / 1000.0)`;
      const granted = sql`${least}(${num(take)}, ${whole(available)})`;
      const result = await sql<{ tokens: number; granted: number }>`
        insert into "invoke_buckets" ("workspace_id", "tokens", "refilled_at", "granted")
        values (${workspaceId}, ${num(burst - take)}, ${at}, ${take})
        on conflict ("workspace_id") do update set
          "granted" = ${granted},
          "tokens" = ${available} - ${granted},
          "refilled_at" = ${greatest}("invoke_buckets"."refilled_at", ${at})
        returning "tokens", "granted"`.execute(this.db);
      const row = result.rows[0];
      return { granted: Number(row?.granted ?? 0), tokensLeft: Number(row?.tokens ?? 0) };
    });
  }

  createConfirmation(tokenHash: string, binding: ConfirmationBinding, expiresAt: string): Promise<void> {
    return this.run(async () => {
      await this.db
        .insertInto('confirmations')
        .values({
          token_hash: tokenHash,
          workspace_id: binding.workspaceId,
          chatbot_id: binding.chatbotId,
          action_id: binding.actionId,
          action_version: binding.actionVersion,
          arguments_hash: binding.argumentsHash,
          visitor: binding.visitor,
          expires_at: expiresAt,
          used_at: null,
        })
        .execute();
    });
  }

  redeemConfirmation(tokenHash: string, binding: ConfirmationBinding): Promise<boolean> {
    return this.run(async () => {
      const at = now();
      // One conditional UPDATE: of two instances redeeming the same token, one changes the row.
      const result = await this.db
        .updateTable('confirmations')
        .set({ used_at: at })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', at)
        .where('workspace_id', '=', binding.workspaceId)
        .where('chatbot_id', '=', binding.chatbotId)
        .where('action_id', '=', binding.actionId)
        .where('action_version', '=', binding.actionVersion)
        .where('arguments_hash', '=', binding.argumentsHash)
        .where('visitor', '=', binding.visitor)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    });
  }

  pruneConfirmations(): Promise<number> {
    return this.run(async () => {
      const result = await this.db
        .deleteFrom('confirmations')
        .where('expires_at', '<=', now())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }

  pruneRateLimits(): Promise<number> {
    return this.run(async () => {
      const result = await this.db
        .deleteFrom('rate_limits')
        .where('window_end', '<=', now())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }

  listDataKeys(): Promise<DataKeyRecord[]> {
    return this.run(async () => {
      const rows = await this.db
        .selectFrom('data_keys')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map((row) => ({ id: row.id, wrapped: row.wrapped, createdAt: row.created_at }));
    });
  }

  insertDataKey(key: DataKeyRecord): Promise<void> {
    return this.run(async () => {
      await this.db
        .insertInto('data_keys')
        .values({ id: key.id, wrapped: key.wrapped, created_at: key.createdAt })
        .execute();
    });
  }

  replaceDataKey(id: string, previous: string, next: string): Promise<boolean> {
    return this.run(async () => {
      const result = await this.db
        .updateTable('data_keys')
        .set({ wrapped: next })
        .where('id', '=', id)
        .where('wrapped', '=', previous)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    });
  }

  listSealed(): Promise<SealedRef[]> {
    return this.run(async () => {
      const actions = await this.db
        .selectFrom('actions')
        .select(['id', 'workspace_id', 'credential_sealed'])
        .where('credential_sealed', 'is not', null)
        .orderBy('id')
        .execute();
      const chatbots = await this.db
        .selectFrom('chatbots')
        .select(['id', 'workspace_id', 'identity_secret_sealed'])
        .where('identity_secret_sealed', 'is not', null)
        .orderBy('id')
        .execute();
      return [
        ...actions.map((row) => ({
          table: 'actions' as const,
          id: row.id,
          workspaceId: row.workspace_id,
          sealed: row.credential_sealed ?? '',
        })),
        ...chatbots.map((row) => ({
          table: 'chatbots' as const,
          id: row.id,
          workspaceId: row.workspace_id,
          sealed: row.identity_secret_sealed ?? '',
        })),
      ];
    });
  }

  replaceSealed(ref: SealedRef, previous: string, next: string): Promise<boolean> {
    return this.run(async () => {
      // Not a user-visible change, so the action's version stays: an editor open during
      // rotation must not get a spurious version_conflict.
      const result =
        ref.table === 'actions'
          ? await this.db
              .updateTable('actions')
              .set({ credential_sealed: next })
              .where('workspace_id', '=', ref.workspaceId)
              .where('id', '=', ref.id)
              .where('credential_sealed', '=', previous)
              .executeTakeFirst()
          : await this.db
              .updateTable('chatbots')
              .set({ identity_secret_sealed: next })
              .where('workspace_id', '=', ref.workspaceId)
              .where('id', '=', ref.id)
              .where('identity_secret_sealed', '=', previous)
              .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    });
  }

  ping(): Promise<void> {
    return this.run(async () => {
      await sql`select 1`.execute(this.db);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flushRuns();
    await this.db.destroy();
  }

  private agentScopeCompiled: ((values: unknown[]) => CompiledQuery<AgentScopeRow>) | undefined;
  private insertRunCompiled: ((values: unknown[]) => CompiledQuery<unknown>) | undefined;

  private async agentScopeRow(
    keyHash: string,
    chatbotId: string,
    identifier: string,
  ): Promise<AgentScopeRow | undefined> {
    this.agentScopeCompiled ??= precompile(3, ([key, chatbot, identifier]) =>
      agentScopeQuery(this.db, key ?? '', chatbot ?? '', identifier ?? ''),
    );
    const result = await this.db.executeQuery(this.agentScopeCompiled([keyHash, chatbotId, identifier]));
    return result.rows[0];
  }

  private async actionExists(workspaceId: string, chatbotId: string, actionId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('actions')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('chatbot_id', '=', chatbotId)
      .where('id', '=', actionId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Why a compare-and-set wrote nothing: the row is gone, or its version moved on. */
  private async missedWrite(workspaceId: string, chatbotId: string, actionId: string): Promise<StoreError> {
    return (await this.actionExists(workspaceId, chatbotId, actionId))
      ? new StoreError('version_conflict', 'The action changed since this version.')
      : new StoreError('not_found', 'No such action.');
  }
}

// The agent invoke path's one query. Tenancy is in the join conditions: the chatbot must be in the
// key's workspace and the action in that chatbot (and workspace), so another workspace's rows
// never join.
function agentScopeQuery(db: Kysely<Database>, keyHash: string, chatbotId: string, identifier: string) {
  return db
    .selectFrom('service_keys as k')
    .innerJoin('workspaces as w', 'w.id', 'k.workspace_id')
    .leftJoin('chatbots as c', (join) =>
      join.onRef('c.workspace_id', '=', 'k.workspace_id').on('c.id', '=', chatbotId),
    )
    .leftJoin('actions as a', (join) =>
      join
        .onRef('a.workspace_id', '=', 'c.workspace_id')
        .onRef('a.chatbot_id', '=', 'c.id')
        .on('a.identifier', '=', identifier),
    )
    .select([
      'k.id as k_id',
      'k.workspace_id as k_workspace_id',
      'k.key_hash as k_key_hash',
      'k.last4 as k_last4',
      'k.created_at as k_created_at',
      'w.id as w_id',
      'w.name as w_name',
      'w.plan as w_plan',
      'c.id as c_id',
      'c.name as c_name',
      'c.identity_secret_sealed as c_identity_secret_sealed',
      'c.identity_secret_last4 as c_identity_secret_last4',
      'c.created_at as c_created_at',
      'a.id as a_id',
      'a.identifier as a_identifier',
      'a.enabled as a_enabled',
      'a.definition as a_definition',
      'a.version as a_version',
      'a.created_at as a_created_at',
      'a.updated_at as a_updated_at',
      'a.credential_sealed as a_credential_sealed',
      'a.credential_last4 as a_credential_last4',
    ])
    .where('k.key_hash', '=', keyHash);
}

type AgentScopeRow = InferResult<ReturnType<typeof agentScopeQuery>>[number];

/**
 * Kysely builds and compiles a query on every call, which for the invoke path's queries cost more
 * than running them. Their SQL text depends only on the dialect, so each is compiled once with
 * marker values and reused with each call's values in the markers' parameter positions.
 */
function precompile<Row>(
  count: number,
  build: (markers: string[]) => { compile(): CompiledQuery<Row> },
): (values: unknown[]) => CompiledQuery<Row> {
  const markers = Array.from({ length: count }, (_, i) => `\u0000marker${i}`);
  const compiled = build(markers).compile();
  const positions = compiled.parameters.map((value) => markers.indexOf(value as string));
  if (positions.some((position) => position < 0)) throw new Error('precompile: unexpected parameter');
  return (values) =>
    CompiledQuery.raw(
      compiled.sql,
      positions.map((position) => values[position]),
    ) as CompiledQuery<Row>;
}

function insertRunQuery(db: Kysely<Database>, v: string[]) {
  return db
    .insertInto('runs')
    .columns([
      'id',
      'workspace_id',
      'chatbot_id',
      'action_id',
      'at',
      'source',
      'outcome',
      'http_status',
      'duration_ms',
      'response_bytes',
      'truncated',
    ])
    .expression((eb) =>
      eb
        .selectFrom('actions')
        .select([
          eb.val(v[10]).as('run_id'),
          'workspace_id',
          'chatbot_id',
          'id',
          eb.val(v[0]).as('at'),
          eb.val(v[1]).as('source'),
          eb.val(v[2]).as('outcome'),
          // Typed: PostgreSQL reads an untyped parameter in a select list as text.
          eb.cast<number | null>(eb.val(v[3]), 'integer').as('http_status'),
          eb.cast<number>(eb.val(v[4]), 'integer').as('duration_ms'),
          eb.cast<number | null>(eb.val(v[5]), 'integer').as('response_bytes'),
          eb.cast<number>(eb.val(v[6]), 'integer').as('truncated'),
        ])
        .where('workspace_id', '=', v[7] as string)
        .where('chatbot_id', '=', v[8] as string)
        .where('id', '=', v[9] as string),
    );
}

function now(): string {
  return new Date().toISOString();
}

/** Rows read per query for a page of actions (each may be ~170 kB). */
const ACTION_READ_SLICE = 10;
/** Rows deleted per statement by pruneRuns. */
const PRUNE_BATCH = 1000;

/** The `limit + 1` rows of a page query → the page and the cursor after its last item. */
function pageOf<Row, T>(
  rows: Row[],
  limit: number,
  map: (row: Row) => T,
  cursor: (row: Row) => string,
): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(map), nextCursor: more ? cursor(kept[kept.length - 1]!) : null };
}

/** `select … where (count of existing) < quota`: no row to insert once the quota is reached. */
function withinQuota<O>(
  select: SelectQueryBuilder<Database, never, O>,
  quota: number | undefined,
  count: SelectQueryBuilder<Database, keyof Database, { n: number }>,
): SelectQueryBuilder<Database, never, O> {
  if (quota === undefined) return select;
  return select.where((eb) => eb(count, '<', quota));
}

function quotaError(message: string): StoreError {
  return new StoreError('quota_exceeded', message);
}

function writeError(error: unknown): unknown {
  if (isUniqueViolation(error, 'identifier')) {
    return new StoreError('identifier_taken', 'Another action of this chatbot already uses this identifier.');
  }
  if (isForeignKeyViolation(error)) return new StoreError('not_found', 'No such chatbot.');
  return error;
}

function definitionColumns(definition: ActionDefinition): {
  identifier: string;
  enabled: number;
  definition: string;
} {
  const { identifier, enabled, ...rest } = definition;
  return { identifier, enabled: enabled ? 1 : 0, definition: JSON.stringify(rest) };
}

function toAction(row: Selectable<ActionsTable>): ActionRecord {
  const rest = JSON.parse(row.definition) as Omit<ActionDefinition, 'identifier' | 'enabled'>;
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    chatbotId: row.chatbot_id,
    definition: { identifier: row.identifier, ...rest, enabled: row.enabled === 1 },
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    credentialSealed: row.credential_sealed,
    credentialLast4: row.credential_last4,
  };
}

function toChatbot(row: Selectable<ChatbotsTable>): ChatbotRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    identitySecretSealed: row.identity_secret_sealed,
    identitySecretLast4: row.identity_secret_last4,
  };
}

function toRun(row: Selectable<RunsTable>): RunRow {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    chatbotId: row.chatbot_id,
    actionId: row.action_id,
    at: row.at,
    source: row.source as RunSource,
    outcome: row.outcome,
    httpStatus: row.http_status,
    durationMs: row.duration_ms,
    responseBytes: row.response_bytes,
    truncated: row.truncated === 1,
  };
}

function toServiceKey(row: Selectable<ServiceKeysTable>): ServiceKeyRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    keyHash: row.key_hash,
    last4: row.last4,
    createdAt: row.created_at,
  };
}
