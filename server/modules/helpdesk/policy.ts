import {
  canEscalateTicket,
  canManageHelpdesk,
  canReadTicket,
  canSeeReports,
  canWorkTicket,
  isDeskMember,
  type TicketFacts,
} from "../../../shared/policy/helpdesk.js";
import type { Actor } from "../../auth/actor.js";
import { forbidden } from "../../errors.js";

// The server's side of shared/policy/helpdesk.ts: the same rules, refusing with a 403.

export function assertCanReadTicket(actor: Actor, t: TicketFacts): void {
  if (!canReadTicket(actor, t)) throw forbidden("This ticket is not yours, and you do not work its queue at its school");
}
export function assertCanWorkTicket(actor: Actor, t: TicketFacts): void {
  if (!canWorkTicket(actor, t)) throw forbidden("Only the desk that handles this ticket's queue at its school works it");
}
export function assertCanEscalate(actor: Actor, t: TicketFacts): void {
  if (!canEscalateTicket(actor, t)) throw forbidden("Only the school's tech staff escalate tickets to departments and contractors");
}
export function assertCanManage(actor: Actor): void {
  if (!canManageHelpdesk(actor)) throw forbidden("Only district admins manage the help desk's departments, queues and canned replies");
}
export function assertDeskMember(actor: Actor): void {
  if (!isDeskMember(actor)) throw forbidden("Only the help desk's staff and student assistants see this");
}
export function assertCanSeeReports(actor: Actor): void {
  if (!canSeeReports(actor)) throw forbidden("Help desk reports are for the desk's staff and school leaders");
}
