import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Dialect } from "./db/index.js";
import type { DB } from "./db/schema.js";
import type { StartupState } from "./db/startup.js";
import type { Config } from "./env.js";

/** What every service is handed: the database, the configuration and a logger. */
export type Ctx = {
  db: Kysely<DB>;
  dialect: Dialect;
  config: Config;
  log: FastifyBaseLogger;
  /** Present while (and after) the server waits for its database at start; absent means it was ready before the app was built. */
  startup?: StartupState;
};

/** Where a request came from, for the audit log. */
export type RequestMeta = { ip: string | null; userAgent: string | null };
