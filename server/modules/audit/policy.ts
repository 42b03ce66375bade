import { canReadAudit } from "../../../shared/policy/admin.js";
import type { Actor } from "../../auth/actor.js";
import { forbidden } from "../../errors.js";

export function assertCanReadAudit(actor: Actor): void {
  if (!canReadAudit(actor)) throw forbidden("Only a district admin can read the audit log");
}
