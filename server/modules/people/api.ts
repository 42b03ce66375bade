import { sql, type Kysely } from "kysely";
import { STUDENT_ROLES } from "../../../shared/roles.js";
import type { DB } from "../../db/schema.js";
import { fold } from "../../lib.js";

// The directory's API for other modules: the only way they read or write people and role grants.
// Everything here takes a Kysely handle, so a caller's transaction can be passed in.

export {
  countActiveAdmins,
  findPerson,
  findPersonByEmail,
  findPersonInDistrictByEmail,
  grantRole,
  insertPerson,
  nameColumns,
  replaceRoles,
  updatePersonRow,
  type NewPerson,
  type PersonRow,
  type RoleRow,
} from "./people.repository.js";
export { presentPerson } from "./people.presenters.js";
export { rolesOf } from "./roles.js";

const STUDENTS = [...STUDENT_ROLES];

export type PersonName = { id: string; givenName: string; familyName: string; sortName: string };

/** Names of the given people (any status), keyed by id; for showing who did what. */
export async function namesByIds(db: Kysely<DB>, ids: Iterable<string>): Promise<Map<string, PersonName>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom("people").select(["id", "given_name", "family_name", "sort_name"]).where("id", "in", unique).execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, givenName: r.given_name, familyName: r.family_name, sortName: r.sort_name }]));
}

/** Display name ("Given Family") from a name map, or a stand-in when the person is unknown. */
export function displayName(names: ReadonlyMap<string, PersonName>, id: string | null): string {
  const p = id ? names.get(id) : undefined;
  return p ? `${p.givenName} ${p.familyName}` : "Unknown person";
}

/** Of the given people, those in the district, active, holding a staff role; one row per grant, with its school. */
export async function staffByIds(db: Kysely<DB>, districtId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom("people as p")
    .innerJoin("role_assignments as ra", "ra.person_id", "p.id")
    .select(["p.id", "p.given_name", "p.family_name", "ra.school_id", "ra.role"])
    .where("p.district_id", "=", districtId)
    .where("p.status", "=", "active")
    .where("p.id", "in", [...ids])
    .where("ra.role", "not in", STUDENTS)
    .execute();
}

export type StaffMatch = { id: string; givenName: string; familyName: string; email: string | null; schoolIds: (string | null)[] };

/**
 * Active staff of the district whose folded full name ("given family") or email is one of `keys`,
 * keyed by that key; each with the schools of their staff grants (null: district-wide). Used to
 * read names and emails typed into spreadsheets.
 */
export async function matchStaff(db: Kysely<DB>, districtId: string, keys: Iterable<string>): Promise<Map<string, StaffMatch[]>> {
  const wanted = new Set([...keys].map((k) => fold(k)).filter(Boolean));
  const out = new Map<string, StaffMatch[]>();
  if (wanted.size === 0) return out;
  const list = [...wanted];
  const rows = await db
    .selectFrom("people as p")
    .innerJoin("role_assignments as ra", "ra.person_id", "p.id")
    .select(["p.id", "p.given_name", "p.family_name", "p.email", "ra.school_id"])
    .where("p.district_id", "=", districtId)
    .where("p.status", "=", "active")
    .where("ra.role", "not in", STUDENTS)
    .where((eb) => eb.or([eb("p.email", "in", list), eb(sql<string>`p.given_lc || ' ' || p.family_lc`, "in", list)]))
    .execute();
  const byId = new Map<string, StaffMatch>();
  for (const r of rows) {
    const m = byId.get(r.id) ?? { id: r.id, givenName: r.given_name, familyName: r.family_name, email: r.email, schoolIds: [] };
    if (!m.schoolIds.includes(r.school_id)) m.schoolIds.push(r.school_id);
    byId.set(r.id, m);
  }
  for (const m of byId.values()) {
    for (const key of new Set([fold(`${m.givenName} ${m.familyName}`), ...(m.email ? [m.email] : [])])) {
      if (!wanted.has(key)) continue;
      out.set(key, [...(out.get(key) ?? []), m]);
    }
  }
  return out;
}

/** Active teachers (teacher role) at the given schools, one row per (school, person). */
export function activeTeachersBySchool(db: Kysely<DB>, districtId: string, schoolIds: readonly string[] | "all") {
  let q = db
    .selectFrom("role_assignments as ra")
    .innerJoin("people as p", "p.id", "ra.person_id")
    .select(["ra.school_id", "ra.person_id"])
    .where("ra.district_id", "=", districtId)
    .where("ra.role", "=", "teacher")
    .where("ra.school_id", "is not", null)
    .where("p.status", "=", "active");
  if (schoolIds !== "all") q = q.where("ra.school_id", "in", schoolIds.length ? [...schoolIds] : ["-"]);
  return q.execute() as Promise<{ school_id: string; person_id: string }[]>;
}

/** Active coaches of the district (one row per grant; school_id null for a district-wide coach), optionally those at one school. */
export function activeCoaches(db: Kysely<DB>, districtId: string, schoolId?: string) {
  let q = db
    .selectFrom("role_assignments as ra")
    .innerJoin("people as p", "p.id", "ra.person_id")
    .select(["ra.school_id", "ra.person_id"])
    .where("ra.district_id", "=", districtId)
    .where("ra.role", "=", "coach")
    .where("p.status", "=", "active");
  if (schoolId) q = q.where("ra.school_id", "=", schoolId);
  return q.execute();
}

export type DirectoryPerson = {
  id: string;
  given_name: string;
  family_name: string;
  sort_name: string;
  email: string | null;
  grade_level: string | null;
  student_number: string | null;
};

/** Active people among `ids`, with the fields a roster shows, by (sort name, id). */
export function activePeopleByIds(db: Kysely<DB>, ids: readonly string[]): Promise<DirectoryPerson[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("people")
    .select(["id", "given_name", "family_name", "sort_name", "email", "grade_level", "student_number"])
    .where("id", "in", [...new Set(ids)])
    .where("status", "=", "active")
    .orderBy("sort_name")
    .orderBy("id")
    .execute();
}

/** How many active people hold a role at each of the given schools. */
export async function activePeopleCountBySchool(db: Kysely<DB>, schoolIds: readonly string[]): Promise<Map<string, number>> {
  if (schoolIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("role_assignments as ra")
    .innerJoin("people as p", "p.id", "ra.person_id")
    .select(["ra.school_id", sql<number>`count(distinct p.id)`.as("n")])
    .where("ra.school_id", "in", [...schoolIds])
    .where("p.status", "=", "active")
    .groupBy("ra.school_id")
    .execute();
  return new Map(rows.map((r) => [r.school_id ?? "", Number(r.n)]));
}

/** A school's active people: students by grade, people by role, and the staff headcount. */
export async function schoolHeadcounts(db: Kysely<DB>, districtId: string, schoolId: string) {
  const [byGrade, byRole, staff] = await Promise.all([
    db
      .selectFrom("people as p")
      .select([sql<string>`coalesce(p.grade_level, '')`.as("grade"), sql<number>`count(distinct p.id)`.as("n")])
      .where("p.district_id", "=", districtId)
      .where("p.status", "=", "active")
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom("role_assignments as ra")
            .select(eb.lit(1).as("one"))
            .whereRef("ra.person_id", "=", "p.id")
            .where("ra.school_id", "=", schoolId)
            .where("ra.role", "in", STUDENTS),
        ),
      )
      .groupBy(sql`coalesce(p.grade_level, '')`)
      .execute(),
    db
      .selectFrom("role_assignments as ra")
      .innerJoin("people as p", "p.id", "ra.person_id")
      .select(["ra.role", sql<number>`count(distinct p.id)`.as("n")])
      .where("ra.school_id", "=", schoolId)
      .where("p.status", "=", "active")
      .groupBy("ra.role")
      .execute(),
    db
      .selectFrom("role_assignments as ra")
      .innerJoin("people as p", "p.id", "ra.person_id")
      .select(sql<number>`count(distinct p.id)`.as("n"))
      .where("ra.school_id", "=", schoolId)
      .where("ra.role", "not in", STUDENTS)
      .where("p.status", "=", "active")
      .executeTakeFirstOrThrow(),
  ]);
  return { byGrade, byRole, staffCount: Number(staff.n) };
}

/**
 * An active student of the district found by the number on their card (the help desk's kiosk),
 * with the schools of their student grants; undefined when none matches.
 */
export async function studentByNumber(
  db: Kysely<DB>,
  districtId: string,
  studentNumber: string,
): Promise<{ id: string; givenName: string; familyName: string; gradeLevel: string | null; schoolIds: string[] } | undefined> {
  const rows = await db
    .selectFrom("people as p")
    .innerJoin("role_assignments as ra", "ra.person_id", "p.id")
    .select(["p.id", "p.given_name", "p.family_name", "p.grade_level", "ra.school_id"])
    .where("p.district_id", "=", districtId)
    .where("p.student_number", "=", studentNumber)
    .where("p.status", "=", "active")
    .where("ra.role", "in", STUDENTS)
    .execute();
  const first = rows[0];
  if (!first) return undefined;
  const schoolIds = [...new Set(rows.filter((r) => r.id === first.id).map((r) => r.school_id).filter((s): s is string => s !== null))];
  return { id: first.id, givenName: first.given_name, familyName: first.family_name, gradeLevel: first.grade_level, schoolIds };
}

// ---- For the devices module (issue 15) ----

export type RosterStudent = {
  id: string;
  given_name: string;
  family_name: string;
  grade_level: string | null;
  student_number: string | null;
  school_id: string;
};

/** Active students (student role) at the given schools, optionally in the given grades; one row per (student, school). */
export function activeStudentsAt(db: Kysely<DB>, districtId: string, schoolIds: readonly string[], grades?: readonly string[]): Promise<RosterStudent[]> {
  if (schoolIds.length === 0) return Promise.resolve([]);
  let q = db
    .selectFrom("role_assignments as ra")
    .innerJoin("people as p", "p.id", "ra.person_id")
    .select(["p.id", "p.given_name", "p.family_name", "p.grade_level", "p.student_number", "ra.school_id"])
    .where("ra.district_id", "=", districtId)
    .where("ra.role", "=", "student")
    .where("ra.school_id", "in", [...schoolIds])
    .where("p.status", "=", "active");
  if (grades) q = q.where("p.grade_level", "in", grades.length ? [...grades] : ["-"]);
  return q.orderBy("p.sort_name").orderBy("p.id").execute() as Promise<RosterStudent[]>;
}

/**
 * Students at the given schools matching a scanned student number (exactly, or upper-cased) or a typed
 * name (prefix of given or family name, or "given family"); inactive ones too, so a station can say
 * "no longer on the roster". At most `limit`.
 */
export async function findStudentsAt(
  db: Kysely<DB>,
  districtId: string,
  schoolIds: readonly string[],
  q: string,
  limit: number,
): Promise<(RosterStudent & { status: "active" | "inactive" })[]> {
  if (schoolIds.length === 0) return [];
  const term = q.trim();
  const folded = fold(term);
  const [first, ...rest] = folded.split(" ");
  const base = db
    .selectFrom("role_assignments as ra")
    .innerJoin("people as p", "p.id", "ra.person_id")
    .select(["p.id", "p.given_name", "p.family_name", "p.grade_level", "p.student_number", "ra.school_id", "p.status"])
    .where("ra.district_id", "=", districtId)
    .where("ra.role", "in", STUDENTS)
    .where("ra.school_id", "in", [...schoolIds]);
  const byNumber = await base.where("p.student_number", "in", [...new Set([term, term.toUpperCase(), term.replace(/\s+/g, "")])]).limit(limit).execute();
  if (byNumber.length > 0 || !first) return byNumber as (RosterStudent & { status: "active" | "inactive" })[];
  const last = rest.join(" ");
  const rows = await base
    .where((eb) =>
      last
        ? eb.and([eb("p.given_lc", "like", `${first}%`), eb("p.family_lc", "like", `${last}%`)])
        : eb.or([eb("p.given_lc", "like", `${first}%`), eb("p.family_lc", "like", `${first}%`)]),
    )
    .orderBy("p.sort_name")
    .limit(limit)
    .execute();
  return rows as (RosterStudent & { status: "active" | "inactive" })[];
}

export type PersonFacts = { id: string; districtId: string; status: "active" | "inactive"; name: string; gradeLevel: string | null; schoolIds: (string | null)[]; isStudent: boolean };

/** Status, name, grade and the schools of their grants, of the given people. */
export async function personFacts(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, PersonFacts>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .selectFrom("people as p")
    .leftJoin("role_assignments as ra", "ra.person_id", "p.id")
    .select(["p.id", "p.district_id", "p.status", "p.given_name", "p.family_name", "p.grade_level", "ra.school_id", "ra.role"])
    .where("p.id", "in", unique)
    .execute();
  const out = new Map<string, PersonFacts>();
  for (const r of rows) {
    const f = out.get(r.id) ?? { id: r.id, districtId: r.district_id, status: r.status, name: `${r.given_name} ${r.family_name}`, gradeLevel: r.grade_level, schoolIds: [], isStudent: false };
    if (r.role !== null && !f.schoolIds.includes(r.school_id)) f.schoolIds.push(r.school_id);
    if (r.role !== null && STUDENTS.includes(r.role as (typeof STUDENTS)[number])) f.isStudent = true;
    out.set(r.id, f);
  }
  return out;
}
