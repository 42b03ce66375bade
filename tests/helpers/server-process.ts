import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "./wait.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export type LogLine = { level: number; msg: string; [key: string]: unknown };

export type ServerProcess = {
  child: ChildProcess;
  /** Set once the server logs the address it listens on. */
  baseUrl(): string;
  /** The JSON log lines so far. */
  logs: LogLine[];
  /** True while the process runs. */
  isAlive(): boolean;
  /** Waits for a log line whose message matches. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<LogLine>;
  stop(): Promise<void>;
};

/**
 * Starts `server/main.ts` as its own process (through tsx), as `npm start` would: the way to see a
 * crash, a refusal to start, or a log line, which an in-process server would hide or take the test
 * runner down with.
 */
export function startServerProcess(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "server/main.ts")], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: LogLine[] = [];
  let url: string | null = null;
  let buffered = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.startsWith("{")) continue;
      try {
        const entry = JSON.parse(line) as LogLine;
        logs.push(entry);
        const m = /^Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(entry.msg);
        if (m?.[1]) url = m[1];
      } catch {
        // not a log line
      }
    }
  });
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr += chunk;
  });
  const isAlive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    logs,
    isAlive,
    baseUrl: () => {
      if (!url) throw new Error(`the server has not said where it listens yet; stderr: ${stderr}`);
      return url;
    },
    waitForLog: (pattern, timeoutMs = 20_000) =>
      waitFor(
        `a log line matching ${pattern} (stderr: ${stderr.slice(-2000)})`,
        () => {
          if (!isAlive() && !logs.some((l) => pattern.test(l.msg))) throw new Error(`the server exited (${child.exitCode ?? child.signalCode}): ${stderr.slice(-2000)}`);
          return logs.find((l) => pattern.test(l.msg));
        },
        timeoutMs,
      ),
    stop: async () => {
      if (!isAlive()) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 12_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
