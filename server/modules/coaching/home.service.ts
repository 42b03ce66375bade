import type { CycleStage, TCycle, TDashboard } from "../../../shared/schemas/coaching.js";
import type { TCoachingHome, THomeAttention, THomeCycle, THomeNumbers, TPersonCoaching } from "../../../shared/schemas/home.js";
import { forbidden, notFound } from "../../errors.js";
import { staffByIds } from "../people/api.js";
import { loadNames, personRef } from "./names.js";
import { canLogCoaching, canSeeDistrictDashboard, isCoachee, personCoachingView } from "../../../shared/policy/coaching.js";
import type { Actor } from "../../auth/actor.js";
import type { Ctx } from "../../context.js";
import { loadDistrictSettings } from "../settings/api.js";
import { addDays, weekOf } from "./calendar.js";
import { cyclesWithTeacher, listCyclesForActor } from "./cycles.service.js";
import { dashboard, districtToday } from "./dashboard.service.js";
import * as repo from "./coaching.repository.js";
import { coachingTerms } from "./terms.service.js";

// The home page's numbers: each role's week at a glance, from the same dashboards and cycles the
// caller may open, so a number on the home page is never one the caller could not see elsewhere.

/** A cycle with no step for this many days is "stalled" on the home page. */
const STALLED_DAYS = 21;

/** The path of a cycle, co-teaching and modeling as one step: the first with no step yet comes next. */
const STAGE_TRACK: CycleStage[][] = [["goal"], ["co_plan"], ["co_teach", "model"], ["observe"], ["reflect"], ["next_step"]];

function nextStage(stages: readonly CycleStage[]): CycleStage | null {
  const done = new Set(stages);
  for (const group of STAGE_TRACK) if (!group.some((s) => done.has(s))) return group[0] ?? null;
  return null;
}

function homeCycle(c: TCycle, staleBefore: string): THomeCycle {
  const last = c.steps[c.steps.length - 1];
  const lastDate = last?.date ?? c.createdAt.slice(0, 10);
  return {
    id: c.id,
    title: c.title,
    schoolName: c.school.name,
    coachName: c.coach.name,
    teacherNames: c.teachers.map((t) => t.name),
    status: c.status,
    lastStage: last?.stage ?? null,
    lastStepDate: last?.date ?? null,
    nextStage: c.status === "complete" ? null : nextStage(c.steps.map((s) => s.stage)),
    isStalled: c.status === "active" && lastDate < staleBefore,
  };
}

function numbers(term: TDashboard, week: TDashboard): THomeNumbers {
  return {
    minutesWeek: week.totals.minutes,
    entriesWeek: week.totals.entries,
    coachingShareWeek: week.totals.coachingShare,
    minutesTerm: term.totals.minutes,
    coachingShareTerm: term.totals.coachingShare,
    // The dashboard's totals count a teacher at two schools once (its coverage rows count them at each).
    teachers: term.totals.teachers,
    teachersReached: term.totals.teachersReached,
    schoolsNotReached: term.coverage.filter((c) => c.teachers > 0 && c.reached === 0).map((c) => ({ id: c.schoolId, name: c.schoolName, teachers: c.teachers })),
  };
}

const pct = (share: number) => `${Math.round(share * 100)}%`;

function attentionFor(n: THomeNumbers, target: number | null, links: { dashboard: string; reach: string }): THomeAttention[] {
  const items: THomeAttention[] = [];
  if (target !== null && n.coachingShareTerm !== null && n.coachingShareTerm < target) {
    const points = Math.round((target - n.coachingShareTerm) * 100);
    items.push({ kind: "below_target", text: `Coaching is ${pct(n.coachingShareTerm)} of the time this term, ${points} ${points === 1 ? "point" : "points"} below the ${pct(target)} target.`, to: links.dashboard });
  }
  if (n.schoolsNotReached.length > 0) {
    const names = n.schoolsNotReached.slice(0, 3).map((s) => s.name).join(", ");
    const more = n.schoolsNotReached.length > 3 ? ` and ${n.schoolsNotReached.length - 3} more` : "";
    const count = n.schoolsNotReached.length === 1 ? "1 school has" : `${n.schoolsNotReached.length} schools have`;
    items.push({ kind: "schools_not_reached", text: `${count} no teacher reached this term: ${names}${more}.`, to: links.reach });
  }
  return items;
}

/** The home page's numbers for each of the caller's roles: the district, the schools they lead, their own coaching, their cycles. */
export async function coachingHome(ctx: Ctx, actor: Actor): Promise<TCoachingHome> {
  const [terms, today, settings] = await Promise.all([coachingTerms(ctx, actor.districtId), districtToday(ctx, actor.districtId), loadDistrictSettings(ctx.db, actor.districtId)]);
  const term = terms.termOf(today);
  const weekStart = weekOf(today);
  const target = settings.coachingShareTarget === null ? null : settings.coachingShareTarget / 100;
  const staleBefore = addDays(today, -STALLED_DAYS);
  const termRange = { bucket: "week" as const, from: term.startDate, to: today };
  const weekRange = { bucket: "week" as const, from: weekStart, to: today };

  const home: TCoachingHome = {
    today,
    weekStart,
    term: { key: term.key, name: term.name, startDate: term.startDate, endDate: term.nominalEndDate },
    coachingShareTarget: target,
    district: null,
    schools: [],
    coach: null,
    teacher: null,
  };

  if (canSeeDistrictDashboard(actor)) {
    const [t, w, cycles] = await Promise.all([
      dashboard(ctx, actor, { scope: "district", ...termRange }),
      dashboard(ctx, actor, { scope: "district", ...weekRange }),
      repo.activeCycleActivity(ctx.db, actor.districtId),
    ]);
    const n = numbers(t, w);
    const stalled = cycles.filter((c) => (c.last_step ?? String(c.created_at).slice(0, 10)) < staleBefore).length;
    const attention = attentionFor(n, target, { dashboard: "/coaching/dashboard?scope=district", reach: "/coaching/coaches" });
    if (stalled > 0) {
      attention.push({ kind: "stalled_cycles", text: `${stalled === 1 ? "1 open cycle has" : `${stalled} open cycles have`} had no step for three weeks.`, to: "/coaching/cycles" });
    }
    if (n.entriesWeek === 0) attention.push({ kind: "nothing_logged", text: "Nothing has been logged this week yet.", to: "/coaching/dashboard?scope=district" });
    home.district = { numbers: n, openCycles: cycles.length, stalledCycles: stalled, attention };
  }

  const led = [...new Set(actor.roles.filter((r) => r.role === "school_leader" && r.schoolId !== null).map((r) => r.schoolId as string))].slice(0, 6);
  home.schools = await Promise.all(
    led.map(async (schoolId) => {
      const [t, w] = await Promise.all([
        dashboard(ctx, actor, { scope: "school", schoolId, ...termRange }),
        dashboard(ctx, actor, { scope: "school", schoolId, ...weekRange }),
      ]);
      const n = numbers(t, w);
      const name = t.coverage.find((c) => c.schoolId === schoolId)?.schoolName ?? t.topSchools.find((s) => s.id === schoolId)?.name ?? "Your school";
      return { id: schoolId, name, numbers: n, attention: attentionFor({ ...n, schoolsNotReached: [] }, target, { dashboard: `/coaching/dashboard?scope=school&schoolId=${schoolId}`, reach: "" }) };
    }),
  );

  if (canLogCoaching(actor) && actor.roles.some((r) => r.role === "coach")) {
    const [t, w, days, cycles] = await Promise.all([
      dashboard(ctx, actor, { scope: "me", ...termRange }),
      dashboard(ctx, actor, { scope: "me", ...weekRange }),
      repo.entriesByDay(ctx.db, { districtId: actor.districtId, coachId: actor.personId, from: weekStart, to: today }),
      listCyclesForActor(ctx, actor, { status: "active", coachId: actor.personId, limit: 50 }),
    ]);
    const n = numbers(t, w);
    const mine = cycles.items.map((c) => homeCycle(c, staleBefore));
    const attention = attentionFor(n, target, { dashboard: "/coaching/dashboard?scope=me", reach: "/coaching/dashboard?scope=me" });
    const stalled = mine.filter((c) => c.isStalled).length;
    if (stalled > 0) attention.push({ kind: "stalled_cycles", text: `${stalled === 1 ? "1 of your cycles has" : `${stalled} of your cycles have`} had no step for three weeks.`, to: "/coaching/cycles" });
    home.coach = { numbers: n, daysLoggedWeek: new Set(days.map((d) => d.date)).size, cycles: mine, attention };
  }

  if (isCoachee(actor)) {
    const cycles = await listCyclesForActor(ctx, actor, { status: "all", teacherId: actor.personId, limit: 20 });
    home.teacher = { cycles: cycles.items.map((c) => homeCycle(c, staleBefore)) };
  }
  return home;
}

/** A person's coaching for their page: every coach's for admins and the person, a coach's own with them, nothing for others. */
export async function personCoaching(ctx: Ctx, actor: Actor, personId: string): Promise<TPersonCoaching> {
  const view = personCoachingView(actor, personId);
  if (!view) throw forbidden("A person's coaching is theirs, their coaches' and district admins' to see");
  // Coaching names staff: a student, someone of another district or no one is not found here.
  if ((await staffByIds(ctx.db, actor.districtId, [personId])).length === 0) throw notFound("Staff member");
  const coachId = view === "own" ? actor.personId : undefined;
  const [today, totals, recent, cycles] = await Promise.all([
    districtToday(ctx, actor.districtId),
    repo.totalsNamingPerson(ctx.db, { districtId: actor.districtId, personId, coachId }),
    repo.entriesNamingPerson(ctx.db, { districtId: actor.districtId, personId, coachId, limit: 10 }),
    cyclesWithTeacher(ctx, actor, personId, view),
  ]);
  const names = await loadNames(ctx.db, recent.map((e) => e.coach_id), recent.map((e) => e.school_id));
  const staleBefore = addDays(today, -STALLED_DAYS);
  return {
    view,
    totals: { entries: Number(totals.entries), minutes: Number(totals.minutes), coachingMinutes: Number(totals.coaching_minutes) },
    recent: recent.map((e) => ({
      id: e.id,
      date: e.date,
      minutes: e.minutes,
      categoryName: e.category_name,
      kind: e.category_kind,
      coachName: personRef(names, e.coach_id).name,
      schoolName: e.school_id ? (names.schools.get(e.school_id) ?? "Unknown school") : null,
    })),
    cycles: cycles.map((c) => homeCycle(c, staleBefore)),
  };
}
