import { canCoachAt, canLogCoaching } from "../../../shared/policy/coaching.js";
import type { Actor } from "../../auth/actor.js";
import { AppError, forbidden } from "../../errors.js";

// The server's side of shared/policy/coaching.ts: the same rules, refusing with a 403.

export function assertCanLogCoaching(actor: Actor): void {
  if (!canLogCoaching(actor)) throw forbidden("Only coaches keep a coaching log");
}

/** A coach may log and open cycles only at schools they coach. */
export function assertCanCoachAt(actor: Actor, schoolId: string | null, field = "body.schoolId"): void {
  if (!canCoachAt(actor, schoolId)) throw new AppError("forbidden", `${field}: you do not coach at this school`);
}
