import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyCookie from "@fastify/cookie";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import fastifySwagger from "@fastify/swagger";
import Fastify, { type FastifyServerOptions } from "fastify";
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import "../shared/zod-messages.js";
import { registerAuth } from "./auth/plugin.js";
import type { Ctx } from "./context.js";
import type { Database } from "./db/index.js";
import { registerStartupGate, type StartupState } from "./db/startup.js";
import type { Config } from "./env.js";
import { AppError } from "./errors.js";
import { errorHandler, requestMeta, type App } from "./http.js";
import { recordRefusal } from "./modules/audit/api.js";
import { MODULES, moduleRealtimeGuests, moduleTopics } from "./modules/index.js";
import { registerRealtime, type RealtimeHub } from "./platform/realtime.js";
import { VERSION } from "./version.js";

export type BuildOptions = {
  config: Config;
  database: Database;
  logger?: FastifyServerOptions["logger"];
  /** Where the built SPA lives; defaults to dist/client next to the package. */
  clientDir?: string;
  /** Set when the server listens before its database is migrated (main.ts); absent means ready. */
  startup?: StartupState;
};

function defaultClientDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // dist/server/app.js (built) → dist/client; server/app.ts (run by tsx) → <root>/dist/client.
  // Only ever the built client: the source client/index.html would load a blank page.
  const isBuilt = path.basename(path.dirname(here)) === "dist";
  return isBuilt ? path.join(here, "../client") : path.join(here, "../dist/client");
}

/**
 * Scripts, styles, images and connections from Coachwork itself only (the WebSocket is same-origin);
 * no plugins, no <base> tricks, forms post only here, and no page may frame Coachwork (clickjacking).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** TRUST_PROXY as Fastify takes it: a hop count becomes "trust the last n hops" (what Fastify does with a number). */
function fastifyTrustProxy(trust: Config["trustProxy"]): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === "number") return trust > 0 ? (_address: string, hop: number) => hop < trust : false;
  return trust;
}

/** Builds the Fastify app with every module registered. Does not listen. */
export async function buildApp(opts: BuildOptions): Promise<{ app: App; ctx: Ctx; realtime: RealtimeHub }> {
  const app = Fastify({
    logger: opts.logger ?? { level: opts.config.logLevel },
    trustProxy: fastifyTrustProxy(opts.config.trustProxy),
    bodyLimit: 1024 * 1024,
    // Request ids in every log line make one request's story easy to follow.
    requestIdHeader: "x-request-id",
  }).withTypeProvider<ZodTypeProvider>();

  const ctx: Ctx = { db: opts.database.db, dialect: opts.database.dialect, config: opts.config, log: app.log, startup: opts.startup };

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(async (err, req, reply) => {
    // A refused request for a protected record is worth knowing about: who tried what (issue 11 item 10).
    if (err instanceof AppError && err.code === "forbidden" && req.actor) {
      const params = req.params as Record<string, unknown> | undefined;
      const id = typeof params?.id === "string" ? params.id : null;
      await recordRefusal(ctx.db, { actor: req.actor, meta: requestMeta(req) }, {
        action: "access.denied",
        subjectId: id,
        details: { method: req.method, route: req.routeOptions.url ?? req.url.split("?")[0], reason: err.message },
      }).catch((auditErr: unknown) => req.log.error({ err: auditErr }, "could not record a refusal"));
    }
    errorHandler(err, req, reply);
  });
  // JSON only: a text/plain body is what a cross-site form can send without a preflight.
  app.removeContentTypeParser("text/plain");
  // An empty JSON body (curl -X POST -H 'content-type: application/json') means "no body", not an error.
  // Fastify's own parser still does the parsing, with its prototype-poisoning protection.
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.trim() === "") {
      done(null, undefined);
      return;
    }
    parseJson(req, text, done);
  });

  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Coachwork API",
        version: VERSION,
        description:
          "The Coachwork REST API. Authenticate with the session cookie from `POST /api/v1/auth/login` (writes then need the `X-CSRF-Token` header from `GET /api/v1/me`) or with a personal API token as `Authorization: Bearer cwk_…`. Errors are `{\"error\":{\"code\",\"message\",\"details\"}}`; lists are `{\"items\",\"total\",\"nextCursor\"}`.",
      },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "cw_session" },
          bearer: { type: "http", scheme: "bearer" },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  const isHttps = opts.config.publicUrl?.startsWith("https://") === true;
  app.addHook("onSend", async (req, reply) => {
    // Conservative defaults: the SPA needs nothing from other origins.
    void reply.header("x-content-type-options", "nosniff");
    void reply.header("referrer-policy", "same-origin");
    void reply.header("x-frame-options", "DENY");
    // A route that answers a page of its own (the devices module's printable label sheet) may set a stricter-scoped policy.
    if (!reply.hasHeader("content-security-policy")) void reply.header("content-security-policy", CONTENT_SECURITY_POLICY);
    // Browsers remember to use https only; only when the public address is https (never on a LAN's http).
    if (isHttps) void reply.header("strict-transport-security", "max-age=31536000; includeSubDomains");
    // API answers carry personal data: no browser or proxy cache keeps them (a route may say otherwise).
    if (req.url.startsWith("/api/") && !reply.hasHeader("cache-control")) void reply.header("cache-control", "no-store");
  });

  if (opts.startup) registerStartupGate(app as App, opts.startup);
  registerAuth(app, ctx);
  // Signed in unless the route says otherwise: a route forgetting its check refuses, not leaks.
  // Before validation, so an anonymous caller learns nothing about a route's parameters.
  app.addHook("preValidation", async (req) => {
    if (!req.routeOptions.url?.startsWith("/api/") || req.routeOptions.config.public === true) return;
    if (!req.actor) throw new AppError("unauthenticated", "Sign in to continue");
  });
  for (const module of MODULES) module.routes?.(app as App, ctx);
  const realtime = await registerRealtime(app, ctx, { authorizers: moduleTopics(MODULES), guests: moduleRealtimeGuests(MODULES) });

  app.get("/api/v1/openapi.json", { schema: { hide: true }, config: { public: true } }, async () => app.swagger());

  const clientDir = opts.clientDir ?? defaultClientDir();
  const hasClient = existsSync(path.join(clientDir, "index.html"));
  if (hasClient) {
    // wildcard: files are looked up per request, so a rebuilt client is served without a restart;
    // a miss falls through to the not-found handler below (the SPA's index.html or a JSON 404).
    // Directories ("/", "/assets/") would otherwise answer 403 Forbidden, so they fall through too.
    await app.register(fastifyStatic, {
      root: clientDir,
      wildcard: true,
      index: false,
      allowedPath: (pathName) => !pathName.endsWith("/"),
    });
  }
  app.setNotFoundHandler((req, reply) => {
    const isPage = req.method === "GET" && !req.url.startsWith("/api/") && (req.headers.accept ?? "").includes("text/html");
    if (isPage && hasClient) return reply.type("text/html").header("cache-control", "no-cache").sendFile("index.html");
    return reply.status(404).send({ error: { code: "not_found", message: `No route for ${req.method} ${req.url.split("?")[0]}` } });
  });

  return { app: app as App, ctx, realtime };
}
