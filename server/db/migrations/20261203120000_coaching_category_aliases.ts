import type { Kysely } from "kysely";
import { timestamp } from "../migration-helpers.js";

// Frozen in time: never import application code here.
//
// Issue 17: what a Google Forms log calls an activity ("Tech support") and the district category it
// means ("Tech support / troubleshooting"), chosen once in an import and offered again in the next.
// One row per district and value (folded: lower case, accents and spaces evened out).
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestamp(db);
  await db.schema
    .createTable("coaching_category_aliases")
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("value_key", "text", (c) => c.notNull())
    // The value as the file spelled it the last time it was chosen, for people to read.
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("category_id", "text", (c) => c.notNull().references("coaching_categories.id"))
    .addColumn("updated_by", "text", (c) => c.references("people.id"))
    .addColumn("updated_at", ts, (c) => c.notNull())
    .addPrimaryKeyConstraint("coaching_category_aliases_pk", ["district_id", "value_key"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("coaching_category_aliases").execute();
}
