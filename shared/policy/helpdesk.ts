import { isDistrictAdmin, type PolicyActor } from "./actor.js";
import type { TicketStatus } from "../schemas/helpdesk.js";

// Who may file, read and work help desk tickets. Role and school scope, every time:
// - anyone signed in files a ticket for themselves at a school they belong to, and reads their own;
// - the desk staff (IT staff, coaches; district admins anywhere) work every ticket at their schools
//   and read staff-only notes;
// - student assistants (student_tech) work the student help desk's tickets at their schools, and
//   never see staff-only notes nor the staff queues;
// - a department's or contractor's contact sees only what was escalated to that department
//   (the punch list; enforced where their access is resolved, not by role).

export type TicketFacts = {
  districtId: string;
  schoolId: string;
  requesterId: string;
  audience: "student" | "staff" | "district";
  status: TicketStatus;
  rated: boolean;
};

type Grants = Pick<PolicyActor, "roles">;
type Schools = "all" | string[];

function schoolsOf(actor: Grants, roles: readonly string[]): Schools {
  const ids: string[] = [];
  for (const g of actor.roles) {
    if (!roles.includes(g.role)) continue;
    if (g.schoolId === null) return "all";
    if (!ids.includes(g.schoolId)) ids.push(g.schoolId);
  }
  return ids;
}
const covers = (schools: Schools, schoolId: string): boolean => schools === "all" || schools.includes(schoolId);

/** Schools whose tickets the actor works as staff: every queue, staff-only notes included. */
export function deskStaffSchools(actor: Grants): Schools {
  if (isDistrictAdmin(actor)) return "all";
  return schoolsOf(actor, ["it_staff", "coach"]);
}

/** Schools where the actor is a student assistant on the student help desk. */
export const studentDeskSchools = (actor: Grants): Schools => schoolsOf(actor, ["student_tech"]);

/** Works some desk: staff or student assistant anywhere. */
export function isDeskMember(actor: Grants): boolean {
  const staff = deskStaffSchools(actor);
  const students = studentDeskSchools(actor);
  return staff === "all" || staff.length > 0 || students === "all" || students.length > 0;
}
export function isDeskStaff(actor: Grants): boolean {
  const staff = deskStaffSchools(actor);
  return staff === "all" || staff.length > 0;
}

/** Schools where the actor may file a ticket for themselves: every school they hold a grant at. */
export function canFileAt(actor: Grants, schoolId: string): boolean {
  return actor.roles.some((g) => g.schoolId === null || g.schoolId === schoolId);
}

/** A desk member files a ticket for someone else (the kiosk, a phone call) at their desk's schools. */
export function canFileFor(actor: Grants, schoolId: string): boolean {
  return covers(deskStaffSchools(actor), schoolId) || covers(studentDeskSchools(actor), schoolId);
}

/** Works the ticket: take it, move it through the workflow, reply and add notes. */
export function canWorkTicket(actor: PolicyActor, t: TicketFacts): boolean {
  if (t.districtId !== actor.districtId) return false;
  if (covers(deskStaffSchools(actor), t.schoolId)) return true;
  return t.audience === "student" && covers(studentDeskSchools(actor), t.schoolId);
}

export function canReadTicket(actor: PolicyActor, t: TicketFacts): boolean {
  if (t.districtId !== actor.districtId) return false;
  return t.requesterId === actor.personId || canWorkTicket(actor, t);
}

/** Staff-only notes: the desk staff of the ticket's school, never student assistants nor requesters. */
export function canSeeStaffNotes(actor: PolicyActor, t: TicketFacts): boolean {
  return t.districtId === actor.districtId && covers(deskStaffSchools(actor), t.schoolId);
}

/** Escalating to a department or contractor is the staff's call. */
export const canEscalateTicket = (actor: PolicyActor, t: TicketFacts): boolean => canSeeStaffNotes(actor, t);

/** The requester rates the help once, after it is resolved. */
export function canRateTicket(actor: PolicyActor, t: TicketFacts): boolean {
  return t.districtId === actor.districtId && t.requesterId === actor.personId && (t.status === "resolved" || t.status === "closed") && !t.rated;
}

/** Departments, contractors, queues' members, canned replies and SLA targets: district admins. */
export const canManageHelpdesk = (actor: Grants): boolean => isDistrictAdmin(actor);

/** The punch list, reports and everyone's scores: the desk staff and school leaders (their schools). */
export function reportSchools(actor: Grants): Schools {
  if (isDistrictAdmin(actor)) return "all";
  return schoolsOf(actor, ["it_staff", "coach", "school_leader"]);
}
export function canSeeReports(actor: Grants): boolean {
  const s = reportSchools(actor);
  return s === "all" || s.length > 0;
}
