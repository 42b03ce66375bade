import { sql, type Kysely } from "kysely";
import { timestamp } from "../migration-helpers.js";

// Frozen in time: never import application code here.
//
// Issue 17 (district settings): the district's terms and its target share of coaching time, and
// term keys that any term can have. A coaching entry's `term` was "2026-27 Fall"; it becomes the
// first day of its term ("2026-07-01"), so a district's own terms (which start on any day) and the
// fixed July–December / January–June rule share one sortable key.
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestamp(db);
  await db.schema
    .alterTable("district_settings")
    // Percent of coaches' time that should go to coaching (not support); null: no target.
    .addColumn("coaching_share_target", "integer", (c) => c.defaultTo(60).check(sql`coaching_share_target between 0 and 100`))
    .execute();
  await db.schema
    .createTable("district_terms")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("school_year", "text", (c) => c.notNull())
    .addColumn("start_date", "text", (c) => c.notNull())
    .addColumn("end_date", "text", (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addUniqueConstraint("district_terms_start_uq", ["district_id", "start_date"])
    .addCheckConstraint("district_terms_dates_ck", sql`end_date >= start_date`)
    .execute();
  // Which term definitions the coaching log's term keys (entries, teacher rollup) were computed with.
  await db.schema
    .createTable("coaching_term_state")
    .addColumn("district_id", "text", (c) => c.primaryKey().references("districts.id"))
    .addColumn("terms_hash", "text", (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
  // Coaches compared and "not yet reached" read who was coached over a date range, district-wide.
  await db.schema.createIndex("coaching_entry_teachers_district_date_idx").on("coaching_entry_teachers").columns(["district_id", "date"]).execute();
  // The fixed rule's keys: the term's first day. Plain SQL that reads the same on both dialects.
  await sql`update coaching_entries set term = substr(date, 1, 4) || case when substr(date, 6, 2) >= '07' then '-07-01' else '-01-01' end`.execute(db);
  await sql`update coaching_rollup_teacher_terms set term = case when term like '% Fall' then substr(term, 1, 4) || '-07-01' else cast(cast(substr(term, 1, 4) as integer) + 1 as text) || '-01-01' end where term like '%-% %'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`update coaching_entries set term = case when substr(date, 6, 2) >= '07' then substr(date, 1, 4) || '-' || substr(cast(cast(substr(date, 1, 4) as integer) + 1 as text), 3, 2) || ' Fall' else cast(cast(substr(date, 1, 4) as integer) - 1 as text) || '-' || substr(date, 3, 2) || ' Spring' end`.execute(db);
  await sql`delete from coaching_rollup_teacher_terms`.execute(db);
  await db.schema.dropIndex("coaching_entry_teachers_district_date_idx").execute();
  await db.schema.dropTable("coaching_term_state").execute();
  await db.schema.dropTable("district_terms").execute();
  await db.schema.alterTable("district_settings").dropColumn("coaching_share_target").execute();
}
