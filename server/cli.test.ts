import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import SQLite from "better-sqlite3";
import { sql, type Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import type { SchoolLevel } from "../shared/roles.js";
import type { TMe } from "../shared/schemas/auth.js";
import { createTestDatabase, DIALECTS, type TestDatabase, type TestDialect } from "../tests/helpers/db.js";
import { buildApp } from "./app.js";
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD, GRADES_BY_LEVEL, planCoachingLog, planDemo, type DemoOptions, type DemoPlan } from "./cli/demo-plan.js";
import { openDatabase } from "./db/index.js";
import type { DB } from "./db/schema.js";
import { testConfig } from "../tests/helpers/server.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SMALL_DEMO = ["--schools-per-level", "2", "--students", "200", "--staff", "40"];
const PASSWORD = "a long enough password";

type CliRun = { code: number | null; stdout: string; stderr: string };

/** Runs `coachwork <args>` as a real child process (through tsx) against the test database. */
function coachwork(testDb: TestDatabase | null, args: readonly string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "test" };
  delete env.DATABASE_URL;
  delete env.LOG_LEVEL;
  if (testDb) {
    env.COACHWORK_DATA_DIR = testDb.dataDir;
    if (testDb.database.kind === "postgres") env.DATABASE_URL = testDb.database.url;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "server/cli.ts"), ...args], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Opens the test database the CLI wrote to, for checking what it did. */
async function withDb<T>(testDb: TestDatabase, work: (db: Kysely<DB>) => Promise<T>): Promise<T> {
  const database = openDatabase(testDb.database);
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

async function countRows(db: Kysely<DB>, table: keyof DB): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(rows[0]?.n);
}

async function tableCounts(db: Kysely<DB>) {
  return {
    districts: await countRows(db, "districts"),
    schools: await countRows(db, "schools"),
    people: await countRows(db, "people"),
    roles: await countRows(db, "role_assignments"),
    audit: await countRows(db, "audit_log"),
    helpdeskTickets: await countRows(db, "helpdesk_tickets"),
  };
}

/** The demo coaching log as stored: entries, cycles, steps, and the rollups' total against the entries'. */
async function coachingCounts(db: Kysely<DB>) {
  const sum = async (table: "coaching_entries" | "coaching_rollup_weekly") => {
    const { rows } = await sql<{ m: number | null }>`select sum(minutes) as m from ${sql.table(table)}`.execute(db);
    return Number(rows[0]?.m ?? 0);
  };
  return {
    entries: await countRows(db, "coaching_entries"),
    entryTeachers: await countRows(db, "coaching_entry_teachers"),
    cycles: await countRows(db, "coaching_cycles"),
    steps: await countRows(db, "coaching_cycle_steps"),
    minutes: await sum("coaching_entries"),
    rollupMinutes: await sum("coaching_rollup_weekly"),
  };
}

const utcToday = () => new Date().toISOString().slice(0, 10);

/** Signs in through the real app (HTTP handler, in-process) against the database the CLI made. */
async function signIn(testDb: TestDatabase, email: string, password: string): Promise<{ status: number; me: TMe | null }> {
  const config = testConfig(testDb);
  const database = openDatabase(testDb.database);
  const { app } = await buildApp({ config, database, logger: { level: "silent" } });
  try {
    const res = await app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password } });
    return { status: res.statusCode, me: res.statusCode === 200 ? (res.json() as TMe) : null };
  } finally {
    await app.close();
    await database.close();
  }
}

// Every case starts a real process through tsx, which a busy machine makes slow: generous timeouts.
describe("coachwork CLI: arguments", { timeout: 90_000 }, () => {
  it("prints the usage for --help and exits 0", async () => {
    const run = await coachwork(null, ["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: coachwork <command>");
    expect(run.stdout).toContain("backup FILE");
  });

  it("exits 2 with a message naming the problem, before touching any database", async () => {
    const cases: { args: string[]; says: string }[] = [
      { args: [], says: "no command given" },
      { args: ["frobnicate"], says: 'unknown command "frobnicate"' },
      { args: ["demo", "--bogus"], says: "unknown flag --bogus" },
      { args: ["demo", "--students", "lots"], says: "--students must be a whole number" },
      { args: ["demo", "--schools-per-level", "0"], says: "--schools-per-level must be a whole number from 1" },
      { args: ["admin", "create", "--email", "not-an-email", "--password", PASSWORD, "--name", "Ada Lovelace"], says: "--email" },
      { args: ["admin", "create", "--email", "ada@example.org", "--password", "short", "--name", "Ada Lovelace"], says: "--password" },
      { args: ["admin", "create", "--email", "ada@example.org", "--password", PASSWORD, "--name", "Ada"], says: "--name" },
      { args: ["admin", "create", "--password", PASSWORD, "--name", "Ada Lovelace"], says: "--email is required" },
      { args: ["admin", "create", "--email", "--password", PASSWORD], says: "--email needs a value" },
      { args: ["admin", "remove"], says: 'unknown subcommand "admin remove"' },
      { args: ["backup"], says: "backup needs the FILE" },
      { args: ["backup", "out.db", "--force=yes"], says: "--force takes no value" },
    ];
    const testDb = await createTestDatabase("sqlite");
    try {
      const runs = await Promise.all(cases.map((c) => coachwork(testDb, c.args)));
      runs.forEach((run, i) => {
        const c = cases[i];
        expect({ args: c?.args, code: run.code }).toEqual({ args: c?.args, code: 2 });
        expect(run.stderr).toContain(c?.says);
      });
      expect(existsSync(path.join(testDb.dataDir, "coachwork.db"))).toBe(false);
    } finally {
      await testDb.drop();
    }
  });
});

describe("demo plan", () => {
  const opts: DemoOptions = { schoolsPerLevel: 3, students: 400, staff: 60, seed: 7 };

  it("is deterministic, and person n is the same person whatever the sizes", () => {
    expect(planDemo(opts)).toEqual(planDemo(opts));
    expect(planDemo({ ...opts, seed: 8 }).people.map((p) => p.email)).not.toEqual(planDemo(opts).people.map((p) => p.email));
    const students = (o: DemoOptions) => planDemo(o).people.filter((p) => p.sourceId.startsWith("demo:student:"));
    expect(students({ ...opts, students: 1000 }).slice(0, 400)).toEqual(students(opts));
  });

  it("gives unique emails and student numbers, grades that match the school, and 2–4 schools per coach", () => {
    const plan = planDemo(opts);
    const levelOf = new Map(plan.schools.map((s) => [s.name, s.level]));
    expect(plan.schools).toHaveLength(12);
    expect(new Set(plan.people.map((p) => p.email)).size).toBe(plan.people.length);
    const studentNumbers = plan.people.flatMap((p) => (p.studentNumber === null ? [] : [p.studentNumber]));
    expect(studentNumbers).toHaveLength(400);
    expect(new Set(studentNumbers).size).toBe(400);
    for (const p of plan.people) {
      const studentAt = p.roles.find((r) => r.role === "student")?.school;
      if (studentAt) {
        const level = levelOf.get(studentAt) as SchoolLevel;
        expect(GRADES_BY_LEVEL[level]).toContain(p.gradeLevel);
        expect(p.email).toBe(`s${p.studentNumber}@students.maplevalley.example.org`);
      } else {
        expect(p.email).toMatch(/^[a-z0-9]+\.[a-z0-9]+\d*@maplevalley\.example\.org$|^admin@/);
      }
      const coachSchools = p.roles.filter((r) => r.role === "coach");
      if (coachSchools.length > 0) expect(coachSchools.length).toBeGreaterThanOrEqual(2);
      expect(coachSchools.length).toBeLessThanOrEqual(4);
    }
    expect(plan.people.filter((p) => p.account !== null).map((p) => p.account).sort()).toEqual(["admin", "assistant", "coach", "it", "principal", "student", "teacher"]);
  });

  /** The coaching plan's input as the loader builds it from the database, here straight from the plan. */
  const coachingInput = (plan: DemoPlan, today: string) => {
    const teachersBySchool = new Map<string, string[]>();
    for (const p of plan.people) {
      for (const r of p.roles) if (r.role === "teacher" && r.school) teachersBySchool.set(r.school, [...(teachersBySchool.get(r.school) ?? []), p.sourceId]);
    }
    const coaches = plan.people
      .filter((p) => p.roles.some((r) => r.role === "coach"))
      .map((p) => ({ sourceId: p.sourceId, schools: p.roles.flatMap((r) => (r.school ? [r.school] : [])).sort() }));
    const featuredTeacher = plan.people.find((p) => p.account === "teacher")?.sourceId ?? null;
    return { seed: opts.seed, today, coaches, teachersBySchool, featuredTeacher };
  };

  it("plans a coaching log on school days, support-heavy for the first weeks, then mostly coaching", () => {
    const plan = planDemo(opts);
    const log = planCoachingLog(coachingInput(plan, "2026-11-28"));
    expect(planCoachingLog(coachingInput(plan, "2026-11-28"))).toEqual(log);
    expect(log.entries.length).toBeGreaterThan(500);
    expect(new Set(log.entries.map((e) => e.ref)).size).toBe(log.entries.length);

    const perDay = new Map<string, { entries: number; minutes: number }>();
    for (const e of log.entries) {
      expect(e.date >= "2026-07-01" && e.date < "2026-11-28").toBe(true);
      expect([0, 6]).not.toContain(new Date(`${e.date}T00:00:00Z`).getUTCDay());
      expect(e.ref.startsWith("demo:")).toBe(true);
      const day = perDay.get(`${e.coach}|${e.date}`) ?? { entries: 0, minutes: 0 };
      day.entries++;
      day.minutes += e.minutes;
      perDay.set(`${e.coach}|${e.date}`, day);
    }
    for (const day of perDay.values()) {
      expect(day.entries).toBeGreaterThanOrEqual(5);
      expect(day.entries).toBeLessThanOrEqual(9);
      expect(day.minutes).toBeLessThanOrEqual(960);
    }
    // Seed 002: the first weeks of school are support; by November it is mostly coaching.
    const support = new Set(["tech_support", "tech_administration", "tech_literacy"]);
    const supportShare = (from: string, to: string) => {
      const inRange = log.entries.filter((e) => e.date >= from && e.date <= to);
      return inRange.filter((e) => support.has(e.category)).reduce((m, e) => m + e.minutes, 0) / inRange.reduce((m, e) => m + e.minutes, 0);
    };
    expect(supportShare("2026-08-03", "2026-09-04")).toBeGreaterThan(0.8);
    expect(supportShare("2026-10-26", "2026-11-27")).toBeLessThan(0.25);
    // No school on Labor Day or Thanksgiving.
    expect(log.entries.some((e) => e.date === "2026-09-07" || e.date === "2026-11-26")).toBe(false);

    // Cycles: steps in order, in the past, some entries attached; the demo teacher is in one.
    expect(log.cycles.length).toBeGreaterThan(0);
    for (const c of log.cycles) {
      expect(c.steps.map((st) => st.date)).toEqual([...c.steps.map((st) => st.date)].sort());
      expect(c.steps.every((st) => st.date < "2026-11-28")).toBe(true);
      expect(c.teachers.length).toBeGreaterThan(0);
    }
    expect(log.entries.filter((e) => e.cycle !== null).length).toBeGreaterThan(0);
    const teacher = plan.people.find((p) => p.account === "teacher")?.sourceId;
    expect(log.cycles.some((c) => teacher !== undefined && c.teachers.includes(teacher))).toBe(true);
    // Cycles fit their school's level (no fraction stations at a high school), differ between
    // schools, and entries logged to a cycle are about its topic.
    const levelOf = new Map(plan.schools.map((sc) => [sc.name, sc.level]));
    expect(log.cycles.filter((c) => c.title === "Fractions stations" && levelOf.get(c.school) === "high")).toEqual([]);
    expect(log.cycles.filter((c) => c.title === "Reading response portfolios" && levelOf.get(c.school) === "high")).toEqual([]);
    expect(new Set(log.cycles.map((c) => c.title)).size).toBeGreaterThanOrEqual(3);
    const titleOf = new Map(log.cycles.map((c) => [c.key, c.title]));
    for (const e of log.entries.filter((x) => x.cycle !== null)) expect(e.notes.startsWith(`${titleOf.get(e.cycle ?? "")}:`)).toBe(true);
  });

  it("adds only the days since when it runs again later", () => {
    const plan = planDemo(opts);
    const earlier = planCoachingLog(coachingInput(plan, "2026-10-01")).entries;
    const later = planCoachingLog(coachingInput(plan, "2026-11-28")).entries;
    const byRef = new Map(later.map((e) => [e.ref, e]));
    for (const e of earlier) expect(byRef.get(e.ref)).toEqual(e);
    expect(planCoachingLog(coachingInput(plan, "2026-07-15")).entries).toEqual([]);
  });
});

for (const dialect of DIALECTS) {
  describe(`coachwork CLI (${dialect})`, { timeout: 90_000 }, () => {
    let testDb: TestDatabase;
    const freshDatabase = async (d: TestDialect) => {
      testDb = await createTestDatabase(d);
      return testDb;
    };
    afterEach(async () => testDb.drop());

    it("migrate applies every migration once, then reports the schema up to date", async () => {
      await freshDatabase(dialect);
      const first = await coachwork(testDb, ["migrate"]);
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/Applied \d+ migrations?:\n {2}20261128000000_foundation/);
      const second = await coachwork(testDb, ["migrate"]);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain("The schema is up to date");
      expect(await withDb(testDb, (db) => countRows(db, "districts"))).toBe(0);
    });

    it("admin create makes a district and an admin who can sign in; re-running resets the password", async () => {
      await freshDatabase(dialect);
      const created = await coachwork(testDb, [
        "admin", "create", "--email", "Ada.Lovelace@Example.org", "--password", PASSWORD, "--name", "Ada King Lovelace", "--district", "Test Unified",
      ]);
      expect(created.stderr).toBe("");
      expect(created.code).toBe(0);
      expect(created.stdout).toContain('Created the district "Test Unified"');

      const signedIn = await signIn(testDb, "ada.lovelace@example.org", PASSWORD);
      expect(signedIn.status).toBe(200);
      expect(signedIn.me?.district.name).toBe("Test Unified");
      expect(signedIn.me?.person).toMatchObject({ givenName: "Ada King", familyName: "Lovelace" });
      expect(signedIn.me?.person.roles.map((r) => r.role)).toEqual(["district_admin"]);

      const reset = await coachwork(testDb, [
        "admin", "create", "--email", "ada.lovelace@example.org", "--password", "another long password", "--name", "Ada Lovelace",
      ]);
      expect(reset.code).toBe(0);
      expect(reset.stdout).toContain("already had an account");
      expect((await signIn(testDb, "ada.lovelace@example.org", PASSWORD)).status).toBe(401);
      expect((await signIn(testDb, "ada.lovelace@example.org", "another long password")).status).toBe(200);

      // The demo refuses a district someone set up, saying how to proceed, and changes nothing...
      const before = await withDb(testDb, tableCounts);
      const refused = await coachwork(testDb, ["demo", ...SMALL_DEMO]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('the database already holds the district "Test Unified", which is not the demo district');
      expect(refused.stderr).toContain("--into-existing");
      expect(await withDb(testDb, tableCounts)).toEqual(before);
      // ...and with --into-existing joins it rather than making a second one.
      const demo = await coachwork(testDb, ["demo", ...SMALL_DEMO, "--into-existing"]);
      expect(demo.code).toBe(0);
      expect(demo.stdout).toContain('Demo data in "Test Unified"');
      const counts = await withDb(testDb, tableCounts);
      expect(counts).toMatchObject({ districts: 1, schools: 8, people: 1 + 1 + 40 + 200 });
    });

    it("demo loads a realistic district, its demo accounts sign in, and a second run changes nothing", async () => {
      await freshDatabase(dialect);
      const startedOn = utcToday();
      const first = await coachwork(testDb, ["demo", ...SMALL_DEMO]);
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('Created "Maple Valley Unified School District"');
      expect(first.stdout).toContain(`DEMO credentials`);
      expect(first.stdout).toContain(`password "${DEMO_PASSWORD}"`);
      expect(first.stdout).toContain(DEMO_ADMIN_EMAIL);

      const before = await withDb(testDb, tableCounts);
      expect(before).toMatchObject({ districts: 1, schools: 8, people: 241 });
      // Every person has a role, students one or two (student techs), teachers one or two, coaches 2–4.
      expect(before.roles).toBeGreaterThanOrEqual(241);
      expect(before.roles).toBeLessThan(241 + 100);

      const details = await withDb(testDb, async (db) => ({
        studentGrades: await db
          .selectFrom("people as p")
          .innerJoin("role_assignments as ra", "ra.person_id", "p.id")
          .innerJoin("schools as s", "s.id", "ra.school_id")
          .select(["s.level", "p.grade_level", "p.email", "p.student_number"])
          .where("ra.role", "=", "student")
          .execute(),
        coachGrants: await db
          .selectFrom("role_assignments")
          .select(["person_id", (eb) => eb.fn.countAll<number>().as("n")])
          .where("role", "=", "coach")
          .groupBy("person_id")
          .execute(),
        schoolsWithoutLeader: await db
          .selectFrom("schools as s")
          .select("s.name")
          .where((eb) =>
            eb.not(eb.exists(eb.selectFrom("role_assignments as ra").select("ra.id").whereRef("ra.school_id", "=", "s.id").where("ra.role", "=", "school_leader"))),
          )
          .execute(),
        demoPeople: await countDemoPeople(db),
      }));
      expect(details.studentGrades).toHaveLength(200);
      for (const s of details.studentGrades) {
        expect(GRADES_BY_LEVEL[s.level]).toContain(s.grade_level);
        expect(s.email).toBe(`s${s.student_number}@students.maplevalley.example.org`);
      }
      expect(details.coachGrants.length).toBeGreaterThan(0);
      for (const c of details.coachGrants) expect(Number(c.n)).toBeGreaterThanOrEqual(2);
      for (const c of details.coachGrants) expect(Number(c.n)).toBeLessThanOrEqual(4);
      expect(details.schoolsWithoutLeader).toEqual([]);
      expect(details.demoPeople).toBe(241);

      for (const label of ["admin", "coach", "principal", "teacher", "it", "student", "assistant"]) {
        const email = new RegExp(`^ {2}${label} +(\\S+@(?:students\\.)?maplevalley\\.example\\.org)`, "m").exec(first.stdout)?.[1] ?? "";
        const signedIn = await signIn(testDb, email, DEMO_PASSWORD);
        expect({ label, status: signedIn.status }).toEqual({ label, status: 200 });
      }
      // The demo student has a help desk ticket to follow; the demo assistant works that school's desk.
      const accountEmail = (label: string) => new RegExp(`^ {2}${label} +(\\S+)`, "m").exec(first.stdout)?.[1] ?? "";
      const deskAccounts = await withDb(testDb, async (db) => ({
        tickets: await db.selectFrom("helpdesk_tickets as t").innerJoin("people as p", "p.id", "t.requester_id").select(["t.school_id"]).where("p.email", "=", accountEmail("student")).execute(),
        techSchools: await db.selectFrom("role_assignments as ra").innerJoin("people as p", "p.id", "ra.person_id").select("ra.school_id").where("p.email", "=", accountEmail("assistant")).where("ra.role", "=", "student_tech").execute(),
      }));
      expect(deskAccounts.tickets.length).toBeGreaterThan(0);
      expect(deskAccounts.techSchools.map((r) => r.school_id)).toEqual([deskAccounts.tickets[0]?.school_id]);

      // The coaching log: as many entries as the run reported, the rollups rebuilt to match them.
      const planned = Number(/^ {2}log +(\d+)/m.exec(first.stdout)?.[1]);
      const coaching = await withDb(testDb, coachingCounts);
      expect(coaching.entries).toBe(planned);
      expect(coaching.rollupMinutes).toBe(coaching.minutes);
      if (planned > 0) expect(coaching.cycles).toBeGreaterThan(0);

      // The help desk is alive: tickets in every state, ratings, and an escalation on the punch list.
      const desk = await withDb(testDb, async (db) => ({
        statuses: (await db.selectFrom("helpdesk_tickets").select("status").execute()).map((t) => t.status).sort(),
        rated: (await db.selectFrom("helpdesk_tickets").select("id").where("rating", "is not", null).execute()).length,
        escalated: await db.selectFrom("helpdesk_tickets as t").innerJoin("helpdesk_departments as d", "d.id", "t.department_id").select(["d.name", "t.escalation_due_on", "t.escalation_note"]).where("t.status", "=", "escalated").execute(),
        replies: (await db.selectFrom("helpdesk_messages").select("id").execute()).length,
      }));
      expect(new Set(desk.statuses)).toEqual(new Set(["new", "in_progress", "waiting", "escalated", "resolved", "closed"]));
      expect(desk.rated).toBe(2);
      expect(desk.escalated).toEqual([{ name: "Facilities", escalation_due_on: expect.any(String), escalation_note: expect.stringContaining("breaker 14") }]);
      expect(desk.replies).toBeGreaterThan(0);

      // Chats: seed 004's district chat and seed 000's public weekly chat, scheduled with their
      // questions, and the public chat's members-only group with a thread and a reply.
      const chats = await withDb(testDb, async (db) => ({
        series: (await db.selectFrom("chat_series").select(["hashtag", "audience"]).execute()).sort((a, b) => a.hashtag.localeCompare(b.hashtag, "en")),
        events: (await db.selectFrom("chat_events").select("id").execute()).length,
        questions: (await db.selectFrom("chat_questions").select("id").execute()).length,
        groupMessages: await db.selectFrom("chat_group_messages").select(["title", "thread_id"]).execute(),
      }));
      expect(chats.series).toEqual([
        { hashtag: "#iiCHAT", audience: "public" },
        { hashtag: "#MVTechChat", audience: "district" },
      ]);
      expect(chats.events).toBeGreaterThanOrEqual(2);
      expect(chats.questions).toBeGreaterThanOrEqual(chats.events * 4);
      expect(chats.groupMessages).toHaveLength(2);

      // Signing in wrote sessions and audit entries; from here on, nothing may change.
      const settled = await withDb(testDb, tableCounts);
      const second = await coachwork(testDb, ["demo", ...SMALL_DEMO]);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain("already there");
      expect(await withDb(testDb, tableCounts)).toEqual(settled);
      // A run on a later day adds that day's log; on the same day it adds nothing.
      if (utcToday() === startedOn) expect(await withDb(testDb, coachingCounts)).toEqual(coaching);
    });

    if (dialect === "sqlite") {
      it("backup writes a copy that opens and holds the people, and will not overwrite without --force", async () => {
        await freshDatabase(dialect);
        expect((await coachwork(testDb, ["demo", ...SMALL_DEMO])).code).toBe(0);
        const file = path.join(testDb.dataDir, "backup.db");

        const backup = await coachwork(testDb, ["backup", file]);
        expect(backup.stderr).toBe("");
        expect(backup.code).toBe(0);
        expect(backup.stdout).toMatch(/\(\d+(\.\d)? (B|KiB|MiB)\)/);
        expect(statSync(file).size).toBeGreaterThan(0);
        const copy = new SQLite(file, { readonly: true });
        try {
          const row = copy.prepare("select count(*) as n from people").get() as { n: number };
          expect(row.n).toBe(241);
        } finally {
          copy.close();
        }

        const refused = await coachwork(testDb, ["backup", file]);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain("--force");
        const forced = await coachwork(testDb, ["backup", file, "--force"]);
        expect(forced.code).toBe(0);
        expect(existsSync(`${file}.partial`)).toBe(false);
      });
    } else {
      it("backup points to pg_dump and exits 1", async () => {
        await freshDatabase(dialect);
        const run = await coachwork(testDb, ["backup", path.join(testDb.dataDir, "backup.db")]);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('pg_dump "$DATABASE_URL"');
      });
    }
  });
}

async function countDemoPeople(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom("people")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("source_id", "like", "demo:%")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
