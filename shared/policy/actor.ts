import type { Role } from "../roles.js";

// Authorization rules are pure functions of who is asking, shared by the server (which refuses)
// and the client (which shows or hides actions). Every rule is role AND school scope.

export type RoleGrant = { role: Role; schoolId: string | null };

/** What a rule needs to know about who is asking: the server's Actor and the client's /me both fit. */
export type PolicyActor = { personId: string; districtId: string; roles: readonly RoleGrant[] };

export const isDistrictAdmin = (actor: Pick<PolicyActor, "roles">): boolean => actor.roles.some((r) => r.role === "district_admin");

/** Roles that see everyone (students included) at their schools, or the district when held district-wide. */
export const STAFF_FULL_VIEW_ROLES: readonly Role[] = ["coach", "school_leader", "it_staff"];
