import type { FastifyBaseLogger } from "fastify";
import type { Kysely, MigrationResultSet } from "kysely";
import { databaseUnavailable } from "../errors.js";
import type { App } from "../http.js";
import { isDatabaseUnavailable } from "./faults.js";
import { migrateToLatest } from "./index.js";
import type { DB } from "./schema.js";

/** Whether the server has reached its database and migrated it; until then the API answers 503. */
export type StartupState = { isReady: boolean; message: string };

/** Work waiting for the database to be migrated (whenReady), per startup state. */
const waiting = new WeakMap<StartupState, (() => Promise<void>)[]>();

/**
 * Runs `work` once the database is migrated: at once when it already is (or there is no startup
 * state: tests and the CLI migrate first), else right after migrateWhenReachable succeeds.
 */
export function whenReady(state: StartupState | undefined, work: () => Promise<void>): Promise<void> {
  if (!state || state.isReady) return work();
  const list = waiting.get(state) ?? [];
  list.push(work);
  waiting.set(state, list);
  return Promise.resolve();
}

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

/** Delay before attempt `attempt + 1`: 1 s, 2 s, 4 s … up to 30 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempt - 1));
}

/**
 * Migrates the database, waiting for it with backoff while it cannot be reached (a server started
 * before its database, as after a power cut). Any other failure (a bad password, a broken migration)
 * is thrown at once: waiting would not fix it.
 */
export async function migrateWhenReachable(opts: { db: Kysely<DB>; log: FastifyBaseLogger; state: StartupState }): Promise<MigrationResultSet> {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await migrateToLatest(opts.db);
      // What waited for the tables runs before the API opens (a recovery must settle before the first request).
      const work = waiting.get(opts.state) ?? [];
      waiting.delete(opts.state);
      for (const w of work) await w();
      opts.state.isReady = true;
      opts.state.message = "ready";
      if (attempt > 1) opts.log.info({ attempts: attempt }, "the database answers now");
      return result;
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      const delayMs = retryDelayMs(attempt);
      const reason = err instanceof Error ? err.message : String(err);
      opts.state.message = `waiting for the database (attempt ${attempt} failed: ${reason}; next in ${Math.round(delayMs / 1000)} s)`;
      opts.log.warn({ attempt, retryInMs: delayMs, reason }, "waiting for the database: it cannot be reached yet");
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/** Until the database is ready, every API request answers 503 `database_unavailable` (before authentication, which needs the database). */
export function registerStartupGate(app: App, state: StartupState): void {
  app.addHook("onRequest", async (req) => {
    if (state.isReady || !req.url.startsWith("/api/")) return;
    throw databaseUnavailable();
  });
}
