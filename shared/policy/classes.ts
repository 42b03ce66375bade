import { STUDENT_ROLES } from "../roles.js";
import { isDistrictAdmin, STAFF_FULL_VIEW_ROLES, type PolicyActor } from "./actor.js";

/**
 * Which classes, with their rosters, an actor may read: admins and district-wide coaches, leaders or
 * IT see all; school-scoped ones their schools' classes; teachers the classes they teach. Students
 * never read a roster (it would list other students).
 */
export type ClassScope = { schoolIds: "all" | string[]; asTeacher: boolean };

export function classScope(actor: Pick<PolicyActor, "roles">): ClassScope {
  if (isDistrictAdmin(actor)) return { schoolIds: "all", asTeacher: false };
  const schools = new Set<string>();
  let asTeacher = false;
  for (const g of actor.roles) {
    if (STAFF_FULL_VIEW_ROLES.includes(g.role)) {
      if (g.schoolId === null) return { schoolIds: "all", asTeacher: false };
      schools.add(g.schoolId);
    } else if (g.role === "teacher") asTeacher = true;
  }
  return { schoolIds: [...schools], asTeacher };
}

/** Whether the actor may list any class at all. */
export function canListClasses(actor: Pick<PolicyActor, "roles">): boolean {
  const scope = classScope(actor);
  return scope.schoolIds === "all" || scope.schoolIds.length > 0 || scope.asTeacher;
}

/** A class roster: readable within the actor's class scope, or by the class's own teachers. */
export function canReadClass(actor: PolicyActor, cls: { districtId: string; schoolId: string; teacherIds: readonly string[] }): boolean {
  if (cls.districtId !== actor.districtId) return false;
  const scope = classScope(actor);
  if (scope.schoolIds === "all" || scope.schoolIds.includes(cls.schoolId)) return true;
  return scope.asTeacher && cls.teacherIds.includes(actor.personId);
}

/** A school's counts (staff, classes, students by grade): admins and the school's staff; not students. */
export function canSeeSchoolSummary(actor: Pick<PolicyActor, "roles">, schoolId: string): boolean {
  if (isDistrictAdmin(actor)) return true;
  return actor.roles.some((g) => !STUDENT_ROLES.includes(g.role) && (g.schoolId === schoolId || g.schoolId === null));
}
