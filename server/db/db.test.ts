import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, DIALECTS, TEST_PG_ADMIN_URL } from "../../tests/helpers/db.js";
import { startTestServer } from "../../tests/helpers/server.js";
import { migrateToLatest, openDatabase } from "./index.js";
import { migrations } from "./migrations/index.js";

describe("migrations", () => {
  for (const dialect of DIALECTS) {
    it(`run once and then report nothing to do (${dialect})`, async () => {
      const t = await createTestDatabase(dialect);
      const database = openDatabase(t.database);
      try {
        const first = await migrateToLatest(database.db);
        expect(first.results?.every((r) => r.status === "Success")).toBe(true);
        const second = await migrateToLatest(database.db);
        expect(second.results).toEqual([]);
      } finally {
        await database.close();
        await t.drop();
      }
    });
  }

  it("are safe when several app servers start at once against one PostgreSQL", async () => {
    const t = await createTestDatabase("postgres");
    const servers = [openDatabase(t.database), openDatabase(t.database), openDatabase(t.database)];
    try {
      const results = await Promise.all(servers.map((s) => migrateToLatest(s.db)));
      const applied = results.flatMap((r) => r.results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
      // Every migration ran exactly once, whichever server got there first.
      expect(applied.sort()).toEqual(Object.keys(migrations).sort());
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await t.drop();
    }
  });

  it("turn on WAL and foreign keys on SQLite", async () => {
    const t = await createTestDatabase("sqlite");
    const database = openDatabase(t.database);
    try {
      await migrateToLatest(database.db);
      const { sql } = await import("kysely");
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(database.db);
      expect(mode.rows[0]?.journal_mode).toBe("wal");
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(database.db);
      expect(fk.rows[0]?.foreign_keys).toBe(1);
    } finally {
      await database.close();
      await t.drop();
    }
  });
});

describe("readiness", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c().catch(() => undefined);
  });

  it("reports a lost PostgreSQL database in /readyz without crashing, while /healthz stays up", async () => {
    const server = await startTestServer({ dialect: "postgres" });
    cleanups.push(() => server.close());
    expect((await fetch(`${server.baseUrl}/readyz`)).status).toBe(200);
    const dbName = new URL((server.ctx.config.database as { url: string }).url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
    await admin.connect();
    // The name comes from our own test helper ([a-z0-9_]); identifiers cannot be bound.
    await admin.query(`drop database ${dbName} with (force)`);
    await admin.end();
    const ready = await fetch(`${server.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { status: string; checks: { database: { ok: boolean } } };
    expect(body.status).toBe("unavailable");
    expect(body.checks.database.ok).toBe(false);
    const health = await fetch(`${server.baseUrl}/healthz`);
    expect(health.status).toBe(200);
  });
});

describe("the SQLite driver", () => {
  it("reuses prepared statements, also across a schema change, and reads beside a transaction", async () => {
    const { sql } = await import("kysely");
    const t = await createTestDatabase("sqlite");
    const database = openDatabase(t.database);
    try {
      const db = database.db;
      await sql`create table t (a integer)`.execute(db);
      await sql`insert into t (a) values (1)`.execute(db);
      const read = () => sql<Record<string, unknown>>`select * from t`.execute(db);
      expect((await read()).rows).toEqual([{ a: 1 }]);
      // The cached `select *` must see the new column (SQLite re-prepares a statement whose schema changed).
      await sql`alter table t add column b text default 'x'`.execute(db);
      expect((await read()).rows).toEqual([{ a: 1, b: "x" }]);
      // While a transaction holds the writer, a read outside it answers at once with the committed state.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const tx = db.transaction().execute(async (trx) => {
        await sql`insert into t (a) values (2)`.execute(trx);
        await held;
      });
      await new Promise((r) => setTimeout(r, 20));
      expect((await read()).rows).toEqual([{ a: 1, b: "x" }]);
      release();
      await tx;
      expect((await read()).rows).toHaveLength(2);
      // Many distinct statements: the cache drops the oldest and everything still answers.
      for (let i = 0; i < 600; i++) expect((await sql.raw<{ n: number }>(`select ${i} as n`).execute(db)).rows[0]?.n).toBe(i);
      expect((await read()).rows).toHaveLength(2);
    } finally {
      await database.close();
      await t.drop();
    }
  });
});
