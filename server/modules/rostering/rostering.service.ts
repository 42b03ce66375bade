import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setImmediate } from "node:timers/promises";
import type { Kysely } from "kysely";
import { RosterLimits } from "../../../shared/limits.js";
import type { TList } from "../../../shared/schemas/common.js";
import type {
  TListRosterImportsQuery,
  TRosterImport,
  TRosterImportReport,
  TRosterProgress,
} from "../../../shared/schemas/rostering.js";
import type { Actor } from "../../auth/actor.js";
import { assertCanImportRosters } from "./policy.js";
import type { Ctx, RequestMeta } from "../../context.js";
import { isUniqueViolation, refreshStatistics, type Dialect } from "../../db/index.js";
import { publishEvent } from "../../platform/events.js";
import type { DB } from "../../db/schema.js";
import { AppError, notFound } from "../../errors.js";
import { newId, nowIso } from "../../lib.js";
import { listDistricts } from "../accounts/api.js";
import { paginate } from "../../platform/pagination.js";
import { recordAudit } from "../audit/api.js";
import { emptyEntityCounts, IssueLog, totalCounts } from "./issues.js";
import { planOneRoster } from "./oneroster/plan.js";
import type { PlanResult } from "./oneroster/state.js";
import { presentImport, presentImportReport, type StoredReport } from "./rostering.presenters.js";
import {
  applyBatch,
  CLI_IMPORT_CACHE_MIB,
  copyRun,
  isCopied,
  liftStatementTimeout,
  MAX_BATCH_ROWS,
  SERVER_IMPORT_CACHE_MIB,
  tablesToIndexAfter,
  tablesWritten,
  withIndexesBuiltAfter,
  withLargePageCache,
} from "./rostering.apply.js";
import { countImports, findImport, findRunningImport, insertImport, listImports, updateImport, type RosterImportRow } from "./rostering.repository.js";
import {
  interruptDeadImports,
  interruptedReport,
  ownerText,
  processWorkDir,
  removeLeftoverWork,
  removeLegacyTempWork,
  startHeartbeat,
  whyDead,
} from "./rostering.recovery.js";
import { openRosterSource, RosterSourceError, type RosterSource } from "./roster-source.js";
import { batchKey, type SpoolOp } from "./spool-ops.js";
import { readSpool, SpoolWriter } from "./spool.js";
import { planStaffImport } from "./staff-import.js";
import { csvText } from "../../platform/csv.js";
import { isDatabaseUnavailable, isStorageFull } from "../../db/faults.js";
import type { RosterEncoding } from "../../../shared/roster-encodings.js";
import { decodeRosterText } from "./text-decoding.js";

export type RosterImportKind = "oneroster" | "staff";

export type RosterImportRequest = {
  kind: RosterImportKind;
  /** A .zip or a folder (OneRoster), or a .csv (staff). */
  path: string;
  fileName: string;
  isDryRun: boolean;
  applyValid: boolean;
  /** Go ahead when a bulk import would deactivate more than a tenth of the active people or enrolments (see oneroster/mass-deactivation.ts). */
  allowMassDeactivation?: boolean;
  /** The files' text encoding; null reads UTF-8 strictly (or UTF-16 by its BOM). */
  encoding: RosterEncoding | null;
};

type Who = { actor: Actor | null; districtId: string; meta: RequestMeta; origin: "web" | "cli" };

/** Progress of the imports this process is running, by import id (see GET /rostering/imports/:id). */
const running = new Map<string, TRosterProgress>();
/**
 * A row as the history shows it: one still recorded as running whose process is gone shows as
 * interrupted (it is marked so when the next import starts, or when the server starts).
 */
function asSeen<T extends Omit<RosterImportRow, "report"> & { report?: string | null }>(row: T): T {
  if (row.status !== "running") return row;
  const why = whyDead(row, running.has(row.id));
  if (why === null) return row;
  return { ...row, status: "interrupted", report: JSON.stringify(interruptedReport(why)) };
}

/**
 * Replays the planned changes inside the caller's transaction. On SQLite, in batches of one kind
 * that stay under the parameter limit; on PostgreSQL, each run of inserts and upserts of one kind
 * is loaded by COPY and written in one statement (copyRun), the rest in batches.
 */
async function applySpool(db: Kysely<DB>, dialect: Dialect, districtId: string, spoolPath: string, onProgress: (done: number) => void): Promise<void> {
  let done = 0;
  const spool = readSpool(spoolPath)[Symbol.asyncIterator]();
  let next = await spool.next();
  if (dialect === "postgres") await liftStatementTimeout(db);
  while (!next.done) {
    const key = batchKey(next.value);
    if (dialect === "postgres" && isCopied(next.value.op)) {
      const name = next.value.op;
      // The run's ops, read from the spool as COPY takes them; `next` ends on the first op of another kind.
      const run = async function* (): AsyncGenerator<SpoolOp> {
        while (!next.done && batchKey(next.value) === key) {
          yield next.value;
          if (++done % MAX_BATCH_ROWS === 0) onProgress(done);
          next = await spool.next();
        }
      };
      await copyRun(db, districtId, name, run());
      onProgress(done);
      continue;
    }
    const batch: SpoolOp[] = [];
    while (!next.done && batchKey(next.value) === key && batch.length < MAX_BATCH_ROWS) {
      batch.push(next.value);
      next = await spool.next();
    }
    await applyBatch(db, districtId, batch);
    done += batch.length;
    onProgress(done);
    // better-sqlite3 answers synchronously: a turn of the event loop between batches lets the server
    // answer what needs no database meanwhile. (On SQLite, reads go to a second, read-only connection
    // and keep answering; other writes wait for the import's one transaction: about half a minute for
    // a 200,000-person first import.)
    await setImmediate();
  }
}

/** The same files, each read through the decoder for `encoding`. */
function decodedSource(source: RosterSource, encoding: RosterEncoding | null): RosterSource {
  const files = new Map([...source.files].map(([name, f]) => [name, { ...f, open: async () => decodeRosterText(await f.open(), encoding) }]));
  return { ...source, files };
}

function blockedPlan(fileName: string, message: string): PlanResult {
  const issues = new IssueLog(RosterLimits.maxReportIssues);
  issues.blocker(fileName, null, null, message);
  return { version: null, modes: {}, entities: emptyEntityCounts(), skippedRoles: {}, issues };
}

async function planImport(ctx: Ctx, districtId: string, req: RosterImportRequest, spool: SpoolWriter, id: string): Promise<PlanResult> {
  const onProgress = (p: TRosterProgress) => running.set(id, { ...p, fraction: p.fraction * 0.6 });
  if (req.kind === "staff") {
    const { size } = await stat(req.path);
    if (size > RosterLimits.maxFileBytes) {
      return blockedPlan(req.fileName, `the file is ${Math.round(size / 2 ** 20)} MiB; a staff CSV may be at most ${Math.round(RosterLimits.maxFileBytes / 2 ** 20)} MiB`);
    }
    return planStaffImport(ctx.db, districtId, decodeRosterText(createReadStream(req.path), req.encoding), {
      spool,
      maxFileBytes: RosterLimits.maxFileBytes,
      maxIssues: RosterLimits.maxReportIssues,
      fileName: req.fileName,
      size,
      onProgress,
    });
  }
  let source: RosterSource;
  try {
    source = decodedSource(await openRosterSource(req.path), req.encoding);
  } catch (err) {
    if (err instanceof RosterSourceError) {
      if (err.cause) ctx.log.info({ err: err.cause, importId: id }, "the roster archive could not be opened");
      return blockedPlan(req.fileName, err.message);
    }
    throw err;
  }
  try {
    // Sizes declared by the archive are checked before a byte is inflated: a zip bomb stops here.
    for (const f of source.files.values()) {
      if (f.size > RosterLimits.maxFileBytes) {
        return blockedPlan(
          f.name,
          `${f.name} is ${Math.round(f.size / 2 ** 20)} MiB; one file may be at most ${Math.round(RosterLimits.maxFileBytes / 2 ** 20)} MiB`,
        );
      }
    }
    const mib = (n: number) => Math.round(n / 2 ** 20);
    const total = [...source.files.values()].reduce((sum, f) => sum + f.size, 0);
    if (total > RosterLimits.maxTotalBytes) {
      return blockedPlan(
        req.fileName,
        `the archive's CSV files add up to ${mib(total)} MiB uncompressed; a OneRoster set may be at most ${mib(RosterLimits.maxTotalBytes)} MiB in all`,
      );
    }
    return await planOneRoster(ctx.db, districtId, source, {
      spool,
      maxFileBytes: RosterLimits.maxFileBytes,
      maxIssues: RosterLimits.maxReportIssues,
      allowMassDeactivation: req.allowMassDeactivation === true,
      onProgress,
    });
  } finally {
    await source.close();
  }
}

function storedReport(plan: PlanResult, failure: string | null): StoredReport {
  return {
    version: plan.version,
    modes: plan.modes,
    entities: plan.entities,
    skippedRoles: plan.skippedRoles,
    failure,
    isBlocked: plan.issues.blocking > 0,
    issues: plan.issues.kept,
    issuesOmitted: plan.issues.omitted,
    massDeactivation: plan.massDeactivation ?? null,
    suggestedEncoding: plan.issues.suggestedEncoding,
  };
}

function recordColumns(plan: PlanResult, failure: string | null) {
  const totals = totalCounts(plan.entities);
  return {
    ...totals,
    error_count: plan.issues.errors,
    warning_count: plan.issues.warnings,
    report: JSON.stringify(storedReport(plan, failure)),
    finished_at: nowIso(),
  };
}

/** Plans, then (unless dry-run or refused) applies in one transaction; always finishes the import record. */
async function executeImport(ctx: Ctx, who: Who, id: string, req: RosterImportRequest): Promise<void> {
  let dir: string | null = null;
  let plan: PlanResult | null = null;
  const auditEvent = (status: string) => ({
    action: "roster.import",
    subjectType: "district" as const,
    subjectId: who.districtId,
    details: { importId: id, kind: req.kind, fileName: req.fileName, status, counts: totalCounts(plan?.entities ?? {}) },
  });
  const stopHeartbeat = startHeartbeat(ctx, id);
  try {
    // In the data directory, not the shared temporary one: the spool holds names and emails.
    dir = await mkdtemp(path.join(await processWorkDir(ctx.config.dataDir), "import-"));
    const spool = new SpoolWriter(path.join(dir, "plan.ndjson"));
    running.set(id, { phase: "reading", file: null, fraction: 0, rowsRead: 0 });
    try {
      plan = await planImport(ctx, who.districtId, req, spool, id);
    } finally {
      await spool.close();
    }
    const { issues } = plan;
    const isRefused = issues.blocking > 0 || (issues.errors > 0 && !req.applyValid);
    if (isRefused || req.isDryRun) {
      const status = isRefused ? ("rejected" as const) : ("dry_run" as const);
      await updateImport(ctx.db, id, { status, ...recordColumns(plan, null) });
      await recordAudit(ctx.db, who, auditEvent(status));
      return;
    }
    const applied = plan;
    const total = spool.count;
    running.set(id, { phase: "applying", file: null, fraction: 0.6, rowsRead: 0 });
    const cacheMiB = who.origin === "cli" ? CLI_IMPORT_CACHE_MIB : SERVER_IMPORT_CACHE_MIB;
    await withLargePageCache(ctx.db, ctx.dialect === "sqlite", cacheMiB, () =>
      ctx.db.transaction().execute(async (trx) => {
        // From the command line, a large SQLite load builds its secondary indexes afterwards: each
        // CREATE INDEX holds the (synchronous) driver for seconds, which only the CLI's own process
        // may afford; a server keeps answering requests between batches instead. (PostgreSQL would
        // lock the tables against readers until the commit to drop them; it loads by COPY instead.)
        const indexAfter = ctx.dialect === "sqlite" && who.origin === "cli" ? await tablesToIndexAfter(trx, spool.counts) : [];
        await withIndexesBuiltAfter(trx, indexAfter, () =>
          applySpool(trx, ctx.dialect, who.districtId, spool.path, (done) =>
            running.set(id, { phase: "applying", file: null, fraction: 0.6 + (0.4 * done) / Math.max(1, total), rowsRead: done }),
          ),
        );
        running.set(id, { phase: "finishing", file: null, fraction: 1, rowsRead: total });
        await updateImport(trx, id, { status: "applied", ...recordColumns(applied, null) });
        await recordAudit(trx, who, auditEvent("applied"));
        await publishEvent(trx, "roster.imported", {
          importId: id,
          districtId: who.districtId,
          actorId: who.actor?.personId ?? null,
          kind: req.kind,
          counts: totalCounts(applied.entities),
        });
      }),
    );
    // An import can change the directory by hundreds of thousands of rows: plans made on the old
    // statistics (a school of 30 people that now has 900) would be poor until the next refresh.
    // Only the tables it wrote: an unchanged re-import has nothing to refresh (on PostgreSQL, ANALYZE
    // of every roster table took seconds after a million-enrolment re-import that wrote nothing).
    const written = tablesWritten(spool.counts);
    if (written.length === 0) return;
    // A turn of the event loop first: the commit just held it, and requests waiting since then go first.
    await setImmediate();
    const refreshStarted = performance.now();
    await refreshStatistics(ctx.db, ctx.dialect, written)
      .then(() => ctx.log.info({ importId: id, ms: Math.round(performance.now() - refreshStarted) }, "planner statistics refreshed after the import"))
      .catch((err: unknown) => ctx.log.warn({ err, importId: id }, "refreshing planner statistics after the import failed"));
  } catch (err) {
    ctx.log.error({ err, importId: id }, "roster import failed");
    const code = err && typeof err === "object" && "code" in err ? ` (${String(err.code)})` : "";
    const failure = isStorageFull(err)
      ? "The import stopped because the server's disk is full; nothing was changed. Free some space (or ask whoever runs the server to), then import again."
      : isDatabaseUnavailable(err)
        ? "The import stopped because the database stopped answering; nothing was changed. Import again once it is back."
        : `The import stopped on an unexpected problem${code}; nothing was changed. The server log has the details.`;
    const base = plan ?? blockedPlan(req.fileName, failure);
    // The working files first: on a full disk they hold the room the failure record needs.
    if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    dir = null;
    try {
      await updateImport(ctx.db, id, { status: "failed", ...recordColumns(base, failure) });
      await recordAudit(ctx.db, who, auditEvent("failed"));
    } catch (e) {
      ctx.log.error({ err: e, importId: id }, "could not record the failed import");
    }
  } finally {
    stopHeartbeat();
    running.delete(id);
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

async function beginImport(ctx: Ctx, who: Who, req: RosterImportRequest): Promise<string> {
  // An import whose process was killed still holds the one-running-import-per-district index:
  // mark it interrupted first, and remove what such imports left on disk.
  await interruptDeadImports(ctx, who.districtId, new Set(running.keys()));
  await removeLeftoverWork(ctx);
  const id = newId();
  const busy = () => new AppError("conflict", "Another roster import is running; wait for it to finish");
  await insertImport(ctx.db, {
    id,
    district_id: who.districtId,
    actor_id: who.actor?.personId ?? null,
    origin: who.origin,
    kind: req.kind,
    file_name: req.fileName.slice(0, 200),
    status: "running",
    is_dry_run: req.isDryRun ? 1 : 0,
    apply_valid: req.applyValid ? 1 : 0,
    created: 0,
    updated: 0,
    deactivated: 0,
    unchanged: 0,
    skipped: 0,
    rejected: 0,
    error_count: 0,
    warning_count: 0,
    report: null,
    started_at: nowIso(),
    finished_at: null,
    heartbeat_at: nowIso(),
    owner: ownerText(),
  }).catch(async (err: unknown) => {
    if (!isUniqueViolation(err)) throw err;
    const other = await findRunningImport(ctx.db, who.districtId);
    throw other ? new AppError("conflict", busy().message, { importId: other.id }) : busy();
  });
  running.set(id, { phase: "reading", file: null, fraction: 0, rowsRead: 0 });
  return id;
}

export type ReceivedUpload = { path: string; size: number; cleanup: () => Promise<void> };

/**
 * Saves an upload to a private file in the data directory, refusing it past `RosterLimits.maxUploadBytes`.
 * The policy is checked first, so nobody but an admin can make the server store a large body.
 */
export async function receiveRosterUpload(ctx: Ctx, actor: Actor, body: Readable, fileName: string): Promise<ReceivedUpload> {
  assertCanImportRosters(actor);
  const dir = await mkdtemp(path.join(await processWorkDir(ctx.config.dataDir), "upload-"));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const target = path.join(dir, path.extname(fileName).toLowerCase() === ".csv" ? "upload.csv" : "upload.zip");
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > RosterLimits.maxUploadBytes) done(new AppError("payload_too_large", `The upload is larger than ${Math.round(RosterLimits.maxUploadBytes / 2 ** 20)} MiB, the most one import takes`));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(body, limit, createWriteStream(target, { mode: 0o600 }));
  } catch (err) {
    await cleanup();
    if (err instanceof AppError) throw err;
    throw new AppError("bad_request", "The upload broke off before it was complete; send it again");
  }
  if (size === 0) {
    await cleanup();
    throw new AppError("bad_request", "The upload is empty: send the .zip (application/zip) or the staff list (text/csv) as the request body");
  }
  return { path: target, size, cleanup };
}

/**
 * Starts an import of an uploaded file (district admins). Resolves once the import is recorded as
 * running; `done` settles when it has finished, and `cleanup` runs after it either way.
 */
export async function startRosterImport(
  ctx: Ctx,
  actor: Actor,
  req: RosterImportRequest,
  meta: RequestMeta,
  cleanup: () => Promise<void>,
): Promise<{ record: TRosterImport; done: Promise<void> }> {
  assertCanImportRosters(actor);
  const who: Who = { actor, districtId: actor.districtId, meta, origin: "web" };
  let id: string;
  try {
    id = await beginImport(ctx, who, req);
  } catch (err) {
    await cleanup();
    throw err;
  }
  // executeImport records its own failures; this only keeps a stray rejection from reaching the process.
  const done = executeImport(ctx, who, id, req)
    .catch((err: unknown) => ctx.log.error({ err, importId: id }, "roster import failed"))
    .finally(cleanup);
  const row = await findImport(ctx.db, actor.districtId, id);
  if (!row) throw notFound("Import");
  return { record: presentImport(row, running.get(id) ?? null), done };
}

/** Runs an import from the command line (no actor; audited as the CLI) and returns its report. */
export async function runRosterImportFromCli(
  ctx: Ctx,
  req: RosterImportRequest & { districtName?: string },
  onProgress?: (p: TRosterProgress) => void,
): Promise<TRosterImportReport> {
  const districts = await listDistricts(ctx.db);
  const district = req.districtName ? districts.find((d) => d.name === req.districtName) : districts.length === 1 ? districts[0] : undefined;
  if (!district) {
    if (districts.length === 0) throw new AppError("bad_request", "There is no district yet; create one with: coachwork admin create");
    throw new AppError("bad_request", req.districtName ? `No district is called "${req.districtName}"` : "There are several districts; name one with --district");
  }
  const who: Who = { actor: null, districtId: district.id, meta: { ip: null, userAgent: "coachwork cli" }, origin: "cli" };
  const id = await beginImport(ctx, who, req);
  const timer = onProgress
    ? setInterval(() => {
        const p = running.get(id);
        if (p) onProgress(p);
      }, 1000)
    : null;
  try {
    await executeImport(ctx, who, id, req);
  } finally {
    if (timer) clearInterval(timer);
  }
  const row = await findImport(ctx.db, district.id, id);
  if (!row) throw notFound("Import");
  return presentImportReport(row, null);
}

/** At start: marks the imports left running by a killed process interrupted, and removes their files. */
export async function recoverRosterImports(ctx: Ctx): Promise<void> {
  await interruptDeadImports(ctx, null, new Set(running.keys()));
  await removeLeftoverWork(ctx);
  await removeLegacyTempWork(ctx);
}

/** The district's imports, newest first (district admins). */
export async function listRosterImports(ctx: Ctx, actor: Actor, q: TListRosterImportsQuery): Promise<TList<TRosterImport>> {
  assertCanImportRosters(actor);
  const page = await paginate({
    query: q,
    cursorOf: (r) => [r.started_at, r.id],
    readCursor: ([a, b]) => (typeof a === "string" && typeof b === "string" ? { startedAt: a, id: b } : undefined),
    count: () => countImports(ctx.db, actor.districtId),
    fetch: (before: { startedAt: string; id: string } | null, limit: number) => listImports(ctx.db, actor.districtId, before, limit),
  });
  return { ...page, items: page.items.map((r) => presentImport(asSeen(r), running.get(r.id) ?? null)) };
}

/** One import's full report: counts per entity and each issue (district admins). */
export async function getRosterImport(ctx: Ctx, actor: Actor, id: string): Promise<TRosterImportReport> {
  assertCanImportRosters(actor);
  const row = await findImport(ctx.db, actor.districtId, id);
  if (!row) throw notFound("Import");
  return presentImportReport(asSeen(row), running.get(id) ?? null);
}

/** The report's issues as CSV (file, line, column, message), for a spreadsheet or the SIS team. */
export async function rosterImportReportCsv(ctx: Ctx, actor: Actor, id: string): Promise<string> {
  const report = await getRosterImport(ctx, actor, id);
  const rows = report.issues.map((i) => [i.severity, i.file, i.line ?? "", i.column ?? "", i.message]);
  if (report.failure) rows.unshift(["error", report.fileName, "", "", report.failure]);
  if (report.issuesOmitted > 0) rows.push(["warning", "", "", "", `${report.issuesOmitted} more issues were found but not kept`]);
  return csvText(rows, ["severity", "file", "line", "column", "message"]);
}
