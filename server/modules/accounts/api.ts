import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";

// The accounts module's API for other modules: districts (created at setup).

export { findDistrict, updateDistrictRow } from "./accounts.repository.js";

/** Every district on this instance, oldest first (an instance usually has one). */
export function listDistricts(db: Kysely<DB>): Promise<{ id: string; name: string }[]> {
  return db.selectFrom("districts").select(["id", "name"]).orderBy("created_at").execute();
}
