import { statfs } from "node:fs/promises";
import { z } from "zod";
import type { Ctx } from "../../context.js";
import { pingDatabase } from "../../db/index.js";
import type { App } from "../../http.js";

const DEFAULT_MIN_FREE_BYTES = 64 * 1024 * 1024;
const PING_TIMEOUT_MS = 2_000;

const ZReady = z.object({
  status: z.enum(["ok", "unavailable"]),
  db: z.enum(["sqlite", "postgres"]),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), message: z.string().optional() })),
});

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);
}

export function registerHealthRoutes(app: App, ctx: Ctx, version: string): void {
  app.get(
    "/healthz",
    {
      config: { public: true },
      schema: {
        tags: ["Health"],
        summary: "Liveness: the process is up",
        response: { 200: z.object({ status: z.literal("ok"), db: z.enum(["sqlite", "postgres"]), version: z.string() }) },
      },
    },
    async () => ({ status: "ok" as const, db: ctx.dialect, version }),
  );

  app.get(
    "/readyz",
    { config: { public: true }, schema: { tags: ["Health"], summary: "Readiness: the database answers and the disk has room", response: { 200: ZReady, 503: ZReady } } },
    async (req, reply) => {
      const checks: Record<string, { ok: boolean; message?: string }> = {};
      if (ctx.startup && !ctx.startup.isReady) {
        // Started before its database: not ready until it is reached and migrated.
        checks.database = { ok: false, message: ctx.startup.message };
      } else {
        try {
          await withTimeout(pingDatabase(ctx.db), PING_TIMEOUT_MS);
          checks.database = { ok: true };
        } catch (err) {
          checks.database = { ok: false, message: err instanceof Error ? err.message : String(err) };
        }
      }
      try {
        const fs = await statfs(ctx.config.dataDir);
        const free = fs.bavail * fs.bsize;
        checks.disk = free >= (ctx.config.readyMinFreeBytes ?? DEFAULT_MIN_FREE_BYTES) ? { ok: true } : { ok: false, message: `only ${Math.round(free / 1048576)} MiB free in the data directory` };
      } catch (err) {
        checks.disk = { ok: false, message: err instanceof Error ? err.message : String(err) };
      }
      const ok = Object.values(checks).every((c) => c.ok);
      if (!ok) req.log.warn({ checks }, "not ready");
      return reply.status(ok ? 200 : 503).send({ status: ok ? "ok" : "unavailable", db: ctx.dialect, checks });
    },
  );
}
