import { sql, type Kysely } from "kysely";
import { dialectOf } from "../migration-helpers.js";

// Frozen in time: never import application code here.
//
// Issue 18: on SQLite the directory's search for a common prefix walks the name order
// (people_sort_idx) testing each person's family name, given name and email until a page of
// matches turns up. With those three columns in the index, the walk reads the index alone and
// visits the table only for the page's own rows: about a tenth of the time (docs/benchmarks.md).
// PostgreSQL plans that search its own way and keeps its index as it was.
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== "sqlite") return;
  await db.schema.dropIndex("people_sort_idx").execute();
  await db.schema
    .createIndex("people_sort_idx")
    .on("people")
    .columns(["district_id", "status", "sort_name", "id", "family_lc", "given_lc", "email"])
    .execute();
  // A new index has no statistics, and without them SQLite misjudged every directory search (tens of
  // milliseconds instead of one). Analyzing the one index reads it once: about a second per million people.
  await sql`analyze "people_sort_idx"`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== "sqlite") return;
  await db.schema.dropIndex("people_sort_idx").execute();
  await db.schema.createIndex("people_sort_idx").on("people").columns(["district_id", "status", "sort_name", "id"]).execute();
}
