import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/client.js";
import { settingsErrorMessage } from "./settingsIssues.js";

const invalid = (issues: { path: string; message: string }[]) => new ApiError({ status: 400, code: "validation_failed", message: "Invalid request", details: { issues } });

describe("settingsErrorMessage", () => {
  it("names the field a duplicate name is about, instead of pointing at highlighted fields", () => {
    const error = invalid([{ path: "body.name", message: "is already a category's name" }]);
    expect(settingsErrorMessage(error, (f) => (f === "name" ? "New category" : null))).toBe("New category: is already a category's name");
  });

  it("names the category and priority of a target row from its index", () => {
    const rows = [{ name: "Won't charge", priority: "Normal" }];
    const error = invalid([{ path: "body.targets.0.resolutionMinutes", message: "must be at least the minutes to a first response" }]);
    const label = (f: string) => {
      const m = /^targets\.(\d+)\.(responseMinutes|resolutionMinutes)$/.exec(f);
      const row = m ? rows[Number(m[1])] : undefined;
      return row ? `${row.name}, ${row.priority}` : null;
    };
    expect(settingsErrorMessage(error, label)).toBe("Won't charge, Normal: must be at least the minutes to a first response");
  });

  it("keeps an issue on an unknown field as a sentence, and a plain error's message", () => {
    expect(settingsErrorMessage(invalid([{ path: "body.audience", message: "is not a queue audience" }]), () => null)).toBe("This is not a queue audience");
    const conflict = new ApiError({ status: 409, code: "conflict", message: "“Library desk” has 2 open tickets" });
    expect(settingsErrorMessage(conflict, () => null)).toBe("“Library desk” has 2 open tickets");
  });
});
