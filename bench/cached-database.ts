import { mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { Dialect } from "../server/db/index.js";
import type { Config } from "../server/env.js";

/** The PostgreSQL server benchmarks create their databases on. */
export const BENCH_PG_ADMIN = process.env.BENCH_DATABASE_ADMIN_URL ?? process.env.TEST_DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * Where a benchmark keeps its generated data between runs: `dataDir/coachwork.db` on SQLite, or the
 * PostgreSQL database `pgName` (created when missing). `pgName` is a constant of the calling
 * benchmark: identifiers cannot be bound as parameters.
 */
export async function cachedDatabase(dialect: Dialect, dataDir: string, pgName: string): Promise<Config["database"]> {
  if (dialect === "sqlite") {
    mkdirSync(dataDir, { recursive: true });
    return { kind: "sqlite", file: path.join(dataDir, "coachwork.db") };
  }
  const admin = new pg.Client({ connectionString: BENCH_PG_ADMIN });
  await admin.connect();
  try {
    const exists = await admin.query("select 1 from pg_database where datname = $1", [pgName]);
    if (exists.rowCount === 0) await admin.query(`create database ${pgName}`);
  } finally {
    await admin.end();
  }
  const url = new URL(BENCH_PG_ADMIN);
  url.pathname = `/${pgName}`;
  return { kind: "postgres", url: url.toString(), poolSize: 10 };
}
