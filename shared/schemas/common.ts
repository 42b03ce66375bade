import { z } from "zod";
import { CountLimits, PageLimits, SearchLimits } from "../limits.js";

/** C0 control characters (NUL, tab, newline, escape…) and DEL: never part of a name or a title. */
const hasControlCharacter = (s: string): boolean => [...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);

/**
 * Single-line text (a name, a title, a code): trimmed, `min`–`max` characters, and no control
 * characters. A NUL, a newline or an escape sequence in a name breaks CSVs, logs and terminals.
 */
export function singleLine(opts: { max: number; min?: number }) {
  return z
    .string()
    .trim()
    .min(opts.min ?? 1)
    .max(opts.max)
    .refine((s) => !hasControlCharacter(s), "must be one line of text, without control characters");
}

export const ZId = z.string().min(1).max(64).describe("Opaque identifier");
export const ZIdParams = z.object({ id: ZId });

export const ZTimestamp = z.string().describe("ISO 8601 timestamp, UTC");

export const ZListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(PageLimits.max).default(PageLimits.default),
  cursor: z.string().max(512).optional().describe("`nextCursor` from the previous page"),
});

export const ZSearch = z.string().trim().max(SearchLimits.max);

/** Every list endpoint answers in this shape. */
export function listResponse<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    nextCursor: z.string().nullable(),
  });
}
/**
 * A list whose count stops at `CountLimits.cap`: `total` is exact up to the cap; past it `total` is
 * the cap and `totalIsCapped` is true ("1,000+").
 */
export function cappedListResponse<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int().describe(`Matches, counted up to ${CountLimits.cap.toLocaleString("en")}; when \`totalIsCapped\` is true there are more than this`),
    totalIsCapped: z.boolean().describe(`true when more than ${CountLimits.cap.toLocaleString("en")} match: \`total\` is then a lower bound, not a count`),
    nextCursor: z.string().nullable(),
  });
}
export type TList<T> = { items: T[]; total: number; nextCursor: string | null; totalIsCapped?: boolean };

export const ZOk = z.object({ ok: z.literal(true) });
