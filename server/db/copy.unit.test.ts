import { describe, expect, it } from "vitest";
import { copyValue } from "./copy.js";

describe("COPY text format", () => {
  it("writes null as \\N and escapes backslashes, tabs and line ends", () => {
    expect(copyValue(null)).toBe("\\N");
    expect(copyValue(undefined)).toBe("\\N");
    expect(copyValue("O'Brien")).toBe("O'Brien");
    expect(copyValue("a\\b\tc\nd\re")).toBe("a\\\\b\\tc\\nd\\re");
    expect(copyValue("\\N")).toBe("\\\\N");
    expect(copyValue(1)).toBe("1");
    expect(copyValue("José Müller")).toBe("José Müller");
  });
});
