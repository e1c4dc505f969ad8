import { type Kysely, Migrator, sql } from 'kysely';
import { translateError } from './errors';
import { KyselyStore } from './kysely-store';
import { type Dialect, migrationProvider } from './migrations';
import { openPostgres } from './postgres';
import type { Database } from './schema';
import { DEFAULT_SQLITE_PATH, openTrackedSqlite, type SqliteChanges } from './sqlite';
import type { Store } from './types';

export { DEFAULT_DATA_DIR, DEFAULT_SQLITE_PATH, SQLITE_FILE_NAME, sqlitePathIn } from './sqlite';
export type {
  ActionRecord,
  AgentScope,
  ChatbotRecord,
  DataKeyRecord,
  Page,
  PageRequest,
  RateLimitKey,
  RunInput,
  RunRow,
  SealedRef,
  ServiceKeyRecord,
  Store,
  StoreErrorCode,
  TokenBucketPolicy,
  WorkspaceRecord,
} from './types';
export { StoreError } from './types';

export interface CreateStoreOptions {
  /** A `postgres://` URL (DATABASE_URL). Absent: the embedded SQLite file. */
  url?: string;
  /** The SQLite file, created with its directory. Default `./data/aihio.db`. */
  sqlitePath?: string;
  /** PostgreSQL only: a schema to create and use (default: the connection's current schema). */
  pgSchema?: string;
  pgMaxConnections?: number;
  pgConnectTimeoutMs?: number;
  pgStatementTimeoutMs?: number;
}

/** Opens the store and brings its schema up to date. Throws StoreError `unavailable` when the database cannot be reached. */
export async function createStore(options: CreateStoreOptions = {}): Promise<Store> {
  const dialect: Dialect = options.url ? 'postgres' : 'sqlite';
  let db: Kysely<Database> | undefined;
  let changes: SqliteChanges | null = null;
  try {
    if (options.url) {
      db = openPostgres({
        url: options.url,
        schema: options.pgSchema,
        maxConnections: options.pgMaxConnections,
        connectTimeoutMs: options.pgConnectTimeoutMs,
        statementTimeoutMs: options.pgStatementTimeoutMs,
      }).db;
    } else {
      ({ db, changes } = openTrackedSqlite(options.sqlitePath ?? DEFAULT_SQLITE_PATH));
    }
    await migrate(db, dialect, options.pgSchema);
    return new KyselyStore(db, dialect, changes);
  } catch (error) {
    await db?.destroy().catch(() => {});
    throw translateError(error);
  }
}

async function migrate(db: Kysely<Database>, dialect: Dialect, pgSchema: string | undefined): Promise<void> {
  const provider = migrationProvider(dialect);
  if (dialect === 'sqlite') {
    // Kysely's SQLite migration lock guards only its own connection, but another process on the
    // same file (a second server, rotate-keys) may migrate at the same moment. BEGIN IMMEDIATE
    // takes SQLite's write lock first (the other waits for busy_timeout), and the migration
    // commits or rolls back as one.
    await db.connection().execute(async (connection) => {
      await sql`begin immediate`.execute(connection);
      try {
        const { error } = await new Migrator({
          db: connection,
          provider,
          disableTransactions: true,
        }).migrateToLatest();
        if (error) throw error;
        await sql`commit`.execute(connection);
      } catch (error) {
        await sql`rollback`.execute(connection).catch(() => {});
        throw error;
      }
    });
    return;
  }
  if (pgSchema) await sql`create schema if not exists ${sql.id(pgSchema)}`.execute(db);
  // Kysely looks for its migration table in every schema unless told which one; name ours so a
  // database holding several schemas (tests, other apps) is migrated where we write. Concurrent
  // starts are serialized by Kysely's advisory lock on PostgreSQL.
  const result = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrationTableSchema = result.rows[0]?.schema;
  const { error } = await new Migrator({
    db,
    provider,
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  }).migrateToLatest();
  if (error) throw error;
}
