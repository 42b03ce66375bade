import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../../tests/helpers/db.js";
import { testConfig } from "../../../tests/helpers/server.js";
import type { Ctx } from "../../context.js";
import { migrateToLatest, openDatabase, type Database } from "../../db/index.js";
import { HEARTBEAT_MS, interruptDeadImports, ownerText, startHeartbeat } from "./rostering.recovery.js";

for (const dialect of DIALECTS) {
  describe(`roster import heartbeat (${dialect})`, () => {
    let testDb: TestDatabase;
    let database: Database;
    let ctx: Ctx;
    beforeAll(async () => {
      testDb = await createTestDatabase(dialect);
      database = openDatabase(testDb.database);
      await migrateToLatest(database.db);
      ctx = { db: database.db, dialect: database.dialect, config: testConfig(testDb), log: pino({ level: "silent" }) } as Ctx;
      const now = new Date().toISOString();
      await database.db.insertInto("districts").values({ id: "d-1", name: "Heartbeat District", timezone: "UTC", created_at: now, updated_at: now }).execute();
    });
    afterAll(async () => {
      await database.close();
      await testDb.drop();
    });

    it("beats while the import runs, so another host does not take a long import for a dead one", async () => {
      const stale = new Date(Date.now() - 5 * 60_000).toISOString();
      await database.db
        .insertInto("roster_imports")
        .values({
          id: "import-1",
          district_id: "d-1",
          actor_id: null,
          origin: "cli",
          kind: "oneroster",
          file_name: "long.zip",
          status: "running",
          is_dry_run: 0,
          apply_valid: 0,
          ...{ created: 0, updated: 0, deactivated: 0, unchanged: 0, skipped: 0, rejected: 0, error_count: 0, warning_count: 0 },
          report: null,
          started_at: stale,
          finished_at: null,
          heartbeat_at: stale,
          // As another host sees it: only the heartbeat tells.
          owner: ownerText().replace(/"host":"[^"]*"/, '"host":"another-host"'),
        })
        .execute();
      vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
      const stop = startHeartbeat(ctx, "import-1");
      try {
        vi.advanceTimersByTime(HEARTBEAT_MS);
      } finally {
        vi.useRealTimers();
      }
      await vi.waitFor(async () => {
        const row = await database.db.selectFrom("roster_imports").select("heartbeat_at").where("id", "=", "import-1").executeTakeFirstOrThrow();
        expect(Date.parse(row.heartbeat_at ?? "")).toBeGreaterThan(Date.now() - 10_000);
      });
      stop();
      expect(await interruptDeadImports(ctx, "d-1", new Set())).toEqual([]);
      // Without the beat the same row is dead.
      await database.db.updateTable("roster_imports").set({ heartbeat_at: stale }).where("id", "=", "import-1").execute();
      expect(await interruptDeadImports(ctx, "d-1", new Set())).toEqual(["import-1"]);
    });
  });
}
