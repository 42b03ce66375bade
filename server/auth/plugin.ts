import type { FastifyRequest } from "fastify";
import type { Ctx } from "../context.js";
import { AppError } from "../errors.js";
import type { App } from "../http.js";
import { safeEqual } from "../lib.js";
import { SESSION_COOKIE, actorFromApiToken, actorFromSession } from "./session-store.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Resolves every /api request to an actor (session cookie or Bearer token) and enforces CSRF:
 * a write authenticated by cookie must echo the session's token in `X-CSRF-Token`.
 * Bearer-token requests carry no ambient credentials, so they need no CSRF token.
 */
export function registerAuth(app: App, ctx: Ctx): void {
  app.decorateRequest("actor", null);
  app.addHook("onRequest", async (req: FastifyRequest) => {
    if (!req.url.startsWith("/api/")) return;
    const authorization = req.headers.authorization;
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const actor = match?.[1] ? await actorFromApiToken(ctx.db, match[1]) : undefined;
      if (!actor) throw new AppError("unauthenticated", "The API token is invalid, expired or revoked");
      req.actor = actor;
      if (actor.tokenScope === "read" && !SAFE_METHODS.has(req.method)) {
        throw new AppError("forbidden", "This API token is read-only; create a read-write token to make changes");
      }
      return;
    }
    if (req.routeOptions.config.sessionless) return;
    const cookie = req.cookies[SESSION_COOKIE];
    if (!cookie) return;
    const actor = await actorFromSession(ctx.db, cookie);
    if (!actor) return;
    req.actor = actor;
    if (!SAFE_METHODS.has(req.method)) {
      const header = req.headers["x-csrf-token"];
      if (typeof header !== "string" || !actor.csrfToken || !safeEqual(header, actor.csrfToken)) {
        throw new AppError("csrf_failed", "Missing or wrong X-CSRF-Token header; reload the page and try again");
      }
    }
  });
}
