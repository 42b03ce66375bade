import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from "kysely";
import { CountLimits } from "../shared/limits.js";
import { actorFromApiToken } from "../server/auth/session-store.js";
import type { Dialect } from "../server/db/index.js";
import type { DB } from "../server/db/schema.js";
import { prefixUpperBound } from "../server/lib.js";
import { insertAudit } from "../server/modules/audit/audit.repository.js";
import { rolesOf } from "../server/modules/people/api.js";
import {
  COMMON_WORD_MATCHES,
  countPeople,
  listPeople,
  planFromCounts,
  type PeopleFilter,
  type SearchPlan,
} from "../server/modules/people/people.repository.js";

// The bare route's SQL, written out by hand. It must be the very SQL the repositories compile to,
// or the ratio would measure a different query rather than the framework; `checkSameSql` proves it.

/** The filters the bare route supports: what the benchmark's scenarios use, for a district-wide actor. */
export type BareFilter = { districtId: string; status: "active" | "inactive" | "all"; words: string[]; schoolId?: string };

export type SqlText = { sql: string; params: unknown[] };

class Params {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: Dialect) {}
  add(value: unknown): string {
    this.values.push(value);
    return this.dialect === "sqlite" ? "?" : `$${this.values.length}`;
  }
}

/**
 * Variations on today's statements, for measuring server changes (`--what-if`, sql-plans.ts).
 * The defaults give exactly what the repositories compile to today.
 */
export type SqlOptions = {
  /**
   * The school filter as it was before `62ee862`: `p.id in (select … from role_assignments …)`, which
   * a planner may flatten and drive from the name order. Today it is a materialized CTE.
   */
  isSchoolSubquery?: boolean;
  /**
   * Count at most this many matches plus one ("1,000+"); default `CountLimits.cap`, as the server does.
   * null: count every match, as the server did before the cap.
   */
  countCap?: number | null;
};

/** One word's three prefix ranges; `+column` on SQLite's walk (people.repository.ts, SearchPlan). */
function wordMatch(p: Params, word: string, plus = ""): string {
  const upper = prefixUpperBound(word);
  return (
    `((${plus}"p"."family_lc" >= ${p.add(word)} and ${plus}"p"."family_lc" < ${p.add(upper)})` +
    ` or (${plus}"p"."given_lc" >= ${p.add(word)} and ${plus}"p"."given_lc" < ${p.add(upper)})` +
    ` or (${plus}"p"."email" >= ${p.add(word)} and ${plus}"p"."email" < ${p.add(upper)}))`
  );
}

function peopleWhere(p: Params, f: BareFilter, o: SqlOptions, plus = ""): string {
  // The CTE's parameters come first in the text, so they are numbered first.
  const cte =
    !o.isSchoolSubquery && f.schoolId !== undefined
      ? `with "filter_people" as materialized (select "fra"."person_id" from "role_assignments" as "fra" where "fra"."district_id" = ${p.add(f.districtId)} and "fra"."school_id" = ${p.add(f.schoolId)}) `
      : "";
  let where = `from "people" as "p" where "p"."district_id" = ${p.add(f.districtId)}`;
  if (f.status !== "all") where += ` and "p"."status" = ${p.add(f.status)}`;
  for (const word of f.words) where += ` and ${wordMatch(p, word, plus)}`;
  if (f.schoolId !== undefined) {
    where += cte
      ? ` and "p"."id" in (select "filter_people"."person_id" from "filter_people")`
      : ` and "p"."id" in (select "fra"."person_id" from "role_assignments" as "fra" where "fra"."district_id" = ${p.add(f.districtId)} and "fra"."school_id" = ${p.add(f.schoolId)})`;
  }
  return cte + where;
}

/** Splits `with … ` off the front of a where clause built above, so `select` can go between. */
function withSelect(where: string, select: string): string {
  const at = where.indexOf(`from "people"`);
  return `${where.slice(0, at)}${select} ${where.slice(at)}`;
}

/**
 * First page (limit + 1 rows, to know whether there is a next page), ordered by name; by `plan` for a
 * district-wide search on SQLite (people.repository.ts: chooseSearchPlan), else as the database plans it.
 */
export function pageSql(dialect: Dialect, f: BareFilter, limit: number, o: SqlOptions = {}, plan: SearchPlan | null = null): SqlText {
  const p = new Params(dialect);
  if (plan?.kind === "arms") return { sql: armsSql(p, f, plan.word, limit), params: p.values };
  const where = peopleWhere(p, f, o, plan?.kind === "walk" ? "+" : "");
  const sql = `${withSelect(where, `select "p".*`)} order by "p"."sort_name", "p"."id" limit ${p.add(limit)}`;
  return { sql, params: p.values };
}

/** The arms plan: word `k`'s family (off the name order), given-name and email matches, merged. */
function armsSql(p: Params, f: BareFilter, k: number, limit: number): string {
  const word = f.words[k] ?? "";
  const upper = prefixUpperBound(word);
  const arm = (name: string, matches: () => string) => {
    let where = `where "p"."district_id" = ${p.add(f.districtId)} and "p"."status" = ${p.add(f.status)} and ${matches()}`;
    f.words.forEach((w, i) => {
      if (i !== k) where += ` and ${wordMatch(p, w)}`;
    });
    return `select * from (select "p"."sort_name", "p"."id" from "people" as "p" ${where} order by "p"."sort_name", "p"."id" limit ${p.add(limit)}) as "${name}"`;
  };
  const byFamily = arm(
    "by_family",
    () => `(("p"."sort_name" >= ${p.add(word)} and "p"."sort_name" < ${p.add(upper)}) and ("p"."family_lc" >= ${p.add(word)} and "p"."family_lc" < ${p.add(upper)}))`,
  );
  const byGiven = arm("by_given", () => `("p"."given_lc" >= ${p.add(word)} and "p"."given_lc" < ${p.add(upper)})`);
  const byEmail = arm("by_email", () => `("p"."email" >= ${p.add(word)} and "p"."email" < ${p.add(upper)})`);
  const merged = `${byFamily} union ${byGiven} union ${byEmail} order by "sort_name", "id" limit ${p.add(limit)}`;
  return `select "p".* from (${merged}) as "m" inner join "people" as "p" on "p"."id" = "m"."id" order by "m"."sort_name", "m"."id"`;
}

/** Whether the directory chooses a page plan for `f` (people.repository.ts: isPlannedSearch), for a district-wide actor. */
export function isPlannedBareSearch(dialect: Dialect, f: BareFilter): boolean {
  return dialect === "sqlite" && f.words.length > 0 && f.status !== "all" && f.schoolId === undefined;
}

/** Each word's given-name and email matches, each counted up to COMMON_WORD_MATCHES + 1 (chooseSearchPlan). */
export function wordCountsSql(dialect: Dialect, districtId: string, words: readonly string[]): SqlText {
  const p = new Params(dialect);
  const capped = (column: string, word: string, upper: string) =>
    `(select count(*) as "n" from (select 1 as "one" from "people" where "district_id" = ${p.add(districtId)} and "${column}" >= ${p.add(word)} and "${column}" < ${p.add(upper)} limit ${p.add(COMMON_WORD_MATCHES + 1)}) as "t")`;
  const columns = words.flatMap((w, i) => {
    const upper = prefixUpperBound(w);
    return [`${capped("given_lc", w, upper)} as "g${i}"`, `${capped("email", w, upper)} as "e${i}"`];
  });
  return { sql: `select ${columns.join(", ")}`, params: p.values };
}

/** The plan wordCountsSql's row chooses. */
export function planOfCounts(row: Record<string, unknown> | undefined, words: readonly string[]): SearchPlan | null {
  return planFromCounts(words.map((_, i) => ({ given: Number(row?.[`g${i}`] ?? 0), email: Number(row?.[`e${i}`] ?? 0) })));
}

export function countSql(dialect: Dialect, f: BareFilter, o: SqlOptions = {}): SqlText {
  const p = new Params(dialect);
  const where = peopleWhere(p, f, o);
  const cap = o.countCap === undefined ? CountLimits.cap : o.countCap;
  if (cap === null) return { sql: withSelect(where, `select count(*) as "n"`), params: p.values };
  const at = where.indexOf(`from "people"`);
  const sql = `${where.slice(0, at)}select count(*) as "n" from (select 1 as "one" ${where.slice(at)} limit ${p.add(cap + 1)}) as "t"`;
  return { sql, params: p.values };
}

/** The role grants of a page of people (the directory's own table). */
export function rolesOfSql(dialect: Dialect, personIds: readonly string[]): SqlText {
  const p = new Params(dialect);
  const list = personIds.map((id) => p.add(id)).join(", ");
  return {
    sql: `select "ra"."person_id", "ra"."role", "ra"."school_id" from "role_assignments" as "ra" where "ra"."person_id" in (${list}) order by "ra"."created_at"`,
    params: p.values,
  };
}

/** The names of the schools those grants name, read the way the schools module's API reads them. */
export function schoolNamesSql(dialect: Dialect, schoolIds: readonly string[]): SqlText {
  const p = new Params(dialect);
  const list = schoolIds.map((id) => p.add(id)).join(", ");
  return { sql: `select "id", "name" from "schools" where "id" in (${list})`, params: p.values };
}

/** The token, its person and (one row per grant, left joined) their role grants: the actor in one statement. */
export function tokenSql(dialect: Dialect, tokenHash: string): SqlText {
  const p = new Params(dialect);
  return {
    sql: `select "api_tokens"."id", "api_tokens"."person_id", "api_tokens"."expires_at", "api_tokens"."revoked_at", "api_tokens"."last_used_at", "api_tokens"."scope", "people"."district_id", "people"."given_name", "people"."family_name", "people"."status", "role_assignments"."role", "role_assignments"."school_id" from "api_tokens" inner join "people" on "people"."id" = "api_tokens"."person_id" left join "role_assignments" on "role_assignments"."person_id" = "api_tokens"."person_id" where "api_tokens"."token_hash" = ${p.add(tokenHash)}`,
    params: p.values,
  };
}

export function touchTokenSql(dialect: Dialect, id: string, at: string): SqlText {
  const p = new Params(dialect);
  const sql = `update "api_tokens" set "last_used_at" = ${p.add(at)} where "id" = ${p.add(id)}`;
  return { sql, params: p.values };
}

export type AuditValues = {
  id: string;
  districtId: string;
  actorId: string;
  ip: string | null;
  userAgent: string | null;
  details: string;
  createdAt: string;
};

export function insertAuditSql(dialect: Dialect, a: AuditValues): SqlText {
  const p = new Params(dialect);
  const values = [a.id, a.districtId, a.actorId, "person.list", null, null, a.ip, a.userAgent, a.details, a.createdAt].map((v) => p.add(v));
  return {
    sql: `insert into "audit_log" ("id", "district_id", "actor_id", "action", "subject_type", "subject_id", "ip", "user_agent", "details", "created_at") values (${values.join(", ")})`,
    params: p.values,
  };
}

// ---------------------------------------------------------------------------------------------
// Proof: compile the repositories' queries with a recording driver and compare text for text.

class RecordingConnection implements DatabaseConnection {
  constructor(
    private readonly log: CompiledQuery[],
    private readonly answer: (q: CompiledQuery) => unknown[],
  ) {}
  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    this.log.push(q);
    return { rows: this.answer(q) as R[] };
  }
  // eslint-disable-next-line require-yield -- never streamed; the interface demands the method
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("not supported");
  }
}

class RecordingDriver implements Driver {
  private readonly connection: RecordingConnection;
  constructor(log: CompiledQuery[], answer: (q: CompiledQuery) => unknown[]) {
    this.connection = new RecordingConnection(log, answer);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  async beginTransaction(): Promise<void> {}
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

function recordingDb(dialect: Dialect, log: CompiledQuery[], answer: (q: CompiledQuery) => unknown[]): Kysely<DB> {
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => (dialect === "sqlite" ? new SqliteAdapter() : new PostgresAdapter()),
      createDriver: () => new RecordingDriver(log, answer),
      createIntrospector: (db) => (dialect === "sqlite" ? new SqliteIntrospector(db) : new PostgresIntrospector(db)),
      createQueryCompiler: () => (dialect === "sqlite" ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
    },
  });
}

function compare(label: string, kysely: CompiledQuery | undefined, bare: SqlText, ignoreParams: readonly number[] = []): string[] {
  if (!kysely) return [`${label}: the repository issued no query`];
  const problems: string[] = [];
  if (kysely.sql !== bare.sql) problems.push(`${label}: SQL differs\n  kysely: ${kysely.sql}\n  bare:   ${bare.sql}`);
  const a = kysely.parameters.map((v, i) => (ignoreParams.includes(i) ? "*" : v));
  const b = bare.params.map((v, i) => (ignoreParams.includes(i) ? "*" : v));
  if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`${label}: parameters differ\n  kysely: ${JSON.stringify(a)}\n  bare:   ${JSON.stringify(b)}`);
  return problems;
}

/**
 * Compiles the real repositories' queries for `filters` and compares them with the bare route's SQL.
 * Returns the differences (empty when every statement is identical, text and parameters).
 */
export async function checkSameSql(dialect: Dialect, filters: readonly BareFilter[]): Promise<string[]> {
  const problems: string[] = [];
  // A planned search is checked twice: with every word common, then rare (each plan's SQL).
  for (const [f, wordCount] of filters.flatMap((f) => (isPlannedBareSearch(dialect, f) ? [[f, COMMON_WORD_MATCHES + 1] as const, [f, 0] as const] : [[f, 0] as const]))) {
    const log: CompiledQuery[] = [];
    const db = recordingDb(dialect, log, (q) => {
      if (/^select \(select count/.test(q.sql)) return [Object.fromEntries(f.words.flatMap((_, i) => [[`g${i}`, wordCount], [`e${i}`, wordCount]]))];
      return /^(with .*\) )?select count\(\*\)/.test(q.sql) ? [{ n: 0 }] : [];
    });
    const filter: PeopleFilter = { districtId: f.districtId, scope: { kind: "district" }, status: f.status, words: f.words, schoolId: f.schoolId };
    await listPeople(db, filter, null, 51);
    await countPeople(db, filter, CountLimits.cap + 1);
    const label = JSON.stringify({ words: f.words, schoolId: f.schoolId ?? null, wordCount });
    let plan: SearchPlan | null = null;
    if (isPlannedBareSearch(dialect, f)) {
      const counts = wordCountsSql(dialect, f.districtId, f.words);
      problems.push(...compare(`word counts ${label}`, log.shift(), counts));
      plan = planOfCounts(Object.fromEntries(f.words.flatMap((_, i) => [[`g${i}`, wordCount], [`e${i}`, wordCount]])), f.words);
    }
    problems.push(...compare(`page ${label}`, log[0], pageSql(dialect, f, 51, {}, plan)));
    problems.push(...compare(`count ${label}`, log[1], countSql(dialect, f)));
  }

  const log: CompiledQuery[] = [];
  const stale = new Date(Date.now() - 3_600_000).toISOString();
  const db = recordingDb(dialect, log, (q) => {
    if (q.sql.includes(`from "api_tokens"`)) {
      return [{ id: "T", person_id: "P", expires_at: null, revoked_at: null, last_used_at: stale, district_id: "D", given_name: "A", family_name: "B", status: "active", role: "district_admin", school_id: null }];
    }
    // The page's grants name two schools, so the school-name lookup runs and can be compared too.
    if (q.sql.includes(`"ra"."person_id" in`)) return [{ person_id: "a", role: "teacher", school_id: "S1" }, { person_id: "b", role: "teacher", school_id: "S2" }];
    return [];
  });
  await actorFromApiToken(db, "cwk_example");
  await rolesOf(db, ["a", "b", "c"]);
  await insertAudit(db, {
    districtId: "D",
    actorId: "P",
    action: "person.list",
    subjectType: null,
    subjectId: null,
    ip: "127.0.0.1",
    userAgent: "ua",
    details: { x: 1 },
  });
  problems.push(...compare("token lookup", log[0], tokenSql(dialect, (log[0]?.parameters[0] as string | undefined) ?? "")));
  // The timestamp and the generated id are taken at run time; compare their positions, not values.
  problems.push(...compare("token touch", log[1], touchTokenSql(dialect, "T", "*"), [0]));
  problems.push(...compare("roles of page", log[2], rolesOfSql(dialect, ["a", "b", "c"])));
  problems.push(...compare("school names of page", log[3], schoolNamesSql(dialect, ["S1", "S2"])));
  problems.push(
    ...compare(
      "audit insert",
      log[4],
      insertAuditSql(dialect, { id: "*", districtId: "D", actorId: "P", ip: "127.0.0.1", userAgent: "ua", details: `{"x":1}`, createdAt: "*" }),
      [0, 9],
    ),
  );
  return problems;
}
