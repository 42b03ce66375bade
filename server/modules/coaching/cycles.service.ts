import type { Kysely } from "kysely";
import type { TCycle } from "../../../shared/schemas/coaching.js";
import type { TList } from "../../../shared/schemas/common.js";
import type { Actor } from "../../auth/actor.js";
import { assertCanCoachAt, assertCanLogCoaching } from "./policy.js";
import { canReadCycle, coachingSchools, cycleRole } from "../../../shared/policy/coaching.js";
import { isDistrictAdmin } from "../../../shared/policy/actor.js";
import type { Ctx } from "../../context.js";
import type { DB } from "../../db/schema.js";
import { fieldError, forbidden, notFound } from "../../errors.js";
import { isSchoolOfDistrict } from "../schools/api.js";
import { presentCycle } from "./coaching.presenters.js";
import { districtToday } from "./dashboard.service.js";
import { checkDate } from "./entries.service.js";
import { staffByIds } from "../people/api.js";
import { loadNames } from "./names.js";
import { auditedWrite, type Writer } from "../../platform/writes.js";
import { paginate } from "../../platform/pagination.js";
import * as repo from "./coaching.repository.js";

// ---------- Cycles ----------

export async function loadCycle(ctx: Ctx, actor: Actor, id: string, field?: string) {
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
  const names = await loadNames(
    db,
    [...rows.map((r) => r.coach_id), ...teachers.map((t) => t.id), ...steps.map((s) => s.author_id)],
    rows.map((r) => r.school_id),
  );
  return rows.map((r) => presentCycle(r, teachers, steps, minutes.get(r.id) ?? 0, names));
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
  const page = await paginate({
    query: q,
    cursorOf: (r) => [r.updated_at, r.id],
    readCursor: ([a, b]) => (typeof a === "string" && typeof b === "string" ? { updatedAt: a, id: b } : undefined),
    fetch: (before: { updatedAt: string; id: string } | null, limit: number) => repo.listCycles(ctx.db, filter, before, limit),
  });
  return { ...page, items: await presentCycles(ctx.db, page.items) };
}

/** Opens a cycle with one teacher or a team, from a learning outcome or a classroom problem. */
export async function createCycle(
  ctx: Ctx,
  who: Writer,
  body: { title: string; startingPoint: "outcome" | "problem"; startingText: string; schoolId: string; teacherIds: string[] },
): Promise<TCycle> {
  const { actor } = who;
  assertCanLogCoaching(actor);
  if (!(await isSchoolOfDistrict(ctx.db, actor.districtId, body.schoolId))) throw fieldError("body.schoolId", "is not a school of this district");
  assertCanCoachAt(actor, body.schoolId);
  const unique = [...new Set(body.teacherIds)];
  const staff = await staffByIds(ctx.db, actor.districtId, unique);
  body.teacherIds.forEach((id, i) => {
    if (!staff.some((s) => s.id === id && s.school_id === body.schoolId)) {
      throw fieldError(`body.teacherIds.${i}`, "is not an active staff member at this school");
    }
  });
  // The Goal step is dated by the district's calendar, as the coach's own entries are.
  const goalDate = body.startingPoint === "outcome" ? await districtToday(ctx, actor.districtId) : "";
  const id = await auditedWrite(
    ctx,
    who,
    async (trx) => {
      const cycleId = await repo.insertCycle(trx, {
        districtId: actor.districtId,
        coachId: actor.personId,
        schoolId: body.schoolId,
        title: body.title,
        startingPoint: body.startingPoint,
        startingText: body.startingText,
        teacherIds: unique,
      });
      // A cycle that starts from the expected learning outcome starts with its goal: the outcome is the
      // Goal step, so the path does not show "Goal (not yet)" for what was just written down.
      if (body.startingPoint === "outcome") {
        await repo.insertCycleStep(trx, { cycleId, stage: "goal", date: goalDate, notes: body.startingText, authorId: actor.personId });
      }
      return cycleId;
    },
    (cycleId) => ({ action: "coaching.cycle.create", subjectType: "coaching_cycle", subjectId: cycleId, details: { schoolId: body.schoolId, teacherIds: unique } }),
  );
  return getCycle(ctx, actor, id);
}

/** Renames, pauses, resumes or completes a cycle (its coach or an admin). */
export async function updateCycle(
  ctx: Ctx,
  who: Writer,
  id: string,
  body: { title?: string; startingText?: string; status?: "active" | "paused" | "complete" },
): Promise<TCycle> {
  const { actor } = who;
  const cycle = await loadCycle(ctx, actor, id);
  if (cycleRole(actor, cycle) !== "manager") throw forbidden("Only the cycle's coach can change it");
  await auditedWrite(
    ctx,
    who,
    (trx) =>
      repo.updateCycleRow(trx, id, {
        ...(body.title !== undefined ? { title: body.title } : {}),
        ...(body.startingText !== undefined ? { starting_text: body.startingText } : {}),
        ...(body.status !== undefined
          ? { status: body.status, completed_at: body.status === "complete" ? (cycle.completed_at ?? new Date().toISOString()) : null }
          : {}),
      }),
    () => ({ action: "coaching.cycle.update", subjectType: "coaching_cycle", subjectId: id, details: { ...body, startingText: undefined } }),
  );
  return getCycle(ctx, actor, id);
}

/** Adds a dated step; the cycle's teachers may add reflections, its coach any stage. */
export async function addCycleStep(
  ctx: Ctx,
  who: Writer,
  id: string,
  body: { stage: "goal" | "co_plan" | "co_teach" | "model" | "observe" | "reflect" | "next_step"; date: string; notes: string },
): Promise<TCycle> {
  const { actor } = who;
  const cycle = await loadCycle(ctx, actor, id);
  const role = cycleRole(actor, cycle);
  if (role === "none") throw forbidden("This coaching cycle is not yours");
  if (role === "teacher" && body.stage !== "reflect") throw fieldError("body.stage", "teachers add reflections; the coach records the other stages");
  checkDate(body.date, "body.date");
  // The step and the cycle's "last changed" move together, with the audit record.
  await auditedWrite(
    ctx,
    who,
    (trx) => repo.insertCycleStep(trx, { cycleId: id, stage: body.stage, date: body.date, notes: body.notes, authorId: actor.personId }),
    (stepId) => ({ action: "coaching.cycle.step", subjectType: "coaching_cycle", subjectId: id, details: { stepId, stage: body.stage, date: body.date } }),
  );
  return getCycle(ctx, actor, id);
}

/** The cycles a teacher is in that the caller may read: every one for admins and the teacher, else the caller's own. */
export async function cyclesWithTeacher(ctx: Ctx, actor: Actor, teacherId: string, view: "all" | "own"): Promise<TCycle[]> {
  const rows = await repo.listCycles(ctx.db, { districtId: actor.districtId, status: "all", teacherId, coachId: view === "own" ? actor.personId : undefined }, null, 50);
  return presentCycles(ctx.db, rows);
}
