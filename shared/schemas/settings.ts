import { z } from "zod";
import { TokenLimits } from "../limits.js";
import { singleLine } from "./common.js";

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
    allowPrivateChatWebhooks: z.boolean().describe("Allow chat reminder webhooks and Mastodon/Bluesky servers on private, loopback or link-local addresses"),
  })
  .meta({ id: "DistrictSettings" });
export type TDistrictSettings = z.infer<typeof ZDistrictSettings>;

export const ZUpdateDistrictSettingsRequest = z.strictObject({
  publicUrl: ZPublicUrl.nullable().optional(),
  leadersSeeTeacherNames: z.boolean().optional(),
  tokenMaxLifetimeDays: z.number().int().min(1).max(TokenLimits.maxLifetimeDays).optional(),
  allowPrivateSsoIssuers: z.boolean().optional(),
  allowPrivateChatWebhooks: z.boolean().optional(),
});
export type TUpdateDistrictSettingsRequest = z.infer<typeof ZUpdateDistrictSettingsRequest>;

// ---- The district: its name, time zone, terms and the coaching target (Settings → District) ----

/** Is `zone` an IANA time zone this runtime knows ("America/Chicago")? */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone.includes("/") || zone === "UTC";
  } catch {
    return false;
  }
}

export const TermLimits = { maxTerms: 60 } as const;

const ZTermDate = z.iso.date().describe("Calendar date, YYYY-MM-DD");

export const ZTermDefinition = z
  .strictObject({
    name: singleLine({ max: 80 }).describe('As people say it: "Fall 2026", "Semester 1"'),
    schoolYear: z
      .string()
      .trim()
      .regex(/^\d{4}-\d{2}$/, 'must look like "2026-27"')
      .describe('The school year the term belongs to, "2026-27"'),
    startDate: ZTermDate,
    endDate: ZTermDate,
  })
  .meta({ id: "TermDefinition" });
export type TTermDefinition = z.infer<typeof ZTermDefinition>;

export const ZDistrictProfile = z
  .object({
    name: z.string(),
    timeZone: z.string().describe("IANA time zone: what \"today\" and \"this week\" mean on dashboards"),
    coachingShareTarget: z
      .number()
      .int()
      .nullable()
      .describe("The share of coaches' time (percent, 0–100) that should go to coaching rather than support; dashboards compare against it. Null: no target"),
    terms: z.array(ZTermDefinition).describe("The district's terms, by start date. Empty: Fall is July–December, Spring January–June"),
    rosterTerms: z
      .array(ZTermDefinition.extend({ sourceId: z.string() }))
      .describe("The terms (or, without any, semesters) of the roster's academic sessions, to copy into `terms`"),
  })
  .meta({ id: "DistrictProfile" });
export type TDistrictProfile = z.infer<typeof ZDistrictProfile>;

export const ZUpdateDistrictProfileRequest = z.strictObject({
  name: singleLine({ max: 120 }).optional(),
  timeZone: z.string().trim().max(64).refine(isKnownTimeZone, "is not a time zone this server knows (use an IANA name like America/Chicago)").optional(),
  coachingShareTarget: z.number().int().min(0).max(100).nullable().optional(),
  terms: z.array(ZTermDefinition).max(TermLimits.maxTerms).optional(),
});
export type TUpdateDistrictProfileRequest = z.infer<typeof ZUpdateDistrictProfileRequest>;
