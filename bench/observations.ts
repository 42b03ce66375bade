// The observation roll-up benchmark (issue 13, "Performance").
//
// A district of 300,000 observations across 200 schools and 3 school years (1.5 million per-dimension
// rows), bulk-loaded straight into the tables (SQLite: prepared inserts in large transactions;
// PostgreSQL: COPY), then the monthly rollups built the way a rebuild does. Measures, as a person waits
// for them (sequential requests): the district heat map and the growth series endpoints (p50/p95), and
// the same aggregations as one hand-written SQL query each through the bare driver, over the
// per-dimension rows (what the endpoints would cost without rollups) and over the rollup tables (the
// floor of the path the endpoints take). Target: p95 < 150 ms on both databases.
import { existsSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import SQLite from "better-sqlite3";
import { sql, type Kysely } from "kysely";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { BENCH_PG_ADMIN, cachedDatabase } from "./cached-database.js";
import { buildApp } from "../server/app.js";
import { migrateToLatest, openDatabase, type Dialect } from "../server/db/index.js";
import type { DB } from "../server/db/schema.js";
import type { Config } from "../server/env.js";
import { newId, nowIso, randomToken, sha256 } from "../server/lib.js";
import { TOKEN_PREFIX } from "../server/auth/session-store.js";
import { nameColumns } from "../server/modules/people/people.repository.js";
import { addDays, monthOf, schoolYearOf, termOf, today } from "../server/modules/observations/calendar.js";
import { rebuildMonthlyRollups } from "../server/modules/observations/reports.repository.js";
import { ensureDistrictDefaults } from "../server/modules/observations/rubrics.service.js";
import { mulberry32 } from "./dataset.js";

const VERSION = 1;
const PG_ADMIN = BENCH_PG_ADMIN;

type Shape = { observations: number; schools: number; teachersPerSchool: number; years: number };
const SHAPES = {
  full: { observations: 300_000, schools: 200, teachersPerSchool: 40, years: 3 },
  quick: { observations: 30_000, schools: 20, teachersPerSchool: 20, years: 1 },
} satisfies Record<string, Shape>;
export type ObservationsBenchSize = keyof typeof SHAPES;

/** Bumped when the rollups' shape changes: a cached database then has them rebuilt, not regenerated. */
const ROLLUPS_VERSION = 2;

type Meta = { version: number; rollups?: number; size: ObservationsBenchSize; districtId: string; adminToken: string; observations: number; levelRows: number; firstDate: string; lastDate: string };

const DIMENSIONS = ["active", "collaborative", "constructive", "authentic", "goal_directed"];
const SUBJECTS = ["Math", "ELA", "Science", "Social Studies", "Art", "Music", "PE", "World Languages"];
const GRADES = ["KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"];
const bandOf = (grade: string) => (["KG", "01", "02"].includes(grade) ? "K-2" : ["03", "04", "05"].includes(grade) ? "3-5" : ["06", "07", "08"].includes(grade) ? "6-8" : "9-12");


const OBSERVATION_COLUMNS = [
  "id", "district_id", "school_id", "observer_id", "teacher_id", "class_id", "subject", "grade", "grade_band", "rubric_id", "rubric_version_id",
  "observed_on", "month", "term", "school_year", "start_time", "duration_minutes", "evidence", "feedback", "next_step", "status", "observed_dimensions",
  "cycle_id", "coaching_entry_id", "client_ref", "received_at", "submitted_at", "shared_at", "acknowledged_at", "created_at", "updated_at", "deleted_at", "deleted_by",
] as const;
const LEVEL_COLUMNS = ["observation_id", "dimension_key", "dimension_position", "level", "district_id", "school_id", "teacher_id", "rubric_version_id", "observed_on", "in_reports"] as const;
type Value = string | number | null;

/** Writes rows to one table: better-sqlite3 prepared inserts, or PostgreSQL COPY (CSV: unquoted empty = NULL). */
type Loader = { write(table: "observations" | "observation_levels", rows: Value[][]): Promise<void>; close(): Promise<void> };

function sqliteLoader(file: string): Loader {
  const db = new SQLite(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const statements = {
    observations: db.prepare(`insert into observations (${OBSERVATION_COLUMNS.join(", ")}) values (${OBSERVATION_COLUMNS.map(() => "?").join(", ")})`),
    observation_levels: db.prepare(`insert into observation_levels (${LEVEL_COLUMNS.join(", ")}) values (${LEVEL_COLUMNS.map(() => "?").join(", ")})`),
  };
  return {
    write: async (table, rows) => {
      const stmt = statements[table];
      db.transaction(() => {
        for (const r of rows) stmt.run(r);
      })();
    },
    close: async () => {
      db.pragma("synchronous = FULL");
      db.close();
    },
  };
}

function pgLoader(url: string): Loader {
  const client = new pg.Client({ connectionString: url });
  const connected = client.connect();
  const csvCell = (v: Value) => (v === null ? "" : typeof v === "number" ? String(v) : `"${v.replaceAll('"', '""')}"`);
  return {
    write: async (table, rows) => {
      await connected;
      const columns = table === "observations" ? OBSERVATION_COLUMNS : LEVEL_COLUMNS;
      // Table and column names are this file's constants.
      const stream = client.query(copyFrom(`copy ${table} (${columns.join(", ")}) from stdin with (format csv)`));
      await pipeline(Readable.from(rows.map((r) => r.map(csvCell).join(",") + "\n")), stream);
    },
    close: async () => {
      await connected;
      await client.end();
    },
  };
}

/** Generates the district: schools, teachers and observers, the TIM, 300,000 observations with their levels, and the rollups. */
async function generate(db: Kysely<DB>, loader: Loader, size: ObservationsBenchSize, log: (m: string) => void): Promise<Meta> {
  const shape: Shape = SHAPES[size];
  const rng = mulberry32(13);
  const now = nowIso();
  const districtId = newId();
  await db.insertInto("districts").values({ id: districtId, name: "Benchmark Unified", timezone: "America/New_York", created_at: now, updated_at: now }).execute();
  const schools = Array.from({ length: shape.schools }, (_, i) => ({
    id: newId(), district_id: districtId, name: `School ${i + 1}`, level: (["elementary", "middle", "high", "other"] as const)[i % 4] ?? "other", code: null, status: "active" as const, created_at: now, updated_at: now,
  }));
  for (let i = 0; i < schools.length; i += 500) await db.insertInto("schools").values(schools.slice(i, i + 500)).execute();
  const people: Record<string, unknown>[] = [];
  const roles: Record<string, unknown>[] = [];
  const person = (given: string, family: string) => {
    const id = newId();
    people.push({ id, district_id: districtId, ...nameColumns(given, family), email: `${given}.${family}.${people.length}@bench.example.org`.toLowerCase(), password_hash: null, status: "active", grade_level: null, student_number: null, source_id: null, created_at: now, updated_at: now, deactivated_at: null });
    return id;
  };
  const grant = (personId: string, role: string, schoolId: string | null) => roles.push({ id: newId(), person_id: personId, district_id: districtId, role, school_id: schoolId, created_at: now });
  const adminId = person("Ada", "Admin");
  grant(adminId, "district_admin", null);
  const staff = schools.map((s, si) => {
    const coach = person(`Coach${si}`, "Bench");
    grant(coach, "coach", s.id);
    const teachers = Array.from({ length: shape.teachersPerSchool }, (_, ti) => {
      const id = person(`Teacher${si}x${ti}`, `Family${ti % 97}`);
      grant(id, "teacher", s.id);
      return id;
    });
    return { school: s, coach, teachers, lean: rng() * 0.8 };
  });
  for (let i = 0; i < people.length; i += 1000) await db.insertInto("people").values(people.slice(i, i + 1000) as never).execute();
  for (let i = 0; i < roles.length; i += 2000) await db.insertInto("role_assignments").values(roles.slice(i, i + 2000) as never).execute();
  await ensureDistrictDefaults(db, districtId);
  const rubric = await db.selectFrom("observation_rubrics").select(["id", "current_version_id"]).where("district_id", "=", districtId).where("is_default", "=", 1).executeTakeFirstOrThrow();
  const versionId = rubric.current_version_id ?? "";

  // School days (no weekends, no July) from `years` school years back to yesterday.
  const lastDate = addDays(today(), -1);
  const days: string[] = [];
  for (let d = addDays(lastDate, -Math.round(shape.years * 365.25)); d <= lastDate; d = addDays(d, 1)) {
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (dow !== 0 && dow !== 6 && d.slice(5, 7) !== "07") days.push(d);
  }
  const firstDate = days[0] ?? lastDate;
  let levelRows = 0;
  const obsBatch: Value[][] = [];
  const levelBatch: Value[][] = [];
  const flush = async () => {
    await loader.write("observations", obsBatch);
    await loader.write("observation_levels", levelBatch);
    obsBatch.length = 0;
    levelBatch.length = 0;
  };
  const t0 = performance.now();
  for (let n = 0; n < shape.observations; n++) {
    const day = days[Math.floor((n / shape.observations) * days.length)] ?? lastDate;
    const s = staff[Math.floor(rng() * staff.length)];
    if (!s) continue;
    const teacher = s.teachers[Math.floor(rng() * s.teachers.length)] ?? s.coach;
    const grade = GRADES[Math.floor(rng() * GRADES.length)] ?? "05";
    const r = rng();
    const status = r < 0.02 ? "draft" : r < 0.12 ? "submitted" : "shared";
    // Integration grows over the years (ordinal levels, skewed low, higher at some schools).
    const growth = (n / shape.observations) * 0.9;
    const ranks = DIMENSIONS.map(() => (rng() < 0.12 ? null : Math.min(5, 1 + Math.floor(rng() * (2.2 + s.lean + growth) + rng() * 0.8))));
    const id = newId();
    const at = `${day}T14:00:00.000Z`;
    obsBatch.push([
      id, districtId, s.school.id, s.coach, teacher, null, SUBJECTS[Math.floor(rng() * SUBJECTS.length)] ?? "Math", grade, bandOf(grade), rubric.id, versionId,
      day, monthOf(day), termOf(day), schoolYearOf(day), "09:00", 20, "", "", "", status, ranks.filter((x) => x !== null).length,
      null, null, null, at, status === "draft" ? null : at, status === "shared" ? at : null, null, at, at, null, null,
    ]);
    ranks.forEach((level, i) => {
      levelBatch.push([id, DIMENSIONS[i] ?? "", i + 1, level, districtId, s.school.id, teacher, versionId, day, status === "draft" ? 0 : 1]);
      levelRows++;
    });
    if (obsBatch.length >= 20_000) {
      await flush();
      log(`  ${n + 1} observations loaded (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
  }
  if (obsBatch.length) await flush();
  await loader.close();
  // The rows were loaded beside the service: build the rollups the way a rebuild does.
  await db.transaction().execute((trx) => rebuildMonthlyRollups(trx, districtId));
  const adminToken = `${TOKEN_PREFIX}${randomToken()}`;
  await db.insertInto("api_tokens").values({ id: newId(), person_id: adminId, name: "bench", prefix: adminToken.slice(0, 12), token_hash: sha256(adminToken), created_at: now, last_used_at: null, expires_at: null, revoked_at: null }).execute();
  const meta: Meta = { version: VERSION, rollups: ROLLUPS_VERSION, size, districtId, adminToken, observations: shape.observations, levelRows, firstDate, lastDate };
  await db.insertInto("instance_settings").values({ key: "bench_observations", value: JSON.stringify(meta), updated_at: now }).execute();
  return meta;
}

async function readMeta(db: Kysely<DB>): Promise<Meta | undefined> {
  try {
    const row = await db.selectFrom("instance_settings").select("value").where("key", "=", "bench_observations").executeTakeFirst();
    const meta = row ? (JSON.parse(row.value) as Meta) : undefined;
    return meta?.version === VERSION ? meta : undefined;
  } catch {
    return undefined;
  }
}

const dataDirOf = (size: ObservationsBenchSize) => path.join(tmpdir(), `coachwork-bench-observations-${size}-v${VERSION}`);
const pgNameOf = (size: ObservationsBenchSize) => `cw_bench_observations_${size}_v${VERSION}`;

/** Planner statistics (and on PostgreSQL the visibility map the index-only scans need). */
async function analyze(database: Config["database"], db: Kysely<DB>): Promise<void> {
  if (database.kind === "postgres") {
    // VACUUM cannot run in a transaction.
    const c = new pg.Client({ connectionString: database.url });
    await c.connect();
    await c.query("vacuum analyze");
    await c.end();
  } else {
    await sql`analyze`.execute(db);
  }
}

/** Opens (or generates and caches) the benchmark district on one dialect. */
async function prepare(dialect: Dialect, size: ObservationsBenchSize, log: (m: string) => void): Promise<{ database: Config["database"]; dataDir: string; meta: Meta; generatedMs: number | null }> {
  const dataDir = dataDirOf(size);
  const database = await cachedDatabase(dialect, dataDir, pgNameOf(size));
  const opened = openDatabase(database);
  try {
    await migrateToLatest(opened.db);
    const cached = await readMeta(opened.db);
    if (cached && cached.rollups !== ROLLUPS_VERSION) {
      log(`rebuilding the ${dialect} rollups (their shape changed since the data was generated)…`);
      await opened.db.transaction().execute((trx) => rebuildMonthlyRollups(trx, cached.districtId));
      await analyze(database, opened.db);
      const meta = { ...cached, rollups: ROLLUPS_VERSION };
      await opened.db.updateTable("instance_settings").set({ value: JSON.stringify(meta), updated_at: nowIso() }).where("key", "=", "bench_observations").execute();
      return { database, dataDir, meta, generatedMs: null };
    }
    if (cached) return { database, dataDir, meta: cached, generatedMs: null };
    const hasRows = await opened.db.selectFrom("districts").select("id").limit(1).executeTakeFirst();
    if (hasRows) throw new Error(`The cached ${dialect} benchmark database is incomplete; delete it (${dialect === "sqlite" ? dataDir : `drop database ${pgNameOf(size)}`}) and run again`);
    log(`generating ${SHAPES[size].observations.toLocaleString("en-US")} observations on ${dialect}…`);
    const t0 = performance.now();
    const loader = database.kind === "sqlite" ? sqliteLoader(database.file) : pgLoader(database.url);
    const meta = await generate(opened.db, loader, size, log);
    await analyze(database, opened.db);
    return { database, dataDir, meta, generatedMs: performance.now() - t0 };
  } finally {
    await opened.close();
  }
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] ?? NaN;
export type Summary = { n: number; p50: number; p95: number; max: number };
const summary = (samples: number[]): Summary => {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 0.5), p95: pct(s, 0.95), max: s[s.length - 1] ?? NaN };
};

/** The same aggregations written by hand, run through the bare driver. */
function handWritten(database: Config["database"]) {
  // Over the per-dimension rows: what the endpoints would cost without the monthly rollups.
  const heatRows = (p: (i: number) => string) =>
    `select dimension_key, level, count(*) as n from observation_levels where district_id = ${p(1)} and in_reports = 1 and observed_on >= ${p(2)} and observed_on <= ${p(3)} and level is not null group by dimension_key, level`;
  const growthRows = (p: (i: number) => string) =>
    `select term, highest, observed, count(*) as n from (select o.term, max(l.level) as highest, count(l.level) as observed from observation_levels l join observations o on o.id = l.observation_id where l.district_id = ${p(1)} and l.in_reports = 1 and l.observed_on >= ${p(2)} and l.observed_on <= ${p(3)} group by l.observation_id, o.term) x group by term, highest, observed`;
  // Over the district-wide monthly rollups (school '*') for whole months: the floor of the path the endpoints take.
  const heatRollup = (p: (i: number) => string) =>
    `select dimension_key, level, sum(observations) as n from observation_rollup_cells where district_id = ${p(1)} and school_id = '*' and month >= ${p(2)} and month <= ${p(3)} group by dimension_key, level`;
  const growthRollup = (p: (i: number) => string) =>
    `select term, highest, observed, sum(observations) as n from observation_rollup_profiles where district_id = ${p(1)} and school_id = '*' and month >= ${p(2)} and month <= ${p(3)} group by term, highest, observed`;
  const queries = { heatRows, growthRows, heatRollup, growthRollup };
  type Name = keyof typeof queries;
  if (database.kind === "sqlite") {
    const db = new SQLite(database.file, { readonly: true });
    const stmts = Object.fromEntries(Object.entries(queries).map(([k, q]) => [k, db.prepare(q(() => "?"))])) as Record<Name, SQLite.Statement>;
    return { run: async (name: Name, a: string, b: string, c: string) => void stmts[name].all(a, b, c), close: async () => db.close() };
  }
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  return {
    run: async (name: Name, a: string, b: string, c: string) => void (await pool.query({ name: `bench_${name}`, text: queries[name]((i) => `$${i}`), values: [a, b, c] })),
    close: () => pool.end(),
  };
}

export type ObservationsBenchResult = {
  dialect: Dialect;
  observations: number;
  levelRows: number;
  generatedMs: number | null;
  range: { schoolYearFrom: string; to: string; growthFrom: string };
  api: { heatMapYearToDate: Summary; heatMapLastYear: Summary; growthByTerm: Summary; fullReportYearToDate: Summary };
  sql: { heatRows: Summary; growthRows: Summary; heatRollup: Summary; growthRollup: Summary };
  ratios: { heatMapToRowsSql: number; growthToRowsSql: number; heatMapToRollupSql: number; growthToRollupSql: number };
  meetsTarget: boolean;
};

export const OBSERVATIONS_TARGET_P95_MS = 150;

/** Runs the observation roll-up benchmark on one dialect. */
export async function runObservationsBench(dialect: Dialect, opts: { size: ObservationsBenchSize; requests: number; log: (m: string) => void }): Promise<ObservationsBenchResult> {
  const prepared = await prepare(dialect, opts.size, opts.log);
  const config: Config = {
    env: "production", port: 0, host: "127.0.0.1", database: prepared.database, dataDir: prepared.dataDir,
    secret: "bench-secret-bench-secret-bench-secret-00", publicUrl: null, logLevel: "warn", smtpUrl: null, mailFrom: "bench@localhost", trustProxy: false,
  };
  const database = openDatabase(config.database);
  const { app } = await buildApp({ config, database, logger: { level: "warn" } });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const floor = handWritten(prepared.database);
  try {
    const to = today();
    const schoolYearFrom = `${schoolYearOf(to).slice(0, 4)}-07-01`;
    const lastYearFrom = `${Number(schoolYearFrom.slice(0, 4)) - 1}-07-01`;
    const lastYearTo = `${schoolYearFrom.slice(0, 4)}-06-30`;
    const growthFrom = `${schoolYearOf(prepared.meta.firstDate).slice(0, 4)}-07-01`;
    const get = async (url: string) => {
      const t0 = performance.now();
      const res = await fetch(base + url, { headers: { authorization: `Bearer ${prepared.meta.adminToken}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      return performance.now() - t0;
    };
    const timeMany = async (n: number, f: () => Promise<number>) => {
      for (let i = 0; i < Math.min(5, n); i++) await f(); // warm-up
      const samples: number[] = [];
      for (let i = 0; i < n; i++) samples.push(await f());
      return summary(samples);
    };
    // The queries over the per-dimension rows take seconds at full size: fewer samples of those.
    const timeSql = (name: Parameters<typeof floor.run>[0], a: string, b: string) =>
      timeMany(name.endsWith("Rows") ? Math.max(5, Math.round(opts.requests / 6)) : opts.requests, async () => {
        const t0 = performance.now();
        await floor.run(name, prepared.meta.districtId, a, b);
        return performance.now() - t0;
      });
    const api = {
      heatMapYearToDate: await timeMany(opts.requests, () => get(`/api/v1/observations/rollups/heatmap?scope=district&from=${schoolYearFrom}&to=${to}`)),
      heatMapLastYear: await timeMany(opts.requests, () => get(`/api/v1/observations/rollups/heatmap?scope=district&from=${lastYearFrom}&to=${lastYearTo}`)),
      growthByTerm: await timeMany(opts.requests, () => get(`/api/v1/observations/rollups/growth?scope=district&bucket=term&from=${growthFrom}&to=${to}`)),
      fullReportYearToDate: await timeMany(Math.max(5, Math.round(opts.requests / 6)), () => get(`/api/v1/observations/rollups?scope=district&from=${schoolYearFrom}&to=${to}`)),
    };
    const sqlTimes = {
      heatRows: await timeSql("heatRows", schoolYearFrom, to),
      growthRows: await timeSql("growthRows", growthFrom, to),
      heatRollup: await timeSql("heatRollup", schoolYearFrom.slice(0, 7), to.slice(0, 7)),
      growthRollup: await timeSql("growthRollup", growthFrom.slice(0, 7), to.slice(0, 7)),
    };
    return {
      dialect,
      observations: prepared.meta.observations,
      levelRows: prepared.meta.levelRows,
      generatedMs: prepared.generatedMs,
      range: { schoolYearFrom, to, growthFrom },
      api,
      sql: sqlTimes,
      ratios: {
        heatMapToRowsSql: api.heatMapYearToDate.p95 / sqlTimes.heatRows.p95,
        growthToRowsSql: api.growthByTerm.p95 / sqlTimes.growthRows.p95,
        heatMapToRollupSql: api.heatMapYearToDate.p95 / sqlTimes.heatRollup.p95,
        growthToRollupSql: api.growthByTerm.p95 / sqlTimes.growthRollup.p95,
      },
      meetsTarget: api.heatMapYearToDate.p95 < OBSERVATIONS_TARGET_P95_MS && api.heatMapLastYear.p95 < OBSERVATIONS_TARGET_P95_MS && api.growthByTerm.p95 < OBSERVATIONS_TARGET_P95_MS,
    };
  } finally {
    await floor.close();
    await app.close();
    await database.close();
  }
}

/** Deletes the cached benchmark databases. */
export async function dropObservationsBenchCache(size: ObservationsBenchSize): Promise<void> {
  const dir = dataDirOf(size);
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`drop database if exists ${pgNameOf(size)} with (force)`);
  await admin.end();
}

/** The results as table rows: dialect, what, p50, p95, and the ratio where there is one. */
export function observationsTable(results: readonly ObservationsBenchResult[]): { head: string[]; rows: string[][] } {
  const f = (n: number) => n.toFixed(1);
  const head = ["dialect", "measured", "p50 ms", "p95 ms", "API p95 ÷ SQL p95", `p95 < ${OBSERVATIONS_TARGET_P95_MS}`];
  const rows = results.flatMap((r) => [
    [r.dialect, "GET rollups/heatmap, district, school year to date", f(r.api.heatMapYearToDate.p50), f(r.api.heatMapYearToDate.p95), "", r.api.heatMapYearToDate.p95 < OBSERVATIONS_TARGET_P95_MS ? "yes" : "NO"],
    [r.dialect, "GET rollups/heatmap, district, last school year", f(r.api.heatMapLastYear.p50), f(r.api.heatMapLastYear.p95), "", r.api.heatMapLastYear.p95 < OBSERVATIONS_TARGET_P95_MS ? "yes" : "NO"],
    [r.dialect, "GET rollups/growth, district, by term, all years", f(r.api.growthByTerm.p50), f(r.api.growthByTerm.p95), "", r.api.growthByTerm.p95 < OBSERVATIONS_TARGET_P95_MS ? "yes" : "NO"],
    [r.dialect, "GET rollups (with teacher metrics), district, year to date", f(r.api.fullReportYearToDate.p50), f(r.api.fullReportYearToDate.p95), "", "(no target)"],
    [r.dialect, "SQL: heat map over the per-dimension rows, year to date", f(r.sql.heatRows.p50), f(r.sql.heatRows.p95), r.ratios.heatMapToRowsSql.toFixed(2), ""],
    [r.dialect, "SQL: growth by term over the per-dimension rows", f(r.sql.growthRows.p50), f(r.sql.growthRows.p95), r.ratios.growthToRowsSql.toFixed(2), ""],
    [r.dialect, "SQL: heat map over the monthly rollups, year to date", f(r.sql.heatRollup.p50), f(r.sql.heatRollup.p95), r.ratios.heatMapToRollupSql.toFixed(2), ""],
    [r.dialect, "SQL: growth by term over the monthly rollups", f(r.sql.growthRollup.p50), f(r.sql.growthRollup.p95), r.ratios.growthToRollupSql.toFixed(2), ""],
  ]);
  return { head, rows };
}
