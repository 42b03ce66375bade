import { fork } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { LoadJob, LoadResult } from "./load-worker.js";

export type { LoadJob, LoadResult, LoadTarget } from "./load-worker.js";

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "load-worker.ts");
// Beyond warm-up plus measurement, how long the worker may take to start and report before it is killed.
const GRACE_MS = 60_000;

/** How long a job runs: every target's warm-ups and measured slices, every round. */
export function jobSeconds(job: LoadJob): number {
  const perTarget = job.warmupSeconds + job.sliceSeconds + (job.rounds - 1) * (job.rewarmSeconds + job.sliceSeconds);
  return perTarget * job.targets.length;
}

/** Runs one load test in a separate Node process (autocannon); the measurements by target label. */
export function runLoad(job: LoadJob): Promise<Record<string, LoadResult>> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(
      () => {
        finish(() => reject(new Error(`load worker did not finish within ${jobSeconds(job)} s + grace; killed`)));
        child.kill("SIGKILL");
      },
      jobSeconds(job) * 1000 + GRACE_MS,
    );
    child.once("message", (msg: Record<string, LoadResult>) => finish(() => resolve(msg)));
    child.once("error", (err) => finish(() => reject(err)));
    child.once("exit", (code) => finish(() => reject(new Error(`load worker exited with code ${code ?? "null"} before reporting`))));
    child.send(job);
  });
}
