import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import * as repo from "./coaching.repository.js";

// The coaching module's API for other modules: what an observation needs to link itself to a
// coaching cycle and to the coaching log's "observing" minutes, without reading coaching's tables.

/** A coaching cycle as another module may see it: who runs it, with whom, where. */
export type CycleFacts = { id: string; coachId: string; schoolId: string; status: "active" | "paused" | "complete"; title: string; teacherIds: string[] };

/** The cycle with this id in the district, or undefined. */
export async function cycleFacts(db: Kysely<DB>, districtId: string, id: string): Promise<CycleFacts | undefined> {
  const row = await repo.findCycle(db, districtId, id);
  if (!row) return undefined;
  const teacherIds = (await repo.cycleTeachers(db, [id])).map((t) => t.id);
  return { id: row.id, coachId: row.coach_id, schoolId: row.school_id, status: row.status, title: row.title, teacherIds };
}

/** A coaching log entry as another module may see it. `categoryKey` is "observing" for observing minutes. */
export type EntryFacts = {
  id: string;
  coachId: string;
  schoolId: string | null;
  date: string;
  minutes: number;
  categoryKey: string;
  teacherIds: string[];
  link: { type: string; id: string } | null;
};

/** The entry with this id in the district, or undefined. */
export async function entryFacts(db: Kysely<DB>, districtId: string, id: string): Promise<EntryFacts | undefined> {
  const row = await repo.findEntry(db, districtId, id);
  if (!row) return undefined;
  const [teachers, categories] = await Promise.all([repo.teachersOfEntries(db, [id]), repo.listCategories(db, districtId)]);
  return {
    id: row.id,
    coachId: row.coach_id,
    schoolId: row.school_id,
    date: row.date,
    minutes: row.minutes,
    categoryKey: categories.find((c) => c.id === row.category_id)?.key ?? "",
    teacherIds: teachers.map((t) => t.id),
    link: row.link_type && row.link_id ? { type: row.link_type, id: row.link_id } : null,
  };
}

/** Marks a log entry as the minutes of an observation (unless it already links elsewhere), in the caller's transaction. */
export function linkEntryToObservation(db: Kysely<DB>, entryId: string, observationId: string): Promise<boolean> {
  return repo.setEntryLink(db, entryId, { type: "observation", id: observationId });
}
