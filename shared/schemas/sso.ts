import { z } from "zod";
import { NameLimits } from "../limits.js";
import type { Role } from "../roles.js";
import { singleLine, ZId, ZTimestamp } from "./common.js";

/** Provider presets: Google Workspace, Microsoft Entra ID, or any OpenID Connect issuer. */
export const SSO_KINDS = ["google", "microsoft", "oidc"] as const;
export type SsoKind = (typeof SSO_KINDS)[number];

export const SSO_KIND_LABELS: Record<SsoKind, string> = {
  google: "Google Workspace",
  microsoft: "Microsoft Entra ID (Microsoft 365)",
  oidc: "Other OpenID Connect provider",
};

export const GOOGLE_ISSUER = "https://accounts.google.com";
/** Entra ID's issuer for one tenant; the tenant's own issuer keeps other organisations' accounts out. */
export const microsoftIssuer = (tenantId: string): string => `https://login.microsoftonline.com/${tenantId}/v2.0`;
const MICROSOFT_ISSUER = /^https:\/\/login\.microsoftonline\.com\/([0-9a-f-]{36})\/v2\.0$/;

/** The tenant id in a Microsoft issuer URL, or null. */
export function tenantIdOf(issuer: string): string | null {
  return MICROSOFT_ISSUER.exec(issuer)?.[1] ?? null;
}

/** Roles a self-provisioned person may be given (district-wide). Never admin, never student. */
export const SSO_DEFAULT_ROLES = ["teacher", "coach", "school_leader", "it_staff"] as const satisfies readonly Role[];
export type SsoDefaultRole = (typeof SSO_DEFAULT_ROLES)[number];

export const SsoLimits = {
  maxDomains: 20,
  maxSecret: 2000,
  maxClientId: 300,
  maxIssuer: 500,
  /** A pending sign-in (state, nonce, PKCE verifier) expires after this long. */
  stateTtlMinutes: 10,
  maxReturnTo: 2000,
} as const;

/** The scopes Coachwork asks for; register the same ones at the provider. */
export const SSO_SCOPES = "openid email profile";

/** Why a single sign-on attempt ended on `/login?error=<code>`; the sign-in page shows the message. */
export const SSO_ERROR_MESSAGES = {
  sso_state: "That sign-in link expired or was already used. Please try again.",
  sso_unavailable: "Single sign-on with this provider is not available right now. Sign in with your password or ask your administrator.",
  sso_cancelled: "Sign-in was cancelled at your identity provider.",
  sso_failed: "Your identity provider did not confirm who you are. Please try again.",
  sso_email_unverified: "Your identity provider has not verified your email address.",
  sso_domain: "Accounts from that email domain cannot sign in here. Use your school district account.",
  sso_unknown: "There is no Coachwork account for that email address. Ask your administrator to add you.",
  sso_inactive: "Your Coachwork account is deactivated. Ask your administrator.",
} as const;
export type SsoErrorCode = keyof typeof SSO_ERROR_MESSAGES;

/** The message for `?error=` on the sign-in page; a generic one for codes this client does not know. */
export function ssoErrorMessage(code: string): string {
  return Object.hasOwn(SSO_ERROR_MESSAGES, code)
    ? SSO_ERROR_MESSAGES[code as SsoErrorCode]
    : "Single sign-on did not work. Please try again or sign in with your password.";
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Issuers must use HTTPS; plain HTTP is allowed only on this machine (a development provider). */
export function isAcceptableIssuer(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password || url.search || url.hash) return false;
  return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
}

const ZIssuer = z
  .string()
  .trim()
  .max(SsoLimits.maxIssuer)
  .refine(isAcceptableIssuer, "must be an https:// URL (http:// only for localhost), without query or fragment");

const ZTenantId = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "must be the Directory (tenant) ID, a GUID like 0b1c…-…");

const ZDomain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a domain like riverside.k12.example");

const ZDisplayName = singleLine({ max: NameLimits.max });
const ZClientId = singleLine({ max: SsoLimits.maxClientId });
const ZClientSecret = z.string().min(1).max(SsoLimits.maxSecret);
const ZDomains = z.array(ZDomain).max(SsoLimits.maxDomains);

/** One enabled provider, as the sign-in page needs it (public). */
export const ZSsoPublicProvider = z
  .object({ id: ZId, displayName: z.string(), kind: z.enum(SSO_KINDS) })
  .meta({ id: "SsoPublicProvider" });
export type TSsoPublicProvider = z.infer<typeof ZSsoPublicProvider>;
export const ZSsoPublicProviderList = z.object({ items: z.array(ZSsoPublicProvider) });

/** A provider as district admins see it; the client secret never leaves the server. */
export const ZSsoProvider = z
  .object({
    id: ZId,
    kind: z.enum(SSO_KINDS),
    displayName: z.string(),
    issuer: z.string(),
    tenantId: z.string().nullable().describe("Microsoft only: the Directory (tenant) ID"),
    clientId: z.string(),
    hasSecret: z.boolean(),
    allowedDomains: z.array(z.string()),
    allowSelfProvisioning: z.boolean(),
    defaultRole: z.enum(SSO_DEFAULT_ROLES),
    isEnabled: z.boolean(),
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
  })
  .meta({ id: "SsoProvider" });
export type TSsoProvider = z.infer<typeof ZSsoProvider>;

export const ZSsoProviderList = z.object({
  items: z.array(ZSsoProvider),
  redirectUri: z.string().describe("Register this redirect URI with the identity provider"),
});
export type TSsoProviderList = z.infer<typeof ZSsoProviderList>;

type ProviderShape = {
  kind?: SsoKind;
  issuer?: string | null;
  tenantId?: string | null;
  allowedDomains?: string[];
  allowSelfProvisioning?: boolean;
};

/** Rules that span fields; the server checks them again on the merged record of a PATCH. */
export function ssoProviderIssues(p: ProviderShape): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  if (p.kind === "oidc" && !p.issuer) issues.push({ path: "issuer", message: "is required for an OpenID Connect provider" });
  if (p.kind === "microsoft" && !p.tenantId) issues.push({ path: "tenantId", message: "is required for Microsoft Entra ID" });
  if (p.allowSelfProvisioning && (p.allowedDomains ?? []).length === 0) {
    issues.push({ path: "allowedDomains", message: "must list at least one domain when new people may sign up themselves" });
  }
  return issues;
}

export const ZCreateSsoProviderRequest = z
  .strictObject({
    kind: z.enum(SSO_KINDS),
    displayName: ZDisplayName,
    issuer: ZIssuer.optional().describe("OpenID Connect providers only; Google's is fixed, Microsoft's comes from the tenant"),
    tenantId: ZTenantId.optional().describe("Microsoft only"),
    clientId: ZClientId,
    clientSecret: ZClientSecret.nullable().default(null).describe("Stored encrypted; null for a public client using PKCE only"),
    allowedDomains: ZDomains.default([]),
    allowSelfProvisioning: z.boolean().default(false),
    defaultRole: z.enum(SSO_DEFAULT_ROLES).default("teacher"),
    isEnabled: z.boolean().default(true),
  })
  .superRefine((p, ctx) => {
    for (const issue of ssoProviderIssues(p)) ctx.addIssue({ code: "custom", path: [issue.path], message: issue.message });
  });
export type TCreateSsoProviderRequest = z.infer<typeof ZCreateSsoProviderRequest>;

export const ZUpdateSsoProviderRequest = z.strictObject({
  displayName: ZDisplayName.optional(),
  issuer: ZIssuer.optional(),
  tenantId: ZTenantId.optional(),
  clientId: ZClientId.optional(),
  clientSecret: ZClientSecret.nullable().optional().describe("A new secret; null removes it; leave out to keep it"),
  allowedDomains: ZDomains.optional(),
  allowSelfProvisioning: z.boolean().optional(),
  defaultRole: z.enum(SSO_DEFAULT_ROLES).optional(),
  isEnabled: z.boolean().optional(),
});
export type TUpdateSsoProviderRequest = z.infer<typeof ZUpdateSsoProviderRequest>;

export const ZSsoDiscoveryResult = z.object({
  ok: z.boolean(),
  issuer: z.string(),
  message: z.string().describe("What worked, or why discovery failed"),
  authorizationEndpoint: z.string().nullable(),
  tokenEndpoint: z.string().nullable(),
});
export type TSsoDiscoveryResult = z.infer<typeof ZSsoDiscoveryResult>;

export const ZSsoStartQuery = z.object({
  returnTo: z.string().max(SsoLimits.maxReturnTo).optional().describe("A path on this site to land on afterwards"),
});

export const ZSsoCallbackQuery = z.object({
  state: z.string().max(500).optional(),
  code: z.string().max(4000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
  iss: z.string().max(SsoLimits.maxIssuer).optional(),
});
