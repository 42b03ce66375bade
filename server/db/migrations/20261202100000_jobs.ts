import { sql, type Kysely } from "kysely";
import { timestamp } from "../migration-helpers.js";

// Frozen in time: never import application code here.
//
// Durable background jobs (server/platform/jobs.ts): mail, hourly maintenance, event deliveries,
// and later reminders, SLA timers and digests. A job is claimed by setting a lease
// (locked_by, locked_until); a server that dies mid-job leaves a lease that expires, and another
// server takes the job again. dedupe_key makes enqueueing idempotent (one maintenance job per hour,
// however many servers try to schedule it); NULLs never collide on either dialect.
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestamp(db);
  await db.schema
    .createTable("jobs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    // JSON text on both dialects: jobs are read whole by the worker, never queried inside.
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending").check(sql`status in ('pending','running','done','failed')`))
    .addColumn("run_at", ts, (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("max_attempts", "integer", (c) => c.notNull().defaultTo(5))
    .addColumn("last_error", "text")
    .addColumn("locked_by", "text")
    .addColumn("locked_until", ts)
    .addColumn("dedupe_key", "text", (c) => c.unique())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("finished_at", ts)
    .execute();
  // The worker's two probes: due pending jobs by run_at, and running jobs whose lease expired.
  await db.schema.createIndex("jobs_due_idx").on("jobs").columns(["status", "run_at"]).execute();
  await db.schema.createIndex("jobs_lease_idx").on("jobs").columns(["status", "locked_until"]).execute();

  // Mail still waiting in the outbox was sent by the old polling worker; from now on each mail is
  // sent by a "mail.send" job. The outbox row's id (a UUIDv7, unique) doubles as its job's id.
  // Raw SQL: `||` concatenates text on both dialects, building the JSON payload without app code.
  const pending = await db.selectFrom("outbox").select(["id", "attempts", "created_at"]).where("status", "=", "pending").execute();
  for (const mail of pending as { id: string; attempts: number; created_at: string }[]) {
    await db
      .insertInto("jobs")
      .values({
        id: mail.id,
        kind: "mail.send",
        payload: sql`'{"outboxId":"' || ${mail.id} || '"}'`,
        status: "pending",
        run_at: mail.created_at,
        attempts: mail.attempts,
        max_attempts: Math.max(5, mail.attempts + 1),
        dedupe_key: `mail:${mail.id}`,
        created_at: mail.created_at,
      })
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("jobs").execute();
}
