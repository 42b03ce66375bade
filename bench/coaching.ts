// The coaching-log benchmark (issue: coaching log, time allocation and coaching cycles).
//
// A district of 100 coaches × 3 school years (~500,000 entries) on SQLite and PostgreSQL.
// Measures: the district dashboard API (p50/p95, sequential requests, as a person waits for it),
// the same main aggregation as one hand-written SQL query through the bare driver (the floor),
// and logging an entry (POST, server-side time from Fastify's own clock, p50/p99).
import { existsSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { sql, type Kysely } from "kysely";
import pg from "pg";
import { BENCH_PG_ADMIN, cachedDatabase } from "./cached-database.js";
import { buildApp } from "../server/app.js";
import { migrateToLatest, openDatabase, type Dialect } from "../server/db/index.js";
import type { DB } from "../server/db/schema.js";
import type { Config } from "../server/env.js";
import { newId, nowIso, randomToken, sha256 } from "../server/lib.js";
import { TOKEN_PREFIX } from "../server/auth/session-store.js";
import { addDays, monthOf, today, weekOf } from "../server/modules/coaching/calendar.js";
import { termCalendar } from "../shared/terms.js";
import { DEFAULT_CATEGORIES, rebuildRollups } from "../server/modules/coaching/coaching.repository.js";
import { nameColumns } from "../server/modules/people/people.repository.js";
import { mulberry32 } from "./dataset.js";

const VERSION = 2;
const PG_ADMIN = BENCH_PG_ADMIN;

type Shape = { coaches: number; schools: number; teachers: number; days: number; entriesPerCoachDay: number };
const SHAPES = {
  // 100 coaches × ~180 school days × 3 years × ~9.3 entries a day ≈ 500,000 entries.
  full: { coaches: 100, schools: 60, teachers: 3000, days: 3 * 365, entriesPerCoachDay: 9.3 },
  quick: { coaches: 20, schools: 12, teachers: 600, days: 365, entriesPerCoachDay: 6 },
} satisfies Record<string, Shape>;
export type CoachingBenchSize = keyof typeof SHAPES;

type Meta = { version: number; size: CoachingBenchSize; districtId: string; coachId: string; token: string; adminToken: string; entries: number; teacherLinks: number; schoolId: string; categoryId: string };


async function insertChunks<T extends keyof DB & string>(db: Kysely<DB>, table: T, rows: Record<string, unknown>[], chunk: number): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    // Rows are built to match the table exactly; Kysely's per-table insert types are too narrow for a generic helper.
    await db.insertInto(table).values(rows.slice(i, i + chunk) as never).execute();
  }
}

/** Generates the district: schools, coaches, teachers, categories, entries with their teachers. */
async function generate(db: Kysely<DB>, size: CoachingBenchSize): Promise<Meta> {
  const shape: Shape = SHAPES[size];
  const rng = mulberry32(42);
  const now = nowIso();
  const districtId = newId();
  await db.insertInto("districts").values({ id: districtId, name: "Benchmark Unified", timezone: "America/New_York", created_at: now, updated_at: now }).execute();
  const schools = Array.from({ length: shape.schools }, (_, i) => ({
    id: newId(), district_id: districtId, name: `School ${i + 1}`, level: (["elementary", "middle", "high", "other"] as const)[i % 4], code: null, status: "active" as const, created_at: now, updated_at: now,
  }));
  await insertChunks(db, "schools", schools, 500);
  const people: Record<string, unknown>[] = [];
  const roles: Record<string, unknown>[] = [];
  const person = (given: string, family: string) => {
    const id = newId();
    people.push({ id, district_id: districtId, ...nameColumns(given, family), email: `${given}.${family}.${people.length}@bench.example.org`.toLowerCase(), password_hash: null, status: "active", grade_level: null, student_number: null, source_id: null, created_at: now, updated_at: now, deactivated_at: null });
    return id;
  };
  const grant = (personId: string, role: string, schoolId: string | null) =>
    roles.push({ id: newId(), person_id: personId, district_id: districtId, role, school_id: schoolId, created_at: now });
  const adminId = person("Ada", "Admin");
  grant(adminId, "district_admin", null);
  const teachersBySchool = new Map<string, string[]>();
  for (let i = 0; i < shape.teachers; i++) {
    const school = schools[i % schools.length];
    if (!school) continue;
    const id = person(`Teacher${i}`, `Family${i % 97}`);
    grant(id, "teacher", school.id);
    teachersBySchool.set(school.id, [...(teachersBySchool.get(school.id) ?? []), id]);
  }
  const coaches: { id: string; schools: string[] }[] = [];
  for (let i = 0; i < shape.coaches; i++) {
    const id = person(`Coach${i}`, `Family${i % 53}`);
    const mine = [0, 1, 2].slice(0, 2 + (i % 2)).map((k) => schools[(i * 3 + k) % schools.length]?.id ?? "");
    for (const s of mine) grant(id, "coach", s);
    coaches.push({ id, schools: mine });
  }
  await insertChunks(db, "people", people, 1000);
  await insertChunks(db, "role_assignments", roles, 2000);
  const categories = DEFAULT_CATEGORIES.map((c, i) => ({ id: newId(), district_id: districtId, key: c.key, name: c.name, kind: c.kind, sort_order: (i + 1) * 10, status: "active" as const, created_at: now, updated_at: now }));
  await insertChunks(db, "coaching_categories", categories, 100);

  const end = addDays(today(), -1);
  const start = addDays(end, -shape.days);
  let entries = 0;
  let links = 0;
  const batch: Record<string, unknown>[] = [];
  const teacherBatch: Record<string, unknown>[] = [];
  const flush = async () => {
    await db.transaction().execute(async (trx) => {
      await insertChunks(trx, "coaching_entries", batch, 1000);
      await insertChunks(trx, "coaching_entry_teachers", teacherBatch, 2000);
    });
    batch.length = 0;
    teacherBatch.length = 0;
  };
  for (let day = start; day <= end; day = addDays(day, 1)) {
    const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
    const month = Number(day.slice(5, 7));
    if (dow === 0 || dow === 6 || month === 7) continue; // weekends and July off: ~180 school days a year
    const week = weekOf(day);
    const monthKey = monthOf(day);
    const term = termCalendar([]).termOf(day).key;
    for (const coach of coaches) {
      const n = Math.round(shape.entriesPerCoachDay * (0.6 + rng() * 0.8));
      for (let k = 0; k < n; k++) {
        const schoolId = coach.schools[Math.floor(rng() * coach.schools.length)] ?? null;
        const category = categories[Math.floor(rng() * categories.length)];
        if (!category) continue;
        const id = newId();
        batch.push({ id, district_id: districtId, coach_id: coach.id, school_id: schoolId, category_id: category.id, date: day, week, month: monthKey, term, minutes: 15 + Math.floor(rng() * 6) * 15, notes: "", cycle_id: null, link_type: null, link_id: null, client_ref: null, created_at: now, updated_at: now });
        entries++;
        const pool = schoolId ? (teachersBySchool.get(schoolId) ?? []) : [];
        const count = Math.floor(rng() * 3);
        const chosen = new Set<string>();
        for (let t = 0; t < count && pool.length; t++) chosen.add(pool[Math.floor(rng() * pool.length)] ?? "");
        for (const teacherId of chosen) {
          teacherBatch.push({ entry_id: id, person_id: teacherId, district_id: districtId, date: day, coach_id: coach.id, school_id: schoolId, category_id: category.id });
          links++;
        }
      }
    }
    if (batch.length >= 20_000) await flush();
  }
  if (batch.length) await flush();
  // The generator bulk-inserts entries, bypassing the service; build the rollups the way a rebuild does.
  await db.transaction().execute((trx) => rebuildRollups(trx, districtId));

  const coach = coaches[0];
  if (!coach) throw new Error("no coaches generated");
  const token = `${TOKEN_PREFIX}${randomToken()}`;
  const adminToken = `${TOKEN_PREFIX}${randomToken()}`;
  for (const [personId, t] of [[coach.id, token], [adminId, adminToken]] as const) {
    await db.insertInto("api_tokens").values({ id: newId(), person_id: personId, name: "bench", prefix: t.slice(0, 12), token_hash: sha256(t), created_at: now, last_used_at: null, expires_at: null, revoked_at: null }).execute();
  }
  const meta: Meta = { version: VERSION, size, districtId, coachId: coach.id, token, adminToken, entries, teacherLinks: links, schoolId: coach.schools[0] ?? "", categoryId: categories[0]?.id ?? "" };
  await db.insertInto("instance_settings").values({ key: "bench_coaching", value: JSON.stringify(meta), updated_at: now }).execute();
  if (Object.keys(meta).length === 0) throw new Error("unreachable");
  return meta;
}

async function readMeta(db: Kysely<DB>): Promise<Meta | undefined> {
  try {
    const row = await db.selectFrom("instance_settings").select("value").where("key", "=", "bench_coaching").executeTakeFirst();
    const meta = row ? (JSON.parse(row.value) as Meta) : undefined;
    return meta?.version === VERSION ? meta : undefined;
  } catch {
    return undefined;
  }
}

/** Opens (or generates and caches) the benchmark district on one dialect. */
async function prepare(dialect: Dialect, size: CoachingBenchSize): Promise<{ database: Config["database"]; dataDir: string; meta: Meta; generatedMs: number | null }> {
  const dataDir = path.join(tmpdir(), `coachwork-bench-coaching-${size}-v${VERSION}`);
  const database = await cachedDatabase(dialect, dataDir, `cw_bench_coaching_${size}_v${VERSION}`);
  const opened = openDatabase(database);
  try {
    await migrateToLatest(opened.db);
    const cached = await readMeta(opened.db);
    if (cached) return { database, dataDir, meta: cached, generatedMs: null };
    const hasRows = await opened.db.selectFrom("districts").select("id").limit(1).executeTakeFirst();
    if (hasRows) throw new Error(`The cached ${dialect} benchmark database is incomplete; delete it (${dialect === "sqlite" ? dataDir : "drop the database"}) and run again`);
    const t0 = performance.now();
    const meta = await generate(opened.db, size);
    await sql`analyze`.execute(opened.db);
    return { database, dataDir, meta, generatedMs: performance.now() - t0 };
  } finally {
    await opened.close();
  }
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? NaN;
const summary = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 0.5), p95: pct(s, 0.95), p99: pct(s, 0.99), max: s[s.length - 1] ?? NaN };
};

/** The main dashboard aggregation written by hand, run through the bare driver: the floor. */
function handWrittenAggregation(dialect: Dialect, database: Config["database"]) {
  // Straight over the entries, as someone would write it without the rollups.
  const text = (ph: (i: number) => string) =>
    `select week as bucket, category_id, sum(minutes) as minutes, count(*) as entries from coaching_entries where district_id = ${ph(1)} and date >= ${ph(2)} and date <= ${ph(3)} group by week, category_id order by week`;
  if (dialect === "sqlite" && database.kind === "sqlite") {
    const db = new SQLite(database.file, { readonly: true });
    const stmt = db.prepare(text(() => "?"));
    return { run: async (a: string, b: string, c: string) => void stmt.all(a, b, c), close: async () => db.close() };
  }
  if (database.kind !== "postgres") throw new Error("dialect mismatch");
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  return { run: async (a: string, b: string, c: string) => void (await pool.query(text((i) => `$${i}`), [a, b, c])), close: () => pool.end() };
}

export type CoachingBenchResult = {
  dialect: Dialect;
  entries: number;
  teacherLinks: number;
  generatedMs: number | null;
  dashboardYear: ReturnType<typeof summary>;
  dashboardThreeYears: ReturnType<typeof summary>;
  handWrittenYear: ReturnType<typeof summary>;
  ratioYear: number;
  logEntryServer: ReturnType<typeof summary>;
};

/** Runs the coaching benchmark on one dialect. */
export async function runCoachingBench(dialect: Dialect, opts: { size: CoachingBenchSize; requests: number; posts: number }): Promise<CoachingBenchResult> {
  const prepared = await prepare(dialect, opts.size);
  const config: Config = {
    env: "production", port: 0, host: "127.0.0.1", database: prepared.database, dataDir: prepared.dataDir,
    secret: "bench-secret-bench-secret-bench-secret-00", publicUrl: null, logLevel: "warn", smtpUrl: null, mailFrom: "bench@localhost", trustProxy: false,
  };
  const database = openDatabase(config.database);
  const { app } = await buildApp({ config, database, logger: { level: "warn" } });
  const serverTimes: number[] = [];
  app.addHook("onResponse", async (req, reply) => {
    if (req.method === "POST" && req.url === "/api/v1/coaching/entries") serverTimes.push(reply.elapsedTime);
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const floor = handWrittenAggregation(dialect, prepared.database);
  try {
    const to = today();
    const yearFrom = addDays(to, -365);
    const threeFrom = addDays(to, -3 * 365 - 5);
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
    const dashboardYear = await timeMany(opts.requests, () => get(`/api/v1/coaching/dashboard?scope=district&bucket=week&from=${yearFrom}&to=${to}`));
    const dashboardThreeYears = await timeMany(opts.requests, () => get(`/api/v1/coaching/dashboard?scope=district&bucket=month&from=${threeFrom}&to=${to}`));
    const handWrittenYear = await timeMany(opts.requests, async () => {
      const t0 = performance.now();
      await floor.run(prepared.meta.districtId, yearFrom, to);
      return performance.now() - t0;
    });
    // Logging entries: as the coach, on days spread over the past so the 16-hour rule never bites.
    for (let i = 0; i < opts.posts; i++) {
      const res = await fetch(`${base}/api/v1/coaching/entries`, {
        method: "POST",
        headers: { authorization: `Bearer ${prepared.meta.token}`, "content-type": "application/json" },
        body: JSON.stringify({ date: addDays(to, -((i % 300) + 1)), minutes: 1, categoryId: prepared.meta.categoryId, schoolId: prepared.meta.schoolId, notes: "bench", clientRef: `bench-${Date.now()}-${i}` }),
      });
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`POST entry answered ${res.status}`);
    }
    // Remove what we added so reruns measure the same data.
    await database.db.deleteFrom("coaching_entries").where("notes", "=", "bench").where("coach_id", "=", prepared.meta.coachId).execute();
    return {
      dialect,
      entries: prepared.meta.entries,
      teacherLinks: prepared.meta.teacherLinks,
      generatedMs: prepared.generatedMs,
      dashboardYear,
      dashboardThreeYears,
      handWrittenYear,
      ratioYear: dashboardYear.p50 / handWrittenYear.p50,
      logEntryServer: summary(serverTimes),
    };
  } finally {
    await floor.close();
    await app.close();
    await database.close();
  }
}

/** Deletes the cached benchmark databases (for `--fresh`). */
export async function dropCoachingBenchCache(size: CoachingBenchSize): Promise<void> {
  const dir = path.join(tmpdir(), `coachwork-bench-coaching-${size}-v${VERSION}`);
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`drop database if exists cw_bench_coaching_${size}_v${VERSION} with (force)`);
  await admin.end();
}

// Standalone: `tsx bench/coaching.ts [--quick]`
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const quick = process.argv.includes("--quick");
  const size: CoachingBenchSize = quick ? "quick" : "full";
  for (const dialect of ["sqlite", "postgres"] as const) {
    const r = await runCoachingBench(dialect, { size, requests: quick ? 20 : 60, posts: quick ? 100 : 500 });
    const f = (n: number) => n.toFixed(1);
    console.log(
      `${dialect}: ${r.entries} entries (${r.teacherLinks} teacher links)${r.generatedMs === null ? "" : `, generated in ${(r.generatedMs / 1000).toFixed(1)} s`}\n` +
        `  district dashboard, 1 year by week:   p50 ${f(r.dashboardYear.p50)} ms  p95 ${f(r.dashboardYear.p95)} ms\n` +
        `  district dashboard, 3 years by month: p50 ${f(r.dashboardThreeYears.p50)} ms  p95 ${f(r.dashboardThreeYears.p95)} ms\n` +
        `  hand-written aggregation (1 year):    p50 ${f(r.handWrittenYear.p50)} ms  p95 ${f(r.handWrittenYear.p95)} ms  → API/SQL ratio ${r.ratioYear.toFixed(2)}\n` +
        `  log an entry, server time:            p50 ${f(r.logEntryServer.p50)} ms  p99 ${f(r.logEntryServer.p99)} ms`,
    );
  }
}
