import { z } from "zod";
import { ZPublicUrl } from "./settings.js";
import { NameLimits, PasswordLimits, TokenLimits } from "../limits.js";
import { ZEmail, ZPerson } from "./people.js";
import { singleLine, ZId, ZTimestamp } from "./common.js";

export const ZPassword = z
  .string()
  .min(PasswordLimits.min, `Use at least ${PasswordLimits.min} characters`)
  .max(PasswordLimits.max);

export const ZLoginRequest = z.strictObject({
  email: ZEmail,
  password: z.string().min(1).max(PasswordLimits.max),
});
export type TLoginRequest = z.infer<typeof ZLoginRequest>;

export const ZDistrict = z.object({ id: ZId, name: z.string(), timezone: z.string() });

export const ZMe = z
  .object({
    person: ZPerson,
    district: ZDistrict,
    csrfToken: z.string().nullable().describe("Send as `X-CSRF-Token` on writes made with the session cookie"),
  })
  .meta({ id: "Me" });
export type TMe = z.infer<typeof ZMe>;

/** Whether anyone is signed in: 200 either way, so a signed-out page asks without an error (or a console 401). */
export const ZSession = z.object({ me: ZMe.nullable().describe("The signed-in person, as GET /me answers; null when nobody is signed in") }).meta({ id: "Session" });
export type TSession = z.infer<typeof ZSession>;

export const ZUpdateMeRequest = z.strictObject({
  givenName: singleLine({ max: NameLimits.max }).optional(),
  familyName: singleLine({ max: NameLimits.max }).optional(),
});

export const ZChangePasswordRequest = z.strictObject({
  currentPassword: z.string().max(PasswordLimits.max),
  newPassword: ZPassword,
  revokeTokens: z.boolean().default(false).describe("Also revoke every personal API token (your other sessions end either way)"),
});

export const ZPasswordResetRequest = z.strictObject({ email: ZEmail });
export const ZPasswordResetConfirm = z.strictObject({
  token: z.string().min(10).max(200),
  password: ZPassword,
});

export const ZSetupStatus = z.object({ needsSetup: z.boolean() });
export const ZSetupRequest = z.strictObject({
  token: z.string().min(10).max(200).describe("The one-time token printed in the server log"),
  districtName: singleLine({ max: NameLimits.max }),
  timezone: singleLine({ max: 64 }).default("America/New_York"),
  givenName: singleLine({ max: NameLimits.max }),
  familyName: singleLine({ max: NameLimits.max }),
  email: ZEmail,
  password: ZPassword,
  publicUrl: ZPublicUrl.optional().describe("The address people reach Coachwork at (the setup page sends its own); links in emails use it"),
});
export type TSetupRequest = z.infer<typeof ZSetupRequest>;

export const TOKEN_SCOPES = ["read", "read_write"] as const;

export const ZApiToken = z
  .object({
    id: ZId,
    name: z.string(),
    prefix: z.string().describe("First characters of the token, to recognise it"),
    createdAt: ZTimestamp,
    lastUsedAt: ZTimestamp.nullable(),
    expiresAt: ZTimestamp.nullable(),
    scope: z.enum(TOKEN_SCOPES).describe("`read`: GET only; `read_write`: reads and writes"),
  })
  .meta({ id: "ApiToken" });
export const ZCreateApiTokenRequest = z.strictObject({
  name: singleLine({ max: TokenLimits.maxNameLength }),
  expiresInDays: z
    .number()
    .int()
    .min(1)
    .max(TokenLimits.maxLifetimeDays)
    .optional()
    .describe("Days until it expires; at most the district's maximum lifetime (the default)"),
  scope: z.enum(TOKEN_SCOPES).default("read_write"),
});
export const ZCreatedApiToken = ZApiToken.extend({
  token: z.string().describe("Shown once; send as `Authorization: Bearer <token>`"),
});
