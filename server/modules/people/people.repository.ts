import { SqliteAdapter, sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from "kysely";
import { STUDENT_ROLES, type Role } from "../../../shared/roles.js";
import type { PeopleScope } from "../../../shared/policy/people.js";
import type { DB, PeopleTable } from "../../db/schema.js";
import { compileOnce } from "../../db/compile-once.js";
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

type WordColumn = "p.family_lc" | "p.given_lc" | "p.email";

/**
 * Each search word must be a prefix of the given name, family name or email (index range scans);
 * `upper` is prefixUpperBound(word). With `isNameOrderWalk`, each column is written `+column`, which
 * keeps SQLite from reaching for that column's index, so it walks the name order instead (SQLite only:
 * see listPeople).
 */
function matchesWord(eb: PeopleEB, word: string, upper: string, isNameOrderWalk = false): Expression<SqlBool> {
  const range = (c: WordColumn) => prefixRange(eb, isNameOrderWalk ? sql<string>`+${sql.ref(c)}` : eb.ref(c), word, upper);
  return eb.or([range("p.family_lc"), range("p.given_lc"), range("p.email")]);
}

/** `column` starts with `word`, as an index range: `column >= word and column < upper`. */
function prefixRange(eb: PeopleEB, column: Expression<string | null>, word: string, upper: string): Expression<SqlBool> {
  return eb.and([eb(column, ">=", word), eb(column, "<", upper)]);
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
function filteredPeople(db: Kysely<DB>, f: PeopleFilter, uppers: readonly string[], isNameOrderWalk = false) {
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
    f.words.forEach((word, i) => {
      q = q.where((eb) => matchesWord(eb, word, uppers[i] ?? "", isNameOrderWalk));
    });
    if (hasFilter) q = q.where("p.id", "in", (eb) => eb.selectFrom("filter_people").select("filter_people.person_id"));
    if (scope.kind === "schools") q = q.where("p.id", "in", (eb) => eb.selectFrom("scope_people").select("scope_people.person_id"));
    return q;
  };
  return { qc, from, plain: db as unknown as Kysely<DB & PeopleCtes> };
}

// The directory's two queries run on every page view; they are built and compiled once per shape
// (db/compile-once.ts). What changes their SQL text is the filter's shape; everything else is a value.

/** What makes the filter's SQL text differ: the scope's kind and list lengths, and which filters are on. */
function filterShape(f: PeopleFilter): string {
  const { scope } = f;
  const lists = scope.kind === "schools" ? `${scope.fullSchoolIds.length}/${scope.staffSchoolIds.length}` : "";
  return `${scope.kind}${lists}:${f.status === "all" ? "all" : "status"}:${f.words.length}:${f.role === undefined ? "" : "role"}:${f.schoolId === undefined ? "" : "school"}`;
}

/** The filter's bound values, in the order `withValues` reads them back. */
function filterValues(f: PeopleFilter): unknown[] {
  const { scope } = f;
  return [
    f.districtId,
    ...(f.status === "all" ? [] : [f.status]),
    ...(f.role === undefined ? [] : [f.role]),
    ...(f.schoolId === undefined ? [] : [f.schoolId]),
    ...(scope.kind === "schools" ? [...scope.fullSchoolIds, ...scope.staffSchoolIds] : []),
    ...f.words.flatMap((w) => [w, prefixUpperBound(w)]),
  ];
}

/** `f`'s shape with its values taken from `values` (placeholders, while compileOnce compiles); returns what follows them. */
function withValues(f: PeopleFilter, values: readonly unknown[]): { filter: PeopleFilter; uppers: string[]; rest: unknown[] } {
  let at = 0;
  const next = <T>() => values[at++] as T;
  const districtId = next<string>();
  const status = f.status === "all" ? f.status : next<PeopleFilter["status"]>();
  const role = f.role === undefined ? undefined : next<Role>();
  const schoolId = f.schoolId === undefined ? undefined : next<string>();
  const scope: PeopleScope =
    f.scope.kind === "schools"
      ? { ...f.scope, fullSchoolIds: f.scope.fullSchoolIds.map(() => next<string>()), staffSchoolIds: f.scope.staffSchoolIds.map(() => next<string>()) }
      : f.scope;
  const words: string[] = [];
  const uppers: string[] = [];
  for (let i = 0; i < f.words.length; i++) {
    words.push(next<string>());
    uppers.push(next<string>());
  }
  const filter: PeopleFilter = { districtId, scope, status, words, ...(role === undefined ? {} : { role }), ...(schoolId === undefined ? {} : { schoolId }) };
  return { filter, uppers, rest: values.slice(at) };
}

type After = { sortName: string; id: string };

/** The rows after the keyset cursor (sort_name, id); the `>=` lets an index on the name order start there. */
function afterCursor(eb: PeopleEB, sortName: string, id: string): Expression<SqlBool> {
  return eb.and([
    eb("p.sort_name", ">=", sortName),
    eb.or([eb("p.sort_name", ">", sortName), eb.and([eb("p.sort_name", "=", sortName), eb("p.id", ">", id)])]),
  ]);
}

/**
 * Given-name or email matches of one search word above which the word is common: walking the name
 * order then meets a match at least every few hundred people (see listPeople).
 */
export const COMMON_WORD_MATCHES = 1000;
/** Each count stops here: one past common. */
const WORD_COUNT_CAP = COMMON_WORD_MATCHES + 1;

/**
 * How SQLite reads a page of a district-wide search:
 * - `walk`: along the name order (people_sort_idx, which holds the three searched columns), testing
 *   each person, until the page is full. Cheap when matches are dense: one in every few hundred.
 * - `arms`: for the `word`-th search word, three ordered reads merged by UNION: its family-name
 *   matches straight off the name order (a family-name prefix is a sort_name prefix), its given-name
 *   matches and its email matches from their own indexes, sorted. Cheap when those two are few.
 * SQLite's own planner, left to choose from the OR of three ranges, often took the given and email
 * indexes for thousands of matches, then sorted them all: 5–15 ms where the walk takes 0.5.
 */
export type SearchPlan = { kind: "walk" } | { kind: "arms"; word: number };

/**
 * Chooses the page plan from each word's given-name and email matches, counted (up to
 * COMMON_WORD_MATCHES + 1 each) from their indexes alone. The rarest word drives the arms; when even
 * it is common, one word walks, and several are left to SQLite's planner (null): the people matching
 * two common words ("mar j") cluster where one word's family names sort, so the walk can go a long way
 * before a page of them turns up (8–14 ms at 200,000 people either way; docs/benchmarks.md). Family-name
 * matches need no count: the arms read only a page of them.
 */
export async function chooseSearchPlan(db: Kysely<DB>, districtId: string, words: readonly string[]): Promise<SearchPlan | null> {
  const values: [string, number, ...string[]] = [districtId, WORD_COUNT_CAP, ...words.flatMap((w) => [w, prefixUpperBound(w)])];
  const compiled = compileOnce(db, `searchWordMatches:${words.length}`, values, (district, limit, ...bounds) =>
    db.selectNoFrom((eb) =>
      words.flatMap((_, i) => {
        const [word, upper] = [bounds[2 * i] as string, bounds[2 * i + 1] as string];
        const capped = (column: "given_lc" | "email") =>
          eb
            .selectFrom(
              eb
                .selectFrom("people")
                .select(sql<number>`1`.as("one"))
                .where("district_id", "=", district)
                .where(column, ">=", word)
                .where(column, "<", upper)
                .limit(limit)
                .as("t"),
            )
            .select((c) => c.fn.countAll<number>().as("n"));
        return [capped("given_lc").as(`g${i}`), capped("email").as(`e${i}`)];
      }),
    ),
  );
  const row = (await db.executeQuery(compiled)).rows[0] as Record<string, number | string> | undefined;
  if (!row) throw new Error("the search word counts returned no row");
  return planFromCounts(words.map((_, i) => ({ given: Number(row[`g${i}`]), email: Number(row[`e${i}`]) })));
}

/** chooseSearchPlan's rule, from each word's capped given-name and email counts. */
export function planFromCounts(counts: readonly { given: number; email: number }[]): SearchPlan | null {
  let rarest = 0;
  counts.forEach((c, i) => {
    const r = counts[rarest];
    if (r && c.given + c.email < r.given + r.email) rarest = i;
  });
  const c = counts[rarest];
  if (!c || (c.given < WORD_COUNT_CAP && c.email < WORD_COUNT_CAP)) return { kind: "arms", word: rarest };
  return counts.length === 1 ? { kind: "walk" } : null;
}

/**
 * Whether listPeople may choose its page plan: SQLite, a search, one status, and no role, school or
 * scope filter (those are driven from role_assignments, which is already few rows).
 */
export function isPlannedSearch(db: Kysely<DB>, f: PeopleFilter): boolean {
  return (
    db.getExecutor().adapter instanceof SqliteAdapter &&
    f.words.length > 0 &&
    f.status !== "all" &&
    f.scope.kind === "district" &&
    f.role === undefined &&
    f.schoolId === undefined
  );
}

/**
 * One page of people ordered by (sort_name, id), after the cursor when given. A district-wide search
 * on SQLite is read by the plan chooseSearchPlan picks; the results are the same rows either way.
 */
export async function listPeople(db: Kysely<DB>, f: PeopleFilter, after: After | null, limit: number): Promise<PersonRow[]> {
  const plan = isPlannedSearch(db, f) ? await chooseSearchPlan(db, f.districtId, f.words) : null;
  return listPeopleByPlan(db, f, plan, after, limit);
}

/** listPeople's page by the given plan (null: as the database plans it; a plan needs isPlannedSearch). */
export async function listPeopleByPlan(db: Kysely<DB>, f: PeopleFilter, plan: SearchPlan | null, after: After | null, limit: number): Promise<PersonRow[]> {
  const values = [...filterValues(f), ...(after ? [after.sortName, after.id] : []), limit];
  const planKey = plan === null ? "" : plan.kind === "walk" ? ":walk" : `:arms${plan.word}`;
  const compiled = compileOnce(db, `listPeople:${filterShape(f)}:${after ? "after" : "first"}${planKey}`, values, (...v) => {
    const { filter, uppers, rest } = withValues(f, v);
    const cursor = after ? { sortName: rest[0] as string, id: rest[1] as string } : null;
    const pageSize = rest[rest.length - 1] as number;
    if (plan?.kind === "arms") return searchArmsPage(db, filter, uppers, plan.word, cursor, pageSize);
    const { qc, from } = filteredPeople(db, filter, uppers, plan?.kind === "walk");
    let q = from(qc);
    if (cursor) q = q.where((eb) => afterCursor(eb, cursor.sortName, cursor.id));
    return q.selectAll("p").orderBy("p.sort_name").orderBy("p.id").limit(pageSize);
  });
  return (await db.executeQuery(compiled)).rows;
}

/** The `arms` plan (see SearchPlan): a district-wide search with one status, driven by word `k`. */
function searchArmsPage(db: Kysely<DB>, f: PeopleFilter, uppers: readonly string[], k: number, after: After | null, limit: number) {
  const word = f.words[k] ?? "";
  const upper = uppers[k] ?? "";
  const arm = (name: string, matches: (eb: PeopleEB) => Expression<SqlBool>) => {
    let q = db
      .selectFrom("people as p")
      .select(["p.sort_name", "p.id"])
      .where("p.district_id", "=", f.districtId)
      .where("p.status", "=", f.status as "active" | "inactive")
      .where(matches);
    f.words.forEach((w, i) => {
      if (i !== k) q = q.where((eb) => matchesWord(eb, w, uppers[i] ?? ""));
    });
    if (after) q = q.where((eb) => afterCursor(eb, after.sortName, after.id));
    return db.selectFrom(q.orderBy("p.sort_name").orderBy("p.id").limit(limit).as(name)).selectAll();
  };
  const merged = arm("by_family", (eb) =>
    // The family name's prefix is the sort name's (a word holds no space), so the name order serves it.
    eb.and([prefixRange(eb, eb.ref("p.sort_name"), word, upper), prefixRange(eb, eb.ref("p.family_lc"), word, upper)]),
  )
    .union(arm("by_given", (eb) => prefixRange(eb, eb.ref("p.given_lc"), word, upper)))
    .union(arm("by_email", (eb) => prefixRange(eb, eb.ref("p.email"), word, upper)))
    .orderBy("sort_name")
    .orderBy("id")
    .limit(limit);
  return db
    .selectFrom(merged.as("m"))
    .innerJoin("people as p", "p.id", "m.id")
    .selectAll("p")
    .orderBy("m.sort_name")
    .orderBy("m.id");
}

/**
 * How many people match; with `upTo`, counting stops there (a LIMITed subquery: the database stops
 * reading after `upTo` matches instead of counting all 17,000 people named "mar…").
 */
export async function countPeople(db: Kysely<DB>, f: PeopleFilter, upTo?: number): Promise<number> {
  const values = [...filterValues(f), ...(upTo === undefined ? [] : [upTo])];
  const compiled = compileOnce(db, `countPeople:${filterShape(f)}:${upTo === undefined ? "all" : "upTo"}`, values, (...v) => {
    const { filter, uppers, rest } = withValues(f, v);
    const { qc, from, plain } = filteredPeople(db, filter, uppers);
    if (upTo === undefined) return from(qc).select((eb) => eb.fn.countAll<number>().as("n"));
    return qc
      .selectFrom(
        from(plain)
          .select(sql<number>`1`.as("one"))
          .limit(rest[0] as number)
          .as("t"),
      )
      .select((eb) => eb.fn.countAll<number>().as("n"));
  });
  const row = (await db.executeQuery(compiled)).rows[0];
  if (!row) throw new Error("the count returned no row");
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
