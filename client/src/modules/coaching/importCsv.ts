// Reading a Google Forms export in the browser: only the header row and a few rows for the preview.
// The server parses the whole file again for the real (dry) run, with the same CSV library.

export const IMPORT_FIELDS = ["date", "minutes", "category", "school", "teachers", "notes"] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export const REQUIRED_FIELDS: readonly ImportField[] = ["date", "minutes", "category"];
export const FIELD_LABELS: Record<ImportField, string> = {
  date: "Date",
  minutes: "Minutes",
  category: "Activity (category)",
  school: "School",
  teachers: "Teachers",
  notes: "Notes",
};
export const FIELD_HINTS: Record<ImportField, string> = {
  date: "The day of the activity. Google Forms' Timestamp works if the form has no date question.",
  minutes: "Minutes (45), hours and minutes (1:30) or hours (1.5 h).",
  category: "A category's name; other values are matched to a category after the check.",
  school: "School name or code.",
  teachers: "Names or emails, separated by commas or semicolons.",
  notes: "Anything else, kept as the entry's notes.",
};

export type Mapping = Record<ImportField, string>;

// For each field, header patterns from the most to the least telling.
const GUESSES: Record<ImportField, RegExp[]> = {
  date: [/^date$/i, /\bdate\b/i, /date/i, /^day$/i, /\bwhen\b/i, /timestamp/i],
  minutes: [/minutes?/i, /\bmins?\b/i, /duration/i, /^time$/i, /time spent/i, /how long/i, /hours?/i, /length/i],
  category: [/categor/i, /activit/i, /\btype\b/i, /what did you do/i],
  school: [/school/i, /campus/i, /building/i, /\bsite\b/i],
  teachers: [/teachers?/i, /with whom/i, /\bstaff\b/i, /participants?/i],
  notes: [/notes?/i, /comments?/i, /description/i, /details?/i, /summary/i],
};

/** Guesses which column holds which field from the header names (each column used once). */
export function guessMapping(headers: readonly string[]): Mapping {
  const used = new Set<string>();
  const mapping = { date: "", minutes: "", category: "", school: "", teachers: "", notes: "" } satisfies Mapping;
  for (const field of IMPORT_FIELDS) {
    for (const pattern of GUESSES[field]) {
      const header = headers.find((h) => !used.has(h) && pattern.test(h));
      if (header) {
        mapping[field] = header;
        used.add(header);
        break;
      }
    }
  }
  return mapping;
}

export type CsvPreview = { headers: string[]; rows: string[][] };

/** The header row and the first rows of a CSV text (BOM, quotes and quoted newlines handled). */
export async function readPreview(text: string, rowCount = 3): Promise<CsvPreview> {
  // Loaded on demand: only this page needs a CSV parser in the browser.
  const { parse } = await import("csv-parse/browser/esm/sync");
  const records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, to: rowCount + 1 }) as string[][];
  const [head, ...rows] = records;
  return { headers: (head ?? []).map((h) => h.trim()), rows: rows.slice(0, rowCount) };
}
