import { sql, type Kysely } from "kysely";
import { dialectOf, timestamp } from "../migration-helpers.js";

// Frozen in time: never import application code here.
//
// A running roster import says it is alive (heartbeat_at, every few seconds) and who runs it (owner:
// host, process id and a per-process instance id), so an import cut off by `kill -9` or a crash is
// marked "interrupted" within a minute, or at once on the same host, instead of holding the
// one-running-import lock for two hours. The new status needs the status check widened: PostgreSQL
// swaps the constraint; SQLite cannot alter one, so the table is rebuilt (nothing references it).

const STATUSES = sql`status in ('running','applied','dry_run','rejected','failed','interrupted')`;

export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === "postgres") {
    await db.schema.alterTable("roster_imports").addColumn("heartbeat_at", timestamp(db)).execute();
    await db.schema.alterTable("roster_imports").addColumn("owner", "text").execute();
    await db.schema.alterTable("roster_imports").dropConstraint("roster_imports_status_check").execute();
    await db.schema.alterTable("roster_imports").addCheckConstraint("roster_imports_status_check", STATUSES).execute();
    return;
  }
  await db.schema
    .createTable("roster_imports_new")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("actor_id", "text", (c) => c.references("people.id"))
    .addColumn("origin", "text", (c) => c.notNull().check(sql`origin in ('web','cli')`))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('oneroster','staff')`))
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(STATUSES))
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
    .addColumn("report", "text")
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .addColumn("heartbeat_at", "text")
    .addColumn("owner", "text")
    .execute();
  await sql`insert into roster_imports_new (id, district_id, actor_id, origin, kind, file_name, status, is_dry_run, apply_valid, created, updated,
    deactivated, unchanged, skipped, rejected, error_count, warning_count, report, started_at, finished_at)
    select id, district_id, actor_id, origin, kind, file_name, status, is_dry_run, apply_valid, created, updated,
    deactivated, unchanged, skipped, rejected, error_count, warning_count, report, started_at, finished_at from roster_imports`.execute(db);
  await db.schema.dropTable("roster_imports").execute();
  await db.schema.alterTable("roster_imports_new").renameTo("roster_imports").execute();
  await db.schema.createIndex("roster_imports_district_idx").on("roster_imports").columns(["district_id", "started_at"]).execute();
  await db.schema
    .createIndex("roster_imports_one_running_uq")
    .on("roster_imports")
    .column("district_id")
    .unique()
    .where(sql.ref("status"), "=", "running")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.updateTable("roster_imports").set({ status: "failed" }).where("status", "=", "interrupted").execute();
  if (dialectOf(db) === "postgres") {
    await db.schema.alterTable("roster_imports").dropConstraint("roster_imports_status_check").execute();
    await db.schema
      .alterTable("roster_imports")
      .addCheckConstraint("roster_imports_status_check", sql`status in ('running','applied','dry_run','rejected','failed')`)
      .execute();
  }
  // SQLite keeps the wider check: dropping columns is enough for the older code to run.
  await db.schema.alterTable("roster_imports").dropColumn("owner").execute();
  await db.schema.alterTable("roster_imports").dropColumn("heartbeat_at").execute();
}
