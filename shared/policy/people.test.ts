import { describe, expect, it } from "vitest";
import type { PolicyActor } from "./actor.js";
import { canReadPerson, peopleScope } from "./people.js";

const actor = (roles: PolicyActor["roles"]): PolicyActor => ({
  personId: "me",
  districtId: "d1",
  roles,
});
const person = (id: string, roles: PolicyActor["roles"], districtId = "d1") => ({ id, districtId, roles });

describe("peopleScope", () => {
  it("gives district admins and district-wide coaches the whole district", () => {
    expect(peopleScope(actor([{ role: "district_admin", schoolId: null }]))).toEqual({ kind: "district" });
    expect(peopleScope(actor([{ role: "coach", schoolId: null }]))).toEqual({ kind: "district" });
  });

  it("gives students nothing", () => {
    expect(peopleScope(actor([{ role: "student", schoolId: "s1" }])).kind).toBe("none");
    expect(peopleScope(actor([{ role: "student_tech", schoolId: "s1" }])).kind).toBe("none");
  });

  it("lets a coach at one school and teacher at another see students only where they coach", () => {
    const scope = peopleScope(actor([{ role: "coach", schoolId: "a" }, { role: "teacher", schoolId: "b" }]));
    expect(scope).toEqual({ kind: "schools", fullSchoolIds: ["a"], staffSchoolIds: ["b"] });
  });
});

describe("canReadPerson", () => {
  const teacherAtA = actor([{ role: "teacher", schoolId: "a" }]);

  it("always lets a person read themselves", () => {
    expect(canReadPerson(actor([{ role: "student", schoolId: "a" }]), person("me", [{ role: "student", schoolId: "a" }]))).toBe(true);
  });

  it("never crosses districts, even for an admin", () => {
    const admin = actor([{ role: "district_admin", schoolId: null }]);
    expect(canReadPerson(admin, person("x", [{ role: "teacher", schoolId: "a" }], "d2"))).toBe(false);
  });

  it("lets a teacher read staff at their school and district-wide staff, but not students or other schools", () => {
    expect(canReadPerson(teacherAtA, person("t", [{ role: "teacher", schoolId: "a" }]))).toBe(true);
    expect(canReadPerson(teacherAtA, person("c", [{ role: "coach", schoolId: null }]))).toBe(true);
    expect(canReadPerson(teacherAtA, person("s", [{ role: "student", schoolId: "a" }]))).toBe(false);
    expect(canReadPerson(teacherAtA, person("o", [{ role: "teacher", schoolId: "b" }]))).toBe(false);
  });
});
