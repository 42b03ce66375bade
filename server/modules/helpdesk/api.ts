import type { Kysely } from "kysely";
import type { TicketStatus } from "../../../shared/schemas/helpdesk.js";
import { STUDENT_ROLES, isRole } from "../../../shared/roles.js";
import type { Ctx } from "../../context.js";
import type { DB } from "../../db/schema.js";
import { fieldError } from "../../errors.js";
import type { Writer } from "../../platform/writes.js";
import { rolesOf } from "../people/api.js";
import { isSchoolOfDistrict } from "../schools/api.js";
import { reference } from "./defaults.js";
import * as repo from "./helpdesk.repository.js";
import { announceQueues, insertTicketTx } from "./helpdesk.service.js";

// The help desk's API for other modules (the devices module opens a repair ticket for a broken device).

/**
 * Opens a ticket inside the caller's transaction (rolled back with it), audited as `who`. The caller
 * has already decided `who` may do this; the requester must belong to the school. Students' tickets
 * go to the student help desk, everyone else's to the school's tech. Throws a 400 naming the field.
 * Once the transaction has committed, the caller runs `announce` so desk screens show the ticket.
 */
export async function openTicket(
  trx: Kysely<DB>,
  ctx: Ctx,
  who: Writer,
  input: { requesterId: string; schoolId: string; categoryKey: string; description: string; title?: string; location?: string; assetId?: string | null },
): Promise<{ id: string; announce: () => Promise<void> }> {
  if (!(await isSchoolOfDistrict(trx, who.actor.districtId, input.schoolId))) throw fieldError("body.schoolId", "is not a school of this district");
  const grants = await rolesOf(trx, [input.requesterId]);
  if (!grants.some((g) => g.school_id === null || g.school_id === input.schoolId)) throw fieldError("body.requesterId", "does not belong to this school");
  const isStudent = grants.every((g) => isRole(g.role) && STUDENT_ROLES.includes(g.role));
  const ref = await reference(ctx.db, who.actor.districtId);
  const { row } = await insertTicketTx(trx, who, { ...input, via: "module" }, ref, isStudent);
  return { id: row.id, announce: () => announceQueues(ctx, ref, [row.queue_id]) };
}

/** A device's open tickets in the district (the devices page lists them), newest first, at most 20. */
export async function openTicketsOfAsset(db: Kysely<DB>, districtId: string, assetId: string): Promise<{ id: string; status: TicketStatus; title: string; assetId: string | null }[]> {
  const rows = await repo.openTicketsOfAsset(db, districtId, assetId);
  return rows.map((r) => ({ id: r.id, status: r.status, title: r.title, assetId: r.asset_id }));
}

/** Tickets by id, for showing next to another module's records (status and title only). */
export async function ticketsByIds(db: Kysely<DB>, ids: readonly string[]): Promise<{ id: string; status: TicketStatus; title: string; assetId: string | null }[]> {
  const rows = await repo.ticketsByIds(db, ids);
  return rows.map((r) => ({ id: r.id, status: r.status, title: r.title, assetId: r.asset_id }));
}
