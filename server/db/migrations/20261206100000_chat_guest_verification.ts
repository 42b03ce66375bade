import { sql, type Kysely } from "kysely";
import { timestamp } from "../migration-helpers.js";

// Frozen in time: never import application code here.
//
// Issue 16: a community guest's email is verified by a link, without holding up the chat (a guest
// posts at once). Only verified guest addresses get reminders. The link's token is stored as its
// SHA-256, expires, works once (a second use only reports that the address is verified) and a new one
// is sent at most every few minutes (verify_sent_at).
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestamp(db);
  // One column per statement: SQLite's ALTER TABLE adds one at a time. Nullable, so no row is rewritten.
  await db.schema.alterTable("chat_participants").addColumn("email_verified_at", ts).execute();
  await db.schema.alterTable("chat_participants").addColumn("verify_token_hash", "text").execute();
  await db.schema.alterTable("chat_participants").addColumn("verify_expires_at", ts).execute();
  await db.schema.alterTable("chat_participants").addColumn("verify_sent_at", ts).execute();
  await db.schema.createIndex("chat_participants_verify").on("chat_participants").column("verify_token_hash").unique().where(sql.ref("verify_token_hash"), "is not", null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("chat_participants_verify").execute();
  for (const column of ["verify_sent_at", "verify_expires_at", "verify_token_hash", "email_verified_at"]) {
    await db.schema.alterTable("chat_participants").dropColumn(column).execute();
  }
}
