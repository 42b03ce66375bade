import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { schoolNamesByIds } from "../schools/api.js";
import { grantsOf, type RoleRow } from "./people.repository.js";

/** Role grants of the given people, with their school names (from the schools module). */
export async function rolesOf(db: Kysely<DB>, personIds: readonly string[]): Promise<RoleRow[]> {
  const grants = await grantsOf(db, personIds);
  const names = await schoolNamesByIds(db, grants.map((g) => g.school_id));
  return grants.map((g) => ({ ...g, school_name: g.school_id === null ? null : (names.get(g.school_id) ?? null) }));
}
