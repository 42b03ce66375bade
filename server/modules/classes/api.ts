import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { activeSessionsOfTypes } from "./classes.repository.js";

// The classes module's API for other modules: what the roster says about the school calendar.

export type RosterTerm = { sourceId: string; name: string; schoolYear: string; startDate: string; endDate: string };

/** OneRoster's schoolYear is the year the school year ends ("2027"); ours is "2026-27". */
function schoolYearOf(session: { school_year: string | null; start_date: string }): string {
  const ending = session.school_year && /^\d{4}$/.test(session.school_year) ? Number(session.school_year) : null;
  if (ending !== null) return `${ending - 1}-${String(ending % 100).padStart(2, "0")}`;
  const year = Number(session.start_date.slice(0, 4));
  const start = Number(session.start_date.slice(5, 7)) >= 7 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, "0")}`;
}

/**
 * The roster's terms: its active academic sessions of type "term", or, when it has none, its
 * semesters (SIS exports differ in which they use for the periods classes run in).
 */
export async function rosterTerms(db: Kysely<DB>, districtId: string): Promise<RosterTerm[]> {
  const sessions = await activeSessionsOfTypes(db, districtId, ["term", "semester"]);
  const terms = sessions.filter((s) => s.type === "term");
  return (terms.length > 0 ? terms : sessions).map((s) => ({ sourceId: s.source_id, name: s.title, schoolYear: schoolYearOf(s), startDate: s.start_date, endDate: s.end_date }));
}
