import { setImmediate } from "node:timers/promises";
import { sql, type Kysely } from "kysely";
import type { DB } from "../../db/schema.js";

// What the district already holds, loaded once per import for the planner to diff against by
// sourcedId. Reads only: nothing here writes.

export function loadSchools(db: Kysely<DB>, districtId: string) {
  return db
    .selectFrom("schools")
    .select(["id", "name", "level", "code", "status", "source_id"])
    .where("district_id", "=", districtId)
    .execute();
}
export type SchoolRef = Awaited<ReturnType<typeof loadSchools>>[number];

export function loadRosterOrgs(db: Kysely<DB>, districtId: string) {
  return db
    .selectFrom("roster_orgs")
    .select(["id", "source_id", "type", "name", "parent_source_id", "status", "deactivated_at"])
    .where("district_id", "=", districtId)
    .execute();
}
export type RosterOrgRow = Awaited<ReturnType<typeof loadRosterOrgs>>[number];

export function loadSessions(db: Kysely<DB>, districtId: string) {
  return db
    .selectFrom("academic_sessions")
    .select(["id", "source_id", "title", "type", "start_date", "end_date", "school_year", "parent_id", "status", "deactivated_at"])
    .where("district_id", "=", districtId)
    .execute();
}
export type SessionRow = Awaited<ReturnType<typeof loadSessions>>[number];

export function loadCourses(db: Kysely<DB>, districtId: string) {
  return db
    .selectFrom("courses")
    .select(["id", "source_id", "title", "course_code", "grades", "subjects", "school_year_id", "school_id", "status", "deactivated_at"])
    .where("district_id", "=", districtId)
    .execute();
}
export type CourseRow = Awaited<ReturnType<typeof loadCourses>>[number];

export function loadClasses(db: Kysely<DB>, districtId: string) {
  return db
    .selectFrom("classes")
    .select([
      "id",
      "source_id",
      "school_id",
      "course_id",
      "title",
      "class_code",
      "class_type",
      "location",
      "grades",
      "subjects",
      "periods",
      "status",
      "deactivated_at",
    ])
    .where("district_id", "=", districtId)
    .execute();
}
export type ClassRow = Awaited<ReturnType<typeof loadClasses>>[number];

export function loadClassTerms(db: Kysely<DB>, districtId: string) {
  return db
    .selectFrom("class_terms as ct")
    .innerJoin("classes as c", "c.id", "ct.class_id")
    .select(["ct.class_id", "ct.session_id"])
    .where("c.district_id", "=", districtId)
    .execute();
}

export function loadPeople(db: Kysely<DB>, districtId: string) {
  return db
    .selectFrom("people")
    .select(["id", "source_id", "email", "given_name", "family_name", "grade_level", "student_number", "status", "deactivated_at"])
    .where("district_id", "=", districtId)
    .execute();
}
export type PersonRef = Awaited<ReturnType<typeof loadPeople>>[number];

export function loadGrants(db: Kysely<DB>, districtId: string) {
  return db
    .selectFrom("role_assignments")
    .select(["id", "person_id", "role", "school_id", "source"])
    .where("district_id", "=", districtId)
    .execute();
}
export type GrantRow = Awaited<ReturnType<typeof loadGrants>>[number];

/**
 * A stored enrolment as the planner compares it: its sourcedId (null for another district's row),
 * whether it is active, and its fingerprint (enrollmentPrint): the stored roster_print, else (a row
 * written before the import kept it) the text the fingerprint is made from.
 */
export type EnrollmentRow = { source_id: string | null; is_active: number; print: number | null; print_text: string | null };

type EnrollmentValues = {
  classId: string;
  personId: string;
  schoolId: string;
  role: string;
  isPrimary: number;
  begin: string | null;
  end: string | null;
};

/** The values an enrolment is compared on, joined by "|": what enrollmentPrint hashes, and what the SQL below joins for older rows. */
export function enrollmentPrintText(p: EnrollmentValues): string {
  return `${p.classId}|${p.personId}|${p.schoolId}|${p.role}|${p.isPrimary}|${p.begin ?? ""}|${p.end ?? ""}`;
}

// The fingerprint: hash53 (issues.ts) of enrollmentPrintText, under 2^51, fed part by part so that a
// million file rows build no joined string. The running state lives here: nothing below awaits.
let h1 = 0;
let h2 = 0;
function feed(text: string): void {
  for (let i = 0; i < text.length; i++) feedChar(text.charCodeAt(i));
}
function feedChar(ch: number): void {
  h1 = Math.imul(h1 ^ ch, 2654435761);
  h2 = Math.imul(h2 ^ ch, 1597334677);
}
function finish(): number {
  feedChar(0x1f);
  const a = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  const b = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
  return (4294967296 * (2097151 & b) + (a >>> 0)) % 2 ** 51;
}
const PIPE = 0x7c;

/**
 * An enrolment's fingerprint, as the import stores it in roster_print: a 51-bit hash of the values
 * it is compared on (a changed row goes unnoticed with odds of one in 2^51). Equal to
 * enrollmentPrintOfText(enrollmentPrintText(p)).
 */
export function enrollmentPrint(p: EnrollmentValues): number {
  h1 = 0xdeadbeef;
  h2 = 0x41c6ce57;
  feed(p.classId);
  feedChar(PIPE);
  feed(p.personId);
  feedChar(PIPE);
  feed(p.schoolId);
  feedChar(PIPE);
  feed(p.role);
  feedChar(PIPE);
  feedChar(p.isPrimary === 1 ? 0x31 : 0x30);
  feedChar(PIPE);
  if (p.begin !== null) feed(p.begin);
  feedChar(PIPE);
  if (p.end !== null) feed(p.end);
  return finish();
}

/** The fingerprint of an enrolment's joined values (enrollmentPrintText), for rows stored without one. */
export function enrollmentPrintOfText(text: string): number {
  h1 = 0xdeadbeef;
  h2 = 0x41c6ce57;
  feed(text);
  return finish();
}

/**
 * The district's enrolments in pages, so a million rows never sit in memory as objects. Pages follow
 * the primary key (UUIDv7, so insertion order), which walks the table in storage order on both
 * databases. The district is told apart in the select list, not in the where clause: with
 * `district_id = ?` there, SQLite picks the (district_id, source_id) index and sorts every page anew.
 * Each row brings its sourcedId and two numbers; only a row stored before roster_print was kept
 * brings its values, joined into one string.
 */
export async function* iterateEnrollments(db: Kysely<DB>, districtId: string, pageSize = 5000): AsyncGenerator<EnrollmentRow[]> {
  let after: string | null = null;
  for (;;) {
    // `||`, `case` and coalesce mean the same on SQLite and PostgreSQL; is_primary is 0 or 1 on both.
    let q = db
      .selectFrom("enrollments")
      .select([
        "id",
        sql<string | null>`case when district_id = ${districtId} then source_id end`.as("source_id"),
        sql<number>`case when status = 'active' then 1 else 0 end`.as("is_active"),
        "roster_print as print",
        sql<string | null>`case when roster_print is null then class_id || '|' || person_id || '|' || school_id || '|' || role || '|' || cast(is_primary as text) || '|' || coalesce(begin_date, '') || '|' || coalesce(end_date, '') end`.as(
          "print_text",
        ),
      ]);
    if (after !== null) q = q.where("id", ">", after);
    const rows = await q.orderBy("id").limit(pageSize).execute();
    if (rows.length > 0) yield rows;
    const last = rows[rows.length - 1];
    if (rows.length < pageSize || !last) return;
    after = last.id;
    // better-sqlite3 answers synchronously, so without this a million rows load in one long turn
    // of the event loop, and V8 never gets to run the tasks that free the pages garbage left behind.
    await setImmediate();
  }
}
