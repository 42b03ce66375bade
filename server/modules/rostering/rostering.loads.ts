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

/** A stored enrolment as the planner compares it: its sourcedId and one string of its other values. */
export type EnrollmentRow = { source_id: string; status: string; print: string };

/** The values an enrolment is compared on, joined by "|"; the planner builds the same string from a file row. */
export function enrollmentPrintText(p: {
  classId: string;
  personId: string;
  schoolId: string;
  role: string;
  isPrimary: number;
  begin: string | null;
  end: string | null;
}): string {
  return `${p.classId}|${p.personId}|${p.schoolId}|${p.role}|${p.isPrimary}|${p.begin ?? ""}|${p.end ?? ""}`;
}

/**
 * The district's enrolments in pages, so a million rows never sit in memory as objects. Pages follow
 * the primary key (UUIDv7, so insertion order), which walks the table in storage order on both
 * databases. The district is filtered here, not in SQL: with `district_id = ?` in the query, SQLite
 * picks the (district_id, source_id) index and sorts every page anew.
 */
export async function* iterateEnrollments(db: Kysely<DB>, districtId: string, pageSize = 1000): AsyncGenerator<EnrollmentRow[]> {
  let after: string | null = null;
  for (;;) {
    // One joined string per row instead of seven values: a million rows make far less garbage.
    // `||` and coalesce mean the same on SQLite and PostgreSQL; is_primary is 0 or 1 on both.
    let q = db
      .selectFrom("enrollments")
      .select([
        "id",
        "district_id",
        "source_id",
        "status",
        sql<string>`class_id || '|' || person_id || '|' || school_id || '|' || role || '|' || cast(is_primary as text) || '|' || coalesce(begin_date, '') || '|' || coalesce(end_date, '')`.as(
          "print",
        ),
      ]);
    if (after !== null) q = q.where("id", ">", after);
    const rows = await q.orderBy("id").limit(pageSize).execute();
    const mine: EnrollmentRow[] = rows.filter((r) => r.district_id === districtId);
    if (mine.length > 0) yield mine;
    const last = rows[rows.length - 1];
    if (rows.length < pageSize || !last) return;
    after = last.id;
    // better-sqlite3 answers synchronously, so without this a million rows load in one long turn
    // of the event loop, and V8 never gets to run the tasks that free the pages garbage left behind.
    await setImmediate();
  }
}
