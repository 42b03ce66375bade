import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { BENCH_PG_ADMIN_URL, ensureDataset, type DatasetSize } from "./dataset.js";
import { median, round } from "./report.js";

// Time from spawning the server to GET /readyz answering 200 (migrated and serving), polled every 10 ms.
// /healthz answers as soon as the process listens, before the database is reached, so it is not the measure.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MAIN = path.join(ROOT, "dist", "server", "main.js");
const POLL_MS = 10;
const START_TIMEOUT_MS = 60_000;
// The untimed first run of a case may build the app (npm start) or create the database: allow more.
const PRIME_TIMEOUT_MS = 300_000;
const STOP_TIMEOUT_MS = 15_000;

export type StartupCase = {
  name: string;
  description: string;
  runsMs: number[];
  medianMs: number | null;
  skipped: string | null;
};

export type StartupResult = { runs: number; cases: StartupCase[] };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Launch = { command: string; args: string[]; env: Record<string, string>; isGroup: boolean };

function serverEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !["DATABASE_URL", "COACHWORK_DATA_DIR", "PORT", "HOST", "LOG_LEVEL"].includes(k)) env[k] = v;
  }
  return { ...env, NODE_ENV: "production", HOST: "127.0.0.1", ...extra };
}

function stop(child: ChildProcess, isGroup: boolean): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        // `npm start` runs a shell and node under npm: signal the group we created, and only it.
        if (isGroup) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // Already gone.
      }
    };
    const force = setTimeout(() => kill("SIGKILL"), STOP_TIMEOUT_MS);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    kill("SIGTERM");
  });
}

/** Spawns the server, polls /readyz until 200, stops it; the milliseconds from spawn to healthy. */
async function timeToHealthy(launch: Launch, port: number, timeoutMs: number): Promise<{ ms: number; output: string }> {
  let output = "";
  const started = performance.now();
  const child = spawn(launch.command, launch.args, { cwd: ROOT, env: launch.env, stdio: ["ignore", "pipe", "pipe"], detached: launch.isGroup });
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before it was healthy:\n${output.slice(-2000)}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        if (res.status === 200) return { ms: performance.now() - started, output };
      } catch {
        // Not listening yet.
      }
      if (performance.now() - started > timeoutMs) throw new Error(`not healthy after ${timeoutMs / 1000} s:\n${output.slice(-2000)}`);
      await sleep(POLL_MS);
    }
  } finally {
    await stop(child, launch.isGroup);
  }
}

async function withPgAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: BENCH_PG_ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

type CaseSpec = {
  name: string;
  description: string;
  /** Prepares one run: returns the launch and a cleanup. */
  prepare: (port: number) => Promise<{ launch: Launch; cleanup: () => Promise<void> }>;
  /** Runs once untimed first (e.g. to create and migrate the database the timed runs reuse). */
  primeOnce?: boolean;
  /** Output that means the run was not what we meant to measure. */
  rejectOutput?: { pattern: RegExp; reason: string };
};

const node = (env: Record<string, string>): Launch => ({ command: process.execPath, args: [MAIN], env: serverEnv(env), isGroup: false });

/** Measures how long the server takes from spawn to healthy, in several situations, `runs` times each. */
export async function benchStartup(opts: { runs: number; size: DatasetSize; log: (msg: string) => void }): Promise<StartupResult> {
  const { log } = opts;
  if (!existsSync(MAIN)) {
    return {
      runs: opts.runs,
      cases: [{ name: "all", description: "", runsMs: [], medianMs: null, skipped: `${path.relative(ROOT, MAIN)} is missing: run \`npm run build\` (npm run bench does)` }],
    };
  }
  const sqliteDir = mkdtempSync(path.join(tmpdir(), "coachwork-bench-start-"));
  const sqliteDataset = await ensureDataset("sqlite", opts.size, log);
  const pgDataset = await ensureDataset("postgres", opts.size, log);
  const pgDatasetUrl = pgDataset.database.kind === "postgres" ? pgDataset.database.url : "";
  const noop = async () => {};
  const specs: CaseSpec[] = [
    {
      name: "sqlite, new data dir",
      description: "first start: creates the SQLite file and secret, runs every migration",
      prepare: async (port) => {
        const dir = mkdtempSync(path.join(tmpdir(), "coachwork-bench-fresh-"));
        return { launch: node({ COACHWORK_DATA_DIR: dir, PORT: String(port) }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
      },
    },
    {
      name: "sqlite, existing (empty) DB",
      description: "restart: schema up to date, no district yet",
      primeOnce: true,
      prepare: async (port) => ({ launch: node({ COACHWORK_DATA_DIR: sqliteDir, PORT: String(port) }), cleanup: noop }),
    },
    {
      name: `sqlite, existing ${sqliteDataset.meta.people.toLocaleString("en-US")}-person DB`,
      description: "restart against the benchmark directory",
      prepare: async (port) => ({ launch: node({ COACHWORK_DATA_DIR: sqliteDataset.dataDir, PORT: String(port) }), cleanup: noop }),
    },
    {
      name: "postgres, new database",
      description: "first start on an empty PostgreSQL database: every migration",
      prepare: async (port) => {
        const name = `cw_bench_start_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
        // `name` is [a-z0-9_] only; identifiers cannot be bound as parameters.
        await withPgAdmin((c) => c.query(`create database ${name}`));
        const url = new URL(BENCH_PG_ADMIN_URL);
        url.pathname = `/${name}`;
        const dir = mkdtempSync(path.join(tmpdir(), "coachwork-bench-pg-"));
        return {
          launch: node({ DATABASE_URL: url.toString(), COACHWORK_DATA_DIR: dir, PORT: String(port) }),
          cleanup: async () => {
            await withPgAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
            rmSync(dir, { recursive: true, force: true });
          },
        };
      },
    },
    {
      name: `postgres, existing ${pgDataset.meta.people.toLocaleString("en-US")}-person DB`,
      description: "restart against the benchmark directory",
      prepare: async (port) => ({ launch: node({ DATABASE_URL: pgDatasetUrl, COACHWORK_DATA_DIR: pgDataset.dataDir, PORT: String(port) }), cleanup: noop }),
    },
    {
      name: "npm start, warm build (sqlite, existing DB)",
      description: "what a user types: npm, the build-if-stale check, then the server",
      primeOnce: true,
      rejectOutput: { pattern: /Building Coachwork/, reason: "the sources changed, so npm start rebuilt" },
      prepare: async (port) => ({
        launch: { command: "npm", args: ["start", "--silent"], env: serverEnv({ COACHWORK_DATA_DIR: sqliteDir, PORT: String(port) }), isGroup: true },
        cleanup: noop,
      }),
    },
  ];

  const cases: StartupCase[] = [];
  // The floor: how long this machine takes to start Node and exit, with no application at all.
  const baseline: number[] = [];
  for (let i = 0; i < opts.runs; i++) {
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ["-e", "0"], { stdio: "ignore" });
      child.once("error", reject);
      child.once("exit", () => resolve());
    });
    baseline.push(round(performance.now() - started, 1));
  }
  cases.push({ name: "baseline: node -e 0", description: "Node itself starting and exiting", runsMs: baseline, medianMs: round(median(baseline), 1), skipped: null });
  try {
    for (const spec of specs) {
      log(`startup: ${spec.name}…`);
      const runsMs: number[] = [];
      let skipped: string | null = null;
      try {
        for (let i = spec.primeOnce ? -1 : 0; i < opts.runs; i++) {
          const port = await freePort();
          const { launch, cleanup } = await spec.prepare(port);
          try {
            const { ms, output } = await timeToHealthy(launch, port, i < 0 ? PRIME_TIMEOUT_MS : START_TIMEOUT_MS);
            if (i < 0) continue;
            if (spec.rejectOutput?.pattern.test(output)) throw new Error(spec.rejectOutput.reason);
            runsMs.push(round(ms, 1));
          } finally {
            await cleanup();
          }
        }
      } catch (err) {
        // The first line says what happened; the server's first error line (else its last line) says why.
        const lines = (err instanceof Error ? err.message : String(err)).split("\n").filter((l) => l.trim() !== "");
        const why = lines.slice(1).find((l) => /error|cannot|failed/i.test(l)) ?? lines[lines.length - 1] ?? "";
        skipped = lines.length > 1 ? `${lines[0] ?? ""} ${why.trim().slice(0, 300)}` : (lines[0] ?? "failed");
        log(`startup: ${spec.name}: ${skipped}`);
      }
      cases.push({ name: spec.name, description: spec.description, runsMs, medianMs: runsMs.length ? round(median(runsMs), 1) : null, skipped });
    }
  } finally {
    rmSync(sqliteDir, { recursive: true, force: true });
  }
  return { runs: opts.runs, cases };
}
