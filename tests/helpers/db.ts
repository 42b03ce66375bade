import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { Config } from "../../server/env.js";

export const DIALECTS = ["sqlite", "postgres"] as const;
export type TestDialect = (typeof DIALECTS)[number];

/** The PostgreSQL server tests create their throwaway databases on. */
export const TEST_PG_ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export type TestDatabase = { database: Config["database"]; dataDir: string; drop(): Promise<void> };

/** A fresh, empty database per caller: a temp SQLite file, or a new PostgreSQL database; `parentDir` puts the data directory elsewhere than the system's temporary one. */
export async function createTestDatabase(dialect: TestDialect, opts: { parentDir?: string } = {}): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(opts.parentDir ?? tmpdir(), "coachwork-test-"));
  if (dialect === "sqlite") {
    return {
      database: { kind: "sqlite", file: path.join(dataDir, "coachwork.db") },
      dataDir,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `cw_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    // Identifiers cannot be bound as parameters; `name` is generated above from [a-z0-9_] only.
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    database: { kind: "postgres", url: url.toString(), poolSize: 5 },
    dataDir,
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
