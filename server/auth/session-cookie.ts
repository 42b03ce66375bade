import type { FastifyReply, FastifyRequest } from "fastify";
import { SessionLimits } from "../../shared/limits.js";
import type { Ctx } from "../context.js";
import { SESSION_COOKIE } from "./session-store.js";

/** True when the browser reached us over HTTPS (directly, or behind a proxy per PUBLIC_URL). */
export function isHttps(ctx: Ctx, req: FastifyRequest): boolean {
  return req.protocol === "https" || (ctx.config.publicUrl?.startsWith("https://") ?? false);
}

/** Sets the session cookie made by createSession: HttpOnly, SameSite=Lax, Secure behind HTTPS. */
export function setSessionCookie(ctx: Ctx, req: FastifyRequest, reply: FastifyReply, session: { token: string }): void {
  void reply.setCookie(SESSION_COOKIE, session.token, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: isHttps(ctx, req),
    maxAge: SessionLimits.idleDays * 24 * 3600,
  });
}
