import { sql, type Kysely } from "kysely";
import { timestamp } from "../migration-helpers.js";

// Frozen in time: never import application code here.
//
// Issue 11 (security hardening): the district's security settings, one row per district, and the
// scope of each personal API token (read-only tokens cannot write).
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestamp(db);
  await db.schema
    .createTable("district_settings")
    .addColumn("district_id", "text", (c) => c.primaryKey().references("districts.id"))
    // The address people reach Coachwork at (https://coachwork.example.org): links in emails use it
    // when PUBLIC_URL is not set. Recorded at setup, editable by an admin; never taken from a request.
    .addColumn("public_url", "text")
    // Booleans are 0/1 integers on both dialects, so repositories see one shape.
    .addColumn("leaders_see_teacher_names", "integer", (c) => c.notNull().defaultTo(0).check(sql`leaders_see_teacher_names in (0, 1)`))
    .addColumn("token_max_days", "integer", (c) => c.notNull().defaultTo(365).check(sql`token_max_days between 1 and 3650`))
    .addColumn("allow_private_sso_issuers", "integer", (c) => c.notNull().defaultTo(0).check(sql`allow_private_sso_issuers in (0, 1)`))
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
  await db.schema
    .alterTable("api_tokens")
    .addColumn("scope", "text", (c) => c.notNull().defaultTo("read_write").check(sql`scope in ('read', 'read_write')`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("api_tokens").dropColumn("scope").execute();
  await db.schema.dropTable("district_settings").execute();
}
