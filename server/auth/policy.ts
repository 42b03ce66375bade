import { STUDENT_ROLES, type Role } from "../../shared/roles.js";
import { forbidden } from "../errors.js";
import type { Actor, RoleGrant } from "./actor.js";

// The one place that says who may do what. Services call these before touching data;
// every rule is role AND school scope, never one without the other.

const STAFF_FULL_VIEW_ROLES: readonly Role[] = ["coach", "school_leader", "it_staff"];

export const isDistrictAdmin = (actor: Actor): boolean =>
  actor.roles.some((r) => r.role === "district_admin");

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
export function peopleScope(actor: Actor): PeopleScope {
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
export function canReadPerson(actor: Actor, target: { id: string; districtId: string; roles: RoleGrant[] }): boolean {
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

export function assertCanListPeople(actor: Actor): PeopleScope {
  const scope = peopleScope(actor);
  if (scope.kind === "none") throw forbidden("Your role does not include the directory");
  return scope;
}

/** Creating, editing, deactivating people and changing roles is the district admin's job. */
export function assertCanManagePeople(actor: Actor): void {
  if (!isDistrictAdmin(actor)) throw forbidden("Only a district admin can manage people");
}

export function assertCanManageSchools(actor: Actor): void {
  if (!isDistrictAdmin(actor)) throw forbidden("Only a district admin can manage schools");
}

export function assertCanReadAudit(actor: Actor): void {
  if (!isDistrictAdmin(actor)) throw forbidden("Only a district admin can read the audit log");
}
