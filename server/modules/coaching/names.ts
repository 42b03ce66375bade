import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { namesByIds, type PersonName } from "../people/api.js";
import { schoolNamesByIds } from "../schools/api.js";

/** The names a page of coaching records shows, read from the directory in two queries. */
export type Names = { people: ReadonlyMap<string, PersonName>; schools: ReadonlyMap<string, string> };

export async function loadNames(db: Kysely<DB>, personIds: Iterable<string>, schoolIds: Iterable<string | null>): Promise<Names> {
  const [people, schools] = await Promise.all([namesByIds(db, personIds), schoolNamesByIds(db, schoolIds)]);
  return { people, schools };
}

/** `{id, name}` for a person, as the API shows people. */
export function personRef(names: Names, id: string): { id: string; name: string } {
  const p = names.people.get(id);
  return { id, name: p ? `${p.givenName} ${p.familyName}` : "Unknown person" };
}

/** The given people as `{id, name}`, by the directory's sort order (family name, given name). */
export function peopleRefs(names: Names, ids: readonly string[]): { id: string; name: string }[] {
  const sortName = (id: string) => names.people.get(id)?.sortName ?? "";
  return [...ids].sort((a, b) => (sortName(a) < sortName(b) ? -1 : sortName(a) > sortName(b) ? 1 : 0)).map((id) => personRef(names, id));
}
