import { sql, type Kysely } from "kysely";
import { timestamp } from "../migration-helpers.js";

// Frozen in time: never import application code here.
//
// Single sign-on with OpenID Connect: the district's identity providers, the pending logins
// (one row per redirect to a provider; rows, not cookies, so any app server can finish a login
// another started), and the link from a person to their subject (`sub`) at a provider.
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestamp(db);

  await db.schema
    .createTable("sso_providers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('google','microsoft','oidc')`))
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("issuer", "text", (c) => c.notNull())
    .addColumn("client_id", "text", (c) => c.notNull())
    // AES-256-GCM ciphertext (`v1.<iv>.<tag>.<data>`), key derived from COACHWORK_SECRET; null for public clients.
    .addColumn("client_secret_enc", "text")
    // JSON array of lower-case domains, e.g. ["riverside.k12.example"]; [] accepts any domain.
    .addColumn("allowed_domains", "text", (c) => c.notNull().defaultTo("[]"))
    // Booleans are 0/1 integers on both dialects, so repositories see one shape.
    .addColumn("allow_self_provisioning", "integer", (c) =>
      c.notNull().defaultTo(0).check(sql`allow_self_provisioning in (0, 1)`),
    )
    .addColumn("default_role", "text", (c) => c.notNull().defaultTo("teacher"))
    .addColumn("is_enabled", "integer", (c) => c.notNull().defaultTo(1).check(sql`is_enabled in (0, 1)`))
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sso_providers_district_idx").on("sso_providers").columns(["district_id"]).execute();

  await db.schema
    .createTable("sso_login_states")
    // SHA-256 of the `state` parameter: a leaked table cannot be replayed against the callback.
    .addColumn("state_hash", "text", (c) => c.primaryKey())
    .addColumn("provider_id", "text", (c) => c.notNull().references("sso_providers.id").onDelete("cascade"))
    .addColumn("nonce", "text", (c) => c.notNull())
    .addColumn("code_verifier", "text", (c) => c.notNull())
    // SHA-256 of the browser-binding cookie: the callback must come back to the browser that started it.
    .addColumn("browser_hash", "text", (c) => c.notNull())
    .addColumn("redirect_uri", "text", (c) => c.notNull())
    .addColumn("return_to", "text", (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("expires_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sso_login_states_expires_idx").on("sso_login_states").columns(["expires_at"]).execute();

  await db.schema
    .createTable("person_identities")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("provider_id", "text", (c) => c.notNull().references("sso_providers.id").onDelete("cascade"))
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("email", "text")
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("last_login_at", ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("person_identities_subject_uq")
    .on("person_identities")
    .columns(["provider_id", "subject"])
    .unique()
    .execute();
  // One identity per person and provider: a new `sub` for the same email replaces the old link.
  await db.schema
    .createIndex("person_identities_person_uq")
    .on("person_identities")
    .columns(["person_id", "provider_id"])
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["person_identities", "sso_login_states", "sso_providers"]) {
    await db.schema.dropTable(t).execute();
  }
}
