import { CompiledQuery, PostgresAdapter, sql, type Compilable, type Insertable, type Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { nowIso } from "../../lib.js";
import { endAccessOf } from "../../auth/session-store.js";
import { nameColumns } from "../people/api.js";
import type { DeactivatedTable, OpOf, SpoolOp, SpoolOpName } from "./spool-ops.js";
import { copyInto } from "../../db/copy.js";

// The bulk apply: the planned changes of an import written in multi-row upserts, inside the
// service's one transaction. Imports write people, role grants and schools in bulk here rather than
// through the people and schools services: one service call per row would turn a 200,000-person
// import into hours. The name folding is the people module's own (nameColumns), so the directory's
// sort and search see imported people exactly like hand-made ones.

/** SQLite binds at most 32,766 parameters per statement; batches stay under it on both dialects. */
const MAX_PARAMS = 32_000;
/** The most rows one statement writes; the service hands the spool's ops over in runs of at most this many. */
export const MAX_BATCH_ROWS = 2000;

/** How many rows of `columns` columns one statement may write. */
export const batchRows = (columns: number): number => Math.max(1, Math.min(MAX_BATCH_ROWS, Math.floor(MAX_PARAMS / columns)));

// Kysely builds and compiles a 2,000-row insert cell by cell, which costs as much as SQLite's own
// work on it. A batch of the same op and size always compiles to the same SQL, so it is compiled
// once and then run with the next batch's parameters (cells in the row objects' key order, which is
// the order Kysely lists the columns in). Still Kysely's SQL, still fully parameterised.
const compiledSql = new Map<string, string>();

/**
 * Inserts (or upserts) rows in statements that stay under the parameter limit (sized by the rows'
 * own width), compiling each statement's SQL only the first time a batch of this op and size comes.
 */
export async function runBatch<R extends object>(db: Kysely<DB>, op: string, rows: R[], build: (rows: R[]) => Compilable): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const size = batchRows(Object.keys(first).length);
  for (let i = 0; i < rows.length; i += size) {
    await runCompiled(db, op, rows.length <= size ? rows : rows.slice(i, i + size), build);
  }
}

async function runCompiled<R extends object>(db: Kysely<DB>, op: string, rows: R[], build: (rows: R[]) => Compilable): Promise<void> {
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
  for (const row of rows) for (const column in row) parameters.push((row as Record<string, unknown>)[column]);
  await db.executeQuery(CompiledQuery.raw(cached, parameters));
}

type Column<T extends keyof DB> = keyof DB[T] & string;

/**
 * `do update set c = excluded.c` for each column: the upsert every roster table uses.
 * Column names are checked against the table by the caller's `values`; `excluded.*` has no Kysely
 * type of its own, hence the one cast.
 */
function fromExcluded(columns: readonly string[]): never {
  return Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)])) as never;
}

/** Upserts rows of `table`: on a clash on `conflict`, the `update` columns take the new values. */
async function upsert<T extends keyof DB & string>(
  db: Kysely<DB>,
  table: T,
  rows: Insertable<DB[T]>[],
  on: { conflict: readonly Column<T>[]; update: readonly Column<T>[] },
): Promise<void> {
  // `values` and `columns` cannot be typed through a generic table name; the rows are checked
  // against the table by the parameter type above.
  await runBatch(db, table, rows, (values) =>
    db
      .insertInto(table)
      .values(values as never)
      .onConflict((oc) => oc.columns(on.conflict as never).doUpdateSet(fromExcluded(on.update))),
  );
}

/** The ops of a batch, checked to be all of one kind (the service groups them by batchKey). */
function allOf<K extends SpoolOpName>(ops: readonly SpoolOp[], name: K): OpOf<K>[] {
  return ops.map((op) => {
    if (op.op !== name) throw new Error(`a batch of ${name} ops holds a ${op.op} op`);
    return op as OpOf<K>;
  });
}

/** An upsert the bulk apply makes: the table, its conflict target and updated columns, and each op's row. */
type UpsertSpec<K extends SpoolOpName> = {
  table: keyof DB & string;
  conflict: readonly string[];
  update: readonly string[];
  row: (op: OpOf<K>, districtId: string, now: string) => Record<string, unknown>;
};

/** An upsert reactivates: a row the file lists is active again, whatever it was. */
const active = (now: string) => ({ status: "active", created_at: now, updated_at: now, deactivated_at: null }) as const;

const UPSERTS: { [K in "org" | "school" | "session" | "course" | "class" | "person" | "enrollment"]: UpsertSpec<K> } = {
  org: {
    table: "roster_orgs",
    conflict: ["id"],
    update: ["type", "name", "parent_source_id", "status", "deactivated_at", "updated_at"],
    row: (o, districtId, now) => ({ id: o.id, district_id: districtId, source_id: o.sourceId, type: o.type, name: o.name, parent_source_id: o.parentSourceId, ...active(now) }),
  },
  school: {
    table: "schools",
    conflict: ["id"],
    update: ["name", "code", "status", "source_id", "updated_at"],
    row: (o, districtId, now) => ({
      id: o.id,
      district_id: districtId,
      name: o.name,
      level: o.level,
      code: o.code,
      status: "active",
      source_id: o.sourceId,
      created_at: now,
      updated_at: now,
    }),
  },
  session: {
    table: "academic_sessions",
    conflict: ["id"],
    update: ["title", "type", "start_date", "end_date", "school_year", "parent_id", "status", "deactivated_at", "updated_at"],
    row: (o, districtId, now) => ({
      id: o.id,
      district_id: districtId,
      source_id: o.sourceId,
      title: o.title,
      type: o.type,
      start_date: o.startDate,
      end_date: o.endDate,
      school_year: o.schoolYear,
      parent_id: o.parentId,
      ...active(now),
    }),
  },
  course: {
    table: "courses",
    conflict: ["id"],
    update: ["title", "course_code", "grades", "subjects", "school_year_id", "school_id", "status", "deactivated_at", "updated_at"],
    row: (o, districtId, now) => ({
      id: o.id,
      district_id: districtId,
      source_id: o.sourceId,
      title: o.title,
      course_code: o.courseCode,
      grades: o.grades,
      subjects: o.subjects,
      school_year_id: o.schoolYearId,
      school_id: o.schoolId,
      ...active(now),
    }),
  },
  class: {
    table: "classes",
    conflict: ["id"],
    update: ["school_id", "course_id", "title", "class_code", "class_type", "location", "grades", "subjects", "periods", "status", "deactivated_at", "updated_at"],
    row: (o, districtId, now) => ({
      id: o.id,
      district_id: districtId,
      source_id: o.sourceId,
      school_id: o.schoolId,
      course_id: o.courseId,
      title: o.title,
      class_code: o.classCode,
      class_type: o.classType,
      location: o.location,
      grades: o.grades,
      subjects: o.subjects,
      periods: o.periods,
      ...active(now),
    }),
  },
  person: {
    table: "people",
    // Never the password: an import changes what the SIS knows about a person, not their sign-in.
    conflict: ["id"],
    update: ["source_id", "given_name", "family_name", "given_lc", "family_lc", "sort_name", "email", "grade_level", "student_number", "status", "deactivated_at", "updated_at"],
    row: (o, districtId, now) => ({
      id: o.id,
      district_id: districtId,
      source_id: o.sourceId,
      ...nameColumns(o.givenName, o.familyName),
      email: o.email,
      password_hash: null,
      grade_level: o.gradeLevel,
      student_number: o.studentNumber,
      status: o.status,
      created_at: now,
      updated_at: now,
      deactivated_at: o.deactivatedAt,
    }),
  },
  enrollment: {
    table: "enrollments",
    // By sourcedId: the planner keeps only a fingerprint of each stored enrolment, not its id.
    conflict: ["district_id", "source_id"],
    update: ["class_id", "person_id", "school_id", "role", "is_primary", "begin_date", "end_date", "roster_print", "status", "deactivated_at", "updated_at"],
    row: (o, districtId, now) => ({
      id: o.id,
      district_id: districtId,
      source_id: o.sourceId,
      class_id: o.classId,
      person_id: o.personId,
      school_id: o.schoolId,
      role: o.role,
      is_primary: o.isPrimary,
      begin_date: o.beginDate,
      end_date: o.endDate,
      roster_print: o.print,
      ...active(now),
    }),
  },
};

export type UpsertName = keyof typeof UPSERTS;
const isUpsert = (name: SpoolOpName): name is UpsertName => Object.hasOwn(UPSERTS, name);

const grantRow = (o: OpOf<"grant">, districtId: string, now: string) => ({
  id: o.id,
  person_id: o.personId,
  district_id: districtId,
  role: o.role,
  school_id: o.schoolId,
  source: o.source,
  created_at: now,
});

/** Writes one batch of ops of the same kind (same batchKey), in as few statements as the parameter limit allows. */
export async function applyBatch(db: Kysely<DB>, districtId: string, ops: readonly SpoolOp[]): Promise<void> {
  const first = ops[0];
  if (first === undefined) return;
  const now = nowIso();
  if (isUpsert(first.op)) {
    const name = first.op;
    const spec = UPSERTS[name] as UpsertSpec<UpsertName>;
    await upsert(
      db,
      spec.table,
      allOf(ops, name).map((o) => spec.row(o as never, districtId, now)) as never[],
      spec as never,
    );
    // A person the import deactivates is signed out everywhere and loses their API tokens, like a deactivation by hand.
    if (name === "person") {
      await endAccessOf(
        db,
        allOf(ops, "person")
          .filter((o) => o.status === "inactive")
          .map((o) => o.id),
      );
    }
    return;
  }
  switch (first.op) {
    case "classTerms": {
      const terms = allOf(ops, "classTerms");
      await db
        .deleteFrom("class_terms")
        .where(
          "class_id",
          "in",
          terms.map((o) => o.classId),
        )
        .execute();
      const pairs = terms.flatMap((o) => o.sessionIds.map((sessionId) => ({ class_id: o.classId, session_id: sessionId })));
      for (let i = 0; i < pairs.length; i += batchRows(2)) {
        await db
          .insertInto("class_terms")
          .values(pairs.slice(i, i + batchRows(2)))
          .execute();
      }
      return;
    }
    case "grant":
      await runBatch(
        db,
        "role_assignments",
        allOf(ops, "grant").map((o) => grantRow(o, districtId, now)),
        (values) => db.insertInto("role_assignments").values(values),
      );
      return;
    case "revokeGrant":
      await db
        .deleteFrom("role_assignments")
        .where(
          "id",
          "in",
          allOf(ops, "revokeGrant").map((o) => o.id),
        )
        .execute();
      return;
    case "deactivate": {
      const { table } = first;
      const ids = allOf(ops, "deactivate").map((o) => {
        if (o.table !== table) throw new Error(`a batch of ${table} deactivations holds one of ${o.table}`);
        return o.id;
      });
      if (table === "schools") {
        // Schools keep no deactivated_at.
        await db.updateTable("schools").set({ status: "inactive", updated_at: now }).where("district_id", "=", districtId).where("id", "in", ids).execute();
        return;
      }
      await db
        .updateTable(table)
        .set({ status: "inactive", deactivated_at: now, updated_at: now })
        .where("district_id", "=", districtId)
        .where("id", "in", ids)
        .execute();
      if (table === "people") await endAccessOf(db, ids);
      return;
    }
    case "deactivateEnrollment":
      await db
        .updateTable("enrollments")
        .set({ status: "inactive", deactivated_at: now, updated_at: now })
        .where("district_id", "=", districtId)
        .where(
          "source_id",
          "in",
          allOf(ops, "deactivateEnrollment").map((o) => o.sourceId),
        )
        .execute();
      return;
  }
}

// ---- PostgreSQL: COPY into staging, then one set-based statement per run of ops ----

/** The ops PostgreSQL loads by COPY (copyRun); the others go through applyBatch. */
export const isCopied = (name: SpoolOpName): boolean => name === "grant" || isUpsert(name);

/**
 * PostgreSQL: lifts the per-statement timeout for the rest of the caller's transaction. One
 * statement of the import may write a million rows, longer than the timeout that guards requests;
 * the client's own timeout follows it (db/index.ts).
 */
export async function liftStatementTimeout(db: Kysely<DB>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) throw new Error("statement_timeout is PostgreSQL's");
  await sql`set local statement_timeout = 0`.execute(db);
}

/** People whose access endAccessOf ends in one go (its `in (…)` lists). */
const END_ACCESS_CHUNK = 5000;

/**
 * Loads one run of ops of the same kind on PostgreSQL by `COPY FROM STDIN`: straight into a table
 * that holds none of the district's rows yet; otherwise into a temporary staging table shaped like the
 * target (not WAL-logged, dropped at commit), then into the table in one `insert … select … on
 * conflict do update` (upsertRunByStaging). Role grants, which never clash, are copied straight into
 * role_assignments. Inside the caller's transaction, so all-or-nothing still holds.
 * `ops` is consumed as the server takes the rows: memory stays flat however long the run.
 */
export async function copyRun(db: Kysely<DB>, districtId: string, name: SpoolOpName, ops: AsyncIterable<SpoolOp>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) throw new Error("COPY is PostgreSQL's");
  const now = nowIso();
  if (name === "grant") {
    await copyOps(db, "role_assignments", ops, (o) => grantRow(o as OpOf<"grant">, districtId, now));
    return;
  }
  if (!isUpsert(name)) throw new Error(`${name} ops are not loaded by COPY`);
  // A table that holds none of the district's rows yet (a first import's enrolments, say): nothing can
  // clash (fresh ids, and the conflict keys are the district's own), so the rows are copied straight
  // in, as the benchmark's floor does, without the staging table's second write and the speculative
  // insert of `on conflict`. Two ops with one key in the run fail the unique index here as they would
  // fail the upsert ("cannot affect row a second time"): the transaction rolls back either way.
  if (await hasRowsOfDistrict(db, UPSERTS[name].table, districtId)) {
    await upsertRunByStaging(db, districtId, name, ops);
    return;
  }
  const { rowOf, inactive } = upsertRows(name, districtId, now);
  await copyOps(db, UPSERTS[name].table, ops, rowOf);
  await endAccessInChunks(db, inactive);
}

/** Each op's row for its table, and the people the rows make inactive (their access ends). */
function upsertRows(name: UpsertName, districtId: string, now: string): { rowOf: (op: SpoolOp) => Record<string, unknown>; inactive: string[] } {
  const spec = UPSERTS[name] as UpsertSpec<UpsertName>;
  const inactive: string[] = [];
  const rowOf = (o: SpoolOp) => {
    const row = spec.row(o as never, districtId, now);
    if (name === "person" && row.status === "inactive") inactive.push(String(row.id));
    return row;
  };
  return { rowOf, inactive };
}

/**
 * copyRun's path for a table that already holds rows of the district: COPY into a temporary staging
 * table shaped like the target, then one `insert … select … on conflict do update`.
 */
export async function upsertRunByStaging(db: Kysely<DB>, districtId: string, name: UpsertName, ops: AsyncIterable<SpoolOp>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) throw new Error("COPY is PostgreSQL's");
  const spec = UPSERTS[name] as UpsertSpec<UpsertName>;
  const { rowOf, inactive } = upsertRows(name, districtId, nowIso());
  const stage = `cw_stage_${spec.table}`;
  // Identifiers cannot be bound: every name here is one of UPSERTS' own.
  await sql`create temporary table if not exists ${sql.table(stage)} (like ${sql.table(spec.table)}) on commit drop`.execute(db);
  await sql`truncate ${sql.table(stage)}`.execute(db);
  const columns = await copyOps(db, stage, ops, rowOf);
  if (columns === null) return;
  const list = sql.join(columns.map((c) => sql.ref(c)));
  const updates = sql.join(spec.update.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`));
  await sql`insert into ${sql.table(spec.table)} (${list}) select ${list} from ${sql.table(stage)} on conflict (${sql.join(spec.conflict.map((c) => sql.ref(c)))}) do update set ${updates}`.execute(db);
  await sql`truncate ${sql.table(stage)}`.execute(db);
  await endAccessInChunks(db, inactive);
}

/** A person the import deactivates is signed out everywhere and loses their API tokens, like a deactivation by hand. */
async function endAccessInChunks(db: Kysely<DB>, personIds: readonly string[]): Promise<void> {
  for (let i = 0; i < personIds.length; i += END_ACCESS_CHUNK) await endAccessOf(db, personIds.slice(i, i + END_ACCESS_CHUNK));
}

/** Whether `table` holds any row of the district (every table an import upserts has district_id). */
async function hasRowsOfDistrict(db: Kysely<DB>, table: keyof DB & string, districtId: string): Promise<boolean> {
  const found = await db
    .selectFrom(table as "people")
    .select(sql<number>`1`.as("found"))
    .where("district_id", "=", districtId)
    .limit(1)
    .executeTakeFirst();
  return found !== undefined;
}

/** COPYs each op's row into `table`, columns in the first row's key order; returns those columns (null: no ops). */
async function copyOps(db: Kysely<DB>, table: string, ops: AsyncIterable<SpoolOp>, row: (op: SpoolOp) => Record<string, unknown>): Promise<string[] | null> {
  const iterator = ops[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return null;
  const firstRow = row(first.value);
  const columns = Object.keys(firstRow);
  await copyInto(
    db,
    table,
    columns,
    (async function* () {
      yield columns.map((c) => firstRow[c]);
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        const r = row(next.value);
        yield columns.map((c) => r[c]);
      }
    })(),
  );
  return columns;
}

/** The page cache of an import from the command line, which serves no requests. */
export const CLI_IMPORT_CACHE_MIB = 128;
/**
 * …and of a server's own import (an upload). The pages a transaction changes stay in the cache until
 * its commit writes them to the WAL, synchronously: with 128 MiB, the commit of a 60,000-student
 * import held the event loop for 0.8 s (every request waited); with 32 MiB SQLite writes the surplus
 * out between batches instead, and the commit writes at most 32 MiB.
 */
export const SERVER_IMPORT_CACHE_MIB = 32;

/**
 * Runs `work` with a larger SQLite page cache (`mib` instead of 2 MiB), restored afterwards. A
 * first import writes a million rows into indexes keyed by random-looking sourcedIds; with the
 * default cache nearly every insert evicts a page to the WAL and reads it back.
 */
export async function withLargePageCache<T>(db: Kysely<DB>, isSqlite: boolean, mib: number, work: () => Promise<T>): Promise<T> {
  if (!isSqlite) return work();
  const { rows } = await sql<{ cache_size: number }>`pragma cache_size`.execute(db);
  const before = Number(rows[0]?.cache_size ?? -2000);
  // PRAGMA takes no bound parameters; both values are numbers made here.
  await sql.raw(`pragma cache_size = ${-Math.round(mib) * 1024}`).execute(db);
  try {
    return await work();
  } finally {
    await sql.raw(`pragma cache_size = ${Number.isFinite(before) ? before : -2000}`).execute(db);
  }
}


// ---- SQLite: a large load builds its tables' secondary indexes afterwards ----

/** The table each kind of op inserts rows into (the ops that only delete or deactivate are left out). */
const INSERTED_TABLE: Partial<Record<SpoolOpName, keyof DB & string>> = {
  ...Object.fromEntries(Object.entries(UPSERTS).map(([name, spec]) => [name, spec.table])),
  grant: "role_assignments",
  classTerms: "class_terms",
};

/** Each roster table an import of `opCounts` writes to: the ones whose planner statistics may have moved. */
export function tablesWritten(opCounts: ReadonlyMap<SpoolOpName, number>): (keyof DB & string)[] {
  const tables = new Set<keyof DB & string>();
  for (const [name, count] of opCounts) {
    if (count === 0) continue;
    const table = name === "revokeGrant" ? "role_assignments" : name === "deactivateEnrollment" ? "enrollments" : INSERTED_TABLE[name];
    if (table) tables.add(table);
    // The spool counts deactivations by op, not by table: any of the tables they apply to.
    if (name === "deactivate") for (const t of DEACTIVATED_TABLES) tables.add(t);
  }
  return [...tables];
}

const DEACTIVATED_TABLES: readonly DeactivatedTable[] = ["roster_orgs", "schools", "academic_sessions", "courses", "classes", "people"];

/** Fewer new rows than this, and a table keeps its indexes: the rebuild would cost more than it saves. */
export const DEFERRED_INDEX_MIN_ROWS = 20_000;

/**
 * The tables whose non-unique indexes a load of `opCounts` should build after its inserts: each
 * takes at least DEFERRED_INDEX_MIN_ROWS new rows, and at least as many as it already holds.
 */
export async function tablesToIndexAfter(db: Kysely<DB>, opCounts: ReadonlyMap<SpoolOpName, number>): Promise<string[]> {
  const incoming = new Map<string, number>();
  for (const [name, count] of opCounts) {
    const table = INSERTED_TABLE[name];
    if (table) incoming.set(table, (incoming.get(table) ?? 0) + count);
  }
  const tables: string[] = [];
  for (const [table, count] of incoming) {
    if (count < DEFERRED_INDEX_MIN_ROWS) continue;
    // The name is one of INSERTED_TABLE's own.
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
    if (count >= Number(rows[0]?.n ?? 0)) tables.push(table);
  }
  return tables;
}

/**
 * SQLite: runs `work` (inside the caller's transaction) with the non-unique secondary indexes of
 * `tables` dropped, then creates them again from their own stored SQL. A million rows inserted into
 * an index keyed by random-looking ids touch a different page each time; building the index
 * afterwards sorts once (a 1,000,000-enrolment load: 72 s with its indexes, 30–40 s this way).
 * Unique indexes stay, since the upserts' conflict targets and uniqueness need them. Readers are not
 * held up: until the transaction commits they read the old snapshot, indexes and all; a failure rolls
 * the drops back with everything else.
 */
export async function withIndexesBuiltAfter<T>(db: Kysely<DB>, tables: readonly string[], work: () => Promise<T>): Promise<T> {
  if (tables.length === 0) return work();
  const indexes: { name: string; sql: string }[] = [];
  for (const table of tables) {
    const { rows } = await sql<{ name: string; sql: string }>`
      select name, sql from sqlite_master
      where type = 'index' and tbl_name = ${table} and sql is not null and sql not like 'CREATE UNIQUE%'`.execute(db);
    indexes.push(...rows);
  }
  for (const index of indexes) await sql`drop index ${sql.id(index.name)}`.execute(db);
  const result = await work();
  // The statements are SQLite's own record of how the migrations created these indexes.
  for (const index of indexes) await sql.raw(index.sql).execute(db);
  return result;
}
