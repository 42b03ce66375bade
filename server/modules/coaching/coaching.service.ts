import type { Kysely } from "kysely";
import { CoachingLimits } from "../../../shared/limits.js";
import type {
  TCategory,
  TCreateEntryRequest,
  TCycle,
  TDashboard,
  TDashboardQuery,
  TEntry,
  TImportReport,
  TImportRequest,
  TListEntriesQuery,
  TUpdateEntryRequest,
} from "../../../shared/schemas/coaching.js";
import type { TList } from "../../../shared/schemas/common.js";
import type { Actor } from "../../auth/actor.js";
import {
  assertCanCoachAt,
  assertCanLogCoaching,
  canReadCycle,
  canSeeDistrictDashboard,
  canSeeSchoolDashboard,
  coachingSchools,
  cycleRole,
  isDistrictAdmin,
} from "../../auth/policy.js";
import type { Ctx } from "../../context.js";
import type { DB } from "../../db/schema.js";
import { AppError, fieldError, forbidden, notFound } from "../../errors.js";
import { decodeCursor, encodeCursor, fold, sha256 } from "../../lib.js";
import { isSchoolOfDistrict } from "../schools/schools.service.js";
import { addDays, isRealDate, monthOf, partBounds, schoolYearStart, termEnd, termOf, termsBetween, termStart, today, weekOf } from "./calendar.js";
import { presentCategory, presentCycle, presentEntry } from "./coaching.presenters.js";
import * as repo from "./coaching.repository.js";
import { detectDateFormat, parseDateCell, parseMinutesCell, readCsv, splitList, type DateFormat } from "./csv-import.js";

// ---------- Categories ----------

/** The district's activity categories (seeded with the ten defaults on first use). */
export async function listCategoriesForActor(ctx: Ctx, actor: Actor): Promise<{ items: TCategory[] }> {
  let rows = await repo.listCategories(ctx.db, actor.districtId);
  if (rows.length === 0) {
    await repo.ensureDefaultCategories(ctx.db, actor.districtId);
    rows = await repo.listCategories(ctx.db, actor.districtId);
  }
  return { items: rows.map(presentCategory) };
}

/** Adds a category (district admins); its key is derived from the name. */
export async function createCategory(ctx: Ctx, actor: Actor, body: { name: string; kind: "coaching" | "support" }): Promise<TCategory> {
  if (!isDistrictAdmin(actor)) throw forbidden("Only a district admin can change categories");
  const existing = (await listCategoriesForActor(ctx, actor)).items;
  if (existing.some((c) => fold(c.name) === fold(body.name))) throw fieldError("body.name", "a category with this name exists");
  const base = fold(body.name).replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "") || "category";
  let key = base;
  for (let i = 2; existing.some((c) => c.key === key); i++) key = `${base}_${i}`;
  const sortOrder = Math.max(0, ...existing.map((c) => c.sortOrder)) + 10;
  const id = await repo.insertCategory(ctx.db, { districtId: actor.districtId, key, name: body.name, kind: body.kind, sortOrder });
  const row = (await repo.listCategories(ctx.db, actor.districtId)).find((c) => c.id === id);
  if (!row) throw notFound("Category");
  return presentCategory(row);
}

/** Renames, re-kinds, reorders or retires a category; history keeps pointing at it. */
export async function updateCategory(
  ctx: Ctx,
  actor: Actor,
  id: string,
  body: { name?: string; kind?: "coaching" | "support"; status?: "active" | "retired"; sortOrder?: number },
): Promise<TCategory> {
  if (!isDistrictAdmin(actor)) throw forbidden("Only a district admin can change categories");
  const all = await repo.listCategories(ctx.db, actor.districtId);
  if (!all.some((c) => c.id === id)) throw notFound("Category");
  const { name } = body;
  if (name && all.some((c) => c.id !== id && fold(c.name) === fold(name))) throw fieldError("body.name", "a category with this name exists");
  const kindChanges = body.kind !== undefined && all.some((c) => c.id === id && c.kind !== body.kind);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.updateCategoryRow(trx, id, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.kind !== undefined ? { kind: body.kind } : {}),
      ...(body.status !== undefined ? { status: body.status } : {}),
      ...(body.sortOrder !== undefined ? { sort_order: body.sortOrder } : {}),
    });
    // The teacher rollup counts coaching-kind interactions; a kind change rewrites that history.
    if (kindChanges) await repo.rebuildRollups(trx, actor.districtId);
  });
  const row = (await repo.listCategories(ctx.db, actor.districtId)).find((c) => c.id === id);
  if (!row) throw notFound("Category");
  return presentCategory(row);
}

// ---------- Entries ----------

type EntryInput = {
  date: string;
  minutes: number;
  categoryId: string;
  schoolId: string | null;
  teacherIds: string[];
  notes: string;
  cycleId: string | null;
  link: { type: string; id: string } | null;
};

function checkDate(date: string, field: string): void {
  if (!isRealDate(date)) throw fieldError(field, "is not a real date");
  if (date < CoachingLimits.earliestDate) throw fieldError(field, `is before ${CoachingLimits.earliestDate}`);
  const latest = addDays(today(), CoachingLimits.maxDaysAhead);
  if (date > latest) throw fieldError(field, `is in the future; log activities on or before ${latest}`);
}

/**
 * Validates an entry against the directory, the coach's schools and the 16-hour day; throws naming the field.
 * Returns the category's kind, which the dashboard rollups need.
 */
async function validateEntry(ctx: Ctx, actor: Actor, input: EntryInput, exceptEntryId?: string): Promise<"coaching" | "support"> {
  checkDate(input.date, "body.date");
  const categories = await repo.listCategories(ctx.db, actor.districtId);
  const category = categories.find((c) => c.id === input.categoryId);
  if (!category) throw fieldError("body.categoryId", "is not a category of this district");
  if (category.status === "retired" && !exceptEntryId) throw fieldError("body.categoryId", `"${category.name}" is retired`);
  if (input.schoolId !== null) {
    if (!(await isSchoolOfDistrict(ctx.db, actor.districtId, input.schoolId))) {
      throw fieldError("body.schoolId", "is not a school of this district");
    }
    assertCanCoachAt(actor, input.schoolId);
  }
  if (input.teacherIds.length) {
    const unique = [...new Set(input.teacherIds)];
    if (unique.length !== input.teacherIds.length) throw fieldError("body.teacherIds", "lists a teacher twice");
    const staff = await repo.staffByIds(ctx.db, actor.districtId, unique);
    const schools = coachingSchools(actor);
    input.teacherIds.forEach((id, i) => {
      const grants = staff.filter((s) => s.id === id);
      if (grants.length === 0) throw fieldError(`body.teacherIds.${i}`, "is not an active staff member of this district");
      const inScope = schools === "all" || grants.some((g) => g.school_id === null || schools.includes(g.school_id));
      if (!inScope) throw fieldError(`body.teacherIds.${i}`, "does not work at a school you coach");
    });
  }
  if (input.cycleId !== null) {
    const cycle = await loadCycle(ctx, actor, input.cycleId, "body.cycleId");
    if (cycleRole(actor, cycle) !== "manager") throw fieldError("body.cycleId", "is not one of your coaching cycles");
  }
  const already = await repo.minutesOnDay(ctx.db, actor.personId, input.date, exceptEntryId);
  if (already + input.minutes > CoachingLimits.maxMinutesPerDay) {
    const left = Math.max(0, CoachingLimits.maxMinutesPerDay - already);
    throw fieldError(
      "body.minutes",
      `would bring your total for ${input.date} over 16 hours (${already} minutes logged already; at most ${left} more)`,
    );
  }
  return category.kind;
}

function toWrite(actor: Actor, input: EntryInput, clientRef: string | null, kind: "coaching" | "support"): repo.EntryWrite {
  return {
    kind,
    districtId: actor.districtId,
    coachId: actor.personId,
    schoolId: input.schoolId,
    categoryId: input.categoryId,
    date: input.date,
    week: weekOf(input.date),
    month: monthOf(input.date),
    term: termOf(input.date),
    minutes: input.minutes,
    notes: input.notes,
    cycleId: input.cycleId,
    linkType: input.link?.type ?? null,
    linkId: input.link?.id ?? null,
    clientRef,
    teacherIds: input.teacherIds,
  };
}

async function presentEntryById(ctx: Ctx, actor: Actor, id: string): Promise<TEntry> {
  const row = await repo.findEntry(ctx.db, actor.districtId, id);
  if (!row) throw notFound("Entry");
  return presentEntry(row, await repo.teachersOfEntries(ctx.db, [id]));
}

/** Logs an activity for the signed-in coach. A repeated `clientRef` returns the first entry instead of a duplicate. */
export async function createEntry(ctx: Ctx, actor: Actor, body: TCreateEntryRequest): Promise<{ entry: TEntry; created: boolean }> {
  assertCanLogCoaching(actor);
  if (body.clientRef) {
    const existing = await repo.findEntryByClientRef(ctx.db, actor.personId, body.clientRef);
    if (existing) return { entry: await presentEntryById(ctx, actor, existing), created: false };
  }
  const input: EntryInput = {
    date: body.date,
    minutes: body.minutes,
    categoryId: body.categoryId,
    schoolId: body.schoolId ?? null,
    teacherIds: body.teacherIds,
    notes: body.notes,
    cycleId: body.cycleId ?? null,
    link: body.link ?? null,
  };
  const kind = await validateEntry(ctx, actor, input);
  const id = await ctx.db.transaction().execute((trx) => repo.insertEntry(trx, toWrite(actor, input, body.clientRef ?? null, kind)));
  return { entry: await presentEntryById(ctx, actor, id), created: true };
}

/** The actor's own entry, and what it is now as a write (to take it back out of the rollups). */
async function loadOwnEntry(ctx: Ctx, actor: Actor, id: string) {
  const row = await repo.findEntry(ctx.db, actor.districtId, id);
  if (!row) throw notFound("Entry");
  if (row.coach_id !== actor.personId) throw forbidden("You can change only your own log entries");
  const teacherIds = (await repo.teachersOfEntries(ctx.db, [id])).map((t) => t.id);
  const input: EntryInput = {
    date: row.date,
    minutes: row.minutes,
    categoryId: row.category_id,
    schoolId: row.school_id,
    teacherIds,
    notes: row.notes,
    cycleId: row.cycle_id,
    link: row.link_type && row.link_id ? { type: row.link_type, id: row.link_id } : null,
  };
  return { row, input, before: toWrite(actor, input, row.client_ref, row.category_kind) };
}

/** Edits one of the coach's own entries. */
export async function updateEntry(ctx: Ctx, actor: Actor, id: string, body: TUpdateEntryRequest): Promise<TEntry> {
  assertCanLogCoaching(actor);
  const { row, input: current, before } = await loadOwnEntry(ctx, actor, id);
  const input: EntryInput = {
    date: body.date ?? current.date,
    minutes: body.minutes ?? current.minutes,
    categoryId: body.categoryId ?? current.categoryId,
    schoolId: body.schoolId !== undefined ? body.schoolId : current.schoolId,
    teacherIds: body.teacherIds ?? current.teacherIds,
    notes: body.notes ?? current.notes,
    cycleId: body.cycleId !== undefined ? body.cycleId : current.cycleId,
    link: body.link !== undefined ? body.link : current.link,
  };
  const kind = await validateEntry(ctx, actor, input, id);
  await ctx.db.transaction().execute((trx) => repo.updateEntryRow(trx, id, before, toWrite(actor, input, row.client_ref, kind)));
  return presentEntryById(ctx, actor, id);
}

export async function deleteEntry(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  assertCanLogCoaching(actor);
  const { before } = await loadOwnEntry(ctx, actor, id);
  await ctx.db.transaction().execute((trx) => repo.deleteEntryRow(trx, id, before));
}

function resolveCoach(actor: Actor, coachId: string | undefined): string {
  if (!coachId || coachId === actor.personId) return actor.personId;
  if (!isDistrictAdmin(actor)) throw forbidden("You can see only your own log");
  return coachId;
}

/** A coach's log entries, newest first (their own; admins may name any coach). */
export async function listEntriesForActor(ctx: Ctx, actor: Actor, q: TListEntriesQuery): Promise<TList<TEntry>> {
  const coachId = resolveCoach(actor, q.coachId);
  if (coachId === actor.personId) assertCanLogCoaching(actor);
  const filter: repo.EntryFilter = {
    districtId: actor.districtId,
    coachId,
    schoolId: q.schoolId,
    categoryId: q.categoryId,
    cycleId: q.cycleId,
    from: q.from,
    to: q.to,
  };
  let before: { date: string; id: string } | null = null;
  if (q.cursor) {
    const c = decodeCursor(q.cursor, 2);
    if (!c || typeof c[0] !== "string" || typeof c[1] !== "string") throw fieldError("query.cursor", "is not a cursor from this list");
    before = { date: c[0], id: c[1] };
  }
  const [total, rows] = await Promise.all([repo.countEntries(ctx.db, filter), repo.listEntries(ctx.db, filter, before, q.limit + 1)]);
  const page = rows.slice(0, q.limit);
  const teachers = await repo.teachersOfEntries(ctx.db, page.map((r) => r.id));
  const last = page[page.length - 1];
  return {
    items: page.map((r) => presentEntry(r, teachers)),
    total,
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.date, last.id]) : null,
  };
}

/** All of a coach's entries in a date range, for the CSV export (bounded by the range). */
export async function* iterateEntries(ctx: Ctx, actor: Actor, q: Omit<TListEntriesQuery, "limit" | "cursor">): AsyncGenerator<TEntry> {
  let cursor: string | undefined;
  for (;;) {
    const page = await listEntriesForActor(ctx, actor, { ...q, limit: 200, cursor });
    yield* page.items;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

/** The coach's recent distinct activities, so repeating one takes a tap. */
export async function recentForActor(ctx: Ctx, actor: Actor) {
  assertCanLogCoaching(actor);
  const rows = await repo.recentEntries(ctx.db, actor.personId, 40);
  const teachers = await repo.teachersOfEntries(ctx.db, rows.map((r) => r.id));
  const seen = new Set<string>();
  const items = [];
  for (const r of rows) {
    const entry = presentEntry(r, teachers);
    const key = [r.category_id, r.minutes, r.school_id ?? "", entry.teachers.map((t) => t.id).sort().join(",")].join("|");
    if (seen.has(key)) continue;
    seen.add(key);
    items.push({ categoryId: r.category_id, categoryName: r.category_name, minutes: r.minutes, school: entry.school, teachers: entry.teachers, lastDate: r.date });
    if (items.length === 6) break;
  }
  return { items };
}

// ---------- Dashboard ----------

const MAX_RANGE_DAYS = 366 * 5;

/** Resolves who may see which slice of the log: a coach's own, a school's, or the district's. */
type DashFilter = { districtId: string; from: string; to: string; coachId?: string; schoolId?: string };

function dashboardFilter(actor: Actor, q: TDashboardQuery, from: string, to: string): { filter: DashFilter; coverageSchools: string[] | "all" } {
  const base = { districtId: actor.districtId, from, to };
  switch (q.scope) {
    case "me": {
      assertCanLogCoaching(actor);
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
 */
function planRange(from: string, to: string): { exclude: Part[]; edges: { from: string; to: string }[] } {
  const exclude: Part[] = [];
  const edges: { from: string; to: string }[] = [];
  const seen = new Set<string>();
  for (const week of new Set([weekOf(from), weekOf(to)])) {
    for (const month of new Set([monthOf(week), monthOf(addDays(week, 6))])) {
      const key = `${week}|${month}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const b = partBounds(week, month);
      if (b.last < from || b.first > to) exclude.push({ week, month });
      else if (b.first < from || b.last > to) {
        exclude.push({ week, month });
        edges.push({ from: b.first < from ? from : b.first, to: b.last > to ? to : b.last });
      }
    }
  }
  return { exclude, edges };
}

const bucketKey = (bucket: TDashboardQuery["bucket"], row: Part): string => {
  switch (bucket) {
    case "week":
      return row.week;
    case "month":
      return row.month;
    case "term":
      return termOf(`${row.month}-01`);
    default: {
      const exhaustive: never = bucket;
      return exhaustive;
    }
  }
};

/**
 * Where the time goes: minutes by category per bucket, coaching vs support, top schools (exact for the range),
 * and teachers reached, coverage and most-served teachers (for the whole terms the range touches).
 */
export async function dashboard(ctx: Ctx, actor: Actor, q: TDashboardQuery): Promise<TDashboard> {
  const to = q.to ?? today();
  const from = q.from ?? schoolYearStart(to);
  if (from > to) throw fieldError("query.from", "is after query.to");
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_RANGE_DAYS) throw fieldError("query.from", "the range may span at most five years");
  const { filter, coverageSchools } = dashboardFilter(actor, q, from, to);
  const teacherFrom = termStart(from);
  const teacherTo = termEnd(to);
  const db = ctx.db;

  type Row = Part & { category_id: string; school_id: string | null; minutes: number; entries: number };
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
      partRows.push({ week: r.week, month: r.month, category_id: r.category_id, school_id: r.school_id, minutes: Number(r.minutes), entries: Number(r.entries) });
      addSchool(r.school_id, Number(r.minutes), Number(r.entries));
    }
  };

  let teacherRows: { person_id: string; school_id: string; minutes: number; entries: number; coaching_entries: number }[];
  const [categoriesResult, teachersAtSchools, names] = await Promise.all([
    listCategoriesForActor(ctx, actor),
    repo.teachersBySchool(db, actor.districtId, coverageSchools),
    repo.schoolNames(db, actor.districtId),
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
    const plan = planRange(from, to);
    const range = { districtId: actor.districtId, schoolId: filter.schoolId, weekFrom: weekOf(from), weekTo: weekOf(to), exclude: plan.exclude };
    const [series, schools, teachers, ...edges] = await Promise.all([
      repo.rollupSeries(db, range),
      repo.rollupSchools(db, range),
      repo.rollupTeachers(db, { districtId: actor.districtId, schoolId: filter.schoolId, terms: termsBetween(from, to) }),
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
    const key = bucketKey(q.bucket, row);
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
  const coachedAt = new Set<string>(); // `${school}|${person}` with a coaching-kind interaction
  for (const r of teacherRows) {
    if (Number(r.entries) <= 0) continue;
    const t = perTeacher.get(r.person_id) ?? { minutes: 0, entries: 0 };
    t.minutes += Number(r.minutes);
    t.entries += Number(r.entries);
    perTeacher.set(r.person_id, t);
    if (Number(r.coaching_entries) > 0) coachedAt.add(`${r.school_id}|${r.person_id}`);
  }
  const top = [...perTeacher.entries()].sort((a, b) => b[1].minutes - a[1].minutes || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
  const teacherNames = new Map((await repo.namesOf(db, top.map(([id]) => id))).map((p) => [p.id, `${p.given_name} ${p.family_name}`]));
  const coverage = new Map<string, { schoolId: string; schoolName: string; teachers: number; reached: number }>();
  for (const t of teachersAtSchools) {
    if (!t.school_id) continue;
    const c = coverage.get(t.school_id) ?? { schoolId: t.school_id, schoolName: t.school_name, teachers: 0, reached: 0 };
    c.teachers++;
    if (coachedAt.has(`${t.school_id}|${t.person_id}`)) c.reached++;
    coverage.set(t.school_id, c);
  }
  const schoolName = new Map(names.map((n) => [n.id, n.name]));
  return {
    from,
    to,
    bucket: q.bucket,
    teacherMetricsFrom: teacherFrom,
    teacherMetricsTo: teacherTo,
    categories: categoriesResult.items.map((c) => ({ id: c.id, name: c.name, kind: c.kind })),
    series: list,
    totals: {
      entries,
      minutes: coachingMinutes + supportMinutes,
      coachingMinutes,
      supportMinutes,
      coachingShare: coachingMinutes + supportMinutes > 0 ? coachingMinutes / (coachingMinutes + supportMinutes) : null,
      teachersReached: perTeacher.size,
    },
    coverage: [...coverage.values()]
      .sort((a, b) => a.schoolName.localeCompare(b.schoolName))
      .map((c) => ({ ...c, share: c.teachers > 0 ? c.reached / c.teachers : null })),
    topTeachers: top.map(([id, t]) => ({ id, name: teacherNames.get(id) ?? "Unknown", minutes: t.minutes, entries: t.entries })),
    topSchools: [...schoolTotals.entries()]
      .filter(([, t]) => t.entries > 0)
      .sort((a, b) => b[1].minutes - a[1].minutes || (a[0] < b[0] ? -1 : 1))
      .slice(0, 10)
      .map(([id, t]) => ({ id, name: schoolName.get(id) ?? "Unknown", minutes: t.minutes, entries: t.entries })),
  };
}

// ---------- Cycles ----------

async function loadCycle(ctx: Ctx, actor: Actor, id: string, field?: string) {
  const row = await repo.findCycle(ctx.db, actor.districtId, id);
  if (!row) throw field ? fieldError(field, "is not a coaching cycle of this district") : notFound("Coaching cycle");
  const teacherIds = (await repo.cycleTeachers(ctx.db, [id])).map((t) => t.id);
  const cycle = { ...row, districtId: row.district_id, coachId: row.coach_id, teacherIds };
  if (!canReadCycle(actor, cycle)) throw field ? fieldError(field, "is not one of your coaching cycles") : forbidden("This coaching cycle is not yours");
  return cycle;
}

async function presentCycles(db: Kysely<DB>, rows: repo.CycleRow[]): Promise<TCycle[]> {
  const ids = rows.map((r) => r.id);
  const [teachers, steps, minutes] = await Promise.all([repo.cycleTeachers(db, ids), repo.cycleSteps(db, ids), repo.cycleMinutes(db, ids)]);
  return rows.map((r) => presentCycle(r, teachers, steps, minutes.get(r.id) ?? 0));
}

export async function getCycle(ctx: Ctx, actor: Actor, id: string): Promise<TCycle> {
  const cycle = await loadCycle(ctx, actor, id);
  const [presented] = await presentCycles(ctx.db, [cycle]);
  if (!presented) throw notFound("Coaching cycle");
  return presented;
}

/** Cycles the actor may see: a coach's caseload, a teacher's own cycles, or (admins) any coach's. */
export async function listCyclesForActor(
  ctx: Ctx,
  actor: Actor,
  q: { status: "active" | "paused" | "complete" | "all"; coachId?: string; teacherId?: string; limit: number; cursor?: string },
): Promise<TList<TCycle>> {
  const filter: repo.CycleFilter = { districtId: actor.districtId, status: q.status };
  if (isDistrictAdmin(actor)) {
    filter.coachId = q.coachId;
    filter.teacherId = q.teacherId;
  } else if (q.teacherId === actor.personId || (!q.coachId && coachingSchools(actor).length === 0)) {
    filter.teacherId = actor.personId; // a teacher sees the cycles they are in
  } else {
    if (q.coachId && q.coachId !== actor.personId) throw forbidden("You can see only your own caseload");
    if (q.teacherId) throw forbidden("You can filter only your own cycles");
    filter.coachId = actor.personId;
  }
  let before: { updatedAt: string; id: string } | null = null;
  if (q.cursor) {
    const c = decodeCursor(q.cursor, 2);
    if (!c || typeof c[0] !== "string" || typeof c[1] !== "string") throw fieldError("query.cursor", "is not a cursor from this list");
    before = { updatedAt: c[0], id: c[1] };
  }
  const rows = await repo.listCycles(ctx.db, filter, before, q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: await presentCycles(ctx.db, page),
    total: page.length + (rows.length > q.limit ? 1 : 0),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.updated_at, last.id]) : null,
  };
}

/** Opens a cycle with one teacher or a team, from a learning outcome or a classroom problem. */
export async function createCycle(
  ctx: Ctx,
  actor: Actor,
  body: { title: string; startingPoint: "outcome" | "problem"; startingText: string; schoolId: string; teacherIds: string[] },
): Promise<TCycle> {
  assertCanLogCoaching(actor);
  if (!(await isSchoolOfDistrict(ctx.db, actor.districtId, body.schoolId))) throw fieldError("body.schoolId", "is not a school of this district");
  assertCanCoachAt(actor, body.schoolId);
  const unique = [...new Set(body.teacherIds)];
  const staff = await repo.staffByIds(ctx.db, actor.districtId, unique);
  body.teacherIds.forEach((id, i) => {
    if (!staff.some((s) => s.id === id && s.school_id === body.schoolId)) {
      throw fieldError(`body.teacherIds.${i}`, "is not an active staff member at this school");
    }
  });
  const id = await ctx.db.transaction().execute((trx) =>
    repo.insertCycle(trx, { districtId: actor.districtId, coachId: actor.personId, schoolId: body.schoolId, title: body.title, startingPoint: body.startingPoint, startingText: body.startingText, teacherIds: unique }),
  );
  return getCycle(ctx, actor, id);
}

/** Renames, pauses, resumes or completes a cycle (its coach or an admin). */
export async function updateCycle(
  ctx: Ctx,
  actor: Actor,
  id: string,
  body: { title?: string; startingText?: string; status?: "active" | "paused" | "complete" },
): Promise<TCycle> {
  const cycle = await loadCycle(ctx, actor, id);
  if (cycleRole(actor, cycle) !== "manager") throw forbidden("Only the cycle's coach can change it");
  await repo.updateCycleRow(ctx.db, id, {
    ...(body.title !== undefined ? { title: body.title } : {}),
    ...(body.startingText !== undefined ? { starting_text: body.startingText } : {}),
    ...(body.status !== undefined
      ? { status: body.status, completed_at: body.status === "complete" ? (cycle.completed_at ?? new Date().toISOString()) : null }
      : {}),
  });
  return getCycle(ctx, actor, id);
}

/** Adds a dated step; the cycle's teachers may add reflections, its coach any stage. */
export async function addCycleStep(
  ctx: Ctx,
  actor: Actor,
  id: string,
  body: { stage: "goal" | "co_plan" | "co_teach" | "model" | "observe" | "reflect" | "next_step"; date: string; notes: string },
): Promise<TCycle> {
  const cycle = await loadCycle(ctx, actor, id);
  const role = cycleRole(actor, cycle);
  if (role === "none") throw forbidden("This coaching cycle is not yours");
  if (role === "teacher" && body.stage !== "reflect") throw fieldError("body.stage", "teachers add reflections; the coach records the other stages");
  checkDate(body.date, "body.date");
  await repo.insertCycleStep(ctx.db, { cycleId: id, stage: body.stage, date: body.date, notes: body.notes, authorId: actor.personId });
  return getCycle(ctx, actor, id);
}

// ---------- Import ----------

/**
 * Imports a Google Forms coaching log as the signed-in coach's entries. Every row is checked first;
 * with any error nothing is written unless `applyValid`; rows already imported (same content) are skipped.
 */
export async function importEntries(ctx: Ctx, actor: Actor, body: TImportRequest): Promise<TImportReport> {
  assertCanLogCoaching(actor);
  const table = readCsv(body.csv);
  const errors: TImportReport["errors"] = [];
  const report = (extra: Partial<TImportReport>): TImportReport => ({
    dryRun: body.dryRun,
    applied: false,
    rows: table.rows.length,
    valid: 0,
    created: 0,
    duplicates: 0,
    dateFormat: null,
    headers: table.headers,
    errors,
    ...extra,
  });
  if (table.headers.length === 0) {
    errors.push({ line: 1, column: null, message: "the file is empty" });
    return report({});
  }
  if (table.rows.length > CoachingLimits.maxImportRows) {
    errors.push({ line: 1, column: null, message: `the file has ${table.rows.length} rows; import at most ${CoachingLimits.maxImportRows} at a time` });
    return report({});
  }
  for (const [field, column] of Object.entries(body.mapping)) {
    if (column !== undefined && !table.headers.includes(column)) {
      errors.push({ line: 1, column, message: `column "${column}" (mapped to ${field}) is not in the header row` });
    }
  }
  if (errors.length) return report({});

  const m = body.mapping;
  let format: DateFormat | null;
  if (body.dateFormat === "auto") {
    const detected = detectDateFormat(table.rows.map((r) => r.cells[m.date] ?? ""));
    format = detected.format;
  } else {
    format = body.dateFormat;
  }

  const categories = (await listCategoriesForActor(ctx, actor)).items;
  const categoryByName = new Map(categories.flatMap((c) => [[fold(c.name), c], [fold(c.key), c]] as const));
  const kindOf = new Map(categories.map((c) => [c.id, c.kind]));
  const schoolRows = await ctx.db.selectFrom("schools").select(["id", "name", "code"]).where("district_id", "=", actor.districtId).execute();
  const schoolByName = new Map(schoolRows.flatMap((s) => [[fold(s.name), s.id], ...(s.code ? [[fold(s.code), s.id] as const] : [])] as const));
  const staff = await ctx.db
    .selectFrom("people as p")
    .innerJoin("role_assignments as ra", "ra.person_id", "p.id")
    .select(["p.id", "p.given_name", "p.family_name", "p.email"])
    .where("p.district_id", "=", actor.districtId)
    .where("p.status", "=", "active")
    .where("ra.role", "not in", ["student", "student_tech"])
    .execute();
  const staffByKey = new Map<string, string[]>();
  for (const p of staff) {
    for (const key of [fold(`${p.given_name} ${p.family_name}`), ...(p.email ? [p.email] : [])]) {
      const ids = staffByKey.get(key) ?? [];
      if (!ids.includes(p.id)) ids.push(p.id);
      staffByKey.set(key, ids);
    }
  }

  const valid: { line: number; input: EntryInput }[] = [];
  for (const row of table.rows) {
    const rowErrors: TImportReport["errors"] = [];
    const err = (column: string | undefined, message: string) => rowErrors.push({ line: row.line, column: column ?? null, message });
    const rawDate = row.cells[m.date] ?? "";
    const date = format ? parseDateCell(rawDate, format) : undefined;
    if (!rawDate) err(m.date, "the date is empty");
    else if (!date) err(m.date, format ? `"${rawDate}" is not a ${format} date like the rest of the file` : `"${rawDate}" is not a date`);
    else {
      try {
        checkDate(date, m.date);
      } catch (e) {
        err(m.date, e instanceof AppError ? e.message.replace(`${m.date}: `, "") : "is invalid");
      }
    }
    const rawMinutes = row.cells[m.minutes] ?? "";
    const minutes = parseMinutesCell(rawMinutes);
    if (minutes === undefined) err(m.minutes, `"${rawMinutes}" is not a number of minutes`);
    else if (minutes < 1 || minutes > CoachingLimits.maxMinutesPerEntry) err(m.minutes, `${minutes} minutes is outside 1–${CoachingLimits.maxMinutesPerEntry}`);
    const rawCategory = row.cells[m.category] ?? "";
    const category = categoryByName.get(fold(rawCategory));
    if (!category) err(m.category, `"${rawCategory}" is not one of the district's categories`);
    let schoolId: string | null = null;
    if (m.school && row.cells[m.school]) {
      const raw = row.cells[m.school] ?? "";
      schoolId = schoolByName.get(fold(raw)) ?? null;
      if (!schoolId) err(m.school, `"${raw}" is not a school of this district`);
      else {
        try {
          assertCanCoachAt(actor, schoolId, m.school);
        } catch {
          err(m.school, `you do not coach at "${raw}"`);
        }
      }
    }
    const teacherIds: string[] = [];
    if (m.teachers && row.cells[m.teachers]) {
      for (const name of splitList(row.cells[m.teachers] ?? "")) {
        const ids = staffByKey.get(fold(name)) ?? staffByKey.get(name.toLowerCase()) ?? [];
        if (ids.length === 0) err(m.teachers, `"${name}" is not a staff member in the directory`);
        else if (ids.length > 1) err(m.teachers, `"${name}" matches ${ids.length} people; use their email instead`);
        else if (ids[0] && !teacherIds.includes(ids[0])) teacherIds.push(ids[0]);
      }
    }
    const notes = m.notes ? (row.cells[m.notes] ?? "").slice(0, CoachingLimits.maxNotes) : "";
    if (rowErrors.length || !date || minutes === undefined || !category) {
      errors.push(...rowErrors);
      continue;
    }
    valid.push({ line: row.line, input: { date, minutes, categoryId: category.id, schoolId, teacherIds, notes, cycleId: null, link: null } });
  }

  // The 16-hour day holds across the file and what is already logged.
  const perDay = new Map<string, number>();
  const stillValid: typeof valid = [];
  for (const v of valid) {
    const before = perDay.get(v.input.date) ?? (await repo.minutesOnDay(ctx.db, actor.personId, v.input.date));
    if (before + v.input.minutes > CoachingLimits.maxMinutesPerDay) {
      errors.push({ line: v.line, column: m.minutes, message: `brings ${v.input.date} over 16 hours for one coach` });
      continue;
    }
    perDay.set(v.input.date, before + v.input.minutes);
    stillValid.push(v);
  }

  const canApply = !body.dryRun && (errors.length === 0 || body.applyValid);
  let created = 0;
  let duplicates = 0;
  if (canApply) {
    await ctx.db.transaction().execute(async (trx) => {
      for (const v of stillValid) {
        // The content is the idempotency key: re-importing the same file adds nothing.
        const ref = `import:${sha256(JSON.stringify(v.input)).slice(0, 40)}`;
        if (await repo.findEntryByClientRef(trx, actor.personId, ref)) {
          duplicates++;
          continue;
        }
        await repo.insertEntry(trx, toWrite(actor, v.input, ref, kindOf.get(v.input.categoryId) ?? "coaching"));
        created++;
      }
    });
  }
  return report({ applied: canApply, valid: stillValid.length, created, duplicates, dateFormat: format });
}
