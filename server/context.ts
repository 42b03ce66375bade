import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Dialect } from "./db/index.js";
import type { DB } from "./db/schema.js";
import type { Config } from "./env.js";

/** What every service is handed: the database, the configuration and a logger. */
export type Ctx = {
  db: Kysely<DB>;
  dialect: Dialect;
  config: Config;
  log: FastifyBaseLogger;
};

/** Where a request came from, for the audit log. */
export type RequestMeta = { ip: string | null; userAgent: string | null };
