import type { Kysely } from "kysely";
import type { RosterEntity, TRosterCounts, TRosterImportReport, TRosterProgress } from "../../../../shared/schemas/rostering.js";
import type { DB } from "../../../db/schema.js";
import { emptyEntityCounts, IssueLog } from "../issues.js";
import { DISPLAY_NAMES, FILE_COLUMNS, type FileMode, type OneRosterVersion, type RosterFileName, splitList } from "./spec.js";
import type { RosterSource } from "../roster-source.js";
import type { GrantRow, PersonRef } from "../rostering.loads.js";
import type { StoredEnrollments } from "./enrollments.js";
import type { SpoolOp } from "../spool-ops.js";
import type { SpoolWriter } from "../spool.js";

// The state one OneRoster plan shares across its files' planners (see plan.ts): each file records
// what became of its rows by sourcedId, and the files after it resolve their references there.

export type PlanOptions = {
  maxFileBytes: number;
  maxIssues: number;
  spool: SpoolWriter;
  /** Go ahead even when the import would deactivate more than MASS_DEACTIVATION_SHARE of the district's active people or enrolments. */
  allowMassDeactivation?: boolean;
  onProgress?: (p: TRosterProgress) => void;
};

export type PlanResult = {
  version: OneRosterVersion | null;
  modes: Record<string, FileMode>;
  entities: Record<RosterEntity, TRosterCounts>;
  skippedRoles: Record<string, number>;
  issues: IssueLog;
  /** Set when the import deactivates more than a tenth of what is active (see mass-deactivation.ts). */
  massDeactivation?: TRosterImportReport["massDeactivation"];
};

export type RowState = "ok" | "rejected" | "deleted" | "skipped";
/** Where an org places a row: a school, the district, neither, or "gone" (under an org that was rejected or deleted). */
export type Scope = { kind: "school"; schoolId: string } | { kind: "district" } | { kind: "none" } | { kind: "gone" };
export type OrgInfo = { type: string; parent: string | null; schoolId: string | null; state: RowState; line: number | null };

/** A row's cells by column name. */
export type Cells = (column: string) => string;

export const orNull = (v: string): string | null => (v === "" ? null : v);
export const joinList = (v: string): string | null => orNull(splitList(v).join(","));

/** What one OneRoster plan knows as it goes: the rows each file placed (by sourcedId), the counts, the issues, and the progress. */
export class PlanState {
  readonly issues: IssueLog;
  readonly entities = emptyEntityCounts();
  readonly skippedRoles: Record<string, number> = {};
  version: OneRosterVersion | null = null;
  massDeactivation: TRosterImportReport["massDeactivation"] = null;
  readonly modes: Record<string, FileMode> = {};

  readonly orgs = new Map<string, OrgInfo>();
  readonly sessions = new Map<string, { id: string; state: RowState }>();
  readonly courses = new Map<string, { id: string; state: RowState }>();
  readonly classes = new Map<string, { id: string; schoolId: string; state: RowState }>();
  /** Users by sourcedId: their person id (null when not imported) and what became of their row. */
  readonly users = new Map<string, { id: string | null; state: RowState; isStudent?: boolean }>();
  readonly peopleBySource = new Map<string, PersonRef>();
  readonly peopleByEmail = new Map<string, PersonRef>();
  /** 1.2: each user's roles from roles.csv. */
  readonly rolesByUser = new Map<string, { role: string; scope: Scope }[]>();
  readonly roleFirstLine = new Map<string, number>();
  /** The role grants each imported person should hold: "role|schoolId", each once (a person holds one or two). */
  readonly desiredGrants = new Map<string, string[]>();
  readonly adminIds = new Set<string>();
  /** People one of whose orgs was rejected or deleted: the roster grants they hold are not taken away. */
  readonly partialGrants = new Set<string>();
  /** The district's role grants, loaded with the people. */
  grants: GrantRow[] = [];
  /** The district's enrolments, when they are loaded while the files before enrollments.csv are read (plan.ts). */
  storedEnrollments: Promise<StoredEnrollments> | null = null;

  /** The district's active people and enrolments before the import: what a mass deactivation is measured against. */
  activePeople = 0;
  activeEnrollments = 0;
  /** Files whose M/D/YYYY dates were already warned about (one warning a file). */
  readonly spreadsheetDates = new Set<string>();

  /** Files not planned because a file they refer to could not be read. */
  readonly unread = new Set<string>();
  bytesTotal = 1;
  bytesRead = 0;
  rowsRead = 0;
  currentFile: string | null = null;
  lastProgressAt = 0;

  constructor(
    readonly db: Kysely<DB>,
    readonly districtId: string,
    readonly source: RosterSource,
    readonly opts: PlanOptions,
  ) {
    this.issues = new IssueLog(opts.maxIssues);
  }

  emit(op: SpoolOp): void {
    this.opts.spool.push(op);
  }

  progress(force = false): void {
    const now = Date.now();
    if (!force && now - this.lastProgressAt < 250) return;
    this.lastProgressAt = now;
    this.opts.onProgress?.({
      phase: "reading",
      file: this.currentFile,
      fraction: Math.min(1, this.bytesRead / this.bytesTotal),
      rowsRead: this.rowsRead,
    });
  }

  result(): PlanResult {
    return {
      version: this.version,
      modes: this.modes,
      entities: this.entities,
      skippedRoles: this.skippedRoles,
      issues: this.issues,
      massDeactivation: this.massDeactivation,
    };
  }

  mode(file: RosterFileName): FileMode {
    return this.modes[DISPLAY_NAMES[file]] ?? "absent";
  }

  countRejected(display: string): void {
    const entity = ENTITY_BY_FILE[display];
    if (entity) this.entities[entity].rejected++;
  }

  columns(file: RosterFileName) {
    const version = this.version ?? "1.1";
    return FILE_COLUMNS[version][file] ?? { required: [], optional: [] };
  }

  /** Where an org sits: a school, the district, or neither; null for an org nobody knows. */
  resolveOrg(sourcedId: string): Scope | null {
    let at: string | null = sourcedId;
    for (let depth = 0; at !== null && depth < 32; depth++) {
      const org = this.orgs.get(at);
      if (!org) return depth === 0 ? null : { kind: "none" };
      // A rejected or deleted org places nothing (a school of its own or under it): the rows that
      // name it are skipped or rejected by their own checks, never given its scope.
      if (org.state !== "ok") return { kind: "gone" };
      if (org.type === "school" && org.schoolId) return { kind: "school", schoolId: org.schoolId };
      if (org.type === "district") return { kind: "district" };
      at = org.parent;
    }
    return { kind: "none" };
  }
}

const ENTITY_BY_FILE: Record<string, RosterEntity> = {
  "orgs.csv": "orgs",
  "academicSessions.csv": "academicSessions",
  "courses.csv": "courses",
  "classes.csv": "classes",
  "roles.csv": "roles",
  "users.csv": "people",
  "enrollments.csv": "enrollments",
};
