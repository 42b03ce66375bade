import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../../tests/helpers/db.js";
import { cloneSet, setFiles, smallSet, writeFiles, type OneRosterSet } from "../../../tests/helpers/oneroster.js";
import { testConfig } from "../../../tests/helpers/server.js";
import type { Ctx } from "../../context.js";
import { migrateToLatest, openDatabase, type Database } from "../../db/index.js";
import { nowIso } from "../../lib.js";
import { insertPerson } from "../people/people.repository.js";
import { runRosterImportFromCli } from "./rostering.service.js";

// A first import writes tables that hold none of the district's rows yet; on PostgreSQL those rows are
// copied straight into the tables (copyRun), the rest go through a staging table and an upsert. Two
// districts importing the same export (the same sourcedIds) must each keep their own rows either way.

describe.each(DIALECTS)("a first import beside another district's rows (%s)", (dialect) => {
  let testDb: TestDatabase;
  let database: Database;
  let ctx: Ctx;
  let dir: string;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    database = openDatabase(testDb.database);
    await migrateToLatest(database.db);
    ctx = { db: database.db, dialect: database.dialect, config: testConfig(testDb), log: pino({ level: "silent" }) } as Ctx;
    dir = mkdtempSync(path.join(testDb.dataDir, "export-"));
    for (const name of ["North District", "South District"]) {
      const id = `d-${name.split(" ")[0]?.toLowerCase()}`;
      await database.db.insertInto("districts").values({ id, name, timezone: "UTC", created_at: nowIso(), updated_at: nowIso() }).execute();
      // Each district has its administrator, as after setup: its people table is not empty.
      await insertPerson(database.db, { districtId: id, givenName: "Ada", familyName: "Admin", email: `admin@${id}.example.org`, passwordHash: null, gradeLevel: null, studentNumber: null });
    }
  });
  afterAll(async () => {
    await database.close();
    await testDb.drop();
  });

  async function importInto(districtName: string, set: OneRosterSet) {
    rmSync(dir, { recursive: true, force: true });
    writeFiles(dir, setFiles(set));
    const report = await runRosterImportFromCli(ctx, { kind: "oneroster", path: dir, fileName: "export", isDryRun: false, applyValid: false, encoding: null, districtName });
    expect(report.status, JSON.stringify(report.issues.slice(0, 5))).toBe("applied");
    return report;
  }

  async function countsByDistrict(table: "enrollments" | "classes" | "people", sourcePrefix: string): Promise<Record<string, number>> {
    const { rows } = await sql<{ district_id: string; n: number | string }>`
      select district_id, count(*) as n from ${sql.table(table)} where source_id like ${`${sourcePrefix}%`} group by district_id`.execute(database.db);
    return Object.fromEntries(rows.map((r) => [r.district_id, Number(r.n)]));
  }

  it("keeps each district's rows its own when both import the same export, and a second import of it changes nothing", async () => {
    const set = smallSet("twin");
    const north = await importInto("North District", set);
    expect(north.entities.enrollments).toMatchObject({ created: 11 });
    const south = await importInto("South District", set);
    expect(south.entities.enrollments).toMatchObject({ created: 11 });
    expect(south.entities.people).toMatchObject({ created: 10 });
    for (const table of ["enrollments", "classes", "people"] as const) {
      const counts = await countsByDistrict(table, "twin-");
      expect(counts["d-north"], table).toBeGreaterThan(0);
      expect(counts["d-south"], table).toBe(counts["d-north"]);
    }
    const again = await importInto("South District", set);
    expect(again.counts).toMatchObject({ created: 0, updated: 0, deactivated: 0 });
  });

  it("updates through the upsert once the district holds rows: a changed name and a dropped enrolment", async () => {
    const set = cloneSet(smallSet("twin"));
    const users = set.files["users.csv"];
    const sam = users?.rows.find((r) => r.sourcedId === "twin-s1");
    if (!users || !sam) throw new Error("smallSet lacks Sam");
    sam.givenName = "Samuel";
    const enrollments = set.files["enrollments.csv"];
    if (!enrollments) throw new Error("smallSet lacks enrollments");
    enrollments.rows.pop();
    const report = await importInto("North District", set);
    expect(report.entities.people).toMatchObject({ updated: 1 });
    expect(report.entities.enrollments).toMatchObject({ deactivated: 1 });
    const names = await database.db.selectFrom("people").select(["district_id", "given_name"]).where("source_id", "=", "twin-s1").orderBy("district_id").execute();
    expect(names).toEqual([
      { district_id: "d-north", given_name: "Samuel" },
      { district_id: "d-south", given_name: "Sam" },
    ]);
  });
});
