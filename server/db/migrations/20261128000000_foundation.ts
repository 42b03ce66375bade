import { sql, type Kysely } from "kysely";
import { bytewiseText, serial, timestamp } from "../migration-helpers.js";

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestamp(db);
  const btext = bytewiseText(db);

  await db.schema
    .createTable("instance_settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("districts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("timezone", "text", (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("schools")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("level", "text", (c) => c.notNull().check(sql`level in ('elementary','middle','high','other')`))
    .addColumn("code", "text")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("active").check(sql`status in ('active','inactive')`))
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("schools_district_name_uq").on("schools").columns(["district_id", "name"]).unique().execute();
  // Rosters and spreadsheets name schools by code; two schools must not share one (NULLs may repeat).
  await db.schema.createIndex("schools_district_code_uq").on("schools").columns(["district_id", "code"]).unique().execute();

  await db.schema
    .createTable("people")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("given_name", "text", (c) => c.notNull())
    .addColumn("family_name", "text", (c) => c.notNull())
    .addColumn("sort_name", btext, (c) => c.notNull())
    .addColumn("given_lc", btext, (c) => c.notNull())
    .addColumn("family_lc", btext, (c) => c.notNull())
    .addColumn("email", btext)
    .addColumn("password_hash", "text")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("active").check(sql`status in ('active','inactive')`))
    .addColumn("grade_level", "text")
    .addColumn("student_number", "text")
    .addColumn("source_id", "text")
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .addColumn("deactivated_at", ts)
    .execute();
  // Emails are stored lower-cased, so a plain unique index is case-insensitive uniqueness.
  await db.schema.createIndex("people_district_email_uq").on("people").columns(["district_id", "email"]).unique().execute();
  await db.schema.createIndex("people_district_source_uq").on("people").columns(["district_id", "source_id"]).unique().execute();
  // The directory pages by (sort_name, id) and searches by prefix of the given name, family name or email.
  await db.schema.createIndex("people_sort_idx").on("people").columns(["district_id", "status", "sort_name", "id"]).execute();
  await db.schema.createIndex("people_given_idx").on("people").columns(["district_id", "given_lc"]).execute();
  await db.schema.createIndex("people_family_idx").on("people").columns(["district_id", "family_lc"]).execute();

  await db.schema
    .createTable("role_assignments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("role", "text", (c) =>
      c
        .notNull()
        .check(sql`role in ('district_admin','coach','school_leader','teacher','it_staff','student_tech','student')`),
    )
    .addColumn("school_id", "text", (c) => c.references("schools.id"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("role_assignments_person_idx").on("role_assignments").columns(["person_id"]).execute();
  await db.schema
    .createIndex("role_assignments_school_idx")
    .on("role_assignments")
    .columns(["school_id", "role", "person_id"])
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("csrf_token", "text", (c) => c.notNull())
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("last_seen_at", ts, (c) => c.notNull())
    .addColumn("expires_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_person_idx").on("sessions").columns(["person_id"]).execute();
  await db.schema.createIndex("sessions_expires_idx").on("sessions").columns(["expires_at"]).execute();

  await db.schema
    .createTable("api_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("prefix", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("last_used_at", ts)
    .addColumn("expires_at", ts)
    .addColumn("revoked_at", ts)
    .execute();
  await db.schema.createIndex("api_tokens_person_idx").on("api_tokens").columns(["person_id"]).execute();

  await db.schema
    .createTable("password_resets")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("expires_at", ts, (c) => c.notNull())
    .addColumn("used_at", ts)
    .execute();

  await db.schema
    .createTable("outbox")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("to_address", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body_text", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending"))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("sent_at", ts)
    .execute();
  await db.schema.createIndex("outbox_status_idx").on("outbox").columns(["status", "created_at"]).execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("seq", serial(db), (c) => c.primaryKey())
    .addColumn("id", "text", (c) => c.notNull().unique())
    .addColumn("district_id", "text")
    .addColumn("actor_id", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("subject_type", "text")
    .addColumn("subject_id", "text")
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .addColumn("details", "text")
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_log_district_idx").on("audit_log").columns(["district_id", "seq"]).execute();
  await db.schema.createIndex("audit_log_subject_idx").on("audit_log").columns(["subject_id", "seq"]).execute();
  await db.schema.createIndex("audit_log_actor_idx").on("audit_log").columns(["actor_id", "seq"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "audit_log",
    "outbox",
    "password_resets",
    "api_tokens",
    "sessions",
    "role_assignments",
    "people",
    "schools",
    "districts",
    "instance_settings",
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
