import { describe, expect, it } from "vitest";
import { nextSort, sortRows } from "./sort.js";

type Row = { name: string; count: number | null };
const rows: Row[] = [
  { name: "Grade 10", count: 3 },
  { name: "grade 2", count: null },
  { name: "Grade 1", count: 12 },
  { name: "", count: 3 },
];

describe("sortRows", () => {
  it("sorts text as people read it: case-insensitive, numbers inside by size", () => {
    expect(sortRows(rows, (r) => r.name, "asc").map((r) => r.name)).toEqual(["Grade 1", "grade 2", "Grade 10", ""]);
  });
  it("keeps empty values last in both directions", () => {
    expect(sortRows(rows, (r) => r.name, "desc").map((r) => r.name)).toEqual(["Grade 10", "grade 2", "Grade 1", ""]);
    expect(sortRows(rows, (r) => r.count, "desc").map((r) => r.count)).toEqual([12, 3, 3, null]);
  });
  it("keeps the server's order between equal values", () => {
    expect(sortRows(rows, (r) => r.count, "asc").map((r) => r.name)).toEqual(["Grade 10", "", "Grade 1", "grade 2"]);
  });
  it("does not change the array it was given", () => {
    const copy = [...rows];
    sortRows(rows, (r) => r.count, "asc");
    expect(rows).toEqual(copy);
  });
});

describe("nextSort", () => {
  it("starts a new column ascending and flips the same column", () => {
    expect(nextSort(null, "name")).toEqual({ columnId: "name", direction: "asc" });
    expect(nextSort({ columnId: "name", direction: "asc" }, "name")).toEqual({ columnId: "name", direction: "desc" });
    expect(nextSort({ columnId: "name", direction: "desc" }, "count")).toEqual({ columnId: "count", direction: "asc" });
  });
});
