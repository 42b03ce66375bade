import { describe, expect, it } from "vitest";
import { formatBytes, formatCount } from "./format.js";

describe("formatting for people", () => {
  it("counts with the right plural", () => {
    expect(formatCount(1, "error")).toBe("1 error");
    expect(formatCount(2, "error")).toBe("2 errors");
    expect(formatCount(3, "person", "people")).toBe("3 people");
  });

  it("says a capped count is a lower bound", () => {
    expect(formatCount(1000, "person", "people", true)).toBe(`${(1000).toLocaleString()}+ people`);
    expect(formatCount(1, "person", "people", true)).toBe("1+ people");
  });

  it("gives file sizes in bytes, KB or MB as they grow", () => {
    expect(formatBytes(840)).toBe("840 bytes");
    expect(formatBytes(2_300)).toBe("2 KB");
    expect(formatBytes(3.4 * 2 ** 20)).toBe("3.4 MB");
  });
});
