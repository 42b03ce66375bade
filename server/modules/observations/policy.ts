import {
  canManageRubrics,
  canObserve,
  canObserveAt,
  canReadRubrics,
} from "../../../shared/policy/observations.js";
import type { Actor } from "../../auth/actor.js";
import { AppError, forbidden } from "../../errors.js";

// The server's side of shared/policy/observations.ts: the same rules, refusing with a 403.

export function assertCanObserve(actor: Actor): void {
  if (!canObserve(actor)) throw forbidden("Only coaches and district admins observe classrooms");
}

/** A coach observes only at the schools they coach. */
export function assertCanObserveAt(actor: Actor, schoolId: string, field = "body.schoolId"): void {
  if (!canObserveAt(actor, schoolId)) throw new AppError("forbidden", `${field}: you do not coach at this school`);
}

export function assertCanReadRubrics(actor: Actor): void {
  if (!canReadRubrics(actor)) throw forbidden("Rubrics are for the district's staff");
}

export function assertCanManageRubrics(actor: Actor): void {
  if (!canManageRubrics(actor)) throw forbidden("Only district admins manage rubrics and the app list");
}
