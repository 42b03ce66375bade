import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Ctx } from "../../context.js";
import { removeLegacyTempWork, THIS_PROCESS, whyDead } from "./rostering.recovery.js";

const NOW = Date.parse("2026-12-03T08:00:00.000Z");
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const owner = (o: Partial<typeof THIS_PROCESS>) => JSON.stringify({ ...THIS_PROCESS, ...o });

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

describe("whyDead", () => {
  it("keeps an import this process runs, however quiet", () => {
    expect(whyDead({ started_at: ago(3_600_000), heartbeat_at: ago(3_600_000), owner: owner({}) }, true, NOW)).toBeNull();
  });

  it("on this host, trusts the process table: a gone pid is dead at once, a live one is alive though quiet", () => {
    expect(whyDead({ started_at: ago(5_000), heartbeat_at: ago(1_000), owner: owner({ pid: deadPid() }) }, false, NOW)).toMatch(/process running it \(pid \d+ on .+\) stopped$/);
    // The parent is alive; five quiet minutes are a long SQLite transaction holding up the heartbeat.
    expect(whyDead({ started_at: ago(300_000), heartbeat_at: ago(300_000), owner: owner({ pid: process.ppid }) }, false, NOW)).toBeNull();
    // Twenty: the pid has been reused by another program.
    expect(whyDead({ started_at: ago(1_200_000), heartbeat_at: ago(1_200_000), owner: owner({ pid: process.ppid }) }, false, NOW)).toMatch(/had not reported for 20 minutes/);
  });

  it("tells this process from an earlier one with the same pid (a container's pid 1)", () => {
    expect(whyDead({ started_at: ago(1_000), heartbeat_at: ago(1_000), owner: owner({ instance: "earlier" }) }, false, NOW)).toMatch(/stopped$/);
    expect(whyDead({ started_at: ago(1_000), heartbeat_at: ago(1_000), owner: owner({}) }, false, NOW)).toBeNull();
  });

  it("on another host, goes by the heartbeat: dead after a minute", () => {
    const elsewhere = owner({ host: "app-2", pid: 4242 });
    expect(whyDead({ started_at: ago(600_000), heartbeat_at: ago(30_000), owner: elsewhere }, false, NOW)).toBeNull();
    expect(whyDead({ started_at: ago(600_000), heartbeat_at: ago(70_000), owner: elsewhere }, false, NOW)).toMatch(/pid 4242 on app-2\) stopped reporting 70 s ago/);
  });

  it("judges an import recorded before heartbeats by its start", () => {
    expect(whyDead({ started_at: ago(90_000), heartbeat_at: null, owner: null }, false, NOW)).toMatch(/stopped reporting 90 s ago/);
    expect(whyDead({ started_at: ago(10_000), heartbeat_at: null, owner: null }, false, NOW)).toBeNull();
  });
});

describe("removeLegacyTempWork", () => {
  it("removes the spool folders earlier versions left in the temporary directory, once no import could still be using them", async () => {
    const old = mkdtempSync(path.join(tmpdir(), "coachwork-roster-"));
    writeFileSync(path.join(old, "plan.ndjson"), '["insert","people","Ada","ada@example.org"]\n');
    const recent = mkdtempSync(path.join(tmpdir(), "coachwork-upload-"));
    const sevenHoursAgo = new Date(Date.now() - 7 * 3600_000);
    utimesSync(old, sevenHoursAgo, sevenHoursAgo);
    const log = { info: () => undefined } as unknown as Ctx["log"];
    await removeLegacyTempWork({ log } as Ctx);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    rmSync(recent, { recursive: true, force: true });
  });
});
