import SQLite from "better-sqlite3";
import {
  Kysely,
  Migrator,
  PostgresDialect,
  PostgresDriver,
  SqliteAdapter,
  SqliteDialect,
  sql,
  type DialectAdapter,
  type Driver,
  type MigrationResultSet,
  type PostgresCursor,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
} from "kysely";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CopySource } from "./copy.js";
import type { Config } from "../env.js";
import { isDatabaseUnavailable, wasNeverApplied } from "./faults.js";
import { BackgroundCheckpointer } from "./sqlite-checkpointer.js";
import { SplitSqliteDriver } from "./sqlite-driver.js";
import { migrations } from "./migrations/index.js";
import type { DB } from "./schema.js";

export type Dialect = "sqlite" | "postgres";
export type Database = {
  db: Kysely<DB>;
  dialect: Dialect;
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
};

// SQLite runs DDL inside transactions perfectly well; Kysely's adapter just says it doesn't,
// which would leave a failed migration half-applied. Saying so lets the Migrator wrap each one.
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
class TransactionalSqliteDialect extends SqliteDialect {
  constructor(
    private readonly writer: SQLite.Database,
    private readonly reader: SQLite.Database | null,
    private readonly checkpointer: BackgroundCheckpointer | null,
  ) {
    super({ database: writer });
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }
  override createDriver(): Driver {
    return new SplitSqliteDriver(this.writer, this.reader, this.checkpointer);
  }
}

/** A second, read-only connection for reads made while the writer is busy; none for an in-memory database (it would be another one). */
function openReader(file: string): SQLite.Database | null {
  if (file === "" || file === ":memory:" || file.startsWith("file::memory:")) return null;
  const reader = new SQLite(file, { readonly: true, fileMustExist: true });
  reader.pragma("busy_timeout = 5000");
  return reader;
}

// pg returns int8/numeric as strings and timestamps as Dates; we want numbers and ISO strings
// on both dialects, so repositories see one shape. Per-pool parsers, not global mutation.
const INT8 = 20;
const NUMERIC = 1700;
const TIMESTAMPTZ = 1184;
const TIMESTAMP = 1114;
const DATE = 1082;
export function pgTypeParser(oid: number, format?: string): (value: string) => unknown {
  switch (oid) {
    case INT8:
    case NUMERIC:
      return (v) => Number(v);
    case TIMESTAMPTZ:
    case TIMESTAMP:
      return (v) => new Date(v.includes("+") || v.endsWith("Z") ? v : v + "Z").toISOString();
    case DATE:
      return (v) => v;
    default:
      return pg.types.getTypeParser(oid, format as "text");
  }
}

/** Opens the configured database (SQLite file or PostgreSQL pool). Does not migrate. */
export function openDatabase(
  database: Config["database"],
  opts: { onPoolError?: (err: Error) => void } = {},
): Database {
  if (database.kind === "sqlite") {
    const sqlite = new SQLite(database.file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
    sqlite.pragma("synchronous = NORMAL");
    // SQLite's advice for long-lived connections: gather planner statistics where they are missing
    // or stale (bounded work). Without them the planner picks poor plans on a large directory.
    sqlite.pragma("optimize = 0x10002");
    // After the writer: it creates the file and switches it to WAL, which lets the reader read during writes.
    const reader = openReader(database.file);
    // A file's WAL is checkpointed on a worker thread, never on the event loop (sqlite-checkpointer.ts).
    const checkpointer = reader ? BackgroundCheckpointer.start(sqlite) : null;
    const db = new Kysely<DB>({ dialect: new TransactionalSqliteDialect(sqlite, reader, checkpointer) });
    return {
      db,
      dialect: "sqlite",
      ping: async () => {
        await sql`select 1`.execute(db);
      },
      close: () => db.destroy(),
    };
  }
  const statementTimeoutMs = database.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: database.url,
    max: database.poolSize,
    // A database that does not answer a connection attempt fails the request in 5 s, not never.
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 10_000,
    // Notices a peer that vanished without a word (a failover, a firewall forgetting the flow).
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    ...(statementTimeoutMs > 0
      ? {
          // The server cancels a runaway statement; the client gives up a little later on a connection
          // whose answer never comes (a hung network), and the client is then thrown away (below).
          statement_timeout: statementTimeoutMs,
          query_timeout: statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS,
        }
      : {}),
    types: { getTypeParser: pgTypeParser } as pg.CustomTypesConfig,
  });
  const onError = opts.onPoolError ?? ((err: Error) => console.error(`postgres pool error: ${err.message}`));
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on("error", onError);
  // Nor may a checked-out one: the pool listens for errors only while a client is idle, and an
  // "error" event nobody listens to ends the process ("Connection terminated unexpectedly"). Nothing
  // to log here: the pool logs an idle client's error, and a checked-out one's fails its query.
  pool.on("connect", (client) => client.on("error", ignoreClientError));
  const db = new Kysely<DB>({ dialect: new ResilientPostgresDialect({ pool: new DiscardingPool(pool, database.poolSize) }) });
  return {
    db,
    dialect: "postgres",
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

const ignoreClientError = (): void => undefined;

/** PostgreSQL's `statement_timeout` unless `DATABASE_STATEMENT_TIMEOUT_MS` says otherwise; 0 turns it off. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 60_000;
const QUERY_TIMEOUT_MARGIN_MS = 2_000;

/**
 * Kysely's view of the pg pool, with one change: a client whose connection failed under a query (reset,
 * terminated, or no answer within query_timeout) is destroyed on release. pg would otherwise put it back,
 * and the next request would queue behind its hung query: the pool stayed exhausted after an outage.
 */
class DiscardingPool implements PostgresPool {
  constructor(
    private readonly pool: pg.Pool,
    private readonly size: number,
  ) {}
  async connect(): Promise<PostgresPoolClient> {
    return new DiscardingClient(this.pool, await this.pool.connect(), this.size);
  }
  end(): Promise<void> {
    return this.pool.end();
  }
}

const BEGIN = /^\s*(begin|start transaction)\b/i;
const END = /^\s*(commit|rollback)\b/i;
/** `set local statement_timeout = 0` (or `to 0`): a transaction that may run statements of any length. */
const NO_TIMEOUT = /^\s*set\s+local\s+statement_timeout\s*(=|to)\s*0\s*$/i;
/** What the client waits for an answer once the server's timeout is lifted (setTimeout's largest delay: 24 days). */
const LONGEST_WAIT_MS = 2 ** 31 - 1;

/** A query pg waits for as long as it takes (pg reads `query_timeout` from the query's config; its types do not list it). */
function untimed(text: string, parameters: ReadonlyArray<unknown>): pg.QueryConfig {
  return { text, values: [...parameters], query_timeout: LONGEST_WAIT_MS } as pg.QueryConfig;
}

class DiscardingClient implements PostgresPoolClient {
  #failure: Error | null = null;
  #isInTransaction = false;
  /** The transaction lifted statement_timeout: the client's query_timeout goes too (it is that timeout plus a margin). */
  #isUntimed = false;
  constructor(
    private readonly pool: pg.Pool,
    private client: pg.PoolClient,
    private readonly poolSize: number,
  ) {}
  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(sqlOrCursor: string | PostgresCursor<R>, parameters: ReadonlyArray<unknown> = []): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== "string") throw new Error("cursors are not configured for this pool");
    return this.#run<R>(sqlOrCursor, parameters);
  }
  async #run<R>(text: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
    for (let attempt = 1; ; attempt++) {
      try {
        const source = parameters.length === 1 && parameters[0] instanceof CopySource ? parameters[0] : null;
        const result = source
          ? await this.#copy<R>(text, source)
          : ((await this.client.query(this.#isUntimed ? untimed(text, parameters) : text, [...parameters])) as unknown as PostgresQueryResult<R>);
        if (BEGIN.test(text)) this.#isInTransaction = true;
        if (END.test(text)) this.#isInTransaction = false;
        if (NO_TIMEOUT.test(text) && this.#isInTransaction) this.#isUntimed = true;
        if (!this.#isInTransaction) this.#isUntimed = false;
        return result;
      } catch (err) {
        const failure = err instanceof Error ? err : new Error(String(err));
        // A pooled connection the server had already closed (a restart, a failover, pg_terminate_backend)
        // fails the first statement sent on it. Outside a transaction that statement did not run:
        // send it again on another connection rather than fail the request. Every idle connection may
        // be such a one, and each failed one leaves the pool: at most pool size + 1 tries.
        if (attempt <= this.poolSize && !this.#isInTransaction && wasNeverApplied(err)) {
          this.client.release(failure);
          this.client = await this.pool.connect();
          continue;
        }
        if (END.test(text)) this.#isInTransaction = false;
        if (!this.#isInTransaction) this.#isUntimed = false;
        // A failed rollback leaves the session in a state nobody knows: do not hand it out again.
        if (isDatabaseUnavailable(err) || /^\s*rollback\b/i.test(text)) this.#failure = failure;
        throw err;
      }
    }
  }
  /** `COPY … FROM STDIN` (db/copy.ts): streams the source's chunks to the server as it takes them. */
  async #copy<R>(text: string, source: CopySource): Promise<PostgresQueryResult<R>> {
    const stream = copyFrom(text);
    // pg reads the query's own timeout from the submitted object; a COPY is bounded by statement_timeout.
    Object.assign(stream, { query_timeout: this.#isUntimed ? LONGEST_WAIT_MS : undefined });
    await pipeline(Readable.from(source.chunks), this.client.query(stream));
    return { command: "COPY", rowCount: stream.rowCount, rows: [] } as unknown as PostgresQueryResult<R>;
  }

  release(destroy?: boolean): void {
    this.client.release(this.#failure ?? destroy ?? false);
  }
}

/**
 * A transaction whose connection died cannot be rolled back, and Kysely would throw the rollback's
 * error ("Client has encountered a connection error and is not queryable") in place of the one that
 * says what happened. The server rolls back on its own when the session ends; the client is discarded.
 */
class ResilientPostgresDriver extends PostgresDriver {
  override async rollbackTransaction(connection: Parameters<PostgresDriver["rollbackTransaction"]>[0]): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
    }
  }
}
class ResilientPostgresDialect extends PostgresDialect {
  readonly #config: ConstructorParameters<typeof PostgresDialect>[0];
  constructor(config: ConstructorParameters<typeof PostgresDialect>[0]) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ResilientPostgresDriver(this.#config);
  }
}

/** Runs pending migrations. Safe when several servers start at once against one PostgreSQL (advisory lock). */
export async function migrateToLatest(db: Kysely<DB>): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

/** True for a unique-constraint violation from either driver (SQLite's SQLITE_CONSTRAINT_UNIQUE, PostgreSQL's 23505). */
export function isUniqueViolation(err: unknown): boolean {
  if (!err || typeof err !== "object" || !("code" in err)) return false;
  return err.code === "SQLITE_CONSTRAINT_UNIQUE" || err.code === "23505";
}

/**
 * Brings the planner's statistics up to date after a large change (a roster import) and hourly:
 * SQLite's `PRAGMA optimize` analyzes only the tables that changed enough; on PostgreSQL the named
 * tables are analyzed now rather than whenever autovacuum gets to them.
 */
export async function refreshStatistics(db: Kysely<DB>, dialect: Dialect, tables: readonly (keyof DB)[] = []): Promise<void> {
  if (dialect === "sqlite") {
    // Bounded work: ANALYZE samples about this many rows per index instead of reading each whole
    // index, since the driver is synchronous and a full pass over a large import held every request.
    await sql`pragma analysis_limit = 1000`.execute(db);
    await sql`pragma optimize`.execute(db);
  } else if (tables.length > 0) {
    await sql`analyze ${sql.join(tables.map((t) => sql.table(t)))}`.execute(db);
  }
}

/** One round trip to the database (`select 1`), for readiness checks. */
export async function pingDatabase(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
}
