import { useMemo } from "react";
import { useMe } from "../../lib/session.js";

export type SchoolRef = { id: string; name: string };

export type CoachingAccess = {
  isAdmin: boolean;
  /** Coaches and district admins keep a log (the server's assertCanLogCoaching). */
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
};

function addSchool(list: SchoolRef[], id: string, name: string | null): void {
  if (!list.some((s) => s.id === id)) list.push({ id, name: name ?? "Unknown school" });
}

/** What the signed-in person may do in the coaching module, mirroring server/auth/policy.ts. */
export function useCoachingAccess(): CoachingAccess {
  const me = useMe();
  return useMemo(() => {
    const roles = me.person.roles;
    const isAdmin = roles.some((r) => r.role === "district_admin");
    const isDistrictCoach = roles.some((r) => r.role === "coach" && r.schoolId === null);
    const coachList: SchoolRef[] = [];
    const leaderList: SchoolRef[] = [];
    for (const r of roles) {
      if (r.schoolId === null) continue;
      if (r.role === "coach") addSchool(coachList, r.schoolId, r.schoolName);
      if (r.role === "school_leader") addSchool(leaderList, r.schoolId, r.schoolName);
    }
    const coachSchools: "all" | SchoolRef[] = isAdmin || isDistrictCoach ? "all" : coachList;
    const canLog = coachSchools === "all" || coachSchools.length > 0;
    const dashboardSchools: "all" | SchoolRef[] = coachSchools === "all" ? "all" : [...coachList];
    if (dashboardSchools !== "all") for (const s of leaderList) addSchool(dashboardSchools, s.id, s.name);
    const canSeeSchoolDashboard = dashboardSchools === "all" || dashboardSchools.length > 0;
    const isTeacher = roles.some((r) => r.role === "teacher");
    return {
      isAdmin,
      canLog,
      coachSchools,
      ownCoachSchools: coachList,
      dashboardSchools,
      canSeeSchoolDashboard,
      canSeeDistrictDashboard: isAdmin || isDistrictCoach,
      isTeacher,
    };
  }, [me]);
}
