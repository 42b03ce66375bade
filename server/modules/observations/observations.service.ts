import type { Kysely } from "kysely";
import type { TList } from "../../../shared/schemas/common.js";
import {
  gradeBandOf,
  type Grade,
  type ObservationStatus,
  type TCreateObservationBody,
  type TListObservationsQuery,
  type TObservation,
  type TRubricDefinition,
  type TUpdateObservationRequest,
} from "../../../shared/schemas/observations.js";
import { isDistrictAdmin } from "../../../shared/policy/actor.js";
import {
  canAcknowledgeObservation,
  canCommentOnObservation,
  canDeleteObservation,
  canEditObservation,
  canReadObservation,
  observationReadSchools,
} from "../../../shared/policy/observations.js";
import { ObservationLimits } from "../../../shared/limits.js";
import type { Actor } from "../../auth/actor.js";
import type { Ctx } from "../../context.js";
import type { DB } from "../../db/schema.js";
import { AppError, fieldError, forbidden, notFound } from "../../errors.js";
import { paginate } from "../../platform/pagination.js";
import { auditedWrite, createOnce, lockFor, type Writer } from "../../platform/writes.js";
import { recordAudit, type AuditEvent } from "../audit/api.js";
import { cycleFacts, entryFacts, linkEntryToObservation } from "../coaching/api.js";
import { enqueueEmail } from "../mail/api.js";
import { findPerson, namesByIds, staffByIds } from "../people/api.js";
import { isSchoolOfDistrict, schoolNamesByIds } from "../schools/api.js";
import { loadDistrictSettings } from "../settings/api.js";
import { addDays, isRealDate, monthOf, schoolYearOf, termOf, today } from "./calendar.js";
import * as repo from "./observations.repository.js";
import { factsOf, parseDefinition, presentObservation } from "./observations.presenters.js";
import { assertCanObserve, assertCanObserveAt } from "./policy.js";
import { ensureDistrictDefaults } from "./rubrics.service.js";

/** What an observation says, whatever its state: the request merged over what is stored. */
type ObservationInput = {
  schoolId: string;
  teacherId: string;
  subject: string;
  grade: Grade | null;
  date: string;
  startTime: string | null;
  durationMinutes: number | null;
  levels: Record<string, string | null>;
  technology: { appId: string | null; name: string }[];
  evidence: string;
  feedback: string;
  nextStep: string;
  status: ObservationStatus;
  cycleId: string | null;
  coachingEntryId: string | null;
};

const STATUS_RANK: Record<ObservationStatus, number> = { draft: 0, submitted: 1, shared: 2 };

/**
 * The lesson's date, checked against the server's own clock (a device's may be wrong): a real day, not
 * before 2000, and at most a day ahead of the server's today.
 */
export function checkObservedOn(date: string, field = "body.date"): void {
  if (!isRealDate(date)) throw fieldError(field, "is not a real date");
  if (date < ObservationLimits.earliestDate) throw fieldError(field, `is before ${ObservationLimits.earliestDate}`);
  const latest = addDays(today(), ObservationLimits.maxDaysAhead);
  if (date > latest) {
    throw fieldError(field, `${date} is in the future: the server's date is ${today()}, so a lesson can be dated ${latest} at the latest (check the device's date and clock)`);
  }
}

/**
 * Turns `levels` (level key per dimension key) into one rank per dimension of the version, in its
 * order; a dimension left out is "not observed". Throws naming the offending dimension.
 */
export function rankLevels(def: TRubricDefinition, rubricLabel: string, levels: Record<string, string | null>): { dimensionKey: string; level: number | null }[] {
  for (const [key, value] of Object.entries(levels)) {
    const dim = def.dimensions.find((d) => d.key === key);
    if (!dim) {
      throw fieldError(`body.levels.${key}`, `"${key}" is not a characteristic of ${rubricLabel}; its characteristics are ${def.dimensions.map((d) => d.key).join(", ")}`);
    }
    if (value !== null && !def.levels.some((l) => l.key === value)) {
      throw fieldError(
        `body.levels.${key}`,
        `"${value}" is not a level of ${rubricLabel} for ${dim.name}; use one of ${def.levels.map((l) => l.key).join(", ")}, or null for not observed`,
      );
    }
  }
  return def.dimensions.map((d) => {
    const value = levels[d.key] ?? null;
    return { dimensionKey: d.key, level: value === null ? null : def.levels.findIndex((l) => l.key === value) + 1 };
  });
}

/** Checks an observation against the directory and the observer's schools; throws naming the field. */
async function validateInput(ctx: Ctx, actor: Actor, input: ObservationInput, observationId: string | null = null): Promise<void> {
  checkObservedOn(input.date);
  if (!(await isSchoolOfDistrict(ctx.db, actor.districtId, input.schoolId))) throw fieldError("body.schoolId", "is not a school of this district");
  assertCanObserveAt(actor, input.schoolId);
  const grants = await staffByIds(ctx.db, actor.districtId, [input.teacherId]);
  if (grants.length === 0) throw fieldError("body.teacherId", "is not an active staff member of this district");
  if (!grants.some((g) => g.school_id === null || g.school_id === input.schoolId)) throw fieldError("body.teacherId", "does not work at this school");
  const appIds = [...new Set(input.technology.map((t) => t.appId).filter((id): id is string => id !== null))];
  if (appIds.length) {
    const apps = await repo.appsByIds(ctx.db, actor.districtId, appIds);
    input.technology.forEach((t, i) => {
      if (t.appId !== null && !apps.some((a) => a.id === t.appId)) throw fieldError(`body.technology.${i}.appId`, "is not an app of the district's list");
    });
  }
  await checkLinks(ctx, actor, input, observationId);
}

/**
 * The coaching cycle and the coaching log entry an observation links to, read through the coaching
 * module's API: the observer's own cycle with this teacher, and an "Observing" entry of their own log.
 */
async function checkLinks(ctx: Ctx, actor: Actor, input: Pick<ObservationInput, "cycleId" | "coachingEntryId" | "teacherId">, observationId: string | null): Promise<void> {
  if (input.cycleId !== null) {
    const cycle = await cycleFacts(ctx.db, actor.districtId, input.cycleId);
    if (!cycle) throw fieldError("body.cycleId", "is not a coaching cycle of this district");
    if (cycle.coachId !== actor.personId && !isDistrictAdmin(actor)) throw fieldError("body.cycleId", "is not one of your coaching cycles");
    if (!cycle.teacherIds.includes(input.teacherId)) throw fieldError("body.cycleId", "is a coaching cycle without the observed teacher");
  }
  if (input.coachingEntryId !== null) {
    const entry = await entryFacts(ctx.db, actor.districtId, input.coachingEntryId);
    if (!entry) throw fieldError("body.coachingEntryId", "is not a coaching log entry of this district");
    if (entry.coachId !== actor.personId) throw fieldError("body.coachingEntryId", "is not an entry of your coaching log");
    if (entry.categoryKey !== "observing") throw fieldError("body.coachingEntryId", "is not an “Observing” entry of your coaching log");
    if (entry.link && !(entry.link.type === "observation" && entry.link.id === observationId)) {
      throw fieldError("body.coachingEntryId", `is already linked to another ${entry.link.type.replace("_", " ")}`);
    }
  }
}

/**
 * Tells the teacher their observation is shared, by email through the outbox, in the transaction
 * that shares it (rolled back: no mail). With no public address configured, the mail says where to
 * look instead of carrying a link.
 */
async function notifyTeacher(ctx: Ctx, trx: Kysely<DB>, o: { id: string; districtId: string; teacherId: string; observerName: string; date: string }): Promise<void> {
  const teacher = await findPerson(trx, o.districtId, o.teacherId);
  if (!teacher?.email || teacher.status !== "active") return;
  const base = ctx.config.publicUrl ?? (await loadDistrictSettings(trx, o.districtId)).publicUrl;
  const where = base ? `Read it, acknowledge it and reply here:\n\n${base.replace(/\/$/, "")}/observations/${o.id}\n` : "Sign in to Coachwork and open Observations to read it.\n";
  await enqueueEmail(trx, {
    to: teacher.email,
    subject: `Feedback on your lesson of ${o.date}`,
    text: `Hello ${teacher.given_name},\n\n${o.observerName} shared the observation of your lesson on ${o.date}, with feedback and a suggested next step.\n\n${where}`,
  });
}

/** The write for an observation in `status`, from its input, rubric and timestamps. */
function toWrite(
  actor: Pick<Actor, "districtId">,
  observerId: string,
  input: ObservationInput,
  rubric: { rubricId: string; versionId: string },
  levels: { dimensionKey: string; level: number | null }[],
  stamps: { submittedAt: string | null; sharedAt: string | null },
): repo.ObservationWrite {
  const now = new Date().toISOString();
  const reached = STATUS_RANK[input.status];
  return {
    districtId: actor.districtId,
    schoolId: input.schoolId,
    observerId,
    teacherId: input.teacherId,
    classId: null,
    subject: input.subject,
    grade: input.grade,
    gradeBand: input.grade ? gradeBandOf(input.grade) : null,
    rubricId: rubric.rubricId,
    rubricVersionId: rubric.versionId,
    observedOn: input.date,
    month: monthOf(input.date),
    term: termOf(input.date),
    schoolYear: schoolYearOf(input.date),
    startTime: input.startTime,
    durationMinutes: input.durationMinutes,
    evidence: input.evidence,
    feedback: input.feedback,
    nextStep: input.nextStep,
    status: input.status,
    cycleId: input.cycleId,
    coachingEntryId: input.coachingEntryId,
    submittedAt: stamps.submittedAt ?? (reached >= 1 ? now : null),
    sharedAt: stamps.sharedAt ?? (reached >= 2 ? now : null),
    levels,
    technology: input.technology,
  };
}

/** What an observation's audit record says: who, where, when and its state, not its notes. */
function observationAudit(action: string, id: string, input: Pick<ObservationInput, "schoolId" | "teacherId" | "date" | "status">, extra: Record<string, unknown> = {}): AuditEvent {
  return { action, subjectType: "observation", subjectId: id, details: { schoolId: input.schoolId, teacherId: input.teacherId, date: input.date, status: input.status, ...extra } };
}

const gone = (row: { deleted_at: string | null }) =>
  new AppError("gone", `This observation was deleted on the server (${(row.deleted_at ?? "").slice(0, 10)}); nothing was saved. Your copy stays on your device.`, {
    deletedAt: row.deleted_at,
  });

/** Definitions of the given versions, read once per call. */
async function definitions(db: Kysely<DB>, districtId: string, versionIds: Iterable<string>): Promise<Map<string, TRubricDefinition>> {
  const out = new Map<string, TRubricDefinition>();
  for (const id of new Set(versionIds)) {
    const v = await repo.findVersion(db, districtId, id);
    if (v) out.set(id, parseDefinition(v.definition));
  }
  return out;
}

/** Observations as the API shows them: names from the directory, levels by key, technology, comments. */
async function presentMany(ctx: Ctx, actor: Actor, rows: readonly repo.ObservationRow[], opts: { withComments: boolean }): Promise<TObservation[]> {
  const ids = rows.map((r) => r.id);
  const [levels, tech, comments, defs] = await Promise.all([
    repo.levelsOf(ctx.db, ids),
    repo.technologiesOf(ctx.db, ids),
    opts.withComments ? repo.commentsOf(ctx.db, ids) : Promise.resolve([]),
    definitions(ctx.db, actor.districtId, rows.map((r) => r.rubric_version_id)),
  ]);
  const [people, schools] = await Promise.all([
    namesByIds(ctx.db, [...rows.flatMap((r) => [r.observer_id, r.teacher_id]), ...comments.map((c) => c.author_id)]),
    schoolNamesByIds(ctx.db, rows.map((r) => r.school_id)),
  ]);
  const ref = (id: string) => {
    const p = people.get(id);
    return { id, name: p ? `${p.givenName} ${p.familyName}` : "Unknown person" };
  };
  return rows.map((r) => {
    const def = defs.get(r.rubric_version_id);
    const levelMap: Record<string, string | null> = {};
    for (const l of levels) {
      if (l.observation_id !== r.id) continue;
      levelMap[l.dimension_key] = l.level === null ? null : (def?.levels[l.level - 1]?.key ?? null);
    }
    return presentObservation(actor, r, {
      school: { id: r.school_id, name: schools.get(r.school_id) ?? "" },
      observer: ref(r.observer_id),
      teacher: ref(r.teacher_id),
      levels: levelMap,
      technology: tech.filter((t) => t.observation_id === r.id).map((t) => ({ appId: t.app_id, name: t.name })),
      comments: comments.filter((c) => c.observation_id === r.id).map((c) => ({ id: c.id, author: ref(c.author_id), body: c.body, createdAt: c.created_at })),
    });
  });
}

async function presentOne(ctx: Ctx, actor: Actor, row: repo.ObservationRow): Promise<TObservation> {
  const [one] = await presentMany(ctx, actor, [row], { withComments: true });
  if (!one) throw notFound("Observation");
  return one;
}

/**
 * Loads an observation the actor may read: 404 when it is not theirs to see (its existence stays
 * hidden), 410 when it was deleted.
 */
async function loadReadable(ctx: Ctx, actor: Actor, id: string): Promise<repo.ObservationRow> {
  const row = await repo.findObservation(ctx.db, actor.districtId, id);
  if (!row || !canReadObservation(actor, factsOf(row))) throw notFound("Observation");
  if (row.deleted_at !== null) throw gone(row);
  return row;
}

/**
 * Records an observation for the signed-in coach. With a `clientRef` it is idempotent: a repeated
 * create (a retry, an offline queue replaying) returns the first observation (`created: false`), and
 * one whose observation was deleted meanwhile answers 410 rather than bringing it back.
 */
export async function createObservation(ctx: Ctx, who: Writer, body: TCreateObservationBody): Promise<{ observation: TObservation; created: boolean }> {
  const { actor } = who;
  assertCanObserve(actor);
  await ensureDistrictDefaults(ctx.db, actor.districtId);
  const clientRef = body.clientRef ?? null;
  const input: ObservationInput = {
    schoolId: body.schoolId,
    teacherId: body.teacherId,
    subject: body.subject,
    grade: body.grade ?? null,
    date: body.date,
    startTime: body.startTime ?? null,
    durationMinutes: body.durationMinutes ?? null,
    levels: body.levels,
    technology: body.technology.map((t) => ({ appId: t.appId, name: t.name })),
    evidence: body.evidence,
    feedback: body.feedback,
    nextStep: body.nextStep,
    status: body.status,
    cycleId: body.cycleId ?? null,
    coachingEntryId: body.coachingEntryId ?? null,
  };
  const findByRef = async (db: Kysely<DB>) => {
    if (!clientRef) return undefined;
    const found = await repo.findByClientRef(db, actor.personId, clientRef);
    if (found?.deleted_at) throw gone(found);
    return found?.id;
  };
  const { id, created } = await createOnce({
    find: () => findByRef(ctx.db),
    create: async () => {
      await validateInput(ctx, actor, input);
      const rubric = body.rubricVersionId
        ? await repo.findVersion(ctx.db, actor.districtId, body.rubricVersionId).then((v) => (v ? { rubricId: v.rubric_id, versionId: v.id, label: `${v.rubric_name} version ${v.version}` } : undefined))
        : await repo.findDefaultRubric(ctx.db, actor.districtId).then((r) => (r ? { rubricId: r.id, versionId: r.v_id, label: `${r.name} version ${r.v_version}` } : undefined));
      if (!rubric) throw fieldError("body.rubricVersionId", "is not a rubric version of this district");
      return ctx.db.transaction().execute(async (trx) => {
        if (clientRef) {
          await lockFor(trx, ctx.dialect, `observations.ref:${actor.personId}:${clientRef}`);
          // A retry that waited on the lock finds the first request's observation here.
          const first = await findByRef(trx);
          if (first) return { id: first, created: false };
        }
        // Freezing the version and reading it back under that write: no edit can change it under us.
        const definition = await repo.freezeVersion(trx, rubric.versionId);
        if (!definition) throw fieldError("body.rubricVersionId", "is not a rubric version of this district");
        const levels = rankLevels(parseDefinition(definition), rubric.label, input.levels);
        const observationId = await repo.insertObservation(trx, toWrite(actor, actor.personId, input, rubric, levels, { submittedAt: null, sharedAt: null }), clientRef);
        if (input.coachingEntryId) await linkEntryToObservation(trx, input.coachingEntryId, observationId);
        if (input.status === "shared") await notifyTeacher(ctx, trx, { id: observationId, districtId: actor.districtId, teacherId: input.teacherId, observerName: actor.name, date: input.date });
        await recordAudit(trx, who, observationAudit("observation.create", observationId, input, { rubricVersionId: rubric.versionId }));
        return { id: observationId, created: true };
      });
    },
  });
  const row = await repo.findObservation(ctx.db, actor.districtId, id);
  if (!row) throw notFound("Observation");
  return { observation: await presentOne(ctx, actor, row), created };
}

/** One observation, with its comments, for anyone allowed to read it. */
export async function getObservation(ctx: Ctx, actor: Actor, id: string): Promise<TObservation> {
  return presentOne(ctx, actor, await loadReadable(ctx, actor, id));
}

/**
 * Edits an observation (its observer only). The status moves forward only (draft → submitted →
 * shared); the levels are checked against the version it was scored with, even if its rubric has a
 * newer one.
 */
export async function updateObservation(ctx: Ctx, who: Writer, id: string, body: TUpdateObservationRequest): Promise<TObservation> {
  const { actor } = who;
  const row = await repo.findObservation(ctx.db, actor.districtId, id);
  if (!row || !canReadObservation(actor, factsOf(row))) throw notFound("Observation");
  if (row.deleted_at !== null) throw gone(row);
  if (!canEditObservation(actor, factsOf(row))) throw forbidden("Only the observer can change an observation");
  const current = (await presentMany(ctx, actor, [row], { withComments: false }))[0];
  if (!current) throw notFound("Observation");
  if (body.status && STATUS_RANK[body.status] < STATUS_RANK[row.status]) {
    throw fieldError("body.status", `cannot go back from ${row.status} to ${body.status}`);
  }
  const input: ObservationInput = {
    schoolId: body.schoolId ?? row.school_id,
    teacherId: body.teacherId ?? row.teacher_id,
    subject: body.subject ?? row.subject,
    grade: body.grade !== undefined ? body.grade : current.grade,
    date: body.date ?? row.observed_on,
    startTime: body.startTime !== undefined ? body.startTime : row.start_time,
    durationMinutes: body.durationMinutes !== undefined ? body.durationMinutes : row.duration_minutes,
    levels: body.levels ?? current.levels,
    technology: body.technology ? body.technology.map((t) => ({ appId: t.appId, name: t.name })) : current.technology,
    evidence: body.evidence ?? row.evidence,
    feedback: body.feedback ?? row.feedback,
    nextStep: body.nextStep ?? row.next_step,
    status: body.status ?? row.status,
    cycleId: body.cycleId !== undefined ? body.cycleId : row.cycle_id,
    coachingEntryId: body.coachingEntryId !== undefined ? body.coachingEntryId : row.coaching_entry_id,
  };
  // Links are checked when they change: a link made earlier stays valid as the observation is edited.
  await validateInput(
    ctx,
    actor,
    { ...input, cycleId: body.cycleId !== undefined && body.cycleId !== row.cycle_id ? body.cycleId : null, coachingEntryId: body.coachingEntryId !== undefined && body.coachingEntryId !== row.coaching_entry_id ? body.coachingEntryId : null },
    id,
  );
  const version = await repo.findVersion(ctx.db, actor.districtId, row.rubric_version_id);
  if (!version) throw notFound("Rubric version");
  const levels = rankLevels(parseDefinition(version.definition), `${version.rubric_name} version ${version.version}`, input.levels);
  await auditedWrite(
    ctx,
    who,
    async (trx) => {
      await lockFor(trx, ctx.dialect, `observations.obs:${id}`);
      const fresh = await repo.findObservation(trx, actor.districtId, id);
      if (!fresh || fresh.deleted_at !== null) throw gone(fresh ?? { deleted_at: null });
      await repo.updateObservationRow(trx, id, toWrite(actor, row.observer_id, input, { rubricId: row.rubric_id, versionId: row.rubric_version_id }, levels, { submittedAt: fresh.submitted_at, sharedAt: fresh.shared_at }));
      if (input.coachingEntryId && input.coachingEntryId !== fresh.coaching_entry_id) await linkEntryToObservation(trx, input.coachingEntryId, id);
      // The teacher hears of it once: when it is first shared (a retried share finds shared_at set).
      if (input.status === "shared" && fresh.shared_at === null) {
        await notifyTeacher(ctx, trx, { id, districtId: actor.districtId, teacherId: input.teacherId, observerName: actor.name, date: input.date });
      }
    },
    () => observationAudit("observation.update", id, input, { fields: Object.keys(body), from: row.status }),
  );
  return getObservation(ctx, actor, id);
}

/** Deletes an observation (its observer, or an admin): it leaves every list and report; a device that syncs it later hears 410. */
export async function deleteObservation(ctx: Ctx, who: Writer, id: string): Promise<void> {
  const { actor } = who;
  const row = await loadReadable(ctx, actor, id);
  if (!canDeleteObservation(actor, factsOf(row))) throw forbidden("Only the observer or a district admin can delete an observation");
  await auditedWrite(
    ctx,
    who,
    (trx) => repo.softDeleteObservation(trx, id, actor.personId),
    () => observationAudit("observation.delete", id, { schoolId: row.school_id, teacherId: row.teacher_id, date: row.observed_on, status: row.status }),
  );
}

/** The teacher says they have read an observation shared with them (once; a repeat changes nothing). */
export async function acknowledgeObservation(ctx: Ctx, who: Writer, id: string): Promise<TObservation> {
  const { actor } = who;
  const row = await loadReadable(ctx, actor, id);
  if (!canAcknowledgeObservation(actor, factsOf(row))) throw forbidden("Only the observed teacher acknowledges an observation shared with them");
  if (row.acknowledged_at === null) {
    await auditedWrite(
      ctx,
      who,
      async (trx) => {
        await repo.setAcknowledged(trx, id);
        await notifyOther(ctx, trx, { id, districtId: actor.districtId, to: row.observer_id, date: row.observed_on, what: `${actor.name} acknowledged your feedback` });
      },
      () => ({ action: "observation.acknowledge", subjectType: "observation", subjectId: id }),
    );
  }
  return getObservation(ctx, actor, id);
}

/** A comment on a shared observation, by its teacher or its observer. */
export async function addComment(ctx: Ctx, who: Writer, id: string, body: string): Promise<TObservation> {
  const { actor } = who;
  const row = await loadReadable(ctx, actor, id);
  if (!canCommentOnObservation(actor, factsOf(row))) throw forbidden("Only the observed teacher and the observer comment, once it is shared");
  await auditedWrite(
    ctx,
    who,
    async (trx) => {
      const commentId = await repo.insertComment(trx, { observationId: id, authorId: actor.personId, body });
      // The other side of the conversation hears of it: the teacher's comment goes to the observer, and back.
      const to = actor.personId === row.teacher_id ? row.observer_id : row.teacher_id;
      await notifyOther(ctx, trx, { id, districtId: actor.districtId, to, date: row.observed_on, what: `${actor.name} commented`, quote: body });
      return commentId;
    },
    (commentId) => ({ action: "observation.comment", subjectType: "observation", subjectId: id, details: { commentId } }),
  );
  return getObservation(ctx, actor, id);
}

/** Emails the other person in an observation's conversation (in the caller's transaction, through the outbox). */
async function notifyOther(ctx: Ctx, trx: Kysely<DB>, n: { id: string; districtId: string; to: string; date: string; what: string; quote?: string }): Promise<void> {
  const person = await findPerson(trx, n.districtId, n.to);
  if (!person?.email || person.status !== "active") return;
  const base = ctx.config.publicUrl ?? (await loadDistrictSettings(trx, n.districtId)).publicUrl;
  const quote = n.quote ? `\n\n> ${n.quote.slice(0, 500).split("\n").join("\n> ")}` : "";
  const where = base ? `\n\n${base.replace(/\/$/, "")}/observations/${n.id}\n` : "\n\nSign in to Coachwork and open Observations to read it.\n";
  await enqueueEmail(trx, { to: person.email, subject: `${n.what} on the observation of ${n.date}`, text: `Hello ${person.given_name},\n\n${n.what} on the observation of the lesson of ${n.date}.${quote}${where}` });
}

/** Observations the actor may see, newest lesson first: their own, those shared with them, their schools' submitted ones. */
export async function listObservations(ctx: Ctx, actor: Actor, q: TListObservationsQuery): Promise<TList<TObservation>> {
  const filter: repo.ObservationFilter = {
    districtId: actor.districtId,
    scope: { personId: actor.personId, schools: observationReadSchools(actor) },
    schoolId: q.schoolId,
    teacherId: q.teacherId,
    observerId: q.observerId,
    status: q.status,
    from: q.from,
    to: q.to,
  };
  const page = await paginate({
    query: q,
    cursorOf: (r) => [r.observed_on, r.id],
    readCursor: ([date, id]) => (typeof date === "string" && typeof id === "string" ? { date, id } : undefined),
    count: () => repo.countObservations(ctx.db, filter),
    fetch: (before: { date: string; id: string } | null, limit: number) => repo.listObservations(ctx.db, filter, before, limit),
  });
  return { ...page, items: await presentMany(ctx, actor, page.items, { withComments: false }) };
}
