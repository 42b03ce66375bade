import { PostgresAdapter, sql, type Expression, type Kysely, type SqlBool } from "kysely";
import type { DB } from "../../db/schema.js";
import { newId, nowIso } from "../../lib.js";

// The SQL of observation roll-ups and composites. Two paths give the same counts:
// - the monthly rollups (observation_rollup_cells / _profiles), for district- and school-wide reports
//   over whole months: a few thousand rows, whatever the number of observations;
// - the per-dimension rows (observation_levels), for filtered reports (a teacher, a subject, a grade
//   band), teacher-level metrics, and the days of a partly covered month.
// Both count only observations in reports (submitted or shared, not deleted).

/** Which observations a report counts. `schoolIds: "all"` is the whole district. */
export type ReportFilter = {
  districtId: string;
  rubricId: string;
  /** The rubric's versions (the per-dimension rows carry the version, not the rubric). */
  rubricVersionIds: readonly string[];
  schoolIds: "all" | readonly string[];
  teacherId?: string;
  subject?: string;
  gradeBand?: string;
  /** Only observations shared with the teacher (a teacher's own roll-up). */
  sharedOnly?: boolean;
  from: string;
  to: string;
};

export type Bucket = "term" | "year";

const needsObservations = (f: ReportFilter) => f.subject !== undefined || f.gradeBand !== undefined || f.sharedOnly === true;

/** The per-dimension rows of the observations a filter selects (aliased `l`; subject, grade band and sharing are checked on the observation). */
function levelRows(db: Kysely<DB>, f: ReportFilter) {
  let q = db
    .selectFrom("observation_levels as l")
    .where("l.district_id", "=", f.districtId)
    .where("l.in_reports", "=", 1)
    .where("l.observed_on", ">=", f.from)
    .where("l.observed_on", "<=", f.to)
    .where("l.rubric_version_id", "in", f.rubricVersionIds.length ? [...f.rubricVersionIds] : [""]);
  if (f.schoolIds !== "all") q = q.where("l.school_id", "in", f.schoolIds.length ? [...f.schoolIds] : [""]);
  if (f.teacherId !== undefined) q = q.where("l.teacher_id", "=", f.teacherId);
  if (needsObservations(f)) {
    q = q.where((eb) => {
      const sub = eb.selectFrom("observations as o").select(eb.lit(1).as("one")).whereRef("o.id", "=", "l.observation_id");
      const conds: Expression<SqlBool>[] = [];
      if (f.subject !== undefined) conds.push(eb.exists(sub.where("o.subject", "=", f.subject)));
      if (f.gradeBand !== undefined) conds.push(eb.exists(sub.where("o.grade_band", "=", f.gradeBand)));
      if (f.sharedOnly === true) conds.push(eb.exists(sub.where("o.status", "=", "shared")));
      return eb.and(conds);
    });
  }
  return q;
}

/** Observations per (dimension, level) over the rows. */
export function cellCounts(db: Kysely<DB>, f: ReportFilter) {
  return levelRows(db, f)
    .select((eb) => ["l.dimension_key as dimension", "l.level", eb.fn.countAll<number>().as("count")])
    .where("l.level", "is not", null)
    .groupBy(["l.dimension_key", "l.level"])
    .execute();
}

/** Observations by (highest level, dimensions observed) over the rows; highest 0 = nothing observed. */
export function profileCounts(db: Kysely<DB>, f: ReportFilter) {
  const perObservation = levelRows(db, f)
    .select((eb) => [eb.fn.coalesce(eb.fn.max("l.level"), eb.lit(0)).as("highest"), eb.fn.count("l.level").as("observed")])
    .groupBy("l.observation_id");
  return db
    .selectFrom(perObservation.as("p"))
    .select((eb) => ["p.highest", "p.observed", eb.fn.countAll<number>().as("count")])
    .groupBy(["p.highest", "p.observed"])
    .execute();
}

/** Teachers by the highest level seen and the number of distinct levels (over all their observed levels). */
export function teacherCounts(db: Kysely<DB>, f: ReportFilter) {
  const perTeacher = levelRows(db, f)
    .select((eb) => [eb.fn.max("l.level").as("highest"), eb.fn.count("l.level").distinct().as("distinct_levels")])
    .where("l.level", "is not", null)
    .groupBy("l.teacher_id");
  return db
    .selectFrom(perTeacher.as("t"))
    .select((eb) => ["t.highest", "t.distinct_levels", eb.fn.countAll<number>().as("count")])
    .groupBy(["t.highest", "t.distinct_levels"])
    .execute();
}

/** Teachers, within each dimension, by the highest level seen and the number of distinct levels. */
export function teacherDimensionCounts(db: Kysely<DB>, f: ReportFilter) {
  const perTeacher = levelRows(db, f)
    .select((eb) => ["l.dimension_key", eb.fn.max("l.level").as("highest"), eb.fn.count("l.level").distinct().as("distinct_levels")])
    .where("l.level", "is not", null)
    .groupBy(["l.teacher_id", "l.dimension_key"]);
  return db
    .selectFrom(perTeacher.as("t"))
    .select((eb) => ["t.dimension_key as dimension", "t.highest", "t.distinct_levels", eb.fn.countAll<number>().as("count")])
    .groupBy(["t.dimension_key", "t.highest", "t.distinct_levels"])
    .execute();
}

/** Per period (term or school year), observations per (dimension, level), from the rows (joined for the period). */
export function cellCountsByPeriod(db: Kysely<DB>, f: ReportFilter, bucket: Bucket) {
  const period = bucket === "term" ? "o.term" : "o.school_year";
  return levelRows(db, f)
    .innerJoin("observations as o", "o.id", "l.observation_id")
    .select((eb) => [sql.ref<string>(period).as("period"), "l.dimension_key as dimension", "l.level", eb.fn.countAll<number>().as("count")])
    .where("l.level", "is not", null)
    .groupBy([sql.ref(period), "l.dimension_key", "l.level"])
    .execute();
}

/** Per period, observations by (highest level, dimensions observed), from the rows. */
export function profileCountsByPeriod(db: Kysely<DB>, f: ReportFilter, bucket: Bucket) {
  const period = bucket === "term" ? "o.term" : "o.school_year";
  const perObservation = levelRows(db, f)
    .innerJoin("observations as o", "o.id", "l.observation_id")
    .select((eb) => [sql.ref<string>(period).as("period"), eb.fn.coalesce(eb.fn.max("l.level"), eb.lit(0)).as("highest"), eb.fn.count("l.level").as("observed")])
    .groupBy(["l.observation_id", sql.ref(period)]);
  return db
    .selectFrom(perObservation.as("p"))
    .select((eb) => ["p.period", "p.highest", "p.observed", eb.fn.countAll<number>().as("count")])
    .groupBy(["p.period", "p.highest", "p.observed"])
    .execute();
}

/**
 * The school id of a month's district-wide rollup rows: the per-school rows summed, so a district
 * report over three years reads about a thousand rows rather than two hundred times that.
 */
export const ALL_SCHOOLS = "*";

/** Whole months [fromMonth, toMonth] of the monthly rollups for a district or some of its schools. */
export type RollupRange = { districtId: string; rubricId: string; schoolIds: "all" | readonly string[]; fromMonth: string; toMonth: string };

function rollupCellRows(db: Kysely<DB>, r: RollupRange) {
  let q = db.selectFrom("observation_rollup_cells as c").where("c.district_id", "=", r.districtId).where("c.rubric_id", "=", r.rubricId).where("c.month", ">=", r.fromMonth).where("c.month", "<=", r.toMonth);
  q = r.schoolIds === "all" ? q.where("c.school_id", "=", ALL_SCHOOLS) : q.where("c.school_id", "in", r.schoolIds.length ? [...r.schoolIds] : [""]);
  return q;
}

function rollupProfileRows(db: Kysely<DB>, r: RollupRange) {
  let q = db.selectFrom("observation_rollup_profiles as p").where("p.district_id", "=", r.districtId).where("p.rubric_id", "=", r.rubricId).where("p.month", ">=", r.fromMonth).where("p.month", "<=", r.toMonth);
  q = r.schoolIds === "all" ? q.where("p.school_id", "=", ALL_SCHOOLS) : q.where("p.school_id", "in", r.schoolIds.length ? [...r.schoolIds] : [""]);
  return q;
}

/** Observations per (dimension, level) over whole months, from the rollups. */
export function rollupCellCounts(db: Kysely<DB>, r: RollupRange) {
  return rollupCellRows(db, r)
    .select((eb) => ["c.dimension_key as dimension", "c.level", eb.fn.sum<number>("c.observations").as("count")])
    .groupBy(["c.dimension_key", "c.level"])
    .execute();
}

/** Observations by (highest level, dimensions observed) over whole months, from the rollups. */
export function rollupProfileCounts(db: Kysely<DB>, r: RollupRange) {
  return rollupProfileRows(db, r)
    .select((eb) => ["p.highest", "p.observed", eb.fn.sum<number>("p.observations").as("count")])
    .groupBy(["p.highest", "p.observed"])
    .execute();
}

/** Per term or school year, observations per (dimension, level), from the rollups. */
export function rollupCellCountsByPeriod(db: Kysely<DB>, r: RollupRange, bucket: Bucket) {
  const period = bucket === "term" ? "c.term" : "c.school_year";
  return rollupCellRows(db, r)
    .select((eb) => [sql.ref<string>(period).as("period"), "c.dimension_key as dimension", "c.level", eb.fn.sum<number>("c.observations").as("count")])
    .groupBy([sql.ref(period), "c.dimension_key", "c.level"])
    .execute();
}

/** Per term or school year, observations by (highest level, dimensions observed), from the rollups. */
export function rollupProfileCountsByPeriod(db: Kysely<DB>, r: RollupRange, bucket: Bucket) {
  const period = bucket === "term" ? "p.term" : "p.school_year";
  return rollupProfileRows(db, r)
    .select((eb) => [sql.ref<string>(period).as("period"), "p.highest", "p.observed", eb.fn.sum<number>("p.observations").as("count")])
    .groupBy([sql.ref(period), "p.highest", "p.observed"])
    .execute();
}

/** A school's month whose observations changed (any of them: added, edited, moved, deleted, shared). */
export type RollupPartition = { districtId: string; schoolId: string; month: string };

/** The school-month an observation counts in now ([] when it does not exist). */
export async function partitionOf(db: Kysely<DB>, observationId: string): Promise<RollupPartition[]> {
  const row = await db.selectFrom("observations").select(["district_id", "school_id", "month"]).where("id", "=", observationId).executeTakeFirst();
  return row ? [{ districtId: row.district_id, schoolId: row.school_id, month: row.month }] : [];
}

/**
 * Recomputes the monthly rollups of the given school-months from the observations themselves. Call it
 * in the transaction that changes an observation, with its month and school before and after the change.
 */
export async function refreshMonthlyRollups(db: Kysely<DB>, partitions: readonly RollupPartition[]): Promise<void> {
  const keyOf = (p: RollupPartition) => `${p.districtId}|${p.schoolId}|${p.month}`;
  // In key order, so two transactions refreshing the same two school-months never wait on each other;
  // the district-wide rows of each month after every school's (no one waits for a school holding those).
  const unique = [...new Map(partitions.map((p) => [keyOf(p), p])).values()].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
  const months = [...new Map(unique.map((p) => [`${p.districtId}|${p.month}`, { districtId: p.districtId, schoolId: ALL_SCHOOLS, month: p.month }])).values()];
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const p of [...unique, ...months]) {
    // Two observations of one school and month saved at once would each delete and re-insert the same
    // rows: on PostgreSQL the second insert would meet the first's keys. One refresh per school-month at
    // a time (a transaction-scoped advisory lock; SQLite runs one write transaction at a time anyway),
    // and the second, waiting, then counts the first's committed observation too.
    if (isPostgres) await sql`select pg_advisory_xact_lock(hashtextextended(${`observations.rollup:${keyOf(p)}`}, 0))`.execute(db);
    await db.deleteFrom("observation_rollup_cells").where("district_id", "=", p.districtId).where("school_id", "=", p.schoolId).where("month", "=", p.month).execute();
    await db.deleteFrom("observation_rollup_profiles").where("district_id", "=", p.districtId).where("school_id", "=", p.schoolId).where("month", "=", p.month).execute();
    if (p.schoolId === ALL_SCHOOLS) await insertDistrictRollups(db, { districtId: p.districtId, month: p.month });
    else await insertRollups(db, { districtId: p.districtId, schoolId: p.schoolId, month: p.month });
  }
}
/** Rebuilds every rollup of a district from its observations (after a bulk load, or to repair). */
export async function rebuildMonthlyRollups(db: Kysely<DB>, districtId: string): Promise<void> {
  await db.deleteFrom("observation_rollup_cells").where("district_id", "=", districtId).execute();
  await db.deleteFrom("observation_rollup_profiles").where("district_id", "=", districtId).execute();
  await insertRollups(db, { districtId });
  await insertDistrictRollups(db, { districtId });
}

/** The district-wide rows (school ALL_SCHOOLS) of a district's months, summed from its schools' rows. */
async function insertDistrictRollups(db: Kysely<DB>, p: { districtId: string; month?: string }): Promise<void> {
  let cells = db.selectFrom("observation_rollup_cells as c").where("c.district_id", "=", p.districtId).where("c.school_id", "<>", ALL_SCHOOLS);
  let profiles = db.selectFrom("observation_rollup_profiles as p").where("p.district_id", "=", p.districtId).where("p.school_id", "<>", ALL_SCHOOLS);
  if (p.month !== undefined) {
    cells = cells.where("c.month", "=", p.month);
    profiles = profiles.where("p.month", "=", p.month);
  }
  await db
    .insertInto("observation_rollup_cells")
    .columns(["district_id", "rubric_id", "school_id", "month", "term", "school_year", "dimension_key", "level", "observations"])
    .expression(
      cells
        .select((eb) => ["c.district_id", "c.rubric_id", sql<string>`cast(${ALL_SCHOOLS} as text)`.as("school_id"), "c.month", eb.fn.max("c.term").as("term"), eb.fn.max("c.school_year").as("school_year"), "c.dimension_key", "c.level", eb.fn.sum<number>("c.observations").as("observations")])
        .groupBy(["c.district_id", "c.rubric_id", "c.month", "c.dimension_key", "c.level"]),
    )
    .execute();
  await db
    .insertInto("observation_rollup_profiles")
    .columns(["district_id", "rubric_id", "school_id", "month", "term", "school_year", "highest", "observed", "observations"])
    .expression(
      profiles
        .select((eb) => ["p.district_id", "p.rubric_id", sql<string>`cast(${ALL_SCHOOLS} as text)`.as("school_id"), "p.month", eb.fn.max("p.term").as("term"), eb.fn.max("p.school_year").as("school_year"), "p.highest", "p.observed", eb.fn.sum<number>("p.observations").as("observations")])
        .groupBy(["p.district_id", "p.rubric_id", "p.month", "p.highest", "p.observed"]),
    )
    .execute();
}

async function insertRollups(db: Kysely<DB>, p: { districtId: string; schoolId?: string; month?: string }): Promise<void> {
  const observations = () => {
    let q = db
      .selectFrom("observations as o")
      .innerJoin("observation_levels as l", "l.observation_id", "o.id")
      .where("o.district_id", "=", p.districtId)
      .where("o.status", "in", ["submitted", "shared"])
      .where("o.deleted_at", "is", null);
    if (p.schoolId !== undefined) q = q.where("o.school_id", "=", p.schoolId);
    if (p.month !== undefined) q = q.where("o.month", "=", p.month);
    return q;
  };
  await db
    .insertInto("observation_rollup_cells")
    .columns(["district_id", "rubric_id", "school_id", "month", "term", "school_year", "dimension_key", "level", "observations"])
    .expression(
      observations()
        .select((eb) => ["o.district_id", "o.rubric_id", "o.school_id", "o.month", eb.fn.max("o.term").as("term"), eb.fn.max("o.school_year").as("school_year"), "l.dimension_key", "l.level", eb.fn.countAll<number>().as("observations")])
        .where("l.level", "is not", null)
        .groupBy(["o.district_id", "o.rubric_id", "o.school_id", "o.month", "l.dimension_key", "l.level"]),
    )
    .execute();
  const perObservation = observations()
    .select((eb) => [
      "o.district_id",
      "o.rubric_id",
      "o.school_id",
      "o.month",
      eb.fn.max("o.term").as("term"),
      eb.fn.max("o.school_year").as("school_year"),
      eb.fn.coalesce(eb.fn.max("l.level"), eb.lit(0)).as("highest"),
      eb.fn.count("l.level").as("observed"),
    ])
    .groupBy(["o.id", "o.district_id", "o.rubric_id", "o.school_id", "o.month"]);
  await db
    .insertInto("observation_rollup_profiles")
    .columns(["district_id", "rubric_id", "school_id", "month", "term", "school_year", "highest", "observed", "observations"])
    .expression(
      db
        .selectFrom(perObservation.as("x"))
        .select((eb) => ["x.district_id", "x.rubric_id", "x.school_id", "x.month", eb.fn.max("x.term").as("term"), eb.fn.max("x.school_year").as("school_year"), "x.highest", "x.observed", eb.fn.countAll<number>().as("observations")])
        .groupBy(["x.district_id", "x.rubric_id", "x.school_id", "x.month", "x.highest", "x.observed"]),
    )
    .execute();
}

/** The rubric a report uses (the given one, else the district's default), with its current definition and every version id. */
export async function findReportRubric(db: Kysely<DB>, districtId: string, rubricId: string | undefined) {
  let q = db
    .selectFrom("observation_rubrics as r")
    .innerJoin("observation_rubric_versions as v", "v.id", "r.current_version_id")
    .select(["r.id", "r.key", "r.name", "v.definition", "v.version"])
    .where("r.district_id", "=", districtId);
  q = rubricId !== undefined ? q.where("r.id", "=", rubricId) : q.where("r.is_default", "=", 1).orderBy("r.created_at").limit(1);
  const rubric = await q.executeTakeFirst();
  if (!rubric) return undefined;
  const versions = await db.selectFrom("observation_rubric_versions").select("id").where("rubric_id", "=", rubric.id).execute();
  return { ...rubric, versionIds: versions.map((v) => v.id) };
}

// ---------- Composites ----------

export function listComposites(db: Kysely<DB>, districtId: string) {
  return db.selectFrom("observation_composites").selectAll().where("district_id", "=", districtId).orderBy("name").execute();
}

export function findComposite(db: Kysely<DB>, districtId: string, id: string) {
  return db.selectFrom("observation_composites").selectAll().where("district_id", "=", districtId).where("id", "=", id).executeTakeFirst();
}

export function findCompositeByName(db: Kysely<DB>, districtId: string, name: string) {
  return db.selectFrom("observation_composites").select("id").where("district_id", "=", districtId).where("name", "=", name).executeTakeFirst();
}

export type CompositeWrite = { name: string; description: string; terms: readonly { metric: string; weight: number }[] };

export async function insertComposite(db: Kysely<DB>, districtId: string, createdBy: string, c: CompositeWrite): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto("observation_composites")
    .values({ id, district_id: districtId, name: c.name, description: c.description, terms: JSON.stringify(c.terms), created_by: createdBy, created_at: now, updated_at: now })
    .execute();
  return id;
}

export async function updateComposite(db: Kysely<DB>, id: string, c: CompositeWrite): Promise<void> {
  await db.updateTable("observation_composites").set({ name: c.name, description: c.description, terms: JSON.stringify(c.terms), updated_at: nowIso() }).where("id", "=", id).execute();
}

export async function deleteComposite(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom("observation_composites").where("id", "=", id).execute();
}
