import type { Kysely } from "kysely";
import type { DB, ObservationRubricVersionsTable, ObservationRubricsTable, ObservationsTable, ObservationStatus } from "../../db/schema.js";
import { newId, nowIso } from "../../lib.js";
import { partitionOf, refreshMonthlyRollups } from "./reports.repository.js";

// All of the observations module's SQL, over its own tables only.

// ---- Rubrics ----

export type RubricRow = ObservationRubricsTable & { v_id: string; v_version: number; v_definition: string; v_used_at: string | null; v_created_at: string };

function rubricsWithCurrentVersion(db: Kysely<DB>) {
  return db
    .selectFrom("observation_rubrics as r")
    .innerJoin("observation_rubric_versions as v", "v.id", "r.current_version_id")
    .selectAll("r")
    .select(["v.id as v_id", "v.version as v_version", "v.definition as v_definition", "v.used_at as v_used_at", "v.created_at as v_created_at"]);
}

/** The district's rubrics with their current versions, the default first. */
export function listRubrics(db: Kysely<DB>, districtId: string): Promise<RubricRow[]> {
  return rubricsWithCurrentVersion(db).where("r.district_id", "=", districtId).orderBy("r.is_default", "desc").orderBy("r.name").orderBy("r.id").execute();
}

export function findRubric(db: Kysely<DB>, districtId: string, id: string): Promise<RubricRow | undefined> {
  return rubricsWithCurrentVersion(db).where("r.district_id", "=", districtId).where("r.id", "=", id).executeTakeFirst();
}

export function findDefaultRubric(db: Kysely<DB>, districtId: string): Promise<RubricRow | undefined> {
  return rubricsWithCurrentVersion(db).where("r.district_id", "=", districtId).where("r.is_default", "=", 1).executeTakeFirst();
}

export async function hasRubric(db: Kysely<DB>, districtId: string, key: string): Promise<boolean> {
  const row = await db.selectFrom("observation_rubrics").select("id").where("district_id", "=", districtId).where("key", "=", key).executeTakeFirst();
  return row !== undefined;
}

export type VersionRow = ObservationRubricVersionsTable & { rubric_name: string };

export function findVersion(db: Kysely<DB>, districtId: string, id: string): Promise<VersionRow | undefined> {
  return db
    .selectFrom("observation_rubric_versions as v")
    .innerJoin("observation_rubrics as r", "r.id", "v.rubric_id")
    .selectAll("v")
    .select("r.name as rubric_name")
    .where("v.district_id", "=", districtId)
    .where("v.id", "=", id)
    .executeTakeFirst();
}

/**
 * Adds a rubric with its first version. With `ifAbsent`, a rubric of the same key (another request
 * seeding the same default) wins and nothing is written: returns null.
 */
export async function insertRubric(
  trx: Kysely<DB>,
  r: { districtId: string; key: string; name: string; description: string; isDefault: boolean; definition: string; createdBy: string | null },
  opts: { ifAbsent?: boolean } = {},
): Promise<{ rubricId: string; versionId: string } | null> {
  const now = nowIso();
  const rubricId = newId();
  const versionId = newId();
  const inserted = await trx
    .insertInto("observation_rubrics")
    .values({
      id: rubricId,
      district_id: r.districtId,
      key: r.key,
      name: r.name,
      description: r.description,
      status: "active",
      is_default: r.isDefault ? 1 : 0,
      current_version_id: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(["district_id", "key"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) {
    if (opts.ifAbsent) return null;
    throw new Error(`rubric key ${r.key} is taken`);
  }
  await trx
    .insertInto("observation_rubric_versions")
    .values({ id: versionId, rubric_id: rubricId, district_id: r.districtId, version: 1, definition: r.definition, used_at: null, created_by: r.createdBy, created_at: now })
    .execute();
  await trx.updateTable("observation_rubrics").set({ current_version_id: versionId }).where("id", "=", rubricId).execute();
  return { rubricId, versionId };
}

/** Keys of the district's rubrics, to make a new one's key unique. */
export async function rubricKeys(db: Kysely<DB>, districtId: string): Promise<string[]> {
  return (await db.selectFrom("observation_rubrics").select("key").where("district_id", "=", districtId).execute()).map((r) => r.key);
}

export async function updateRubricRow(
  trx: Kysely<DB>,
  id: string,
  changes: Partial<Pick<ObservationRubricsTable, "name" | "description" | "status" | "is_default" | "current_version_id">>,
): Promise<void> {
  await trx.updateTable("observation_rubrics").set({ ...changes, updated_at: nowIso() }).where("id", "=", id).execute();
}

/** Makes `id` the district's only default rubric. */
export async function setDefaultRubric(trx: Kysely<DB>, districtId: string, id: string): Promise<void> {
  await trx.updateTable("observation_rubrics").set({ is_default: 0 }).where("district_id", "=", districtId).where("id", "!=", id).where("is_default", "=", 1).execute();
  await trx.updateTable("observation_rubrics").set({ is_default: 1, updated_at: nowIso() }).where("id", "=", id).execute();
}

/**
 * Rewrites a version's document in place, only while no observation has used it. Returns false when
 * the version is frozen (the caller then adds a new version instead).
 */
export async function rewriteUnusedVersion(trx: Kysely<DB>, versionId: string, definition: string): Promise<boolean> {
  const res = await trx.updateTable("observation_rubric_versions").set({ definition }).where("id", "=", versionId).where("used_at", "is", null).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function insertVersion(trx: Kysely<DB>, v: { rubricId: string; districtId: string; definition: string; createdBy: string | null }): Promise<string> {
  const last = await trx
    .selectFrom("observation_rubric_versions")
    .select((eb) => eb.fn.max<number>("version").as("v"))
    .where("rubric_id", "=", v.rubricId)
    .executeTakeFirst();
  const id = newId();
  await trx
    .insertInto("observation_rubric_versions")
    .values({ id, rubric_id: v.rubricId, district_id: v.districtId, version: Number(last?.v ?? 0) + 1, definition: v.definition, used_at: null, created_by: v.createdBy, created_at: nowIso() })
    .execute();
  return id;
}

/**
 * Freezes a version as an observation starts using it, and reads its document back under that
 * write: from here until the transaction ends, no edit can change the levels being checked.
 */
export async function freezeVersion(trx: Kysely<DB>, versionId: string): Promise<string | undefined> {
  await trx.updateTable("observation_rubric_versions").set({ used_at: nowIso() }).where("id", "=", versionId).where("used_at", "is", null).execute();
  return (await trx.selectFrom("observation_rubric_versions").select("definition").where("id", "=", versionId).executeTakeFirst())?.definition;
}

// ---- The district's app list ----

export function listApps(db: Kysely<DB>, districtId: string) {
  return db
    .selectFrom("observation_apps")
    .select(["id", "name", "status"])
    .where("district_id", "=", districtId)
    .orderBy("sort_order")
    .orderBy("name")
    .execute();
}

/** Adds apps by name; names already on the list are left as they are. */
export async function insertApps(trx: Kysely<DB>, districtId: string, names: readonly string[], firstSortOrder: number): Promise<void> {
  if (names.length === 0) return;
  const now = nowIso();
  await trx
    .insertInto("observation_apps")
    .values(names.map((name, i) => ({ id: newId(), district_id: districtId, name, status: "active" as const, sort_order: firstSortOrder + i * 10, created_at: now, updated_at: now })))
    .onConflict((oc) => oc.columns(["district_id", "name"]).doNothing())
    .execute();
}

export async function appsByIds(db: Kysely<DB>, districtId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom("observation_apps").select(["id", "name", "status"]).where("district_id", "=", districtId).where("id", "in", [...ids]).execute();
}

export async function maxAppSortOrder(db: Kysely<DB>, districtId: string): Promise<number> {
  const row = await db.selectFrom("observation_apps").select((eb) => eb.fn.max<number>("sort_order").as("m")).where("district_id", "=", districtId).executeTakeFirst();
  return Number(row?.m ?? 0);
}

// ---- Observations ----

export type ObservationRow = ObservationsTable & { rubric_name: string; rubric_version: number };

function observationsWithRubric(db: Kysely<DB>) {
  return db
    .selectFrom("observations as o")
    .innerJoin("observation_rubric_versions as v", "v.id", "o.rubric_version_id")
    .innerJoin("observation_rubrics as r", "r.id", "o.rubric_id")
    .selectAll("o")
    .select(["r.name as rubric_name", "v.version as rubric_version"]);
}

/** One observation, deleted ones included (the service answers those with 410). */
export function findObservation(db: Kysely<DB>, districtId: string, id: string): Promise<ObservationRow | undefined> {
  return observationsWithRubric(db).where("o.district_id", "=", districtId).where("o.id", "=", id).executeTakeFirst();
}

/** The observation an observer's device key names, deleted or not. */
export async function findByClientRef(db: Kysely<DB>, observerId: string, clientRef: string): Promise<{ id: string; deleted_at: string | null } | undefined> {
  return db
    .selectFrom("observations")
    .select(["id", "deleted_at"])
    .where("observer_id", "=", observerId)
    .where("client_ref", "=", clientRef)
    .executeTakeFirst();
}

export type ObservationWrite = {
  districtId: string;
  schoolId: string;
  observerId: string;
  teacherId: string;
  classId: string | null;
  subject: string;
  grade: string | null;
  gradeBand: string | null;
  rubricId: string;
  rubricVersionId: string;
  observedOn: string;
  month: string;
  term: string;
  schoolYear: string;
  startTime: string | null;
  durationMinutes: number | null;
  evidence: string;
  feedback: string;
  nextStep: string;
  status: ObservationStatus;
  cycleId: string | null;
  coachingEntryId: string | null;
  submittedAt: string | null;
  sharedAt: string | null;
  /** One per dimension of the rubric version, in its order; level null: not observed. */
  levels: readonly { dimensionKey: string; level: number | null }[];
  technology: readonly { appId: string | null; name: string }[];
};

function columnsOf(w: ObservationWrite) {
  return {
    school_id: w.schoolId,
    teacher_id: w.teacherId,
    class_id: w.classId,
    subject: w.subject,
    grade: w.grade,
    grade_band: w.gradeBand,
    rubric_id: w.rubricId,
    rubric_version_id: w.rubricVersionId,
    observed_on: w.observedOn,
    month: w.month,
    term: w.term,
    school_year: w.schoolYear,
    start_time: w.startTime,
    duration_minutes: w.durationMinutes,
    evidence: w.evidence,
    feedback: w.feedback,
    next_step: w.nextStep,
    status: w.status,
    observed_dimensions: w.levels.filter((l) => l.level !== null).length,
    cycle_id: w.cycleId,
    coaching_entry_id: w.coachingEntryId,
    submitted_at: w.submittedAt,
    shared_at: w.sharedAt,
  };
}

const countsInReports = (status: ObservationStatus): number => (status === "draft" ? 0 : 1);

async function writeChildren(trx: Kysely<DB>, id: string, w: ObservationWrite): Promise<void> {
  if (w.levels.length) {
    await trx
      .insertInto("observation_levels")
      .values(
        w.levels.map((l, i) => ({
          observation_id: id,
          dimension_key: l.dimensionKey,
          dimension_position: i + 1,
          level: l.level,
          district_id: w.districtId,
          school_id: w.schoolId,
          teacher_id: w.teacherId,
          rubric_version_id: w.rubricVersionId,
          observed_on: w.observedOn,
          in_reports: countsInReports(w.status),
        })),
      )
      .execute();
  }
  if (w.technology.length) {
    await trx
      .insertInto("observation_technologies")
      .values(w.technology.map((t, i) => ({ observation_id: id, position: i + 1, app_id: t.appId, name: t.name })))
      .execute();
  }
}

export async function insertObservation(trx: Kysely<DB>, w: ObservationWrite, clientRef: string | null): Promise<string> {
  const id = newId();
  const now = nowIso();
  await trx
    .insertInto("observations")
    .values({
      id,
      district_id: w.districtId,
      observer_id: w.observerId,
      ...columnsOf(w),
      client_ref: clientRef,
      received_at: now,
      acknowledged_at: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
      deleted_by: null,
    })
    .execute();
  await writeChildren(trx, id, w);
  // The monthly roll-up counts of its school and month follow in the same transaction.
  await refreshMonthlyRollups(trx, [{ districtId: w.districtId, schoolId: w.schoolId, month: w.month }]);
  return id;
}

/** Replaces an observation's columns, levels and technologies. */
export async function updateObservationRow(trx: Kysely<DB>, id: string, w: ObservationWrite): Promise<void> {
  const before = await partitionOf(trx, id);
  await trx.updateTable("observations").set({ ...columnsOf(w), updated_at: nowIso() }).where("id", "=", id).execute();
  await trx.deleteFrom("observation_levels").where("observation_id", "=", id).execute();
  await trx.deleteFrom("observation_technologies").where("observation_id", "=", id).execute();
  await writeChildren(trx, id, w);
  // Its old and new school-months (a moved observation leaves one and joins the other).
  await refreshMonthlyRollups(trx, [...before, { districtId: w.districtId, schoolId: w.schoolId, month: w.month }]);
}

/** Marks an observation deleted (a tombstone) and takes it out of the reports. */
export async function softDeleteObservation(trx: Kysely<DB>, id: string, by: string): Promise<void> {
  const before = await partitionOf(trx, id);
  const now = nowIso();
  await trx.updateTable("observations").set({ deleted_at: now, deleted_by: by, updated_at: now }).where("id", "=", id).execute();
  await trx.updateTable("observation_levels").set({ in_reports: 0 }).where("observation_id", "=", id).execute();
  await refreshMonthlyRollups(trx, before);
}

export async function setAcknowledged(trx: Kysely<DB>, id: string): Promise<void> {
  const now = nowIso();
  await trx.updateTable("observations").set({ acknowledged_at: now }).where("id", "=", id).where("acknowledged_at", "is", null).execute();
}

export async function insertComment(trx: Kysely<DB>, c: { observationId: string; authorId: string; body: string }): Promise<string> {
  const id = newId();
  await trx.insertInto("observation_comments").values({ id, observation_id: c.observationId, author_id: c.authorId, body: c.body, created_at: nowIso() }).execute();
  return id;
}

export function levelsOf(db: Kysely<DB>, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("observation_levels")
    .select(["observation_id", "dimension_key", "level"])
    .where("observation_id", "in", [...ids])
    .orderBy("observation_id")
    .orderBy("dimension_position")
    .execute();
}

export function technologiesOf(db: Kysely<DB>, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("observation_technologies")
    .select(["observation_id", "app_id", "name"])
    .where("observation_id", "in", [...ids])
    .orderBy("observation_id")
    .orderBy("position")
    .execute();
}

export function commentsOf(db: Kysely<DB>, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("observation_comments")
    .select(["id", "observation_id", "author_id", "body", "created_at"])
    .where("observation_id", "in", [...ids])
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

/** Who sees what in a list: their own observations, ones shared with them, and their schools' submitted ones. */
export type ObservationScope = { personId: string; schools: "all" | readonly string[] };

export type ObservationFilter = {
  districtId: string;
  scope: ObservationScope;
  schoolId?: string;
  teacherId?: string;
  observerId?: string;
  status?: ObservationStatus;
  from?: string;
  to?: string;
};

function filtered(db: Kysely<DB>, f: ObservationFilter) {
  let q = observationsWithRubric(db).where("o.district_id", "=", f.districtId).where("o.deleted_at", "is", null);
  const { personId, schools } = f.scope;
  q = q.where((eb) => {
    const visible = [eb("o.observer_id", "=", personId), eb.and([eb("o.teacher_id", "=", personId), eb("o.status", "=", "shared")])];
    if (schools === "all") visible.push(eb("o.status", "!=", "draft"));
    else if (schools.length) visible.push(eb.and([eb("o.status", "!=", "draft"), eb("o.school_id", "in", [...schools])]));
    return eb.or(visible);
  });
  if (f.schoolId) q = q.where("o.school_id", "=", f.schoolId);
  if (f.teacherId) q = q.where("o.teacher_id", "=", f.teacherId);
  if (f.observerId) q = q.where("o.observer_id", "=", f.observerId);
  if (f.status) q = q.where("o.status", "=", f.status);
  if (f.from) q = q.where("o.observed_on", ">=", f.from);
  if (f.to) q = q.where("o.observed_on", "<=", f.to);
  return q;
}

/** Observations the scope sees, newest lesson first by (observed_on, id), keyset-paginated. */
export function listObservations(db: Kysely<DB>, f: ObservationFilter, before: { date: string; id: string } | null, limit: number): Promise<ObservationRow[]> {
  let q = filtered(db, f);
  if (before) {
    q = q.where((eb) => eb.or([eb("o.observed_on", "<", before.date), eb.and([eb("o.observed_on", "=", before.date), eb("o.id", "<", before.id)])]));
  }
  return q.orderBy("o.observed_on", "desc").orderBy("o.id", "desc").limit(limit).execute();
}

export async function countObservations(db: Kysely<DB>, f: ObservationFilter): Promise<number> {
  const row = await filtered(db, f)
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
