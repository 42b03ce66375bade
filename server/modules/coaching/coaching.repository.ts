import type { Kysely } from "kysely";
import type { CoachingCategoriesTable, CoachingEntriesTable, DB } from "../../db/schema.js";
import { newId, nowIso } from "../../lib.js";

// ---- Categories ----

/** The ten activities of a technology coach (seed 001), each marked coaching or support. */
export const DEFAULT_CATEGORIES: readonly { key: string; name: string; kind: "coaching" | "support" }[] = [
  { key: "co_planning", name: "Co-planning", kind: "coaching" },
  { key: "co_teaching", name: "Co-teaching", kind: "coaching" },
  { key: "modeling", name: "Modeling a lesson", kind: "coaching" },
  { key: "observing", name: "Observing", kind: "coaching" },
  { key: "professional_development", name: "Professional development", kind: "coaching" },
  { key: "digital_citizenship", name: "Digital citizenship", kind: "coaching" },
  { key: "resource_preparation", name: "Resource preparation", kind: "coaching" },
  { key: "tech_literacy", name: "Tech literacy", kind: "support" },
  { key: "tech_support", name: "Tech support / troubleshooting", kind: "support" },
  { key: "tech_administration", name: "Technology administration", kind: "support" },
];

export function listCategories(db: Kysely<DB>, districtId: string) {
  return db
    .selectFrom("coaching_categories")
    .selectAll()
    .where("district_id", "=", districtId)
    .orderBy("sort_order")
    .orderBy("name")
    .execute();
}

/** Seeds the default categories for a district; safe to call repeatedly and concurrently. */
export async function ensureDefaultCategories(db: Kysely<DB>, districtId: string): Promise<void> {
  const now = nowIso();
  await db
    .insertInto("coaching_categories")
    .values(
      DEFAULT_CATEGORIES.map((c, i) => ({
        id: newId(),
        district_id: districtId,
        key: c.key,
        name: c.name,
        kind: c.kind,
        sort_order: (i + 1) * 10,
        status: "active" as const,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(["district_id", "key"]).doNothing())
    .execute();
}

/** The district's remembered Google Forms values → category (issue 17), by folded value. */
export function listCategoryAliases(db: Kysely<DB>, districtId: string) {
  return db
    .selectFrom("coaching_category_aliases")
    .select(["value_key", "value", "category_id"])
    .where("district_id", "=", districtId)
    .orderBy("value_key")
    .execute();
}

/** Remembers (or changes) which category each value of an imported file means, in the caller's transaction. */
export async function upsertCategoryAliases(
  db: Kysely<DB>,
  districtId: string,
  personId: string,
  aliases: readonly { valueKey: string; value: string; categoryId: string }[],
): Promise<void> {
  if (aliases.length === 0) return;
  const now = nowIso();
  await db
    .insertInto("coaching_category_aliases")
    .values(aliases.map((a) => ({ district_id: districtId, value_key: a.valueKey, value: a.value, category_id: a.categoryId, updated_by: personId, updated_at: now })))
    .onConflict((oc) =>
      oc.columns(["district_id", "value_key"]).doUpdateSet((eb) => ({
        value: eb.ref("excluded.value"),
        category_id: eb.ref("excluded.category_id"),
        updated_by: eb.ref("excluded.updated_by"),
        updated_at: eb.ref("excluded.updated_at"),
      })),
    )
    .execute();
}

export async function insertCategory(
  db: Kysely<DB>,
  c: { districtId: string; key: string; name: string; kind: "coaching" | "support"; sortOrder: number },
): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto("coaching_categories")
    .values({ id, district_id: c.districtId, key: c.key, name: c.name, kind: c.kind, sort_order: c.sortOrder, status: "active", created_at: now, updated_at: now })
    .execute();
  return id;
}

export async function updateCategoryRow(
  db: Kysely<DB>,
  id: string,
  changes: Partial<Pick<CoachingCategoriesTable, "name" | "kind" | "status" | "sort_order">>,
): Promise<void> {
  await db.updateTable("coaching_categories").set({ ...changes, updated_at: nowIso() }).where("id", "=", id).execute();
}

// ---- Entries ----

export type EntryRow = CoachingEntriesTable & {
  category_name: string;
  category_kind: "coaching" | "support";
};

function entriesWithNames(db: Kysely<DB>) {
  return db
    .selectFrom("coaching_entries as e")
    .innerJoin("coaching_categories as c", "c.id", "e.category_id")
    .selectAll("e")
    .select(["c.name as category_name", "c.kind as category_kind"]);
}

export type EntryFilter = {
  districtId: string;
  coachId?: string;
  schoolId?: string;
  categoryId?: string;
  cycleId?: string;
  from?: string;
  to?: string;
};

/** Entries newest first by (date, id), keyset-paginated. */
export function listEntries(db: Kysely<DB>, f: EntryFilter, before: { date: string; id: string } | null, limit: number) {
  let q = entriesWithNames(db).where("e.district_id", "=", f.districtId);
  if (f.coachId) q = q.where("e.coach_id", "=", f.coachId);
  if (f.schoolId) q = q.where("e.school_id", "=", f.schoolId);
  if (f.categoryId) q = q.where("e.category_id", "=", f.categoryId);
  if (f.cycleId) q = q.where("e.cycle_id", "=", f.cycleId);
  if (f.from) q = q.where("e.date", ">=", f.from);
  if (f.to) q = q.where("e.date", "<=", f.to);
  if (before) {
    q = q.where((eb) => eb.or([eb("e.date", "<", before.date), eb.and([eb("e.date", "=", before.date), eb("e.id", "<", before.id)])]));
  }
  return q.orderBy("e.date", "desc").orderBy("e.id", "desc").limit(limit).execute() as Promise<EntryRow[]>;
}

export async function countEntries(db: Kysely<DB>, f: EntryFilter): Promise<number> {
  let q = db.selectFrom("coaching_entries as e").where("e.district_id", "=", f.districtId);
  if (f.coachId) q = q.where("e.coach_id", "=", f.coachId);
  if (f.schoolId) q = q.where("e.school_id", "=", f.schoolId);
  if (f.categoryId) q = q.where("e.category_id", "=", f.categoryId);
  if (f.cycleId) q = q.where("e.cycle_id", "=", f.cycleId);
  if (f.from) q = q.where("e.date", ">=", f.from);
  if (f.to) q = q.where("e.date", "<=", f.to);
  const row = await q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findEntry(db: Kysely<DB>, districtId: string, id: string): Promise<EntryRow | undefined> {
  return (await entriesWithNames(db).where("e.district_id", "=", districtId).where("e.id", "=", id).executeTakeFirst()) as
    | EntryRow
    | undefined;
}

export async function findEntryByClientRef(db: Kysely<DB>, coachId: string, clientRef: string): Promise<string | undefined> {
  return (
    await db.selectFrom("coaching_entries").select("id").where("coach_id", "=", coachId).where("client_ref", "=", clientRef).executeTakeFirst()
  )?.id;
}

/** Teachers of the given entries (names come from the directory). */
export function teachersOfEntries(db: Kysely<DB>, entryIds: readonly string[]) {
  if (entryIds.length === 0) return Promise.resolve([]);
  return db.selectFrom("coaching_entry_teachers as t").select(["t.entry_id", "t.person_id as id"]).where("t.entry_id", "in", entryIds).execute();
}

/** Minutes a coach has logged on one day, optionally not counting one entry (being edited). */
export async function minutesOnDay(db: Kysely<DB>, coachId: string, date: string, exceptEntryId?: string): Promise<number> {
  let q = db.selectFrom("coaching_entries").where("coach_id", "=", coachId).where("date", "=", date);
  if (exceptEntryId) q = q.where("id", "!=", exceptEntryId);
  const row = await q.select((eb) => eb.fn.coalesce(eb.fn.sum<number>("minutes"), eb.lit(0)).as("m")).executeTakeFirstOrThrow();
  return Number(row.m);
}

export type EntryWrite = {
  districtId: string;
  coachId: string;
  schoolId: string | null;
  categoryId: string;
  date: string;
  week: string;
  month: string;
  term: string;
  minutes: number;
  notes: string;
  cycleId: string | null;
  linkType: string | null;
  linkId: string | null;
  clientRef: string | null;
  teacherIds: readonly string[];
  /** The category's kind now; counted into the teacher rollup. */
  kind: "coaching" | "support";
};

/** Adds (sign 1) or removes (sign -1) an entry's minutes in the dashboard rollups, in the caller's transaction. */
async function applyToRollups(db: Kysely<DB>, e: EntryWrite, sign: 1 | -1): Promise<void> {
  const school = e.schoolId ?? "";
  await db
    .insertInto("coaching_rollup_weekly")
    .values({ district_id: e.districtId, week: e.week, month: e.month, school_id: school, category_id: e.categoryId, minutes: sign * e.minutes, entries: sign })
    .onConflict((oc) =>
      oc.columns(["district_id", "week", "month", "school_id", "category_id"]).doUpdateSet((eb) => ({
        minutes: eb("coaching_rollup_weekly.minutes", "+", eb.ref("excluded.minutes")),
        entries: eb("coaching_rollup_weekly.entries", "+", eb.ref("excluded.entries")),
      })),
    )
    .execute();
  if (e.teacherIds.length === 0) return;
  await db
    .insertInto("coaching_rollup_teacher_terms")
    .values(
      e.teacherIds.map((personId) => ({
        district_id: e.districtId,
        term: e.term,
        person_id: personId,
        school_id: school,
        minutes: sign * e.minutes,
        entries: sign,
        coaching_entries: e.kind === "coaching" ? sign : 0,
      })),
    )
    .onConflict((oc) =>
      oc.columns(["district_id", "term", "person_id", "school_id"]).doUpdateSet((eb) => ({
        minutes: eb("coaching_rollup_teacher_terms.minutes", "+", eb.ref("excluded.minutes")),
        entries: eb("coaching_rollup_teacher_terms.entries", "+", eb.ref("excluded.entries")),
        coaching_entries: eb("coaching_rollup_teacher_terms.coaching_entries", "+", eb.ref("excluded.coaching_entries")),
      })),
    )
    .execute();
}

/**
 * Recomputes a district's rollups from the entries, e.g. after a category changes kind
 * (or after a bulk load that bypassed insertEntry). Run inside a transaction.
 */
export async function rebuildRollups(db: Kysely<DB>, districtId: string): Promise<void> {
  await db.deleteFrom("coaching_rollup_weekly").where("district_id", "=", districtId).execute();
  await db
    .insertInto("coaching_rollup_weekly")
    .columns(["district_id", "week", "month", "school_id", "category_id", "minutes", "entries"])
    .expression((eb) =>
      eb
        .selectFrom("coaching_entries as e")
        .select((s) => [
          "e.district_id",
          "e.week",
          "e.month",
          s.fn.coalesce("e.school_id", s.val("")).as("school_id"),
          "e.category_id",
          s.fn.sum<number>("e.minutes").as("minutes"),
          s.fn.countAll<number>().as("entries"),
        ])
        .where("e.district_id", "=", districtId)
        .groupBy(["e.district_id", "e.week", "e.month", "e.school_id", "e.category_id"]),
    )
    .execute();
  await rebuildTeacherRollup(db, districtId);
}

/** Recomputes the district's per-teacher, per-term rollup from the entries (after their terms change). */
export async function rebuildTeacherRollup(db: Kysely<DB>, districtId: string): Promise<void> {
  await db.deleteFrom("coaching_rollup_teacher_terms").where("district_id", "=", districtId).execute();
  await db
    .insertInto("coaching_rollup_teacher_terms")
    .columns(["district_id", "term", "person_id", "school_id", "minutes", "entries", "coaching_entries"])
    .expression((eb) =>
      eb
        .selectFrom("coaching_entry_teachers as t")
        .innerJoin("coaching_entries as e", "e.id", "t.entry_id")
        .innerJoin("coaching_categories as c", "c.id", "e.category_id")
        .select((s) => [
          "t.district_id",
          "e.term",
          "t.person_id",
          s.fn.coalesce("e.school_id", s.val("")).as("school_id"),
          s.fn.sum<number>("e.minutes").as("minutes"),
          s.fn.countAll<number>().as("entries"),
          s.fn.sum<number>(s.case().when("c.kind", "=", "coaching").then(1).else(0).end()).as("coaching_entries"),
        ])
        .where("t.district_id", "=", districtId)
        .groupBy(["t.district_id", "e.term", "t.person_id", "e.school_id"]),
    )
    .execute();
}

async function writeEntryTeachers(db: Kysely<DB>, entryId: string, e: EntryWrite): Promise<void> {
  await db.deleteFrom("coaching_entry_teachers").where("entry_id", "=", entryId).execute();
  if (e.teacherIds.length === 0) return;
  await db
    .insertInto("coaching_entry_teachers")
    .values(
      e.teacherIds.map((personId) => ({
        entry_id: entryId,
        person_id: personId,
        district_id: e.districtId,
        date: e.date,
        coach_id: e.coachId,
        school_id: e.schoolId,
        category_id: e.categoryId,
      })),
    )
    .execute();
}

export async function insertEntry(db: Kysely<DB>, e: EntryWrite): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto("coaching_entries")
    .values({
      id,
      district_id: e.districtId,
      coach_id: e.coachId,
      school_id: e.schoolId,
      category_id: e.categoryId,
      date: e.date,
      week: e.week,
      month: e.month,
      term: e.term,
      minutes: e.minutes,
      notes: e.notes,
      cycle_id: e.cycleId,
      link_type: e.linkType,
      link_id: e.linkId,
      client_ref: e.clientRef,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await writeEntryTeachers(db, id, e);
  await applyToRollups(db, e, 1);
  return id;
}

/** Rewrites an entry; `before` is what it was (with its category's kind now), to move its minutes in the rollups. */
export async function updateEntryRow(db: Kysely<DB>, id: string, before: EntryWrite, e: EntryWrite): Promise<void> {
  await applyToRollups(db, before, -1);
  await db
    .updateTable("coaching_entries")
    .set({
      school_id: e.schoolId,
      category_id: e.categoryId,
      date: e.date,
      week: e.week,
      month: e.month,
      term: e.term,
      minutes: e.minutes,
      notes: e.notes,
      cycle_id: e.cycleId,
      link_type: e.linkType,
      link_id: e.linkId,
      updated_at: nowIso(),
    })
    .where("id", "=", id)
    .execute();
  await writeEntryTeachers(db, id, e);
  await applyToRollups(db, e, 1);
}

export async function deleteEntryRow(db: Kysely<DB>, id: string, before: EntryWrite): Promise<void> {
  await applyToRollups(db, before, -1);
  await db.deleteFrom("coaching_entries").where("id", "=", id).execute();
}

/** The coach's most recent distinct (category, minutes, school, teachers) combinations, for one-tap repeat. */
export function recentEntries(db: Kysely<DB>, coachId: string, limit: number) {
  return entriesWithNames(db).where("e.coach_id", "=", coachId).orderBy("e.created_at", "desc").limit(limit).execute() as Promise<EntryRow[]>;
}

// ---- Dashboard from the rollups (no coach filter) ----

/** Minutes by (week, month) part and category from the weekly rollup, leaving out the given parts. */
export function rollupSeries(
  db: Kysely<DB>,
  f: { districtId: string; schoolId?: string; weekFrom: string; weekTo: string; exclude: readonly { week: string; month: string }[] },
) {
  let q = db
    .selectFrom("coaching_rollup_weekly as r")
    .select(["r.week", "r.month", "r.category_id"])
    .select((eb) => [eb.fn.sum<number>("r.minutes").as("minutes"), eb.fn.sum<number>("r.entries").as("entries")])
    .where("r.district_id", "=", f.districtId)
    .where("r.week", ">=", f.weekFrom)
    .where("r.week", "<=", f.weekTo);
  if (f.schoolId) q = q.where("r.school_id", "=", f.schoolId);
  for (const part of f.exclude) q = q.where((eb) => eb.not(eb.and([eb("r.week", "=", part.week), eb("r.month", "=", part.month)])));
  return q.groupBy(["r.week", "r.month", "r.category_id"]).execute();
}

/** Minutes by school from the weekly rollup, leaving out the given parts. */
export function rollupSchools(
  db: Kysely<DB>,
  f: { districtId: string; schoolId?: string; weekFrom: string; weekTo: string; exclude: readonly { week: string; month: string }[] },
) {
  let q = db
    .selectFrom("coaching_rollup_weekly as r")
    .select(["r.school_id"])
    .select((eb) => [eb.fn.sum<number>("r.minutes").as("minutes"), eb.fn.sum<number>("r.entries").as("entries")])
    .where("r.district_id", "=", f.districtId)
    .where("r.week", ">=", f.weekFrom)
    .where("r.week", "<=", f.weekTo)
    .where("r.school_id", "!=", "");
  if (f.schoolId) q = q.where("r.school_id", "=", f.schoolId);
  for (const part of f.exclude) q = q.where((eb) => eb.not(eb.and([eb("r.week", "=", part.week), eb("r.month", "=", part.month)])));
  return q.groupBy("r.school_id").execute();
}

/** Exact minutes for a few days (the partial parts at the edges of a range), by date, category and school. */
export function entriesByDay(db: Kysely<DB>, f: { districtId: string; schoolId?: string; coachId?: string; from: string; to: string }) {
  let q = db
    .selectFrom("coaching_entries as e")
    .select(["e.date", "e.week", "e.month", "e.term", "e.category_id", "e.school_id"])
    .select((eb) => [eb.fn.sum<number>("e.minutes").as("minutes"), eb.fn.countAll<number>().as("entries")])
    .where("e.district_id", "=", f.districtId)
    .where("e.date", ">=", f.from)
    .where("e.date", "<=", f.to);
  if (f.schoolId) q = q.where("e.school_id", "=", f.schoolId);
  if (f.coachId) q = q.where("e.coach_id", "=", f.coachId);
  return q.groupBy(["e.date", "e.week", "e.month", "e.term", "e.category_id", "e.school_id"]).execute();
}

/** Per-teacher totals for whole terms from the teacher rollup. */
export function rollupTeachers(db: Kysely<DB>, f: { districtId: string; schoolId?: string; terms: readonly string[] }) {
  let q = db
    .selectFrom("coaching_rollup_teacher_terms as r")
    .select(["r.person_id", "r.school_id"])
    .select((eb) => [
      eb.fn.sum<number>("r.minutes").as("minutes"),
      eb.fn.sum<number>("r.entries").as("entries"),
      eb.fn.sum<number>("r.coaching_entries").as("coaching_entries"),
    ])
    .where("r.district_id", "=", f.districtId)
    .where("r.term", "in", f.terms.length ? [...f.terms] : ["-"])
    .where("r.entries", ">", 0);
  if (f.schoolId) q = q.where("r.school_id", "=", f.schoolId);
  return q.groupBy(["r.person_id", "r.school_id"]).execute();
}

/** The same per-teacher totals straight from the entries, for one coach's (small) log. */
export function teachersOfCoach(db: Kysely<DB>, f: { districtId: string; coachId: string; schoolId?: string; from: string; to: string }) {
  let q = db
    .selectFrom("coaching_entry_teachers as t")
    .innerJoin("coaching_entries as e", "e.id", "t.entry_id")
    .innerJoin("coaching_categories as c", "c.id", "e.category_id")
    .select(["t.person_id"])
    .select((eb) => [
      eb.fn.coalesce("t.school_id", eb.val("")).as("school_id"),
      eb.fn.sum<number>("e.minutes").as("minutes"),
      eb.fn.countAll<number>().as("entries"),
      eb.fn.sum<number>(eb.case().when("c.kind", "=", "coaching").then(1).else(0).end()).as("coaching_entries"),
    ])
    .where("e.coach_id", "=", f.coachId)
    .where("e.date", ">=", f.from)
    .where("e.date", "<=", f.to)
    .where("t.district_id", "=", f.districtId);
  if (f.schoolId) q = q.where("t.school_id", "=", f.schoolId);
  return q.groupBy(["t.person_id", "t.school_id"]).execute();
}

// ---- Cycles ----

export function findCycle(db: Kysely<DB>, districtId: string, id: string) {
  return db
    .selectFrom("coaching_cycles as c")
    .selectAll("c")
    .where("c.district_id", "=", districtId)
    .where("c.id", "=", id)
    .executeTakeFirst();
}
export type CycleRow = NonNullable<Awaited<ReturnType<typeof findCycle>>>;

export type CycleFilter = { districtId: string; status: "active" | "paused" | "complete" | "all"; coachId?: string; teacherId?: string };

export function listCycles(db: Kysely<DB>, f: CycleFilter, before: { updatedAt: string; id: string } | null, limit: number) {
  let q = db.selectFrom("coaching_cycles as c").selectAll("c").where("c.district_id", "=", f.districtId);
  if (f.status !== "all") q = q.where("c.status", "=", f.status);
  if (f.coachId) q = q.where("c.coach_id", "=", f.coachId);
  const teacherId = f.teacherId;
  if (teacherId) {
    q = q.where((eb) =>
      eb.exists(eb.selectFrom("coaching_cycle_teachers as ct").select(eb.lit(1).as("one")).whereRef("ct.cycle_id", "=", "c.id").where("ct.person_id", "=", teacherId)),
    );
  }
  if (before) {
    q = q.where((eb) => eb.or([eb("c.updated_at", "<", before.updatedAt), eb.and([eb("c.updated_at", "=", before.updatedAt), eb("c.id", "<", before.id)])]));
  }
  return q.orderBy("c.updated_at", "desc").orderBy("c.id", "desc").limit(limit).execute();
}

export function cycleTeachers(db: Kysely<DB>, cycleIds: readonly string[]) {
  if (cycleIds.length === 0) return Promise.resolve([]);
  return db.selectFrom("coaching_cycle_teachers as ct").select(["ct.cycle_id", "ct.person_id as id"]).where("ct.cycle_id", "in", cycleIds).execute();
}

export function cycleSteps(db: Kysely<DB>, cycleIds: readonly string[]) {
  if (cycleIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("coaching_cycle_steps as st")
    .selectAll("st")
    .where("st.cycle_id", "in", cycleIds)
    .orderBy("st.date")
    .orderBy("st.created_at")
    .execute();
}

export async function cycleMinutes(db: Kysely<DB>, cycleIds: readonly string[]): Promise<Map<string, number>> {
  if (cycleIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("coaching_entries")
    .select(["cycle_id"])
    .select((eb) => eb.fn.sum<number>("minutes").as("m"))
    .where("cycle_id", "in", cycleIds)
    .groupBy("cycle_id")
    .execute();
  return new Map(rows.map((r) => [r.cycle_id ?? "", Number(r.m)]));
}

export async function insertCycle(
  db: Kysely<DB>,
  c: { districtId: string; coachId: string; schoolId: string; title: string; startingPoint: "outcome" | "problem"; startingText: string; teacherIds: readonly string[] },
): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto("coaching_cycles")
    .values({
      id,
      district_id: c.districtId,
      coach_id: c.coachId,
      school_id: c.schoolId,
      title: c.title,
      starting_point: c.startingPoint,
      starting_text: c.startingText,
      status: "active",
      created_at: now,
      updated_at: now,
      completed_at: null,
    })
    .execute();
  await db.insertInto("coaching_cycle_teachers").values(c.teacherIds.map((p) => ({ cycle_id: id, person_id: p }))).execute();
  return id;
}

export async function updateCycleRow(
  db: Kysely<DB>,
  id: string,
  changes: { title?: string; starting_text?: string; status?: "active" | "paused" | "complete"; completed_at?: string | null },
): Promise<void> {
  await db.updateTable("coaching_cycles").set({ ...changes, updated_at: nowIso() }).where("id", "=", id).execute();
}

export async function insertCycleStep(
  db: Kysely<DB>,
  s: { cycleId: string; stage: CycleStepStage; date: string; notes: string; authorId: string },
): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto("coaching_cycle_steps")
    .values({ id, cycle_id: s.cycleId, stage: s.stage, date: s.date, notes: s.notes, author_id: s.authorId, created_at: now, updated_at: now })
    .execute();
  await db.updateTable("coaching_cycles").set({ updated_at: now }).where("id", "=", s.cycleId).execute();
  return id;
}
type CycleStepStage = "goal" | "co_plan" | "co_teach" | "model" | "observe" | "reflect" | "next_step";

// ---- Term keys (the district's terms, shared/terms.ts) ----

/** The hash of the term definitions the district's entry terms were computed with (none: the fixed rule's). */
export async function findTermState(db: Kysely<DB>, districtId: string): Promise<string | undefined> {
  return (await db.selectFrom("coaching_term_state").select("terms_hash").where("district_id", "=", districtId).executeTakeFirst())?.terms_hash;
}

export async function saveTermState(db: Kysely<DB>, districtId: string, hash: string): Promise<void> {
  const now = nowIso();
  await db
    .insertInto("coaching_term_state")
    .values({ district_id: districtId, terms_hash: hash, updated_at: now })
    .onConflict((oc) => oc.column("district_id").doUpdateSet({ terms_hash: hash, updated_at: now }))
    .execute();
}

/** Each day the district logged on, with the term its entries are filed under. */
export function entryDayTerms(db: Kysely<DB>, districtId: string) {
  return db.selectFrom("coaching_entries").select(["date", "term"]).where("district_id", "=", districtId).groupBy(["date", "term"]).execute();
}

/** Files the district's entries of the given days under `term`. */
export async function setEntryTerm(db: Kysely<DB>, districtId: string, term: string, dates: readonly string[]): Promise<void> {
  if (dates.length === 0) return;
  await db.updateTable("coaching_entries").set({ term }).where("district_id", "=", districtId).where("date", "in", [...dates]).execute();
}

/** The district's active cycles with the date of their latest step (null: none yet), for the home page's counts. */
export function activeCycleActivity(db: Kysely<DB>, districtId: string) {
  return db
    .selectFrom("coaching_cycles as c")
    .leftJoin("coaching_cycle_steps as st", "st.cycle_id", "c.id")
    .select((eb) => ["c.id", "c.created_at", eb.fn.max("st.date").as("last_step")])
    .where("c.district_id", "=", districtId)
    .where("c.status", "=", "active")
    .groupBy(["c.id", "c.created_at"])
    .execute();
}

/**
 * Points an entry at the record it was about (an observation), unless it already points elsewhere.
 * Returns whether the entry now carries that link.
 */
export async function setEntryLink(db: Kysely<DB>, entryId: string, link: { type: string; id: string }): Promise<boolean> {
  await db
    .updateTable("coaching_entries")
    .set({ link_type: link.type, link_id: link.id, updated_at: nowIso() })
    .where("id", "=", entryId)
    .where("link_type", "is", null)
    .execute();
  const row = await db.selectFrom("coaching_entries").select(["link_type", "link_id"]).where("id", "=", entryId).executeTakeFirst();
  return row?.link_type === link.type && row.link_id === link.id;
}

// ---- Coaches compared ----

/** Per coach over [from, to]: minutes, coaching minutes and entries (at one school if given). */
export function coachTotals(db: Kysely<DB>, f: { districtId: string; schoolId?: string; from: string; to: string }) {
  let q = db
    .selectFrom("coaching_entries as e")
    .innerJoin("coaching_categories as c", "c.id", "e.category_id")
    .select((eb) => [
      "e.coach_id",
      eb.fn.sum<number>("e.minutes").as("minutes"),
      eb.fn.sum<number>(eb.case().when("c.kind", "=", "coaching").then(eb.ref("e.minutes")).else(0).end()).as("coaching_minutes"),
      eb.fn.countAll<number>().as("entries"),
    ])
    .where("e.district_id", "=", f.districtId)
    .where("e.date", ">=", f.from)
    .where("e.date", "<=", f.to);
  if (f.schoolId) q = q.where("e.school_id", "=", f.schoolId);
  return q.groupBy("e.coach_id").execute();
}

/** Who reached whom with a coaching activity over [from, to]: distinct (coach, teacher) pairs (at one school if given). */
export function coachingReach(db: Kysely<DB>, f: { districtId: string; schoolId?: string; from: string; to: string }) {
  let q = db
    .selectFrom("coaching_entry_teachers as t")
    .innerJoin("coaching_categories as c", "c.id", "t.category_id")
    .select(["t.coach_id", "t.person_id"])
    .distinct()
    .where("t.district_id", "=", f.districtId)
    .where("t.date", ">=", f.from)
    .where("t.date", "<=", f.to)
    .where("c.kind", "=", "coaching");
  if (f.schoolId) q = q.where("t.school_id", "=", f.schoolId);
  return q.execute();
}

// ---- A person's coaching (their page in the directory) ----

/** The latest entries naming a person (by one coach if given), newest first. */
export function entriesNamingPerson(db: Kysely<DB>, f: { districtId: string; personId: string; coachId?: string; limit: number }) {
  let q = db
    .selectFrom("coaching_entry_teachers as t")
    .innerJoin("coaching_entries as e", "e.id", "t.entry_id")
    .innerJoin("coaching_categories as c", "c.id", "e.category_id")
    .select(["e.id", "e.date", "e.minutes", "e.coach_id", "e.school_id", "e.cycle_id", "c.name as category_name", "c.kind as category_kind"])
    .where("t.district_id", "=", f.districtId)
    .where("t.person_id", "=", f.personId);
  if (f.coachId) q = q.where("t.coach_id", "=", f.coachId);
  return q.orderBy("e.date", "desc").orderBy("e.id", "desc").limit(f.limit).execute();
}

/** Totals of the entries naming a person (by one coach if given): count, minutes, coaching minutes. */
export function totalsNamingPerson(db: Kysely<DB>, f: { districtId: string; personId: string; coachId?: string }) {
  let q = db
    .selectFrom("coaching_entry_teachers as t")
    .innerJoin("coaching_entries as e", "e.id", "t.entry_id")
    .innerJoin("coaching_categories as c", "c.id", "e.category_id")
    .select((eb) => [
      eb.fn.countAll<number>().as("entries"),
      eb.fn.coalesce(eb.fn.sum<number>("e.minutes"), eb.lit(0)).as("minutes"),
      eb.fn.coalesce(eb.fn.sum<number>(eb.case().when("c.kind", "=", "coaching").then(eb.ref("e.minutes")).else(0).end()), eb.lit(0)).as("coaching_minutes"),
    ])
    .where("t.district_id", "=", f.districtId)
    .where("t.person_id", "=", f.personId);
  if (f.coachId) q = q.where("t.coach_id", "=", f.coachId);
  return q.executeTakeFirstOrThrow();
}
