import type { Kysely } from "kysely";
import type { Updateable } from "kysely";
import type { DB, DistrictSettingsTable } from "../../db/schema.js";
import { newId, nowIso } from "../../lib.js";

export function findSettings(db: Kysely<DB>, districtId: string) {
  return db.selectFrom("district_settings").selectAll().where("district_id", "=", districtId).executeTakeFirst();
}

export type SettingsPatch = Omit<Updateable<DistrictSettingsTable>, "district_id" | "updated_at">;

/** Writes the given columns, creating the district's row (with defaults for the rest) if it has none. */
export async function upsertSettings(db: Kysely<DB>, districtId: string, patch: SettingsPatch): Promise<void> {
  const now = nowIso();
  await db
    .insertInto("district_settings")
    .values({ district_id: districtId, updated_at: now, ...patch })
    .onConflict((oc) => oc.column("district_id").doUpdateSet({ ...patch, updated_at: now }))
    .execute();
}

/** Records the public address unless one is recorded already (setup never overwrites an admin's choice). */
export async function insertPublicUrlIfAbsent(db: Kysely<DB>, districtId: string, publicUrl: string): Promise<void> {
  await db
    .insertInto("district_settings")
    .values({ district_id: districtId, public_url: publicUrl, updated_at: nowIso() })
    .onConflict((oc) => oc.column("district_id").doNothing())
    .execute();
}

/** The districts (of those given) that have a public address recorded. */
export async function districtsWithPublicUrl(db: Kysely<DB>, districtIds: readonly string[]): Promise<string[]> {
  if (districtIds.length === 0) return [];
  const rows = await db
    .selectFrom("district_settings")
    .select("district_id")
    .where("district_id", "in", [...districtIds])
    .where("public_url", "is not", null)
    .execute();
  return rows.map((r) => r.district_id);
}

/** The district's terms, by start date. */
export function listTerms(db: Kysely<DB>, districtId: string) {
  return db
    .selectFrom("district_terms")
    .select(["name", "school_year", "start_date", "end_date"])
    .where("district_id", "=", districtId)
    .orderBy("start_date")
    .execute();
}

/** Replaces the district's terms with the given ones (in the caller's transaction). */
export async function replaceTerms(db: Kysely<DB>, districtId: string, terms: readonly { name: string; schoolYear: string; startDate: string; endDate: string }[]): Promise<void> {
  await db.deleteFrom("district_terms").where("district_id", "=", districtId).execute();
  if (terms.length === 0) return;
  const now = nowIso();
  await db
    .insertInto("district_terms")
    .values(terms.map((t) => ({ id: newId(), district_id: districtId, name: t.name, school_year: t.schoolYear, start_date: t.startDate, end_date: t.endDate, created_at: now })))
    .execute();
}
