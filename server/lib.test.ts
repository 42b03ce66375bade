import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, fold, prefixUpperBound } from "./lib.js";

describe("fold", () => {
  it("lower-cases and strips accents so search and sort agree on both databases", () => {
    expect(fold("José Ñúñez")).toBe("jose nunez");
  });
});

describe("prefixUpperBound", () => {
  it("is greater than every string with the prefix and smaller than the next prefix", () => {
    const upper = prefixUpperBound("mar");
    expect(upper).toBe("mas");
    for (const s of ["mar", "maria", "mar\u{10FFFF}", "marzzz"]) expect(s < upper).toBe(true);
    expect("mas" < upper).toBe(false);
  });
});

describe("cursors", () => {
  it("round-trip and reject garbage", () => {
    expect(decodeCursor(encodeCursor(["smith john", "id1"]), 2)).toEqual(["smith john", "id1"]);
    expect(decodeCursor("not-a-cursor", 2)).toBeUndefined();
    expect(decodeCursor(encodeCursor(["a"]), 2)).toBeUndefined();
  });
});
