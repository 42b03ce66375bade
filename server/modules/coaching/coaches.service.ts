import { canCompareCoaches, canSeeCoachedTeacherNames } from "../../../shared/policy/coaching.js";
import type { TCoachesQuery, TCoachesReport, TCoachRow } from "../../../shared/schemas/home.js";
import type { Actor } from "../../auth/actor.js";
import type { Ctx } from "../../context.js";
import { fieldError, forbidden } from "../../errors.js";
import { activeCoaches, activeTeachersBySchool, displayName, namesByIds } from "../people/api.js";
import { schoolsOfDistrict } from "../schools/api.js";
import { loadDistrictSettings } from "../settings/api.js";
import * as repo from "./coaching.repository.js";
import { districtToday } from "./dashboard.service.js";
import { coachingTerms } from "./terms.service.js";

// Coaches compared: hours, coaching share and teachers reached per coach over a range, and who is not
// yet reached this term. A teacher is reached when a coaching (not support) activity names them; one
// teacher at two schools is one teacher.

const MAX_RANGE_DAYS = 366 * 5;

/** Coaches compared over a range (default: this term), and the teachers and schools not yet reached this term. */
export async function compareCoaches(ctx: Ctx, actor: Actor, q: TCoachesQuery): Promise<TCoachesReport> {
  const schoolId = q.schoolId ?? null;
  if (!canCompareCoaches(actor, schoolId)) {
    throw forbidden(schoolId ? "You cannot compare the coaches of this school" : "Only district admins and district-wide coaches compare the district's coaches; school leaders choose their school");
  }
  const [terms, today, settings, schools] = await Promise.all([
    coachingTerms(ctx, actor.districtId),
    districtToday(ctx, actor.districtId),
    loadDistrictSettings(ctx.db, actor.districtId),
    schoolsOfDistrict(ctx.db, actor.districtId),
  ]);
  if (schoolId && !schools.some((s) => s.id === schoolId)) throw fieldError("query.schoolId", "is not a school of this district");
  const term = terms.termOf(today);
  const to = q.to ?? today;
  const from = q.from ?? terms.termOf(to).startDate;
  if (from > to) throw fieldError("query.from", "is after query.to");
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_RANGE_DAYS) throw fieldError("query.from", "the range may span at most five years");
  const scope = { districtId: actor.districtId, schoolId: schoolId ?? undefined };

  const [coachGrants, totals, reach, termReach, teachers] = await Promise.all([
    activeCoaches(ctx.db, actor.districtId, schoolId ?? undefined),
    repo.coachTotals(ctx.db, { ...scope, from, to }),
    repo.coachingReach(ctx.db, { ...scope, from, to }),
    repo.coachingReach(ctx.db, { districtId: actor.districtId, from: term.startDate, to: today }),
    activeTeachersBySchool(ctx.db, actor.districtId, schoolId ? [schoolId] : "all"),
  ]);
  const schoolName = new Map(schools.map((s) => [s.id, s.name]));
  const activeSchools = new Set(schools.filter((s) => s.status === "active").map((s) => s.id));

  // Coaches: everyone holding the role in scope, and anyone else who logged there in the range.
  const grantsOf = new Map<string, string[]>();
  for (const g of coachGrants) {
    const list = grantsOf.get(g.person_id) ?? [];
    list.push(g.school_id === null ? "District-wide" : (schoolName.get(g.school_id) ?? "Unknown school"));
    grantsOf.set(g.person_id, list);
  }
  const totalsOf = new Map(totals.map((t) => [t.coach_id, t]));
  const reachedBy = new Map<string, number>();
  for (const r of reach) reachedBy.set(r.coach_id, (reachedBy.get(r.coach_id) ?? 0) + 1);
  const coachIds = [...new Set([...grantsOf.keys(), ...totalsOf.keys()])];
  const names = await namesByIds(ctx.db, coachIds);
  const coaches: TCoachRow[] = coachIds.map((id) => {
    const t = totalsOf.get(id);
    const minutes = Number(t?.minutes ?? 0);
    const coachingMinutes = Number(t?.coaching_minutes ?? 0);
    return {
      id,
      name: displayName(names, id),
      schools: [...new Set(grantsOf.get(id) ?? [])].sort(),
      minutes,
      coachingMinutes,
      supportMinutes: minutes - coachingMinutes,
      coachingShare: minutes > 0 ? coachingMinutes / minutes : null,
      entries: Number(t?.entries ?? 0),
      teachersReached: reachedBy.get(id) ?? 0,
    };
  });
  coaches.sort((a, b) => b.minutes - a.minutes || a.name.localeCompare(b.name));

  // Not yet reached this term: active teachers at active schools in scope, no coaching activity anywhere this term.
  const reachedThisTerm = new Set(termReach.map((r) => r.person_id));
  const inScope = teachers.filter((t) => activeSchools.has(t.school_id));
  const teacherIds = new Set(inScope.map((t) => t.person_id));
  const notReached = inScope.filter((t) => !reachedThisTerm.has(t.person_id));
  const bySchool = new Map<string, { teachers: Set<string>; reached: number }>();
  for (const t of inScope) {
    const s = bySchool.get(t.school_id) ?? { teachers: new Set<string>(), reached: 0 };
    if (!s.teachers.has(t.person_id)) {
      s.teachers.add(t.person_id);
      if (reachedThisTerm.has(t.person_id)) s.reached++;
    }
    bySchool.set(t.school_id, s);
  }
  const namesHidden = schoolId !== null && !canSeeCoachedTeacherNames(actor, schoolId, settings.leadersSeeTeacherNames);
  const teacherNames = namesHidden ? new Map() : await namesByIds(ctx.db, notReached.map((t) => t.person_id));
  const notReachedIds = new Set(notReached.map((t) => t.person_id));
  return {
    from,
    to,
    schoolId,
    coachingShareTarget: settings.coachingShareTarget === null ? null : settings.coachingShareTarget / 100,
    coaches,
    term: { key: term.key, name: term.name, startDate: term.startDate, endDate: term.nominalEndDate },
    teachersNotReached: namesHidden
      ? []
      : notReached
          .map((t) => ({ id: t.person_id, name: displayName(teacherNames, t.person_id), schoolId: t.school_id, schoolName: schoolName.get(t.school_id) ?? "Unknown school" }))
          .sort((a, b) => a.schoolName.localeCompare(b.schoolName) || a.name.localeCompare(b.name)),
    teacherNamesHidden: namesHidden,
    teachers: teacherIds.size,
    teachersNotReachedCount: notReachedIds.size,
    schoolsNotReached: [...bySchool.entries()]
      .filter(([, s]) => s.teachers.size > 0 && s.reached === 0)
      .map(([id, s]) => ({ id, name: schoolName.get(id) ?? "Unknown school", teachers: s.teachers.size }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}
