import { STUDENT_ROLES } from "../roles.js";
import { isDistrictAdmin, STAFF_FULL_VIEW_ROLES, type PolicyActor, type RoleGrant } from "./actor.js";

/** Which people an actor may see in the directory. */
export type PeopleScope =
  | { kind: "district" }
  | { kind: "none" }
  | {
      kind: "schools";
      /** Schools where the actor may see everyone, students included. */
      fullSchoolIds: string[];
      /** Schools where the actor may see staff only. */
      staffSchoolIds: string[];
    };

/** The directory scope: admins see the district; coaches, leaders and IT their schools; teachers their schools' staff; students nobody. */
export function peopleScope(actor: Pick<PolicyActor, "roles">): PeopleScope {
  if (isDistrictAdmin(actor)) return { kind: "district" };
  const full = new Set<string>();
  const staff = new Set<string>();
  for (const grant of actor.roles) {
    if (STAFF_FULL_VIEW_ROLES.includes(grant.role)) {
      // A coach or IT role held district-wide sees the whole district.
      if (grant.schoolId === null) return { kind: "district" };
      full.add(grant.schoolId);
    } else if (grant.role === "teacher" && grant.schoolId !== null) {
      staff.add(grant.schoolId);
    }
  }
  if (full.size === 0 && staff.size === 0) return { kind: "none" };
  return { kind: "schools", fullSchoolIds: [...full], staffSchoolIds: [...staff].filter((s) => !full.has(s)) };
}

/** True when `target` (with its role grants) falls inside the actor's directory scope. */
export function canReadPerson(actor: PolicyActor, target: { id: string; districtId: string; roles: readonly RoleGrant[] }): boolean {
  if (target.districtId !== actor.districtId) return false;
  if (target.id === actor.personId) return true;
  const scope = peopleScope(actor);
  switch (scope.kind) {
    case "district":
      return true;
    case "none":
      return false;
    case "schools":
      return target.roles.some((g) => {
        const isStudent = STUDENT_ROLES.includes(g.role);
        if (g.schoolId === null) return !isStudent; // district-wide staff are visible to all staff
        if (scope.fullSchoolIds.includes(g.schoolId)) return true;
        return !isStudent && scope.staffSchoolIds.includes(g.schoolId);
      });
    default: {
      const exhaustive: never = scope;
      return exhaustive;
    }
  }
}

/** Whether the actor's role includes the directory's people list at all. */
export const canListPeople = (actor: Pick<PolicyActor, "roles">): boolean => peopleScope(actor).kind !== "none";

/** Creating, editing, deactivating people and changing roles is the district admin's job. */
export const canManagePeople = (actor: Pick<PolicyActor, "roles">): boolean => isDistrictAdmin(actor);
