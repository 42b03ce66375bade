import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { newId, nowIso } from "../../lib.js";
import { updatePersonRow } from "../people/api.js";

export function findDistrict(db: Kysely<DB>, id: string) {
  return db.selectFrom("districts").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function anyDistrict(db: Kysely<DB>): Promise<boolean> {
  return (await db.selectFrom("districts").select("id").limit(1).executeTakeFirst()) !== undefined;
}

export async function insertDistrict(db: Kysely<DB>, d: { name: string; timezone: string }): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db.insertInto("districts").values({ id, name: d.name, timezone: d.timezone, created_at: now, updated_at: now }).execute();
  return id;
}

/** Renames the district or changes its time zone (Settings → District). */
export async function updateDistrictRow(db: Kysely<DB>, id: string, patch: { name?: string; timezone?: string }): Promise<void> {
  if (patch.name === undefined && patch.timezone === undefined) return;
  await db.updateTable("districts").set({ ...patch, updated_at: nowIso() }).where("id", "=", id).execute();
}

export async function getSetting(db: Kysely<DB>, key: string): Promise<string | undefined> {
  return (await db.selectFrom("instance_settings").select("value").where("key", "=", key).executeTakeFirst())?.value;
}

/** Inserts a setting unless it exists; the primary key makes this safe between servers. Returns whether it inserted. */
export async function insertSettingIfAbsent(db: Kysely<DB>, key: string, value: string): Promise<boolean> {
  const r = await db
    .insertInto("instance_settings")
    .values({ key, value, updated_at: nowIso() })
    .onConflict((oc) => oc.column("key").doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function deleteSetting(db: Kysely<DB>, key: string): Promise<void> {
  await db.deleteFrom("instance_settings").where("key", "=", key).execute();
}

/** Sets a person's password hash (the directory's row; accounts owns what goes in it). */
export async function setPasswordHash(db: Kysely<DB>, personId: string, hash: string): Promise<void> {
  await updatePersonRow(db, personId, { password_hash: hash });
}

export async function insertPasswordReset(
  db: Kysely<DB>,
  r: { personId: string; tokenHash: string; expiresAt: string },
): Promise<void> {
  await db
    .insertInto("password_resets")
    .values({ id: newId(), person_id: r.personId, token_hash: r.tokenHash, created_at: nowIso(), expires_at: r.expiresAt, used_at: null })
    .execute();
}

export function findPasswordReset(db: Kysely<DB>, tokenHash: string) {
  return db.selectFrom("password_resets").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
}

/** Marks a reset token used; false when another request used it first. */
export async function markPasswordResetUsed(db: Kysely<DB>, id: string): Promise<boolean> {
  const r = await db
    .updateTable("password_resets")
    .set({ used_at: nowIso() })
    .where("id", "=", id)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function listApiTokens(db: Kysely<DB>, personId: string) {
  return db
    .selectFrom("api_tokens")
    .selectAll()
    .where("person_id", "=", personId)
    .where("revoked_at", "is", null)
    .orderBy("created_at", "desc")
    .execute();
}

export async function insertApiToken(
  db: Kysely<DB>,
  t: { personId: string; name: string; prefix: string; tokenHash: string; expiresAt: string | null; scope: "read" | "read_write" },
): Promise<string> {
  const id = newId();
  await db
    .insertInto("api_tokens")
    .values({
      id,
      person_id: t.personId,
      name: t.name,
      prefix: t.prefix,
      token_hash: t.tokenHash,
      created_at: nowIso(),
      last_used_at: null,
      expires_at: t.expiresAt,
      revoked_at: null,
      scope: t.scope,
    })
    .execute();
  return id;
}

export async function revokeApiToken(db: Kysely<DB>, personId: string, id: string): Promise<boolean> {
  const r = await db
    .updateTable("api_tokens")
    .set({ revoked_at: nowIso() })
    .where("id", "=", id)
    .where("person_id", "=", personId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
