import type { Kysely } from "kysely";
import type { DB, SsoLoginStatesTable, SsoProvidersTable } from "../../db/schema.js";
import { newId, nowIso } from "../../lib.js";
import type { SsoDefaultRole, SsoKind } from "../../../shared/schemas/sso.js";

/** A provider row with its booleans and domain list decoded (better-sqlite3 has no booleans; we store 0/1 on both). */
export type SsoProvider = {
  id: string;
  districtId: string;
  kind: SsoKind;
  displayName: string;
  issuer: string;
  clientId: string;
  clientSecretEnc: string | null;
  allowedDomains: string[];
  allowSelfProvisioning: boolean;
  defaultRole: SsoDefaultRole;
  isEnabled: boolean;
  createdAt: string;
  updatedAt: string;
};

function parseDomains(json: string): string[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((d): d is string => typeof d === "string") : [];
  } catch {
    return [];
  }
}

function toProvider(row: SsoProvidersTable): SsoProvider {
  return {
    id: row.id,
    districtId: row.district_id,
    kind: row.kind,
    displayName: row.display_name,
    issuer: row.issuer,
    clientId: row.client_id,
    clientSecretEnc: row.client_secret_enc,
    allowedDomains: parseDomains(row.allowed_domains),
    allowSelfProvisioning: row.allow_self_provisioning === 1,
    defaultRole: row.default_role as SsoDefaultRole,
    isEnabled: row.is_enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type ProviderColumns = Omit<SsoProvider, "id" | "districtId" | "createdAt" | "updatedAt">;

function toColumns(p: Partial<ProviderColumns>) {
  return {
    ...(p.kind === undefined ? {} : { kind: p.kind }),
    ...(p.displayName === undefined ? {} : { display_name: p.displayName }),
    ...(p.issuer === undefined ? {} : { issuer: p.issuer }),
    ...(p.clientId === undefined ? {} : { client_id: p.clientId }),
    ...(p.clientSecretEnc === undefined ? {} : { client_secret_enc: p.clientSecretEnc }),
    ...(p.allowedDomains === undefined ? {} : { allowed_domains: JSON.stringify(p.allowedDomains) }),
    ...(p.allowSelfProvisioning === undefined ? {} : { allow_self_provisioning: p.allowSelfProvisioning ? 1 : 0 }),
    ...(p.defaultRole === undefined ? {} : { default_role: p.defaultRole }),
    ...(p.isEnabled === undefined ? {} : { is_enabled: p.isEnabled ? 1 : 0 }),
  };
}

export async function listProviders(db: Kysely<DB>, districtId: string): Promise<SsoProvider[]> {
  const rows = await db
    .selectFrom("sso_providers")
    .selectAll()
    .where("district_id", "=", districtId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map(toProvider);
}

/** Enabled providers of every district (an instance normally serves one), for the sign-in page. */
export async function listEnabledProviders(db: Kysely<DB>): Promise<SsoProvider[]> {
  const rows = await db
    .selectFrom("sso_providers")
    .selectAll()
    .where("is_enabled", "=", 1)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map(toProvider);
}

/** A provider by id; scoped to a district when one is given. */
export async function findProvider(db: Kysely<DB>, id: string, districtId?: string): Promise<SsoProvider | undefined> {
  let q = db.selectFrom("sso_providers").selectAll().where("id", "=", id);
  if (districtId !== undefined) q = q.where("district_id", "=", districtId);
  const row = await q.executeTakeFirst();
  return row ? toProvider(row) : undefined;
}

export async function insertProvider(db: Kysely<DB>, id: string, districtId: string, p: ProviderColumns): Promise<void> {
  const now = nowIso();
  await db
    .insertInto("sso_providers")
    .values({
      id,
      district_id: districtId,
      kind: p.kind,
      display_name: p.displayName,
      issuer: p.issuer,
      client_id: p.clientId,
      client_secret_enc: p.clientSecretEnc,
      allowed_domains: JSON.stringify(p.allowedDomains),
      allow_self_provisioning: p.allowSelfProvisioning ? 1 : 0,
      default_role: p.defaultRole,
      is_enabled: p.isEnabled ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function updateProvider(db: Kysely<DB>, id: string, changes: Partial<ProviderColumns>): Promise<void> {
  await db
    .updateTable("sso_providers")
    .set({ ...toColumns(changes), updated_at: nowIso() })
    .where("id", "=", id)
    .execute();
}

export async function deleteProvider(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom("sso_providers").where("id", "=", id).execute();
}

export async function insertLoginState(db: Kysely<DB>, row: SsoLoginStatesTable): Promise<void> {
  await db.insertInto("sso_login_states").values(row).execute();
}

/** Removes and returns a pending login in one statement, so a state can be used only once even under races. */
export function takeLoginState(db: Kysely<DB>, stateHash: string): Promise<SsoLoginStatesTable | undefined> {
  return db.deleteFrom("sso_login_states").where("state_hash", "=", stateHash).returningAll().executeTakeFirst();
}

export async function purgeExpiredLoginStates(db: Kysely<DB>): Promise<void> {
  await db.deleteFrom("sso_login_states").where("expires_at", "<", nowIso()).execute();
}

/** The person linked to a subject at a provider, if any. */
export async function findIdentity(db: Kysely<DB>, providerId: string, subject: string) {
  return db
    .selectFrom("person_identities")
    .select(["id", "person_id"])
    .where("provider_id", "=", providerId)
    .where("subject", "=", subject)
    .executeTakeFirst();
}

/** Links a person to a subject at a provider, replacing any earlier link of either. */
export async function linkIdentity(
  db: Kysely<DB>,
  link: { providerId: string; subject: string; personId: string; email: string | null },
): Promise<void> {
  const now = nowIso();
  await db
    .deleteFrom("person_identities")
    .where("provider_id", "=", link.providerId)
    .where((eb) => eb.or([eb("subject", "=", link.subject), eb("person_id", "=", link.personId)]))
    .execute();
  await db
    .insertInto("person_identities")
    .values({
      id: newId(),
      provider_id: link.providerId,
      subject: link.subject,
      person_id: link.personId,
      email: link.email,
      created_at: now,
      last_login_at: now,
    })
    .execute();
}

export async function touchIdentity(db: Kysely<DB>, id: string, email: string | null): Promise<void> {
  await db.updateTable("person_identities").set({ last_login_at: nowIso(), email }).where("id", "=", id).execute();
}
