import { NameLimits } from "../../../shared/limits.js";
import {
  GOOGLE_ISSUER,
  SsoLimits,
  microsoftIssuer,
  ssoProviderIssues,
  tenantIdOf,
  type SsoErrorCode,
  type SsoKind,
  type TCreateSsoProviderRequest,
  type TSsoDiscoveryResult,
  type TSsoProvider,
  type TSsoPublicProvider,
  type TUpdateSsoProviderRequest,
} from "../../../shared/schemas/sso.js";
import type { Actor } from "../../auth/actor.js";
import { assertCanManageSso } from "./policy.js";
import { createSession } from "../../auth/session-store.js";
import type { Ctx, RequestMeta } from "../../context.js";
import { AppError, fieldError, notFound } from "../../errors.js";
import { addMinutes, newId, nowIso, sha256 } from "../../lib.js";
import { recordAnonymousAttempt, recordAudit } from "../audit/api.js";
import { loadDistrictSettings } from "../settings/api.js";
import { findPerson, findPersonInDistrictByEmail, insertPerson, replaceRoles } from "../people/api.js";
import { authorizationUrl, describeOidcError, discover, exchangeCode, newPendingLogin, type IdClaims } from "./oidc-client.js";
import { openSecret, sealSecret } from "./secret-box.js";
import { presentProvider, presentPublicProvider } from "./sso.presenters.js";
import {
  deleteProvider,
  findIdentity,
  findProvider,
  insertLoginState,
  insertProvider,
  linkIdentity,
  listEnabledProviders,
  listProviders,
  purgeExpiredLoginStates,
  takeLoginState,
  touchIdentity,
  updateProvider,
  type ProviderColumns,
  type SsoProvider,
} from "./sso.repository.js";

// ---- Administration ----

function issuerFor(kind: SsoKind, input: { issuer?: string; tenantId?: string }): string | undefined {
  switch (kind) {
    case "google":
      return GOOGLE_ISSUER;
    case "microsoft":
      return input.tenantId === undefined ? undefined : microsoftIssuer(input.tenantId);
    case "oidc":
      return input.issuer;
    default: {
      const exhaustive: never = kind;
      return exhaustive;
    }
  }
}

function assertValid(p: Parameters<typeof ssoProviderIssues>[0]): void {
  const issues = ssoProviderIssues(p).map((i) => ({ path: `body.${i.path}`, message: i.message }));
  const first = issues[0];
  if (first) throw new AppError("validation_failed", `${first.path}: ${first.message}`, { issues });
}

async function providerOf(ctx: Ctx, actor: Actor, id: string): Promise<SsoProvider> {
  assertCanManageSso(actor);
  const provider = await findProvider(ctx.db, id, actor.districtId);
  if (!provider) throw notFound("Single sign-on provider");
  return provider;
}

/** Every provider of the actor's district, for the settings page (admins only). */
export async function listProvidersForAdmin(ctx: Ctx, actor: Actor): Promise<TSsoProvider[]> {
  assertCanManageSso(actor);
  return (await listProviders(ctx.db, actor.districtId)).map(presentProvider);
}

/** One provider of the actor's district (admins only). */
export async function getProviderForAdmin(ctx: Ctx, actor: Actor, id: string): Promise<TSsoProvider> {
  return presentProvider(await providerOf(ctx, actor, id));
}

/** Adds an identity provider; its client secret is encrypted before it is stored. */
export async function createProvider(ctx: Ctx, actor: Actor, body: TCreateSsoProviderRequest, meta: RequestMeta): Promise<TSsoProvider> {
  assertCanManageSso(actor);
  assertValid(body);
  const issuer = issuerFor(body.kind, body);
  if (!issuer) throw fieldError("body.issuer", "is required");
  const id = newId();
  const columns: ProviderColumns = {
    kind: body.kind,
    displayName: body.displayName,
    issuer,
    clientId: body.clientId,
    clientSecretEnc: body.clientSecret === null ? null : sealSecret(ctx.config.secret, body.clientSecret, id),
    allowedDomains: [...new Set(body.allowedDomains)],
    allowSelfProvisioning: body.allowSelfProvisioning,
    defaultRole: body.defaultRole,
    isEnabled: body.isEnabled,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await insertProvider(trx, id, actor.districtId, columns);
    await recordAudit(trx, { actor, meta }, {
      action: "sso.provider_create",
      subjectType: "sso_provider",
      subjectId: id,
      details: { kind: body.kind, displayName: body.displayName, issuer, isEnabled: body.isEnabled },
    });
  });
  return getProviderForAdmin(ctx, actor, id);
}

/** Changes a provider's settings; a left-out client secret stays as it was. */
export async function updateProviderSettings(
  ctx: Ctx,
  actor: Actor,
  id: string,
  body: TUpdateSsoProviderRequest,
  meta: RequestMeta,
): Promise<TSsoProvider> {
  const current = await providerOf(ctx, actor, id);
  if (body.issuer !== undefined && current.kind !== "oidc") {
    throw fieldError("body.issuer", "is fixed by the provider kind");
  }
  if (body.tenantId !== undefined && current.kind !== "microsoft") {
    throw fieldError("body.tenantId", "applies to Microsoft Entra ID only");
  }
  const allowedDomains = body.allowedDomains === undefined ? undefined : [...new Set(body.allowedDomains)];
  assertValid({
    kind: current.kind,
    issuer: body.issuer ?? current.issuer,
    tenantId: body.tenantId ?? tenantIdOf(current.issuer),
    allowedDomains: allowedDomains ?? current.allowedDomains,
    allowSelfProvisioning: body.allowSelfProvisioning ?? current.allowSelfProvisioning,
  });
  const changes: Partial<ProviderColumns> = {
    displayName: body.displayName,
    issuer: body.tenantId !== undefined ? microsoftIssuer(body.tenantId) : body.issuer,
    clientId: body.clientId,
    clientSecretEnc:
      body.clientSecret === undefined ? undefined : body.clientSecret === null ? null : sealSecret(ctx.config.secret, body.clientSecret, id),
    allowedDomains,
    allowSelfProvisioning: body.allowSelfProvisioning,
    defaultRole: body.defaultRole,
    isEnabled: body.isEnabled,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await updateProvider(trx, id, changes);
    await recordAudit(trx, { actor, meta }, {
      action: "sso.provider_update",
      subjectType: "sso_provider",
      subjectId: id,
      // Which fields changed, never the secret itself.
      details: { fields: Object.keys(body), ...(body.isEnabled === undefined ? {} : { isEnabled: body.isEnabled }) },
    });
  });
  return getProviderForAdmin(ctx, actor, id);
}

/** Removes a provider with its pending sign-ins and its links to people (people keep their accounts). */
export async function removeProvider(ctx: Ctx, actor: Actor, id: string, meta: RequestMeta): Promise<void> {
  const provider = await providerOf(ctx, actor, id);
  await ctx.db.transaction().execute(async (trx) => {
    await deleteProvider(trx, id);
    await recordAudit(trx, { actor, meta }, {
      action: "sso.provider_delete",
      subjectType: "sso_provider",
      subjectId: id,
      details: { displayName: provider.displayName, issuer: provider.issuer },
    });
  });
}

function clientSecretOf(ctx: Ctx, p: SsoProvider): string | null {
  if (p.clientSecretEnc === null) return null;
  const secret = openSecret(ctx.config.secret, p.clientSecretEnc, p.id);
  if (secret === undefined) {
    throw new AppError("unavailable", "The client secret cannot be decrypted (was COACHWORK_SECRET changed?); enter it again");
  }
  return secret;
}

async function settingsOf(ctx: Ctx, p: SsoProvider, isCached: boolean) {
  return {
    cacheKey: isCached ? `${p.id}@${p.updatedAt}` : null,
    issuer: p.issuer,
    clientId: p.clientId,
    clientSecret: clientSecretOf(ctx, p),
    allowPrivate: (await loadDistrictSettings(ctx.db, p.districtId)).allowPrivateSsoIssuers,
  };
}

/** Fetches the issuer's discovery document now and says whether it is usable (admins only). */
export async function testDiscovery(ctx: Ctx, actor: Actor, id: string): Promise<TSsoDiscoveryResult> {
  const provider = await providerOf(ctx, actor, id);
  const result = { issuer: provider.issuer, authorizationEndpoint: null, tokenEndpoint: null };
  try {
    const config = await discover(await settingsOf(ctx, provider, false));
    const server = config.serverMetadata();
    const methods = server.code_challenge_methods_supported;
    const pkceNote = methods && !methods.includes("S256") ? " Warning: it does not list PKCE S256 support." : "";
    return {
      ...result,
      ok: true,
      message: `Found the discovery document of ${server.issuer}.${pkceNote}`,
      authorizationEndpoint: server.authorization_endpoint ?? null,
      tokenEndpoint: server.token_endpoint ?? null,
    };
  } catch (err) {
    return { ...result, ok: false, message: err instanceof AppError ? err.message : describeOidcError(err) };
  }
}

// ---- Signing in ----

/** Enabled providers, for the buttons on the sign-in page (anyone may ask). */
export async function listPublicProviders(ctx: Ctx): Promise<TSsoPublicProvider[]> {
  return (await listEnabledProviders(ctx.db)).map(presentPublicProvider);
}

/** Only paths on this site are followed after sign-in: never `//evil.example`, `/\evil` or full URLs. */
export function safeReturnTo(value: string | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return "/";
  // Control characters (tabs, newlines) are dropped by URL parsers and can turn "/\t/evil" into "//evil".
  if ([...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) return "/";
  const base = "http://coachwork.invalid";
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return "/";
  }
  if (url.origin !== base || url.pathname.startsWith("/api/")) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

export type StartResult = { ok: true; url: string } | { ok: false; code: SsoErrorCode };

/** Starts a sign-in: stores state, nonce and PKCE verifier (single use, 10 minutes) and returns the provider's URL. */
export async function startSignIn(
  ctx: Ctx,
  p: { providerId: string; returnTo: string | undefined; redirectUri: string; browserToken: string },
): Promise<StartResult> {
  const provider = await findProvider(ctx.db, p.providerId);
  if (!provider?.isEnabled) return { ok: false, code: "sso_unavailable" };
  let url: URL;
  const pending = newPendingLogin();
  try {
    const config = await discover(await settingsOf(ctx, provider, true));
    url = await authorizationUrl(config, { ...pending, redirectUri: p.redirectUri, extra: providerHints(provider) });
  } catch (err) {
    ctx.log.warn({ provider: provider.id, issuer: provider.issuer, reason: describeOidcError(err) }, "single sign-on: discovery failed");
    return { ok: false, code: "sso_unavailable" };
  }
  const now = nowIso();
  await purgeExpiredLoginStates(ctx.db);
  await insertLoginState(ctx.db, {
    state_hash: sha256(pending.state),
    provider_id: provider.id,
    nonce: pending.nonce,
    code_verifier: pending.codeVerifier,
    browser_hash: sha256(p.browserToken),
    redirect_uri: p.redirectUri,
    return_to: safeReturnTo(p.returnTo),
    created_at: now,
    expires_at: addMinutes(now, SsoLimits.stateTtlMinutes),
  });
  return { ok: true, url: url.href };
}

/** Provider-specific hints that make the provider's page friendlier; never relied on for security. */
function providerHints(p: SsoProvider): Record<string, string> {
  // Google shows only accounts of this Workspace domain when told which one (`hd`).
  const onlyDomain = p.allowedDomains.length === 1 ? p.allowedDomains[0] : undefined;
  if (p.kind === "google" && onlyDomain) return { hd: onlyDomain };
  return {};
}

export type FinishResult =
  | { ok: true; session: { token: string }; returnTo: string }
  | { ok: false; code: SsoErrorCode; returnTo?: string };

type Claims = { email: string | null; givenName: string; familyName: string };

function readClaims(kind: SsoKind, claims: IdClaims): Claims {
  const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);
  let email = str(claims.email);
  // Entra ID sends `email` only when the account has a mailbox; within the district's own tenant
  // (the issuer is pinned to it) the sign-in name is the school email.
  if (!email && kind === "microsoft") email = str(claims.preferred_username);
  if (email && !email.includes("@")) email = null;
  const name = str(claims.name);
  const local = email?.split("@")[0] ?? "New";
  const given = str(claims.given_name) ?? name?.split(/\s+/)[0] ?? local;
  const family = str(claims.family_name) ?? (name && name.includes(" ") ? name.slice(name.indexOf(" ") + 1).trim() : null) ?? "(SSO)";
  return {
    email: email?.toLowerCase() ?? null,
    givenName: given.slice(0, NameLimits.max),
    familyName: family.slice(0, NameLimits.max),
  };
}

/**
 * Finishes a sign-in at the callback: takes the single-use state (bound to this browser), exchanges the code,
 * verifies the ID token, checks email verification and domain, matches the person by `sub` then email
 * (or provisions them when allowed) and creates a session like password sign-in does.
 */
export async function finishSignIn(
  ctx: Ctx,
  p: {
    query: { state?: string; code?: string; error?: string };
    /** The callback URL as the provider sent the browser to it (our redirect URI plus its query). */
    search: string;
    browserToken: string | undefined;
    meta: RequestMeta;
  },
): Promise<FinishResult> {
  const fail = async (
    code: SsoErrorCode,
    reason: string,
    extra: { provider?: SsoProvider; personId?: string; email?: string | null; returnTo?: string } = {},
  ): Promise<FinishResult> => {
    await recordAnonymousAttempt(ctx.db, { districtId: extra.provider?.districtId ?? null, meta: p.meta }, {
      action: "auth.login_failed",
      subjectType: extra.personId ? "person" : null,
      subjectId: extra.personId ?? null,
      details: {
        via: "sso",
        reason,
        ...(extra.provider ? { provider: extra.provider.id } : {}),
        ...(extra.email ? { email: extra.email } : {}),
      },
    });
    return { ok: false, code, ...(extra.returnTo ? { returnTo: extra.returnTo } : {}) };
  };

  if (!p.query.state) return fail("sso_state", "missing_state");
  const pending = await takeLoginState(ctx.db, sha256(p.query.state));
  if (!pending) return fail("sso_state", "unknown_state");
  const provider = await findProvider(ctx.db, pending.provider_id);
  if (!provider) return fail("sso_unavailable", "provider_removed");
  if (Date.parse(pending.expires_at) <= Date.now()) return fail("sso_state", "expired_state", { provider });
  if (!p.browserToken || sha256(p.browserToken) !== pending.browser_hash) {
    // Someone else's callback link (login CSRF), or cookies were cleared mid-way.
    return fail("sso_state", "other_browser", { provider });
  }
  if (!provider.isEnabled) return fail("sso_unavailable", "provider_disabled", { provider });
  if (p.query.error) {
    return fail(p.query.error === "access_denied" ? "sso_cancelled" : "sso_failed", `provider_error:${p.query.error.slice(0, 60)}`, {
      provider,
    });
  }

  let claims: IdClaims;
  try {
    const config = await discover(await settingsOf(ctx, provider, true));
    const callbackUrl = new URL(pending.redirect_uri);
    callbackUrl.search = p.search;
    claims = await exchangeCode(config, {
      callbackUrl,
      state: p.query.state,
      nonce: pending.nonce,
      codeVerifier: pending.code_verifier,
    });
  } catch (err) {
    const reason = describeOidcError(err);
    ctx.log.warn({ provider: provider.id, reason }, "single sign-on: code exchange or ID token check failed");
    return fail("sso_failed", `token:${reason.slice(0, 200)}`, { provider });
  }

  const { email, givenName, familyName } = readClaims(provider.kind, claims);
  if ("email_verified" in claims && claims.email_verified !== true && claims.email_verified !== "true") {
    return fail("sso_email_unverified", "email_unverified", { provider, email });
  }
  const domain = email?.slice(email.lastIndexOf("@") + 1) ?? null;
  if (provider.allowedDomains.length > 0 && (domain === null || !provider.allowedDomains.includes(domain))) {
    return fail("sso_domain", "domain_not_allowed", { provider, email });
  }

  // `sub` first: it never changes, while an email can be renamed or reassigned.
  const identity = await findIdentity(ctx.db, provider.id, claims.sub);
  let person = identity ? await findPerson(ctx.db, provider.districtId, identity.person_id) : undefined;
  let isNewLink = false;
  if (!person && email) {
    person = await findPersonInDistrictByEmail(ctx.db, provider.districtId, email);
    isNewLink = person !== undefined;
  }
  if (person && person.status !== "active") return fail("sso_inactive", "inactive", { provider, personId: person.id, email });

  let personId: string;
  let isProvisioned = false;
  try {
    if (person) {
      personId = person.id;
      if (identity && !isNewLink) await touchIdentity(ctx.db, identity.id, email);
      else await linkIdentity(ctx.db, { providerId: provider.id, subject: claims.sub, personId, email });
    } else {
      if (!provider.allowSelfProvisioning || !email) return fail("sso_unknown", "unknown_person", { provider, email });
      isProvisioned = true;
      personId = await ctx.db.transaction().execute(async (trx) => {
        const id = await insertPerson(trx, {
          districtId: provider.districtId,
          givenName,
          familyName,
          email,
          passwordHash: null,
          gradeLevel: null,
          studentNumber: null,
        });
        await replaceRoles(trx, provider.districtId, id, [{ role: provider.defaultRole, schoolId: null }]);
        await linkIdentity(trx, { providerId: provider.id, subject: claims.sub, personId: id, email });
        await recordAudit(trx, { actor: null, districtId: provider.districtId, meta: p.meta }, {
          action: "person.create",
          subjectType: "person",
          subjectId: id,
          details: { via: "sso", provider: provider.id, roles: [{ role: provider.defaultRole, schoolId: null }] },
        });
        return id;
      });
    }
  } catch (err) {
    // Two first sign-ins of one new person racing each other: the unique email index stops the second.
    ctx.log.warn({ err, provider: provider.id }, "single sign-on: could not link or provision the person");
    return fail("sso_failed", "link_failed", { provider, email });
  }

  const session = await createSession(ctx.db, personId, p.meta);
  await recordAudit(ctx.db, { actor: null, actorId: personId, districtId: provider.districtId, meta: p.meta }, {
    action: "auth.login",
    subjectType: "person",
    subjectId: personId,
    details: { via: "sso", provider: provider.id, ...(isNewLink ? { linked: true } : {}), ...(isProvisioned ? { provisioned: true } : {}) },
  });
  return { ok: true, session, returnTo: pending.return_to };
}
