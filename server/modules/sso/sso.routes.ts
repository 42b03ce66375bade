import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { ZIdParams } from "../../../shared/schemas/common.js";
import {
  SsoLimits,
  ZCreateSsoProviderRequest,
  ZSsoCallbackQuery,
  ZSsoDiscoveryResult,
  ZSsoProvider,
  ZSsoProviderList,
  ZSsoPublicProviderList,
  ZSsoStartQuery,
  ZUpdateSsoProviderRequest,
  type SsoErrorCode,
} from "../../../shared/schemas/sso.js";
import { isHttps, setSessionCookie } from "../../auth/session-cookie.js";
import { deleteSession } from "../../auth/session-store.js";
import type { Ctx } from "../../context.js";
import { ZErrorResponse, requireActor, requestMeta, type App } from "../../http.js";
import { randomToken } from "../../lib.js";
import {
  createProvider,
  finishSignIn,
  getProviderForAdmin,
  listProvidersForAdmin,
  listPublicProviders,
  removeProvider,
  startSignIn,
  testDiscovery,
  updateProviderSettings,
} from "./sso.service.js";

const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 403: ZErrorResponse };

/** Binds a pending sign-in to the browser that started it; the callback must carry it back. */
const BROWSER_COOKIE = "cw_sso";
const BROWSER_COOKIE_PATH = "/api/v1/sso";
const CALLBACK_PATH = "/api/v1/sso/callback";

/** The redirect URI admins register at the provider: PUBLIC_URL when set, else the address the request came to. */
export function redirectUriFor(ctx: Ctx, req: FastifyRequest): string {
  return `${ctx.config.publicUrl ?? `${req.protocol}://${req.host}`}${CALLBACK_PATH}`;
}

function browserToken(req: FastifyRequest): string | undefined {
  const value = req.cookies[BROWSER_COOKIE];
  return value && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
}

function toLogin(reply: FastifyReply, code: SsoErrorCode, returnTo?: string) {
  const next = returnTo && returnTo !== "/" ? `&next=${encodeURIComponent(returnTo)}` : "";
  return reply.header("cache-control", "no-store").redirect(`/login?error=${code}${next}`, 302);
}

export function registerSsoRoutes(app: App, ctx: Ctx): void {
  app.get(
    "/api/v1/sso/providers",
    {
      config: { public: true },
      schema: {
        tags: ["Single sign-on"],
        summary: "Enabled identity providers, for the sign-in page's buttons",
        security: [],
        response: { 200: ZSsoPublicProviderList },
      },
    },
    async () => ({ items: await listPublicProviders(ctx) }),
  );

  app.get(
    "/api/v1/sso/:id/start",
    {
      config: { public: true, rateLimit: { max: 30, timeWindow: "1 minute" } },
      schema: {
        tags: ["Single sign-on"],
        summary: "Start signing in with a provider: redirects to it (authorization code + PKCE)",
        security: [],
        params: ZIdParams,
        querystring: ZSsoStartQuery,
      },
    },
    async (req, reply) => {
      // Several tabs may sign in at once: they share one binding value instead of overwriting each other's.
      const token = browserToken(req) ?? randomToken();
      const result = await startSignIn(ctx, {
        providerId: req.params.id,
        returnTo: req.query.returnTo,
        redirectUri: redirectUriFor(ctx, req),
        browserToken: token,
      });
      if (!result.ok) return toLogin(reply, result.code);
      void reply.setCookie(BROWSER_COOKIE, token, {
        path: BROWSER_COOKIE_PATH,
        httpOnly: true,
        // Lax: sent on the provider's top-level redirect back to us, not on cross-site subrequests.
        sameSite: "lax",
        secure: isHttps(ctx, req),
        maxAge: SsoLimits.stateTtlMinutes * 60,
      });
      return reply.header("cache-control", "no-store").redirect(result.url, 302);
    },
  );

  app.get(
    "/api/v1/sso/callback",
    {
      config: { public: true, rateLimit: { max: 60, timeWindow: "1 minute" } },
      schema: {
        tags: ["Single sign-on"],
        summary: "Where the provider sends the browser back; signs in and redirects to the page asked for",
        security: [],
        querystring: ZSsoCallbackQuery,
      },
    },
    async (req, reply) => {
      const rawQuery = req.url.includes("?") ? req.url.slice(req.url.indexOf("?")) : "";
      const result = await finishSignIn(ctx, {
        query: req.query,
        search: rawQuery,
        browserToken: browserToken(req),
        meta: requestMeta(req),
      });
      if (!result.ok) return toLogin(reply, result.code, result.returnTo);
      // A session this browser already had (perhaps someone else's) ends with the new sign-in.
      if (req.actor?.sessionIdHash) await deleteSession(ctx.db, req.actor.sessionIdHash);
      setSessionCookie(ctx, req, reply, result.session);
      return reply.header("cache-control", "no-store").redirect(result.returnTo, 302);
    },
  );

  // ---- Administration (district admins) ----

  app.get(
    "/api/v1/sso/admin/providers",
    {
      schema: {
        tags: ["Single sign-on"],
        summary: "The district's identity providers and the redirect URI to register with them",
        response: { 200: ZSsoProviderList, ...errors },
      },
    },
    async (req) => ({ items: await listProvidersForAdmin(ctx, requireActor(req)), redirectUri: redirectUriFor(ctx, req) }),
  );

  app.post(
    "/api/v1/sso/admin/providers",
    {
      schema: {
        tags: ["Single sign-on"],
        summary: "Add an identity provider (Google Workspace, Microsoft Entra ID or any OpenID Connect issuer)",
        body: ZCreateSsoProviderRequest,
        response: { 201: ZSsoProvider, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await createProvider(ctx, requireActor(req), req.body, requestMeta(req))),
  );

  app.get(
    "/api/v1/sso/admin/providers/:id",
    {
      schema: {
        tags: ["Single sign-on"],
        summary: "One identity provider (never its client secret)",
        params: ZIdParams,
        response: { 200: ZSsoProvider, ...errors, 404: ZErrorResponse },
      },
    },
    async (req) => getProviderForAdmin(ctx, requireActor(req), req.params.id),
  );

  app.patch(
    "/api/v1/sso/admin/providers/:id",
    {
      schema: {
        tags: ["Single sign-on"],
        summary: "Change an identity provider; leave out clientSecret to keep it",
        params: ZIdParams,
        body: ZUpdateSsoProviderRequest,
        response: { 200: ZSsoProvider, ...errors, 404: ZErrorResponse },
      },
    },
    async (req) => updateProviderSettings(ctx, requireActor(req), req.params.id, req.body, requestMeta(req)),
  );

  app.delete(
    "/api/v1/sso/admin/providers/:id",
    {
      schema: {
        tags: ["Single sign-on"],
        summary: "Remove an identity provider; people keep their accounts",
        params: ZIdParams,
        response: { 204: z.null(), ...errors, 404: ZErrorResponse },
      },
    },
    async (req, reply) => {
      await removeProvider(ctx, requireActor(req), req.params.id, requestMeta(req));
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/api/v1/sso/admin/providers/:id/test-discovery",
    {
      config: { rateLimit: { max: 20, timeWindow: "1 minute" } },
      schema: {
        tags: ["Single sign-on"],
        summary: "Fetch the issuer's discovery document now and report whether it works",
        params: ZIdParams,
        response: { 200: ZSsoDiscoveryResult, ...errors, 404: ZErrorResponse },
      },
    },
    async (req) => testDiscovery(ctx, requireActor(req), req.params.id),
  );
}
