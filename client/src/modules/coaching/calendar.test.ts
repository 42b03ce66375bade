import { describe, expect, it } from "vitest";
import { addDays, describeTermPeriod, fillBuckets, formatBucket, isIsoDate, nextBucket, schoolYearStart, weekStart } from "./calendar.js";

describe("coaching calendar dates", () => {
  it("finds the Monday of a week, across a month and a year", () => {
    expect(weekStart("2026-11-28")).toBe("2026-11-23"); // a Saturday
    expect(weekStart("2026-11-23")).toBe("2026-11-23"); // a Monday stays
    expect(weekStart("2027-01-03")).toBe("2026-12-28"); // a Sunday in the new year
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
  });

  it("accepts only real calendar dates", () => {
    expect(isIsoDate("2026-02-28")).toBe(true);
    expect(isIsoDate("2026-02-30")).toBe(false);
    expect(isIsoDate("26-02-01")).toBe(false);
    expect(isIsoDate(null)).toBe(false);
  });

  it("starts the school year on July 1 and names the terms the dashboard sends", () => {
    expect(schoolYearStart("2026-06-30")).toBe("2025-07-01");
    expect(schoolYearStart("2026-07-01")).toBe("2026-07-01");
    const fall = { key: "2026-08-19", name: "Semester 1", startDate: "2026-08-19", endDate: "2026-12-18" };
    const spring = { key: "2027-01-06", name: "Semester 2", startDate: "2027-01-06", endDate: "2027-05-28" };
    expect(formatBucket("term", "2026-08-19", false, new Map([[fall.key, fall.name]]))).toBe("Semester 1");
    expect(describeTermPeriod([fall], "2026-11-28")).toBe("this term (Semester 1)");
    expect(describeTermPeriod([fall, spring], "2026-11-28")).toBe("Semester 1 – Semester 2");
  });

  it("steps from one bucket to the next: weeks, months over a year end", () => {
    expect(nextBucket("week", "2026-12-28")).toBe("2027-01-04");
    expect(nextBucket("month", "2026-12")).toBe("2027-01");
  });

  it("fills the quiet buckets between the first and the last, so the time axis has no gaps", () => {
    const filled = fillBuckets("month", [{ bucket: "2026-10", minutes: 30 }, { bucket: "2027-01", minutes: 45 }], (bucket) => ({ bucket, minutes: 0 }));
    expect(filled).toEqual([
      { bucket: "2026-10", minutes: 30 },
      { bucket: "2026-11", minutes: 0 },
      { bucket: "2026-12", minutes: 0 },
      { bucket: "2027-01", minutes: 45 },
    ]);
    expect(fillBuckets("week", [], (bucket) => ({ bucket }))).toEqual([]);
    const terms = ["2026-07-01", "2027-01-01", "2027-07-01"];
    expect(fillBuckets("term", [{ bucket: "2026-07-01" }, { bucket: "2027-07-01" }], (bucket) => ({ bucket }), terms).map((b) => b.bucket)).toEqual(terms);
  });
});
