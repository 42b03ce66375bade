import { isDistrictAdmin, type PolicyActor } from "./actor.js";
import { coachingSchools } from "./coaching.js";

// Who may observe, read and act on classroom observations. Role and school scope, every time:
// - coaches observe at the schools they coach (district admins, as head coaches, anywhere);
// - an observation's draft is its observer's alone;
// - once submitted, admins, the school's coaches and the school's leaders read it;
// - its teacher reads it once it is shared with them, and may acknowledge and comment.

/** What a rule needs to know about an observation. */
export type ObservationFacts = {
  districtId: string;
  schoolId: string;
  observerId: string;
  teacherId: string;
  status: "draft" | "submitted" | "shared";
};

/** Schools where the actor may observe: "all" for admins and district-wide coaches. */
export const observingSchools = (actor: Pick<PolicyActor, "roles">): "all" | string[] => coachingSchools(actor);

/** Coaches and district admins observe classrooms. */
export function canObserve(actor: Pick<PolicyActor, "roles">): boolean {
  const schools = observingSchools(actor);
  return schools === "all" || schools.length > 0;
}

/** A coach observes only at the schools they coach. */
export function canObserveAt(actor: Pick<PolicyActor, "roles">, schoolId: string): boolean {
  const schools = observingSchools(actor);
  return schools === "all" || schools.includes(schoolId);
}

/**
 * Schools whose submitted and shared observations the actor reads: admins, and coaches and leaders
 * at their schools (a district-wide grant: all).
 */
export function observationReadSchools(actor: Pick<PolicyActor, "roles">): "all" | string[] {
  if (isDistrictAdmin(actor)) return "all";
  const ids: string[] = [];
  for (const g of actor.roles) {
    if (g.role !== "coach" && g.role !== "school_leader") continue;
    if (g.schoolId === null) return "all";
    if (!ids.includes(g.schoolId)) ids.push(g.schoolId);
  }
  return ids;
}

/** Whether the actor may open this observation. */
export function canReadObservation(actor: PolicyActor, o: ObservationFacts): boolean {
  if (o.districtId !== actor.districtId) return false;
  if (o.observerId === actor.personId) return true;
  if (o.status === "draft") return false;
  if (o.teacherId === actor.personId && o.status === "shared") return true;
  const schools = observationReadSchools(actor);
  return schools === "all" || schools.includes(o.schoolId);
}

/** Only the observer edits what they observed (and only while they may still observe at that school). */
export function canEditObservation(actor: PolicyActor, o: ObservationFacts): boolean {
  return o.districtId === actor.districtId && o.observerId === actor.personId && canObserveAt(actor, o.schoolId);
}

/** The observer, or a district admin, deletes an observation. */
export function canDeleteObservation(actor: PolicyActor, o: ObservationFacts): boolean {
  if (o.districtId !== actor.districtId) return false;
  return canEditObservation(actor, o) || (isDistrictAdmin(actor) && o.status !== "draft");
}

/** The teacher acknowledges an observation shared with them. */
export function canAcknowledgeObservation(actor: PolicyActor, o: ObservationFacts): boolean {
  return o.districtId === actor.districtId && o.teacherId === actor.personId && o.status === "shared";
}

/** The conversation about a shared observation is between its teacher and its observer. */
export function canCommentOnObservation(actor: PolicyActor, o: ObservationFacts): boolean {
  if (o.districtId !== actor.districtId || o.status !== "shared") return false;
  return o.teacherId === actor.personId || o.observerId === actor.personId;
}

/** Rubrics and the app list are read by the district's staff (teachers read the matrix of their observations). */
export function canReadRubrics(actor: Pick<PolicyActor, "roles">): boolean {
  return actor.roles.some((g) => g.role !== "student" && g.role !== "student_tech");
}

/** Rubrics and the app list are the district's: district admins manage them. */
export const canManageRubrics = (actor: Pick<PolicyActor, "roles">): boolean => isDistrictAdmin(actor);
