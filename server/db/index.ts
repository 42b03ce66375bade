import SQLite from "better-sqlite3";
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  sql,
  type DialectAdapter,
  type MigrationResultSet,
} from "kysely";
import pg from "pg";
import type { Config } from "../env.js";
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
  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }
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
    const db = new Kysely<DB>({ dialect: new TransactionalSqliteDialect({ database: sqlite }) });
    return {
      db,
      dialect: "sqlite",
      ping: async () => {
        await sql`select 1`.execute(db);
      },
      close: () => db.destroy(),
    };
  }
  const pool = new pg.Pool({
    connectionString: database.url,
    max: database.poolSize,
    connectionTimeoutMillis: 5000,
    types: { getTypeParser: pgTypeParser } as pg.CustomTypesConfig,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on("error", opts.onPoolError ?? ((err) => console.error(`postgres pool error: ${err.message}`)));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: "postgres",
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
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
    await sql`pragma optimize`.execute(db);
  } else if (tables.length > 0) {
    await sql`analyze ${sql.join(tables.map((t) => sql.table(t)))}`.execute(db);
  }
}

/** One round trip to the database (`select 1`), for readiness checks. */
export async function pingDatabase(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
}
