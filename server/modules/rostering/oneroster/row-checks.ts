import type { DeactivatedTable, SpoolOp } from "../spool-ops.js";
import { type FileMode, isDateTime, readDate } from "./spec.js";
import type { Cells, PlanState } from "./state.js";

// The checks and steps every file's planner repeats on its rows: one sourcedId each, a valid status,
// required cells, parents without cycles, deletions, and writing a row only when it changed.

/** The row's sourcedId the first time the file gives it; else null, reported and counted as rejected. */
export function firstSourcedId(plan: PlanState, display: string, v: Cells, line: number, seen: Map<string, number>, counts: { rejected: number }): string | null {
  const sid = v("sourcedId");
  if (sid === "") {
    plan.issues.error(display, line, "sourcedId", "sourcedId is empty; it is required");
  } else {
    const first = seen.get(sid);
    if (first === undefined) {
      seen.set(sid, line);
      return sid;
    }
    plan.issues.error(display, line, "sourcedId", `sourcedId ${sid} is also on line ${first}`);
  }
  counts.rejected++;
  return null;
}

/** The row's status: active, deleted (tobedeleted), or null when the cell is wrong (reported). */
export function rowStatus(plan: PlanState, display: string, mode: FileMode, v: Cells, line: number): "active" | "deleted" | null {
  const raw = v("status");
  const modified = v("dateLastModified");
  if (modified !== "" && !isDateTime(modified)) {
    plan.issues.error(display, line, "dateLastModified", `"${modified}" is not an ISO 8601 date-time such as 2026-08-01T12:00:00Z`);
    return null;
  }
  if (mode === "delta") {
    if (raw === "") {
      plan.issues.error(display, line, "status", "status is required in a delta file (active or tobedeleted)");
      return null;
    }
    if (modified === "") {
      plan.issues.error(display, line, "dateLastModified", "dateLastModified is required in a delta file");
      return null;
    }
  }
  const status = raw.toLowerCase();
  if (status === "" || status === "active") return "active";
  if (status === "tobedeleted" || status === "inactive") return "deleted";
  plan.issues.error(display, line, "status", `status "${raw}" is not active or tobedeleted`);
  return null;
}

/** Whether every one of `columns` has a value; each empty one is reported. */
export function requireCells(plan: PlanState, display: string, v: Cells, line: number, columns: readonly string[]): boolean {
  let ok = true;
  for (const c of columns) {
    if (v(c) === "") {
      plan.issues.error(display, line, c, `${c} is empty; it is required`);
      ok = false;
    }
  }
  return ok;
}

/** Whether `column` fits in `max` characters; reported when it does not. */
export function checkLength(plan: PlanState, display: string, v: Cells, line: number, column: string, max: number): boolean {
  if (v(column).length > max) {
    plan.issues.error(display, line, column, `${column} is longer than ${max} characters`);
    return false;
  }
  return true;
}

/**
 * The rows on a parentSourcedId cycle (an org or session that would be its own ancestor), each
 * cycle reported once, on the line where it is first found.
 */
export function findCycles(
  plan: PlanState,
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
          plan.issues.error(
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

/** A row the file deletes (tobedeleted): deactivated when the district holds it active, else counted as skipped. */
export function deactivateDeleted(
  plan: PlanState,
  table: DeactivatedTable,
  prior: { id: string; status: string } | undefined,
  counts: { deactivated: number; skipped: number },
): void {
  if (prior && prior.status === "active") {
    plan.emit({ op: "deactivate", table, id: prior.id });
    counts.deactivated++;
  } else counts.skipped++;
}

/** Which stored column holds each field of an op: `[op field, column]`. */
export type StoredColumns<O extends SpoolOp, R> = readonly (readonly [keyof O & string, keyof R & string])[];

/**
 * Whether the district's stored row already holds what `op` would write: each field equal to its
 * column, and the status the op gives (an upsert without a status makes the row active).
 */
export function isStored<O extends SpoolOp, R extends { status: string }>(prior: R | undefined, op: O, columns: StoredColumns<O, R>): prior is R {
  const status = op.op === "person" ? op.status : "active";
  return prior !== undefined && prior.status === status && columns.every(([field, column]) => prior[column] === (op[field] as unknown));
}

/** Writes `op` unless the stored row already holds it (see isStored), counting it created, updated or unchanged. */
export function upsertUnlessStored<O extends SpoolOp, R extends { status: string }>(
  plan: PlanState,
  prior: R | undefined,
  op: O,
  columns: StoredColumns<O, R>,
  counts: { created: number; updated: number; unchanged: number },
): void {
  if (isStored(prior, op, columns)) {
    counts.unchanged++;
    return;
  }
  plan.emit(op);
  if (prior) counts.updated++;
  else counts.created++;
}

/** What a bulk file left out of what the district holds is deactivated (never deleted). */
export function deactivateUnseen(
  plan: PlanState,
  held: readonly { id: string; source_id: string | null; status: string }[],
  seen: ReadonlyMap<string, number>,
  table: DeactivatedTable,
  counts: { deactivated: number },
): void {
  for (const row of held) {
    if (row.source_id !== null && !seen.has(row.source_id) && row.status === "active") {
      plan.emit({ op: "deactivate", table, id: row.id });
      counts.deactivated++;
    }
  }
}

/** One notice for the rows skipped because a row they depend on was rejected or deleted. */
export function warnSkippedForParents(plan: PlanState, display: string, n: number, noun: [string, string], because: string): void {
  if (n > 0) plan.issues.warning(display, null, null, `${n === 1 ? `1 ${noun[0]}` : `${n.toLocaleString("en-US")} ${noun[1]}`} skipped because ${because}`);
}

/**
 * A date cell as YYYY-MM-DD, or null when it cannot be read (reported). M/D/YYYY from a spreadsheet
 * is read when the order is certain, with one warning per file; an ambiguous one (3/4/2027) is an
 * error on its line, since a guess would put a wrong date in the directory silently.
 */
export function readDateCell(plan: PlanState, display: string, line: number, column: string, value: string): string | null {
  const cell = readDate(value);
  switch (cell.kind) {
    case "iso":
      return cell.date;
    case "spreadsheet":
      if (!plan.spreadsheetDates.has(display)) {
        plan.spreadsheetDates.add(display);
        plan.issues.warning(
          display,
          line,
          column,
          `dates are written like "${value}" (a spreadsheet's format), not YYYY-MM-DD; read as ${cell.date}, and the file's other such dates the same way where the month and day cannot be mixed up`,
        );
      }
      return cell.date;
    case "ambiguous":
      plan.issues.error(
        display,
        line,
        column,
        `"${value}" could be ${cell.readings[0]} or ${cell.readings[1]} (month and day cannot be told apart); write dates YYYY-MM-DD`,
      );
      return null;
    case "invalid":
      plan.issues.error(display, line, column, `"${value}" is not a date written YYYY-MM-DD`);
      return null;
  }
}
