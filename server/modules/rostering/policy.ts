import { canImportRosters } from "../../../shared/policy/admin.js";
import type { Actor } from "../../auth/actor.js";
import { forbidden } from "../../errors.js";

export function assertCanImportRosters(actor: Actor): void {
  if (!canImportRosters(actor)) throw forbidden("Only a district admin can import rosters");
}
