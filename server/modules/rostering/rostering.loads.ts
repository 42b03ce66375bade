import { setImmediate } from "node:timers/promises";
import { PostgresAdapter, sql, type Kysely } from "kysely";
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
 * A page of the district's stored enrolments as the planner compares them, column by column: each
 * one's sourcedId, whether it is active (1 or 0), and its fingerprint (enrollmentPrint: the stored
 * roster_print, or for a row written before the import kept it, the fingerprint of its values).
 */
export type EnrollmentPage = { sourceIds: string[]; isActive: Uint8Array; prints: Float64Array };

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
 * databases. The district is told apart in the aggregates' filter, not in the where clause: with
 * `district_id = ?` there, SQLite picks the (district_id, source_id) index and sorts every page anew.
 *
 * Each page comes back as one row of aggregates over the rows it walked, all in id order: its last
 * id (where the next page starts) and how many rows it walked; the district's sourcedIds as a JSON
 * array; their flags and fingerprints as one text, "1" or "0" then the digits of roster_print (none
 * for a row stored before roster_print was kept) for each row, comma-separated; and, for those older
 * rows only, the values the fingerprint is made from (a JSON array). One row of text per page instead
 * of a row object per enrolment: on PostgreSQL the driver's parsing of a million rows cost more than
 * the planner's own work on them. The next page is asked for before this one is handed over, so the
 * database reads it while the caller works.
 */
export async function* iterateEnrollments(db: Kysely<DB>, districtId: string, pageSize = defaultPageSize(db)): AsyncGenerator<EnrollmentPage> {
  let pending: Promise<StoredPage | undefined> | null = fetchEnrollmentPage(db, districtId, null, pageSize);
  try {
    while (pending) {
      const page: StoredPage | undefined = await pending;
      pending = null;
      if (!page || page.last === null) return;
      if (Number(page.walked) >= pageSize) pending = fetchEnrollmentPage(db, districtId, page.last, pageSize);
      const parsed = parseEnrollmentPage(page);
      if (parsed.sourceIds.length > 0) yield parsed;
      // better-sqlite3 answers synchronously, so without this a million rows load in one long turn
      // of the event loop, and V8 never gets to run the tasks that free the pages garbage left behind.
      await setImmediate();
    }
  } finally {
    // A caller that stops early leaves no query running behind it.
    await pending?.catch(() => undefined);
  }
}

/**
 * Rows a page walks: on PostgreSQL, fewer round trips; on SQLite, whose driver answers on the event
 * loop, a page short enough that a server importing keeps answering requests between pages.
 */
function defaultPageSize(db: Kysely<DB>): number {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 20_000 : 5000;
}

type StoredPage = { last: string | null; walked: number | string; source_ids: string | null; flags_prints: string | null; print_texts: string | null };

function fetchEnrollmentPage(db: Kysely<DB>, districtId: string, after: string | null, pageSize: number): Promise<StoredPage | undefined> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  let walked = db
    .selectFrom("enrollments")
    .select([
      "id",
      "district_id",
      "source_id",
      "status",
      "roster_print",
      // `||`, `case` and coalesce mean the same on SQLite and PostgreSQL; is_primary is 0 or 1 on both.
      sql<string | null>`case when roster_print is null then class_id || '|' || person_id || '|' || school_id || '|' || role || '|' || cast(is_primary as text) || '|' || coalesce(begin_date, '') || '|' || coalesce(end_date, '') end`.as(
        "print_text",
      ),
    ]);
  if (after !== null) walked = walked.where("id", ">", after);
  const ours = sql`district_id = ${districtId}`;
  const flagPrint = sql`case when status = 'active' then '1' else '0' end || coalesce(cast(roster_print as text), '')`;
  // The same aggregates under each database's names; `order by id` keeps the three lists in step.
  const [sourceIds, flagsPrints, printTexts] = isPostgres
    ? [
        sql<string | null>`cast(json_agg(source_id order by id) filter (where ${ours}) as text)`,
        sql<string | null>`string_agg(${flagPrint}, ',' order by id) filter (where ${ours})`,
        sql<string | null>`cast(json_agg(print_text order by id) filter (where ${ours} and roster_print is null) as text)`,
      ]
    : [
        sql<string | null>`json_group_array(source_id order by id) filter (where ${ours})`,
        sql<string | null>`group_concat(${flagPrint}, ',' order by id) filter (where ${ours})`,
        sql<string | null>`json_group_array(print_text order by id) filter (where ${ours} and roster_print is null)`,
      ];
  return db
    .selectFrom(walked.orderBy("id").limit(pageSize).as("page"))
    .select([
      sql<string | null>`max(id)`.as("last"),
      sql<number | string>`count(*)`.as("walked"),
      sourceIds.as("source_ids"),
      flagsPrints.as("flags_prints"),
      printTexts.as("print_texts"),
    ])
    .executeTakeFirst();
}

const COMMA = 0x2c;
const DIGIT_0 = 0x30;
const DIGIT_1 = 0x31;

/** A page's aggregates as columns (see iterateEnrollments), read without a string per number. */
function parseEnrollmentPage(page: StoredPage): EnrollmentPage {
  const sourceIds = page.source_ids ? (JSON.parse(page.source_ids) as string[]) : [];
  const texts = page.print_texts ? (JSON.parse(page.print_texts) as string[]) : [];
  const isActive = new Uint8Array(sourceIds.length);
  const prints = new Float64Array(sourceIds.length);
  const text = page.flags_prints ?? "";
  let at = 0;
  let older = 0;
  for (let row = 0; row < sourceIds.length; row++) {
    isActive[row] = text.charCodeAt(at++) === DIGIT_1 ? 1 : 0;
    let print = 0;
    let digits = 0;
    for (let ch = text.charCodeAt(at); at < text.length && ch !== COMMA; ch = text.charCodeAt(++at)) {
      print = print * 10 + (ch - DIGIT_0);
      digits++;
    }
    at++; // the comma
    prints[row] = digits > 0 ? print : enrollmentPrintOfText(texts[older++] ?? "");
  }
  return { sourceIds, isActive, prints };
}
