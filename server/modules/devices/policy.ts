import {
  canBookAt,
  canManageInventoryAt,
  canManageModels,
  canManageResourcesAt,
  canManageRollout,
  canOpenInventory,
  canReadInventoryAt,
  canRunStation,
  canSeeBoard,
} from "../../../shared/policy/devices.js";
import type { Actor } from "../../auth/actor.js";
import { AppError, forbidden } from "../../errors.js";

// The server's side of shared/policy/devices.ts: the same rules, refusing with a 403.

export function assertCanOpenInventory(actor: Actor): void {
  if (!canOpenInventory(actor)) throw forbidden("The device inventory is for IT staff, school leaders and district admins");
}
export function assertCanManageAt(actor: Actor, schoolId: string | null, field = "body.schoolId"): void {
  if (!canManageInventoryAt(actor, schoolId)) {
    throw new AppError("forbidden", schoolId === null ? `${field}: only district admins and district-wide IT staff manage the district's stock` : `${field}: you do not manage devices at this school`);
  }
}
export const canReadAt = canReadInventoryAt;
export function assertCanManageModels(actor: Actor): void {
  if (!canManageModels(actor)) throw forbidden("Only IT staff and district admins add device models");
}
export function assertCanManageRollout(actor: Actor, schoolIds: readonly string[]): void {
  if (!canManageRollout(actor, schoolIds)) throw new AppError("forbidden", "body.schoolIds: you do not manage devices at every one of these schools");
}
export function assertCanRunStation(actor: Actor, schoolIds: readonly string[]): void {
  if (!canRunStation(actor, schoolIds)) throw forbidden("Pickup stations are run by IT staff, coaches and student techs of the rollout's schools");
}
export function assertCanSeeBoard(actor: Actor, schoolIds: readonly string[]): void {
  if (!canSeeBoard(actor, schoolIds)) throw forbidden("The rollout's board is for the staff of its schools");
}
export function assertCanBookAt(actor: Actor, schoolId: string): void {
  if (!canBookAt(actor, schoolId)) throw forbidden("Only the school's staff book its carts, labs and rooms");
}
export function assertCanManageResourcesAt(actor: Actor, schoolId: string): void {
  if (!canManageResourcesAt(actor, schoolId)) throw new AppError("forbidden", "body.schoolId: you do not manage devices at this school");
}
