import type { TList } from "../../shared/schemas/common.js";
import { fieldError } from "../errors.js";
import { decodeCursor, encodeCursor } from "../lib.js";

export type CursorValue = string | number;

/** Keyset ("cursor") pagination: the one way every list pages. */
export type PageRequest<Row, After> = {
  query: { cursor?: string; limit: number };
  /** The values that place a row in the list's order; the next page starts after the last row's. */
  cursorOf: (row: Row) => CursorValue[];
  /** Turns a decoded cursor back into the repository's position; undefined when it does not fit. */
  readCursor: (values: CursorValue[]) => NoInfer<After> | undefined;
  /** Fetches up to `limit` rows after `after` (null: from the start). */
  fetch: (after: After | null, limit: number) => Promise<Row[]>;
  /**
   * The list's total, counted alongside the page. Lists that do not count (a teacher's cycles)
   * leave it out; their total is then the rows seen so far, plus one when another page follows.
   */
  count?: (upTo: number | undefined) => Promise<number>;
  /**
   * Count at most this many rows (plus one, to know there are more): `count` gets `countCap + 1` and
   * may stop there; the answer then carries `totalIsCapped`. For lists that can match most of a large
   * district, where counting every match cost more than the page.
   */
  countCap?: number;
};

/** Reads a cursor made by `paginate` into a position, or throws a 400 naming `query.cursor`. */
export function readCursor<After>(cursor: string, read: (values: CursorValue[]) => After | undefined): After {
  const values = decodeCursor(cursor);
  const after = values ? read(values) : undefined;
  if (after === undefined) throw fieldError("query.cursor", "is not a cursor from this list");
  return after;
}

/**
 * Fetches one page (one row more than the limit, to know whether another page follows) and the
 * total, concurrently, and returns them in the API's list shape.
 */
export async function paginate<Row, After>(req: PageRequest<Row, After>): Promise<TList<Row>> {
  const after = req.query.cursor ? readCursor(req.query.cursor, req.readCursor) : null;
  const cap = req.countCap;
  const [counted, rows] = await Promise.all([req.count?.(cap === undefined ? undefined : cap + 1), req.fetch(after, req.query.limit + 1)]);
  const items = rows.slice(0, req.query.limit);
  const last = items[items.length - 1];
  const hasMore = rows.length > req.query.limit;
  const nextCursor = hasMore && last ? encodeCursor(req.cursorOf(last)) : null;
  const total = counted ?? items.length + (hasMore ? 1 : 0);
  if (cap === undefined) return { items, total, nextCursor };
  return { items, total: Math.min(total, cap), totalIsCapped: total > cap, nextCursor };
}
