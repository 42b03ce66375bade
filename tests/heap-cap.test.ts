import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { heapCapArgs } from "../bin/heap-cap.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

describe("the heap cap of npm start and coachwork import", () => {
  it("caps the heap at 1024 MiB unless told otherwise, and leaves a size chosen by the user alone", () => {
    expect(heapCapArgs({}, [])).toEqual(["--max-old-space-size=1024", "--max-semi-space-size=64"]);
    expect(heapCapArgs({ COACHWORK_MAX_HEAP_MB: "2048" }, [])).toEqual(["--max-old-space-size=2048", "--max-semi-space-size=64"]);
    expect(heapCapArgs({ NODE_OPTIONS: "--enable-source-maps --max-old-space-size=3000" }, [])).toEqual([]);
    expect(heapCapArgs({}, ["--max-old-space-size=512"])).toEqual([]);
    expect(heapCapArgs({ NODE_OPTIONS: "--max_old_space_size=2000" }, [])).toEqual([]);
  });

  /** The heap limit (MiB) of a script run through runWithHeapCap by `node <nodeArgs> runner`. */
  function childHeapLimit(nodeArgs: string[], env: NodeJS.ProcessEnv): number {
    const dir = mkdtempSync(path.join(tmpdir(), "coachwork-heap-"));
    try {
      const probe = path.join(dir, "probe.mjs");
      writeFileSync(probe, 'import v8 from "node:v8"; console.log(v8.getHeapStatistics().heap_size_limit / 2 ** 20);\n');
      const runner = path.join(dir, "run.mjs");
      writeFileSync(runner, `import { runWithHeapCap } from ${JSON.stringify(path.join(ROOT, "bin", "heap-cap.js"))};\nprocess.exitCode = await runWithHeapCap(${JSON.stringify(probe)}, []);\n`);
      const clean: NodeJS.ProcessEnv = { ...process.env, ...env };
      if (env.NODE_OPTIONS === undefined) delete clean.NODE_OPTIONS;
      if (env.COACHWORK_MAX_HEAP_MB === undefined) delete clean.COACHWORK_MAX_HEAP_MB;
      const run = spawnSync(process.execPath, [...nodeArgs, runner], { env: clean, encoding: "utf8" });
      expect(run.status, run.stderr).toBe(0);
      return Number(run.stdout.trim());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  // The limit V8 reports is the old generation plus the young one (three semi-spaces of 64 MiB).
  it("runs the script in a child whose heap limit is the cap", () => {
    const limit = childHeapLimit([], { COACHWORK_MAX_HEAP_MB: "512" });
    expect(limit).toBeGreaterThanOrEqual(512 + 3 * 64);
    expect(limit).toBeLessThan(512 + 4 * 64);
  });

  it("keeps a heap size given on node's own command line", () => {
    const limit = childHeapLimit(["--max-old-space-size=2000"], {});
    expect(limit).toBeGreaterThanOrEqual(2000);
    expect(limit).toBeLessThan(2200);
  });

  it("runs `coachwork import` through the installed command", () => {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const run = spawnSync(process.execPath, [path.join(ROOT, "bin", "coachwork.js"), "import", "--help"], { cwd: ROOT, env, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/coachwork import oneroster/);
  });
});
