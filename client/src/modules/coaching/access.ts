import { useMemo } from "react";
import { isDistrictAdmin } from "../../../../shared/policy/actor.js";
import { canCompareCoaches, canLogCoaching, canSeeDistrictDashboard, coachingSchools, dashboardSchools, isCoachee } from "../../../../shared/policy/coaching.js";
import { useMe } from "../../lib/session.js";

export type SchoolRef = { id: string; name: string };

export type CoachingAccess = {
  isAdmin: boolean;
  /** Coaches and district admins keep a log. */
  canLog: boolean;
  /** "all" for admins and district-wide coaches; else the schools they coach. */
  coachSchools: "all" | SchoolRef[];
  /** The schools named in the person's own coach grants (listed first when they may pick any school). */
  ownCoachSchools: SchoolRef[];
  /** Schools whose dashboard the person may see, or "all". */
  dashboardSchools: "all" | SchoolRef[];
  canSeeSchoolDashboard: boolean;
  canSeeDistrictDashboard: boolean;
  /** Teachers see the cycles they are in. */
  isTeacher: boolean;
  /** Coaches compared: the district (admins, district-wide coaches) or the schools one leads. */
  compareSchools: "all" | SchoolRef[];
};

/** What the signed-in person may do in the coaching module: the server's own rules, from shared/policy/coaching.ts. */
export function useCoachingAccess(): CoachingAccess {
  const me = useMe();
  return useMemo(() => {
    const roles = me.person.roles;
    const names = new Map(roles.flatMap((r) => (r.schoolId === null ? [] : [[r.schoolId, r.schoolName ?? "Unknown school"] as const])));
    const refs = (ids: "all" | string[]): "all" | SchoolRef[] => (ids === "all" ? "all" : ids.map((id) => ({ id, name: names.get(id) ?? "Unknown school" })));
    const ownCoachIds = [...new Set(roles.flatMap((r) => (r.role === "coach" && r.schoolId !== null ? [r.schoolId] : [])))];
    const dashboard = refs(dashboardSchools(me.person));
    return {
      isAdmin: isDistrictAdmin(me.person),
      canLog: canLogCoaching(me.person),
      coachSchools: refs(coachingSchools(me.person)),
      ownCoachSchools: ownCoachIds.map((id) => ({ id, name: names.get(id) ?? "Unknown school" })),
      dashboardSchools: dashboard,
      canSeeSchoolDashboard: dashboard === "all" || dashboard.length > 0,
      canSeeDistrictDashboard: canSeeDistrictDashboard(me.person),
      isTeacher: isCoachee(me.person),
      compareSchools: canSeeDistrictDashboard(me.person)
        ? "all"
        : [...new Set(roles.flatMap((r) => (r.role === "school_leader" && r.schoolId !== null && canCompareCoaches(me.person, r.schoolId) ? [r.schoolId] : [])))].map((id) => ({
            id,
            name: names.get(id) ?? "Unknown school",
          })),
    };
  }, [me]);
}
