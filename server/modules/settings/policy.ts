import { canManageSettings } from "../../../shared/policy/admin.js";
import type { Actor } from "../../auth/actor.js";
import { forbidden } from "../../errors.js";

export function assertCanManageSettings(actor: Actor): void {
  if (!canManageSettings(actor)) throw forbidden("Only a district admin can change the district's settings");
}
