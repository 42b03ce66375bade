import { describe, expect, it } from "vitest";
import type { PolicyActor } from "./actor.js";
import {
  canAcknowledgeObservation,
  canCommentOnObservation,
  canDeleteObservation,
  canEditObservation,
  canObserveAt,
  canReadObservation,
  canReadRubrics,
  observationReadSchools,
  type ObservationFacts,
} from "./observations.js";

const D = "district-1";
const actor = (personId: string, roles: PolicyActor["roles"]): PolicyActor => ({ personId, districtId: D, roles });
const admin = actor("admin", [{ role: "district_admin", schoolId: null }]);
const coachA = actor("coachA", [{ role: "coach", schoolId: "A" }]);
const coachB = actor("coachB", [{ role: "coach", schoolId: "B" }]);
const districtCoach = actor("dcoach", [{ role: "coach", schoolId: null }]);
const leaderA = actor("leaderA", [{ role: "school_leader", schoolId: "A" }]);
const teacher = actor("teacher", [{ role: "teacher", schoolId: "A" }]);
const otherTeacher = actor("teacher2", [{ role: "teacher", schoolId: "A" }]);
const student = actor("student", [{ role: "student", schoolId: "A" }]);
const obs = (status: ObservationFacts["status"], over: Partial<ObservationFacts> = {}): ObservationFacts => ({
  districtId: D,
  schoolId: "A",
  observerId: "coachA",
  teacherId: "teacher",
  status,
  ...over,
});

describe("observation policy", () => {
  it("coaches observe only where they coach; admins and district-wide coaches anywhere", () => {
    expect(canObserveAt(coachA, "A")).toBe(true);
    expect(canObserveAt(coachA, "B")).toBe(false);
    expect(canObserveAt(districtCoach, "B")).toBe(true);
    expect(canObserveAt(admin, "B")).toBe(true);
    expect(canObserveAt(leaderA, "A")).toBe(false);
  });

  it("a draft is the observer's alone", () => {
    const draft = obs("draft");
    expect([coachA, admin, districtCoach, leaderA, teacher].map((a) => canReadObservation(a, draft))).toEqual([true, false, false, false, false]);
  });

  it("submitted: admins and the school's coaches and leaders; the teacher only once shared", () => {
    const submitted = obs("submitted");
    expect([admin, districtCoach, coachB, leaderA, teacher].map((a) => canReadObservation(a, submitted))).toEqual([true, true, false, true, false]);
    const shared = obs("shared");
    expect([teacher, otherTeacher, student].map((a) => canReadObservation(a, shared))).toEqual([true, false, false]);
    expect(canReadObservation({ ...admin, districtId: "elsewhere" }, shared)).toBe(false);
    expect(observationReadSchools(leaderA)).toEqual(["A"]);
  });

  it("only the observer edits; admins may delete a submitted one; the teacher acknowledges and comments once shared", () => {
    expect(canEditObservation(coachA, obs("shared"))).toBe(true);
    expect(canEditObservation(admin, obs("shared"))).toBe(false);
    expect(canDeleteObservation(admin, obs("submitted"))).toBe(true);
    expect(canDeleteObservation(admin, obs("draft"))).toBe(false);
    expect(canAcknowledgeObservation(teacher, obs("submitted"))).toBe(false);
    expect(canAcknowledgeObservation(teacher, obs("shared"))).toBe(true);
    expect(canCommentOnObservation(coachA, obs("shared"))).toBe(true);
    expect(canCommentOnObservation(leaderA, obs("shared"))).toBe(false);
  });

  it("rubrics are for staff, not students", () => {
    expect(canReadRubrics(teacher)).toBe(true);
    expect(canReadRubrics(student)).toBe(false);
  });
});
