import { canManageSchools } from "../../../shared/policy/schools.js";
import type { Actor } from "../../auth/actor.js";
import { forbidden } from "../../errors.js";

export function assertCanManageSchools(actor: Actor): void {
  if (!canManageSchools(actor)) throw forbidden("Only a district admin can manage schools");
}
