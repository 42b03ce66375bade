import { describe, expect, it } from "vitest";
import type { RoleGrant } from "./actor.js";
import { canCoachAt, canLogCoaching, canReadCycle, canSeeDistrictDashboard, canSeeSchoolDashboard, coachingSchools, cycleRole, dashboardSchools } from "./coaching.js";

const who = (...roles: RoleGrant[]) => ({ personId: "me", districtId: "d1", roles });
const admin = who({ role: "district_admin", schoolId: null });
const districtCoach = who({ role: "coach", schoolId: null });
const coachA = who({ role: "coach", schoolId: "A" });
const leaderB = who({ role: "school_leader", schoolId: "B" });
const teacherA = who({ role: "teacher", schoolId: "A" });

describe("coaching policy", () => {
  it("lets admins and coaches keep a log, at the schools they coach", () => {
    expect([admin, districtCoach, coachA, leaderB, teacherA].map(canLogCoaching)).toEqual([true, true, true, false, false]);
    expect(coachingSchools(coachA)).toEqual(["A"]);
    expect(canCoachAt(coachA, "A")).toBe(true);
    expect(canCoachAt(coachA, "B")).toBe(false);
    expect(canCoachAt(coachA, null)).toBe(true);
    expect(canCoachAt(districtCoach, "B")).toBe(true);
  });

  it("shows a school's dashboard to its coaches and leaders, the district's to admins and district-wide coaches", () => {
    const coachAndLeader = who({ role: "coach", schoolId: "A" }, { role: "school_leader", schoolId: "B" });
    expect(dashboardSchools(coachAndLeader)).toEqual(["A", "B"]);
    expect(canSeeSchoolDashboard(leaderB, "B")).toBe(true);
    expect(canSeeSchoolDashboard(leaderB, "A")).toBe(false);
    expect(canSeeSchoolDashboard(teacherA, "A")).toBe(false);
    expect([admin, districtCoach, coachA, leaderB].map(canSeeDistrictDashboard)).toEqual([true, true, false, false]);
  });

  it("keeps cycles between the coach, the teachers and admins; school leaders never read them", () => {
    const cycle = { districtId: "d1", coachId: "coach", teacherIds: ["me"] };
    expect(canReadCycle(teacherA, cycle)).toBe(true);
    expect(cycleRole(teacherA, cycle)).toBe("teacher");
    expect(canReadCycle({ ...leaderB, personId: "leader" }, cycle)).toBe(false);
    expect(canReadCycle(admin, { ...cycle, teacherIds: [] })).toBe(true);
    expect(canReadCycle(admin, { ...cycle, districtId: "other" })).toBe(false);
    expect(cycleRole({ ...coachA, personId: "coach" }, cycle)).toBe("manager");
  });
});
