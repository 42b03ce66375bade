import type { Kysely } from "kysely";
import type { Ctx } from "../../context.js";
import type { DB } from "../../db/schema.js";
import type { Writer } from "../../platform/writes.js";
import { recordAudit } from "../audit/api.js";
import { schoolNamesByIds } from "../schools/api.js";
import * as repo from "./devices.repository.js";
import { openRepairInTrx } from "./assignment.service.js";
import { assertCanManageAt } from "./policy.js";

// The devices module's API for other modules (the help desk): what a ticket shows of a device, and
// "a broken device opens a repair" in the ticket's own transaction.

export type AssetSummary = { id: string; tag: string; modelName: string; status: string; schoolId: string | null; schoolName: string | null };

/** Devices by id (id, tag, model name, status, school); only the district's when `districtId` is given. */
export async function assetsByIds(db: Kysely<DB>, ids: readonly string[], districtId: string | null = null): Promise<Map<string, AssetSummary>> {
  const rows = await repo.assetsByIds(db, districtId, ids);
  const schools = await schoolNamesByIds(db, rows.map((r) => r.school_id));
  return new Map(rows.map((r) => [r.id, { id: r.id, tag: r.tag, modelName: r.model_name, status: r.status, schoolId: r.school_id, schoolName: r.school_id ? (schools.get(r.school_id) ?? null) : null }]));
}

/**
 * Sends a device to repair inside the caller's transaction (a help desk ticket about a broken device),
 * linked to the ticket by number, with its audit record. The caller must manage devices at the
 * device's school (IT staff, district admins); otherwise 403. 404 for a device of another district,
 * 409 when it is already in repair, lost, stolen or retired. Returns the repair's id.
 */
export async function openRepair(trx: Kysely<DB>, _ctx: Ctx, who: Writer, r: { assetId: string; ticketId: string | null; note: string }): Promise<string> {
  const asset = await repo.findAsset(trx, who.actor.districtId, r.assetId);
  if (asset) assertCanManageAt(who.actor, asset.school_id, "assetId");
  const id = await openRepairInTrx(trx, who.actor, { assetId: r.assetId, ticketId: r.ticketId, note: r.note });
  await recordAudit(trx, who, { action: "device.repair.open", subjectType: "device_asset", subjectId: r.assetId, details: { repairId: id, ticketId: r.ticketId } });
  return id;
}
