import { z } from "zod";
import { TokenLimits } from "../limits.js";

/** An address people reach Coachwork at: http(s), no query or fragment, no trailing slash. */
export const ZPublicUrl = z
  .string()
  .trim()
  .max(300)
  .pipe(z.url({ protocol: /^https?$/, message: "must be an http:// or https:// address" }))
  .refine((u) => !u.includes("?") && !u.includes("#"), "must not have a query or fragment")
  .transform((u) => u.replace(/\/+$/, ""));

export const ZDistrictSettings = z
  .object({
    publicUrl: z.string().nullable().describe("The address links in emails use when PUBLIC_URL is not set"),
    publicUrlFromEnvironment: z.string().nullable().describe("PUBLIC_URL, which takes precedence when set"),
    leadersSeeTeacherNames: z.boolean().describe("School leaders see which teachers were coached most (off: totals only)"),
    tokenMaxLifetimeDays: z.number().int().describe("The longest a personal API token may live"),
    allowPrivateSsoIssuers: z.boolean().describe("Allow single sign-on issuers on private, loopback or link-local addresses"),
  })
  .meta({ id: "DistrictSettings" });
export type TDistrictSettings = z.infer<typeof ZDistrictSettings>;

export const ZUpdateDistrictSettingsRequest = z.strictObject({
  publicUrl: ZPublicUrl.nullable().optional(),
  leadersSeeTeacherNames: z.boolean().optional(),
  tokenMaxLifetimeDays: z.number().int().min(1).max(TokenLimits.maxLifetimeDays).optional(),
  allowPrivateSsoIssuers: z.boolean().optional(),
});
export type TUpdateDistrictSettingsRequest = z.infer<typeof ZUpdateDistrictSettingsRequest>;
