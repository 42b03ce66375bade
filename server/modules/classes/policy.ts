import { canListClasses, classScope, type ClassScope } from "../../../shared/policy/classes.js";
import type { Actor } from "../../auth/actor.js";
import { forbidden } from "../../errors.js";

export function assertCanListClasses(actor: Actor): ClassScope {
  if (!canListClasses(actor)) throw forbidden("Your role does not include class rosters");
  return classScope(actor);
}
