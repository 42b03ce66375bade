import { CoachingLimits } from "../../../shared/limits.js";
import type { TCreateEntryRequest, TEntry, TListEntriesQuery, TUpdateEntryRequest } from "../../../shared/schemas/coaching.js";
import type { TList } from "../../../shared/schemas/common.js";
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import type { Actor } from "../../auth/actor.js";
import { assertCanCoachAt, assertCanLogCoaching } from "./policy.js";
import { canCoachTeacher, cycleRole } from "../../../shared/policy/coaching.js";
import { isDistrictAdmin } from "../../../shared/policy/actor.js";
import type { Ctx } from "../../context.js";
import { fieldError, forbidden, notFound } from "../../errors.js";
import { isSchoolOfDistrict } from "../schools/api.js";
import { addDays, isRealDate, monthOf, today, weekOf } from "./calendar.js";
import type { TermCalendar } from "../../../shared/terms.js";
import { coachingTerms } from "./terms.service.js";
import { presentEntry } from "./coaching.presenters.js";
import { loadCycle } from "./cycles.service.js";
import { staffByIds } from "../people/api.js";
import { paginate } from "../../platform/pagination.js";
import { loadNames } from "./names.js";
import { recordAudit, type AuditEvent } from "../audit/api.js";
import { auditedWrite, createOnce, lockFor, type Writer } from "../../platform/writes.js";
import * as repo from "./coaching.repository.js";

// ---------- Entries ----------

export type EntryInput = {
  date: string;
  minutes: number;
  categoryId: string;
  schoolId: string | null;
  teacherIds: string[];
  notes: string;
  cycleId: string | null;
  link: { type: string; id: string } | null;
};

export function checkDate(date: string, field: string): void {
  if (!isRealDate(date)) throw fieldError(field, "is not a real date");
  if (date < CoachingLimits.earliestDate) throw fieldError(field, `is before ${CoachingLimits.earliestDate}`);
  const latest = addDays(today(), CoachingLimits.maxDaysAhead);
  if (date > latest) throw fieldError(field, `is in the future; log activities on or before ${latest}`);
}

/**
 * Validates an entry against the directory and the coach's schools; throws naming the field.
 * Returns the category's kind, which the dashboard rollups need. The 16-hour day depends on what
 * else is logged, so it is checked inside the write's transaction (`checkDailyCap`).
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
    const staff = await staffByIds(ctx.db, actor.districtId, unique);
    input.teacherIds.forEach((id, i) => {
      const grants = staff.filter((s) => s.id === id);
      if (grants.length === 0) throw fieldError(`body.teacherIds.${i}`, "is not an active staff member of this district");
      if (!canCoachTeacher(actor, grants.map((g) => g.school_id))) throw fieldError(`body.teacherIds.${i}`, "does not work at a school you coach");
    });
  }
  if (input.cycleId !== null) {
    const cycle = await loadCycle(ctx, actor, input.cycleId, "body.cycleId");
    if (cycleRole(actor, cycle) !== "manager") throw fieldError("body.cycleId", "is not one of your coaching cycles");
  }
  return category.kind;
}

/** The lock that serialises writes to one coach's day, so two racing entries cannot both pass the cap. */
export const dayLock = (coachId: string, date: string) => `coaching.day:${coachId}:${date}`;

/** The 16-hour day, checked in the write's transaction after taking the day's lock. */
async function checkDailyCap(ctx: Ctx, trx: Kysely<DB>, actor: Actor, input: EntryInput, exceptEntryId?: string): Promise<void> {
  await lockFor(trx, ctx.dialect, dayLock(actor.personId, input.date));
  const already = await repo.minutesOnDay(trx, actor.personId, input.date, exceptEntryId);
  if (already + input.minutes > CoachingLimits.maxMinutesPerDay) {
    const left = Math.max(0, CoachingLimits.maxMinutesPerDay - already);
    throw fieldError(
      "body.minutes",
      `would bring your total for ${input.date} over 16 hours (${already} minutes logged already; at most ${left} more)`,
    );
  }
}

/** What an entry's audit record says: the facts of the log, not its notes. */
function entryAudit(action: string, id: string, input: EntryInput): AuditEvent {
  return {
    action,
    subjectType: "coaching_entry",
    subjectId: id,
    details: { date: input.date, minutes: input.minutes, categoryId: input.categoryId, schoolId: input.schoolId, teacherIds: input.teacherIds },
  };
}

/** An entry as the repository writes it; `terms` (from `coachingTerms`) files it under the district's term. */
export function toWrite(actor: Actor, input: EntryInput, clientRef: string | null, kind: "coaching" | "support", terms: TermCalendar): repo.EntryWrite {
  return {
    kind,
    districtId: actor.districtId,
    coachId: actor.personId,
    schoolId: input.schoolId,
    categoryId: input.categoryId,
    date: input.date,
    week: weekOf(input.date),
    month: monthOf(input.date),
    term: terms.termOf(input.date).key,
    minutes: input.minutes,
    notes: input.notes,
    cycleId: input.cycleId,
    linkType: input.link?.type ?? null,
    linkId: input.link?.id ?? null,
    clientRef,
    teacherIds: input.teacherIds,
  };
}

/** Entries as the API shows them, with names read from the directory. */
async function presentEntries(db: Kysely<DB>, rows: readonly repo.EntryRow[]): Promise<TEntry[]> {
  const teachers = await repo.teachersOfEntries(db, rows.map((r) => r.id));
  const names = await loadNames(db, [...rows.map((r) => r.coach_id), ...teachers.map((t) => t.id)], rows.map((r) => r.school_id));
  return rows.map((r) => presentEntry(r, teachers, names));
}

async function presentEntryById(ctx: Ctx, actor: Actor, id: string): Promise<TEntry> {
  const row = await repo.findEntry(ctx.db, actor.districtId, id);
  if (!row) throw notFound("Entry");
  return (await presentEntries(ctx.db, [row]))[0] as TEntry;
}

/**
 * Logs an activity for the signed-in coach. A repeated `clientRef` returns the first entry instead
 * of a duplicate, also when the two requests race.
 */
export async function createEntry(ctx: Ctx, who: Writer, body: TCreateEntryRequest): Promise<{ entry: TEntry; created: boolean }> {
  const { actor } = who;
  assertCanLogCoaching(actor);
  const clientRef = body.clientRef ?? null;
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
  const findByRef = async (db: Kysely<DB>) => (clientRef ? repo.findEntryByClientRef(db, actor.personId, clientRef) : undefined);
  const { id, created } = await createOnce({
    find: () => findByRef(ctx.db),
    create: async () => {
      const kind = await validateEntry(ctx, actor, input);
      const terms = await coachingTerms(ctx, actor.districtId);
      return ctx.db.transaction().execute(async (trx) => {
        await lockFor(trx, ctx.dialect, dayLock(actor.personId, input.date));
        // A retry that waited on the lock finds the first request's entry here.
        const first = await findByRef(trx);
        if (first) return { id: first, created: false };
        await checkDailyCap(ctx, trx, actor, input);
        const entryId = await repo.insertEntry(trx, toWrite(actor, input, clientRef, kind, terms));
        await recordAudit(trx, who, entryAudit("coaching.entry.create", entryId, input));
        return { id: entryId, created: true };
      });
    },
  });
  return { entry: await presentEntryById(ctx, actor, id), created };
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
  const terms = await coachingTerms(ctx, actor.districtId);
  // `before` is what the rollups hold: the entry under the term it is filed under.
  return { row, input, terms, before: { ...toWrite(actor, input, row.client_ref, row.category_kind, terms), term: row.term } };
}

/** Edits one of the coach's own entries. */
export async function updateEntry(ctx: Ctx, who: Writer, id: string, body: TUpdateEntryRequest): Promise<TEntry> {
  const { actor } = who;
  assertCanLogCoaching(actor);
  const { row, input: current, before, terms } = await loadOwnEntry(ctx, actor, id);
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
  await auditedWrite(
    ctx,
    who,
    async (trx) => {
      await checkDailyCap(ctx, trx, actor, input, id);
      await repo.updateEntryRow(trx, id, before, toWrite(actor, input, row.client_ref, kind, terms));
    },
    () => entryAudit("coaching.entry.update", id, input),
  );
  return presentEntryById(ctx, actor, id);
}

export async function deleteEntry(ctx: Ctx, who: Writer, id: string): Promise<void> {
  const { actor } = who;
  assertCanLogCoaching(actor);
  const { before, input } = await loadOwnEntry(ctx, actor, id);
  await auditedWrite(
    ctx,
    who,
    (trx) => repo.deleteEntryRow(trx, id, before),
    () => entryAudit("coaching.entry.delete", id, input),
  );
}

export function resolveCoach(actor: Actor, coachId: string | undefined): string {
  if (!coachId || coachId === actor.personId) return actor.personId;
  if (!isDistrictAdmin(actor)) throw forbidden("You can see only your own log");
  return coachId;
}

/** A coach's log entries, newest first (their own; admins may name any coach, or ask for all of them). */
export async function listEntriesForActor(ctx: Ctx, actor: Actor, q: TListEntriesQuery): Promise<TList<TEntry>> {
  if (q.allCoaches && !q.coachId && !isDistrictAdmin(actor)) throw forbidden("Only a district admin sees every coach's log");
  // A district admin may read the whole district's log (no coach), or one coach's.
  const coachId = q.allCoaches && !q.coachId ? undefined : resolveCoach(actor, q.coachId);
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
  const page = await paginate({
    query: q,
    cursorOf: (r) => [r.date, r.id],
    readCursor: ([date, id]) => (typeof date === "string" && typeof id === "string" ? { date, id } : undefined),
    count: () => repo.countEntries(ctx.db, filter),
    fetch: (before: { date: string; id: string } | null, limit: number) => repo.listEntries(ctx.db, filter, before, limit),
  });
  return { ...page, items: await presentEntries(ctx.db, page.items) };
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
  const presented = await presentEntries(ctx.db, rows);
  const seen = new Set<string>();
  const items = [];
  for (const [i, r] of rows.entries()) {
    const entry = presented[i];
    if (!entry) continue;
    const key = [r.category_id, r.minutes, r.school_id ?? "", entry.teachers.map((t) => t.id).sort().join(",")].join("|");
    if (seen.has(key)) continue;
    seen.add(key);
    items.push({ categoryId: r.category_id, categoryName: r.category_name, minutes: r.minutes, school: entry.school, teachers: entry.teachers, lastDate: r.date });
    if (items.length === 6) break;
  }
  return { items };
}
