import { z } from "zod";
import { ROSTER_ENCODINGS } from "../roster-encodings.js";
import { singleLine, ZId, ZListQuery, ZTimestamp } from "./common.js";

// Rostering: OneRoster CSV and staff CSV imports and their reports.

export const ROSTER_IMPORT_KINDS = ["oneroster", "staff"] as const;
export const ROSTER_IMPORT_STATUSES = ["running", "applied", "dry_run", "rejected", "failed", "interrupted"] as const;
export const ROSTER_ENTITIES = ["orgs", "academicSessions", "courses", "classes", "people", "roles", "enrollments"] as const;
export type RosterEntity = (typeof ROSTER_ENTITIES)[number];

/** A query-string flag: "true" or "false" (absent is false). */
const ZFlag = z
  .enum(["true", "false"])
  .optional()
  .transform((v) => v === "true");

export const ZCreateRosterImportQuery = z.object({
  kind: z
    .enum(ROSTER_IMPORT_KINDS)
    .optional()
    .describe("oneroster (a .zip) or staff (a .csv); by default taken from the Content-Type"),
  dryRun: ZFlag.describe("Check and report what would change; write nothing"),
  applyValid: ZFlag.describe("When some rows have errors, apply the valid rows anyway (rejected rows are reported)"),
  allowMassDeactivation: ZFlag.describe(
    "Apply even when the import would deactivate more than 10% of the district's active people or enrolments (without it such an import stops, and its report says so first)",
  ),
  wait: ZFlag.describe("Answer when the import has finished (200) instead of at once (202)"),
  fileName: singleLine({ min: 0, max: 200 }).optional().describe("The uploaded file's name, for the import history"),
  encoding: z
    .preprocess((v) => (typeof v === "string" ? v.toLowerCase() : v), z.enum(ROSTER_ENCODINGS))
    .optional()
    .describe(
      "The CSV files' text encoding. By default they are read as UTF-8, strictly: a file that is not UTF-8 is refused (report line and most likely encoding), never imported with garbled names; name its encoding here to read it",
    ),
});
export type TCreateRosterImportQuery = z.infer<typeof ZCreateRosterImportQuery>;

export const ZRosterIssue = z.object({
  severity: z.enum(["error", "warning"]),
  file: z.string().describe("e.g. users.csv"),
  line: z.number().int().nullable().describe("1-based line of the file where the record starts; the header is line 1"),
  column: z.string().nullable(),
  message: z.string(),
});
export type TRosterIssue = z.infer<typeof ZRosterIssue>;

export const ZRosterCounts = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  deactivated: z.number().int(),
  skipped: z.number().int(),
  rejected: z.number().int(),
});
export type TRosterCounts = z.infer<typeof ZRosterCounts>;

export const ZRosterProgress = z.object({
  phase: z.enum(["receiving", "reading", "applying", "finishing"]),
  file: z.string().nullable(),
  fraction: z.number().min(0).max(1).describe("Share of the work done, 0 to 1"),
  rowsRead: z.number().int(),
});
export type TRosterProgress = z.infer<typeof ZRosterProgress>;

export const ZRosterImport = z
  .object({
    id: ZId,
    kind: z.enum(ROSTER_IMPORT_KINDS),
    origin: z.enum(["web", "cli"]),
    fileName: z.string(),
    status: z.enum(ROSTER_IMPORT_STATUSES),
    isDryRun: z.boolean(),
    applyValid: z.boolean(),
    actorId: ZId.nullable(),
    actorName: z.string().nullable(),
    counts: ZRosterCounts.describe("All entities together"),
    errorCount: z.number().int(),
    warningCount: z.number().int(),
    startedAt: ZTimestamp,
    finishedAt: ZTimestamp.nullable(),
    progress: ZRosterProgress.nullable().describe("While running, in the process doing the work"),
  })
  .meta({ id: "RosterImport" });
export type TRosterImport = z.infer<typeof ZRosterImport>;

export const ZRosterImportReport = ZRosterImport.extend({
  version: z.string().nullable().describe("OneRoster version from manifest.csv"),
  modes: z.record(z.string(), z.enum(["bulk", "delta", "absent"])).describe("Per file, from manifest.csv"),
  entities: z.record(z.string(), ZRosterCounts),
  skippedRoles: z.record(z.string(), z.number().int()).describe("Users not imported, by OneRoster role (parents, guardians…)"),
  failure: z.string().nullable().describe("Why the import stopped, when it did"),
  isBlocked: z.boolean().describe("A problem with a whole file (unreadable, wrong delimiter, missing columns…) stopped the import: applying only the valid rows cannot help"),
  issues: z.array(ZRosterIssue),
  issuesOmitted: z.number().int().describe("Issues beyond the stored limit"),
  massDeactivation: z
    .object({
      people: z.number().int().describe("Active people the import deactivates"),
      activePeople: z.number().int(),
      enrollments: z.number().int().describe("Active enrolments the import deactivates"),
      activeEnrollments: z.number().int(),
      isAllowed: z.boolean().describe("true: applied with allowMassDeactivation; false: stopped for want of it"),
    })
    .nullable()
    .describe("Set when the import deactivates more than 10% of the district's active people or enrolments"),
  suggestedEncoding: z
    .enum(ROSTER_ENCODINGS)
    .nullable()
    .describe("When a file was refused as not UTF-8: the encoding it most likely is (import it again with encoding= this); otherwise null"),
}).meta({ id: "RosterImportReport" });
export type TRosterImportReport = z.infer<typeof ZRosterImportReport>;

export const ZListRosterImportsQuery = ZListQuery;
export type TListRosterImportsQuery = z.infer<typeof ZListRosterImportsQuery>;
