import { z } from "zod";

/** Stable error codes: clients switch on these, never on messages. */
export const ERROR_CODES = [
  "bad_request",
  "validation_failed",
  "unauthenticated",
  "csrf_failed",
  "forbidden",
  "not_found",
  "conflict",
  "gone",
  "rate_limited",
  "payload_too_large",
  "unsupported_media_type",
  "setup_complete",
  "unavailable",
  "database_unavailable",
  "storage_full",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ZFieldIssue = z.object({
  path: z.string().describe("Dotted path of the offending field, e.g. `body.email`"),
  message: z.string(),
});
export type TFieldIssue = z.infer<typeof ZFieldIssue>;

export const ZErrorResponse = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: "Error" });
export type TErrorResponse = z.infer<typeof ZErrorResponse>;
