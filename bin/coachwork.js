#!/usr/bin/env node
// `npx coachwork <command>`: compiles the server into dist/ when sources changed, then runs the CLI.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { heapCapArgs, runWithHeapCap } from "./heap-cap.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const builder = path.join(root, "scripts", "build-if-stale.js");

// A packaged install ships dist/ without the build script; a checkout builds on first use.
// The build's output goes to stderr so the command's own output stays clean for pipes.
if (existsSync(builder)) {
  const build = spawnSync(process.execPath, [builder], { cwd: root, stdio: ["ignore", 2, 2] });
  if (build.status !== 0) {
    console.error("coachwork: could not build the server (see above)");
    process.exit(build.status ?? 1);
  }
}

const args = process.argv.slice(2);
if (args[0] === "import" && heapCapArgs().length > 0) {
  // An import of a large district needs the heap cap (see heap-cap.js): run again with it.
  process.exitCode = await runWithHeapCap(fileURLToPath(import.meta.url), args);
} else {
  const { runCli } = await import(pathToFileURL(path.join(root, "dist", "server", "cli.js")).href);
  process.exitCode = await runCli(args);
}
