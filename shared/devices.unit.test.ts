import { describe, expect, it } from "vitest";
import { gradeKey, gradeSpellings, normaliseTag } from "./schemas/devices.js";

describe("scanned and typed asset tags", () => {
  it.each([
    ["MV-00012", "MV-00012"],
    [" mv-00012 ", "MV-00012"],
    ["]C0MV-00012", "MV-00012"],
    ["*MV-00012*", "MV-00012"],
    ["mv - 000 12", "MV-00012"],
    ["MV-00012\t", "MV-00012"],
    ["#MV/2026.7!", "MV/2026.7"],
  ])("reads %j as %s", (raw, tag) => expect(normaliseTag(raw)).toBe(tag));

  it("leaves nothing of a scan with no letters or digits", () => expect(normaliseTag(" *-* ")).toBe(""));
});

describe("grades", () => {
  it("treats the roster's 09 and a spreadsheet's 9 as one grade, and KG as itself", () => {
    expect(gradeKey("09")).toBe(gradeKey("9"));
    expect(gradeKey("10")).toBe("10");
    expect(gradeKey("KG")).toBe("KG");
    expect(gradeSpellings(["9"]).sort()).toEqual(["09", "9"]);
  });
});
