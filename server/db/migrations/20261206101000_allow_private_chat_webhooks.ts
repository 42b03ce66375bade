import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.
//
// Issue 16: chat webhooks and cross-posting servers are refused on private, loopback and link-local
// addresses unless the district allows them (an in-house SMS gateway or Mastodon server), as single
// sign-on issuers are (allow_private_sso_issuers, Settings → Security).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("district_settings")
    .addColumn("allow_private_chat_webhooks", "integer", (c) => c.notNull().defaultTo(0).check(sql`allow_private_chat_webhooks in (0, 1)`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("district_settings").dropColumn("allow_private_chat_webhooks").execute();
}
