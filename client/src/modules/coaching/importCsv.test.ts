import { describe, expect, it } from "vitest";
import { guessMapping, readPreview } from "./importCsv.js";

describe("Google Forms import in the browser", () => {
  it("guesses each field's column from a Google Forms header, using each column once", () => {
    const headers = ["Timestamp", "Email Address", "Date of activity", "Time spent (minutes)", "What did you do?", "School", "Teacher(s)", "Comments"];
    expect(guessMapping(headers)).toEqual({
      date: "Date of activity",
      minutes: "Time spent (minutes)",
      category: "What did you do?",
      school: "School",
      teachers: "Teacher(s)",
      notes: "Comments",
    });
  });

  it("falls back to the Timestamp when the form has no date question, and leaves unknown fields empty", () => {
    expect(guessMapping(["Timestamp", "Minutes", "Activity type"])).toEqual({
      date: "Timestamp",
      minutes: "Minutes",
      category: "Activity type",
      school: "",
      teachers: "",
      notes: "",
    });
  });

  it("previews the header and first rows of a file with a BOM and a quoted newline", async () => {
    const preview = await readPreview('\uFEFFDate,Minutes,Notes\r\n2026-11-02,45,"Two\nlines"\r\n2026-11-03,30,\r\n2026-11-04,15,x\r\n2026-11-05,10,y\r\n', 2);
    expect(preview.headers).toEqual(["Date", "Minutes", "Notes"]);
    expect(preview.rows).toEqual([
      ["2026-11-02", "45", "Two\nlines"],
      ["2026-11-03", "30", ""],
    ]);
  });
});
