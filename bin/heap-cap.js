// Runs a Node script in a child process with a cap on V8's old-generation heap.
//
// A roster import of a large district (200,000 people, 1,000,000 enrolments) keeps ~300 MiB of live
// data, but with V8's default limit (a quarter of the machine's memory) the garbage of a million
// parsed rows piles up past 1 GiB before it is collected. A cap of 1024 MiB keeps the process's
// peak near 550 MiB at that size (docs/benchmarks.md). Set COACHWORK_MAX_HEAP_MB to change it, or
// give --max-old-space-size yourself (in NODE_OPTIONS or on node's command line) to take over.
import { spawn } from "node:child_process";
import { constants } from "node:os";

const DEFAULT_HEAP_MB = 1024;
// The young generation's semi-space, up from V8's 16 MiB: an import builds maps of a million
// sourcedIds, and with a small young generation most of what it allocates was copied by a scavenge
// before it died (a re-import of 1,000,000 enrolments spent 8.6 s scavenging with 16 MiB, 4.7 s with
// 64). V8 grows the semi-space only as far as allocation needs, so an idle server does not pay it.
const SEMI_SPACE_MB = 64;

/** The node flags to add (the heap cap and the young generation's size): none when the heap size is already chosen. */
export function heapCapArgs(env = process.env, execArgv = process.execArgv) {
  // V8 takes the flag with dashes or underscores.
  const chosen = [...execArgv, ...(env.NODE_OPTIONS ?? "").split(/\s+/)].some((a) => /^--max[-_]old[-_]space[-_]size/.test(a));
  if (chosen) return [];
  const mb = Number(env.COACHWORK_MAX_HEAP_MB ?? DEFAULT_HEAP_MB);
  if (!Number.isInteger(mb) || mb < 256) {
    console.error(`COACHWORK_MAX_HEAP_MB is "${env.COACHWORK_MAX_HEAP_MB}"; it must be a whole number of MiB, at least 256`);
    process.exit(2);
  }
  return [`--max-old-space-size=${mb}`, `--max-semi-space-size=${SEMI_SPACE_MB}`];
}

/**
 * Runs `script args` in a child node with this node's own flags (a heap size given on its command
 * line, --inspect…) and the heap cap; signals pass through; resolves to the exit code a shell
 * would report for the child (128 + the signal's number when a signal ended it).
 */
export function runWithHeapCap(script, args) {
  const child = spawn(process.execPath, [...process.execArgv, ...heapCapArgs(), script, ...args], { stdio: "inherit" });
  const forward = (signal) => () => child.kill(signal);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, forward(signal));
  return new Promise((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1)));
  });
}
