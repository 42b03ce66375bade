import { describe, expect, it } from "vitest";
import type { RoleGrant } from "./actor.js";
import { canManageComposites, canSeeDistrictReport, canSeeSchoolReport, canSeeTeacherReport, reportSchools, seesOwnReportOnly } from "./observation-reports.js";

const who = (...roles: RoleGrant[]) => ({ personId: "me", districtId: "d1", roles });
const admin = who({ role: "district_admin", schoolId: null });
const districtCoach = who({ role: "coach", schoolId: null });
const coachA = who({ role: "coach", schoolId: "A" });
const leaderB = who({ role: "school_leader", schoolId: "B" });
const teacherA = who({ role: "teacher", schoolId: "A" });
const itStaff = who({ role: "it_staff", schoolId: "A" });

describe("observation report policy", () => {
  it("scopes roll-ups by role and school", () => {
    expect([admin, districtCoach, coachA, leaderB, teacherA, itStaff].map(reportSchools)).toEqual(["all", "all", ["A"], ["B"], [], []]);
    expect(canSeeSchoolReport(leaderB, "B")).toBe(true);
    expect(canSeeSchoolReport(leaderB, "A")).toBe(false);
    expect(canSeeSchoolReport(teacherA, "A")).toBe(false);
    expect([admin, coachA, leaderB, teacherA, itStaff].map(canSeeDistrictReport)).toEqual([true, true, true, false, false]);
  });

  it("shows a teacher their own roll-up, of shared observations only", () => {
    expect(canSeeTeacherReport(teacherA, "me")).toBe(true);
    expect(canSeeTeacherReport(teacherA, "someone")).toBe(false);
    expect(seesOwnReportOnly(teacherA, "me")).toBe(true);
    expect(seesOwnReportOnly(coachA, "me")).toBe(false);
    expect(canSeeTeacherReport(itStaff, "someone")).toBe(false);
    expect(canSeeTeacherReport(itStaff, "me")).toBe(false); // no roll-up of one's own without a teacher role
  });

  it("lets only admins manage composites", () => {
    expect([admin, districtCoach, coachA, leaderB, teacherA].map(canManageComposites)).toEqual([true, false, false, false, false]);
  });
});
