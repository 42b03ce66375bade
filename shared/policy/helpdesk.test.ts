import { describe, expect, it } from "vitest";
import type { PolicyActor, RoleGrant } from "./actor.js";
import { canEscalateTicket, canFileAt, canFileFor, canRateTicket, canReadTicket, canSeeStaffNotes, canWorkTicket, reportSchools, type TicketFacts } from "./helpdesk.js";
import { NEXT_STATUSES, TICKET_STATUSES } from "../schemas/helpdesk.js";

const D = "district-1";
const actor = (personId: string, ...roles: RoleGrant[]): PolicyActor => ({ personId, districtId: D, roles });
const ticket = (over: Partial<TicketFacts> = {}): TicketFacts => ({ districtId: D, schoolId: "A", requesterId: "student-1", audience: "student", status: "new", rated: false, ...over });

describe("help desk rules", () => {
  const assistant = actor("tech-1", { role: "student_tech", schoolId: "A" });
  const itStaff = actor("it-1", { role: "it_staff", schoolId: "A" });
  const student = actor("student-1", { role: "student", schoolId: "A" });

  it("lets a student assistant work the student help desk at their school, never the staff queue nor another school", () => {
    expect(canWorkTicket(assistant, ticket())).toBe(true);
    expect(canWorkTicket(assistant, ticket({ audience: "staff" }))).toBe(false);
    expect(canWorkTicket(assistant, ticket({ schoolId: "B" }))).toBe(false);
    expect(canSeeStaffNotes(assistant, ticket())).toBe(false);
    expect(canEscalateTicket(assistant, ticket())).toBe(false);
  });

  it("lets the school's tech staff work every queue there and read staff-only notes", () => {
    expect(canWorkTicket(itStaff, ticket({ audience: "staff" }))).toBe(true);
    expect(canSeeStaffNotes(itStaff, ticket())).toBe(true);
    expect(canWorkTicket(itStaff, ticket({ schoolId: "B" }))).toBe(false);
  });

  it("lets a student read only their own tickets and rate them once, after they are resolved", () => {
    expect(canReadTicket(student, ticket())).toBe(true);
    expect(canReadTicket(student, ticket({ requesterId: "student-2" }))).toBe(false);
    expect(canRateTicket(student, ticket())).toBe(false);
    expect(canRateTicket(student, ticket({ status: "resolved" }))).toBe(true);
    expect(canRateTicket(student, ticket({ status: "resolved", rated: true }))).toBe(false);
    expect(canRateTicket(itStaff, ticket({ status: "resolved" }))).toBe(false);
  });

  it("refuses everything across districts", () => {
    expect(canReadTicket(actor("admin", { role: "district_admin", schoolId: null }), ticket({ districtId: "other" }))).toBe(false);
  });

  it("lets people file at their own schools, and the desk file for others at its schools", () => {
    expect(canFileAt(student, "A")).toBe(true);
    expect(canFileAt(student, "B")).toBe(false);
    expect(canFileFor(assistant, "A")).toBe(true);
    expect(canFileFor(student, "A")).toBe(false);
    expect(reportSchools(actor("l", { role: "school_leader", schoolId: "A" }))).toEqual(["A"]);
  });

  it("has a workflow that reaches every status and never skips from new to resolved", () => {
    expect(NEXT_STATUSES.new).toEqual(["triaged"]);
    const reached = new Set<string>(["new"]);
    for (let i = 0; i < TICKET_STATUSES.length; i++) for (const s of [...reached]) for (const n of NEXT_STATUSES[s as keyof typeof NEXT_STATUSES]) reached.add(n);
    expect([...reached].sort()).toEqual([...TICKET_STATUSES].sort());
    expect(NEXT_STATUSES.closed).toEqual([]);
  });
});
