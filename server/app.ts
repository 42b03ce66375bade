import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyCookie from "@fastify/cookie";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import fastifySwagger from "@fastify/swagger";
import Fastify, { type FastifyServerOptions } from "fastify";
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { registerAuth } from "./auth/plugin.js";
import type { Ctx } from "./context.js";
import type { Database } from "./db/index.js";
import type { Config } from "./env.js";
import { errorHandler, type App } from "./http.js";
import { registerAccountRoutes } from "./modules/accounts/accounts.routes.js";
import { registerAuditRoutes } from "./modules/audit/audit.routes.js";
import { registerCoachingRoutes } from "./modules/coaching/coaching.routes.js";
import { registerHealthRoutes } from "./modules/health/health.routes.js";
import { registerPeopleRoutes } from "./modules/people/people.routes.js";
import { registerSchoolRoutes } from "./modules/schools/schools.routes.js";
import { registerSsoRoutes } from "./modules/sso/sso.routes.js";
import { VERSION } from "./version.js";

export type BuildOptions = {
  config: Config;
  database: Database;
  logger?: FastifyServerOptions["logger"];
  /** Where the built SPA lives; defaults to dist/client next to the package. */
  clientDir?: string;
};

function defaultClientDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // server/app.ts (tsx) and dist/server/app.js (built) both find <root>/dist/client.
  for (const candidate of [path.join(here, "../dist/client"), path.join(here, "../client")]) {
    if (existsSync(path.join(candidate, "index.html"))) return candidate;
  }
  return path.join(here, "../dist/client");
}

/** Builds the Fastify app with every module registered. Does not listen. */
export async function buildApp(opts: BuildOptions): Promise<{ app: App; ctx: Ctx }> {
  const app = Fastify({
    logger: opts.logger ?? { level: opts.config.logLevel },
    trustProxy: opts.config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Request ids in every log line make one request's story easy to follow.
    requestIdHeader: "x-request-id",
  }).withTypeProvider<ZodTypeProvider>();

  const ctx: Ctx = { db: opts.database.db, dialect: opts.database.dialect, config: opts.config, log: app.log };

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // JSON only: a text/plain body is what a cross-site form can send without a preflight.
  app.removeContentTypeParser("text/plain");

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

  app.addHook("onSend", async (_req, reply) => {
    // Conservative defaults: the SPA needs nothing from other origins.
    void reply.header("x-content-type-options", "nosniff");
    void reply.header("referrer-policy", "same-origin");
    void reply.header("x-frame-options", "DENY");
  });

  registerAuth(app, ctx);
  registerHealthRoutes(app, ctx, VERSION);
  registerAccountRoutes(app, ctx);
  registerSchoolRoutes(app, ctx);
  registerPeopleRoutes(app, ctx);
  registerAuditRoutes(app, ctx);
  registerCoachingRoutes(app, ctx);
  registerSsoRoutes(app, ctx);

  app.get("/api/v1/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  const clientDir = opts.clientDir ?? defaultClientDir();
  const hasClient = existsSync(path.join(clientDir, "index.html"));
  if (hasClient) {
    await app.register(fastifyStatic, { root: clientDir, wildcard: false, index: false });
  }
  app.setNotFoundHandler((req, reply) => {
    const isPage = req.method === "GET" && !req.url.startsWith("/api/") && (req.headers.accept ?? "").includes("text/html");
    if (isPage && hasClient) return reply.type("text/html").header("cache-control", "no-cache").sendFile("index.html");
    return reply.status(404).send({ error: { code: "not_found", message: `No route for ${req.method} ${req.url.split("?")[0]}` } });
  });

  return { app: app as App, ctx };
}
