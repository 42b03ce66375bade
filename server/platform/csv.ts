import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { stringify as stringifySync } from "csv-stringify/sync";

// The one CSV writer for every export. A spreadsheet treats a cell starting with = + - @ (or a tab or
// carriage return, which some programs skip before reading a formula) as a formula, so a name like
// `=HYPERLINK(…)` typed by any user would run in the admin's spreadsheet. As OWASP's "CSV Injection"
// page describes, such text cells get a leading single quote, and every field is quoted so a
// separator inside a cell cannot start a new one. Numbers stay numbers (a negative count is data).

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell's text, neutralised when a spreadsheet would read it as a formula. */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export type CsvColumn = { key: string; header: string };
type Cell = string | number | boolean | null | undefined | object;

const options = (columns: readonly CsvColumn[]) => ({
  header: true,
  quoted_string: true,
  columns: columns.map((c) => ({ key: c.key, header: neutraliseCell(c.header) })),
  cast: {
    string: (v: string) => neutraliseCell(v),
    object: (v: object) => neutraliseCell(JSON.stringify(v)),
    boolean: (v: boolean) => (v ? "true" : "false"),
  },
});

const columnsOf = (columns: readonly (string | CsvColumn)[]): CsvColumn[] => columns.map((c) => (typeof c === "string" ? { key: c, header: c } : c));

/** Rows (objects keyed by column) streamed as CSV with a header line; a leading BOM so spreadsheets read UTF-8. */
export function csvStream(rows: AsyncIterable<Record<string, Cell>> | Iterable<Record<string, Cell>>, columns: readonly (string | CsvColumn)[]): Readable {
  const body = Readable.from(rows).pipe(stringify(options(columnsOf(columns))));
  async function* withBom() {
    yield "\uFEFF";
    for await (const chunk of body) yield chunk as Buffer | string;
  }
  return Readable.from(withBom());
}

/** The same writer for a small table held in memory (a report), as one string with a leading BOM. */
export function csvText(rows: readonly (readonly Cell[])[], headers: readonly string[]): string {
  const columns = headers.map((h, i) => ({ key: String(i), header: h }));
  const records = rows.map((r) => Object.fromEntries(r.map((v, i) => [String(i), v])));
  return "\uFEFF" + stringifySync(records, options(columns));
}
