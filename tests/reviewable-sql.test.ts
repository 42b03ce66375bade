// The reviewable SQL files (sql/, `npm run sql`) must catch a change: a query that compiles
// differently, a repository function without an example. These run the generator in memory with a
// modified registry and check that the comparison `npm run sql:check` makes reports it.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "../server/db/schema.js";
import * as schools from "../server/modules/schools/schools.repository.js";
import * as people from "../server/modules/people/people.repository.js";
import { registry } from "../scripts/sql/examples.js";
import { compareSqlFiles, example, generateSqlFiles, type SqlRegistry } from "../scripts/sql/generate.js";
import { formatSql } from "../scripts/sql/format.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

describe("reviewable SQL", () => {
  let baseline: Map<string, string>;
  beforeAll(async () => {
    baseline = (await generateSqlFiles(root, registry)).files;
  });

  it("comes out the same on every run (frozen clock, generated ids and tokens numbered)", async () => {
    const again = (await generateSqlFiles(root, registry)).files;
    expect(compareSqlFiles(again, baseline)).toEqual([]);
    const sessions = baseline.get("sql/auth/session-store.sql") ?? "";
    // createSession's id hash and CSRF token are random: shown as placeholders, not values.
    expect(sessions).toContain('-- parameters: [<generated 1>, "person-1", <generated 2>, "192.0.2.10"');
  });

  it("names the file and the first differing line when a repository's SQL changes", async () => {
    const changed: SqlRegistry = {
      ...registry,
      examples: registry.examples.map((e) =>
        e.fn === schools.listSchools ? example(schools.listSchools)(({ db }) => [db, { districtId: "district-1", words: [], status: "all" }, null, 10]) : e,
      ),
    };
    const problems = compareSqlFiles((await generateSqlFiles(root, changed)).files, baseline);
    expect(problems).toHaveLength(1);
    const [problem = ""] = problems;
    expect(problem).toMatch(/^sql\/schools\/schools\.repository\.sql:\d+: differs\n {4}checked in: .*\n {4}from code: {2}.*$/);
    // The line named is where the two texts part, and it shows both sides of it.
    const line = Number(/:(\d+):/.exec(problem)?.[1]);
    const before = (baseline.get("sql/schools/schools.repository.sql") ?? "").split("\n");
    expect(problem).toContain(`checked in: ${before[line - 1] ?? ""}`);
  });

  it("reports a file that is missing or left over", () => {
    const onDisk = new Map(baseline);
    onDisk.delete("sql/audit/audit.repository.sql");
    onDisk.set("sql/gone/gone.repository.sql", "-- old\n");
    expect(compareSqlFiles(baseline, onDisk)).toEqual([
      "sql/audit/audit.repository.sql: missing",
      "sql/gone/gone.repository.sql: no repository file makes it any more",
    ]);
  });

  it("refuses a repository function that has no example, so a new query cannot slip by", async () => {
    const missing: SqlRegistry = { ...registry, examples: registry.examples.filter((e) => e.fn !== people.countActiveAdmins) };
    await expect(generateSqlFiles(root, missing)).rejects.toThrow(
      "server/modules/people/people.repository.ts: countActiveAdmins has no entry in scripts/sql/examples.ts",
    );
  });

  it("refuses an example whose arguments reach no query", async () => {
    const empty: SqlRegistry = {
      ...registry,
      examples: registry.examples.map((e) => (e.fn === people.grantsOf ? example(people.grantsOf)(({ db }) => [db, []]) : e)),
    };
    await expect(generateSqlFiles(root, empty)).rejects.toThrow("grantsOf compiled no SQL");
  });

  it("lays SQL out by changing only whitespace", () => {
    const db = new Kysely<DB>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (k) => new PostgresIntrospector(k),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
    // A string literal with a quote, parentheses and keywords in it must come through untouched.
    const compiled = db
      .selectFrom("people as p")
      .select(["p.id", "p.given_name"])
      .where("p.district_id", "=", "d")
      .where((eb) => eb.or([eb("p.given_lc", "=", sql.lit("it's (and) or")), eb("p.id", "in", eb.selectFrom("role_assignments").select("person_id"))]))
      .orderBy("p.sort_name")
      .limit(5)
      .compile().sql;
    const formatted = formatSql(compiled);
    expect(formatted.split("\n").length).toBeGreaterThan(4);
    expect(formatted.replace(/\s+/g, "")).toBe(compiled.replace(/\s+/g, ""));
    expect(formatted).toContain("'it''s (and) or'");
  });
});
