import { isDistrictAdmin, type PolicyActor } from "./actor.js";

/** Schools where the actor coaches; "all" for admins and district-wide coaches; [] when they don't coach. */
export function coachingSchools(actor: Pick<PolicyActor, "roles">): "all" | string[] {
  if (isDistrictAdmin(actor)) return "all";
  const ids: string[] = [];
  for (const g of actor.roles) {
    if (g.role !== "coach") continue;
    if (g.schoolId === null) return "all";
    if (!ids.includes(g.schoolId)) ids.push(g.schoolId);
  }
  return ids;
}

/** Coaches and district admins ("head coach") keep a coaching log. */
export function canLogCoaching(actor: Pick<PolicyActor, "roles">): boolean {
  const schools = coachingSchools(actor);
  return schools === "all" || schools.length > 0;
}

/** A coach may log and open cycles only at schools they coach (an entry without a school is theirs to log). */
export function canCoachAt(actor: Pick<PolicyActor, "roles">, schoolId: string | null): boolean {
  const schools = coachingSchools(actor);
  return schools === "all" || schoolId === null || schools.includes(schoolId);
}

/**
 * A coach may name in an entry only staff who work at a school they coach (or district-wide staff).
 * `schoolIds` are the schools of the person's staff role grants (null for a district-wide grant).
 */
export function canCoachTeacher(actor: Pick<PolicyActor, "roles">, schoolIds: readonly (string | null)[]): boolean {
  const schools = coachingSchools(actor);
  return schools === "all" || schoolIds.some((id) => id === null || schools.includes(id));
}

/** Schools whose time-allocation dashboard the actor may see: admins and district-wide coaches all; else where they coach or lead. */
export function dashboardSchools(actor: Pick<PolicyActor, "roles">): "all" | string[] {
  const coached = coachingSchools(actor);
  if (coached === "all") return "all";
  const ids = [...coached];
  for (const g of actor.roles) if (g.role === "school_leader" && g.schoolId !== null && !ids.includes(g.schoolId)) ids.push(g.schoolId);
  return ids;
}

/** Who may see a school's time-allocation dashboard: admins, its school leaders and its coaches. */
export function canSeeSchoolDashboard(actor: Pick<PolicyActor, "roles">, schoolId: string): boolean {
  const schools = dashboardSchools(actor);
  return schools === "all" || schools.includes(schoolId);
}

/** The district-wide dashboard is for admins and district-wide coaches. */
export function canSeeDistrictDashboard(actor: Pick<PolicyActor, "roles">): boolean {
  return isDistrictAdmin(actor) || actor.roles.some((g) => g.role === "coach" && g.schoolId === null);
}

/**
 * Which teachers were coached most, and how much, is the coaches' business: a school leader who
 * does not coach there sees the school's totals only, unless the district lets leaders see names.
 */
export function canSeeCoachedTeacherNames(actor: Pick<PolicyActor, "roles">, schoolId: string, leadersSeeTeacherNames: boolean): boolean {
  return canCoachAt(actor, schoolId) || leadersSeeTeacherNames;
}

/**
 * A coaching cycle is between a coach and teachers: its coach, its teachers and district admins may read it.
 * School leaders may not: coaching stays non-evaluative, which is what lets teachers be candid.
 */
export function canReadCycle(actor: PolicyActor, cycle: { districtId: string; coachId: string; teacherIds: readonly string[] }): boolean {
  if (cycle.districtId !== actor.districtId) return false;
  return isDistrictAdmin(actor) || cycle.coachId === actor.personId || cycle.teacherIds.includes(actor.personId);
}

/** The cycle's coach and admins manage it; its teachers may add reflections only. */
export function cycleRole(actor: PolicyActor, cycle: { coachId: string; teacherIds: readonly string[] }): "manager" | "teacher" | "none" {
  if (cycle.coachId === actor.personId || isDistrictAdmin(actor)) return "manager";
  if (cycle.teacherIds.includes(actor.personId)) return "teacher";
  return "none";
}

/** Teachers see the cycles they are in. */
export const isCoachee = (actor: Pick<PolicyActor, "roles">): boolean => actor.roles.some((r) => r.role === "teacher");

/**
 * Coaches compared (hours, coaching share, teachers reached) and who is not yet reached: district-wide
 * for admins and district-wide coaches; one school also for its school leaders.
 */
export function canCompareCoaches(actor: Pick<PolicyActor, "roles">, schoolId: string | null): boolean {
  if (canSeeDistrictDashboard(actor)) return true;
  return schoolId !== null && actor.roles.some((g) => g.role === "school_leader" && g.schoolId === schoolId);
}

/**
 * Whose coaching of a person the actor may see on that person's page: admins and the person themselves
 * all of it; a coach only their own entries and cycles with them; anyone else none (coaching stays
 * non-evaluative: a school leader sees school totals, not a teacher's history).
 */
export function personCoachingView(actor: Pick<PolicyActor, "roles" | "personId">, personId: string): "all" | "own" | null {
  if (isDistrictAdmin(actor) || actor.personId === personId) return "all";
  return canLogCoaching(actor) ? "own" : null;
}
