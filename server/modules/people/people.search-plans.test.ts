import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../../tests/helpers/db.js";
import { migrateToLatest, openDatabase, refreshStatistics, type Database } from "../../db/index.js";
import type { PeopleTable } from "../../db/schema.js";
import { fold, newId, nowIso } from "../../lib.js";
import {
  chooseSearchPlan,
  COMMON_WORD_MATCHES,
  isPlannedSearch,
  listPeople,
  listPeopleByPlan,
  nameColumns,
  type PeopleFilter,
  type SearchPlan,
} from "./people.repository.js";

// A district-wide search on SQLite reads its page by a plan chosen per search (chooseSearchPlan): a
// walk along the name order for a common word, three merged index reads (family, given, email) for
// a rarer one, SQLite's own plan for several common words. Whichever it takes, every page must hold
// exactly the people a plain reading of the rule gives: each word a prefix of the family name, the
// given name or the email, ordered by (sort_name, id) byte by byte.

const GIVEN = ["Mark", "Maria", "Mary", "Marcus", "Mara", "José", "Zed", "Oliver", "Li", "Ángela", "Robert", "Jo"];
const FAMILY = ["Martinez", "Marsh", "Johnson", "de la Cruz", "O'Brien", "Li", "Lin", "Öztürk", "Zhang", "Garcia", "Robles", "Smith"];

/** A deterministic spread: the "Mar…" given names make up more than COMMON_WORD_MATCHES people. */
function people(districtId: string, n: number, emailDomain: string): PeopleTable[] {
  const now = nowIso();
  const rows: PeopleTable[] = [];
  for (let i = 0; i < n; i++) {
    const given = GIVEN[(i * 7) % 5 === 0 ? 5 + (i % 7) : i % 5] ?? "Mark";
    const family = FAMILY[(i * 13 + (i >> 3)) % FAMILY.length] ?? "Smith";
    // Every fifth person has a family-name-first email, every seventh none.
    const email =
      i % 7 === 0 ? null : i % 5 === 0 ? `${fold(family).replace(/[^a-z]/g, "")}.${fold(given)}${i}@${emailDomain}` : `${fold(given)}.${fold(family).replace(/[^a-z]/g, "")}${i}@${emailDomain}`;
    rows.push({
      id: newId(),
      district_id: districtId,
      ...nameColumns(given, family),
      email,
      password_hash: null,
      status: i % 11 === 0 ? "inactive" : "active",
      grade_level: null,
      student_number: null,
      source_id: null,
      created_at: now,
      updated_at: now,
      deactivated_at: i % 11 === 0 ? now : null,
    });
  }
  return rows;
}

const bytewise = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

function expected(all: readonly PeopleTable[], f: PeopleFilter): string[] {
  const starts = (value: string | null, word: string) => value !== null && value.startsWith(word);
  return all
    .filter((p) => p.district_id === f.districtId && (f.status === "all" || p.status === f.status))
    .filter((p) => f.words.every((w) => starts(p.family_lc, w) || starts(p.given_lc, w) || starts(p.email, w)))
    .sort((a, b) => bytewise(a.sort_name, b.sort_name) || bytewise(a.id, b.id))
    .map((p) => p.id);
}

describe.each(DIALECTS)("directory search plans (%s)", (dialect) => {
  let testDb: TestDatabase;
  let database: Database;
  const all: PeopleTable[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    database = openDatabase(testDb.database);
    await migrateToLatest(database.db);
    for (const [id, domain, n] of [
      ["d-north", "north.example.org", 3000],
      ["d-south", "south.example.org", 400],
    ] as const) {
      await database.db.insertInto("districts").values({ id, name: id, timezone: "UTC", created_at: nowIso(), updated_at: nowIso() }).execute();
      all.push(...people(id, n, domain));
    }
    for (let i = 0; i < all.length; i += 500) await database.db.insertInto("people").values(all.slice(i, i + 500)).execute();
    await refreshStatistics(database.db, dialect, ["people"]);
  });
  afterAll(async () => {
    await database.close();
    await testDb.drop();
  });

  const filter = (q: string, status: PeopleFilter["status"] = "active"): PeopleFilter => ({
    districtId: "d-north",
    scope: { kind: "district" },
    status,
    words: fold(q).split(" "),
  });

  /** Every page of `f` in turn, by listPeople's own choice of plan or by `plan`. */
  async function everyPage(f: PeopleFilter, limit: number, plan?: SearchPlan | null): Promise<string[]> {
    const ids: string[] = [];
    let after: { sortName: string; id: string } | null = null;
    for (let page = 0; page < 1000; page++) {
      const rows: PeopleTable[] = plan === undefined ? await listPeople(database.db, f, after, limit + 1) : await listPeopleByPlan(database.db, f, plan, after, limit + 1);
      ids.push(...rows.slice(0, limit).map((r) => r.id));
      const last = rows[limit - 1];
      if (rows.length <= limit || !last) return ids;
      after = { sortName: last.sort_name, id: last.id };
    }
    throw new Error("more than 1,000 pages");
  }

  it("walks the name order for one common word, merges three index reads for a rarer one, and leaves two common words to the database", async () => {
    const given = all.filter((p) => p.district_id === "d-north" && p.given_lc.startsWith("mar")).length;
    expect(given).toBeGreaterThan(COMMON_WORD_MATCHES);
    expect(isPlannedSearch(database.db, filter("mar"))).toBe(dialect === "sqlite");
    expect(await chooseSearchPlan(database.db, "d-north", ["mar"])).toEqual({ kind: "walk" });
    expect(await chooseSearchPlan(database.db, "d-north", ["zh"])).toEqual({ kind: "arms", word: 0 });
    expect(await chooseSearchPlan(database.db, "d-north", ["mar", "zh"])).toEqual({ kind: "arms", word: 1 });
    expect(await chooseSearchPlan(database.db, "d-north", ["mar", "ma"])).toBeNull();
    // Counted within the district: the south's few "Mar…" people are not common.
    expect(await chooseSearchPlan(database.db, "d-south", ["mar"])).toEqual({ kind: "arms", word: 0 });
  });

  it.each([
    ["mar", "active"],
    ["ma", "inactive"],
    ["zh", "active"],
    ["li", "active"],
    ["lin", "active"],
    ["ozt", "active"],
    ["ange", "active"],
    ["de", "active"],
    ["o'b", "active"],
    ["smith.j", "active"],
    ["mar zh", "active"],
    ["zed marsh", "active"],
    ["mar ma", "active"],
    ["mar", "all"],
    ["nobody", "active"],
  ] as const)("pages through %j (%s) exactly as the rule reads, page after page", async (q, status) => {
    const f = filter(q, status);
    const want = expected(all, f);
    expect(await everyPage(f, 50)).toEqual(want);
    // A page size that splits runs of the same name differently.
    expect(await everyPage(f, 7)).toEqual(want);
    if (f.status === "all") return; // no plan is chosen: the name order cannot serve both statuses
    // Each plan on its own, whichever the counts would choose. The walk's `+column` is SQLite's.
    const plans: (SearchPlan | null)[] = [null, ...f.words.map((_, word) => ({ kind: "arms" as const, word }))];
    if (dialect === "sqlite") plans.push({ kind: "walk" });
    for (const plan of plans) expect(await everyPage(f, 50, plan), JSON.stringify(plan)).toEqual(want);
  });
});
