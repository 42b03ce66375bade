import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";

const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL; leave it unset for the embedded SQLite database")
    .optional(),
  COACHWORK_DATA_DIR: z.string().min(1).default("./data"),
  COACHWORK_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_FORMAT: z.enum(["auto", "pretty", "json"]).default("auto"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  COACHWORK_READY_MIN_FREE_MB: z.coerce.number().int().min(0).default(64),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional(),
  MAIL_FROM: z.string().default("Coachwork <no-reply@localhost>"),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL; leave it unset for a single app server")
    .optional(),
  TRUST_PROXY: z
    .string()
    .default("false")
    .transform((v, ctx) => {
      const parsed = parseTrustProxy(v);
      if (typeof parsed === "string") {
        ctx.addIssue({ code: "custom", message: parsed });
        return z.NEVER;
      }
      return parsed;
    }),
});

/**
 * Which proxies' X-Forwarded-For and X-Forwarded-Proto to believe: none (false), the last `n` hops, or
 * the given proxy addresses and CIDR ranges. Never "true": that believes any client, who could then
 * pick their own address (escaping throttles, forging the audit log). Returns a message when invalid.
 */
export function parseTrustProxy(value: string): TrustProxy | string {
  const v = value.trim();
  if (v === "" || v === "false" || v === "0") return false;
  if (v === "true") {
    return 'must not be "true", which trusts any client\'s X-Forwarded-For; give the number of proxies in front of Coachwork (e.g. 1) or their addresses (e.g. 10.0.0.5,10.1.0.0/16)';
  }
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return hops <= 10 ? hops : "a hop count must be between 0 and 10";
  }
  const entries = v.split(",").map((e) => e.trim()).filter(Boolean);
  const bad = entries.filter((e) => !isAddressOrRange(e));
  if (bad.length) return `must be a hop count or proxy addresses/CIDR ranges; not an address: ${bad.join(", ")}`;
  return entries;
}

function isAddressOrRange(entry: string): boolean {
  const [address, bits, ...rest] = entry.split("/");
  if (rest.length || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d+$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** Fastify's trustProxy: false, a hop count, or proxy addresses and ranges. */
export type TrustProxy = false | number | string[];

export type Config = {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  database:
    | { kind: "sqlite"; file: string }
    /** `statementTimeoutMs`: PostgreSQL's statement_timeout; a query with no answer 2 s later is abandoned and its connection closed. 0 = none. */
    | { kind: "postgres"; url: string; poolSize: number; statementTimeoutMs?: number };
  dataDir: string;
  secret: string;
  publicUrl: string | null;
  logLevel: z.infer<typeof ZEnv>["LOG_LEVEL"];
  /** auto: readable lines in a terminal, JSON otherwise (server/logging.ts). */
  logFormat?: z.infer<typeof ZEnv>["LOG_FORMAT"];
  smtpUrl: string | null;
  mailFrom: string;
  /** See parseTrustProxy: false, a hop count, or proxy addresses/ranges. */
  trustProxy: TrustProxy;
  /** /readyz fails below this much free space in the data directory (default 64 MiB). */
  readyMinFreeBytes?: number;
  /** Redis for realtime fan-out across app servers; unset (or absent) on a single server. */
  redisUrl?: string | null;
};

/** Parses the environment once; on bad input prints every problem and exits 1. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ZEnv.safeParse(env);
  if (!parsed.success) {
    console.error("Coachwork cannot start: the configuration is invalid.");
    for (const issue of parsed.error.issues) console.error(`  ${issue.path.join(".")}: ${issue.message}`);
    process.exit(1);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.COACHWORK_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? { kind: "postgres", url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE, statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS }
      : { kind: "sqlite", file: path.join(dataDir, "coachwork.db") },
    dataDir,
    secret: e.COACHWORK_SECRET ?? loadOrCreateSecret(dataDir),
    publicUrl: e.PUBLIC_URL ? e.PUBLIC_URL.replace(/\/$/, "") : null,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
    trustProxy: e.TRUST_PROXY,
    redisUrl: e.REDIS_URL ?? null,
    readyMinFreeBytes: e.COACHWORK_READY_MIN_FREE_MB * 1024 * 1024,
  };
}

/** The secret survives restarts so tokens derived from it stay valid; it lives beside the database. */
function loadOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, "secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  return secret;
}
