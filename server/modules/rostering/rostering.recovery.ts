import { randomUUID } from "node:crypto";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import type { Ctx } from "../../context.js";
import { nowIso } from "../../lib.js";
import type { StoredReport } from "./rostering.presenters.js";
import { emptyReport } from "./rostering.presenters.js";
import { listRunningImports, markImportInterrupted, touchImport, type RunningImportRow } from "./rostering.repository.js";

// What happens when the process running an import dies (kill -9, a crash, a restart): the import
// stays "running" in the database and holds the district's one-import lock, and its spool (every
// planned name and email, in clear) and the uploaded zip stay on disk. So a running import beats
// a heartbeat and records which process runs it; one that stopped beating, or whose process is gone
// from this host, is marked interrupted and the lock released. Files live under the data directory,
// one folder per process, and a process's folder is removed once that process is gone.

/** How often a running import says it is alive. */
export const HEARTBEAT_MS = 10_000;
/** An import whose heartbeat is older than this is dead (its process cannot be asked: another host). */
export const DEAD_AFTER_MS = 60_000;
/**
 * On this host, a live process id is trusted over the heartbeat (on SQLite the heartbeat waits while
 * the import's own transaction holds the database); past this, the id has been reused by another program.
 */
const PID_TRUSTED_FOR_MS = 15 * 60_000;

type Owner = { host: string; pid: number; instance: string };

/** This process, as recorded on the imports it runs; `instance` tells it from an earlier process with the same pid (a container's pid 1). */
export const THIS_PROCESS: Owner = { host: hostname(), pid: process.pid, instance: randomUUID() };

export function ownerText(): string {
  return JSON.stringify(THIS_PROCESS);
}

function parseOwner(text: string | null): Owner | null {
  if (!text) return null;
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    return typeof o.host === "string" && typeof o.pid === "number" && typeof o.instance === "string" ? { host: o.host, pid: o.pid, instance: o.instance } : null;
  } catch {
    return null;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether a process on this host with this pid and instance id may still be running. */
function isLocalProcessAlive(pid: number, instance: string): boolean {
  if (pid === THIS_PROCESS.pid) return instance === THIS_PROCESS.instance;
  return isProcessAlive(pid);
}

/**
 * Why an import recorded as running is dead, or null while it may be alive. `isRunningHere` is
 * whether this process is running it now.
 */
export function whyDead(row: Pick<RunningImportRow, "started_at" | "heartbeat_at" | "owner">, isRunningHere: boolean, now = Date.now()): string | null {
  if (isRunningHere) return null;
  const beat = Date.parse(row.heartbeat_at ?? row.started_at);
  const silentFor = now - beat;
  const owner = parseOwner(row.owner);
  if (owner && owner.host === THIS_PROCESS.host) {
    if (!isLocalProcessAlive(owner.pid, owner.instance)) return `the process running it (pid ${owner.pid} on ${owner.host}) stopped`;
    if (silentFor > PID_TRUSTED_FOR_MS) return `it had not reported for ${Math.round(silentFor / 60_000)} minutes`;
    return null;
  }
  if (silentFor > DEAD_AFTER_MS) {
    return `the process running it${owner ? ` (pid ${owner.pid} on ${owner.host})` : ""} stopped reporting ${Math.round(silentFor / 1000)} s ago`;
  }
  return null;
}

/** The report of an interrupted import: why, and that nothing of it was written (it applies in one transaction). */
export function interruptedReport(why: string): StoredReport {
  return { ...emptyReport(), failure: `Interrupted: ${why} (killed, crashed or restarted) before the import finished. Nothing was changed; import again.` };
}

/** Marks the dead imports of a district (or all, with null) interrupted, releasing their locks; returns their ids. */
export async function interruptDeadImports(ctx: Ctx, districtId: string | null, runningHere: ReadonlySet<string>): Promise<string[]> {
  const marked: string[] = [];
  for (const row of await listRunningImports(ctx.db, districtId)) {
    const why = whyDead(row, runningHere.has(row.id));
    if (why === null) continue;
    const report = JSON.stringify(interruptedReport(why));
    if (await markImportInterrupted(ctx.db, row.id, row.heartbeat_at, report)) {
      marked.push(row.id);
      ctx.log.warn({ importId: row.id, districtId: row.district_id, why }, "a roster import was interrupted; marked so and its lock released");
    }
  }
  return marked;
}

/** Beats the import's heartbeat until the returned function is called. */
export function startHeartbeat(ctx: Ctx, id: string): () => void {
  const timer = setInterval(() => {
    touchImport(ctx.db, id, nowIso()).catch((err: unknown) => ctx.log.warn({ err, importId: id }, "could not record the roster import's heartbeat"));
  }, HEARTBEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** The data directory's folder for the imports' working files: `<dataDir>/roster-work`. */
function workRoot(dataDir: string): string {
  return path.join(dataDir, "roster-work");
}

/** This process's folder for spools and uploads (private to the server's user), made on first use. */
export async function processWorkDir(dataDir: string): Promise<string> {
  const dir = path.join(workRoot(dataDir), `${THIS_PROCESS.pid}-${THIS_PROCESS.instance}@${THIS_PROCESS.host}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/**
 * Removes the working folders of processes that are gone (a spool or an upload left by kill -9).
 * The folders of live processes on this host (the server while the CLI imports) are left alone.
 */
export async function removeLeftoverWork(ctx: Ctx): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(workRoot(ctx.config.dataDir));
  } catch {
    return;
  }
  for (const name of entries) {
    const match = /^(\d+)-([^@]+)@(.+)$/.exec(name);
    // A data directory shared between hosts: another host's processes cannot be asked here.
    if (match && match[3] !== THIS_PROCESS.host) continue;
    if (match && isLocalProcessAlive(Number(match[1]), match[2] ?? "")) continue;
    await rm(path.join(workRoot(ctx.config.dataDir), name), { recursive: true, force: true });
    ctx.log.info({ folder: name }, "removed a roster import's leftover files");
  }
}

/** Folders earlier versions kept spools and uploads in, in the shared temporary directory. */
const LEGACY_TEMP = /^coachwork-(roster|upload)-[A-Za-z0-9]{6}$/;
/** No import runs this long: a legacy folder older than this is a leftover, not a running import of an old version. */
const LEGACY_AFTER_MS = 6 * 3600_000;

/** Removes the spools and uploads earlier versions left in the shared temporary directory (names and emails in clear). */
export async function removeLegacyTempWork(ctx: Ctx, now = Date.now()): Promise<void> {
  let entries: string[];
  try {
    entries = (await readdir(tmpdir())).filter((n) => LEGACY_TEMP.test(n));
  } catch {
    return;
  }
  for (const name of entries) {
    const full = path.join(tmpdir(), name);
    try {
      if (now - (await stat(full)).mtimeMs < LEGACY_AFTER_MS) continue;
      await rm(full, { recursive: true, force: true });
      ctx.log.info({ folder: full }, "removed a roster import's leftover files from the temporary directory");
    } catch {
      // Another user's folder, or already gone: not ours to worry about.
    }
  }
}
