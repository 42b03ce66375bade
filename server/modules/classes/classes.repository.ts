import { sql, type Kysely } from "kysely";
import type { DB } from "../../db/schema.js";

// Classes, courses, terms and enrollments, as the roster import leaves them. People and schools are
// the directory's: names come from its API, never from a join here.

export type ClassFilter = {
  districtId: string;
  /** "all" for the whole district, else these schools, plus `taughtBy`'s classes. */
  schoolIds: "all" | string[];
  taughtBy: string | null;
  schoolId?: string;
  /** Only classes this person is actively enrolled in (as teacher or student). */
  memberId?: string;
  q?: string;
  status: "active" | "inactive" | "all";
};

function filteredClasses(db: Kysely<DB>, f: ClassFilter) {
  let q = db
    .selectFrom("classes as c")
    .innerJoin("courses as co", "co.id", "c.course_id")
    .where("c.district_id", "=", f.districtId);
  if (f.status !== "all") q = q.where("c.status", "=", f.status);
  if (f.schoolId) q = q.where("c.school_id", "=", f.schoolId);
  if (f.memberId) {
    const memberId = f.memberId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("enrollments as me")
          .select(eb.lit(1).as("one"))
          .whereRef("me.class_id", "=", "c.id")
          .where("me.person_id", "=", memberId)
          .where("me.status", "=", "active"),
      ),
    );
  }
  if (f.q) {
    const like = `%${f.q.toLowerCase().replace(/[%_\\]/g, "")}%`;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn("lower", ["c.title"]), "like", like),
        eb(eb.fn("lower", ["c.class_code"]), "like", like),
        eb(eb.fn("lower", ["co.title"]), "like", like),
      ]),
    );
  }
  if (f.schoolIds !== "all") {
    const { schoolIds, taughtBy } = f;
    q = q.where((eb) =>
      eb.or([
        ...(schoolIds.length > 0 ? [eb("c.school_id", "in", schoolIds)] : []),
        ...(taughtBy
          ? [
              eb.exists(
                eb
                  .selectFrom("enrollments as te")
                  .select(eb.lit(1).as("one"))
                  .whereRef("te.class_id", "=", "c.id")
                  .where("te.person_id", "=", taughtBy)
                  .where("te.role", "=", "teacher")
                  .where("te.status", "=", "active"),
              ),
            ]
          : []),
        eb.lit(false),
      ]),
    );
  }
  return q;
}

export function listClasses(db: Kysely<DB>, f: ClassFilter, after: { title: string; id: string } | null, limit: number) {
  let q = filteredClasses(db, f);
  if (after) {
    q = q.where((eb) => eb.or([eb("c.title", ">", after.title), eb.and([eb("c.title", "=", after.title), eb("c.id", ">", after.id)])]));
  }
  return q
    .selectAll("c")
    .select(["co.title as course_title", "co.course_code"])
    .select((eb) =>
      eb
        .selectFrom("enrollments as se")
        .select(sql<number>`count(*)`.as("n"))
        .whereRef("se.class_id", "=", "c.id")
        .where("se.role", "=", "student")
        .where("se.status", "=", "active")
        .as("student_count"),
    )
    .select((eb) =>
      // The member's role in the class; "teacher" wins should they somehow be enrolled as both.
      (f.memberId
        ? eb
            .selectFrom("enrollments as mr")
            .select(sql<string>`max(mr.role)`.as("r"))
            .whereRef("mr.class_id", "=", "c.id")
            .where("mr.person_id", "=", f.memberId)
            .where("mr.status", "=", "active")
        : eb.val(null)
      ).$castTo<"teacher" | "student" | null>().as("member_role"),
    )
    .orderBy("c.title")
    .orderBy("c.id")
    .limit(limit)
    .execute();
}
export type ClassListRow = Awaited<ReturnType<typeof listClasses>>[number];

export async function countClasses(db: Kysely<DB>, f: ClassFilter): Promise<number> {
  const row = await filteredClasses(db, f)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findClass(db: Kysely<DB>, districtId: string, id: string) {
  return filteredClasses(db, { districtId, schoolIds: "all", taughtBy: null, status: "all" })
    .where("c.id", "=", id)
    .selectAll("c")
    .select(["co.title as course_title", "co.course_code"])
    .select(sql<number>`0`.as("student_count"))
    .executeTakeFirst();
}

export function termsOf(db: Kysely<DB>, classIds: readonly string[]) {
  if (classIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("class_terms as ct")
    .innerJoin("academic_sessions as a", "a.id", "ct.session_id")
    .select(["ct.class_id", "a.id", "a.title", "a.start_date", "a.end_date"])
    .where("ct.class_id", "in", classIds)
    .orderBy("a.start_date")
    .execute();
}

/** Active enrollments of the given classes in the given roles (people are resolved by the caller). */
export function enrollmentsOf(db: Kysely<DB>, classIds: readonly string[], roles: readonly ("teacher" | "student")[]) {
  if (classIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("enrollments as e")
    .select(["e.class_id", "e.role", "e.is_primary", "e.person_id"])
    .where("e.class_id", "in", [...classIds])
    .where("e.role", "in", [...roles])
    .where("e.status", "=", "active")
    .execute();
}

/** How many active classes a school has. */
export async function activeClassCount(db: Kysely<DB>, schoolId: string): Promise<number> {
  const row = await db
    .selectFrom("classes")
    .select(sql<number>`count(*)`.as("n"))
    .where("school_id", "=", schoolId)
    .where("status", "=", "active")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The roster's active academic sessions of the given types, by start date (a district's terms are copied from them). */
export function activeSessionsOfTypes(db: Kysely<DB>, districtId: string, types: readonly ("term" | "semester" | "schoolYear" | "gradingPeriod")[]) {
  return db
    .selectFrom("academic_sessions")
    .select(["source_id", "title", "type", "start_date", "end_date", "school_year"])
    .where("district_id", "=", districtId)
    .where("status", "=", "active")
    .where("type", "in", [...types])
    .orderBy("start_date")
    .orderBy("source_id")
    .execute();
}
