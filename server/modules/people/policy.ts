import { canManagePeople, peopleScope, type PeopleScope } from "../../../shared/policy/people.js";
import type { Actor } from "../../auth/actor.js";
import { forbidden } from "../../errors.js";

// The server's side of shared/policy/people.ts: the same rules, refusing with a 403.

export function assertCanListPeople(actor: Actor): PeopleScope {
  const scope = peopleScope(actor);
  if (scope.kind === "none") throw forbidden("Your role does not include the directory");
  return scope;
}

export function assertCanManagePeople(actor: Actor): void {
  if (!canManagePeople(actor)) throw forbidden("Only a district admin can manage people");
}
