import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";

// The schools module's API for other modules: the only way they read schools.

export { getSchool, isSchoolOfDistrict, schoolIdsInDistrict } from "./schools.service.js";
export { insertSchool } from "./schools.repository.js";

export type SchoolRef = { id: string; name: string; code: string | null; level: string; status: "active" | "inactive" };

/** Every school of the district, active or not, by name. */
export function schoolsOfDistrict(db: Kysely<DB>, districtId: string): Promise<SchoolRef[]> {
  return db.selectFrom("schools").select(["id", "name", "code", "level", "status"]).where("district_id", "=", districtId).orderBy("name").execute();
}

/** Names of the given schools, keyed by id. */
export async function schoolNamesByIds(db: Kysely<DB>, ids: Iterable<string | null>): Promise<Map<string, string>> {
  const unique = [...new Set([...ids].filter((id): id is string => id !== null))];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom("schools").select(["id", "name"]).where("id", "in", unique).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
