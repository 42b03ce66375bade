import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/client.js";
import { mapServerIssues } from "../../kits/form/serverIssues.js";
import { coachingServerIssues } from "./formIssues.js";

const teachers = [
  { id: "t1", name: "Ana Ruiz" },
  { id: "t2", name: "Ben Lee" },
];
const fields = ["categoryId", "minutes", "date", "schoolId", "teachers", "notes", "cycleId"];

describe("coachingServerIssues", () => {
  it("puts an issue on teacherIds.1 on the teachers picker, naming the teacher", () => {
    const issues = [{ path: "body.teacherIds.1", message: "is not a teacher at this school" }];
    const error = new ApiError({ status: 400, code: "validation_failed", message: "Invalid request", details: { issues } });
    const mapped = mapServerIssues(coachingServerIssues(teachers)(issues, error), fields);
    expect(mapped).toEqual({ fieldErrors: { teachers: "Ben Lee: is not a teacher at this school" }, formMessages: [] });
  });

  it("puts a school the coach does not coach at on the school field", () => {
    const error = new ApiError({ status: 403, code: "forbidden", message: "You do not coach at this school." });
    const mapped = mapServerIssues(coachingServerIssues(teachers)([], error), fields);
    expect(mapped.fieldErrors).toEqual({ schoolId: "You do not coach at this school." });
  });

  it("leaves other issues where they were", () => {
    const issues = [{ path: "body.minutes", message: "must be at most 16 hours" }];
    const error = new ApiError({ status: 400, code: "validation_failed", message: "Invalid request", details: { issues } });
    expect(coachingServerIssues(teachers)(issues, error)).toEqual(issues);
  });
});
