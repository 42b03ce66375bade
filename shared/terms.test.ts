import { describe, expect, it } from "vitest";
import { termCalendar, termDefinitionsProblem } from "./terms.js";

const S1 = { name: "Semester 1", schoolYear: "2026-27", startDate: "2026-08-19", endDate: "2026-12-18" };
const S2 = { name: "Semester 2", schoolYear: "2026-27", startDate: "2027-01-06", endDate: "2027-05-28" };

describe("district terms", () => {
  it("without definitions: Fall is July–December, Spring January–June, keyed by their first day", () => {
    const c = termCalendar([]);
    expect(c.termOf("2026-12-31")).toEqual({ key: "2026-07-01", name: "Fall 2026", schoolYear: "2026-27", startDate: "2026-07-01", endDate: "2026-12-31", nominalEndDate: "2026-12-31", isDefined: false });
    expect(c.termOf("2027-01-01").key).toBe("2027-01-01");
    expect(c.schoolYearStart("2027-03-01")).toBe("2026-07-01");
  });

  it("with definitions: breaks count in the term that ended, days after the last term in it, days before the first by the fixed rule", () => {
    const c = termCalendar([S2, S1]);
    expect(c.termOf("2026-08-19").name).toBe("Semester 1");
    expect(c.termOf("2026-12-24")).toMatchObject({ name: "Semester 1", endDate: "2027-01-05", nominalEndDate: "2026-12-18" });
    expect(c.termOf("2027-01-06").name).toBe("Semester 2");
    expect(c.termOf("2027-07-15").name).toBe("Semester 2");
    // Before the first term: the fixed Fall, cut short where Semester 1 begins.
    expect(c.termOf("2026-08-18")).toMatchObject({ key: "2026-07-01", name: "Fall 2026", endDate: "2026-08-18", isDefined: false });
    expect(c.termOf("2026-03-01")).toMatchObject({ key: "2026-01-01", name: "Spring 2026" });
    expect(c.termsBetween("2026-08-01", "2027-02-01").map((t) => t.key)).toEqual(["2026-07-01", "2026-08-19", "2027-01-06"]);
    expect(c.termsBetween("2027-03-01", "2027-09-01").map((t) => t.name)).toEqual(["Semester 2"]);
    expect(c.schoolYearStart("2027-03-01")).toBe("2026-08-19");
  });

  it("refuses a term that ends before it starts or overlaps another, naming which", () => {
    expect(termDefinitionsProblem([S1, S2])).toBeNull();
    expect(termDefinitionsProblem([{ ...S1, endDate: "2026-08-01" }])).toEqual({ index: 0, field: "endDate", message: "is before the term's start" });
    expect(termDefinitionsProblem([S1, { ...S2, startDate: "2026-12-01" }])?.index).toBe(1);
    expect(termDefinitionsProblem([S1, { ...S2, startDate: "2026-12-01" }])?.message).toMatch(/overlaps "Semester 1"/);
  });
});
