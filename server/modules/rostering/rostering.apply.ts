import { CompiledQuery, sql, type Compilable, type Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { nowIso } from "../../lib.js";
import { endSessionsOf } from "../../auth/session-store.js";
import { nameColumns } from "../people/api.js";
import type { SpoolValue } from "./spool.js";

// The bulk apply: the planned changes of an import written in multi-row upserts, inside the
// service's one transaction. Imports write people, role grants and schools in bulk here rather than
// through the people and schools services: one service call per row would turn a 200,000-person
// import into hours. The name folding is the people module's own (nameColumns), so the directory's
// sort and search see imported people exactly like hand-made ones.

/** SQLite binds at most 32,766 parameters per statement; batches stay under it on both dialects. */
const MAX_PARAMS = 32_000;
const MAX_ROWS = 2000;

/**
 * `do update set c = excluded.c` for each column: the upsert every roster table uses.
 * Column names are checked against the table by the caller's `values`; `excluded.*` has no Kysely
 * type of its own, hence the one cast.
 */
function fromExcluded(columns: readonly string[]): never {
  return Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)])) as never;
}

export const batchRows = (columns: number): number => Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / columns)));

type Row = SpoolValue[];
const str = (v: SpoolValue | undefined): string => String(v ?? "");
const strOrNull = (v: SpoolValue | undefined): string | null => (v === null || v === undefined ? null : String(v));
const status = (v: SpoolValue | undefined): "active" | "inactive" => (v === "inactive" ? "inactive" : "active");

// Kysely builds and compiles a 2,000-row insert cell by cell, which costs as much as SQLite's own
// work on it. A batch of the same op and size always compiles to the same SQL, so it is compiled
// once and then run with the next batch's parameters (cells in the row objects' key order, which is
// the order Kysely lists the columns in). Still Kysely's SQL, still fully parameterised.
const compiledSql = new Map<string, string>();

/** Inserts (or upserts) one batch, compiling its SQL only the first time a batch of this op and size comes. */
export async function runBatch<R extends Record<string, unknown>>(db: Kysely<DB>, op: string, rows: R[], build: (rows: R[]) => Compilable): Promise<void> {
  const key = `${db.getExecutor().adapter.constructor.name}:${op}:${rows.length}`;
  const cached = compiledSql.get(key);
  if (cached === undefined) {
    const compiled = build(rows).compile();
    if (compiledSql.size > 500) compiledSql.clear();
    compiledSql.set(key, compiled.sql);
    await db.executeQuery(compiled);
    return;
  }
  const parameters: unknown[] = [];
  for (const row of rows) for (const column in row) parameters.push(row[column]);
  await db.executeQuery(CompiledQuery.raw(cached, parameters));
}

/** Columns per spool op, for batch sizing. */
export const OP_COLUMNS: Record<string, number> = {
  org: 10,
  school: 9,
  session: 13,
  course: 13,
  class: 16,
  terms: 2,
  person: 16,
  "role+": 7,
  "role-": 1,
  enr: 14,
  "x:roster_orgs": 1,
  "x:schools": 1,
  "x:academic_sessions": 1,
  "x:courses": 1,
  "x:classes": 1,
  "x:people": 1,
  xenr: 1,
};

/** Writes one batch of same-kind ops (see the planner for each op's layout). */
export async function applyBatch(db: Kysely<DB>, districtId: string, tag: string, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const now = nowIso();
  switch (tag) {
    case "org":
      await runBatch(
        db,
        "org",
        rows.map((r) => ({
          id: str(r[0]),
          district_id: districtId,
          source_id: str(r[1]),
          type: str(r[2]),
          name: str(r[3]),
          parent_source_id: strOrNull(r[4]),
          status: status(r[5]),
          created_at: now,
          updated_at: now,
          deactivated_at: strOrNull(r[6]),
        })),
        (values) =>
          db
            .insertInto("roster_orgs")
            .values(values)
            .onConflict((oc) =>
              oc.column("id").doUpdateSet(fromExcluded(["type", "name", "parent_source_id", "status", "deactivated_at", "updated_at"])),
            ),
      );
      return;
    case "school":
      await runBatch(
        db,
        "school",
        rows.map((r) => ({
          id: str(r[0]),
          district_id: districtId,
          name: str(r[1]),
          level: str(r[2]) as "elementary" | "middle" | "high" | "other",
          code: strOrNull(r[3]),
          status: status(r[4]),
          source_id: strOrNull(r[5]),
          created_at: now,
          updated_at: now,
        })),
        (values) =>
          db
            .insertInto("schools")
            .values(values)
            .onConflict((oc) =>
              oc.column("id").doUpdateSet(fromExcluded(["name", "code", "status", "source_id", "updated_at"])),
            ),
      );
      return;
    case "session":
      await runBatch(
        db,
        "session",
        rows.map((r) => ({
          id: str(r[0]),
          district_id: districtId,
          source_id: str(r[1]),
          title: str(r[2]),
          type: str(r[3]) as "term" | "gradingPeriod" | "schoolYear" | "semester",
          start_date: str(r[4]),
          end_date: str(r[5]),
          school_year: strOrNull(r[6]),
          parent_id: strOrNull(r[7]),
          status: status(r[8]),
          created_at: now,
          updated_at: now,
          deactivated_at: strOrNull(r[9]),
        })),
        (values) =>
          db
            .insertInto("academic_sessions")
            .values(values)
            .onConflict((oc) =>
              oc.column("id").doUpdateSet(fromExcluded(["title", "type", "start_date", "end_date", "school_year", "parent_id", "status", "deactivated_at", "updated_at"])),
            ),
      );
      return;
    case "course":
      await runBatch(
        db,
        "course",
        rows.map((r) => ({
          id: str(r[0]),
          district_id: districtId,
          source_id: str(r[1]),
          title: str(r[2]),
          course_code: strOrNull(r[3]),
          grades: strOrNull(r[4]),
          subjects: strOrNull(r[5]),
          school_year_id: strOrNull(r[6]),
          school_id: strOrNull(r[7]),
          status: status(r[8]),
          created_at: now,
          updated_at: now,
          deactivated_at: strOrNull(r[9]),
        })),
        (values) =>
          db
            .insertInto("courses")
            .values(values)
            .onConflict((oc) =>
              oc.column("id").doUpdateSet(fromExcluded(["title", "course_code", "grades", "subjects", "school_year_id", "school_id", "status", "deactivated_at", "updated_at"])),
            ),
      );
      return;
    case "class":
      await runBatch(
        db,
        "class",
        rows.map((r) => ({
          id: str(r[0]),
          district_id: districtId,
          source_id: str(r[1]),
          school_id: str(r[2]),
          course_id: str(r[3]),
          title: str(r[4]),
          class_code: strOrNull(r[5]),
          class_type: str(r[6]) === "homeroom" ? ("homeroom" as const) : ("scheduled" as const),
          location: strOrNull(r[7]),
          grades: strOrNull(r[8]),
          subjects: strOrNull(r[9]),
          periods: strOrNull(r[10]),
          status: status(r[11]),
          created_at: now,
          updated_at: now,
          deactivated_at: strOrNull(r[12]),
        })),
        (values) =>
          db
            .insertInto("classes")
            .values(values)
            .onConflict((oc) =>
              oc.column("id").doUpdateSet(fromExcluded(["school_id", "course_id", "title", "class_code", "class_type", "location", "grades", "subjects", "periods", "status", "deactivated_at", "updated_at"])),
            ),
      );
      return;
    case "terms": {
      await db
        .deleteFrom("class_terms")
        .where(
          "class_id",
          "in",
          rows.map((r) => str(r[0])),
        )
        .execute();
      const pairs = rows.flatMap((r) =>
        str(r[1])
          .split(",")
          .filter(Boolean)
          .map((sessionId) => ({ class_id: str(r[0]), session_id: sessionId })),
      );
      for (let i = 0; i < pairs.length; i += batchRows(2)) {
        await db
          .insertInto("class_terms")
          .values(pairs.slice(i, i + batchRows(2)))
          .execute();
      }
      return;
    }
    case "person":
      await runBatch(
        db,
        "person",
        rows.map((r) => ({
          id: str(r[0]),
          district_id: districtId,
          source_id: strOrNull(r[1]),
          ...nameColumns(str(r[2]), str(r[3])),
          email: strOrNull(r[4]),
          password_hash: null,
          grade_level: strOrNull(r[5]),
          student_number: strOrNull(r[6]),
          status: status(r[7]),
          created_at: now,
          updated_at: now,
          deactivated_at: strOrNull(r[8]),
        })),
        (values) =>
          db
            .insertInto("people")
            .values(values)
            // Never the password: an import changes what the SIS knows about a person, not their sign-in.
            .onConflict((oc) =>
              oc.column("id").doUpdateSet(fromExcluded(["source_id", "given_name", "family_name", "given_lc", "family_lc", "sort_name", "email", "grade_level", "student_number", "status", "deactivated_at", "updated_at"])),
            ),
      );
      // A person the import deactivates is signed out everywhere, like a deactivation by hand.
      {
        const inactive = rows.filter((r) => r[7] === "inactive").map((r) => str(r[0]));
        await endSessionsOf(db, inactive);
      }
      return;
    case "role+":
      await runBatch(
        db,
        "role+",
        rows.map((r) => ({
          id: str(r[0]),
          person_id: str(r[1]),
          district_id: districtId,
          role: str(r[2]),
          school_id: strOrNull(r[3]),
          source: r[4] === "roster" ? ("roster" as const) : null,
          created_at: now,
        })),
        (values) => db.insertInto("role_assignments").values(values),
      );
      return;
    case "role-":
      await db
        .deleteFrom("role_assignments")
        .where(
          "id",
          "in",
          rows.map((r) => str(r[0])),
        )
        .execute();
      return;
    case "enr":
      await runBatch(
        db,
        "enr",
        rows.map((r) => ({
          id: str(r[0]),
          district_id: districtId,
          source_id: str(r[1]),
          class_id: str(r[2]),
          person_id: str(r[3]),
          school_id: str(r[4]),
          role: str(r[5]) === "teacher" ? ("teacher" as const) : ("student" as const),
          is_primary: Number(r[6] ?? 0),
          begin_date: strOrNull(r[7]),
          end_date: strOrNull(r[8]),
          status: status(r[9]),
          created_at: now,
          updated_at: now,
          deactivated_at: strOrNull(r[10]),
        })),
        (values) =>
          db
            .insertInto("enrollments")
            .values(values)
            // By sourcedId: the planner keeps only a fingerprint of each stored enrolment, not its id.
            .onConflict((oc) =>
              oc.columns(["district_id", "source_id"]).doUpdateSet(fromExcluded(["class_id", "person_id", "school_id", "role", "is_primary", "begin_date", "end_date", "status", "deactivated_at", "updated_at"])),
            ),
      );
      return;
    case "x:schools":
      await db
        .updateTable("schools")
        .set({ status: "inactive", updated_at: now })
        .where("district_id", "=", districtId)
        .where(
          "id",
          "in",
          rows.map((r) => str(r[0])),
        )
        .execute();
      return;
    case "x:roster_orgs":
    case "x:academic_sessions":
    case "x:courses":
    case "x:classes": {
      const table = tag.slice(2) as "roster_orgs" | "academic_sessions" | "courses" | "classes";
      await db
        .updateTable(table)
        .set({ status: "inactive", deactivated_at: now, updated_at: now })
        .where("district_id", "=", districtId)
        .where(
          "id",
          "in",
          rows.map((r) => str(r[0])),
        )
        .execute();
      return;
    }
    case "x:people": {
      const ids = rows.map((r) => str(r[0]));
      await db
        .updateTable("people")
        .set({ status: "inactive", deactivated_at: now, updated_at: now })
        .where("district_id", "=", districtId)
        .where("id", "in", ids)
        .execute();
      await endSessionsOf(db, ids);
      return;
    }
    case "xenr":
      await db
        .updateTable("enrollments")
        .set({ status: "inactive", deactivated_at: now, updated_at: now })
        .where("district_id", "=", districtId)
        .where(
          "source_id",
          "in",
          rows.map((r) => str(r[0])),
        )
        .execute();
      return;
    default:
      throw new Error(`unknown roster op ${tag}`);
  }
}

/**
 * Runs `work` with a larger SQLite page cache (128 MiB instead of 2 MiB), restored afterwards. A
 * first import writes a million rows into indexes keyed by random-looking sourcedIds; with the
 * default cache nearly every insert evicts a page to the WAL and reads it back.
 */
export async function withLargePageCache<T>(db: Kysely<DB>, isSqlite: boolean, work: () => Promise<T>): Promise<T> {
  if (!isSqlite) return work();
  const { rows } = await sql<{ cache_size: number }>`pragma cache_size`.execute(db);
  const before = Number(rows[0]?.cache_size ?? -2000);
  // PRAGMA takes no bound parameters; both values are numbers made here.
  await sql.raw(`pragma cache_size = ${-128 * 1024}`).execute(db);
  try {
    return await work();
  } finally {
    await sql.raw(`pragma cache_size = ${Number.isFinite(before) ? before : -2000}`).execute(db);
  }
}

