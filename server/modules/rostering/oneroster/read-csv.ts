import { CsvReadError, type CsvRecord, guessWrongDelimiter, openCsv } from "../csv-reader.js";
import { USERS_12_ONLY } from "./spec.js";
import { RosterSourceError } from "../roster-source.js";
import type { Cells, PlanState } from "./state.js";

// Reading one OneRoster file for a planner: its header checked, then each row as cells by column name.

/**
 * Streams one file through `onRow`, after checking its header: required columns, the delimiter,
 * the OneRoster version. Returns false when the file could not be read (a blocking issue says why).
 */
export async function readCsvFile(
  plan: PlanState,
  display: string,
  required: readonly string[],
  optional: readonly string[],
  onRow: (v: Cells, line: number, record: CsvRecord) => void | Promise<void>,
): Promise<boolean> {
  const file = plan.source.files.get(display.toLowerCase());
  if (!file) return false;
  plan.currentFile = display;
  plan.progress(true);
  let input;
  try {
    input = await file.open();
  } catch (err) {
    plan.issues.blocker(display, null, null, err instanceof Error ? err.message : String(err));
    return false;
  }
  try {
    const { header, batches } = await openCsv(input, {
      maxBytes: plan.opts.maxFileBytes,
      onBytes: (n) => {
        plan.bytesRead += n;
      },
    });
    if (header.length === 0) {
      plan.issues.blocker(display, 1, null, "the file is empty; it needs at least its header line");
      return false;
    }
    const delimiter = guessWrongDelimiter(header);
    if (delimiter) {
      plan.issues.blocker(display, 1, null, `the file is separated by ${delimiter}; OneRoster files are separated by commas`);
      return false;
    }
    const index = indexHeader(plan, display, header, [...required, ...optional]);
    if (index === null) return false;
    if (!checkHeader(plan, display, header, index, required, optional)) return false;
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
        plan.rowsRead++;
        cells = record.cells;
        if (cells.length !== width && !(cells.length > width && cells.slice(width).every((c) => c.trim() === ""))) {
          plan.issues.error(
            display,
            record.line,
            null,
            `the row has ${cells.length} fields but the header has ${width} (an unquoted comma, or a field left out?)`,
          );
          plan.countRejected(display);
          continue;
        }
        await onRow(v, record.line, record);
      }
      await plan.opts.spool.flushIfFull();
      plan.progress();
    }
    return true;
  } catch (err) {
    if (err instanceof CsvReadError) {
      plan.issues.unreadable(display, err);
      return false;
    }
    if (err instanceof RosterSourceError) {
      plan.issues.blocker(display, null, null, err.message);
      return false;
    }
    throw err;
  }
}

/** A column's place as a spreadsheet shows it: "column 3 (C)". */
export function columnPosition(i: number): string {
  let letters = "";
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return `column ${i + 1} (${letters})`;
}

/**
 * Each column's position by its lower-cased name. A column without a name is skipped, with a
 * warning naming its position (spreadsheets leave them after the last column). A name given twice
 * refuses the file when Coachwork reads that column (which of the two holds the data?), and is a
 * warning otherwise. Null when the file is refused.
 */
function indexHeader(plan: PlanState, display: string, header: readonly string[], read: readonly string[]): Map<string, number> | null {
  const index = new Map<string, number>();
  const isRead = new Set(read.map((c) => c.toLowerCase()));
  const unnamed: number[] = [];
  let isRefused = false;
  header.forEach((raw, i) => {
    const h = raw.trim();
    const key = h.toLowerCase();
    if (key === "") {
      unnamed.push(i);
      return;
    }
    const first = index.get(key);
    if (first === undefined) {
      index.set(key, i);
      return;
    }
    const where = `${columnPosition(first)} and ${columnPosition(i)} are both named ${h}`;
    if (isRead.has(key)) {
      plan.issues.blocker(display, 1, h, `${where}; which of them holds the data cannot be told: remove or rename one`);
      isRefused = true;
    } else plan.issues.warning(display, 1, h, `${where}; Coachwork does not read ${h}, so both are ignored`);
  });
  if (unnamed.length > 0) {
    const which = unnamed.map(columnPosition).join(", ");
    plan.issues.warning(display, 1, null, `${which} ${unnamed.length === 1 ? "has" : "have"} no name in the header; ${unnamed.length === 1 ? "its cells are" : "their cells are"} ignored`);
  }
  return isRefused ? null : index;
}

/** The header has every required column and none from the other OneRoster version; unknown columns are noted. */
function checkHeader(
  plan: PlanState,
  display: string,
  header: readonly string[],
  index: Map<string, number>,
  required: readonly string[],
  optional: readonly string[],
): boolean {
  const missing = required.filter((c) => !index.has(c.toLowerCase()));
  if (display === "users.csv" && plan.version === "1.1") {
    const newer = USERS_12_ONLY.filter((c) => index.has(c.toLowerCase()));
    if (newer.length > 0 && missing.length > 0) {
      plan.issues.blocker(
        display,
        1,
        newer[0] ?? null,
        `the file has OneRoster 1.2 columns (${newer.join(", ")}) and lacks ${missing.join(", ")}, but manifest.csv declares oneroster.version 1.1: export the set as 1.1, or set oneroster.version to 1.2 and include roles.csv`,
      );
      return false;
    }
  }
  if (display === "users.csv" && plan.version === "1.2" && index.has("role") && index.has("orgsourcedids") && !plan.source.files.has("roles.csv")) {
    plan.issues.blocker(
      display,
      1,
      "role",
      "the file has OneRoster 1.1 columns (role, orgSourcedIds) but manifest.csv declares oneroster.version 1.2: set oneroster.version to 1.1",
    );
    return false;
  }
  for (const column of missing) plan.issues.blocker(display, 1, column, `the header has no ${column} column, which OneRoster requires`);
  if (missing.length > 0) return false;
  const known = new Set([...required, ...optional].map((c) => c.toLowerCase()));
  for (const h of header) {
    if (!known.has(h.trim().toLowerCase()) && !h.toLowerCase().startsWith("metadata.") && h.trim() !== "") {
      plan.issues.warning(display, 1, h, `column ${h} is not one Coachwork reads; ignored`);
    }
  }
  return true;
}
