import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.
//
// At most one running roster import per district, enforced by the database: two admins (or an
// admin and the CLI) pressing "Import" in the same instant cannot both pass a check-then-insert.
export async function up(db: Kysely<any>): Promise<void> {
  // Imports left "running" by an earlier crash would block the index; they did not finish.
  await db
    .updateTable("roster_imports")
    .set({ status: "failed" })
    .where("status", "=", "running")
    .where("id", "not in", db.selectFrom("roster_imports").select(sql<string>`max(id)`.as("id")).where("status", "=", "running").groupBy("district_id"))
    .execute();
  await db.schema
    .createIndex("roster_imports_one_running_uq")
    .on("roster_imports")
    .column("district_id")
    .unique()
    .where(sql.ref("status"), "=", "running")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("roster_imports_one_running_uq").execute();
}
