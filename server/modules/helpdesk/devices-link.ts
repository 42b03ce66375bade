import type { Kysely } from "kysely";
import { canManageInventoryAt } from "../../../shared/policy/devices.js";
import type { TTicketDevice } from "../../../shared/schemas/helpdesk.js";
import type { Actor } from "../../auth/actor.js";
import type { Ctx } from "../../context.js";
import type { DB } from "../../db/schema.js";
import { fieldError } from "../../errors.js";
import type { Writer } from "../../platform/writes.js";
import { assetsByIds, openRepair } from "../devices/api.js";
import * as repo from "./helpdesk.repository.js";

// The help desk's side of the link with the devices module: a ticket names a device (checked to be
// one of the district's), shows it, and sends it to repair inside the ticket's own transaction.

/** Statuses from which a device can no longer be sent to repair (the devices module refuses with 409). */
const CANNOT_REPAIR = new Set(["in_repair", "lost", "stolen", "retired"]);

/** The ticket's device must be one of the caller's district: a clear 400 naming the field otherwise. */
export async function assertDeviceOfDistrict(db: Kysely<DB>, districtId: string, assetId: string): Promise<void> {
  const found = await assetsByIds(db, [assetId], districtId);
  if (!found.has(assetId)) throw fieldError("body.assetId", "is not a device of this district");
}

/** The device as the ticket shows it (null when the ticket names none, or it is gone or of another district). */
export async function ticketDevice(db: Kysely<DB>, districtId: string, assetId: string | null): Promise<TTicketDevice | null> {
  if (!assetId) return null;
  const a = (await assetsByIds(db, [assetId], districtId)).get(assetId);
  return a ? { id: a.id, tag: a.tag, modelName: a.modelName, status: a.status, schoolName: a.schoolName } : null;
}

/** Whether the actor may send this device to repair now: they manage devices at its school, and it can go. */
export async function canSendToRepair(db: Kysely<DB>, actor: Actor, assetId: string | null): Promise<boolean> {
  if (!assetId) return false;
  const a = (await assetsByIds(db, [assetId], actor.districtId)).get(assetId);
  return !!a && !CANNOT_REPAIR.has(a.status) && canManageInventoryAt(actor, a.schoolId);
}

/**
 * Sends the ticket's device to repair in the caller's transaction (the devices module checks who may,
 * 403, and whether it can go, 409) and notes it in the ticket's history. Returns the repair's id.
 */
export async function sendDeviceToRepairTx(trx: Kysely<DB>, ctx: Ctx, who: Writer, ticket: { id: string; assetId: string }, note: string): Promise<string> {
  const repairId = await openRepair(trx, ctx, who, { assetId: ticket.assetId, ticketId: ticket.id, note });
  await repo.insertHistory(trx, ticket.id, { id: who.actor.personId }, [{ field: "device", from: null, to: "in_repair" }]);
  return repairId;
}
