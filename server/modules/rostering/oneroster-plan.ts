import type { Kysely } from "kysely";
import { NameLimits } from "../../../shared/limits.js";
import type { Role } from "../../../shared/roles.js";
import { ZEmail } from "../../../shared/schemas/people.js";
import type { RosterEntity, TRosterCounts, TRosterProgress } from "../../../shared/schemas/rostering.js";
import type { DB } from "../../db/schema.js";
import { nowIso } from "../../lib.js";
import { bulkId } from "./bulk-ids.js";
import { CsvReadError, guessWrongDelimiter, openCsv, type CsvRecord } from "./csv-reader.js";
import { emptyEntityCounts, hash53, IssueLog } from "./issues.js";
import {
  CLASS_TYPES,
  DISPLAY_NAMES,
  FILE_COLUMNS,
  FILE_KEYS,
  IGNORED_FILES,
  isDate,
  isDateTime,
  isOneOf,
  KNOWN_USER_ROLES,
  mapEnrollmentRole,
  mapUserRole,
  ORG_TYPES,
  parseBool,
  requiredFiles,
  ROSTER_FILES,
  SESSION_TYPES,
  splitList,
  USERS_12_ONLY,
  type FileMode,
  type OneRosterVersion,
  type RosterFileName,
} from "./oneroster-spec.js";
import { RosterSourceError, type RosterSource } from "./roster-source.js";
import {
  enrollmentPrintText,
  iterateEnrollments,
  loadClasses,
  loadClassTerms,
  loadCourses,
  loadGrants,
  loadPeople,
  loadRosterOrgs,
  loadSchools,
  loadSessions,
  type ClassRow,
  type CourseRow,
  type GrantRow,
  type PersonRef,
  type SchoolRef,
  type SessionRow,
} from "./rostering.loads.js";
import type { DeactivatedTable, SpoolOp } from "./spool-ops.js";
import type { SpoolWriter } from "./spool.js";

// Plans a OneRoster import: reads every file once, in dependency order (orgs, sessions, courses,
// classes, roles, users, enrolments), checks each row and each reference, compares it with what
// the district already has (by sourcedId) and writes the changes to the spool. Nothing touches the
// database but reads; applying the spool is the service's job, in one transaction.

export type PlanOptions = {
  maxFileBytes: number;
  maxIssues: number;
  spool: SpoolWriter;
  onProgress?: (p: TRosterProgress) => void;
};

export type PlanResult = {
  version: OneRosterVersion | null;
  modes: Record<string, FileMode>;
  entities: Record<RosterEntity, TRosterCounts>;
  skippedRoles: Record<string, number>;
  issues: IssueLog;
};

type RowState = "ok" | "rejected" | "deleted" | "skipped";
/** Where an org places a row: a school, the district, neither, or "gone" (under an org that was rejected or deleted). */
type Scope = { kind: "school"; schoolId: string } | { kind: "district" } | { kind: "none" } | { kind: "gone" };
type OrgInfo = { type: string; parent: string | null; schoolId: string | null; state: RowState; line: number | null };

/** A row's cells by column name. */
type Cells = (column: string) => string;

const MANIFEST = "manifest.csv";
const SCHOOL_LEVEL_WORDS: [RegExp, "elementary" | "middle" | "high"][] = [
  [/\b(elementary|primary|element)\b|\bES$/i, "elementary"],
  [/\b(middle|intermediate|junior high)\b|\bMS$/i, "middle"],
  [/\bhigh\b|\bHS$/i, "high"],
];

function inferLevel(name: string): "elementary" | "middle" | "high" | "other" {
  for (const [re, level] of SCHOOL_LEVEL_WORDS) if (re.test(name)) return level;
  return "other";
}

const orNull = (v: string): string | null => (v === "" ? null : v);
const joinList = (v: string): string | null => orNull(splitList(v).join(","));

export class OneRosterPlanner {
  readonly issues: IssueLog;
  readonly entities = emptyEntityCounts();
  readonly skippedRoles: Record<string, number> = {};
  version: OneRosterVersion | null = null;
  readonly modes: Record<string, FileMode> = {};

  private readonly orgs = new Map<string, OrgInfo>();
  private readonly sessions = new Map<string, { id: string; state: RowState }>();
  private readonly courses = new Map<string, { id: string; state: RowState }>();
  private readonly classes = new Map<string, { id: string; schoolId: string; state: RowState }>();
  /** Users by sourcedId: their person id (null when not imported) and what became of their row. */
  private readonly users = new Map<string, { id: string | null; state: RowState }>();
  private readonly peopleBySource = new Map<string, PersonRef>();
  private readonly peopleByEmail = new Map<string, PersonRef>();
  /** 1.2: each user's roles from roles.csv. */
  private readonly rolesByUser = new Map<string, { role: string; scope: Scope }[]>();
  private readonly roleFirstLine = new Map<string, number>();
  /** The role grants each imported person should hold: "role|schoolId". */
  private readonly desiredGrants = new Map<string, Set<string>>();
  private readonly adminIds = new Set<string>();
  /** People one of whose orgs was rejected or deleted: the roster grants they hold are not taken away. */
  private readonly partialGrants = new Set<string>();
  /** The district's role grants, loaded with the people. */
  private grants: GrantRow[] = [];

  /** Files not planned because a file they refer to could not be read. */
  private readonly unread = new Set<string>();
  private bytesTotal = 1;
  private bytesRead = 0;
  private rowsRead = 0;
  private currentFile: string | null = null;
  private lastProgressAt = 0;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly districtId: string,
    private readonly source: RosterSource,
    private readonly opts: PlanOptions,
  ) {
    this.issues = new IssueLog(opts.maxIssues);
  }

  private emit(op: SpoolOp): void {
    this.opts.spool.push(op);
  }

  private progress(force = false): void {
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

  /** Runs the whole plan; the result says what would change and what is wrong. */
  async plan(): Promise<PlanResult> {
    for (const f of this.source.files.values()) this.bytesTotal += f.size;
    if (!(await this.readManifest())) return this.result();
    const version = this.version;
    if (version === null) return this.result();
    this.checkFiles(version);
    if (this.issues.blocking > 0) return this.result();

    await this.planOrgs();
    await this.planSessions();
    await this.unlessBlocked("courses.csv", ["orgs.csv", "academicSessions.csv"], () => this.planCourses());
    await this.unlessBlocked("classes.csv", ["orgs.csv", "academicSessions.csv", "courses.csv"], () => this.planClasses());
    if (version === "1.2") await this.unlessBlocked("roles.csv", ["orgs.csv"], () => this.readRoles());
    await this.unlessBlocked("users.csv", ["orgs.csv", "roles.csv"], async () => {
      await this.planUsers(version);
      await this.planGrants();
    });
    // What only users and grants needed goes before the largest file: the less that stays live,
    // the sooner V8 collects the garbage that reading a million rows makes, and the lower the peak.
    this.peopleBySource.clear();
    this.peopleByEmail.clear();
    this.desiredGrants.clear();
    this.partialGrants.clear();
    this.grants = [];
    this.rolesByUser.clear();
    this.roleFirstLine.clear();
    await this.unlessBlocked("enrollments.csv", ["orgs.csv", "classes.csv", "users.csv"], () => this.planEnrollments());
    this.progress(true);
    return this.result();
  }

  /**
   * Plans a file only when the files it refers to could be read. Otherwise every one of its rows
   * would be reported as naming something unknown (a million "user … is not in users.csv" for one
   * wrong delimiter), so it gets one notice instead, and counts as unread for the files after it.
   */
  private async unlessBlocked(display: string, needs: readonly string[], plan: () => Promise<void>): Promise<void> {
    const blocked = needs.find((n) => this.issues.blockedFiles.has(n.toLowerCase()) || this.unread.has(n.toLowerCase()));
    if (blocked === undefined) return plan();
    this.unread.add(display.toLowerCase());
    if (this.source.files.has(display.toLowerCase())) {
      this.issues.warning(display, null, null, `not checked, because ${blocked} could not be read; fix that file first`);
    }
  }

  private result(): PlanResult {
    return { version: this.version, modes: this.modes, entities: this.entities, skippedRoles: this.skippedRoles, issues: this.issues };
  }

  private mode(file: RosterFileName): FileMode {
    return this.modes[DISPLAY_NAMES[file]] ?? "absent";
  }

  // ---- manifest.csv and the set of files ----

  private async readManifest(): Promise<boolean> {
    const file = this.source.files.get(MANIFEST);
    if (!file) {
      this.issues.blocker(MANIFEST, null, null, "manifest.csv is missing: a OneRoster export starts with it (is this the right .zip?)");
      return false;
    }
    const props = new Map<string, { value: string; line: number }>();
    const ok = await this.readCsvFile(MANIFEST, ["propertyName", "value"], [], async (v, line) => {
      const name = v("propertyName");
      if (name === "") return;
      if (props.has(name)) this.issues.error(MANIFEST, line, "propertyName", `${name} is given twice`);
      props.set(name, { value: v("value"), line });
    });
    if (!ok) return false;
    const version = props.get("oneroster.version");
    if (!version) {
      this.issues.blocker(MANIFEST, null, "propertyName", "oneroster.version is missing; it must be 1.1 or 1.2");
      return false;
    }
    if (version.value !== "1.1" && version.value !== "1.2") {
      this.issues.blocker(MANIFEST, version.line, "value", `oneroster.version is "${version.value}"; Coachwork reads 1.1 and 1.2`);
      return false;
    }
    this.version = version.value;
    for (const name of ROSTER_FILES) {
      if (version.value === "1.1" && name === "roles.csv") continue;
      const key = `file.${FILE_KEYS[name]}`;
      const prop = props.get(key);
      const display = DISPLAY_NAMES[name];
      if (!prop) {
        this.modes[display] = this.source.files.has(name) ? "bulk" : "absent";
        if (this.source.files.has(name)) this.issues.warning(MANIFEST, null, null, `${key} is not listed; ${display} is read as bulk`);
        continue;
      }
      const mode = prop.value.toLowerCase();
      if (mode !== "bulk" && mode !== "delta" && mode !== "absent") {
        this.issues.blocker(MANIFEST, prop.line, "value", `${key} is "${prop.value}"; it must be bulk, delta or absent`);
        continue;
      }
      this.modes[display] = mode;
    }
    return true;
  }

  private checkFiles(version: OneRosterVersion): void {
    for (const name of requiredFiles(version)) {
      const display = DISPLAY_NAMES[name];
      const mode = this.modes[display];
      if (mode !== "absent" && !this.source.files.has(name)) {
        this.issues.blocker(display, null, null, `${display} is missing, but manifest.csv declares file.${FILE_KEYS[name]}=${mode ?? "bulk"}`);
      }
      if (mode === undefined && !this.source.files.has(name)) {
        this.issues.blocker(display, null, null, `${display} is missing; a OneRoster ${version} import needs it`);
      }
    }
    if (version === "1.1" && this.source.files.has("roles.csv")) {
      this.issues.blocker(
        "roles.csv",
        null,
        null,
        "roles.csv is a OneRoster 1.2 file, but manifest.csv declares oneroster.version 1.1; export the set as 1.2 or fix the manifest",
      );
    }
    const known = new Set<string>([MANIFEST, ...ROSTER_FILES]);
    const ignored = [...this.source.files.keys()].filter((n) => !known.has(n)).concat(this.source.others);
    for (const name of ignored) {
      const why = IGNORED_FILES.has(name) ? "Coachwork does not use it" : "it is not a OneRoster file Coachwork reads";
      this.issues.warning(name, null, null, `ignored: ${why}`);
    }
  }

  // ---- Reading one file ----

  /**
   * Streams one file through `onRow`, after checking its header: required columns, the delimiter,
   * the OneRoster version. Returns false when the file could not be read (a blocking issue says why).
   */
  private async readCsvFile(
    display: string,
    required: readonly string[],
    optional: readonly string[],
    onRow: (v: Cells, line: number, record: CsvRecord) => void | Promise<void>,
  ): Promise<boolean> {
    const file = this.source.files.get(display.toLowerCase());
    if (!file) return false;
    this.currentFile = display;
    this.progress(true);
    let input;
    try {
      input = await file.open();
    } catch (err) {
      this.issues.blocker(display, null, null, err instanceof Error ? err.message : String(err));
      return false;
    }
    try {
      const { header, batches } = await openCsv(input, {
        maxBytes: this.opts.maxFileBytes,
        onBytes: (n) => {
          this.bytesRead += n;
        },
      });
      if (header.length === 0) {
        this.issues.blocker(display, 1, null, "the file is empty; it needs at least its header line");
        return false;
      }
      const delimiter = guessWrongDelimiter(header);
      if (delimiter) {
        this.issues.blocker(display, 1, null, `the file is separated by ${delimiter}; OneRoster files are separated by commas`);
        return false;
      }
      const index = new Map<string, number>();
      header.forEach((h, i) => {
        const key = h.toLowerCase();
        if (index.has(key)) this.issues.blocker(display, 1, h, `column ${h} appears twice in the header`);
        index.set(key, i);
      });
      if (!this.checkHeader(display, header, index, required, optional)) return false;
      const positions = new Map<string, number>();
      for (const col of [...required, ...optional]) positions.set(col, index.get(col.toLowerCase()) ?? -1);
      const width = header.length;
      let cells: string[] = [];
      const v: Cells = (column) => {
        const at = positions.get(column) ?? -1;
        return at < 0 ? "" : (cells[at] ?? "").trim();
      };
      for await (const batch of batches) {
        for (const record of batch) {
          this.rowsRead++;
          cells = record.cells;
          if (cells.length !== width && !(cells.length > width && cells.slice(width).every((c) => c.trim() === ""))) {
            this.issues.error(
              display,
              record.line,
              null,
              `the row has ${cells.length} fields but the header has ${width} (an unquoted comma, or a field left out?)`,
            );
            this.countRejected(display);
            continue;
          }
          await onRow(v, record.line, record);
        }
        await this.opts.spool.flushIfFull();
        this.progress();
      }
      return true;
    } catch (err) {
      if (err instanceof CsvReadError) {
        this.issues.blocker(display, err.line, null, err.message);
        return false;
      }
      if (err instanceof RosterSourceError) {
        this.issues.blocker(display, null, null, err.message);
        return false;
      }
      throw err;
    }
  }

  private checkHeader(
    display: string,
    header: readonly string[],
    index: Map<string, number>,
    required: readonly string[],
    optional: readonly string[],
  ): boolean {
    const missing = required.filter((c) => !index.has(c.toLowerCase()));
    if (display === "users.csv" && this.version === "1.1") {
      const newer = USERS_12_ONLY.filter((c) => index.has(c.toLowerCase()));
      if (newer.length > 0 && missing.length > 0) {
        this.issues.blocker(
          display,
          1,
          newer[0] ?? null,
          `the file has OneRoster 1.2 columns (${newer.join(", ")}) and lacks ${missing.join(", ")}, but manifest.csv declares oneroster.version 1.1: export the set as 1.1, or set oneroster.version to 1.2 and include roles.csv`,
        );
        return false;
      }
    }
    if (display === "users.csv" && this.version === "1.2" && index.has("role") && index.has("orgsourcedids") && !this.source.files.has("roles.csv")) {
      this.issues.blocker(
        display,
        1,
        "role",
        "the file has OneRoster 1.1 columns (role, orgSourcedIds) but manifest.csv declares oneroster.version 1.2: set oneroster.version to 1.1",
      );
      return false;
    }
    for (const column of missing) this.issues.blocker(display, 1, column, `the header has no ${column} column, which OneRoster requires`);
    if (missing.length > 0) return false;
    const known = new Set([...required, ...optional].map((c) => c.toLowerCase()));
    for (const h of header) {
      if (!known.has(h.toLowerCase()) && !h.toLowerCase().startsWith("metadata.") && h !== "") {
        this.issues.warning(display, 1, h, `column ${h} is not one Coachwork reads; ignored`);
      }
    }
    return true;
  }

  /**
   * The rows on a parentSourcedId cycle (an org or session that would be its own ancestor), each
   * cycle reported once, on the line where it is first found.
   */
  private findCycles(
    display: string,
    rows: readonly { sid: string; parent: string | null; line: number }[],
    parentOf: (sid: string) => string | null,
    noun: [string, string],
  ): Set<string> {
    const cyclic = new Set<string>();
    for (const r of rows) {
      const path = [r.sid];
      let at = r.parent;
      while (at !== null && path.length <= rows.length + 1) {
        if (at === r.sid) {
          if (!path.some((p) => cyclic.has(p))) {
            path.forEach((p) => cyclic.add(p));
            const which = path.length === 1 ? `this ${noun[0]} is` : `these ${path.length} ${noun[1]} are`;
            this.issues.error(
              display,
              r.line,
              "parentSourcedId",
              `parentSourcedId makes a cycle: ${[...path, r.sid].join(" → ")}; ${noun[0] === "org" ? "an" : "a"} ${noun[0]} cannot be its own ancestor, so ${which} not imported`,
            );
          }
          break;
        }
        path.push(at);
        at = parentOf(at);
      }
    }
    return cyclic;
  }

  /** What a bulk file left out of what the district holds is deactivated (never deleted). */
  private deactivateUnseen(
    held: readonly { id: string; source_id: string | null; status: string }[],
    seen: ReadonlyMap<string, number>,
    table: DeactivatedTable,
    counts: { deactivated: number },
  ): void {
    for (const row of held) {
      if (row.source_id !== null && !seen.has(row.source_id) && row.status === "active") {
        this.emit({ op: "deactivate", table, id: row.id });
        counts.deactivated++;
      }
    }
  }

  /** One notice for the rows skipped because a row they depend on was rejected or deleted. */
  private warnSkippedForParents(display: string, n: number, noun: [string, string], because: string): void {
    if (n > 0) this.issues.warning(display, null, null, `${n === 1 ? `1 ${noun[0]}` : `${n.toLocaleString("en-US")} ${noun[1]}`} skipped because ${because}`);
  }

  /** The row's sourcedId the first time the file gives it; else null, reported and counted as rejected. */
  private firstSourcedId(display: string, v: Cells, line: number, seen: Map<string, number>, counts: { rejected: number }): string | null {
    const sid = v("sourcedId");
    if (sid === "") {
      this.issues.error(display, line, "sourcedId", "sourcedId is empty; it is required");
    } else {
      const first = seen.get(sid);
      if (first === undefined) {
        seen.set(sid, line);
        return sid;
      }
      this.issues.error(display, line, "sourcedId", `sourcedId ${sid} is also on line ${first}`);
    }
    counts.rejected++;
    return null;
  }

  private countRejected(display: string): void {
    const entity = ENTITY_BY_FILE[display];
    if (entity) this.entities[entity].rejected++;
  }

  private columns(file: RosterFileName) {
    const version = this.version ?? "1.1";
    return FILE_COLUMNS[version][file] ?? { required: [], optional: [] };
  }

  /** The row's status: active, deleted (tobedeleted), or null when the cell is wrong (reported). */
  private rowStatus(display: string, mode: FileMode, v: Cells, line: number): "active" | "deleted" | null {
    const raw = v("status");
    const modified = v("dateLastModified");
    if (modified !== "" && !isDateTime(modified)) {
      this.issues.error(display, line, "dateLastModified", `"${modified}" is not an ISO 8601 date-time such as 2026-08-01T12:00:00Z`);
      return null;
    }
    if (mode === "delta") {
      if (raw === "") {
        this.issues.error(display, line, "status", "status is required in a delta file (active or tobedeleted)");
        return null;
      }
      if (modified === "") {
        this.issues.error(display, line, "dateLastModified", "dateLastModified is required in a delta file");
        return null;
      }
    }
    const status = raw.toLowerCase();
    if (status === "" || status === "active") return "active";
    if (status === "tobedeleted" || status === "inactive") return "deleted";
    this.issues.error(display, line, "status", `status "${raw}" is not active or tobedeleted`);
    return null;
  }

  private requireCells(display: string, v: Cells, line: number, columns: readonly string[]): boolean {
    let ok = true;
    for (const c of columns) {
      if (v(c) === "") {
        this.issues.error(display, line, c, `${c} is empty; it is required`);
        ok = false;
      }
    }
    return ok;
  }

  private checkLength(display: string, v: Cells, line: number, column: string, max: number): boolean {
    if (v(column).length > max) {
      this.issues.error(display, line, column, `${column} is longer than ${max} characters`);
      return false;
    }
    return true;
  }

  /** Where an org sits: a school, the district, or neither; null for an org nobody knows. */
  private resolveOrg(sourcedId: string): Scope | null {
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

  // ---- orgs.csv ----

  private async planOrgs(): Promise<void> {
    const display = "orgs.csv";
    const mode = this.mode("orgs.csv");
    const counts = this.entities.orgs;
    const schools = await loadSchools(this.db, this.districtId);
    const others = await loadRosterOrgs(this.db, this.districtId);
    const schoolBySource = new Map<string, SchoolRef>();
    const schoolByName = new Map<string, SchoolRef>();
    const schoolByCode = new Map<string, SchoolRef>();
    for (const s of schools) {
      if (s.source_id !== null) schoolBySource.set(s.source_id, s);
      schoolByName.set(s.name.toLowerCase(), s);
      if (s.code !== null) schoolByCode.set(s.code.toLowerCase(), s);
    }
    const otherBySource = new Map(others.map((o) => [o.source_id, o]));
    // What the district already knows resolves references from a delta file (a bulk file must be complete).
    if (mode !== "bulk") {
      for (const s of schools) {
        if (s.source_id !== null) this.orgs.set(s.source_id, { type: "school", parent: null, schoolId: s.id, state: "ok", line: null });
      }
      for (const o of others) this.orgs.set(o.source_id, { type: o.type, parent: o.parent_source_id, schoolId: null, state: "ok", line: null });
    }
    if (mode === "absent") return;

    type OrgRow = { line: number; sid: string; name: string; type: string; identifier: string; parent: string | null; deleted: boolean };
    const rows: OrgRow[] = [];
    const seen = new Map<string, number>();
    const { required, optional } = this.columns("orgs.csv");
    const ok = await this.readCsvFile(display, required, optional, (v, line) => {
      const sid = this.firstSourcedId(display, v, line, seen, counts);
      if (sid === null) return;
      const status = this.rowStatus(display, mode, v, line);
      const reject = () => {
        counts.rejected++;
        this.orgs.set(sid, { type: v("type"), parent: null, schoolId: null, state: "rejected", line });
      };
      if (status === null) return reject();
      if (status === "active") {
        if (!this.requireCells(display, v, line, ["name", "type"])) return reject();
        if (!(ORG_TYPES as readonly string[]).includes(v("type"))) {
          this.issues.error(display, line, "type", `type "${v("type")}" is not one of ${ORG_TYPES.join(", ")}`);
          return reject();
        }
        if (!this.checkLength(display, v, line, "name", NameLimits.max)) return reject();
      }
      rows.push({
        line,
        sid,
        name: v("name"),
        type: v("type") || (otherBySource.get(sid)?.type ?? (schoolBySource.has(sid) ? "school" : "")),
        identifier: v("identifier"),
        parent: orNull(v("parentSourcedId")),
        deleted: status === "deleted",
      });
    });
    if (!ok) return;

    // Parents: known, and never a cycle (a cycle would make "which school is this?" unanswerable).
    const inFile = new Map(rows.map((r) => [r.sid, r]));
    const parentOf = (sid: string): string | null => inFile.get(sid)?.parent ?? this.orgs.get(sid)?.parent ?? null;
    for (const r of rows) {
      if (r.parent !== null && !inFile.has(r.parent) && !this.orgs.has(r.parent)) {
        this.issues.warning(display, r.line, "parentSourcedId", `parent org ${r.parent} is not in orgs.csv; the org is read as having no parent`);
        r.parent = null;
      }
    }
    // The orgs on a cycle are rejected; the rest of the file goes on (a cycle between two orgs must
    // not make every school "unknown" to the files that follow).
    const cyclic = this.findCycles(display, rows, parentOf, ["org", "orgs"]);
    const names = new Map<string, number>();
    const codes = new Map<string, number>();
    // Schools this file keeps, by id: one matched by name under a new sourcedId (a new SIS, say)
    // must not then be deactivated for its old sourcedId's absence.
    const kept = new Set<string>();
    for (const r of rows) {
      if (cyclic.has(r.sid)) {
        counts.rejected++;
        this.orgs.set(r.sid, { type: r.type, parent: null, schoolId: null, state: "rejected", line: r.line });
        continue;
      }
      if (r.type === "school") {
        const existing = schoolBySource.get(r.sid);
        if (r.deleted) {
          if (existing && existing.status === "active") {
            this.emit({ op: "deactivate", table: "schools", id: existing.id });
            counts.deactivated++;
          } else counts.skipped++;
          this.orgs.set(r.sid, { type: "school", parent: r.parent, schoolId: existing?.id ?? null, state: "deleted", line: r.line });
          continue;
        }
        const key = r.name.toLowerCase();
        const dupLine = names.get(key);
        if (dupLine !== undefined) {
          this.issues.error(display, r.line, "name", `another school in this file (line ${dupLine}) has the name "${r.name}"; school names must differ`);
          counts.rejected++;
          this.orgs.set(r.sid, { type: "school", parent: r.parent, schoolId: null, state: "rejected", line: r.line });
          continue;
        }
        names.set(key, r.line);
        let target = existing;
        const sameName = schoolByName.get(key);
        if (!target && sameName) {
          if (sameName.source_id === null || !seen.has(sameName.source_id)) target = sameName;
          else {
            this.issues.error(display, r.line, "name", `the school "${sameName.name}" already belongs to org ${sameName.source_id}`);
            counts.rejected++;
            this.orgs.set(r.sid, { type: "school", parent: r.parent, schoolId: null, state: "rejected", line: r.line });
            continue;
          }
        } else if (target && sameName && sameName.id !== target.id) {
          this.issues.error(display, r.line, "name", `another school is already called "${sameName.name}"`);
          counts.rejected++;
          this.orgs.set(r.sid, { type: "school", parent: r.parent, schoolId: target.id, state: "rejected", line: r.line });
          continue;
        }
        let code = orNull(r.identifier);
        const id = target?.id ?? bulkId();
        if (code !== null) {
          // School codes are unique in the district; a clash leaves the code empty rather than losing the school.
          const holder = schoolByCode.get(code.toLowerCase());
          const inFile = codes.get(code.toLowerCase());
          if ((holder && holder.id !== id) || inFile !== undefined) {
            this.issues.warning(
              display,
              r.line,
              "identifier",
              inFile !== undefined ? `identifier ${code} is also on line ${inFile}; the school gets no code` : `identifier ${code} is already the code of ${holder?.name ?? "another school"}; the school gets no code`,
            );
            code = null;
          } else codes.set(code.toLowerCase(), r.line);
        }
        if (!target) {
          this.emit({ op: "school", id, name: r.name, level: inferLevel(r.name), code, sourceId: r.sid });
          counts.created++;
        } else if (target.name !== r.name || target.code !== code || target.status !== "active" || target.source_id !== r.sid) {
          this.emit({ op: "school", id, name: r.name, level: target.level, code, sourceId: r.sid });
          counts.updated++;
        } else counts.unchanged++;
        kept.add(id);
        this.orgs.set(r.sid, { type: "school", parent: r.parent, schoolId: id, state: "ok", line: r.line });
      } else {
        const existing = otherBySource.get(r.sid);
        if (r.deleted) {
          if (existing && existing.status === "active") {
            this.emit({ op: "deactivate", table: "roster_orgs", id: existing.id });
            counts.deactivated++;
          } else counts.skipped++;
          this.orgs.set(r.sid, { type: r.type, parent: r.parent, schoolId: null, state: "deleted", line: r.line });
          continue;
        }
        const id = existing?.id ?? bulkId();
        if (!existing) {
          this.emit({ op: "org", id, sourceId: r.sid, type: r.type, name: r.name, parentSourceId: r.parent });
          counts.created++;
        } else if (existing.type !== r.type || existing.name !== r.name || existing.parent_source_id !== r.parent || existing.status !== "active") {
          this.emit({ op: "org", id, sourceId: r.sid, type: r.type, name: r.name, parentSourceId: r.parent });
          counts.updated++;
        } else counts.unchanged++;
        this.orgs.set(r.sid, { type: r.type, parent: r.parent, schoolId: null, state: "ok", line: r.line });
      }
    }
    if (mode === "bulk") {
      this.deactivateUnseen(schools.filter((s) => !kept.has(s.id)), seen, "schools", counts);
      this.deactivateUnseen(others, seen, "roster_orgs", counts);
    }
  }

  // ---- academicSessions.csv ----

  private async planSessions(): Promise<void> {
    const display = "academicSessions.csv";
    const mode = this.mode("academicsessions.csv");
    const counts = this.entities.academicSessions;
    const existing = await loadSessions(this.db, this.districtId);
    const bySource = new Map<string, SessionRow>(existing.map((s) => [s.source_id, s]));
    if (mode !== "bulk") for (const s of existing) this.sessions.set(s.source_id, { id: s.id, state: "ok" });
    if (mode === "absent") return;

    type SessionInput = {
      line: number;
      sid: string;
      title: string;
      type: string;
      start: string;
      end: string;
      year: string | null;
      parent: string | null;
      deleted: boolean;
    };
    const rows: SessionInput[] = [];
    const seen = new Map<string, number>();
    const { required, optional } = this.columns("academicsessions.csv");
    const ok = await this.readCsvFile(display, required, optional, (v, line) => {
      const sid = this.firstSourcedId(display, v, line, seen, counts);
      if (sid === null) return;
      const reject = () => {
        counts.rejected++;
        this.sessions.set(sid, { id: bySource.get(sid)?.id ?? "", state: "rejected" });
      };
      const status = this.rowStatus(display, mode, v, line);
      if (status === null) return reject();
      if (status === "active") {
        if (!this.requireCells(display, v, line, ["title", "type", "startDate", "endDate"])) return reject();
        if (!(SESSION_TYPES as readonly string[]).includes(v("type"))) {
          this.issues.error(display, line, "type", `type "${v("type")}" is not one of ${SESSION_TYPES.join(", ")}`);
          return reject();
        }
        for (const c of ["startDate", "endDate"]) {
          if (!isDate(v(c))) {
            this.issues.error(display, line, c, `"${v(c)}" is not a date written YYYY-MM-DD`);
            return reject();
          }
        }
        if (v("startDate") > v("endDate")) {
          this.issues.error(display, line, "endDate", `endDate ${v("endDate")} is before startDate ${v("startDate")}`);
          return reject();
        }
        if (v("schoolYear") !== "" && !/^\d{4}$/.test(v("schoolYear"))) {
          this.issues.error(display, line, "schoolYear", `schoolYear "${v("schoolYear")}" is not a year such as 2027`);
          return reject();
        }
        if (!this.checkLength(display, v, line, "title", 200)) return reject();
      }
      rows.push({
        line,
        sid,
        title: v("title"),
        type: v("type"),
        start: v("startDate"),
        end: v("endDate"),
        year: orNull(v("schoolYear")),
        parent: orNull(v("parentSourcedId")),
        deleted: status === "deleted",
      });
    });
    if (!ok) return;

    const inFile = new Map(rows.map((r) => [r.sid, r]));
    for (const r of rows) {
      if (r.parent !== null && !inFile.has(r.parent) && !bySource.has(r.parent)) {
        this.issues.warning(display, r.line, "parentSourcedId", `parent session ${r.parent} is not in academicSessions.csv; read as having no parent`);
        r.parent = null;
      }
    }
    // The sessions on a cycle are rejected; the rest of the file goes on.
    // A stored session's parent is kept as our id; the walk goes by sourcedId.
    const sourceOfId = new Map(existing.map((e) => [e.id, e.source_id]));
    const storedParent = (sid: string): string | null => {
      const parentId = bySource.get(sid)?.parent_id;
      return parentId ? (sourceOfId.get(parentId) ?? null) : null;
    };
    const cyclic = this.findCycles(display, rows, (sid) => (inFile.has(sid) ? (inFile.get(sid)?.parent ?? null) : storedParent(sid)), ["session", "sessions"]);

    // Ids first, so parents can be referred to whatever their order in the file.
    for (const r of rows) {
      const state = cyclic.has(r.sid) ? "rejected" : r.deleted ? "deleted" : "ok";
      this.sessions.set(r.sid, { id: bySource.get(r.sid)?.id ?? bulkId(), state });
    }
    for (const r of rows) {
      if (cyclic.has(r.sid)) {
        counts.rejected++;
        continue;
      }
      const prior = bySource.get(r.sid);
      const id = this.sessions.get(r.sid)?.id ?? bulkId();
      if (r.deleted) {
        if (prior && prior.status === "active") {
          this.emit({ op: "deactivate", table: "academic_sessions", id: prior.id });
          counts.deactivated++;
        } else counts.skipped++;
        continue;
      }
      const parent = r.parent === null ? undefined : this.sessions.get(r.parent);
      // A parent refused here, or deleted before it was ever stored, is no parent to point at.
      const isGone = parent !== undefined && (parent.state === "rejected" || (parent.state === "deleted" && !bySource.has(r.parent ?? "")));
      const parentId = parent === undefined || isGone ? null : parent.id;
      const same =
        prior &&
        prior.title === r.title &&
        prior.type === r.type &&
        prior.start_date === r.start &&
        prior.end_date === r.end &&
        prior.school_year === r.year &&
        prior.parent_id === parentId &&
        prior.status === "active";
      if (same) {
        counts.unchanged++;
        continue;
      }
      this.emit({
        op: "session",
        id,
        sourceId: r.sid,
        title: r.title,
        // Checked against SESSION_TYPES when the row was read; only deleted rows skip that check.
        type: r.type as (typeof SESSION_TYPES)[number],
        startDate: r.start,
        endDate: r.end,
        schoolYear: r.year,
        parentId,
      });
      if (prior) counts.updated++;
      else counts.created++;
    }
    if (mode === "bulk") this.deactivateUnseen(existing, seen, "academic_sessions", counts);
  }

  // ---- courses.csv ----

  private async planCourses(): Promise<void> {
    const display = "courses.csv";
    const mode = this.mode("courses.csv");
    const counts = this.entities.courses;
    const existing = await loadCourses(this.db, this.districtId);
    const bySource = new Map<string, CourseRow>(existing.map((c) => [c.source_id, c]));
    if (mode !== "bulk") for (const c of existing) this.courses.set(c.source_id, { id: c.id, state: "ok" });
    if (mode === "absent") return;
    const seen = new Map<string, number>();
    let skippedForOrgs = 0;
    const { required, optional } = this.columns("courses.csv");
    const ok = await this.readCsvFile(display, required, optional, (v, line) => {
      const sid = this.firstSourcedId(display, v, line, seen, counts);
      if (sid === null) return;
      const prior = bySource.get(sid);
      const reject = () => {
        counts.rejected++;
        this.courses.set(sid, { id: prior?.id ?? "", state: "rejected" });
      };
      const status = this.rowStatus(display, mode, v, line);
      if (status === null) return reject();
      if (status === "deleted") {
        if (prior && prior.status === "active") {
          this.emit({ op: "deactivate", table: "courses", id: prior.id });
          counts.deactivated++;
        } else counts.skipped++;
        this.courses.set(sid, { id: prior?.id ?? "", state: "deleted" });
        return;
      }
      if (!this.requireCells(display, v, line, ["title", "orgSourcedId"])) return reject();
      if (!this.checkLength(display, v, line, "title", 200)) return reject();
      const scope = this.resolveOrg(v("orgSourcedId"));
      if (scope === null) {
        this.issues.error(display, line, "orgSourcedId", `org ${v("orgSourcedId")} is not in orgs.csv`);
        return reject();
      }
      if (scope.kind === "gone") {
        // Its org was rejected or deleted: the course follows it, counted but not reported again.
        skippedForOrgs++;
        counts.skipped++;
        this.courses.set(sid, { id: prior?.id ?? "", state: "skipped" });
        return;
      }
      let yearId: string | null = null;
      const yearSid = v("schoolYearSourcedId");
      if (yearSid !== "") {
        const session = this.sessions.get(yearSid);
        if (!session) {
          this.issues.error(display, line, "schoolYearSourcedId", `academic session ${yearSid} is not in academicSessions.csv`);
          return reject();
        }
        yearId = session.state === "ok" ? session.id : null;
      }
      const row = {
        title: v("title"),
        code: orNull(v("courseCode")),
        grades: joinList(v("grades")),
        subjects: joinList(v("subjects")),
        yearId,
        schoolId: scope.kind === "school" ? scope.schoolId : null,
      };
      const id = prior?.id ?? bulkId();
      this.courses.set(sid, { id, state: "ok" });
      const same =
        prior &&
        prior.title === row.title &&
        prior.course_code === row.code &&
        prior.grades === row.grades &&
        prior.subjects === row.subjects &&
        prior.school_year_id === row.yearId &&
        prior.school_id === row.schoolId &&
        prior.status === "active";
      if (same) {
        counts.unchanged++;
        return;
      }
      this.emit({
        op: "course",
        id,
        sourceId: sid,
        title: row.title,
        courseCode: row.code,
        grades: row.grades,
        subjects: row.subjects,
        schoolYearId: row.yearId,
        schoolId: row.schoolId,
      });
      if (prior) counts.updated++;
      else counts.created++;
    });
    if (!ok) return;
    this.warnSkippedForParents(display, skippedForOrgs, ["course was", "courses were"], "their org was rejected or deleted");
    if (mode === "bulk") this.deactivateUnseen(existing, seen, "courses", counts);
  }

  // ---- classes.csv ----

  private async planClasses(): Promise<void> {
    const display = "classes.csv";
    const mode = this.mode("classes.csv");
    const counts = this.entities.classes;
    const existing = await loadClasses(this.db, this.districtId);
    const bySource = new Map<string, ClassRow>(existing.map((c) => [c.source_id, c]));
    const termsOf = new Map<string, string[]>();
    for (const t of await loadClassTerms(this.db, this.districtId)) {
      const list = termsOf.get(t.class_id) ?? [];
      list.push(t.session_id);
      termsOf.set(t.class_id, list);
    }
    if (mode !== "bulk") for (const c of existing) this.classes.set(c.source_id, { id: c.id, schoolId: c.school_id, state: "ok" });
    if (mode === "absent") return;
    const seen = new Map<string, number>();
    let skippedForParents = 0;
    const { required, optional } = this.columns("classes.csv");
    const ok = await this.readCsvFile(display, required, optional, (v, line) => {
      const sid = this.firstSourcedId(display, v, line, seen, counts);
      if (sid === null) return;
      const prior = bySource.get(sid);
      const reject = () => {
        counts.rejected++;
        this.classes.set(sid, { id: prior?.id ?? "", schoolId: prior?.school_id ?? "", state: "rejected" });
      };
      const status = this.rowStatus(display, mode, v, line);
      if (status === null) return reject();
      if (status === "deleted") {
        if (prior && prior.status === "active") {
          this.emit({ op: "deactivate", table: "classes", id: prior.id });
          counts.deactivated++;
        } else counts.skipped++;
        this.classes.set(sid, { id: prior?.id ?? "", schoolId: prior?.school_id ?? "", state: "deleted" });
        return;
      }
      if (!this.requireCells(display, v, line, ["title", "courseSourcedId", "classType", "schoolSourcedId", "termSourcedIds"])) return reject();
      if (!this.checkLength(display, v, line, "title", 200)) return reject();
      const classType = v("classType");
      if (!isOneOf(CLASS_TYPES, classType)) {
        this.issues.error(display, line, "classType", `classType "${classType}" is not homeroom or scheduled`);
        return reject();
      }
      const course = this.courses.get(v("courseSourcedId"));
      if (!course) {
        this.issues.error(display, line, "courseSourcedId", `course ${v("courseSourcedId")} is not in courses.csv`);
        return reject();
      }
      if (course.state !== "ok") {
        // Its course was rejected or deleted: the class follows it, counted but not reported again.
        skippedForParents++;
        counts.skipped++;
        this.classes.set(sid, { id: prior?.id ?? "", schoolId: "", state: "skipped" });
        return;
      }
      const scope = this.resolveOrg(v("schoolSourcedId"));
      if (scope === null) {
        this.issues.error(display, line, "schoolSourcedId", `org ${v("schoolSourcedId")} is not in orgs.csv`);
        return reject();
      }
      if (scope.kind !== "school") {
        const org = this.orgs.get(v("schoolSourcedId"));
        if (org && org.state !== "ok") {
          skippedForParents++;
          counts.skipped++;
          this.classes.set(sid, { id: prior?.id ?? "", schoolId: "", state: "skipped" });
          return;
        }
        this.issues.error(display, line, "schoolSourcedId", `org ${v("schoolSourcedId")} is not a school; a class belongs to a school`);
        return reject();
      }
      const termIds: string[] = [];
      for (const termSid of splitList(v("termSourcedIds"))) {
        const term = this.sessions.get(termSid);
        if (!term) {
          this.issues.error(display, line, "termSourcedIds", `academic session ${termSid} is not in academicSessions.csv`);
          return reject();
        }
        if (term.state === "ok") termIds.push(term.id);
      }
      termIds.sort();
      const row = {
        schoolId: scope.schoolId,
        courseId: course.id,
        title: v("title"),
        code: orNull(v("classCode")),
        classType,
        location: orNull(v("location")),
        grades: joinList(v("grades")),
        subjects: joinList(v("subjects")),
        periods: joinList(v("periods")),
      };
      const id = prior?.id ?? bulkId();
      this.classes.set(sid, { id, schoolId: row.schoolId, state: "ok" });
      const priorTerms = prior ? (termsOf.get(prior.id) ?? []).sort().join(",") : null;
      const terms = termIds.join(",");
      const same =
        prior &&
        prior.school_id === row.schoolId &&
        prior.course_id === row.courseId &&
        prior.title === row.title &&
        prior.class_code === row.code &&
        prior.class_type === row.classType &&
        prior.location === row.location &&
        prior.grades === row.grades &&
        prior.subjects === row.subjects &&
        prior.periods === row.periods &&
        prior.status === "active";
      if (!same) {
        this.emit({
          op: "class",
          id,
          sourceId: sid,
          schoolId: row.schoolId,
          courseId: row.courseId,
          title: row.title,
          classCode: row.code,
          classType: row.classType,
          location: row.location,
          grades: row.grades,
          subjects: row.subjects,
          periods: row.periods,
        });
        if (prior) counts.updated++;
        else counts.created++;
      }
      if (priorTerms !== terms) {
        this.emit({ op: "classTerms", classId: id, sessionIds: termIds });
        if (same) counts.updated++;
      }
      if (same && priorTerms === terms) counts.unchanged++;
    });
    if (!ok) return;
    this.warnSkippedForParents(display, skippedForParents, ["class was", "classes were"], "their course or school was rejected or deleted");
    if (mode === "bulk") this.deactivateUnseen(existing, seen, "classes", counts);
  }

  // ---- roles.csv (1.2) ----

  private async readRoles(): Promise<void> {
    const display = "roles.csv";
    const mode = this.mode("roles.csv");
    if (mode === "absent") return;
    const seen = new Map<string, number>();
    const { required, optional } = this.columns("roles.csv");
    await this.readCsvFile(display, required, optional, (v, line) => {
      const sid = this.firstSourcedId(display, v, line, seen, this.entities.roles);
      if (sid === null) return;
      const status = this.rowStatus(display, mode, v, line);
      if (status === null) {
        this.entities.roles.rejected++;
        return;
      }
      if (status === "deleted") return;
      if (!this.requireCells(display, v, line, ["userSourcedId", "role", "orgSourcedId"])) {
        this.entities.roles.rejected++;
        return;
      }
      const role = v("role");
      if (!KNOWN_USER_ROLES.has(role)) {
        this.issues.error(display, line, "role", `role "${role}" is not a OneRoster role`);
        this.entities.roles.rejected++;
        return;
      }
      const roleType = v("roleType");
      if (roleType !== "" && roleType !== "primary" && roleType !== "secondary") {
        this.issues.error(display, line, "roleType", `roleType "${roleType}" is not primary or secondary`);
        this.entities.roles.rejected++;
        return;
      }
      for (const c of ["beginDate", "endDate"]) {
        if (v(c) !== "" && !isDate(v(c))) {
          this.issues.error(display, line, c, `"${v(c)}" is not a date written YYYY-MM-DD`);
          this.entities.roles.rejected++;
          return;
        }
      }
      const scope = this.resolveOrg(v("orgSourcedId"));
      if (scope === null) {
        this.issues.error(display, line, "orgSourcedId", `org ${v("orgSourcedId")} is not in orgs.csv`);
        this.entities.roles.rejected++;
        return;
      }
      const user = v("userSourcedId");
      const list = this.rolesByUser.get(user) ?? [];
      if (roleType === "primary") list.unshift({ role, scope });
      else list.push({ role, scope });
      this.rolesByUser.set(user, list);
      if (!this.roleFirstLine.has(user)) this.roleFirstLine.set(user, line);
    });
  }

  // ---- users.csv ----

  private async planUsers(version: OneRosterVersion): Promise<void> {
    const display = "users.csv";
    const mode = this.mode("users.csv");
    const counts = this.entities.people;
    const people = await loadPeople(this.db, this.districtId);
    for (const p of people) {
      if (p.source_id !== null) this.peopleBySource.set(p.source_id, p);
      if (p.email !== null) this.peopleByEmail.set(p.email, p);
    }
    this.grants = await loadGrants(this.db, this.districtId);
    for (const g of this.grants) {
      if (g.role === "district_admin") this.adminIds.add(g.person_id);
    }
    if (mode !== "bulk") for (const p of people) if (p.source_id !== null) this.users.set(p.source_id, { id: p.id, state: "ok" });
    if (mode === "absent") return;
    const seen = new Map<string, number>();
    const emails = new Map<string, number>();
    let skippedForOrgs = 0;
    const { required, optional } = this.columns("users.csv");
    const ok = await this.readCsvFile(display, required, optional, (v, line) => {
      const sid = this.firstSourcedId(display, v, line, seen, counts);
      if (sid === null) return;
      const prior = this.peopleBySource.get(sid);
      const reject = () => {
        counts.rejected++;
        this.users.set(sid, { id: prior?.id ?? null, state: "rejected" });
      };
      const status = this.rowStatus(display, mode, v, line);
      if (status === null) return reject();
      if (status === "deleted") {
        this.users.set(sid, { id: prior?.id ?? null, state: "deleted" });
        if (prior && prior.status === "active" && !this.adminIds.has(prior.id)) {
          this.emit({ op: "deactivate", table: "people", id: prior.id });
          counts.deactivated++;
        } else counts.skipped++;
        return;
      }

      // Roles: 1.1 has them on the row; 1.2 in roles.csv.
      let roles: { role: string; scope: Scope }[] = [];
      if (version === "1.1") {
        if (!this.requireCells(display, v, line, ["role", "orgSourcedIds"])) return reject();
        const role = v("role");
        if (!KNOWN_USER_ROLES.has(role)) {
          this.issues.error(display, line, "role", `role "${role}" is not a OneRoster role`);
          return reject();
        }
        for (const orgSid of splitList(v("orgSourcedIds"))) {
          const scope = this.resolveOrg(orgSid);
          if (scope === null) {
            this.issues.error(display, line, "orgSourcedIds", `org ${orgSid} is not in orgs.csv`);
            return reject();
          }
          roles.push({ role, scope });
        }
      } else {
        roles = this.rolesByUser.get(sid) ?? [];
        if (roles.length === 0) {
          this.issues.error(display, line, "sourcedId", `user ${sid} has no role in roles.csv`);
          return reject();
        }
      }
      const mapped = roles.map((r) => ({ ...r, ours: mapUserRole(r.role) }));
      if (mapped.every((r) => r.ours === null)) {
        const primary = roles[0]?.role ?? "unknown";
        this.skippedRoles[primary] = (this.skippedRoles[primary] ?? 0) + 1;
        counts.skipped++;
        this.users.set(sid, { id: null, state: "skipped" });
        return;
      }
      const grants = new Set<string>();
      for (const r of mapped) {
        if (r.ours === null || r.scope.kind === "none" || r.scope.kind === "gone") continue;
        grants.add(`${r.ours}|${r.scope.kind === "school" ? r.scope.schoolId : ""}`);
      }
      const isStudent = mapped.some((r) => r.ours === "student");
      const lacksSchool = isStudent && ![...grants].some((g) => g.startsWith("student|") && g !== "student|");
      if ((lacksSchool || [...grants].every((g) => g === "student|")) && mapped.some((r) => r.scope.kind === "gone")) {
        // The user's org was rejected or deleted: they follow it, counted but not reported again.
        skippedForOrgs++;
        counts.skipped++;
        this.users.set(sid, { id: null, state: "skipped" });
        return;
      }
      if (lacksSchool) {
        this.issues.error(display, line, version === "1.1" ? "orgSourcedIds" : "sourcedId", "a student must belong to a school, not only to the district");
        return reject();
      }
      grants.delete("student|");
      if (grants.size === 0) {
        this.issues.error(display, line, version === "1.1" ? "orgSourcedIds" : "sourcedId", "none of the user's orgs is a school or the district");
        return reject();
      }

      if (!this.requireCells(display, v, line, ["givenName", "familyName"])) return reject();
      if (!this.checkLength(display, v, line, "givenName", NameLimits.max) || !this.checkLength(display, v, line, "familyName", NameLimits.max)) {
        return reject();
      }
      let email: string | null = null;
      if (v("email") !== "") {
        const parsed = ZEmail.safeParse(v("email"));
        if (!parsed.success) {
          this.issues.error(display, line, "email", `"${v("email")}" is not a valid email address`);
          return reject();
        }
        email = parsed.data;
        const dup = emails.get(email);
        if (dup !== undefined) {
          this.issues.error(display, line, "email", `${email} is also the email of the user on line ${dup}; emails must differ`);
          return reject();
        }
      }
      const enabled = v("enabledUser") === "" ? true : parseBool(v("enabledUser"));
      if (enabled === undefined) {
        this.issues.error(display, line, "enabledUser", `enabledUser "${v("enabledUser")}" is not true or false`);
        return reject();
      }
      const grades = splitList(v("grades"));
      const gradeLevel = isStudent ? (grades[0] ?? null) : null;
      if (gradeLevel !== null && gradeLevel.length > 16) {
        this.issues.error(display, line, "grades", `grade "${gradeLevel}" is longer than 16 characters`);
        return reject();
      }
      const studentNumber = isStudent ? orNull(v("identifier")) : null;
      if (studentNumber !== null && studentNumber.length > 64) {
        this.issues.error(display, line, "identifier", "identifier is longer than 64 characters");
        return reject();
      }

      let target = prior;
      if (email !== null) {
        const holder = this.peopleByEmail.get(email);
        if (holder && (!target || holder.id !== target.id)) {
          if (!target && holder.source_id === null) target = holder; // someone added by hand: link them
          else {
            const who = `${holder.given_name} ${holder.family_name}`;
            this.issues.error(display, line, "email", `${email} already belongs to ${who}${holder.source_id ? ` (sourcedId ${holder.source_id})` : ""}`);
            return reject();
          }
        }
        emails.set(email, line);
      }
      const isAdmin = target !== undefined && this.adminIds.has(target.id);
      const personStatus: "active" | "inactive" = enabled || isAdmin ? "active" : "inactive";
      if (!enabled && isAdmin) {
        this.issues.warning(display, line, "enabledUser", "the user is a district admin here, so the import leaves them active");
      }
      const id = target?.id ?? bulkId();
      this.users.set(sid, { id, state: "ok" });
      this.desiredGrants.set(id, grants);
      if (mapped.some((r) => r.scope.kind === "gone")) this.partialGrants.add(id);
      const row = {
        given: v("givenName"),
        family: v("familyName"),
        email,
        gradeLevel,
        studentNumber,
        status: personStatus,
      };
      const same =
        target &&
        target.source_id === sid &&
        target.given_name === row.given &&
        target.family_name === row.family &&
        target.email === row.email &&
        target.grade_level === row.gradeLevel &&
        target.student_number === row.studentNumber &&
        target.status === row.status;
      if (same) {
        counts.unchanged++;
        return;
      }
      const deactivatedAt = row.status === "inactive" ? (target?.status === "inactive" ? target.deactivated_at : nowIso()) : null;
      this.emit({
        op: "person",
        id,
        sourceId: sid,
        givenName: row.given,
        familyName: row.family,
        email: row.email,
        gradeLevel: row.gradeLevel,
        studentNumber: row.studentNumber,
        status: row.status,
        deactivatedAt,
      });
      if (target) counts.updated++;
      else counts.created++;
    });
    if (!ok) return;
    this.warnSkippedForParents(display, skippedForOrgs, ["user was", "users were"], "their school or org was rejected or deleted");
    for (const [user, line] of this.roleFirstLine) {
      if (!seen.has(user) && !this.peopleBySource.has(user)) {
        this.issues.error("roles.csv", line, "userSourcedId", `user ${user} is not in users.csv`);
        this.entities.roles.rejected++;
      }
    }
    if (mode === "bulk") {
      for (const p of people) {
        if (p.source_id !== null && !seen.has(p.source_id) && p.status === "active") {
          if (this.adminIds.has(p.id)) {
            this.issues.warning(display, null, null, `${p.given_name} ${p.family_name} (sourcedId ${p.source_id}) is not in the file but is a district admin here, so stays active`);
            continue;
          }
          this.emit({ op: "deactivate", table: "people", id: p.id });
          counts.deactivated++;
        }
      }
    }
  }

  /** Role grants follow users: the roster's grants are added and removed; grants made by hand stay. */
  private async planGrants(): Promise<void> {
    if (this.desiredGrants.size === 0) return;
    const counts = this.entities.roles;
    const held = new Map<string, { id: string; key: string; isRoster: boolean }[]>();
    for (const g of this.grants) {
      if (!this.desiredGrants.has(g.person_id)) continue;
      const list = held.get(g.person_id) ?? [];
      list.push({ id: g.id, key: `${g.role}|${g.school_id ?? ""}`, isRoster: g.source === "roster" });
      held.set(g.person_id, list);
    }
    for (const [personId, desired] of this.desiredGrants) {
      const current = held.get(personId) ?? [];
      const have = new Set(current.map((g) => g.key));
      for (const key of desired) {
        if (have.has(key)) {
          counts.unchanged++;
          continue;
        }
        const [role, school] = key.split("|") as [Role, string];
        this.emit({ op: "grant", id: bulkId(), personId, role, schoolId: school === "" ? null : school, source: "roster" });
        counts.created++;
      }
      if (this.partialGrants.has(personId)) continue;
      for (const g of current) {
        if (g.isRoster && !desired.has(g.key)) {
          this.emit({ op: "revokeGrant", id: g.id });
          counts.deactivated++;
        }
      }
    }
    await this.opts.spool.flushIfFull();
  }

  // ---- enrollments.csv ----

  private async planEnrollments(): Promise<void> {
    const display = "enrollments.csv";
    const mode = this.mode("enrollments.csv");
    const counts = this.entities.enrollments;
    if (mode === "absent") return;
    // sourcedId → fingerprint × 2 + isActive: enough to tell unchanged from changed, in ~100 bytes a row.
    const stored = new Map<string, number>();
    for await (const page of iterateEnrollments(this.db, this.districtId)) {
      for (const e of page) {
        const isActive = e.status === "active";
        stored.set(e.source_id, printHash(e.print, isActive) * 2 + (isActive ? 1 : 0));
      }
    }
    // Seen rows are marked in `stored` itself (SEEN); only rows new to the district need a set of
    // their own. A re-import so holds one entry per enrolment, not two.
    const SEEN = -1;
    const seenNew = new Set<string>();
    let skippedForParents = 0;
    const { required, optional } = this.columns("enrollments.csv");
    const ok = await this.readCsvFile(display, required, optional, (v, line) => {
      const sid = v("sourcedId");
      if (sid === "") {
        this.issues.error(display, line, "sourcedId", "sourcedId is empty; it is required");
        counts.rejected++;
        return;
      }
      const prior = stored.get(sid);
      if (prior === SEEN || (prior === undefined && seenNew.has(sid))) {
        this.issues.error(display, line, "sourcedId", `sourcedId ${sid} appears more than once`);
        counts.rejected++;
        return;
      }
      if (prior === undefined) seenNew.add(sid);
      else stored.set(sid, SEEN);
      const status = this.rowStatus(display, mode, v, line);
      if (status === null) {
        counts.rejected++;
        return;
      }
      if (status === "deleted") {
        if (prior !== undefined && prior % 2 === 1) {
          this.emit({ op: "deactivateEnrollment", sourceId: sid });
          counts.deactivated++;
        } else counts.skipped++;
        return;
      }
      // Each cell read once: this runs a million times.
      const classSid = v("classSourcedId");
      const schoolSid = v("schoolSourcedId");
      const userSid = v("userSourcedId");
      const role = v("role");
      if (classSid === "" || schoolSid === "" || userSid === "" || role === "") {
        this.requireCells(display, v, line, ["classSourcedId", "schoolSourcedId", "userSourcedId", "role"]);
        counts.rejected++;
        return;
      }
      const ours = mapEnrollmentRole(role);
      if (ours === null) {
        if (!KNOWN_USER_ROLES.has(role)) {
          this.issues.error(display, line, "role", `role "${role}" is not a OneRoster role`);
          counts.rejected++;
          return;
        }
        this.skippedRoles[`enrollment:${role}`] = (this.skippedRoles[`enrollment:${role}`] ?? 0) + 1;
        counts.skipped++;
        return;
      }
      const cls = this.classes.get(classSid);
      if (!cls) {
        this.issues.error(display, line, "classSourcedId", `class ${classSid} is not in classes.csv`);
        counts.rejected++;
        return;
      }
      const user = this.users.get(userSid);
      if (!user) {
        this.issues.error(display, line, "userSourcedId", `user ${userSid} is not in users.csv`);
        counts.rejected++;
        return;
      }
      if (this.resolveOrg(schoolSid) === null) {
        this.issues.error(display, line, "schoolSourcedId", `org ${schoolSid} is not in orgs.csv`);
        counts.rejected++;
        return;
      }
      if (cls.state !== "ok" || user.state !== "ok" || user.id === null) {
        if (user.state !== "skipped") skippedForParents++;
        counts.skipped++;
        return;
      }
      const primaryCell = v("primary");
      const primary = primaryCell === "" ? false : parseBool(primaryCell);
      if (primary === undefined) {
        this.issues.error(display, line, "primary", `primary "${primaryCell}" is not true or false`);
        counts.rejected++;
        return;
      }
      const beginCell = v("beginDate");
      const endCell = v("endDate");
      for (const [c, value] of [
        ["beginDate", beginCell],
        ["endDate", endCell],
      ] as const) {
        if (value !== "" && !isDate(value)) {
          this.issues.error(display, line, c, `"${value}" is not a date written YYYY-MM-DD`);
          counts.rejected++;
          return;
        }
      }
      const begin = orNull(beginCell);
      const end = orNull(endCell);
      const isPrimary = primary ? 1 : 0;
      const print = printHash(enrollmentPrintText({ classId: cls.id, personId: user.id, schoolId: cls.schoolId, role: ours, isPrimary, begin, end }), true);
      if (prior !== undefined && prior === print * 2 + 1) {
        counts.unchanged++;
        return;
      }
      this.emit({
        op: "enrollment",
        id: bulkId(),
        sourceId: sid,
        classId: cls.id,
        personId: user.id,
        schoolId: cls.schoolId,
        role: ours,
        isPrimary,
        beginDate: begin,
        endDate: end,
      });
      if (prior !== undefined) counts.updated++;
      else counts.created++;
    });
    if (!ok) return;
    this.warnSkippedForParents(display, skippedForParents, ["enrollment was", "enrollments were"], "their class or user was rejected or deleted");
    if (mode === "bulk") {
      for (const [sid, prior] of stored) {
        if (prior !== SEEN && prior % 2 === 1) {
          this.emit({ op: "deactivateEnrollment", sourceId: sid });
          counts.deactivated++;
        }
      }
    }
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

/** A stored or planned enrolment's fingerprint; under 2^51 so that print * 2 + 1 stays a safe integer. */
function printHash(text: string, isActive: boolean): number {
  return hash53(text, isActive ? "active" : "inactive") % 2 ** 51;
}
