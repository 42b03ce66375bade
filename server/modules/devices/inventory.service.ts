import type { Insertable, Kysely } from "kysely";
import { inventoryManageSchools, inventoryReadSchools, canReadPersonDevices } from "../../../shared/policy/devices.js";
import type { TList } from "../../../shared/schemas/common.js";
import type { TLinkedTicket } from "../../../shared/schemas/devices.js";
import { OPEN_STATUSES } from "../../../shared/schemas/helpdesk.js";
import type {
  TAsset,
  TAssetChanges,
  TAssetDetail,
  TCreateAssetRequest,
  TDeviceModel,
  TListAssetsQuery,
  TPersonDevices,
} from "../../../shared/schemas/devices.js";
import type { Actor } from "../../auth/actor.js";
import type { Ctx } from "../../context.js";
import { isUniqueViolation } from "../../db/index.js";
import type { DB, DeviceEventsTable } from "../../db/schema.js";
import { AppError, fieldError, notFound } from "../../errors.js";
import { newId, nowIso } from "../../lib.js";
import { recordAudit } from "../audit/api.js";
import * as helpdesk from "../helpdesk/api.js";
import { displayName, namesByIds, personFacts } from "../people/api.js";
import { isSchoolOfDistrict, schoolNamesByIds } from "../schools/api.js";
import { paginate } from "../../platform/pagination.js";
import { auditedWrite, type Writer } from "../../platform/writes.js";
import * as repo from "./devices.repository.js";
import { presentAsset, presentEvent, presentRepair, type Names } from "./devices.presenters.js";
import { assertCanManageAt, assertCanManageModels, assertCanOpenInventory, canReadAt } from "./policy.js";

// The inventory: models, assets, their edits (one by one and in bulk), and every change as an event.

/** A device event row, ready to insert. */
export function deviceEvent(e: { districtId: string; assetId: string; kind: string; actorId: string | null; personId?: string | null; details?: Record<string, unknown>; at?: string }): Insertable<DeviceEventsTable> {
  return { id: newId(), district_id: e.districtId, asset_id: e.assetId, person_id: e.personId ?? null, kind: e.kind, details: JSON.stringify(e.details ?? {}), actor_id: e.actorId, at: e.at ?? nowIso() };
}

/** Names of the people and schools the given rows mention. */
export async function namesFor(db: Kysely<DB>, rows: readonly repo.AssetRow[], extraPeople: readonly (string | null)[] = []): Promise<Names> {
  const [people, schools] = await Promise.all([
    namesByIds(db, [...rows.map((r) => r.assignee_id), ...extraPeople].filter((id): id is string => id !== null)),
    schoolNamesByIds(db, rows.map((r) => r.school_id)),
  ]);
  return { people: new Map([...people].map(([id]) => [id, displayName(people, id)])), schools };
}

export async function presentAssets(db: Kysely<DB>, rows: readonly repo.AssetRow[]): Promise<TAsset[]> {
  const names = await namesFor(db, rows);
  return rows.map((r) => presentAsset(r, names));
}

// ---- Models ----

/** The district's device models with how many assets each has. */
export async function listModels(ctx: Ctx, actor: Actor): Promise<{ items: TDeviceModel[] }> {
  assertCanOpenInventory(actor);
  const rows = await repo.listModels(ctx.db, actor.districtId);
  return { items: rows.map((r) => ({ id: r.id, name: r.name, maker: r.maker, kind: r.kind as TDeviceModel["kind"], assets: Number(r.assets) })) };
}

/** Adds a model (a name the district's imports and rollouts refer to). */
export async function createModel(ctx: Ctx, who: Writer, body: { name: string; maker: string; kind: string }): Promise<TDeviceModel> {
  assertCanManageModels(who.actor);
  try {
    const id = await auditedWrite(
      ctx,
      who,
      (trx) => repo.insertModel(trx, { districtId: who.actor.districtId, ...body }),
      (modelId) => ({ action: "device.model.create", details: { modelId, name: body.name } }),
    );
    return { id, name: body.name, maker: body.maker, kind: body.kind as TDeviceModel["kind"], assets: 0 };
  } catch (err) {
    if (isUniqueViolation(err)) throw fieldError("body.name", "a model of this name exists");
    throw err;
  }
}

// ---- Assets ----

function filterFor(actor: Actor, q: Partial<TListAssetsQuery>): repo.AssetFilter {
  return {
    districtId: actor.districtId,
    schools: inventoryReadSchools(actor),
    q: q.q || undefined,
    status: q.status,
    modelId: q.modelId,
    schoolId: q.schoolId,
    isLoaner: q.isLoaner === undefined ? undefined : q.isLoaner === "true",
  };
}

/** Assets at the caller's schools, by tag, with search and filters. */
export async function listAssets(ctx: Ctx, actor: Actor, q: TListAssetsQuery): Promise<TList<TAsset>> {
  assertCanOpenInventory(actor);
  const f = filterFor(actor, q);
  const page = await paginate<repo.AssetRow, string>({
    query: q,
    cursorOf: (r: repo.AssetRow) => [r.tag],
    readCursor: ([tag]) => (typeof tag === "string" ? tag : undefined),
    fetch: (after, limit) => repo.listAssets(ctx.db, f, after, limit),
    count: (upTo) => repo.countAssets(ctx.db, f, upTo),
    countCap: 100_000,
  });
  return { ...page, items: await presentAssets(ctx.db, page.items) };
}

/** Every asset of the filter, for the CSV export. */
export async function* exportAssets(ctx: Ctx, actor: Actor, q: Partial<TListAssetsQuery>): AsyncGenerator<Record<string, string | null>> {
  assertCanOpenInventory(actor);
  for await (const rows of repo.allAssets(ctx.db, filterFor(actor, q))) {
    for (const a of await presentAssets(ctx.db, rows)) {
      yield {
        tag: a.tag,
        serial: a.serial,
        model: a.modelName,
        status: a.status,
        school: a.schoolName,
        room: a.room,
        assignedTo: a.assignee?.name ?? null,
        purchaseDate: a.purchaseDate,
        warrantyEnd: a.warrantyEnd,
        fundingSource: a.fundingSource,
        loaner: a.isLoaner ? "yes" : "no",
        condition: a.condition,
        notes: a.notes,
      };
    }
  }
}

/** An asset the caller may read, or a 404 (its existence stays hidden). */
export async function readableAsset(db: Kysely<DB>, actor: Actor, id: string): Promise<repo.AssetRow> {
  const row = await repo.findAsset(db, actor.districtId, id);
  if (!row || !canReadAt(actor, row.school_id)) throw notFound("Device");
  return row;
}
/** An asset the caller manages: 404 when they cannot read it, 403 when they read but do not manage it. */
export async function managedAsset(db: Kysely<DB>, actor: Actor, id: string): Promise<repo.AssetRow> {
  const row = await readableAsset(db, actor, id);
  assertCanManageAt(actor, row.school_id, "schoolId");
  return row;
}

/** The help desk's tickets about a device: its open ones, then those its repairs name (the help desk's api). */
async function linkedTickets(db: Kysely<DB>, districtId: string, assetId: string, repairTicketIds: readonly string[]): Promise<TLinkedTicket[]> {
  const [open, named] = await Promise.all([helpdesk.openTicketsOfAsset(db, districtId, assetId), helpdesk.ticketsByIds(db, repairTicketIds)]);
  const seen = new Set<string>();
  return [...open, ...named].flatMap((t) => {
    if (seen.has(t.id)) return [];
    seen.add(t.id);
    return [{ id: t.id, title: t.title, status: t.status, open: OPEN_STATUSES.includes(t.status) }];
  });
}

/** One asset with its timeline (every change) and its repairs. */
export async function getAsset(ctx: Ctx, actor: Actor, id: string): Promise<TAssetDetail> {
  const row = await readableAsset(ctx.db, actor, id);
  const [events, repairs] = await Promise.all([repo.eventsOf(ctx.db, { assetId: id }), repo.repairsOf(ctx.db, id)]);
  const names = await namesFor(ctx.db, [row], events.flatMap((e) => [e.actor_id, e.person_id]));
  const manageScope = inventoryManageSchools(actor);
  return {
    ...presentAsset(row, names),
    history: events.map((e) => presentEvent(e, names.people)),
    repairs: repairs.map(presentRepair),
    tickets: await linkedTickets(ctx.db, actor.districtId, id, repairs.flatMap((r) => (r.ticket_id ? [r.ticket_id] : []))),
    canManage: manageScope === "all" || (row.school_id !== null && manageScope.includes(row.school_id)),
  };
}

async function checkModelAndSchool(db: Kysely<DB>, actor: Actor, c: { modelId?: string; schoolId?: string | null }, prefix = "body"): Promise<void> {
  if (c.modelId !== undefined) {
    const models = await repo.listModels(db, actor.districtId);
    if (!models.some((m) => m.id === c.modelId)) throw fieldError(`${prefix}.modelId`, "is not a model of this district");
  }
  if (c.schoolId !== undefined && c.schoolId !== null && !(await isSchoolOfDistrict(db, actor.districtId, c.schoolId))) throw fieldError(`${prefix}.schoolId`, "is not a school of this district");
  if (c.schoolId !== undefined) assertCanManageAt(actor, c.schoolId, `${prefix}.schoolId`);
}

/** Adds one asset by hand. */
export async function createAsset(ctx: Ctx, who: Writer, body: TCreateAssetRequest): Promise<TAssetDetail> {
  await checkModelAndSchool(ctx.db, who.actor, body);
  const id = newId();
  const now = nowIso();
  try {
    await auditedWrite(
      ctx,
      who,
      (trx) =>
        repo.insertAssets(
          trx,
          [
            {
              id,
              district_id: who.actor.districtId,
              tag: body.tag,
              serial: body.serial,
              model_id: body.modelId,
              status: "in_stock",
              is_loaner: body.isLoaner ? 1 : 0,
              school_id: body.schoolId,
              room: body.room,
              purchase_date: body.purchaseDate,
              warranty_end: body.warrantyEnd,
              funding_source: body.fundingSource,
              notes: body.notes,
              condition: null,
              created_at: now,
              updated_at: now,
            },
          ],
          [deviceEvent({ districtId: who.actor.districtId, assetId: id, kind: "created", actorId: who.actor.personId, details: { tag: body.tag, serial: body.serial } })],
        ),
      () => ({ action: "device.asset.create", subjectType: "device_asset", subjectId: id, details: { tag: body.tag } }),
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("conflict", "A device with this tag or serial number is already in the inventory", { issues: [{ path: "body.tag", message: "tag or serial already in the inventory" }] });
    throw err;
  }
  return getAsset(ctx, who.actor, id);
}

const COLUMN_OF = {
  modelId: "model_id",
  schoolId: "school_id",
  room: "room",
  purchaseDate: "purchase_date",
  warrantyEnd: "warranty_end",
  fundingSource: "funding_source",
  notes: "notes",
  isLoaner: "is_loaner",
  status: "status",
} as const;

/**
 * Applies the same changes to assets in one transaction, one event per asset naming each changed
 * field (before → after). A status of lost, stolen or retired ends the device's active assignment.
 */
async function applyChanges(trx: Kysely<DB>, actor: Actor, rows: readonly repo.AssetRow[], changes: TAssetChanges): Promise<void> {
  const set: repo.AssetColumns = {};
  for (const [key, column] of Object.entries(COLUMN_OF) as [keyof TAssetChanges, (typeof COLUMN_OF)[keyof typeof COLUMN_OF]][]) {
    const value = changes[key];
    if (value === undefined) continue;
    (set as Record<string, unknown>)[column] = typeof value === "boolean" ? (value ? 1 : 0) : value;
  }
  const now = nowIso();
  const events: Insertable<DeviceEventsTable>[] = [];
  for (const row of rows) {
    if (changes.status === "in_stock" && row.assignment_id) throw new AppError("conflict", `${row.tag} is with someone: check it in first`);
    if (changes.status !== undefined && row.status === "in_repair") throw new AppError("conflict", `${row.tag} is in repair: close the repair first`);
    const diff: Record<string, [unknown, unknown]> = {};
    for (const [column, value] of Object.entries(set)) {
      const before = (row as Record<string, unknown>)[column];
      if (before !== value && !(column === "is_loaner" && Number(before) === value)) diff[column] = [before, value];
    }
    if (Object.keys(diff).length === 0) continue;
    events.push(deviceEvent({ districtId: actor.districtId, assetId: row.id, kind: changes.status && changes.status !== row.status ? changes.status : "updated", actorId: actor.personId, personId: row.assignee_id, details: diff, at: now }));
    if (row.assignment_id && changes.status && changes.status !== "in_stock") {
      await repo.closeAssignment(trx, row.assignment_id, { by: actor.personId, condition: null, at: now });
    }
  }
  await repo.updateAssets(trx, actor.districtId, rows.map((r) => r.id), set);
  await repo.insertEvents(trx, events);
}

/** Edits one asset (and marks it lost, stolen, retired or back in stock). */
export async function updateAsset(ctx: Ctx, who: Writer, id: string, changes: TAssetChanges): Promise<TAssetDetail> {
  const row = await managedAsset(ctx.db, who.actor, id);
  await checkModelAndSchool(ctx.db, who.actor, changes);
  await auditedWrite(
    ctx,
    who,
    async (trx) => {
      const fresh = await repo.findAsset(trx, who.actor.districtId, row.id);
      if (!fresh) throw notFound("Device");
      await applyChanges(trx, who.actor, [fresh], changes);
    },
    () => ({ action: "device.asset.update", subjectType: "device_asset", subjectId: id, details: { ...changes } }),
  );
  return getAsset(ctx, who.actor, id);
}

/** The same edit on many assets, all or nothing. */
export async function bulkEdit(ctx: Ctx, who: Writer, ids: readonly string[], changes: TAssetChanges): Promise<{ updated: number }> {
  await checkModelAndSchool(ctx.db, who.actor, changes, "body.changes");
  return auditedWrite(
    ctx,
    who,
    async (trx) => {
      const rows = await repo.assetsByIds(trx, who.actor.districtId, ids);
      const found = new Set(rows.map((r) => r.id));
      const missing = ids.findIndex((id) => !found.has(id));
      if (missing >= 0) throw fieldError(`body.ids.${missing}`, "is not a device of this district");
      rows.forEach((r) => assertCanManageAt(who.actor, r.school_id, `device ${r.tag}`));
      await applyChanges(trx, who.actor, rows, changes);
      return { updated: rows.length };
    },
    (r) => ({ action: "device.asset.bulk_update", details: { count: r.updated, changes: { ...changes } } }),
  );
}

// ---- A person's devices ----

/** The devices a person holds now and the history of every device they held (their own, or staff who look after their school). */
export async function personDevices(ctx: Ctx, who: Writer, personId: string): Promise<TPersonDevices> {
  const facts = (await personFacts(ctx.db, [personId])).get(personId);
  if (!facts || facts.districtId !== who.actor.districtId || !canReadPersonDevices(who.actor, { id: personId, schoolIds: facts.schoolIds })) throw notFound("Person");
  const [current, events] = await Promise.all([repo.currentAssetsOf(ctx.db, [personId]), repo.eventsOf(ctx.db, { personId })]);
  const names = await namesFor(ctx.db, current, events.flatMap((e) => [e.actor_id, e.person_id]));
  if (facts.isStudent && personId !== who.actor.personId) {
    await recordAudit(ctx.db, who, { action: "device.person.read", subjectType: "person", subjectId: personId });
  }
  return { personId, current: current.map((r) => presentAsset(r, names)), history: events.map((e) => presentEvent(e, names.people)) };
}
