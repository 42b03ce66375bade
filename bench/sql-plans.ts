import SQLite from "better-sqlite3";
import pg from "pg";
import type { Dialect } from "../server/db/index.js";
import { countSql, pageSql, type BareFilter, type SqlOptions, type SqlText } from "./bare-sql.js";
import { ensureDataset, type DatasetSize } from "./dataset.js";
import { SEARCH_TERMS } from "./people-list.js";
import { fmt, table } from "./report.js";

// `npx tsx bench/sql-plans.ts [--quick] [--plans]`: the directory's statements alone, timed one at a
// time on the benchmark data, as the repositories write them today and as proposed, with each
// dialect's query plan. This is the evidence behind the recommendations in docs/benchmarks.md.

const args = new Set(process.argv.slice(2));
const size: DatasetSize = args.has("--quick") ? "quick" : "full";
const showPlans = args.has("--plans");
const BUDGET_MS = 1500;

/**
 * A statement to time: once, or for each of the eight mid-sized schools (`over: "schools"`), or for each
 * of the HTTP benchmark's eight search terms (`over: "terms"`).
 */
type Variant = { name: string; over: "schools" | "terms" | null; make: (dialect: Dialect, arg: string | undefined) => SqlText };

type Runner = {
  run(q: SqlText): Promise<number>;
  rows(sql: string): Promise<Record<string, unknown>[]>;
  plan(q: SqlText): Promise<string>;
  close(): Promise<void>;
};

function sqliteRunner(file: string): Runner {
  const db = new SQLite(file, { readonly: true });
  return {
    run: async (q) => (db.prepare(q.sql).all(q.params) as unknown[]).length,
    rows: async (sql) => db.prepare(sql).all() as Record<string, unknown>[],
    plan: async (q) =>
      (db.prepare(`explain query plan ${q.sql}`).all(q.params) as { detail: string }[]).map((r) => r.detail).join(" / "),
    close: async () => {
      db.close();
    },
  };
}

function postgresRunner(url: string): Runner {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  return {
    run: async (q) => (await pool.query(q.sql, q.params)).rowCount ?? 0,
    rows: async (sql) => (await pool.query(sql)).rows as Record<string, unknown>[],
    plan: async (q) =>
      (await pool.query<{ "QUERY PLAN": string }>(`explain ${q.sql}`, q.params)).rows
        .map((r) => r["QUERY PLAN"].trim().replace(/^->\s*/, "").replace(/\s+\(cost=.*$/, ""))
        .filter((l) => /Scan|Join|Loop|Sort|Aggregate|Limit|Hash|Bitmap/.test(l) && !l.startsWith("Sort Key"))
        .join(" / "),
    close: () => pool.end(),
  };
}

async function timeIt(runner: Runner, q: SqlText): Promise<number> {
  const first = performance.now();
  await runner.run(q);
  const once = performance.now() - first;
  if (once > BUDGET_MS / 4) return once;
  let n = 0;
  const t = performance.now();
  while (performance.now() - t < BUDGET_MS && n < 200) {
    await runner.run(q);
    n++;
  }
  return (performance.now() - t) / n;
}

async function main(): Promise<void> {
  const log = (m: string) => console.error(`[sql-plans] ${m}`);
  const lite = await ensureDataset("sqlite", size, log);
  const pgds = await ensureDataset("postgres", size, log);
  if (lite.database.kind !== "sqlite" || pgds.database.kind !== "postgres") throw new Error("unexpected dataset kinds");

  // The server runs PRAGMA optimize=0x10002 when it opens the file (server/db/index.ts); do the same, so
  // the planner has the statistics it would have in production.
  const w = new SQLite(lite.database.file);
  w.pragma("optimize=0x10002");
  w.close();

  // The same eight mid-sized schools as the HTTP benchmark, on each database (ids are generated, so they differ).
  const midSchools = async (runner: Runner, dialect: Dialect): Promise<string[]> => {
    const q = `select "school_id" as "id" from "role_assignments" where "school_id" is not null group by "school_id" order by count(distinct "person_id")`;
    const ids = (await runner.rows(q)).map((r) => String(r.id));
    const mid = Math.floor(ids.length / 2);
    log(`${dialect}: ${ids.length} schools, timing the 8 around the median size`);
    return ids.slice(Math.max(0, mid - 4), mid + 4);
  };

  const targets: { label: string; dialect: Dialect; runner: Runner }[] = [
    { label: "sqlite ms", dialect: "sqlite", runner: sqliteRunner(lite.database.file) },
    { label: "postgres ms", dialect: "postgres", runner: postgresRunner(pgds.database.url) },
  ];
  const districtOf = (d: Dialect) => (d === "sqlite" ? lite.meta.districtId : pgds.meta.districtId);
  const f = (d: Dialect, words: string[], schoolId?: string): BareFilter => ({
    districtId: districtOf(d),
    status: "active",
    words,
    ...(schoolId === undefined ? {} : { schoolId }),
  });
  const before: SqlOptions = { isSchoolSubquery: true };
  const uncapped: SqlOptions = { countCap: null };
  const variants: Variant[] = [
    { name: "school: page (before 62ee862: id in (…))", over: "schools", make: (d, s) => pageSql(d, f(d, [], s), 51, before) },
    { name: "school: count (before 62ee862: id in (…), uncapped)", over: "schools", make: (d, s) => countSql(d, f(d, [], s), { ...before, ...uncapped }) },
    { name: "school: page (today: materialized CTE)", over: "schools", make: (d, s) => pageSql(d, f(d, [], s), 51) },
    { name: "school: count (today: materialized CTE)", over: "schools", make: (d, s) => countSql(d, f(d, [], s)) },
    { name: "q=mar: page (today)", over: null, make: (d) => pageSql(d, f(d, ["mar"]), 51) },
    { name: "q=mar: count every match (before the cap)", over: null, make: (d) => countSql(d, f(d, ["mar"]), uncapped) },
    { name: "q=mar: count capped at 1,001 (today)", over: null, make: (d) => countSql(d, f(d, ["mar"])) },
    { name: "q=<each of 8 terms>: page (today)", over: "terms", make: (d, t) => pageSql(d, f(d, [t ?? ""]), 51) },
    { name: "q=<each of 8 terms>: count every match", over: "terms", make: (d, t) => countSql(d, f(d, [t ?? ""]), uncapped) },
    { name: "q=<each of 8 terms>: count capped (today)", over: "terms", make: (d, t) => countSql(d, f(d, [t ?? ""])) },
    { name: "q=zha (rare): page (today)", over: null, make: (d) => pageSql(d, f(d, ["zha"]), 51) },
    { name: "q=zha (rare): count (today)", over: null, make: (d) => countSql(d, f(d, ["zha"])) },
    { name: "school+q=mar: page (before 62ee862)", over: "schools", make: (d, s) => pageSql(d, f(d, ["mar"], s), 51, before) },
    { name: "school+q=mar: count (before 62ee862)", over: "schools", make: (d, s) => countSql(d, f(d, ["mar"], s), { ...before, ...uncapped }) },
    { name: "school+q=mar: page (today: materialized CTE)", over: "schools", make: (d, s) => pageSql(d, f(d, ["mar"], s), 51) },
    { name: "school+q=mar: count (materialized CTE, every match)", over: "schools", make: (d, s) => countSql(d, f(d, ["mar"], s), uncapped) },
    { name: "school+q=mar: count (today: CTE and capped)", over: "schools", make: (d, s) => countSql(d, f(d, ["mar"], s)) },
  ];
  const rows: string[][] = [];
  const plans: string[] = [];
  try {
    const schoolsOf = new Map<Runner, string[]>();
    for (const t of targets) schoolsOf.set(t.runner, await midSchools(t.runner, t.dialect));
    for (const v of variants) {
      const row = [v.name];
      for (const t of targets) {
        const args: (string | undefined)[] = v.over === "schools" ? (schoolsOf.get(t.runner) ?? []) : v.over === "terms" ? [...SEARCH_TERMS] : [undefined];
        log(`${v.name} on ${t.label.replace(" ms", "")}…`);
        const times: number[] = [];
        for (const arg of args) {
          const q = v.make(t.dialect, arg);
          times.push(await timeIt(t.runner, q));
          if (showPlans) plans.push(`${v.name} [${t.label.replace(" ms", "")}${arg ? ` ${arg}` : ""}]: ${await t.runner.plan(q)}`);
        }
        const mean = times.reduce((a, b) => a + b, 0) / times.length;
        row.push(v.over ? `${fmt(mean, 2)} (worst ${fmt(Math.max(...times), 1)})` : fmt(mean, 2));
      }
      rows.push(row);
    }
  } finally {
    for (const t of targets) await t.runner.close();
  }
  console.log(`\nOne statement at a time, mean ms (${lite.meta.people.toLocaleString("en-US")} people; rows over schools or terms: the mean over the same 8 as the HTTP benchmark, and the worst)\n`);
  console.log(table(["statement", ...targets.map((t) => t.label)], rows));
  if (showPlans) console.log(`\n${plans.join("\n")}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
