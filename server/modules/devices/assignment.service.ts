import { PostgresAdapter, type Kysely } from "kysely";
import { inventoryReadSchools } from "../../../shared/policy/devices.js";
import { gradeSpellings, type TAsset, type TAssetDetail, type TOverdueLoans } from "../../../shared/schemas/devices.js";
import type { Actor } from "../../auth/actor.js";
import type { Ctx } from "../../context.js";
import { isUniqueViolation } from "../../db/index.js";
import type { DB } from "../../db/schema.js";
import { AppError, fieldError, notFound } from "../../errors.js";
import { nowIso } from "../../lib.js";
import { recordAudit } from "../audit/api.js";
import { openTicket } from "../helpdesk/api.js";
import { activeStudentsAt, personFacts } from "../people/api.js";
import { schoolNamesByIds } from "../schools/api.js";
import { auditedWrite, lockFor, type Writer } from "../../platform/writes.js";
import * as repo from "./devices.repository.js";
import { deviceEvent, getAsset, managedAsset, namesFor, presentAssets } from "./inventory.service.js";
import { assertCanManageAt, assertCanOpenInventory, canReadAt } from "./policy.js";
import { presentAsset } from "./devices.presenters.js";

// Who holds which device: assignment by hand and by rule, check-in, loaners, repairs, and the list of
// devices to collect from people who left the roster. One active assignment per device is the
// database's rule (a unique partial index); a race that loses it answers 409, never a second holder.

const alreadyHeld = (tag: string) => new AppError("conflict", `${tag} is already assigned to someone: check it in first`);

/**
 * Gives a device to a person in the caller's transaction: checks the device is free (in stock; a
 * loan needs a loaner-pool device) and records the assignment and its event. Used by hand, by rule
 * and by pickup stations.
 */
export async function assignInTrx(
  trx: Kysely<DB>,
  actor: Actor,
  a: { asset: repo.AssetRow; personId: string; kind: "assigned" | "loaner"; schoolId: string | null; dueOn: string | null; rolloutId: string | null; at?: string },
): Promise<void> {
  const { asset } = a;
  if (asset.assignment_id) throw alreadyHeld(asset.tag);
  if (asset.status !== "in_stock") throw new AppError("conflict", `${asset.tag} is not in stock (${asset.status.replace("_", " ")})`);
  if (a.kind === "loaner" && Number(asset.is_loaner) !== 1) throw new AppError("conflict", `${asset.tag} is not a loaner-pool device`);
  if (a.kind === "assigned" && Number(asset.is_loaner) === 1) throw new AppError("conflict", `${asset.tag} is a loaner-pool device: lend it instead`);
  const at = a.at ?? nowIso();
  try {
    await repo.insertAssignment(trx, { districtId: actor.districtId, assetId: asset.id, personId: a.personId, kind: a.kind, schoolId: a.schoolId ?? asset.school_id, rolloutId: a.rolloutId, dueOn: a.dueOn, by: actor.personId, at });
  } catch (err) {
    if (isUniqueViolation(err)) throw alreadyHeld(asset.tag);
    throw err;
  }
  await repo.updateAssets(trx, actor.districtId, [asset.id], { status: a.kind === "loaner" ? "loaner" : "assigned" });
  await repo.insertEvents(trx, [
    deviceEvent({ districtId: actor.districtId, assetId: asset.id, kind: a.kind === "loaner" ? "loaned" : "assigned", actorId: actor.personId, personId: a.personId, details: { ...(a.dueOn ? { dueOn: a.dueOn } : {}), ...(a.rolloutId ? { rolloutId: a.rolloutId } : {}) }, at }),
  ]);
}

/** Assigns (or lends, with a due date) a device to a student or staff member of the district. */
export async function assign(ctx: Ctx, who: Writer, assetId: string, body: { personId: string; kind: "assigned" | "loaner"; dueOn: string | null }): Promise<TAssetDetail> {
  const asset = await managedAsset(ctx.db, who.actor, assetId);
  const person = (await personFacts(ctx.db, [body.personId])).get(body.personId);
  if (!person || person.districtId !== who.actor.districtId) throw fieldError("body.personId", "is not a person of this district");
  if (person.status !== "active") throw fieldError("body.personId", "is no longer on the roster");
  if (body.kind === "loaner" && !body.dueOn) throw fieldError("body.dueOn", "a loan needs a due date");
  await auditedWrite(
    ctx,
    who,
    async (trx) => {
      const fresh = await repo.findAsset(trx, who.actor.districtId, asset.id);
      if (!fresh) throw notFound("Device");
      await assignInTrx(trx, who.actor, { asset: fresh, personId: body.personId, kind: body.kind, schoolId: asset.school_id ?? person.schoolIds.find((s) => s !== null) ?? null, dueOn: body.dueOn, rolloutId: null });
    },
    () => ({ action: "device.assign", subjectType: "person", subjectId: body.personId, details: { assetId, tag: asset.tag, kind: body.kind } }),
  );
  return getAsset(ctx, who.actor, assetId);
}

/** Ends a device's active assignment (a return or a collection), with the condition it came back in. */
async function checkInTrx(trx: Kysely<DB>, actor: Actor, asset: repo.AssetRow, condition: string | null, note: string): Promise<string | null> {
  if (!asset.assignment_id) throw new AppError("conflict", `${asset.tag} is not with anyone`);
  const at = nowIso();
  await repo.closeAssignment(trx, asset.assignment_id, { by: actor.personId, condition, at });
  const nextStatus = asset.status === "in_repair" ? "in_repair" : "in_stock";
  await repo.updateAssets(trx, actor.districtId, [asset.id], { status: nextStatus, ...(condition ? { condition } : {}) });
  await repo.insertEvents(trx, [deviceEvent({ districtId: actor.districtId, assetId: asset.id, kind: "returned", actorId: actor.personId, personId: asset.assignee_id, details: { ...(condition ? { condition } : {}), ...(note ? { note } : {}) }, at })]);
  return asset.assignee_id;
}

/** Takes a device back from whoever holds it. */
export async function returnAsset(ctx: Ctx, who: Writer, assetId: string, body: { condition: string | null; note: string }): Promise<TAssetDetail> {
  const asset = await managedAsset(ctx.db, who.actor, assetId);
  await auditedWrite(
    ctx,
    who,
    async (trx) => {
      const fresh = await repo.findAsset(trx, who.actor.districtId, asset.id);
      if (!fresh) throw notFound("Device");
      return checkInTrx(trx, who.actor, fresh, body.condition, body.note);
    },
    (personId) => ({ action: "device.return", subjectType: "person", subjectId: personId, details: { assetId, tag: asset.tag, condition: body.condition } }),
  );
  return getAsset(ctx, who.actor, assetId);
}

/** End-of-year collection: check a device in by its scanned tag, with a condition grade. */
export async function checkInByTag(ctx: Ctx, who: Writer, body: { tag: string; condition: string }): Promise<{ asset: TAsset; returnedBy: string | null }> {
  assertCanOpenInventory(who.actor);
  const found = await repo.findAssetByTag(ctx.db, who.actor.districtId, body.tag);
  // A tag of a school the caller does not look after is as unknown to them as a tag that does not exist.
  if (!found || !canReadAt(who.actor, found.school_id)) throw new AppError("not_found", `No device has the tag ${body.tag}`, { issues: [{ path: "body.tag", message: "unknown tag" }] });
  assertCanManageAt(who.actor, found.school_id, "body.tag");
  const names = await namesFor(ctx.db, [found]);
  const returnedBy = found.assignee_id ? (names.people.get(found.assignee_id) ?? null) : null;
  await auditedWrite(
    ctx,
    who,
    async (trx) => {
      const fresh = await repo.findAssetByTag(trx, who.actor.districtId, body.tag);
      if (!fresh) throw notFound("Device");
      return checkInTrx(trx, who.actor, fresh, body.condition, "");
    },
    (personId) => ({ action: "device.return", subjectType: "person", subjectId: personId, details: { assetId: found.id, tag: found.tag, condition: body.condition } }),
  );
  const after = await repo.findAsset(ctx.db, who.actor.districtId, found.id);
  if (!after) throw notFound("Device");
  return { asset: presentAsset(after, names), returnedBy };
}

/**
 * "Every 9th grader at school S gets a model X": gives each active student of that grade and school
 * without a device one from the in-stock pool (the school's own first, then the district's stock),
 * in one transaction. A dry run counts only.
 */
export async function assignByRule(ctx: Ctx, who: Writer, body: { schoolId: string; grade: string; modelId: string; dryRun: boolean }) {
  assertCanManageAt(who.actor, body.schoolId);
  const run = async (trx: Kysely<DB>) => {
    const students = await activeStudentsAt(trx, who.actor.districtId, [body.schoolId], gradeSpellings([body.grade]));
    const ids = [...new Set(students.map((s) => s.id))];
    const have = await repo.peopleWithDevice(trx, ids);
    const need = ids.filter((id) => !have.has(id));
    const pool = await repo.stockPool(trx, who.actor.districtId, body.schoolId, [body.modelId], need.length);
    const result = { dryRun: body.dryRun, students: ids.length, alreadyHave: have.size, assigned: Math.min(need.length, pool.length), shortBy: Math.max(0, need.length - pool.length) };
    if (body.dryRun) return result;
    const at = nowIso();
    const pairs = need.slice(0, pool.length).map((personId, i) => ({ personId, asset: pool[i] }));
    for (const { personId, asset } of pairs) {
      if (!asset) continue;
      await repo.insertAssignment(trx, { districtId: who.actor.districtId, assetId: asset.id, personId, kind: "assigned", schoolId: body.schoolId, rolloutId: null, dueOn: null, by: who.actor.personId, at });
    }
    const assetIds = pairs.flatMap((p) => (p.asset ? [p.asset.id] : []));
    for (let i = 0; i < assetIds.length; i += repo.INSERT_CHUNK) await repo.updateAssets(trx, who.actor.districtId, assetIds.slice(i, i + repo.INSERT_CHUNK), { status: "assigned" });
    await repo.insertEvents(
      trx,
      pairs.flatMap((p) => (p.asset ? [deviceEvent({ districtId: who.actor.districtId, assetId: p.asset.id, kind: "assigned", actorId: who.actor.personId, personId: p.personId, details: { rule: { grade: body.grade, modelId: body.modelId } }, at })] : [])),
    );
    return result;
  };
  if (body.dryRun) return run(ctx.db);
  try {
    return await auditedWrite(ctx, who, run, (r) => ({ action: "device.assign_rule", subjectType: "school", subjectId: body.schoolId, details: { ...r, grade: body.grade, modelId: body.modelId } }));
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("conflict", "Another assignment took one of these devices at the same moment; try again");
    throw err;
  }
}

/** Devices still with people who left the roster (inactive), at the caller's schools: the list to collect. */
export async function toCollect(ctx: Ctx, who: Writer) {
  assertCanOpenInventory(who.actor);
  const open = await repo.openAssignments(ctx.db, who.actor.districtId, inventoryReadSchools(who.actor));
  const facts = await personFacts(ctx.db, open.map((o) => o.person_id));
  const gone = open.filter((o) => facts.get(o.person_id)?.status === "inactive").slice(0, 2000);
  const assets = await presentAssets(ctx.db, await repo.assetsByIds(ctx.db, who.actor.districtId, gone.map((o) => o.asset_id)));
  const byId = new Map(assets.map((a) => [a.id, a]));
  await recordAudit(ctx.db, who, { action: "device.collect.list", details: { count: gone.length } });
  return {
    items: gone.flatMap((o) => {
      const asset = byId.get(o.asset_id);
      return asset ? [{ asset, personId: o.person_id, personName: facts.get(o.person_id)?.name ?? "Unknown person", since: o.assigned_at }] : [];
    }),
  };
}

/** Most overdue loans a list answers (a district with more has a bigger problem than a long list). */
export const OVERDUE_LIMIT = 5000;

/**
 * Loaners past their due date at the caller's schools (or one of them), by school then due date: who
 * has which device and for how many days too long. "Overdue" counts from today in UTC. Audited: it
 * names students.
 */
export async function overdueLoans(ctx: Ctx, who: Writer, query: { schoolId?: string | undefined }, format: "json" | "csv"): Promise<TOverdueLoans> {
  assertCanOpenInventory(who.actor);
  if (query.schoolId !== undefined && !canReadAt(who.actor, query.schoolId)) throw fieldError("query.schoolId", "is not one of your schools");
  const today = nowIso().slice(0, 10);
  const rows = await repo.overdueLoans(ctx.db, who.actor.districtId, query.schoolId !== undefined ? [query.schoolId] : inventoryReadSchools(who.actor), today, OVERDUE_LIMIT + 1);
  const loans = rows.slice(0, OVERDUE_LIMIT);
  const [facts, assetRows] = await Promise.all([personFacts(ctx.db, loans.map((l) => l.person_id)), repo.assetsByIds(ctx.db, who.actor.districtId, loans.map((l) => l.asset_id))]);
  const assets = new Map((await presentAssets(ctx.db, assetRows)).map((a) => [a.id, a]));
  const schoolNames = await schoolNamesByIds(ctx.db, loans.map((l) => l.school_id).filter((s): s is string => s !== null));
  const dayMs = 86_400_000;
  const items = loans.flatMap((l) => {
    const asset = assets.get(l.asset_id);
    if (!asset || l.due_on === null) return [];
    return [
      {
        asset,
        personId: l.person_id,
        personName: facts.get(l.person_id)?.name ?? "Unknown person",
        schoolId: l.school_id,
        schoolName: l.school_id ? (schoolNames.get(l.school_id) ?? null) : null,
        dueOn: l.due_on,
        daysOverdue: Math.round((Date.parse(today) - Date.parse(l.due_on)) / dayMs),
      },
    ];
  });
  await recordAudit(ctx.db, who, { action: "device.loans.overdue", details: { count: items.length, format, ...(query.schoolId ? { schoolId: query.schoolId } : {}) } });
  return { items, totalIsCapped: rows.length > OVERDUE_LIMIT };
}

// ---- Repairs ----

/**
 * Sends a device to repair in the caller's transaction (also the help desk's way in, through api.ts):
 * the device stays with its holder, marked in repair, until the repair closes.
 */
export async function openRepairInTrx(trx: Kysely<DB>, actor: Actor, r: { assetId: string; vendor?: string; costCents?: number | null; ticketId: string | null; note: string; openedOn?: string }): Promise<string> {
  // Two "send to repair" at once (from the ticket and from the device page): the second waits here,
  // then reads the device in repair and is refused, instead of opening a second repair.
  await lockFor(trx, trx.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite", `device:${r.assetId}`);
  const asset = await repo.findAsset(trx, actor.districtId, r.assetId);
  if (!asset) throw notFound("Device");
  if (asset.status === "in_repair") throw new AppError("conflict", `${asset.tag} is already in repair`);
  if (asset.status === "retired" || asset.status === "lost" || asset.status === "stolen") throw new AppError("conflict", `${asset.tag} is ${asset.status}`);
  const openedOn = r.openedOn ?? nowIso().slice(0, 10);
  const id = await repo.insertRepair(trx, { districtId: actor.districtId, assetId: asset.id, vendor: r.vendor ?? "", costCents: r.costCents ?? null, ticketId: r.ticketId, note: r.note, openedOn, by: actor.personId });
  await repo.updateAssets(trx, actor.districtId, [asset.id], { status: "in_repair" });
  await repo.insertEvents(trx, [deviceEvent({ districtId: actor.districtId, assetId: asset.id, kind: "repair_opened", actorId: actor.personId, personId: asset.assignee_id, details: { repairId: id, vendor: r.vendor ?? "", ticketId: r.ticketId, note: r.note } })]);
  return id;
}

export async function openRepair(
  ctx: Ctx,
  who: Writer,
  assetId: string,
  body: { vendor: string; costCents: number | null; ticketId: string | null; openTicket?: boolean; note: string; openedOn?: string },
): Promise<TAssetDetail> {
  const asset = await managedAsset(ctx.db, who.actor, assetId);
  const { openTicket: withTicket, ...repair } = body;
  const schoolId = asset.school_id;
  if (withTicket && !body.ticketId && !schoolId) throw fieldError("body.openTicket", "a device of the district's stock has no school whose help desk would take the ticket");
  let opened: Awaited<ReturnType<typeof openTicket>> | undefined;
  await auditedWrite(
    ctx,
    who,
    async (trx) => {
      // "A broken device is a ticket": the help desk's ticket, for the holder (or IT), opened in this transaction.
      opened =
        withTicket && !body.ticketId && schoolId
          ? await openTicket(trx, ctx, who, { requesterId: asset.assignee_id ?? who.actor.personId, schoolId, categoryKey: "broken", description: body.note.trim() || `${asset.tag} sent to repair`, assetId: asset.id })
          : undefined;
      repair.ticketId = opened?.id ?? body.ticketId;
      return openRepairInTrx(trx, who.actor, { assetId: asset.id, ...repair });
    },
    (repairId) => ({ action: "device.repair.open", subjectType: "device_asset", subjectId: assetId, details: { repairId, ticketId: repair.ticketId } }),
  );
  await opened?.announce();
  return getAsset(ctx, who.actor, assetId);
}

/** Closes a repair: the device goes back to its holder (assigned or on loan) or into stock. */
export async function closeRepair(ctx: Ctx, who: Writer, repairId: string, body: { closedOn: string; costCents?: number | null }): Promise<TAssetDetail> {
  const repair = await repo.findRepair(ctx.db, who.actor.districtId, repairId);
  if (!repair) throw notFound("Repair");
  const asset = await managedAsset(ctx.db, who.actor, repair.asset_id);
  if (repair.closed_on) throw new AppError("conflict", "This repair is already closed");
  if (body.closedOn < repair.opened_on) throw fieldError("body.closedOn", "is before the repair was opened");
  await auditedWrite(
    ctx,
    who,
    async (trx) => {
      const fresh = await repo.findAsset(trx, who.actor.districtId, asset.id);
      if (!fresh) throw notFound("Device");
      await repo.closeRepair(trx, repairId, body);
      const status = fresh.assignment_kind === "loaner" ? "loaner" : fresh.assignment_id ? "assigned" : "in_stock";
      await repo.updateAssets(trx, who.actor.districtId, [fresh.id], { status });
      await repo.insertEvents(trx, [deviceEvent({ districtId: who.actor.districtId, assetId: fresh.id, kind: "repair_closed", actorId: who.actor.personId, personId: fresh.assignee_id, details: { repairId, closedOn: body.closedOn } })]);
    },
    () => ({ action: "device.repair.close", subjectType: "device_asset", subjectId: asset.id, details: { repairId } }),
  );
  return getAsset(ctx, who.actor, asset.id);
}
