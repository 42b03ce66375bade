import type { Kysely } from "kysely";

// Frozen in time: never import application code here.
//
// Each enrolment keeps the fingerprint of the values the roster import wrote (a 51-bit hash of its
// class, person, school, role, primary flag and dates), so a re-import compares a million file rows
// against one number each instead of reading and hashing every stored value again. Only the roster
// import writes enrolments. Rows written before this column hold null, and the import compares those
// the old way (by their values) until it next writes them.

export async function up(db: Kysely<any>): Promise<void> {
  // Nullable and without a default: adding it rewrites no rows on either database.
  await db.schema.alterTable("enrollments").addColumn("roster_print", "bigint").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("enrollments").dropColumn("roster_print").execute();
}
