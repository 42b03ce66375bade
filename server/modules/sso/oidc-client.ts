import * as oidc from "openid-client";
import { SSO_SCOPES } from "../../../shared/schemas/sso.js";
import { guardedFetch } from "../../platform/guarded-fetch.js";

// The thin layer over openid-client (the certified relying-party library): discovery with a
// cache, the authorization URL with PKCE (S256), and the code exchange that verifies the ID token.

export type ClientSettings = {
  /** Cache identity: provider id plus its updated_at, so an edit takes effect at once. */
  cacheKey: string | null;
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  /** The district allows issuers on private, loopback and link-local addresses (an in-house provider). */
  allowPrivate: boolean;
};

const DISCOVERY_TTL_MS = 60 * 60 * 1000;
const DISCOVERY_TIMEOUT_S = 10;
const MAX_CACHED = 100;
const cache = new Map<string, { expiresAt: number; config: Promise<oidc.Configuration> }>();

function isLoopbackHttp(issuer: URL): boolean {
  return issuer.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(issuer.hostname);
}

async function discoverNow(s: ClientSettings): Promise<oidc.Configuration> {
  const issuer = new URL(s.issuer);
  // https always; plain http only for a development provider on this machine, and only when the district
  // allows private issuers (the admin API refuses other http:// issuers).
  const allowInsecure = s.allowPrivate && isLoopbackHttp(issuer);
  if (issuer.protocol !== "https:" && !allowInsecure) {
    throw new Error(`${issuer.origin} is not https; identity providers must be reached over https`);
  }
  const auth = s.clientSecret === null ? oidc.None() : oidc.ClientSecretPost(s.clientSecret);
  return oidc.discovery(issuer, s.clientId, undefined, auth, {
    timeout: DISCOVERY_TIMEOUT_S,
    // Every later request (keys, token, userinfo) uses the same fetch: endpoints named by the discovery
    // document are held to the same rule as the issuer.
    [oidc.customFetch]: guardedFetch({ allowPrivate: s.allowPrivate, allowInsecure, hint: "a district admin can allow in-house identity providers in Settings → Security" }),
    ...(allowInsecure ? { execute: [oidc.allowInsecureRequests] } : {}),
  });
}

/** The provider's configuration from its discovery document (cached for an hour; failures are not cached). */
export function discover(s: ClientSettings): Promise<oidc.Configuration> {
  if (s.cacheKey === null) return discoverNow(s);
  const now = Date.now();
  // The district's setting is part of the key: turning it off takes effect at once.
  const key = `${s.cacheKey}|${s.allowPrivate ? "private" : "public"}`;
  const hit = cache.get(key);
  if (hit && hit.expiresAt > now) return hit.config;
  if (cache.size >= MAX_CACHED) {
    for (const [k, entry] of cache) if (entry.expiresAt <= now) cache.delete(k);
    if (cache.size >= MAX_CACHED) cache.clear();
  }
  const config = discoverNow(s);
  cache.set(key, { expiresAt: now + DISCOVERY_TTL_MS, config });
  config.catch(() => cache.delete(key));
  return config;
}

export type PendingLogin = { state: string; nonce: string; codeVerifier: string };

/** Fresh state, nonce and PKCE verifier for one redirect. */
export function newPendingLogin(): PendingLogin {
  return { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
}

/** The URL to send the browser to: authorization code flow with PKCE S256, state and nonce. */
export async function authorizationUrl(
  config: oidc.Configuration,
  p: PendingLogin & { redirectUri: string; extra?: Record<string, string> },
): Promise<URL> {
  return oidc.buildAuthorizationUrl(config, {
    redirect_uri: p.redirectUri,
    response_type: "code",
    scope: SSO_SCOPES,
    state: p.state,
    nonce: p.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(p.codeVerifier),
    code_challenge_method: "S256",
    ...p.extra,
  });
}

export type IdClaims = Record<string, unknown> & { sub: string };

/**
 * Exchanges the code at the token endpoint and returns the verified ID token's claims
 * (signature, issuer, audience, expiry, nonce; state and `iss` of the response too).
 */
export async function exchangeCode(
  config: oidc.Configuration,
  p: { callbackUrl: URL; state: string; nonce: string; codeVerifier: string },
): Promise<IdClaims> {
  const tokens = await oidc.authorizationCodeGrant(config, p.callbackUrl, {
    pkceCodeVerifier: p.codeVerifier,
    expectedState: p.state,
    expectedNonce: p.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error("the token response has no ID token");
  if (typeof claims.email === "string" || !config.serverMetadata().userinfo_endpoint) return { ...claims, sub: claims.sub };
  // Some providers keep email and profile claims out of the ID token and serve them from UserInfo;
  // fetchUserInfo checks its `sub` is the ID token's, and the ID token's own claims win.
  const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
  return { ...info, ...claims, sub: claims.sub };
}

/** A one-line description of a discovery or exchange failure, for admins and the log. */
export function describeOidcError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause.message : undefined;
  const code = "code" in err && typeof err.code === "string" ? ` (${err.code})` : "";
  return `${err.message}${code}${cause && cause !== err.message ? `: ${cause}` : ""}`;
}
