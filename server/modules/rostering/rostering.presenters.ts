import type { TRosterImport, TRosterImportReport, TRosterProgress } from "../../../shared/schemas/rostering.js";
import type { RosterImportRow } from "./rostering.repository.js";

export type StoredReport = Pick<TRosterImportReport, "version" | "modes" | "entities" | "skippedRoles" | "failure" | "isBlocked" | "issues" | "issuesOmitted" | "massDeactivation" | "suggestedEncoding">;

/** An import as the history shows it; `progress` only while this process runs it. */
export function presentImport(row: Omit<RosterImportRow, "report">, progress: TRosterProgress | null): TRosterImport {
  return {
    id: row.id,
    kind: row.kind,
    origin: row.origin,
    fileName: row.file_name,
    status: row.status,
    isDryRun: Number(row.is_dry_run) === 1,
    applyValid: Number(row.apply_valid) === 1,
    actorId: row.actor_id,
    actorName: row.actor_given === null ? null : `${row.actor_given} ${row.actor_family ?? ""}`.trim(),
    counts: {
      created: Number(row.created),
      updated: Number(row.updated),
      unchanged: Number(row.unchanged),
      deactivated: Number(row.deactivated),
      skipped: Number(row.skipped),
      rejected: Number(row.rejected),
    },
    errorCount: Number(row.error_count),
    warningCount: Number(row.warning_count),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    progress,
  };
}

export function emptyReport(): StoredReport {
  return { version: null, modes: {}, entities: {}, skippedRoles: {}, failure: null, isBlocked: false, issues: [], issuesOmitted: 0, massDeactivation: null, suggestedEncoding: null };
}

export function parseReport(text: string | null): StoredReport {
  if (!text) return emptyReport();
  try {
    return { ...emptyReport(), ...(JSON.parse(text) as Partial<StoredReport>) };
  } catch {
    return emptyReport();
  }
}

/** The full report: the import plus per-entity counts and every kept issue. */
export function presentImportReport(row: RosterImportRow, progress: TRosterProgress | null): TRosterImportReport {
  return { ...presentImport(row, progress), ...parseReport(row.report) };
}
