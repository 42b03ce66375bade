import { PostgresAdapter, sql, type ColumnDataType, type Kysely } from "kysely";

// Small dialect helpers for migrations. They depend on Kysely only, never on app code,
// so migrations written with them stay frozen in time.

export function dialectOf(db: Kysely<unknown>): "sqlite" | "postgres" {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

/** timestamptz on PostgreSQL; ISO 8601 text on SQLite (sorts correctly as text). */
export function timestamp(db: Kysely<unknown>): ColumnDataType {
  return dialectOf(db) === "postgres" ? "timestamptz" : "text";
}

/** An auto-incrementing integer key: bigserial on PostgreSQL, the rowid alias on SQLite. */
export function serial(db: Kysely<unknown>): ColumnDataType {
  return dialectOf(db) === "postgres" ? "bigserial" : "integer";
}

/**
 * Text compared byte by byte on both dialects (SQLite's default BINARY; PostgreSQL's "C" collation),
 * so sort order, keyset cursors and prefix-range searches agree everywhere.
 */
export function bytewiseText(db: Kysely<unknown>): ColumnDataType | ReturnType<typeof sql> {
  return dialectOf(db) === "postgres" ? sql`text collate "C"` : "text";
}
