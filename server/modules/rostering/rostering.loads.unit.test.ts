import { describe, expect, it } from "vitest";
import { hash53 } from "./issues.js";
import { enrollmentPrint, enrollmentPrintOfText, enrollmentPrintText } from "./rostering.loads.js";

const base = {
  classId: "0190a0b2-7c1e-7d3a-9e4f-1a2b3c4d5e6f",
  personId: "0190a0b2-7c1e-7d3a-9e4f-aabbccddeeff",
  schoolId: "0190a0b2-7c1e-7d3a-9e4f-000000000001",
  role: "student",
  isPrimary: 0,
  begin: "2026-08-15" as string | null,
  end: "2027-06-15" as string | null,
};

describe("enrollmentPrint", () => {
  it("equals the fingerprint of the joined values that older rows are compared by", () => {
    for (const p of [base, { ...base, begin: null, end: null }, { ...base, isPrimary: 1, role: "teacher" }, { ...base, schoolId: "Schüle ✓" }]) {
      const text = enrollmentPrintText(p);
      expect(enrollmentPrint(p)).toBe(enrollmentPrintOfText(text));
      expect(enrollmentPrint(p)).toBe(hash53(text) % 2 ** 51);
    }
  });

  it("changes with each value it covers, and stays under 2^51", () => {
    const prints = new Set([
      enrollmentPrint(base),
      enrollmentPrint({ ...base, classId: `${base.classId}x` }),
      enrollmentPrint({ ...base, personId: `${base.personId}x` }),
      enrollmentPrint({ ...base, schoolId: `${base.schoolId}x` }),
      enrollmentPrint({ ...base, role: "teacher" }),
      enrollmentPrint({ ...base, isPrimary: 1 }),
      enrollmentPrint({ ...base, begin: null }),
      enrollmentPrint({ ...base, end: "2027-06-14" }),
      // The separators count: a value moved from one field to the next is a change.
      enrollmentPrint({ ...base, begin: "", end: "2026-08-15|2027-06-15" }),
    ]);
    expect(prints.size).toBe(9);
    for (const p of prints) expect(Number.isSafeInteger(p) && p >= 0 && p < 2 ** 51).toBe(true);
  });
});
