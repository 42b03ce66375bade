import { STUDENT_ROLES } from "../roles.js";
import { isDistrictAdmin, type PolicyActor } from "./actor.js";
import { coachingSchools } from "./coaching.js";

// Who may host, see, join and moderate community chats. Role and school scope, every time:
// - coaches and district admins host series (they become the series' first moderator);
// - a series is seen by its audience: public and district series by the district's staff, a
//   "schools" series by staff of those schools (district-wide staff included); students never;
// - moderators and co-moderators run the room (hide, remove, mute, post questions early); moderators
//   (and district admins) also change the series. Powers come from the current moderator list, so
//   someone removed mid-event loses them at their next request.

export type ChatSeriesFacts = {
  districtId: string;
  audience: "public" | "district" | "schools";
  audienceSchoolIds: readonly string[];
  moderators: readonly { personId: string; role: "moderator" | "co_moderator" }[];
};

/** Coaches and district admins host chat series. */
export function canHostChats(actor: Pick<PolicyActor, "roles">): boolean {
  const schools = coachingSchools(actor);
  return schools === "all" || schools.length > 0;
}

/** Staff: anyone with a role that is not a student's. */
export function isStaff(actor: Pick<PolicyActor, "roles">): boolean {
  return actor.roles.some((g) => !STUDENT_ROLES.includes(g.role));
}

export function moderatorRole(actor: Pick<PolicyActor, "personId">, s: ChatSeriesFacts): "moderator" | "co_moderator" | null {
  return s.moderators.find((m) => m.personId === actor.personId)?.role ?? null;
}

/** Whether the actor sees a series, its events, room and archive. */
export function canSeeSeries(actor: PolicyActor, s: ChatSeriesFacts): boolean {
  if (s.districtId !== actor.districtId) return false;
  if (isDistrictAdmin(actor) || moderatorRole(actor, s) !== null) return true;
  if (!isStaff(actor)) return false;
  if (s.audience !== "schools") return true;
  return actor.roles.some((g) => !STUDENT_ROLES.includes(g.role) && (g.schoolId === null || s.audienceSchoolIds.includes(g.schoolId)));
}

/** Moderators (not co-moderators) and district admins change the series. */
export function canManageSeries(actor: PolicyActor, s: ChatSeriesFacts): boolean {
  if (s.districtId !== actor.districtId) return false;
  return isDistrictAdmin(actor) || moderatorRole(actor, s) === "moderator";
}

/** Moderators and co-moderators run the room and edit questions. */
export function canModerateSeries(actor: PolicyActor, s: ChatSeriesFacts): boolean {
  if (s.districtId !== actor.districtId) return false;
  return isDistrictAdmin(actor) || moderatorRole(actor, s) !== null;
}

/** Whether a staff member may post in the series' rooms (mutes are checked by the server). */
export function canPostInSeries(actor: PolicyActor, s: ChatSeriesFacts): boolean {
  return canSeeSeries(actor, s);
}
