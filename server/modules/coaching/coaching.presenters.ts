import type { TCategory, TCycle, TEntry } from "../../../shared/schemas/coaching.js";
import type { CoachingCategoriesTable } from "../../db/schema.js";
import type { CycleRow, EntryRow } from "./coaching.repository.js";

type NamedRow = { id: string; given_name: string; family_name: string };
const personRef = (p: NamedRow) => ({ id: p.id, name: `${p.given_name} ${p.family_name}` });

export function presentCategory(row: CoachingCategoriesTable): TCategory {
  return { id: row.id, key: row.key, name: row.name, kind: row.kind, sortOrder: row.sort_order, status: row.status };
}

export function presentEntry(row: EntryRow, teachers: readonly (NamedRow & { entry_id: string })[]): TEntry {
  return {
    id: row.id,
    coach: { id: row.coach_id, name: `${row.coach_given} ${row.coach_family}` },
    date: row.date,
    minutes: row.minutes,
    category: { id: row.category_id, name: row.category_name, kind: row.category_kind },
    school: row.school_id && row.school_name ? { id: row.school_id, name: row.school_name } : null,
    teachers: teachers.filter((t) => t.entry_id === row.id).map(personRef),
    notes: row.notes,
    cycleId: row.cycle_id,
    link: row.link_type && row.link_id ? { type: row.link_type, id: row.link_id } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function presentCycle(
  row: CycleRow,
  teachers: readonly (NamedRow & { cycle_id: string })[],
  steps: readonly { id: string; cycle_id: string; stage: TCycle["steps"][number]["stage"]; date: string; notes: string; author_id: string; author_given: string; author_family: string; created_at: string }[],
  minutes: number,
): TCycle {
  return {
    id: row.id,
    title: row.title,
    startingPoint: row.starting_point,
    startingText: row.starting_text,
    status: row.status,
    coach: { id: row.coach_id, name: `${row.coach_given} ${row.coach_family}` },
    school: { id: row.school_id, name: row.school_name },
    teachers: teachers.filter((t) => t.cycle_id === row.id).map(personRef),
    steps: steps
      .filter((s) => s.cycle_id === row.id)
      .map((s) => ({
        id: s.id,
        stage: s.stage,
        date: s.date,
        notes: s.notes,
        author: { id: s.author_id, name: `${s.author_given} ${s.author_family}` },
        createdAt: s.created_at,
      })),
    minutesLogged: minutes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
  };
}
