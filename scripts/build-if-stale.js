#!/usr/bin/env node
// Builds the client (Vite) and server (tsc) when any source is newer than the last build,
// so `npm start` and `npm test` work straight after `npm install` and stay fast afterwards.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const stamp = path.join(root, "dist", ".build-stamp");
const inputs = ["client", "server", "shared", "package.json", "vite.config.ts", "tsconfig.json", "tsconfig.server.json"];

function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const newest = Math.max(...inputs.map((i) => newestMtime(path.join(root, i))));
if (built >= newest && existsSync(path.join(root, "dist/client/index.html"))) process.exit(0);

console.log("Building Coachwork (first run or sources changed)…");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
for (const [cmd, args] of [
  [bin("vite"), ["build", "--logLevel", "warn"]],
  [bin("tsc"), ["-p", "tsconfig.server.json"]],
]) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`Build step failed: ${path.basename(cmd)} ${args.join(" ")}`);
    process.exit(r.status ?? 1);
  }
}
writeFileSync(stamp, new Date().toISOString() + "\n");
