import { sql, type ColumnDefinitionBuilder, type Kysely } from "kysely";
import { timestamp } from "../migration-helpers.js";

// Frozen in time: never import application code here.
// Rostering from a student information system (OneRoster CSV): academic sessions, courses,
// classes and enrolments, each keyed by the source system's sourcedId, and a record of every import.
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestamp(db);
  const status = (c: ColumnDefinitionBuilder) =>
    c.notNull().defaultTo("active").check(sql`status in ('active','inactive')`);

  // A school created by an import remembers its org's sourcedId, so renaming it in the SIS renames it here.
  await db.schema.alterTable("schools").addColumn("source_id", "text").execute();
  await db.schema.createIndex("schools_district_source_uq").on("schools").columns(["district_id", "source_id"]).unique().execute();

  // null: granted by hand in the directory; 'roster': granted and kept in step by roster imports.
  // Imports only ever remove grants they made, so a coach role given by an admin survives a re-import.
  await db.schema.alterTable("role_assignments").addColumn("source", "text").execute();

  // Orgs that are not schools (the district, departments…), kept so that a later delta import can
  // still resolve references to them. Schools themselves live in `schools` with their source_id.
  await db.schema
    .createTable("roster_orgs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("source_id", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("parent_source_id", "text")
    .addColumn("status", "text", status)
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .addColumn("deactivated_at", ts)
    .execute();
  await db.schema.createIndex("roster_orgs_source_uq").on("roster_orgs").columns(["district_id", "source_id"]).unique().execute();

  await db.schema
    .createTable("academic_sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("source_id", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull().check(sql`type in ('term','gradingPeriod','schoolYear','semester')`))
    // Calendar dates as YYYY-MM-DD text on both dialects.
    .addColumn("start_date", "text", (c) => c.notNull())
    .addColumn("end_date", "text", (c) => c.notNull())
    .addColumn("school_year", "text")
    // No foreign key: sessions arrive in file order, and a parent may come after its child.
    .addColumn("parent_id", "text")
    .addColumn("status", "text", status)
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .addColumn("deactivated_at", ts)
    .execute();
  await db.schema
    .createIndex("academic_sessions_source_uq")
    .on("academic_sessions")
    .columns(["district_id", "source_id"])
    .unique()
    .execute();

  await db.schema
    .createTable("courses")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("source_id", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("course_code", "text")
    // Multi-valued OneRoster fields are stored comma-joined ("09,10"); their values never contain commas.
    .addColumn("grades", "text")
    .addColumn("subjects", "text")
    .addColumn("school_year_id", "text", (c) => c.references("academic_sessions.id"))
    // null when the course belongs to the district rather than one school.
    .addColumn("school_id", "text", (c) => c.references("schools.id"))
    .addColumn("status", "text", status)
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .addColumn("deactivated_at", ts)
    .execute();
  await db.schema.createIndex("courses_source_uq").on("courses").columns(["district_id", "source_id"]).unique().execute();

  await db.schema
    .createTable("classes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("source_id", "text", (c) => c.notNull())
    .addColumn("school_id", "text", (c) => c.notNull().references("schools.id"))
    .addColumn("course_id", "text", (c) => c.notNull().references("courses.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("class_code", "text")
    .addColumn("class_type", "text", (c) => c.notNull().check(sql`class_type in ('homeroom','scheduled')`))
    .addColumn("location", "text")
    .addColumn("grades", "text")
    .addColumn("subjects", "text")
    .addColumn("periods", "text")
    .addColumn("status", "text", status)
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .addColumn("deactivated_at", ts)
    .execute();
  await db.schema.createIndex("classes_source_uq").on("classes").columns(["district_id", "source_id"]).unique().execute();
  await db.schema.createIndex("classes_school_idx").on("classes").columns(["school_id", "status", "title"]).execute();

  await db.schema
    .createTable("class_terms")
    .addColumn("class_id", "text", (c) => c.notNull().references("classes.id").onDelete("cascade"))
    .addColumn("session_id", "text", (c) => c.notNull().references("academic_sessions.id"))
    .addPrimaryKeyConstraint("class_terms_pk", ["class_id", "session_id"])
    .execute();

  await db.schema
    .createTable("enrollments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("source_id", "text", (c) => c.notNull())
    .addColumn("class_id", "text", (c) => c.notNull().references("classes.id"))
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("school_id", "text", (c) => c.notNull().references("schools.id"))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('teacher','student')`))
    // 0/1 on both dialects: better-sqlite3 binds no booleans.
    .addColumn("is_primary", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("begin_date", "text")
    .addColumn("end_date", "text")
    .addColumn("status", "text", status)
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .addColumn("deactivated_at", ts)
    .execute();
  await db.schema.createIndex("enrollments_source_uq").on("enrollments").columns(["district_id", "source_id"]).unique().execute();
  await db.schema.createIndex("enrollments_class_idx").on("enrollments").columns(["class_id", "role", "status"]).execute();
  await db.schema.createIndex("enrollments_person_idx").on("enrollments").columns(["person_id", "status"]).execute();

  await db.schema
    .createTable("roster_imports")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    // null when run from the command line.
    .addColumn("actor_id", "text", (c) => c.references("people.id"))
    .addColumn("origin", "text", (c) => c.notNull().check(sql`origin in ('web','cli')`))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('oneroster','staff')`))
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('running','applied','dry_run','rejected','failed')`),
    )
    .addColumn("is_dry_run", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("apply_valid", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("deactivated", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("unchanged", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("skipped", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("rejected", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("error_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("warning_count", "integer", (c) => c.notNull().defaultTo(0))
    // JSON text: per-entity counts and the issues (file, line, column, message), capped in size.
    .addColumn("report", "text")
    .addColumn("started_at", ts, (c) => c.notNull())
    .addColumn("finished_at", ts)
    .execute();
  await db.schema.createIndex("roster_imports_district_idx").on("roster_imports").columns(["district_id", "started_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["roster_imports", "enrollments", "class_terms", "classes", "courses", "academic_sessions", "roster_orgs"]) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.dropIndex("schools_district_source_uq").execute();
  await db.schema.alterTable("role_assignments").dropColumn("source").execute();
  await db.schema.alterTable("schools").dropColumn("source_id").execute();
}
