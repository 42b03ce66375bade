import type { TCategory, TCycle, TEntry } from "../../../shared/schemas/coaching.js";
import type { CoachingCategoriesTable, CoachingCycleStepsTable } from "../../db/schema.js";
import type { CycleRow, EntryRow } from "./coaching.repository.js";
import { peopleRefs, personRef, type Names } from "./names.js";

export function presentCategory(row: CoachingCategoriesTable): TCategory {
  return { id: row.id, key: row.key, name: row.name, kind: row.kind, sortOrder: row.sort_order, status: row.status };
}

export function presentEntry(row: EntryRow, teachers: readonly { entry_id: string; id: string }[], names: Names): TEntry {
  const schoolName = row.school_id ? names.schools.get(row.school_id) : undefined;
  return {
    id: row.id,
    coach: personRef(names, row.coach_id),
    date: row.date,
    minutes: row.minutes,
    category: { id: row.category_id, name: row.category_name, kind: row.category_kind },
    school: row.school_id && schoolName !== undefined ? { id: row.school_id, name: schoolName } : null,
    teachers: peopleRefs(
      names,
      teachers.filter((t) => t.entry_id === row.id).map((t) => t.id),
    ),
    notes: row.notes,
    cycleId: row.cycle_id,
    link: row.link_type && row.link_id ? { type: row.link_type, id: row.link_id } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function presentCycle(
  row: CycleRow,
  teachers: readonly { cycle_id: string; id: string }[],
  steps: readonly Pick<CoachingCycleStepsTable, "id" | "cycle_id" | "stage" | "date" | "notes" | "author_id" | "created_at">[],
  minutes: number,
  names: Names,
): TCycle {
  return {
    id: row.id,
    title: row.title,
    startingPoint: row.starting_point,
    startingText: row.starting_text,
    status: row.status,
    coach: personRef(names, row.coach_id),
    school: { id: row.school_id, name: names.schools.get(row.school_id) ?? "" },
    teachers: peopleRefs(
      names,
      teachers.filter((t) => t.cycle_id === row.id).map((t) => t.id),
    ),
    steps: steps
      .filter((s) => s.cycle_id === row.id)
      .map((s) => ({ id: s.id, stage: s.stage, date: s.date, notes: s.notes, author: personRef(names, s.author_id), createdAt: s.created_at })),
    minutesLogged: minutes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
  };
}
