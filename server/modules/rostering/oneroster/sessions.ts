import { bulkId } from "../bulk-ids.js";
import { oneOf, SESSION_TYPES } from "./spec.js";
import { loadSessions, type SessionRow } from "../rostering.loads.js";
import { readCsvFile } from "./read-csv.js";
import type { OpOf } from "../spool-ops.js";
import {
  checkLength,
  deactivateDeleted,
  deactivateUnseen,
  findCycles,
  firstSourcedId,
  readDateCell,
  requireCells,
  rowStatus,
  upsertUnlessStored,
  type StoredColumns,
} from "./row-checks.js";
import { orNull, type PlanState } from "./state.js";

/** academicSessions.csv: terms, grading periods, semesters and school years, with their parents. */
const STORED: StoredColumns<OpOf<"session">, SessionRow> = [
  ["title", "title"],
  ["type", "type"],
  ["startDate", "start_date"],
  ["endDate", "end_date"],
  ["schoolYear", "school_year"],
  ["parentId", "parent_id"],
];

export async function planSessions(plan: PlanState): Promise<void> {
  const display = "academicSessions.csv";
  const mode = plan.mode("academicsessions.csv");
  const counts = plan.entities.academicSessions;
  const existing = await loadSessions(plan.db, plan.districtId);
  const bySource = new Map<string, SessionRow>(existing.map((s) => [s.source_id, s]));
  if (mode !== "bulk") for (const s of existing) plan.sessions.set(s.source_id, { id: s.id, state: "ok" });
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
  const { required, optional } = plan.columns("academicsessions.csv");
  const ok = await readCsvFile(plan, display, required, optional, (v, line) => {
    const sid = firstSourcedId(plan, display, v, line, seen, counts);
    if (sid === null) return;
    const reject = () => {
      counts.rejected++;
      plan.sessions.set(sid, { id: bySource.get(sid)?.id ?? "", state: "rejected" });
    };
    const status = rowStatus(plan, display, mode, v, line);
    if (status === null) return reject();
    let type: (typeof SESSION_TYPES)[number] | null = null;
    let start = v("startDate");
    let end = v("endDate");
    if (status === "active") {
      if (!requireCells(plan, display, v, line, ["title", "type", "startDate", "endDate"])) return reject();
      type = oneOf(SESSION_TYPES, v("type"));
      if (type === null) {
        plan.issues.error(display, line, "type", `type "${v("type")}" is not one of ${SESSION_TYPES.join(", ")}`);
        return reject();
      }
      const startDate = readDateCell(plan, display, line, "startDate", start);
      if (startDate === null) return reject();
      const endDate = readDateCell(plan, display, line, "endDate", end);
      if (endDate === null) return reject();
      [start, end] = [startDate, endDate];
      if (start > end) {
        plan.issues.error(display, line, "endDate", `endDate ${end} is before startDate ${start}`);
        return reject();
      }
      if (v("schoolYear") !== "" && !/^\d{4}$/.test(v("schoolYear"))) {
        plan.issues.error(display, line, "schoolYear", `schoolYear "${v("schoolYear")}" is not a year such as 2027`);
        return reject();
      }
      if (!checkLength(plan, display, v, line, "title", 200)) return reject();
    }
    rows.push({
      line,
      sid,
      title: v("title"),
      type: type ?? v("type"),
      start,
      end,
      year: orNull(v("schoolYear")),
      parent: orNull(v("parentSourcedId")),
      deleted: status === "deleted",
    });
  });
  if (!ok) return;

  const inFile = new Map(rows.map((r) => [r.sid, r]));
  for (const r of rows) {
    if (r.parent !== null && !inFile.has(r.parent) && !bySource.has(r.parent)) {
      plan.issues.warning(display, r.line, "parentSourcedId", `parent session ${r.parent} is not in academicSessions.csv; read as having no parent`);
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
  const cyclic = findCycles(plan, display, rows, (sid) => (inFile.has(sid) ? (inFile.get(sid)?.parent ?? null) : storedParent(sid)), ["session", "sessions"]);

  // Ids first, so parents can be referred to whatever their order in the file.
  for (const r of rows) {
    const state = cyclic.has(r.sid) ? "rejected" : r.deleted ? "deleted" : "ok";
    plan.sessions.set(r.sid, { id: bySource.get(r.sid)?.id ?? bulkId(), state });
  }
  for (const r of rows) {
    if (cyclic.has(r.sid)) {
      counts.rejected++;
      continue;
    }
    const prior = bySource.get(r.sid);
    const id = plan.sessions.get(r.sid)?.id ?? bulkId();
    if (r.deleted) {
      deactivateDeleted(plan, "academic_sessions", prior, counts);
      continue;
    }
    const parent = r.parent === null ? undefined : plan.sessions.get(r.parent);
    // A parent refused here, or deleted before it was ever stored, is no parent to point at.
    const isGone = parent !== undefined && (parent.state === "rejected" || (parent.state === "deleted" && !bySource.has(r.parent ?? "")));
    const parentId = parent === undefined || isGone ? null : parent.id;
    upsertUnlessStored(
      plan,
      prior,
      {
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
      },
      STORED,
      counts,
    );
  }
  if (mode === "bulk") deactivateUnseen(plan, existing, seen, "academic_sessions", counts);
}
