import { canManageSso } from "../../../shared/policy/admin.js";
import type { Actor } from "../../auth/actor.js";
import { forbidden } from "../../errors.js";

export function assertCanManageSso(actor: Actor): void {
  if (!canManageSso(actor)) throw forbidden("Only a district admin can manage single sign-on");
}
