import { describe, expect, it } from "vitest";
import { termCalendar } from "../../../shared/terms.js";
import { addDays, isRealDate, monthOf, todayIn, weekOf } from "./calendar.js";
import { detectDateFormat, parseDateCell, parseMinutesCell, readCsv, splitList } from "./csv-import.js";

describe("calendar buckets", () => {
  it("puts a date in the Monday-started week, the month and the school-year term", () => {
    expect(weekOf("2026-11-28")).toBe("2026-11-23"); // a Saturday
    expect(weekOf("2026-11-23")).toBe("2026-11-23"); // a Monday
    expect(weekOf("2026-11-29")).toBe("2026-11-23"); // a Sunday
    expect(monthOf("2026-11-28")).toBe("2026-11");
    const fixed = termCalendar([]);
    expect(fixed.termOf("2026-11-28").key).toBe("2026-07-01");
    expect(fixed.termOf("2027-03-01")).toMatchObject({ key: "2027-01-01", name: "Spring 2027", schoolYear: "2026-27" });
    expect(fixed.termOf("2026-07-01").name).toBe("Fall 2026");
    // "Today" is the district's: 02:00 UTC on the 4th is still the 3rd in Chicago.
    expect(todayIn("America/Chicago", new Date("2026-12-04T02:00:00Z"))).toBe("2026-12-03");
    expect(todayIn("Asia/Tokyo", new Date("2026-12-03T20:00:00Z"))).toBe("2026-12-04");
  });

  it("rejects impossible dates and adds days across months", () => {
    expect(isRealDate("2026-02-30")).toBe(false);
    expect(isRealDate("2028-02-29")).toBe(true);
    expect(addDays("2026-11-30", 1)).toBe("2026-12-01");
  });
});

describe("Google Forms CSV parsing", () => {
  it("reads a BOM, CRLF line ends and quoted commas and newlines, keeping file line numbers", () => {
    const table = readCsv('\uFEFFTimestamp,Notes\r\n11/2/2026 9:00:00,"Co-planned, then\r\nmodeled"\r\n11/3/2026,plain\r\n');
    expect(table.headers).toEqual(["Timestamp", "Notes"]);
    expect(table.rows[0]?.cells.Notes).toBe("Co-planned, then\r\nmodeled");
    expect(table.rows.map((r) => r.line)).toEqual([2, 4]);
  });

  it("detects the date format, preferring the US one when every day is 12 or less", () => {
    expect(detectDateFormat(["11/2/2026", "11/3/2026 10:00:00"])).toEqual({ format: "M/D/YYYY", readsAll: true });
    expect(detectDateFormat(["28/11/2026", "2/11/2026"])).toEqual({ format: "D/M/YYYY", readsAll: true });
    expect(detectDateFormat(["2026-11-02", "11/28/2026"])).toMatchObject({ readsAll: false });
    expect(parseDateCell("2/30/2026", "M/D/YYYY")).toBeUndefined();
    expect(parseDateCell("2026-11-28T14:00:00Z", "YYYY-MM-DD")).toBe("2026-11-28");
  });

  it("reads minutes written the ways people write them", () => {
    expect(parseMinutesCell("45")).toBe(45);
    expect(parseMinutesCell("45 min")).toBe(45);
    expect(parseMinutesCell("1:30")).toBe(90);
    expect(parseMinutesCell("1.5 h")).toBe(90);
    expect(parseMinutesCell("2 hours")).toBe(120);
    expect(parseMinutesCell("a while")).toBeUndefined();
  });

  it("splits multi-valued teacher cells", () => {
    expect(splitList("Ana Ruiz, Ben Lee; Chloe Park")).toEqual(["Ana Ruiz", "Ben Lee", "Chloe Park"]);
  });
});

describe("rollup parts and terms", () => {
  it("splits a week that straddles two months into two parts", async () => {
    const { partBounds } = await import("./calendar.js");
    expect(partBounds("2026-11-30", "2026-11")).toEqual({ first: "2026-11-30", last: "2026-11-30" });
    expect(partBounds("2026-11-30", "2026-12")).toEqual({ first: "2026-12-01", last: "2026-12-06" });
    expect(partBounds("2026-12-28", "2026-12")).toEqual({ first: "2026-12-28", last: "2026-12-31" });
    expect(termCalendar([]).termsBetween("2026-05-01", "2027-02-01").map((t) => t.name)).toEqual(["Spring 2026", "Fall 2026", "Spring 2027"]);
  });
});
