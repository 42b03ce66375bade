import { sql, type Kysely } from "kysely";
import { timestamp } from "../migration-helpers.js";

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestamp(db);

  await db.schema
    .createTable("coaching_categories")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('coaching','support')`))
    .addColumn("sort_order", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("active").check(sql`status in ('active','retired')`))
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("coaching_categories_key_uq").on("coaching_categories").columns(["district_id", "key"]).unique().execute();

  await db.schema
    .createTable("coaching_cycles")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("coach_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("school_id", "text", (c) => c.notNull().references("schools.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("starting_point", "text", (c) => c.notNull().check(sql`starting_point in ('outcome','problem')`))
    .addColumn("starting_text", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("active").check(sql`status in ('active','paused','complete')`))
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .addColumn("completed_at", ts)
    .execute();
  await db.schema.createIndex("coaching_cycles_coach_idx").on("coaching_cycles").columns(["coach_id", "status"]).execute();
  await db.schema.createIndex("coaching_cycles_district_idx").on("coaching_cycles").columns(["district_id", "status"]).execute();

  await db.schema
    .createTable("coaching_cycle_teachers")
    .addColumn("cycle_id", "text", (c) => c.notNull().references("coaching_cycles.id").onDelete("cascade"))
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id"))
    .addPrimaryKeyConstraint("coaching_cycle_teachers_pk", ["cycle_id", "person_id"])
    .execute();
  await db.schema.createIndex("coaching_cycle_teachers_person_idx").on("coaching_cycle_teachers").columns(["person_id"]).execute();

  await db.schema
    .createTable("coaching_cycle_steps")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("cycle_id", "text", (c) => c.notNull().references("coaching_cycles.id").onDelete("cascade"))
    .addColumn("stage", "text", (c) =>
      c.notNull().check(sql`stage in ('goal','co_plan','co_teach','model','observe','reflect','next_step')`),
    )
    .addColumn("date", "text", (c) => c.notNull())
    .addColumn("notes", "text", (c) => c.notNull())
    .addColumn("author_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("coaching_cycle_steps_cycle_idx").on("coaching_cycle_steps").columns(["cycle_id", "date"]).execute();

  await db.schema
    .createTable("coaching_entries")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("coach_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("school_id", "text", (c) => c.references("schools.id"))
    .addColumn("category_id", "text", (c) => c.notNull().references("coaching_categories.id"))
    // Calendar dates as YYYY-MM-DD text on both dialects; week/month/term buckets are computed
    // once at write time so every dashboard query groups by plain columns on either database.
    .addColumn("date", "text", (c) => c.notNull())
    .addColumn("week", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("term", "text", (c) => c.notNull())
    .addColumn("minutes", "integer", (c) => c.notNull().check(sql`minutes > 0 and minutes <= 960`))
    .addColumn("notes", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("cycle_id", "text", (c) => c.references("coaching_cycles.id").onDelete("set null"))
    .addColumn("link_type", "text")
    .addColumn("link_id", "text")
    .addColumn("client_ref", "text")
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("coaching_entries_coach_date_idx").on("coaching_entries").columns(["coach_id", "date"]).execute();
  await db.schema.createIndex("coaching_entries_district_date_idx").on("coaching_entries").columns(["district_id", "date"]).execute();
  await db.schema.createIndex("coaching_entries_school_date_idx").on("coaching_entries").columns(["school_id", "date"]).execute();
  await db.schema.createIndex("coaching_entries_cycle_idx").on("coaching_entries").columns(["cycle_id"]).execute();
  await db.schema
    .createIndex("coaching_entries_client_ref_uq")
    .on("coaching_entries")
    .columns(["coach_id", "client_ref"])
    .unique()
    .execute();

  await db.schema
    .createTable("coaching_entry_teachers")
    .addColumn("entry_id", "text", (c) => c.notNull().references("coaching_entries.id").onDelete("cascade"))
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id"))
    // Copies of the entry's columns, so "teachers reached" and coverage never join the big table.
    .addColumn("district_id", "text", (c) => c.notNull())
    .addColumn("date", "text", (c) => c.notNull())
    .addColumn("coach_id", "text", (c) => c.notNull())
    .addColumn("school_id", "text")
    .addColumn("category_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("coaching_entry_teachers_pk", ["entry_id", "person_id"])
    .execute();
  await db.schema
    .createIndex("coaching_entry_teachers_person_idx")
    .on("coaching_entry_teachers")
    .columns(["person_id", "date"])
    .execute();
  await db.schema.createIndex("coaching_entry_teachers_entry_idx").on("coaching_entry_teachers").columns(["entry_id"]).execute();

  // Rollups kept in step with every write, so district and school dashboards read thousands of
  // rows instead of hundreds of thousands. school_id is '' (not NULL) for "no school" so the
  // unique keys work as upsert targets on both dialects.
  // Minutes per (ISO week ∩ calendar month) part, school and category: exact for week, month and term buckets.
  await db.schema
    .createTable("coaching_rollup_weekly")
    .addColumn("district_id", "text", (c) => c.notNull())
    .addColumn("week", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("school_id", "text", (c) => c.notNull())
    .addColumn("category_id", "text", (c) => c.notNull())
    .addColumn("minutes", "integer", (c) => c.notNull())
    .addColumn("entries", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("coaching_rollup_weekly_pk", ["district_id", "week", "month", "school_id", "category_id"])
    .execute();
  // Per teacher, term and school: minutes, entries and entries in coaching-kind categories.
  await db.schema
    .createTable("coaching_rollup_teacher_terms")
    .addColumn("district_id", "text", (c) => c.notNull())
    .addColumn("term", "text", (c) => c.notNull())
    .addColumn("person_id", "text", (c) => c.notNull())
    .addColumn("school_id", "text", (c) => c.notNull())
    .addColumn("minutes", "integer", (c) => c.notNull())
    .addColumn("entries", "integer", (c) => c.notNull())
    .addColumn("coaching_entries", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("coaching_rollup_teacher_terms_pk", ["district_id", "term", "person_id", "school_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["coaching_rollup_teacher_terms", "coaching_rollup_weekly", "coaching_entry_teachers", "coaching_entries", "coaching_cycle_steps", "coaching_cycle_teachers", "coaching_cycles", "coaching_categories"]) {
    await db.schema.dropTable(t).execute();
  }
}
