import { sql, type Kysely } from "kysely";
import { timestamp } from "../migration-helpers.js";

// Frozen in time: never import application code here.
//
// Issue 13, roll-ups and composite scores. A district's heat map and growth series over 300,000
// observations must answer in well under a second on SQLite, which no GROUP BY over 1.5 million
// per-dimension rows does (about 150 ms a school year, 600 ms for three years on a small server). So
// the counts are also kept per school and calendar month: observations per (dimension, level), and
// observations per (highest level, number of dimensions observed). A month's rows are recomputed from
// `observation_levels` in the transaction that changes one of its observations, so they never drift;
// a report over whole months reads them, and only the days of a partly covered month read the rows.
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestamp(db);

  // Observations per school, month, dimension and level (observed levels only; "not observed" is the
  // month's observation count minus the dimension's row total, from the profiles below). Rows with
  // school_id '*' hold each month's district-wide sums, so a district report reads one row per month.
  await db.schema
    .createTable("observation_rollup_cells")
    .addColumn("district_id", "text", (c) => c.notNull())
    .addColumn("rubric_id", "text", (c) => c.notNull())
    .addColumn("school_id", "text", (c) => c.notNull())
    // YYYY-MM, and the observations' own term and school year for that month (growth series group by them).
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("term", "text", (c) => c.notNull())
    .addColumn("school_year", "text", (c) => c.notNull())
    .addColumn("dimension_key", "text", (c) => c.notNull())
    .addColumn("level", "integer", (c) => c.notNull().check(sql`level >= 1`))
    .addColumn("observations", "integer", (c) => c.notNull().check(sql`observations > 0`))
    .addPrimaryKeyConstraint("observation_rollup_cells_pk", ["district_id", "rubric_id", "school_id", "month", "dimension_key", "level"])
    .execute();
  // District reports read a range of months across all schools: this covers them without the table.
  await db.schema
    .createIndex("observation_rollup_cells_month_idx")
    .on("observation_rollup_cells")
    .columns(["district_id", "rubric_id", "month", "term", "school_year", "dimension_key", "level", "observations"])
    .execute();

  // Observations per school and month by their highest observed level (0: none) and how many dimensions
  // were observed: prevalence per observation, the highest level reached and extensity.
  await db.schema
    .createTable("observation_rollup_profiles")
    .addColumn("district_id", "text", (c) => c.notNull())
    .addColumn("rubric_id", "text", (c) => c.notNull())
    .addColumn("school_id", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("term", "text", (c) => c.notNull())
    .addColumn("school_year", "text", (c) => c.notNull())
    .addColumn("highest", "integer", (c) => c.notNull().check(sql`highest >= 0`))
    .addColumn("observed", "integer", (c) => c.notNull().check(sql`observed >= 0`))
    .addColumn("observations", "integer", (c) => c.notNull().check(sql`observations > 0`))
    .addPrimaryKeyConstraint("observation_rollup_profiles_pk", ["district_id", "rubric_id", "school_id", "month", "highest", "observed"])
    .execute();
  await db.schema
    .createIndex("observation_rollup_profiles_month_idx")
    .on("observation_rollup_profiles")
    .columns(["district_id", "rubric_id", "month", "term", "school_year", "highest", "observed", "observations"])
    .execute();

  // The days of a partly covered month, and every filtered report (teacher, subject, grade band), read
  // the per-dimension rows: these cover those reads (district- and school-wide) without the table.
  await db.schema
    .createIndex("observation_levels_report_district_idx")
    .on("observation_levels")
    .columns(["district_id", "in_reports", "observed_on", "rubric_version_id", "observation_id", "dimension_key", "level", "teacher_id"])
    .execute();
  await db.schema
    .createIndex("observation_levels_report_school_idx")
    .on("observation_levels")
    .columns(["school_id", "in_reports", "observed_on", "rubric_version_id", "observation_id", "dimension_key", "level", "teacher_id"])
    .execute();

  // Admin-defined composite scores: a name and weighted metrics, e.g. "pilot score".
  await db.schema
    .createTable("observation_composites")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    // JSON text on both dialects: [{metric, weight}], read and written whole.
    .addColumn("terms", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("people.id"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("observation_composites_name_uq").on("observation_composites").columns(["district_id", "name"]).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("observation_levels_report_school_idx").execute();
  await db.schema.dropIndex("observation_levels_report_district_idx").execute();
  for (const t of ["observation_composites", "observation_rollup_profiles", "observation_rollup_cells"]) await db.schema.dropTable(t).execute();
}
