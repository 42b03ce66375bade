import { sql, type Kysely } from "kysely";
import { timestamp } from "../migration-helpers.js";

// Frozen in time: never import application code here.
//
// Issue 13: classroom observations scored on a rubric (the Technology Integration Matrix by default).
// Rubrics are data. A rubric's version is a frozen document (its dimensions, levels and a descriptor
// per cell) once an observation has used it: editing a used rubric makes a new version, and each
// observation keeps the version it was scored with.
//
// The roll-ups read two tables with plain columns: `observations` (one row per observation, with its
// school, teacher, subject, grade band, date, term, rubric version and status) and
// `observation_levels` (one row per observation × dimension, the level as its ordinal rank, with
// copies of the observation's columns so heat maps and growth series never join the big table).
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestamp(db);

  await db.schema
    .createTable("observation_rubrics")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("active").check(sql`status in ('active','retired')`))
    .addColumn("is_default", "integer", (c) => c.notNull().defaultTo(0).check(sql`is_default in (0, 1)`))
    // The version new observations use; every version stays (observations point at theirs).
    .addColumn("current_version_id", "text")
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("observation_rubrics_key_uq").on("observation_rubrics").columns(["district_id", "key"]).unique().execute();

  await db.schema
    .createTable("observation_rubric_versions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("rubric_id", "text", (c) => c.notNull().references("observation_rubrics.id"))
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("version", "integer", (c) => c.notNull().check(sql`version >= 1`))
    // The version's document as JSON text on both dialects: {dimensions:[{key,name,description}],
    // levels:[{key,name,description}], descriptors:{<dimension key>:[<one per level, in order>]}}.
    // It is read and written whole, and never changes once `used_at` is set.
    .addColumn("definition", "text", (c) => c.notNull())
    .addColumn("used_at", ts)
    .addColumn("created_by", "text", (c) => c.references("people.id"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("observation_rubric_versions_uq")
    .on("observation_rubric_versions")
    .columns(["rubric_id", "version"])
    .unique()
    .execute();

  // The district's list of apps and tools an observer picks "technology in use" from.
  await db.schema
    .createTable("observation_apps")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("active").check(sql`status in ('active','retired')`))
    .addColumn("sort_order", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("observation_apps_name_uq").on("observation_apps").columns(["district_id", "name"]).unique().execute();

  await db.schema
    .createTable("observations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("school_id", "text", (c) => c.notNull().references("schools.id"))
    .addColumn("observer_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("teacher_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("class_id", "text", (c) => c.references("classes.id"))
    .addColumn("subject", "text", (c) => c.notNull().defaultTo(""))
    // OneRoster grade code (KG, 01 … 12) and its band (K-2, 3-5, 6-8, 9-12), computed at write time.
    .addColumn("grade", "text")
    .addColumn("grade_band", "text")
    .addColumn("rubric_id", "text", (c) => c.notNull().references("observation_rubrics.id"))
    .addColumn("rubric_version_id", "text", (c) => c.notNull().references("observation_rubric_versions.id"))
    // Calendar date of the lesson (YYYY-MM-DD) and its buckets, computed once at write time so the
    // growth series group by plain columns on either database.
    .addColumn("observed_on", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("term", "text", (c) => c.notNull())
    .addColumn("school_year", "text", (c) => c.notNull())
    .addColumn("start_time", "text")
    .addColumn("duration_minutes", "integer", (c) => c.check(sql`duration_minutes > 0 and duration_minutes <= 600`))
    .addColumn("evidence", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("feedback", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("next_step", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('draft','submitted','shared')`))
    // Dimensions scored at some level (not "not observed"): the TIM's extensity, kept for the roll-ups.
    .addColumn("observed_dimensions", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("cycle_id", "text")
    .addColumn("coaching_entry_id", "text")
    // Idempotency key chosen by the device (an offline queue replays with it).
    .addColumn("client_ref", "text")
    // When the server first received it (the device's clock may be wrong).
    .addColumn("received_at", ts, (c) => c.notNull())
    .addColumn("submitted_at", ts)
    .addColumn("shared_at", ts)
    .addColumn("acknowledged_at", ts)
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    // Deleted observations stay as tombstones, so a device syncing one later hears "deleted" (410),
    // not a new copy. Every read but that one leaves them out.
    .addColumn("deleted_at", ts)
    .addColumn("deleted_by", "text", (c) => c.references("people.id"))
    .execute();
  await db.schema.createIndex("observations_district_date_idx").on("observations").columns(["district_id", "observed_on"]).execute();
  await db.schema.createIndex("observations_school_date_idx").on("observations").columns(["school_id", "observed_on"]).execute();
  await db.schema.createIndex("observations_teacher_date_idx").on("observations").columns(["teacher_id", "observed_on"]).execute();
  await db.schema.createIndex("observations_observer_date_idx").on("observations").columns(["observer_id", "observed_on"]).execute();
  await db.schema.createIndex("observations_cycle_idx").on("observations").columns(["cycle_id"]).execute();
  await db.schema.createIndex("observations_client_ref_uq").on("observations").columns(["observer_id", "client_ref"]).unique().execute();

  await db.schema
    .createTable("observation_levels")
    .addColumn("observation_id", "text", (c) => c.notNull().references("observations.id").onDelete("cascade"))
    .addColumn("dimension_key", "text", (c) => c.notNull())
    .addColumn("dimension_position", "integer", (c) => c.notNull())
    // The level's rank in its rubric version (1 = the first level, e.g. Entry); NULL: not observed.
    .addColumn("level", "integer", (c) => c.check(sql`level >= 1`))
    // Copies of the observation's columns, kept in step with it, so roll-ups scan this table alone.
    .addColumn("district_id", "text", (c) => c.notNull())
    .addColumn("school_id", "text", (c) => c.notNull())
    .addColumn("teacher_id", "text", (c) => c.notNull())
    .addColumn("rubric_version_id", "text", (c) => c.notNull())
    .addColumn("observed_on", "text", (c) => c.notNull())
    // 1 while the observation counts in reports (submitted or shared, not deleted); drafts never do.
    .addColumn("in_reports", "integer", (c) => c.notNull().check(sql`in_reports in (0, 1)`))
    .addPrimaryKeyConstraint("observation_levels_pk", ["observation_id", "dimension_key"])
    .execute();
  await db.schema
    .createIndex("observation_levels_district_idx")
    .on("observation_levels")
    .columns(["district_id", "in_reports", "observed_on"])
    .execute();
  await db.schema.createIndex("observation_levels_school_idx").on("observation_levels").columns(["school_id", "observed_on"]).execute();
  await db.schema.createIndex("observation_levels_teacher_idx").on("observation_levels").columns(["teacher_id", "observed_on"]).execute();

  await db.schema
    .createTable("observation_technologies")
    .addColumn("observation_id", "text", (c) => c.notNull().references("observations.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    // An app from the district's list, or NULL for free text.
    .addColumn("app_id", "text", (c) => c.references("observation_apps.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("observation_technologies_pk", ["observation_id", "position"])
    .execute();
  await db.schema.createIndex("observation_technologies_app_idx").on("observation_technologies").columns(["app_id"]).execute();

  await db.schema
    .createTable("observation_comments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("observation_id", "text", (c) => c.notNull().references("observations.id").onDelete("cascade"))
    .addColumn("author_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("observation_comments_obs_idx").on("observation_comments").columns(["observation_id", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "observation_comments",
    "observation_technologies",
    "observation_levels",
    "observations",
    "observation_apps",
    "observation_rubric_versions",
    "observation_rubrics",
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
