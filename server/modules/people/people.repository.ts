import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from "kysely";
import { STUDENT_ROLES, type Role } from "../../../shared/roles.js";
import type { PeopleScope } from "../../../shared/policy/people.js";
import type { DB, PeopleTable } from "../../db/schema.js";
import { fold, newId, nowIso, prefixUpperBound } from "../../lib.js";

export type PersonRow = PeopleTable;
export type RoleRow = { person_id: string; role: string; school_id: string | null; school_name: string | null };

type PeopleEB = ExpressionBuilder<DB & { p: PeopleTable }, "p">;

export type PeopleFilter = {
  districtId: string;
  scope: PeopleScope;
  status: "active" | "inactive" | "all";
  words: string[];
  role?: Role;
  schoolId?: string;
};

/** The person's name columns in the folded forms the directory sorts and searches by. */
export function nameColumns(givenName: string, familyName: string) {
  return {
    given_name: givenName,
    family_name: familyName,
    given_lc: fold(givenName),
    family_lc: fold(familyName),
    sort_name: `${fold(familyName)} ${fold(givenName)}`,
  };
}

/**
 * The role grants that put a person in an actor's scope (see policy.peopleScope): everyone at the
 * actor's full-view schools, staff at their staff-view schools, and district-wide staff.
 */
function scopeGrants(db: Kysely<DB>, districtId: string, scope: Extract<PeopleScope, { kind: "schools" }>) {
  const students = [...STUDENT_ROLES];
  return db
    .selectFrom("role_assignments as sra")
    .select("sra.person_id")
    .where("sra.district_id", "=", districtId)
    .where((w) =>
      w.or([
        ...(scope.fullSchoolIds.length ? [w("sra.school_id", "in", scope.fullSchoolIds)] : []),
        ...(scope.staffSchoolIds.length ? [w.and([w("sra.school_id", "in", scope.staffSchoolIds), w("sra.role", "not in", students)])] : []),
        w.and([w("sra.school_id", "is", null), w("sra.role", "not in", students)]),
      ]),
    );
}

/** Each search word must be a prefix of the given name, family name or email (index range scans). */
function matchesWord(eb: PeopleEB, word: string): Expression<SqlBool> {
  const upper = prefixUpperBound(word);
  return eb.or([
    eb.and([eb("p.family_lc", ">=", word), eb("p.family_lc", "<", upper)]),
    eb.and([eb("p.given_lc", ">=", word), eb("p.given_lc", "<", upper)]),
    eb.and([eb("p.email", ">=", word), eb("p.email", "<", upper)]),
  ]);
}

/** The people ids a role or school filter and a school scope allow, as materialized CTEs. */
type PeopleCtes = { filter_people: { person_id: string }; scope_people: { person_id: string } };

/**
 * People matching the filter. The role/school filter and a non-admin's scope are each computed once,
 * as a materialized CTE driven from role_assignments' indexes, then probed by `p.id in (…)`. Written
 * as a correlated EXISTS (or a plain IN that the planner may flatten), the database could instead walk
 * the whole directory in name order testing every person: seconds at 200,000 people
 * (docs/benchmarks.md). `AS MATERIALIZED` is SQLite ≥ 3.35 and PostgreSQL ≥ 12.
 *
 * Returns the query builder carrying the CTEs, and `from`, which starts a `people as p` query with the
 * filter's conditions on any builder that can see those CTEs (the outer one, or a subquery of it).
 */
function filteredPeople(db: Kysely<DB>, f: PeopleFilter) {
  // Kysely types each `with` into the query's tables; both CTEs are declared up front so the
  // conditional ones below keep one type.
  let qc = db as unknown as Kysely<DB & PeopleCtes>;
  const { role, schoolId, scope } = f;
  const hasFilter = role !== undefined || schoolId !== undefined;
  if (hasFilter && scope.kind !== "none") {
    qc = qc.with(
      (cte) => cte("filter_people").materialized(),
      (d) =>
        d
          .selectFrom("role_assignments as fra")
          .select("fra.person_id")
          .where("fra.district_id", "=", f.districtId)
          .$if(role !== undefined, (s) => s.where("fra.role", "=", role as Role))
          .$if(schoolId !== undefined, (s) => s.where("fra.school_id", "=", schoolId as string)),
    ) as unknown as Kysely<DB & PeopleCtes>;
  }
  if (scope.kind === "schools") {
    qc = qc.with(
      (cte) => cte("scope_people").materialized(),
      () => scopeGrants(db, f.districtId, scope),
    ) as unknown as Kysely<DB & PeopleCtes>;
  }
  const from = (b: Kysely<DB & PeopleCtes>) => {
    if (scope.kind === "none") return b.selectFrom("people as p").where(sql<SqlBool>`1 = 0`);
    let q = b.selectFrom("people as p").where("p.district_id", "=", f.districtId);
    if (f.status !== "all") q = q.where("p.status", "=", f.status);
    for (const word of f.words) q = q.where((eb) => matchesWord(eb, word));
    if (hasFilter) q = q.where("p.id", "in", (eb) => eb.selectFrom("filter_people").select("filter_people.person_id"));
    if (scope.kind === "schools") q = q.where("p.id", "in", (eb) => eb.selectFrom("scope_people").select("scope_people.person_id"));
    return q;
  };
  return { qc, from, plain: db as unknown as Kysely<DB & PeopleCtes> };
}

/** One page of people ordered by (sort_name, id), after the cursor when given. */
export function listPeople(db: Kysely<DB>, f: PeopleFilter, after: { sortName: string; id: string } | null, limit: number) {
  const { qc, from } = filteredPeople(db, f);
  let q = from(qc);
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb("p.sort_name", ">", after.sortName),
        eb.and([eb("p.sort_name", "=", after.sortName), eb("p.id", ">", after.id)]),
      ]),
    );
  }
  return q.selectAll("p").orderBy("p.sort_name").orderBy("p.id").limit(limit).execute();
}

/**
 * How many people match; with `upTo`, counting stops there (a LIMITed subquery: the database stops
 * reading after `upTo` matches instead of counting all 17,000 people named "mar…").
 */
export async function countPeople(db: Kysely<DB>, f: PeopleFilter, upTo?: number): Promise<number> {
  const { qc, from, plain } = filteredPeople(db, f);
  const row =
    upTo === undefined
      ? await from(qc)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      : await qc
          .selectFrom(
            from(plain)
              .select(sql<number>`1`.as("one"))
              .limit(upTo)
              .as("t"),
          )
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Role grants of the given people, oldest first. */
export function grantsOf(db: Kysely<DB>, personIds: readonly string[]) {
  if (personIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("role_assignments as ra")
    .select(["ra.person_id", "ra.role", "ra.school_id"])
    .where("ra.person_id", "in", [...personIds])
    .orderBy("ra.created_at")
    .execute();
}

export function findPerson(db: Kysely<DB>, districtId: string, id: string) {
  return db
    .selectFrom("people")
    .selectAll()
    .where("district_id", "=", districtId)
    .where("id", "=", id)
    .executeTakeFirst();
}

/** Finds an account by email across districts (emails are unique per district; sign-in takes the first active one). */
export function findPersonByEmail(db: Kysely<DB>, email: string) {
  return db.selectFrom("people").selectAll().where("email", "=", email).orderBy("created_at").executeTakeFirst();
}

/** The person with this (lower-cased) email in one district. */
export function findPersonInDistrictByEmail(db: Kysely<DB>, districtId: string, email: string) {
  return db.selectFrom("people").selectAll().where("district_id", "=", districtId).where("email", "=", email).executeTakeFirst();
}

export async function emailTaken(db: Kysely<DB>, districtId: string, email: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom("people").select("id").where("district_id", "=", districtId).where("email", "=", email);
  if (exceptId) q = q.where("id", "!=", exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export type NewPerson = {
  districtId: string;
  givenName: string;
  familyName: string;
  email: string | null;
  passwordHash: string | null;
  gradeLevel: string | null;
  studentNumber: string | null;
  sourceId?: string | null;
};

export async function insertPerson(db: Kysely<DB>, p: NewPerson): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto("people")
    .values({
      id,
      district_id: p.districtId,
      ...nameColumns(p.givenName, p.familyName),
      email: p.email,
      password_hash: p.passwordHash,
      status: "active",
      grade_level: p.gradeLevel,
      student_number: p.studentNumber,
      source_id: p.sourceId ?? null,
      created_at: now,
      updated_at: now,
      deactivated_at: null,
    })
    .execute();
  return id;
}

export async function updatePersonRow(
  db: Kysely<DB>,
  id: string,
  changes: Partial<Omit<PersonRow, "id" | "district_id" | "created_at">>,
): Promise<void> {
  await db
    .updateTable("people")
    .set({ ...changes, updated_at: nowIso() })
    .where("id", "=", id)
    .execute();
}

/** Replaces a person's role grants with `roles`. */
export async function replaceRoles(
  db: Kysely<DB>,
  districtId: string,
  personId: string,
  roles: readonly { role: Role; schoolId: string | null }[],
): Promise<void> {
  await db.deleteFrom("role_assignments").where("person_id", "=", personId).execute();
  if (roles.length === 0) return;
  const now = nowIso();
  await db
    .insertInto("role_assignments")
    .values(
      roles.map((r) => ({
        id: newId(),
        person_id: personId,
        district_id: districtId,
        role: r.role,
        school_id: r.schoolId,
        created_at: now,
      })),
    )
    .execute();
}

/** Adds one role grant to a person, keeping the ones they hold. */
export async function grantRole(db: Kysely<DB>, g: { districtId: string; personId: string; role: Role; schoolId: string | null }): Promise<void> {
  await db
    .insertInto("role_assignments")
    .values({ id: newId(), person_id: g.personId, district_id: g.districtId, role: g.role, school_id: g.schoolId, created_at: nowIso() })
    .execute();
}

/** How many people hold the district_admin role and are active (to refuse removing the last one). */
export async function countActiveAdmins(db: Kysely<DB>, districtId: string): Promise<number> {
  const row = await db
    .selectFrom("role_assignments as ra")
    .innerJoin("people as p", "p.id", "ra.person_id")
    .select(sql<number>`count(distinct p.id)`.as("n"))
    .where("ra.district_id", "=", districtId)
    .where("ra.role", "=", "district_admin")
    .where("p.status", "=", "active")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
