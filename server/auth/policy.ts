import { STUDENT_ROLES, type Role } from "../../shared/roles.js";
import { AppError, forbidden } from "../errors.js";
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

/** Single sign-on providers decide who can become whom: district admins only. */
export function assertCanManageSso(actor: Actor): void {
  if (!isDistrictAdmin(actor)) throw forbidden("Only a district admin can manage single sign-on");
}

// ---- Coaching ----

/** Schools where the actor coaches; "all" for admins and district-wide coaches; [] when they don't coach. */
export function coachingSchools(actor: Actor): "all" | string[] {
  if (isDistrictAdmin(actor)) return "all";
  const ids: string[] = [];
  for (const g of actor.roles) {
    if (g.role !== "coach") continue;
    if (g.schoolId === null) return "all";
    ids.push(g.schoolId);
  }
  return ids;
}

/** Coaches and district admins ("head coach") keep a coaching log. */
export function assertCanLogCoaching(actor: Actor): void {
  const schools = coachingSchools(actor);
  if (schools !== "all" && schools.length === 0) throw forbidden("Only coaches keep a coaching log");
}

/** A coach may log and open cycles only at schools they coach. */
export function assertCanCoachAt(actor: Actor, schoolId: string | null, field = "body.schoolId"): void {
  const schools = coachingSchools(actor);
  if (schools === "all" || schoolId === null) return;
  if (!schools.includes(schoolId)) throw new AppError("forbidden", `${field}: you do not coach at this school`);
}

/** Who may see a school's time-allocation dashboard: admins, its school leaders and its coaches. */
export function canSeeSchoolDashboard(actor: Actor, schoolId: string): boolean {
  if (isDistrictAdmin(actor)) return true;
  return actor.roles.some(
    (g) => (g.role === "school_leader" || g.role === "coach") && (g.schoolId === schoolId || (g.role === "coach" && g.schoolId === null)),
  );
}

/** The district-wide dashboard is for admins and district-wide coaches. */
export function canSeeDistrictDashboard(actor: Actor): boolean {
  return isDistrictAdmin(actor) || actor.roles.some((g) => g.role === "coach" && g.schoolId === null);
}

/**
 * A coaching cycle is between a coach and teachers: its coach, its teachers and district admins may read it.
 * School leaders may not: coaching stays non-evaluative, which is what lets teachers be candid.
 */
export function canReadCycle(actor: Actor, cycle: { districtId: string; coachId: string; teacherIds: readonly string[] }): boolean {
  if (cycle.districtId !== actor.districtId) return false;
  return isDistrictAdmin(actor) || cycle.coachId === actor.personId || cycle.teacherIds.includes(actor.personId);
}

/** The cycle's coach and admins manage it; its teachers may add reflections only. */
export function cycleRole(actor: Actor, cycle: { coachId: string; teacherIds: readonly string[] }): "manager" | "teacher" | "none" {
  if (cycle.coachId === actor.personId || isDistrictAdmin(actor)) return "manager";
  if (cycle.teacherIds.includes(actor.personId)) return "teacher";
  return "none";
}

// ---- Rostering ----

/** Importing rosters (OneRoster, staff CSV) and reading import reports changes the whole directory: district admins only. */
export function assertCanImportRosters(actor: Actor): void {
  if (!isDistrictAdmin(actor)) throw forbidden("Only a district admin can import rosters");
}

/**
 * Which classes, with their rosters, an actor may read: admins and district-wide coaches, leaders or
 * IT see all; school-scoped ones their schools' classes; teachers the classes they teach. Students
 * never read a roster (it would list other students).
 */
export type ClassScope = { schoolIds: "all" | string[]; asTeacher: boolean };

export function classScope(actor: Actor): ClassScope {
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

export function assertCanListClasses(actor: Actor): ClassScope {
  const scope = classScope(actor);
  if (scope.schoolIds !== "all" && scope.schoolIds.length === 0 && !scope.asTeacher) {
    throw forbidden("Your role does not include class rosters");
  }
  return scope;
}

/** A class roster: readable within the actor's class scope, or by the class's own teachers. */
export function canReadClass(actor: Actor, cls: { districtId: string; schoolId: string; teacherIds: readonly string[] }): boolean {
  if (cls.districtId !== actor.districtId) return false;
  const scope = classScope(actor);
  if (scope.schoolIds === "all" || scope.schoolIds.includes(cls.schoolId)) return true;
  return scope.asTeacher && cls.teacherIds.includes(actor.personId);
}

/** A school's counts (staff, classes, students by grade): admins and the school's staff; not students. */
export function canSeeSchoolSummary(actor: Actor, schoolId: string): boolean {
  if (isDistrictAdmin(actor)) return true;
  return actor.roles.some((g) => !STUDENT_ROLES.includes(g.role) && (g.schoolId === schoolId || g.schoolId === null));
}
