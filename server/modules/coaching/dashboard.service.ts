import type { TDashboard, TDashboardQuery } from "../../../shared/schemas/coaching.js";
import type { Actor } from "../../auth/actor.js";
import { assertCanLogCoaching } from "./policy.js";
import { canCoachAt, canSeeCoachedTeacherNames, canSeeDistrictDashboard, canSeeSchoolDashboard, coachingSchools } from "../../../shared/policy/coaching.js";
import type { Ctx } from "../../context.js";
import { fieldError, forbidden } from "../../errors.js";
import { addDays, monthOf, partBounds, todayIn, weekOf } from "./calendar.js";
import type { TermCalendar } from "../../../shared/terms.js";
import { findDistrict } from "../accounts/api.js";
import { coachingTerms } from "./terms.service.js";
import { listCategoriesForActor } from "./categories.service.js";
import { resolveCoach } from "./entries.service.js";
import { activeTeachersBySchool, displayName, namesByIds } from "../people/api.js";
import { schoolsOfDistrict } from "../schools/api.js";
import { loadDistrictSettings } from "../settings/api.js";
import * as repo from "./coaching.repository.js";

// ---------- Dashboard ----------

const MAX_RANGE_DAYS = 366 * 5;

/** Resolves who may see which slice of the log: a coach's own, a school's, or the district's. */
type DashFilter = { districtId: string; from: string; to: string; coachId?: string; schoolId?: string };

function dashboardFilter(actor: Actor, q: TDashboardQuery, from: string, to: string): { filter: DashFilter; coverageSchools: string[] | "all" } {
  const base = { districtId: actor.districtId, from, to };
  switch (q.scope) {
    case "me": {
      assertCanLogCoaching(actor);
      // The coverage of a school the coach does not coach (its teacher count) is not theirs to see.
      if (q.schoolId && !canCoachAt(actor, q.schoolId)) throw forbidden("You do not coach at this school");
      return { filter: { ...base, coachId: actor.personId, schoolId: q.schoolId }, coverageSchools: q.schoolId ? [q.schoolId] : coachingSchools(actor) };
    }
    case "school": {
      if (!q.schoolId) throw fieldError("query.schoolId", "is required for the school dashboard");
      if (!canSeeSchoolDashboard(actor, q.schoolId)) throw forbidden("You cannot see this school's dashboard");
      const coachId = q.coachId ? resolveCoach(actor, q.coachId) : undefined;
      return { filter: { ...base, schoolId: q.schoolId, coachId }, coverageSchools: [q.schoolId] };
    }
    case "district": {
      if (!canSeeDistrictDashboard(actor)) throw forbidden("Only district admins see the district dashboard");
      return { filter: { ...base, schoolId: q.schoolId, coachId: q.coachId }, coverageSchools: q.schoolId ? [q.schoolId] : "all" };
    }
    default: {
      const exhaustive: never = q.scope;
      return exhaustive;
    }
  }
}

type Part = { week: string; month: string };

/**
 * Splits [from, to] into what the weekly rollup can answer (whole week∩month parts) and the few edge
 * days it cannot, so district and school dashboards read the rollup and still count exactly the range.
 * A part that a term starts inside (`termStarts`) is read by day too, so term buckets are exact.
 */
function planRange(from: string, to: string, termStarts: readonly string[] = []): { exclude: Part[]; edges: { from: string; to: string }[] } {
  const exclude: Part[] = [];
  const edges: { from: string; to: string }[] = [];
  const seen = new Set<string>();
  for (const week of new Set([weekOf(from), weekOf(to), ...termStarts.map(weekOf)])) {
    for (const month of new Set([monthOf(week), monthOf(addDays(week, 6))])) {
      const key = `${week}|${month}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const b = partBounds(week, month);
      if (b.last < from || b.first > to) exclude.push({ week, month });
      else if (b.first < from || b.last > to || termStarts.some((d) => d > b.first && d <= b.last)) {
        exclude.push({ week, month });
        edges.push({ from: b.first < from ? from : b.first, to: b.last > to ? to : b.last });
      }
    }
  }
  return { exclude, edges };
}

/** A row's bucket; a term bucket by the row's day, or by its part's first day (no part straddles a term start). */
const bucketKey = (bucket: TDashboardQuery["bucket"], row: Part & { date?: string }, terms: TermCalendar): string => {
  switch (bucket) {
    case "week":
      return row.week;
    case "month":
      return row.month;
    case "term":
      return terms.termOf(row.date ?? partBounds(row.week, row.month).first).key;
    default: {
      const exhaustive: never = bucket;
      return exhaustive;
    }
  }
};

/** Today where the district is (its time zone). */
export async function districtToday(ctx: Ctx, districtId: string): Promise<string> {
  return todayIn((await findDistrict(ctx.db, districtId))?.timezone ?? "UTC");
}

/**
 * Where the time goes: minutes by category per bucket, coaching vs support, top schools (exact for the range),
 * and teachers reached, coverage and most-served teachers (for the whole terms the range touches).
 */
export async function dashboard(ctx: Ctx, actor: Actor, q: TDashboardQuery): Promise<TDashboard> {
  const [terms, districtNow, settings] = await Promise.all([coachingTerms(ctx, actor.districtId), districtToday(ctx, actor.districtId), loadDistrictSettings(ctx.db, actor.districtId)]);
  const to = q.to ?? districtNow;
  const from = q.from ?? terms.schoolYearStart(to);
  if (from > to) throw fieldError("query.from", "is after query.to");
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_RANGE_DAYS) throw fieldError("query.from", "the range may span at most five years");
  const { filter, coverageSchools } = dashboardFilter(actor, q, from, to);
  const touched = terms.termsBetween(from, to);
  const termStarts = touched.map((t) => t.startDate).filter((d) => d > from && d <= to);
  const lastTerm = touched[touched.length - 1];
  const teacherFrom = touched[0]?.startDate ?? from;
  // The last defined term counts every day after it until the next is defined: shown to its end, or to `to`.
  const isOpenEnded = lastTerm !== undefined && lastTerm.endDate > lastTerm.nominalEndDate && lastTerm.endDate >= "9999";
  const teacherTo = !lastTerm ? to : !isOpenEnded ? lastTerm.endDate : lastTerm.nominalEndDate > to ? lastTerm.nominalEndDate : to;
  const db = ctx.db;

  type Row = Part & { date?: string; category_id: string; school_id: string | null; minutes: number; entries: number };
  const partRows: Row[] = [];
  const schoolTotals = new Map<string, { minutes: number; entries: number }>();
  const addSchool = (id: string | null, minutes: number, entries: number) => {
    if (!id) return;
    const t = schoolTotals.get(id) ?? { minutes: 0, entries: 0 };
    t.minutes += minutes;
    t.entries += entries;
    schoolTotals.set(id, t);
  };
  const addDayRows = (rows: Awaited<ReturnType<typeof repo.entriesByDay>>) => {
    for (const r of rows) {
      partRows.push({ week: r.week, month: r.month, date: r.date, category_id: r.category_id, school_id: r.school_id, minutes: Number(r.minutes), entries: Number(r.entries) });
      addSchool(r.school_id, Number(r.minutes), Number(r.entries));
    }
  };

  let teacherRows: { person_id: string; school_id: string; minutes: number; entries: number; coaching_entries: number }[];
  const [categoriesResult, teachersAtSchools, names] = await Promise.all([
    listCategoriesForActor(ctx, actor),
    activeTeachersBySchool(db, actor.districtId, coverageSchools),
    schoolsOfDistrict(db, actor.districtId),
  ]);
  if (filter.coachId) {
    // One coach's log is small: read it directly.
    const [days, teachers] = await Promise.all([
      repo.entriesByDay(db, { districtId: actor.districtId, coachId: filter.coachId, schoolId: filter.schoolId, from, to }),
      repo.teachersOfCoach(db, { districtId: actor.districtId, coachId: filter.coachId, schoolId: filter.schoolId, from: teacherFrom, to: teacherTo }),
    ]);
    addDayRows(days);
    teacherRows = teachers.map((t) => ({ ...t, school_id: String(t.school_id) }));
  } else {
    const plan = planRange(from, to, q.bucket === "term" ? termStarts : []);
    const range = { districtId: actor.districtId, schoolId: filter.schoolId, weekFrom: weekOf(from), weekTo: weekOf(to), exclude: plan.exclude };
    const [series, schools, teachers, ...edges] = await Promise.all([
      repo.rollupSeries(db, range),
      repo.rollupSchools(db, range),
      repo.rollupTeachers(db, { districtId: actor.districtId, schoolId: filter.schoolId, terms: touched.map((t) => t.key) }),
      ...plan.edges.map((e) => repo.entriesByDay(db, { districtId: actor.districtId, schoolId: filter.schoolId, from: e.from, to: e.to })),
    ]);
    for (const r of series) partRows.push({ week: r.week, month: r.month, category_id: r.category_id, school_id: null, minutes: Number(r.minutes), entries: Number(r.entries) });
    for (const r of schools) addSchool(r.school_id, Number(r.minutes), Number(r.entries));
    for (const e of edges) addDayRows(e);
    teacherRows = teachers;
  }

  const kindOf = new Map(categoriesResult.items.map((c) => [c.id, c.kind]));
  const series = new Map<string, TDashboard["series"][number]>();
  let entries = 0;
  for (const row of partRows) {
    if (row.entries === 0) continue;
    entries += row.entries;
    const key = bucketKey(q.bucket, row, terms);
    let s = series.get(key);
    if (!s) {
      s = { bucket: key, minutesByCategory: {}, coachingMinutes: 0, supportMinutes: 0 };
      series.set(key, s);
    }
    s.minutesByCategory[row.category_id] = (s.minutesByCategory[row.category_id] ?? 0) + row.minutes;
    if (kindOf.get(row.category_id) === "support") s.supportMinutes += row.minutes;
    else s.coachingMinutes += row.minutes;
  }
  const list = [...series.values()].sort((a, b) => (a.bucket < b.bucket ? -1 : 1));
  const coachingMinutes = list.reduce((a, s) => a + s.coachingMinutes, 0);
  const supportMinutes = list.reduce((a, s) => a + s.supportMinutes, 0);

  // Teachers: reached, most served, and coverage per school.
  const perTeacher = new Map<string, { minutes: number; entries: number }>();
  const coached = new Set<string>(); // people named on a coaching-kind entry in view
  for (const r of teacherRows) {
    if (Number(r.entries) <= 0) continue;
    const t = perTeacher.get(r.person_id) ?? { minutes: 0, entries: 0 };
    t.minutes += Number(r.minutes);
    t.entries += Number(r.entries);
    perTeacher.set(r.person_id, t);
    if (Number(r.coaching_entries) > 0) coached.add(r.person_id);
  }
  // Only the school view can reach a leader (scope=me and district need a coach or admin).
  const teacherNamesHidden =
    q.scope === "school" && q.schoolId !== undefined && !canSeeCoachedTeacherNames(actor, q.schoolId, settings.leadersSeeTeacherNames);
  const top = teacherNamesHidden ? [] : [...perTeacher.entries()].sort((a, b) => b[1].minutes - a[1].minutes || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
  const topNames = await namesByIds(db, top.map(([id]) => id));
  const teacherNames = new Map(top.map(([id]) => [id, displayName(topNames, id)]));
  // One definition for every figure (and the page's help, "How teachers are counted"): the teachers are the active
  // people with a teacher role at an active school in view, each counted once however many schools they
  // teach at; one is reached when any coaching-kind entry in view names them. A school's row counts its own
  // teachers, so a teacher at two schools is in both rows but once in the totals.
  const coverage = new Map<string, { schoolId: string; schoolName: string; teachers: number; reached: number }>();
  const activeSchoolNames = new Map(names.filter((n) => n.status === "active").map((n) => [n.id, n.name]));
  const teachers = new Set<string>();
  const reached = new Set<string>();
  for (const t of teachersAtSchools) {
    const atSchool = activeSchoolNames.get(t.school_id);
    if (atSchool === undefined) continue;
    const c = coverage.get(t.school_id) ?? { schoolId: t.school_id, schoolName: atSchool, teachers: 0, reached: 0 };
    c.teachers++;
    teachers.add(t.person_id);
    if (coached.has(t.person_id)) {
      c.reached++;
      reached.add(t.person_id);
    }
    coverage.set(t.school_id, c);
  }
  const schoolName = new Map(names.map((n) => [n.id, n.name]));
  return {
    from,
    to,
    bucket: q.bucket,
    teacherMetricsFrom: teacherFrom,
    teacherMetricsTo: teacherTo,
    terms: touched.map((t) => ({ key: t.key, name: t.name, startDate: t.startDate, endDate: t.nominalEndDate })),
    coachingShareTarget: settings.coachingShareTarget === null ? null : settings.coachingShareTarget / 100,
    categories: categoriesResult.items.map((c) => ({ id: c.id, name: c.name, kind: c.kind })),
    series: list,
    totals: {
      entries,
      minutes: coachingMinutes + supportMinutes,
      coachingMinutes,
      supportMinutes,
      coachingShare: coachingMinutes + supportMinutes > 0 ? coachingMinutes / (coachingMinutes + supportMinutes) : null,
      teachersReached: reached.size,
      teachers: teachers.size,
    },
    coverage: [...coverage.values()]
      .sort((a, b) => a.schoolName.localeCompare(b.schoolName))
      .map((c) => ({ ...c, share: c.teachers > 0 ? c.reached / c.teachers : null })),
    topTeachers: top.map(([id, t]) => ({ id, name: teacherNames.get(id) ?? "Unknown", minutes: t.minutes, entries: t.entries })),
    teacherNamesHidden,
    topSchools: [...schoolTotals.entries()]
      .filter(([, t]) => t.entries > 0)
      .sort((a, b) => b[1].minutes - a[1].minutes || (a[0] < b[0] ? -1 : 1))
      .slice(0, 10)
      .map(([id, t]) => ({ id, name: schoolName.get(id) ?? "Unknown", minutes: t.minutes, entries: t.entries })),
  };
}
