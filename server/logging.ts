import type { FastifyServerOptions } from "fastify";
import type { Config } from "./env.js";

/**
 * The server's log: readable lines (pino-pretty) in a terminal, so the setup link and warnings stand
 * out; one JSON object per line when stdout is not a terminal (a service manager, a container, a
 * pipe), for log collectors. LOG_FORMAT=json or LOG_FORMAT=pretty overrides the guess.
 */
export function loggerOptions(config: Pick<Config, "logLevel" | "logFormat">, isTerminal: boolean): NonNullable<FastifyServerOptions["logger"]> {
  const format = config.logFormat ?? "auto";
  const isPretty = format === "pretty" || (format === "auto" && isTerminal);
  if (!isPretty) return { level: config.logLevel };
  return {
    level: config.logLevel,
    transport: { target: "pino-pretty", options: { colorize: isTerminal, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname", singleLine: true } },
  };
}
