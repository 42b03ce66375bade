import { z } from "zod";
import { PageLimits, SearchLimits } from "../limits.js";

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
export type TList<T> = { items: T[]; total: number; nextCursor: string | null };

export const ZOk = z.object({ ok: z.literal(true) });
