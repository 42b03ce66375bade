import { describe, expect, it } from "vitest";
import { tablesWritten } from "./rostering.apply.js";

describe("tablesWritten (whose planner statistics an import refreshes)", () => {
  it("names none for an import that writes nothing, such as a re-import of unchanged files", () => {
    expect(tablesWritten(new Map())).toEqual([]);
    expect(tablesWritten(new Map([["enrollment", 0]]))).toEqual([]);
  });

  it("names each table the planned ops write, deactivations and revoked grants included", () => {
    expect(tablesWritten(new Map([["deactivateEnrollment", 3], ["revokeGrant", 1], ["person", 2]])).sort()).toEqual(["enrollments", "people", "role_assignments"]);
    // The spool counts deactivations by op, not by table: every table they may apply to.
    expect(tablesWritten(new Map([["deactivate", 1]])).sort()).toEqual(["academic_sessions", "classes", "courses", "people", "roster_orgs", "schools"]);
  });
});
