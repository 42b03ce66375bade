import { existsSync, statSync } from "node:fs";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../tests/helpers/db.js";
import { openDatabase } from "./index.js";

const sizeOf = (file: string) => (existsSync(file) ? statSync(file).size : 0);

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

describe("SQLite checkpoints off the event loop", () => {
  it("a large commit returns before its pages are copied into the database file, and a worker copies them soon after", async () => {
    const t = await createTestDatabase("sqlite");
    if (t.database.kind !== "sqlite") throw new Error("unreachable");
    const file = t.database.file;
    const database = openDatabase(t.database);
    try {
      await sql`create table filler (id integer primary key, body blob not null)`.execute(database.db);
      // Let the table's creation be checkpointed, so the file's size is the baseline.
      expect(await until(() => sizeOf(file) > 0, 5000)).toBe(true);
      const before = sizeOf(file);
      // About 20 MB in one transaction: 5,000 pages, five times what makes SQLite checkpoint by itself.
      await database.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 200; i++) await sql`insert into filler (body) values (randomblob(100000))`.execute(trx);
      });
      // The commit wrote the WAL only: copying 20 MB into the file would have held the event loop.
      expect(sizeOf(file)).toBeLessThan(before + 1_000_000);
      expect(sizeOf(`${file}-wal`)).toBeGreaterThan(20_000_000);
      // The background checkpoint moves them into the file without anyone asking.
      expect(await until(() => sizeOf(file) > before + 20_000_000, 10_000)).toBe(true);
    } finally {
      await database.close();
      await t.drop();
    }
  });

  it("closing the database closes the worker's connection first, so the last close checkpoints and removes the WAL", async () => {
    const t = await createTestDatabase("sqlite");
    if (t.database.kind !== "sqlite") throw new Error("unreachable");
    const database = openDatabase(t.database);
    await sql`create table filler (id integer primary key, body blob not null)`.execute(database.db);
    await sql`insert into filler (body) values (randomblob(100000))`.execute(database.db);
    await database.close();
    try {
      expect(existsSync(`${t.database.file}-wal`)).toBe(false);
    } finally {
      await t.drop();
    }
  });
});
