import { describe, expect, it } from "vitest";
import { issueFieldPath, mapServerIssues, readServerIssues } from "./serverIssues.js";

describe("mapServerIssues", () => {
  it("puts each issue on its field, without the body. prefix, in words a person reads", () => {
    const mapped = mapServerIssues(
      [
        { path: "body.email", message: "is not a valid email address" },
        { path: "body.password", message: "must be at least 10 characters" },
      ],
      ["email", "password"],
    );
    expect(mapped).toEqual({
      fieldErrors: { email: "This is not a valid email address", password: "This must be at least 10 characters" },
      formMessages: [],
    });
  });

  it("keeps the first message when a field has several", () => {
    const mapped = mapServerIssues(
      [
        { path: "body.name", message: "must not be empty" },
        { path: "body.name", message: "must be at most 200 characters" },
      ],
      ["name"],
    );
    expect(mapped.fieldErrors).toEqual({ name: "This must not be empty" });
  });

  it("lands a deeper path on the nearest field the form has", () => {
    const mapped = mapServerIssues([{ path: "body.teacherIds.2", message: "is not a teacher at this school" }], ["teacherIds"]);
    expect(mapped.fieldErrors).toEqual({ teacherIds: "This is not a teacher at this school" });
    const nested = mapServerIssues([{ path: "body.roles.0.schoolId", message: "is required" }], ["roles", "roles.0.schoolId"]);
    expect(nested.fieldErrors).toEqual({ "roles.0.schoolId": "This is required" });
  });

  it("turns issues on the whole body or on fields the form does not show into form messages", () => {
    const mapped = mapServerIssues(
      [
        { path: "body", message: "Choose a school or a teacher" },
        { path: "query.limit", message: "must be at most 200" },
        { path: "body", message: "Choose a school or a teacher" },
      ],
      ["name"],
    );
    expect(mapped).toEqual({ fieldErrors: {}, formMessages: ["Choose a school or a teacher", "This must be at most 200"] });
  });
});

describe("issueFieldPath", () => {
  it("strips the request part", () => {
    expect(issueFieldPath("body.roles.0.schoolId")).toBe("roles.0.schoolId");
    expect(issueFieldPath("params.id")).toBe("id");
    expect(issueFieldPath("body")).toBe("");
  });
});

describe("readServerIssues", () => {
  it("reads the issues of an error's details and ignores anything else", () => {
    expect(readServerIssues({ issues: [{ path: "body.email", message: "taken" }, null, { message: 3 }] })).toEqual([
      { path: "body.email", message: "taken" },
      { path: "", message: "Invalid value" },
    ]);
    expect(readServerIssues(undefined)).toEqual([]);
    expect(readServerIssues({ issues: "nope" })).toEqual([]);
  });
});
