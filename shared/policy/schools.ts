import { isDistrictAdmin, type PolicyActor } from "./actor.js";

/** School names are not sensitive: every signed-in role may list them. Adding and editing is the admin's. */
export const canManageSchools = (actor: Pick<PolicyActor, "roles">): boolean => isDistrictAdmin(actor);
