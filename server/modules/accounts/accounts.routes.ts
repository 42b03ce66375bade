import type { FastifyRequest } from "fastify";
import { z } from "zod";
import {
  ZApiToken,
  ZChangePasswordRequest,
  ZCreateApiTokenRequest,
  ZCreatedApiToken,
  ZLoginRequest,
  ZMe,
  ZSession,
  ZPasswordResetConfirm,
  ZPasswordResetRequest,
  ZSetupRequest,
  ZSetupStatus,
  ZUpdateMeRequest,
} from "../../../shared/schemas/auth.js";
import { ZIdParams, ZOk } from "../../../shared/schemas/common.js";
import { setSessionCookie } from "../../auth/session-cookie.js";
import { SESSION_COOKIE, deleteSession } from "../../auth/session-store.js";
import type { Ctx } from "../../context.js";
import { ZErrorResponse, requireActor, requestMeta, type App } from "../../http.js";
import {
  changeOwnPassword,
  completeSetup,
  confirmPasswordReset,
  createOwnToken,
  getMe,
  listOwnTokens,
  login,
  needsSetup,
  recordThrottledLogin,
  requestPasswordReset,
  revokeOwnToken,
  updateOwnProfile,
} from "./accounts.service.js";

const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 403: ZErrorResponse, 429: ZErrorResponse };

const emailOf = (req: FastifyRequest): string => {
  const body = req.body as { email?: unknown } | undefined;
  return typeof body?.email === "string" ? body.email.toLowerCase() : "";
};

// Sign-in, setup and reset requests are throttled per client address and account (sign-in also by
// login-throttle.ts, per account across addresses and per address across accounts).
const authRateLimit = (max: number, onExceeded?: (req: FastifyRequest) => void) => ({
  rateLimit: {
    max,
    timeWindow: "1 minute",
    hook: "preHandler" as const,
    keyGenerator: (req: FastifyRequest) => `${req.ip}|${emailOf(req)}`,
    ...(onExceeded ? { onExceeded } : {}),
  },
});

/** Reset requests one client address may make, whatever the emails, in a window. */
export const RESETS_PER_ADDRESS = { max: 20, windowMs: 15 * 60_000 };

/** The address setup was opened at; used once, to record the district's public address at setup. */
function origin(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}

export function registerAccountRoutes(app: App, ctx: Ctx): void {
  // A refused sign-in is recorded like the throttle's own refusals (within the anonymous audit budget).
  const auditThrottled = (req: FastifyRequest) => {
    void recordThrottledLogin(ctx, emailOf(req), requestMeta(req), "too many sign-ins from this address for this account").catch((err: unknown) =>
      req.log.error({ err }, "could not record a throttled sign-in"),
    );
  };
  // Work started after answering (password reset requests) finishes before the server closes.
  const pending = new Set<Promise<unknown>>();
  const afterResponse = (work: Promise<unknown>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };
  app.addHook("onClose", async () => {
    await Promise.allSettled([...pending]);
  });

  app.get(
    "/api/v1/setup",
    { config: { public: true }, schema: { tags: ["Accounts"], summary: "Whether first-run setup is needed", response: { 200: ZSetupStatus } } },
    async () => ({ needsSetup: await needsSetup(ctx) }),
  );

  app.post(
    "/api/v1/setup",
    {
      config: { public: true, ...authRateLimit(10) },
      schema: {
        tags: ["Accounts"],
        summary: "First-run setup: create the district and its first admin",
        body: ZSetupRequest,
        response: { 201: ZMe, ...errors, 409: ZErrorResponse },
      },
    },
    async (req, reply) => {
      const { me, session } = await completeSetup(ctx, req.body, requestMeta(req), origin(req));
      setSessionCookie(ctx, req, reply, session);
      return reply.status(201).send(me);
    },
  );

  app.post(
    "/api/v1/auth/login",
    {
      config: { public: true, ...authRateLimit(10, auditThrottled) },
      schema: {
        tags: ["Accounts"],
        summary: "Sign in with email and password; sets the session cookie. Throttled: 429 with Retry-After",
        body: ZLoginRequest,
        response: { 200: ZMe, ...errors },
      },
    },
    async (req, reply) => {
      const { me, session } = await login(ctx, req.body.email, req.body.password, requestMeta(req));
      setSessionCookie(ctx, req, reply, session);
      return me;
    },
  );

  app.post(
    "/api/v1/auth/logout",
    // Public: signing out without a session (an expired one, a second tab) still clears the cookie.
    { config: { public: true }, schema: { tags: ["Accounts"], summary: "Sign out: ends the session", response: { 200: ZOk, ...errors } } },
    async (req, reply) => {
      if (req.actor?.sessionIdHash) await deleteSession(ctx.db, req.actor.sessionIdHash);
      void reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return { ok: true as const };
    },
  );

  // Per address across emails too: one client may not mail reset links to a whole staff list.
  const resetsPerAddress = app.rateLimit({
    max: RESETS_PER_ADDRESS.max,
    timeWindow: RESETS_PER_ADDRESS.windowMs,
    keyGenerator: (req: FastifyRequest) => `password-reset|${req.ip}`,
  });

  app.post(
    "/api/v1/auth/password-reset",
    {
      config: { public: true, ...authRateLimit(5) },
      preHandler: resetsPerAddress,
      schema: {
        tags: ["Accounts"],
        summary: "Email a password reset link (always answers 202)",
        body: ZPasswordResetRequest,
        response: { 202: ZOk, ...errors },
      },
    },
    async (req, reply) => {
      // Answer first, then look the email up: a known email's extra work (a token, an email, an audit
      // record) must not make its answer measurably slower than an unknown one's.
      const { email } = req.body;
      const meta = requestMeta(req);
      await reply.status(202).send({ ok: true as const });
      afterResponse(
        requestPasswordReset(ctx, email, meta).catch((err: unknown) => req.log.error({ err }, "password reset request failed")),
      );
      return reply;
    },
  );

  app.post(
    "/api/v1/auth/password-reset/confirm",
    {
      config: { public: true, ...authRateLimit(10) },
      schema: { tags: ["Accounts"], summary: "Set a new password with a reset token", body: ZPasswordResetConfirm, response: { 200: ZOk, ...errors } },
    },
    async (req) => {
      await confirmPasswordReset(ctx, req.body.token, req.body.password, requestMeta(req));
      return { ok: true as const };
    },
  );

  app.get(
    "/api/v1/auth/session",
    {
      config: { public: true },
      schema: {
        tags: ["Accounts"],
        summary: "The session, if any: the signed-in person, or null (never a 401)",
        description: "For pages that work signed in or out (sign-in, password reset): they learn who is signed in without an error answer.",
        response: { 200: ZSession, ...errors },
      },
    },
    async (req) => ({ me: req.actor ? await getMe(ctx, req.actor.personId, req.actor.districtId, req.actor.csrfToken) : null }),
  );

  app.get(
    "/api/v1/me",
    { schema: { tags: ["Accounts"], summary: "The signed-in person, district and CSRF token", response: { 200: ZMe, ...errors } } },
    async (req) => {
      const actor = requireActor(req);
      return getMe(ctx, actor.personId, actor.districtId, actor.csrfToken);
    },
  );

  app.patch(
    "/api/v1/me",
    { schema: { tags: ["Accounts"], summary: "Update your own name", body: ZUpdateMeRequest, response: { 200: ZMe, ...errors } } },
    async (req) => updateOwnProfile(ctx, requireActor(req), req.body, requestMeta(req)),
  );

  app.post(
    "/api/v1/me/password",
    {
      config: authRateLimit(10),
      schema: { tags: ["Accounts"], summary: "Change your password; your other sessions end, and your API tokens too if you ask", body: ZChangePasswordRequest, response: { 200: ZOk, ...errors } },
    },
    async (req) => {
      await changeOwnPassword(ctx, requireActor(req), req.body, requestMeta(req));
      return { ok: true as const };
    },
  );

  app.get(
    "/api/v1/me/tokens",
    { schema: { tags: ["Accounts"], summary: "Your personal API tokens", response: { 200: z.object({ items: z.array(ZApiToken) }), ...errors } } },
    async (req) => listOwnTokens(ctx, requireActor(req)),
  );

  app.post(
    "/api/v1/me/tokens",
    {
      schema: {
        tags: ["Accounts"],
        summary: "Create a personal API token (shown once); from a signed-in session only, never with a token",
        body: ZCreateApiTokenRequest,
        response: { 201: ZCreatedApiToken, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await createOwnToken(ctx, requireActor(req), req.body, requestMeta(req))),
  );

  app.delete(
    "/api/v1/me/tokens/:id",
    { schema: { tags: ["Accounts"], summary: "Revoke a personal API token", params: ZIdParams, response: { 204: z.null(), ...errors, 404: ZErrorResponse } } },
    async (req, reply) => {
      await revokeOwnToken(ctx, requireActor(req), req.params.id, requestMeta(req));
      return reply.status(204).send(null);
    },
  );
}
