import { stat } from "node:fs/promises";
import path from "node:path";
import { ROSTER_ENTITIES, type TRosterImportReport, type TRosterProgress } from "../../../shared/schemas/rostering.js";
import { ROSTER_ENCODING_LABELS, type RosterEncoding } from "../../../shared/roster-encodings.js";
import type { Ctx } from "../../context.js";
import { runRosterImportFromCli, type RosterImportKind } from "./rostering.service.js";

// `coachwork import oneroster PATH` and `coachwork import staff FILE`: the command line's side of
// rostering. server/cli.ts parses the arguments; this runs the import and words the report.

export type CliImportOptions = {
  kind: RosterImportKind;
  target: string;
  isDryRun: boolean;
  applyValid: boolean;
  allowMassDeactivation?: boolean;
  encoding: RosterEncoding | null;
  districtName?: string;
};

const ENTITY_LABELS: Record<string, string> = {
  orgs: "orgs",
  academicSessions: "sessions",
  courses: "courses",
  classes: "classes",
  people: "people",
  roles: "role grants",
  enrollments: "enrollments",
};

/** Checks the path before the database is opened, so a typo answers at once. */
export async function describeImportTarget(opts: CliImportOptions): Promise<string | null> {
  try {
    const info = await stat(opts.target);
    if (opts.kind === "staff" && info.isDirectory()) return `${opts.target} is a folder; give the staff CSV file`;
    return null;
  } catch {
    return `${opts.target} does not exist`;
  }
}

/** Runs the import and returns the report; progress goes to `onProgress` about once a second. */
export function importFromCli(ctx: Ctx, opts: CliImportOptions, onProgress?: (p: TRosterProgress) => void): Promise<TRosterImportReport> {
  return runRosterImportFromCli(
    ctx,
    {
      kind: opts.kind,
      path: path.resolve(opts.target),
      fileName: path.basename(opts.target),
      isDryRun: opts.isDryRun,
      applyValid: opts.applyValid,
      allowMassDeactivation: opts.allowMassDeactivation === true,
      encoding: opts.encoding,
      districtName: opts.districtName,
    },
    onProgress,
  );
}

export function formatProgress(p: TRosterProgress): string {
  return `${p.phase}${p.file ? ` ${p.file}` : ""}: ${Math.round(p.fraction * 100)}% (${p.rowsRead.toLocaleString("en-US")} rows)`;
}

/** A word as a POSIX shell reads it: bare when it is safe, else in single quotes. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The command that runs the same import again, reading its files in `encoding`. */
export function importAgainCommand(opts: CliImportOptions, encoding: RosterEncoding): string {
  const words = ["coachwork", "import", opts.kind, opts.target];
  if (opts.isDryRun) words.push("--dry-run");
  if (opts.applyValid) words.push("--apply-valid");
  if (opts.allowMassDeactivation) words.push("--allow-mass-deactivation");
  words.push("--encoding", encoding);
  if (opts.districtName !== undefined) words.push("--district", opts.districtName);
  return words.map(shellWord).join(" ");
}

/**
 * The report as the terminal shows it: outcome, counts per entity, then the first issues. With the
 * command's options, a file refused as not UTF-8 ends the report with the command to read it in its likely encoding.
 */
export function formatImportReport(r: TRosterImportReport, maxIssues = 50, opts?: CliImportOptions): string {
  const seconds = r.finishedAt ? ((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000).toFixed(1) : "?";
  const outcome: Record<TRosterImportReport["status"], string> = {
    applied: "Imported",
    dry_run: "Dry run: nothing was written. This is what the import would do",
    rejected: "Nothing was imported: the files have errors",
    failed: "The import failed; nothing was changed",
    interrupted: "The import was interrupted; nothing was changed",
    running: "Still running",
  };
  const lines = [`${outcome[r.status]} (${r.kind === "oneroster" ? `OneRoster ${r.version ?? "?"}` : "staff CSV"}, ${seconds} s)`];
  if (r.failure) lines.push(r.failure);
  const head = `  ${"".padEnd(12)}${["created", "updated", "unchanged", "deactivated", "skipped", "rejected"].map((h) => h.padStart(12)).join("")}`;
  const rows = ROSTER_ENTITIES.flatMap((e) => {
    const c = r.entities[e];
    if (!c || Object.values(c).every((n) => n === 0)) return [];
    return [`  ${(ENTITY_LABELS[e] ?? e).padEnd(12)}${[c.created, c.updated, c.unchanged, c.deactivated, c.skipped, c.rejected].map((n) => String(n).padStart(12)).join("")}`];
  });
  if (rows.length > 0) lines.push("", head, ...rows);
  const skipped = Object.entries(r.skippedRoles);
  if (skipped.length > 0) lines.push("", `Not imported, by role: ${skipped.map(([role, n]) => `${role} ${n}`).join(", ")}`);
  if (r.issues.length > 0) {
    lines.push("", `${r.errorCount} errors, ${r.warningCount} warnings:`);
    for (const i of r.issues.slice(0, maxIssues)) {
      const where = [i.file, i.line === null ? null : `line ${i.line}`, i.column].filter(Boolean).join(", ");
      lines.push(`  ${i.severity === "error" ? "error  " : "warning"} ${where}: ${i.message}`);
    }
    const more = r.issues.length - maxIssues + r.issuesOmitted;
    if (more > 0) lines.push(`  …and ${more} more (the admin page's report lists them all; download it as CSV there)`);
  }
  if (r.status === "rejected") {
    lines.push(
      "",
      r.massDeactivation?.isAllowed === false
        ? "Check the files: if the SIS really dropped them, import again with --allow-mass-deactivation."
        : "Fix the files and import again. When only some rows are wrong, --apply-valid imports the others.",
    );
    if (r.suggestedEncoding && opts) {
      lines.push(
        "",
        `The file is most likely ${ROSTER_ENCODING_LABELS[r.suggestedEncoding]}. To import it in that encoding (check the names afterwards):`,
        `  ${importAgainCommand(opts, r.suggestedEncoding)}`,
      );
    }
  }
  return lines.join("\n");
}
