import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.
//
// The queue page counts a queue's open tickets (up to a cap) beside its first page. With the school
// in the open-tickets index the count is answered from the index alone, with no visit to each
// ticket's row: at 1,000,000 tickets it was most of the page's time (docs/benchmarks.md, "Help desk").
// The school is last, so the index still walks a queue's open tickets in order for the page itself.
const OPEN = `status in ('new', 'triaged', 'in_progress', 'waiting', 'escalated')`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index helpdesk_tickets_open_idx`.execute(db);
  await sql`create index helpdesk_tickets_open_idx on helpdesk_tickets (queue_id, created_at, id, school_id) where ${sql.raw(OPEN)}`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index helpdesk_tickets_open_idx`.execute(db);
  await sql`create index helpdesk_tickets_open_idx on helpdesk_tickets (queue_id, created_at, id) where ${sql.raw(OPEN)}`.execute(db);
}
