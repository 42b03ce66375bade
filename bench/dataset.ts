import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql, type Insertable, type Kysely } from "kysely";
import pg from "pg";
import type { Role, SchoolLevel } from "../shared/roles.js";
import { migrateToLatest, openDatabase, type Dialect } from "../server/db/index.js";
import { migrations } from "../server/db/migrations/index.js";
import type { DB, PeopleTable, RoleAssignmentsTable, SchoolsTable } from "../server/db/schema.js";
import type { Config } from "../server/env.js";
import { fold, newId, nowIso, randomToken, sha256 } from "../server/lib.js";
import { nameColumns } from "../server/modules/people/people.repository.js";
import { TOKEN_PREFIX } from "../server/auth/session-store.js";
import { FAMILY_NAMES, GIVEN_NAMES, PLACE_NAMES } from "./names.js";

/** Bump when the generator changes, so cached databases are rebuilt rather than silently reused. */
export const DATASET_VERSION = 1;

export type DatasetSize = "full" | "quick";

type Shape = { people: number; schools: number; staff: number };
const SHAPES: Record<DatasetSize, Shape> = {
  full: { people: 200_000, schools: 200, staff: 12_000 },
  quick: { people: 20_000, schools: 40, staff: 1_200 },
};

/** The PostgreSQL server the benchmark creates its database on (same default as the tests). */
export const BENCH_PG_ADMIN_URL =
  process.env.BENCH_DATABASE_ADMIN_URL ?? process.env.TEST_DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** What the benchmark needs to know about a generated directory; stored in instance_settings. */
export type DatasetMeta = {
  version: number;
  /** Which migrations built the schema: a cache made before a migration was added (or renamed) is rebuilt. */
  schema: string;
  size: DatasetSize;
  districtId: string;
  adminId: string;
  /** A district admin's personal API token (`cwk_…`), for `Authorization: Bearer`. */
  token: string;
  people: number;
  students: number;
  staff: number;
  schools: number;
  roleAssignments: number;
};

export type BenchDataset = {
  dialect: Dialect;
  database: Config["database"];
  /** A directory the server may use as COACHWORK_DATA_DIR (holds coachwork.db on SQLite). */
  dataDir: string;
  meta: DatasetMeta;
  /** How long generation took, or null when a cached database was reused. */
  generatedMs: number | null;
};

const META_KEY = "bench_dataset";

const schemaKey = (): string => sha256(Object.keys(migrations).sort().join("\n")).slice(0, 12);

// ---------------------------------------------------------------------------------------------
// Deterministic randomness: the same seed gives the same names and school sizes on both dialects.

type Rng = () => number;

/** A seeded generator (mulberry32): the same sequence on every run. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const randInt = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));

function pickFrom<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error("pickFrom: empty list");
  return item;
}

/** Picks by rank with weight 1/(rank+offset): a long but realistic head of common names. */
function zipfPicker(items: readonly string[], offset: number): (rng: Rng) => string {
  const cumulative: number[] = [];
  let sum = 0;
  items.forEach((_, rank) => {
    sum += 1 / (rank + offset);
    cumulative.push(sum);
  });
  return (rng) => {
    const x = rng() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return items[lo] ?? items[0] ?? "";
  };
}

const pickGiven = zipfPicker(GIVEN_NAMES, 8);
const pickFamily = zipfPicker(FAMILY_NAMES, 8);

// ---------------------------------------------------------------------------------------------
// The district's shape.

type PlannedSchool = { id: string; name: string; level: SchoolLevel; code: string; students: number };

const DIRECTIONS: readonly string[] = ["", "", "", "North ", "South ", "East ", "West "];

const LEVEL_MIX: readonly { level: SchoolLevel; share: number; weight: number; suffix: string; grades: readonly string[] }[] = [
  { level: "elementary", share: 0.65, weight: 1.0, suffix: "Elementary", grades: ["K", "1", "2", "3", "4", "5"] },
  { level: "middle", share: 0.2, weight: 1.8, suffix: "Middle School", grades: ["6", "7", "8"] },
  { level: "high", share: 0.125, weight: 4.0, suffix: "High School", grades: ["9", "10", "11", "12"] },
  { level: "other", share: 0.025, weight: 0.6, suffix: "Academy", grades: ["9", "10", "11", "12"] },
];

function levelInfo(level: SchoolLevel) {
  const info = LEVEL_MIX.find((l) => l.level === level);
  if (!info) throw new Error(`unknown level ${level}`);
  return info;
}

function planSchools(rng: Rng, shape: Shape, students: number): PlannedSchool[] {
  const levels: SchoolLevel[] = [];
  for (const l of LEVEL_MIX) {
    const n = Math.max(1, Math.round(shape.schools * l.share));
    for (let i = 0; i < n; i++) levels.push(l.level);
  }
  while (levels.length > shape.schools) levels.shift();
  while (levels.length < shape.schools) levels.push("elementary");
  const weights = levels.map((level) => levelInfo(level).weight * (0.6 + rng() * 0.8));
  const total = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((students * w) / total));
  // Hand the rounding remainder to the first schools so the total is exact.
  let remainder = students - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; remainder > 0; i = (i + 1) % counts.length, remainder--) counts[i] = (counts[i] ?? 0) + 1;
  const usedNames = new Set<string>();
  const schoolName = (level: SchoolLevel) => `${pickFrom(rng, DIRECTIONS)}${pickFrom(rng, PLACE_NAMES)} ${levelInfo(level).suffix}`;
  return levels.map((level, i) => {
    let name = schoolName(level);
    for (let n = 2; usedNames.has(name); n++) name = n < 20 ? schoolName(level) : `${schoolName(level)} ${n}`;
    usedNames.add(name);
    return { id: newId(), name, level, code: `${level[0]?.toUpperCase() ?? "S"}${String(i + 1).padStart(3, "0")}`, students: counts[i] ?? 0 };
  });
}

const slug = (s: string): string => fold(s).replace(/[^a-z0-9]/g, "");

const YEARS_MS = 3 * 365 * 86_400_000;
const EPOCH = Date.parse("2023-08-01T00:00:00.000Z");

// ---------------------------------------------------------------------------------------------
// Writing it, in multi-row inserts inside one transaction.

type PersonInsert = Insertable<PeopleTable>;
type RoleInsert = Insertable<RoleAssignmentsTable>;

// 1,000 people × 16 columns stays under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
const PEOPLE_PER_INSERT = 1000;
const ROLES_PER_INSERT = 2000;

class Writer {
  people: PersonInsert[] = [];
  roles: RoleInsert[] = [];
  totalPeople = 0;
  totalRoles = 0;
  private readonly emails = new Set<string>();
  private readonly rng: Rng;
  private readonly districtId: string;

  constructor(
    private readonly db: Kysely<DB>,
    districtId: string,
    rng: Rng,
  ) {
    this.districtId = districtId;
    this.rng = rng;
  }

  uniqueEmail(base: string, domain: string, alwaysNumber: boolean): string {
    let n = alwaysNumber ? randInt(this.rng, 10, 99) : 0;
    let email = `${base}${n || ""}@${domain}`;
    while (this.emails.has(email)) {
      n = n ? n + 1 : 2;
      email = `${base}${n}@${domain}`;
    }
    this.emails.add(email);
    return email;
  }

  async addPerson(p: {
    givenName: string;
    familyName: string;
    email: string | null;
    hasPassword: boolean;
    gradeLevel: string | null;
    studentNumber: string | null;
    roles: readonly { role: Role; schoolId: string | null }[];
    id?: string;
  }): Promise<string> {
    const id = p.id ?? newId();
    const created = new Date(EPOCH + Math.floor(this.rng() * YEARS_MS));
    const createdAt = created.toISOString();
    this.people.push({
      id,
      district_id: this.districtId,
      ...nameColumns(p.givenName, p.familyName),
      email: p.email,
      // Not a usable hash; the directory only reports whether one is set.
      password_hash: p.hasPassword ? "$argon2id$v=19$m=19456,t=2,p=1$bench$bench" : null,
      status: this.rng() < 0.02 ? "inactive" : "active",
      grade_level: p.gradeLevel,
      student_number: p.studentNumber,
      source_id: null,
      created_at: createdAt,
      updated_at: createdAt,
      deactivated_at: null,
    });
    p.roles.forEach((r, i) => {
      // Distinct created_at per grant so `order by created_at` is the same on every run and dialect.
      this.roles.push({
        id: newId(),
        person_id: id,
        district_id: this.districtId,
        role: r.role,
        school_id: r.schoolId,
        created_at: new Date(created.getTime() + i * 1000).toISOString(),
      });
    });
    if (this.people.length >= PEOPLE_PER_INSERT) await this.flush();
    return id;
  }

  async flush(): Promise<void> {
    if (this.people.length > 0) {
      await this.db.insertInto("people").values(this.people).execute();
      this.totalPeople += this.people.length;
      this.people = [];
    }
    for (let i = 0; i < this.roles.length; i += ROLES_PER_INSERT) {
      await this.db
        .insertInto("role_assignments")
        .values(this.roles.slice(i, i + ROLES_PER_INSERT))
        .execute();
    }
    this.totalRoles += this.roles.length;
    this.roles = [];
  }
}

/** Fills an empty, migrated database with the benchmark district. */
async function populate(db: Kysely<DB>, size: DatasetSize): Promise<DatasetMeta> {
  const shape = SHAPES[size];
  const rng = mulberry32(20261128);
  const now = nowIso();
  const districtId = newId();
  const adminId = newId();
  const token = `${TOKEN_PREFIX}${randomToken()}`;

  // District-level and multi-school staff first; teachers fill the rest of the staff budget.
  const admins = 3;
  const districtCoaches = 5;
  const districtIt = 3;
  const coaches = Math.round(shape.schools / 2);
  const itStaff = Math.round(shape.schools / 3);
  const students = shape.people - shape.staff;
  const schools = planSchools(rng, shape, students);
  const leaders = schools.reduce((n, s) => n + (s.level === "high" ? 3 : 2), 0);
  const teachers = shape.staff - admins - districtCoaches - districtIt - coaches - itStaff - leaders;
  if (teachers <= 0) throw new Error("dataset shape leaves no teachers");

  const meta = await db.transaction().execute(async (trx) => {
    await trx.insertInto("districts").values({ id: districtId, name: "Benchmark Unified School District", timezone: "America/Chicago", created_at: now, updated_at: now }).execute();
    const schoolRows: Insertable<SchoolsTable>[] = schools.map((s) => ({
      id: s.id,
      district_id: districtId,
      name: s.name,
      level: s.level,
      code: s.code,
      status: "active",
      created_at: now,
      updated_at: now,
    }));
    await trx.insertInto("schools").values(schoolRows).execute();

    const w = new Writer(trx, districtId, rng);
    const staffEmail = (given: string, family: string) => w.uniqueEmail(`${slug(given)}.${slug(family)}`, "district.example.org", false);
    const staff = async (roles: { role: Role; schoolId: string | null }[], given = pickGiven(rng), family = pickFamily(rng)) =>
      w.addPerson({ givenName: given, familyName: family, email: staffEmail(given, family), hasPassword: rng() < 0.3, gradeLevel: null, studentNumber: null, roles });
    const someSchools = (n: number, level?: SchoolLevel) => {
      const pool = level ? schools.filter((s) => s.level === level) : schools;
      const picked = new Set<string>();
      while (picked.size < Math.min(n, pool.length)) picked.add(pickFrom(rng, pool).id);
      return [...picked];
    };

    await w.addPerson({
      id: adminId,
      givenName: "Avery",
      familyName: "Benchmark",
      email: "avery.benchmark@district.example.org",
      hasPassword: true,
      gradeLevel: null,
      studentNumber: null,
      roles: [{ role: "district_admin", schoolId: null }],
    });
    for (let i = 1; i < admins; i++) await staff([{ role: "district_admin", schoolId: null }]);
    for (let i = 0; i < districtCoaches; i++) await staff([{ role: "coach", schoolId: null }]);
    for (let i = 0; i < districtIt; i++) await staff([{ role: "it_staff", schoolId: null }]);
    for (let i = 0; i < coaches; i++) await staff(someSchools(randInt(rng, 1, 3)).map((schoolId) => ({ role: "coach", schoolId })));
    for (let i = 0; i < itStaff; i++) await staff(someSchools(3).map((schoolId) => ({ role: "it_staff", schoolId })));
    for (const s of schools) {
      for (let i = 0; i < (s.level === "high" ? 3 : 2); i++) await staff([{ role: "school_leader", schoolId: s.id }]);
    }
    // Teachers in proportion to enrolment; one in ten also teaches at a second school of the same level.
    let teachersLeft = teachers;
    for (const [i, s] of schools.entries()) {
      const n = i === schools.length - 1 ? teachersLeft : Math.min(teachersLeft, Math.round((teachers * s.students) / students));
      teachersLeft -= n;
      for (let t = 0; t < n; t++) {
        const roles: { role: Role; schoolId: string | null }[] = [{ role: "teacher", schoolId: s.id }];
        if (rng() < 0.1) {
          const other = someSchools(1, s.level)[0];
          if (other && other !== s.id) roles.push({ role: "teacher", schoolId: other });
        }
        await staff(roles);
      }
    }

    let studentNumber = 100_000;
    for (const s of schools) {
      const { grades } = levelInfo(s.level);
      for (let i = 0; i < s.students; i++) {
        const given = pickGiven(rng);
        const family = pickFamily(rng);
        // Younger students have no school email; older ones do.
        const email = s.level === "elementary" ? null : w.uniqueEmail(`${slug(given)}.${slug(family)}`, "students.example.org", true);
        const isTech = s.level !== "elementary" && rng() < 0.01;
        await w.addPerson({
          givenName: given,
          familyName: family,
          email,
          hasPassword: false,
          gradeLevel: pickFrom(rng, grades),
          studentNumber: `S${studentNumber++}`,
          roles: isTech ? [{ role: "student", schoolId: s.id }, { role: "student_tech", schoolId: s.id }] : [{ role: "student", schoolId: s.id }],
        });
      }
    }
    await w.flush();

    await trx
      .insertInto("api_tokens")
      .values({
        id: newId(),
        person_id: adminId,
        name: "benchmark",
        prefix: token.slice(0, 12),
        token_hash: sha256(token),
        created_at: now,
        last_used_at: null,
        expires_at: null,
        revoked_at: null,
      })
      .execute();
    const m: DatasetMeta = {
      version: DATASET_VERSION,
      schema: schemaKey(),
      size,
      districtId,
      adminId,
      token,
      people: w.totalPeople,
      students,
      staff: w.totalPeople - students,
      schools: schools.length,
      roleAssignments: w.totalRoles,
    };
    await trx.insertInto("instance_settings").values({ key: META_KEY, value: JSON.stringify(m), updated_at: now }).execute();
    return m;
  });
  return meta;
}

async function readMeta(db: Kysely<DB>): Promise<DatasetMeta | undefined> {
  try {
    const row = await db.selectFrom("instance_settings").select("value").where("key", "=", META_KEY).executeTakeFirst();
    if (!row) return undefined;
    const meta = JSON.parse(row.value) as DatasetMeta;
    return meta.version === DATASET_VERSION && meta.schema === schemaKey() ? meta : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Caching: a SQLite file under the OS temp directory, a PostgreSQL database by name.

function sqliteCacheDir(size: DatasetSize): string {
  return path.join(tmpdir(), "coachwork-bench", `v${DATASET_VERSION}-${size}`);
}

function pgDatabaseName(size: DatasetSize): string {
  return `coachwork_bench_v${DATASET_VERSION}_${size}`;
}

function pgUrl(name: string): string {
  const url = new URL(BENCH_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withPgAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: BENCH_PG_ADMIN_URL });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

async function ensureSqlite(size: DatasetSize, log: (msg: string) => void): Promise<BenchDataset> {
  const dir = sqliteCacheDir(size);
  const file = path.join(dir, "coachwork.db");
  if (existsSync(file)) {
    const database = openDatabase({ kind: "sqlite", file });
    const meta = await readMeta(database.db);
    await database.close();
    if (meta) return { dialect: "sqlite", database: { kind: "sqlite", file }, dataDir: dir, meta, generatedMs: null };
    rmSync(dir, { recursive: true, force: true });
  }
  log(`generating the ${size} SQLite directory in ${dir} (cached for later runs)…`);
  const started = performance.now();
  // Build beside the cache and rename at the end, so an interrupted run never leaves a half-filled cache.
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const database = openDatabase({ kind: "sqlite", file: path.join(building, "coachwork.db") });
  try {
    await migrateToLatest(database.db);
    const meta = await populate(database.db, size);
    // No ANALYZE here: the server gathers planner statistics itself when it opens the file (PRAGMA optimize).
    await sql`pragma wal_checkpoint(truncate)`.execute(database.db);
    await database.close();
    rmSync(dir, { recursive: true, force: true });
    renameSync(building, dir);
    return { dialect: "sqlite", database: { kind: "sqlite", file }, dataDir: dir, meta, generatedMs: performance.now() - started };
  } catch (err) {
    await database.close().catch(() => undefined);
    rmSync(building, { recursive: true, force: true });
    throw err;
  }
}

async function ensurePostgres(size: DatasetSize, log: (msg: string) => void): Promise<BenchDataset> {
  const name = pgDatabaseName(size);
  const url = pgUrl(name);
  const config: Config["database"] = { kind: "postgres", url, poolSize: 10 };
  const dataDir = path.join(tmpdir(), "coachwork-bench", `pg-v${DATASET_VERSION}-${size}`);
  mkdirSync(dataDir, { recursive: true });
  const exists = await withPgAdmin(async (c) => (await c.query("select 1 from pg_database where datname = $1", [name])).rowCount === 1);
  if (exists) {
    const database = openDatabase(config);
    const meta = await readMeta(database.db);
    await database.close();
    if (meta) return { dialect: "postgres", database: config, dataDir, meta, generatedMs: null };
  }
  log(`generating the ${size} PostgreSQL directory in database ${name} (kept for later runs)…`);
  const started = performance.now();
  // `name` is built above from [a-z0-9_] only; identifiers cannot be bound as parameters.
  await withPgAdmin(async (c) => {
    await c.query(`drop database if exists ${name} with (force)`);
    await c.query(`create database ${name}`);
  });
  const database = openDatabase(config);
  try {
    await migrateToLatest(database.db);
    const meta = await populate(database.db, size);
    // What autovacuum would do shortly after a bulk load: statistics and the visibility map.
    await sql`vacuum analyze`.execute(database.db);
    return { dialect: "postgres", database: config, dataDir, meta, generatedMs: performance.now() - started };
  } catch (err) {
    await withPgAdmin((c) => c.query(`drop database if exists ${name} with (force)`)).catch(() => undefined);
    throw err;
  } finally {
    await database.close();
  }
}

/** The benchmark directory on a dialect: reused from the cache when its version matches, else generated. */
export function ensureDataset(dialect: Dialect, size: DatasetSize, log: (msg: string) => void): Promise<BenchDataset> {
  return dialect === "sqlite" ? ensureSqlite(size, log) : ensurePostgres(size, log);
}

/** Removes the audit rows earlier runs wrote, so every measured run starts from the same table sizes. */
export async function resetAuditLog(db: Kysely<DB>): Promise<void> {
  await db.deleteFrom("audit_log").execute();
}
