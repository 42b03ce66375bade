/** Sorting for the data table: pure, so it is tested without a browser. */

export type SortDirection = "asc" | "desc";
export type SortValue = string | number | null | undefined;
export type SortState = { columnId: string; direction: SortDirection };

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** Compares two cell values: numbers by size, text as people read it ("Grade 2" before "Grade 10"). */
export function compareValues(a: SortValue, b: SortValue): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return collator.compare(String(a), String(b));
}

/**
 * The rows in the order of `value`, ascending or descending; empty values (null, undefined, "")
 * stay at the end either way, and equal rows keep their order (the server's order breaks ties).
 */
export function sortRows<T>(rows: readonly T[], value: (row: T) => SortValue, direction: SortDirection): T[] {
  const sign = direction === "asc" ? 1 : -1;
  const isEmpty = (v: SortValue) => v === null || v === undefined || v === "";
  return rows
    .map((row, index) => ({ row, index, key: value(row) }))
    .sort((x, y) => {
      const xEmpty = isEmpty(x.key);
      const yEmpty = isEmpty(y.key);
      if (xEmpty || yEmpty) return xEmpty === yEmpty ? x.index - y.index : xEmpty ? 1 : -1;
      return sign * compareValues(x.key, y.key) || x.index - y.index;
    })
    .map((entry) => entry.row);
}

/** Clicking a header: a new column sorts ascending, the same column flips. */
export function nextSort(current: SortState | null, columnId: string): SortState {
  if (current?.columnId !== columnId) return { columnId, direction: "asc" };
  return { columnId, direction: current.direction === "asc" ? "desc" : "asc" };
}
