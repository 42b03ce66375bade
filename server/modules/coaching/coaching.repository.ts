import { sql, type Kysely } from "kysely";
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
  school_name: string | null;
  coach_given: string;
  coach_family: string;
};

function entriesWithNames(db: Kysely<DB>) {
  return db
    .selectFrom("coaching_entries as e")
    .innerJoin("coaching_categories as c", "c.id", "e.category_id")
    .innerJoin("people as coach", "coach.id", "e.coach_id")
    .leftJoin("schools as s", "s.id", "e.school_id")
    .selectAll("e")
    .select(["c.name as category_name", "c.kind as category_kind", "s.name as school_name", "coach.given_name as coach_given", "coach.family_name as coach_family"]);
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

/** Teachers of the given entries, with names. */
export function teachersOfEntries(db: Kysely<DB>, entryIds: readonly string[]) {
  if (entryIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("coaching_entry_teachers as t")
    .innerJoin("people as p", "p.id", "t.person_id")
    .select(["t.entry_id", "p.id", "p.given_name", "p.family_name"])
    .where("t.entry_id", "in", entryIds)
    .orderBy("p.sort_name")
    .execute();
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
};

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
  return id;
}

export async function updateEntryRow(db: Kysely<DB>, id: string, e: EntryWrite): Promise<void> {
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
}

export async function deleteEntryRow(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom("coaching_entries").where("id", "=", id).execute();
}

/** The coach's most recent distinct (category, minutes, school, teachers) combinations, for one-tap repeat. */
export function recentEntries(db: Kysely<DB>, coachId: string, limit: number) {
  return entriesWithNames(db).where("e.coach_id", "=", coachId).orderBy("e.created_at", "desc").limit(limit).execute() as Promise<EntryRow[]>;
}

// ---- Dashboard aggregation ----

export type DashFilter = { districtId: string; from: string; to: string; coachId?: string; schoolId?: string };

function scopedEntries(db: Kysely<DB>, f: DashFilter) {
  let r = db
    .selectFrom("coaching_entries as e")
    .where("e.district_id", "=", f.districtId)
    .where("e.date", ">=", f.from)
    .where("e.date", "<=", f.to);
  if (f.coachId) r = r.where("e.coach_id", "=", f.coachId);
  if (f.schoolId) r = r.where("e.school_id", "=", f.schoolId);
  return r;
}

/** Minutes and entry counts by bucket and category. */
export function minutesByBucket(db: Kysely<DB>, f: DashFilter, bucket: "week" | "month" | "term") {
  return scopedEntries(db, f)
    .select([`e.${bucket} as bucket`, "e.category_id"])
    .select((eb) => [eb.fn.sum<number>("e.minutes").as("minutes"), eb.fn.countAll<number>().as("entries")])
    .groupBy([`e.${bucket}`, "e.category_id"])
    .orderBy(`e.${bucket}`)
    .execute();
}

function scopedTeachers(db: Kysely<DB>, f: DashFilter) {
  let q = db
    .selectFrom("coaching_entry_teachers as t")
    .where("t.district_id", "=", f.districtId)
    .where("t.date", ">=", f.from)
    .where("t.date", "<=", f.to);
  if (f.coachId) q = q.where("t.coach_id", "=", f.coachId);
  if (f.schoolId) q = q.where("t.school_id", "=", f.schoolId);
  return q;
}

export async function teachersReached(db: Kysely<DB>, f: DashFilter): Promise<number> {
  const row = await scopedTeachers(db, f)
    .select(sql<number>`count(distinct t.person_id)`.as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The teachers who received the most coaching minutes. */
export function topTeachers(db: Kysely<DB>, f: DashFilter, limit: number) {
  return scopedTeachers(db, f)
    .innerJoin("coaching_entries as e", "e.id", "t.entry_id")
    .innerJoin("people as p", "p.id", "t.person_id")
    .select(["p.id", "p.given_name", "p.family_name"])
    .select((eb) => [eb.fn.sum<number>("e.minutes").as("minutes"), eb.fn.countAll<number>().as("entries")])
    .groupBy(["p.id", "p.given_name", "p.family_name"])
    .orderBy("minutes", "desc")
    .orderBy("p.id")
    .limit(limit)
    .execute();
}

export function topSchools(db: Kysely<DB>, f: DashFilter, limit: number) {
  return scopedEntries(db, f)
    .innerJoin("schools as s", "s.id", "e.school_id")
    .select(["s.id", "s.name"])
    .select((eb) => [eb.fn.sum<number>("e.minutes").as("minutes"), eb.fn.countAll<number>().as("entries")])
    .groupBy(["s.id", "s.name"])
    .orderBy("minutes", "desc")
    .orderBy("s.id")
    .limit(limit)
    .execute();
}

/**
 * Coverage per school: active teachers holding a teacher role there, and how many of them had at
 * least one interaction in a coaching-kind category at that school in the period.
 */
export async function coverage(db: Kysely<DB>, f: DashFilter, schoolIds: readonly string[] | "all") {
  let teachers = db
    .selectFrom("role_assignments as ra")
    .innerJoin("people as p", "p.id", "ra.person_id")
    .innerJoin("schools as s", "s.id", "ra.school_id")
    .select(["s.id as school_id", "s.name as school_name"])
    .select(sql<number>`count(distinct ra.person_id)`.as("teachers"))
    .where("ra.district_id", "=", f.districtId)
    .where("ra.role", "=", "teacher")
    .where("p.status", "=", "active")
    .where("s.status", "=", "active")
    .groupBy(["s.id", "s.name"]);
  if (schoolIds !== "all") teachers = teachers.where("ra.school_id", "in", schoolIds.length ? [...schoolIds] : ["-"]);

  let reached = scopedTeachers(db, f)
    .innerJoin("coaching_categories as c", "c.id", "t.category_id")
    .innerJoin("role_assignments as ra", (j) =>
      j.onRef("ra.person_id", "=", "t.person_id").onRef("ra.school_id", "=", "t.school_id").on("ra.role", "=", "teacher"),
    )
    .select("t.school_id")
    .select(sql<number>`count(distinct t.person_id)`.as("reached"))
    .where("c.kind", "=", "coaching")
    .groupBy("t.school_id");
  if (schoolIds !== "all") reached = reached.where("t.school_id", "in", schoolIds.length ? [...schoolIds] : ["-"]);

  const [t, r] = await Promise.all([teachers.execute(), reached.execute()]);
  const reachedBySchool = new Map(r.map((row) => [row.school_id, Number(row.reached)]));
  return t.map((row) => ({
    schoolId: row.school_id,
    schoolName: row.school_name,
    teachers: Number(row.teachers),
    reached: reachedBySchool.get(row.school_id) ?? 0,
  }));
}

// ---- Cycles ----

export function findCycle(db: Kysely<DB>, districtId: string, id: string) {
  return db
    .selectFrom("coaching_cycles as c")
    .innerJoin("people as coach", "coach.id", "c.coach_id")
    .innerJoin("schools as s", "s.id", "c.school_id")
    .selectAll("c")
    .select(["coach.given_name as coach_given", "coach.family_name as coach_family", "s.name as school_name"])
    .where("c.district_id", "=", districtId)
    .where("c.id", "=", id)
    .executeTakeFirst();
}
export type CycleRow = NonNullable<Awaited<ReturnType<typeof findCycle>>>;

export type CycleFilter = { districtId: string; status: "active" | "paused" | "complete" | "all"; coachId?: string; teacherId?: string };

export function listCycles(db: Kysely<DB>, f: CycleFilter, before: { updatedAt: string; id: string } | null, limit: number) {
  let q = db
    .selectFrom("coaching_cycles as c")
    .innerJoin("people as coach", "coach.id", "c.coach_id")
    .innerJoin("schools as s", "s.id", "c.school_id")
    .selectAll("c")
    .select(["coach.given_name as coach_given", "coach.family_name as coach_family", "s.name as school_name"])
    .where("c.district_id", "=", f.districtId);
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
  return db
    .selectFrom("coaching_cycle_teachers as ct")
    .innerJoin("people as p", "p.id", "ct.person_id")
    .select(["ct.cycle_id", "p.id", "p.given_name", "p.family_name"])
    .where("ct.cycle_id", "in", cycleIds)
    .orderBy("p.sort_name")
    .execute();
}

export function cycleSteps(db: Kysely<DB>, cycleIds: readonly string[]) {
  if (cycleIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("coaching_cycle_steps as st")
    .innerJoin("people as a", "a.id", "st.author_id")
    .selectAll("st")
    .select(["a.given_name as author_given", "a.family_name as author_family"])
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

// ---- Directory look-ups the coaching log needs ----

/** Of the given people, those in the district, active, holding a staff role; with their schools. */
export async function staffByIds(db: Kysely<DB>, districtId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom("people as p")
    .innerJoin("role_assignments as ra", "ra.person_id", "p.id")
    .select(["p.id", "p.given_name", "p.family_name", "ra.school_id", "ra.role"])
    .where("p.district_id", "=", districtId)
    .where("p.status", "=", "active")
    .where("p.id", "in", [...ids])
    .where("ra.role", "not in", ["student", "student_tech"])
    .execute();
}
