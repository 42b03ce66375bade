import type { Kysely } from "kysely";
import { canManageRollout, canRunStation, canSeeBoard, canSeeRollout } from "../../../shared/policy/devices.js";
import { gradeKey, gradeSpellings, type TBoard, type TCreateRolloutRequest, type TPickupResult, type TRollout, type TStationStudent } from "../../../shared/schemas/devices.js";
import type { Actor } from "../../auth/actor.js";
import type { Ctx } from "../../context.js";
import { isUniqueViolation } from "../../db/index.js";
import type { DB } from "../../db/schema.js";
import { AppError, fieldError, notFound } from "../../errors.js";
import { nowIso } from "../../lib.js";
import { recordAudit } from "../audit/api.js";
import { activeStudentsAt, findStudentsAt, personFacts } from "../people/api.js";
import { schoolNamesByIds, schoolsOfDistrict } from "../schools/api.js";
import { queueCoalescedJob, type JobHandler } from "../../platform/jobs.js";
import { auditedWrite, type Writer } from "../../platform/writes.js";
import * as repo from "./devices.repository.js";
import { assignInTrx } from "./assignment.service.js";
import { assertCanManageRollout, assertCanRunStation, assertCanSeeBoard } from "./policy.js";

// Rollouts and their pickup stations. A station sees only what a pickup needs (name, grade, photo,
// device); the board, with the names of students still to come, is for staff. Each pickup queues one
// coalesced "board changed" job per rollout and half second, whose handler tells the board's
// subscribers over the realtime hub to refetch.

const inGrades = (rollout: TRollout, grade: string) => rollout.grades.some((g) => gradeKey(g) === gradeKey(grade));

type RolloutRow = NonNullable<Awaited<ReturnType<typeof repo.findRollout>>>;
const parse = <T>(json: string): T => JSON.parse(json) as T;

function present(actor: Actor, r: RolloutRow): TRollout {
  const schoolIds = parse<string[]>(r.school_ids);
  return {
    id: r.id,
    name: r.name,
    schoolIds,
    grades: parse<string[]>(r.grades),
    modelIds: parse<string[]>(r.model_ids),
    steps: parse<TRollout["steps"]>(r.steps),
    stations: parse<string[]>(r.stations),
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    canManage: canManageRollout(actor, schoolIds),
    canRunStation: canRunStation(actor, schoolIds),
    canSeeBoard: canSeeBoard(actor, schoolIds),
  };
}

async function visibleRollout(db: Kysely<DB>, actor: Actor, id: string): Promise<TRollout> {
  const row = await repo.findRollout(db, actor.districtId, id);
  if (!row || !canSeeRollout(actor, parse<string[]>(row.school_ids))) throw notFound("Rollout");
  return present(actor, row);
}

/** Plans a rollout over schools the caller manages. */
export async function createRollout(ctx: Ctx, who: Writer, body: TCreateRolloutRequest): Promise<TRollout> {
  assertCanManageRollout(who.actor, body.schoolIds);
  if (body.endsOn < body.startsOn) throw fieldError("body.endsOn", "is before the start");
  const schools = new Set((await schoolsOfDistrict(ctx.db, who.actor.districtId)).map((s) => s.id));
  body.schoolIds.forEach((s, i) => {
    if (!schools.has(s)) throw fieldError(`body.schoolIds.${i}`, "is not a school of this district");
  });
  const models = new Set((await repo.listModels(ctx.db, who.actor.districtId)).map((m) => m.id));
  body.modelIds.forEach((m, i) => {
    if (!models.has(m)) throw fieldError(`body.modelIds.${i}`, "is not a model of this district");
  });
  const keys = body.steps.map((s) => s.key);
  if (new Set(keys).size !== keys.length) throw fieldError("body.steps", "two steps have the same key");
  const id = await auditedWrite(
    ctx,
    who,
    (trx) => repo.insertRollout(trx, { districtId: who.actor.districtId, ...body, by: who.actor.personId }),
    (rolloutId) => ({ action: "device.rollout.create", subjectType: "device_rollout", subjectId: rolloutId, details: { name: body.name } }),
  );
  return visibleRollout(ctx.db, who.actor, id);
}

/** Rollouts the caller runs a station for or sees the board of. */
export async function listRollouts(ctx: Ctx, actor: Actor): Promise<{ items: TRollout[] }> {
  const rows = await repo.listRollouts(ctx.db, actor.districtId);
  return { items: rows.filter((r) => canSeeRollout(actor, parse<string[]>(r.school_ids))).map((r) => present(actor, r)) };
}

export const getRollout = (ctx: Ctx, actor: Actor, id: string) => visibleRollout(ctx.db, actor, id);

async function stationRollout(db: Kysely<DB>, actor: Actor, id: string): Promise<TRollout> {
  const rollout = await visibleRollout(db, actor, id);
  assertCanRunStation(actor, rollout.schoolIds);
  return rollout;
}

/**
 * A station's student search: a scanned student number or a typed name, among the rollout's schools
 * and grades. Answers only name, grade, photo and device; every lookup is audited.
 */
export async function stationLookup(ctx: Ctx, who: Writer, rolloutId: string, q: string): Promise<{ items: TStationStudent[] }> {
  const rollout = await stationRollout(ctx.db, who.actor, rolloutId);
  const found = (await findStudentsAt(ctx.db, who.actor.districtId, rollout.schoolIds, q, 8)).filter((s) => s.status === "active" && s.grade_level !== null && inGrades(rollout, s.grade_level));
  const ids = [...new Set(found.map((s) => s.id))];
  const [current, picked] = await Promise.all([repo.currentAssetsOf(ctx.db, ids), repo.pickupsOf(ctx.db, rolloutId, ids)]);
  const deviceOf = new Map(current.filter((a) => a.assignment_kind === "assigned").map((a) => [a.assignee_id ?? "", { tag: a.tag, modelName: a.model_name }]));
  const pickedUp = new Set(picked.map((p) => p.person_id));
  const seen = new Set<string>();
  const items = found.flatMap((s) => {
    if (seen.has(s.id)) return [];
    seen.add(s.id);
    return [{ id: s.id, name: `${s.given_name} ${s.family_name}`, grade: s.grade_level, photoUrl: null, device: deviceOf.get(s.id) ?? null, pickedUp: pickedUp.has(s.id) }];
  });
  await recordAudit(ctx.db, who, { action: "device.station.lookup", subjectType: "device_rollout", subjectId: rolloutId, details: { query: q.slice(0, 100), shown: items.map((i) => i.id) } });
  return { items };
}

/**
 * The board's "pickups changed" notice: one job per rollout and half second, queued after the pickup
 * has committed (see queueCoalescedJob); the board refetches on a reconnect in any case.
 */
const queueBoardNotice = (ctx: Ctx, rolloutId: string) =>
  queueCoalescedJob(ctx, { kind: "devices.board", key: rolloutId, payload: { rolloutId }, bucketMs: 500 });

export const devicesJobs: Record<string, JobHandler> = {
  "devices.board": async (job, { realtime }) => {
    const { rolloutId } = job.payload as { rolloutId: string };
    await realtime?.publish(`rollout:${rolloutId}`, { type: "pickups", at: nowIso() });
  },
};

/**
 * A pickup at a station: the student (on the roster, in the rollout's schools and grades, not yet
 * served) gets the scanned device (in stock, of the rollout's models), the ticked steps are kept,
 * all in one transaction. Each refusal says what to do at the station.
 */
export async function pickup(ctx: Ctx, who: Writer, rolloutId: string, body: { studentId: string; tag: string; station: string; steps: string[] }): Promise<TPickupResult> {
  // The two reads do not depend on each other (one round trip on PostgreSQL, not two); the rollout's
  // refusal comes first, so a caller without a station learns nothing about the student.
  const [rolloutOrError, facts] = await Promise.all([stationRollout(ctx.db, who.actor, rolloutId).catch((err: unknown) => ({ err })), personFacts(ctx.db, [body.studentId])]);
  if ("err" in rolloutOrError) throw rolloutOrError.err;
  const rollout = rolloutOrError;
  if (!rollout.stations.includes(body.station)) throw fieldError("body.station", "is not one of this rollout's stations");
  const known = new Set(rollout.steps.map((s) => s.key));
  body.steps.forEach((s, i) => {
    if (!known.has(s)) throw fieldError(`body.steps.${i}`, "is not a step of this rollout");
  });
  const student = facts.get(body.studentId);
  const schoolId = student?.schoolIds.find((s): s is string => s !== null && rollout.schoolIds.includes(s)) ?? null;
  if (!student || student.districtId !== who.actor.districtId || !student.isStudent || schoolId === null) throw new AppError("not_found", "This student is not on the roster of the rollout's schools");
  if (student.status !== "active") throw new AppError("conflict", `${student.name} is no longer on the roster`);
  if (student.gradeLevel === null || !inGrades(rollout, student.gradeLevel)) throw new AppError("conflict", `${student.name} is not in a grade of this rollout`);
  const at = nowIso();
  let modelName = "";
  try {
    await auditedWrite(
      ctx,
      who,
      async (trx) => {
        const asset = await repo.findAssetByTag(trx, who.actor.districtId, body.tag);
        if (!asset) throw new AppError("not_found", `No device has the tag ${body.tag}`, { issues: [{ path: "body.tag", message: "unknown tag" }] });
        if (asset.assignee_id === body.studentId) throw new AppError("conflict", `${body.tag} is already ${student.name}'s device`);
        if (!rollout.modelIds.includes(asset.model_id)) throw new AppError("conflict", `${body.tag} is a ${asset.model_name}, not a model of this rollout`);
        if (asset.school_id !== null && asset.school_id !== schoolId) throw new AppError("conflict", `${body.tag} belongs to another school's stock`);
        modelName = asset.model_name;
        await repo.insertPickup(trx, { rolloutId, personId: body.studentId, assetId: asset.id, schoolId, grade: student.gradeLevel, station: body.station, steps: body.steps, by: who.actor.personId, at });
        await assignInTrx(trx, who.actor, { asset, personId: body.studentId, kind: "assigned", schoolId, dueOn: null, rolloutId, at });
      },
      () => ({ action: "device.pickup", subjectType: "person", subjectId: body.studentId, details: { rolloutId, tag: body.tag, station: body.station } }),
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("conflict", `${student.name} has already picked up a device in this rollout`);
    throw err;
  }
  await queueBoardNotice(ctx, rolloutId);
  return { student: { id: student.id, name: student.name, grade: student.gradeLevel, photoUrl: null, device: { tag: body.tag, modelName }, pickedUp: true }, tag: body.tag, modelName, at };
}

/** Picked up and still to come by school, grade and station, and who is still to come (staff only; audited). */
export async function board(ctx: Ctx, who: Writer, rolloutId: string): Promise<TBoard> {
  const rollout = await visibleRollout(ctx.db, who.actor, rolloutId);
  assertCanSeeBoard(who.actor, rollout.schoolIds);
  const [students, pickups, schoolNames] = await Promise.all([
    activeStudentsAt(ctx.db, who.actor.districtId, rollout.schoolIds, gradeSpellings(rollout.grades)),
    repo.pickupsOf(ctx.db, rolloutId),
    schoolNamesByIds(ctx.db, rollout.schoolIds),
  ]);
  const picked = new Set(pickups.map((p) => p.person_id));
  const bySchool = new Map<string, { pickedUp: number; remaining: number }>(rollout.schoolIds.map((s) => [s, { pickedUp: 0, remaining: 0 }]));
  const byGrade = new Map<string, { pickedUp: number; remaining: number }>(rollout.grades.map((g) => [gradeKey(g), { pickedUp: 0, remaining: 0 }]));
  const seen = new Set<string>();
  const toCome: TBoard["toCome"] = [];
  let remaining = 0;
  for (const s of students) {
    if (seen.has(s.id)) continue;
    seen.add(s.id);
    const isPicked = picked.has(s.id);
    const school = bySchool.get(s.school_id);
    const grade = byGrade.get(gradeKey(s.grade_level ?? ""));
    if (school) school[isPicked ? "pickedUp" : "remaining"]++;
    if (grade) grade[isPicked ? "pickedUp" : "remaining"]++;
    if (!isPicked) {
      remaining++;
      if (toCome.length < 500) toCome.push({ id: s.id, name: `${s.given_name} ${s.family_name}`, grade: s.grade_level, schoolName: schoolNames.get(s.school_id) ?? "" });
    }
  }
  const byStation = new Map<string, number>(rollout.stations.map((s) => [s, 0]));
  for (const p of pickups) byStation.set(p.station, (byStation.get(p.station) ?? 0) + 1);
  await recordAudit(ctx.db, who, { action: "device.board.read", subjectType: "device_rollout", subjectId: rolloutId, details: { toCome: remaining } });
  return {
    rolloutId,
    pickedUp: pickups.length,
    remaining,
    bySchool: [...bySchool].map(([key, v]) => ({ key, label: schoolNames.get(key) ?? key, ...v })),
    byGrade: [...byGrade].map(([key, v]) => ({ key, label: `Grade ${key}`, ...v })),
    byStation: [...byStation].map(([station, pickedUp]) => ({ station, pickedUp })),
    toCome,
    toComeTotal: remaining,
  };
}

/** Whether an actor may follow a rollout's board over the realtime hub. */
export async function mayFollowBoard(ctx: Ctx, actor: Actor, rolloutId: string): Promise<boolean> {
  const row = await repo.findRollout(ctx.db, actor.districtId, rolloutId);
  return row !== undefined && canSeeBoard(actor, parse<string[]>(row.school_ids));
}
