import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError, type ZodTypeProvider } from "fastify-type-provider-zod";
import type { TErrorResponse, TFieldIssue } from "../shared/errors.js";
import type { Actor } from "./auth/actor.js";
import type { RequestMeta } from "./context.js";
import { isDatabaseUnavailable, isStorageFull } from "./db/faults.js";
import { AppError, RETRY_AFTER_SECONDS, STATUS_BY_CODE, databaseUnavailable, storageFull } from "./errors.js";

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module "fastify" {
  // Declaration merging needs an interface here.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface FastifyRequest {
    actor: Actor | null;
  }
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface FastifyContextConfig {
    /** The route answers without a signed-in actor (sign-in, setup, health, SSO redirects). */
    public?: boolean;
    /**
     * The route ignores sessions altogether (a capability link's HTML form): a session cookie the
     * browser happens to hold is not read, so no X-CSRF-Token is asked for; the route guards itself.
     */
    sessionless?: boolean;
  }
}

/** The signed-in actor, or a 401 when the request carries no valid session or token. */
export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError("unauthenticated", "Sign in to continue");
  return req.actor;
}

/** The signed-in actor and where the request came from: what a write and its audit record need. */
export function writer(req: FastifyRequest): { actor: Actor; meta: RequestMeta } {
  return { actor: requireActor(req), meta: requestMeta(req) };
}

export function requestMeta(req: FastifyRequest): RequestMeta {
  const ua = req.headers["user-agent"];
  return { ip: req.ip ?? null, userAgent: typeof ua === "string" ? ua.slice(0, 300) : null };
}

/** Standard OpenAPI error responses, so every route documents the error shape. */
export { ZErrorResponse } from "../shared/errors.js";

function send(reply: FastifyReply, status: number, body: TErrorResponse): void {
  void reply.status(status).type("application/json").send(body);
}

/** Maps every error to `{"error":{"code","message","details"}}`; never leaks stacks or SQL. */
export function errorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  // A database that is away or a disk that is full is not a bug: say so, with a stable code, and
  // tell clients when to retry. The cause stays in the log, never in the answer.
  if (!(err instanceof AppError) && isStorageFull(err)) {
    req.log.error({ err }, "the disk is full: a write failed");
    err = storageFull();
  } else if (!(err instanceof AppError) && isDatabaseUnavailable(err)) {
    req.log.warn({ err }, "the database is unavailable");
    err = databaseUnavailable();
  }
  if (err instanceof AppError) {
    // A throttle says how long in its details; an outage has a fixed hint per code.
    const detailed = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    const retryAfter = typeof detailed === "number" ? detailed : RETRY_AFTER_SECONDS[err.code];
    if (retryAfter !== undefined) void reply.header("retry-after", String(retryAfter));
    send(reply, STATUS_BY_CODE[err.code], {
      error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) },
    });
    return;
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues: TFieldIssue[] = err.validation.flatMap((v) => {
      const where = err.validationContext ?? "body";
      const path = [where, ...String(v.instancePath).split("/").filter(Boolean)].join(".");
      const issue = v.params && typeof v.params === "object" && "issue" in v.params ? (v.params.issue as { code?: string; keys?: unknown }) : undefined;
      // One issue per unknown field, each naming it, rather than one issue listing them all.
      if (issue?.code === "unrecognized_keys" && Array.isArray(issue.keys)) {
        return issue.keys.map((k) => ({ path: `${path}.${String(k)}`, message: "is not a field we know" }));
      }
      return [{ path, message: v.message ?? "is invalid" }];
    });
    const first = issues[0];
    send(reply, 400, {
      error: {
        code: "validation_failed",
        message: first ? `${first.path}: ${first.message}` : "The request is invalid",
        details: { issues },
      },
    });
    return;
  }
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (isResponseSerializationError(err)) {
    req.log.error({ err }, "response did not match its schema");
  } else if (e.code === "FST_ERR_CTP_INVALID_JSON_BODY" || e.code === "FST_ERR_CTP_EMPTY_JSON_BODY") {
    send(reply, 400, { error: { code: "bad_request", message: "The request body is not valid JSON" } });
    return;
  } else if (e.statusCode === 415) {
    send(reply, 415, { error: { code: "unsupported_media_type", message: "Send the body as application/json" } });
    return;
  } else if (e.statusCode === 413) {
    send(reply, 413, { error: { code: "payload_too_large", message: "The request body is too large" } });
    return;
  } else if (e.statusCode === 429) {
    send(reply, 429, { error: { code: "rate_limited", message: e.message ?? "Too many requests; try again later" } });
    return;
  } else if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    send(reply, e.statusCode, { error: { code: "bad_request", message: e.message ?? "Bad request" } });
    return;
  } else {
    req.log.error({ err }, "unhandled error");
  }
  send(reply, 500, { error: { code: "internal", message: "Something went wrong on our side; it has been logged" } });
}
