import type { Kysely } from "kysely";

// Frozen in time: never import application code here.
//
// The note written when a ticket is escalated ("What they should know") is for the department or
// contractor that fixes it, so the punch list shows it with the item. It was kept only as a staff
// note in the conversation, not told apart from later staff notes; from now on the ticket keeps it
// too (replaced when the ticket is escalated again, null when none was written). Tickets escalated
// before this keep their note in the conversation only: which staff note was the escalation's
// cannot be told for sure, so nothing is guessed here.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("helpdesk_tickets").addColumn("escalation_note", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("helpdesk_tickets").dropColumn("escalation_note").execute();
}
