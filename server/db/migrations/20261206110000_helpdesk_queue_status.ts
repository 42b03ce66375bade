import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.
//
// Queues become data a district manages (issue 14): district admins add, rename, reorder and retire
// them. A retired queue takes no new tickets and is not offered to move tickets into; its closed
// tickets keep it. Every existing queue is active.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("helpdesk_queues")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("active").check(sql`status in ('active','retired')`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("helpdesk_queues").dropColumn("status").execute();
}
