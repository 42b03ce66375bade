import { parse } from "csv-parse/sync";
import { isRealDate } from "./calendar.js";

// Parsing for the Google Forms import: pure functions, no database.

export const DATE_FORMATS = ["YYYY-MM-DD", "M/D/YYYY", "D/M/YYYY"] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

export type CsvTable = { headers: string[]; rows: { line: number; cells: Record<string, string> }[] };

/** Parses CSV text (BOM, CRLF and quoted newlines handled) into rows keyed by header, with file line numbers. */
export function readCsv(text: string): CsvTable {
  const records = parse(text, {
    bom: true,
    columns: false,
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
    raw: true,
    trim: true,
    // With info and raw on, csv-parse yields {record, raw, info} objects; its types don't model that.
  }) as unknown as { record: string[]; raw: string; info: { lines: number } }[];
  const [head, ...body] = records;
  if (!head) return { headers: [], rows: [] };
  const headers = head.record.map((h) => h.trim());
  // A record starts on the line after every newline of the records before it (quoted newlines included).
  const newlines = (raw: string) => raw.match(/\r\n|\n|\r/g)?.length ?? 0;
  let line = 1 + newlines(head.raw);
  const rows = body.map(({ record, raw }) => {
    const row = { line, cells: Object.fromEntries(headers.map((h, i) => [h, (record[i] ?? "").trim()])) };
    line += newlines(raw);
    return row;
  });
  return { headers, rows };
}

// Google Forms timestamps look like "11/28/2026 14:03:11"; spreadsheets may add a time too.
const TIME_SUFFIX = /(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:\s?[AP]M)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Converts a date cell in `format` to YYYY-MM-DD, or undefined when it does not match. */
export function parseDateCell(raw: string, format: DateFormat): string | undefined {
  const value = raw.trim().replace(TIME_SUFFIX, "");
  let y: string | undefined;
  let m: string | undefined;
  let d: string | undefined;
  if (format === "YYYY-MM-DD") {
    [, y, m, d] = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value) ?? [];
  } else {
    const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
    if (match) [, m, d, y] = format === "M/D/YYYY" ? match : [match[0], match[2], match[1], match[3]];
  }
  if (!y || !m || !d) return undefined;
  const iso = `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`;
  return isRealDate(iso) ? iso : undefined;
}

/**
 * Picks the one date format that reads every date cell; when several do (all days ≤ 12),
 * prefers the US M/D/YYYY of Google Forms. Returns the best-fitting format when none reads all.
 */
export function detectDateFormat(cells: readonly string[]): { format: DateFormat | null; readsAll: boolean } {
  const filled = cells.filter((c) => c.trim() !== "");
  if (filled.length === 0) return { format: null, readsAll: true };
  let best: { format: DateFormat; hits: number } | null = null;
  for (const format of ["YYYY-MM-DD", "M/D/YYYY", "D/M/YYYY"] as const) {
    const hits = filled.filter((c) => parseDateCell(c, format) !== undefined).length;
    if (hits === filled.length) return { format, readsAll: true };
    if (!best || hits > best.hits) best = { format, hits };
  }
  return { format: best && best.hits > 0 ? best.format : null, readsAll: false };
}

/** Reads a minutes cell: "45", "45 min", "1:30" (h:mm), "1.5 h", "2 hours". */
export function parseMinutesCell(raw: string): number | undefined {
  const v = raw.trim().toLowerCase();
  let m: RegExpExecArray | null;
  if ((m = /^(\d+)\s*(m|min|mins|minutes?)?$/.exec(v))) return Number(m[1]);
  if ((m = /^(\d+):(\d{2})$/.exec(v))) return Number(m[1]) * 60 + Number(m[2]);
  if ((m = /^(\d+(?:[.,]\d+)?)\s*(h|hr|hrs|hours?)$/.exec(v))) return Math.round(Number((m[1] ?? "").replace(",", ".")) * 60);
  return undefined;
}

/** Splits a multi-valued cell ("Ana Ruiz, Ben Lee; Chloe Park"). */
export function splitList(raw: string): string[] {
  return raw
    .split(/[;,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}
