import { isDistrictAdmin, type PolicyActor } from "./actor.js";

// Who sees which observation roll-ups. Role AND school scope: a teacher sees their own (only what was
// shared with them), a school leader their school's, a coach the schools they coach, district admins
// and district-wide coaches or leaders the district. Composites are defined by district admins.

/** Schools whose roll-ups the actor may see: "all" for admins and district-wide coaches or leaders; [] for anyone else. */
export function reportSchools(actor: Pick<PolicyActor, "roles">): "all" | string[] {
  if (isDistrictAdmin(actor)) return "all";
  const ids: string[] = [];
  for (const g of actor.roles) {
    if (g.role !== "coach" && g.role !== "school_leader") continue;
    if (g.schoolId === null) return "all";
    if (!ids.includes(g.schoolId)) ids.push(g.schoolId);
  }
  return ids;
}

/** A school's roll-up: admins, district-wide coaches and leaders, and that school's coaches and leaders. */
export function canSeeSchoolReport(actor: Pick<PolicyActor, "roles">, schoolId: string): boolean {
  const schools = reportSchools(actor);
  return schools === "all" || schools.includes(schoolId);
}

/** The district roll-up (over the schools the caller may see): anyone who sees some school's. */
export function canSeeDistrictReport(actor: Pick<PolicyActor, "roles">): boolean {
  const schools = reportSchools(actor);
  return schools === "all" || schools.length > 0;
}

/**
 * A teacher's roll-up: the teacher themself (over the observations shared with them), and those who see
 * some school's roll-ups (over the teacher's observations at those schools only).
 */
export function canSeeTeacherReport(actor: Pick<PolicyActor, "personId" | "roles">, teacherId: string): boolean {
  return isOwnTeacherReport(actor, teacherId) || canSeeDistrictReport(actor);
}

/** A teacher asking for their own roll-up (students and IT staff have none). */
const isOwnTeacherReport = (actor: Pick<PolicyActor, "personId" | "roles">, teacherId: string): boolean =>
  actor.personId === teacherId && actor.roles.some((g) => g.role === "teacher");

/** True when the actor sees a teacher's roll-up only as that teacher (shared observations only). */
export function seesOwnReportOnly(actor: Pick<PolicyActor, "personId" | "roles">, teacherId: string): boolean {
  return isOwnTeacherReport(actor, teacherId) && !canSeeDistrictReport(actor);
}

/** Composite scores are defined, changed and deleted by district admins; everyone who sees roll-ups sees them. */
export function canManageComposites(actor: Pick<PolicyActor, "roles">): boolean {
  return isDistrictAdmin(actor);
}
