import type { Readable } from "node:stream";
import type { RosterEncoding } from "../../../shared/roster-encodings.js";

// Streaming CSV reading for roster files: a UTF-8 BOM, CRLF or LF line ends, quoted fields with
// commas and newlines, stray quotes inside unquoted fields (common in SIS exports). Records come in
// batches, each with the file line it starts on, so a 1,000,000-row file is never held in memory
// and the per-record cost stays small.

/** One record and the 1-based line of the file it starts on (the header is line 1). */
export type CsvRecord = { line: number; cells: string[] };

/** A problem that stops reading the file: bad quoting, a file too large, a stream that broke off. */
export class CsvReadError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
    /** For a file that is not UTF-8: the encoding it most likely is, for the report to offer. */
    readonly suggestedEncoding: RosterEncoding | null = null,
  ) {
    super(message);
    this.name = "CsvReadError";
  }
}

export type CsvReadOptions = {
  /** Stop with a CsvReadError past this many bytes. */
  maxBytes: number;
  /** Told how many bytes were read, as they are read. */
  onBytes?: (bytes: number) => void;
  batchSize?: number;
};

export type OpenedCsv = {
  /** The header's cells, trimmed; [] for an empty file. */
  header: string[];
  /** The records after the header, blank lines left out. */
  batches: AsyncGenerator<CsvRecord[]>;
};

export function formatMiB(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MiB`;
}

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const MAX_RECORD_BYTES = 1024 * 1024;

function isBlank(cells: readonly string[]): boolean {
  return cells.length === 1 && (cells[0] ?? "").trim() === "";
}

/**
 * An RFC 4180 tokenizer over bytes. Records are cut at LF (a CR before it is dropped); a line with
 * no quote, nearly every line of a roster export, is split at its commas by `indexOf` with no
 * per-character work; only lines holding a quote take the quoted-field path. Scanning bytes is safe
 * in UTF-8 (a comma, quote or newline byte is never part of another character), and every cell is
 * decoded on its own, so a cell kept in a map does not hold its whole chunk in memory.
 *
 * Written here rather than taken from a library: csv-parse spent 17 s of a 36 s re-import of a
 * 211 MiB export parsing (docs/benchmarks.md); this reads the same files in a fraction of that.
 */
/** A copy of `chunk` with each CR byte made an LF. */
function crToLf(chunk: Buffer): Buffer {
  const out = Buffer.from(chunk);
  for (let at = out.indexOf(CR); at !== -1; at = out.indexOf(CR, at + 1)) out[at] = LF;
  return out;
}

class CsvTokenizer {
  /** Bytes of a record not yet complete, carried to the next chunk. */
  private rest: Buffer | null = null;
  /** The 1-based file line the next record starts on. */
  private line = 1;
  private isFirst = true;
  /** Whether lines end with CR alone (old Mac exports), decided at the first line end. */
  private lineEnds: "lf" | "cr" | null = null;

  /** Appends the complete records of `chunk` (and the end of the file, when `isLast`) to `out`. */
  push(chunk: Buffer, isLast: boolean, out: CsvRecord[]): void {
    let buf = this.rest && this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = null;
    if (this.lineEnds === null) {
      // Any LF means LF or CRLF line ends; a CR followed by anything else, CR alone.
      const cr = buf.indexOf(CR);
      if (buf.indexOf(LF) !== -1) this.lineEnds = "lf";
      else if (cr !== -1 && cr + 1 < buf.length) this.lineEnds = "cr";
      else if (isLast) this.lineEnds = cr === -1 ? "lf" : "cr";
    }
    if (this.lineEnds === "cr") buf = crToLf(buf);
    let pos = 0;
    if (this.isFirst) {
      if (buf.length < 3 && !isLast) {
        this.rest = buf;
        return;
      }
      this.isFirst = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
    }
    const end = buf.length;
    // The next quote at or after `pos`; -1 when the chunk has no more. Found once, not per line.
    let quoteAt = buf.indexOf(QUOTE, pos);
    while (pos < end) {
      let nl = buf.indexOf(LF, pos);
      if (nl === -1) {
        if (!isLast) break;
        nl = end;
      }
      if (quoteAt !== -1 && quoteAt < pos) quoteAt = buf.indexOf(QUOTE, pos);
      if (quoteAt === -1 || quoteAt > nl) {
        const lineEnd = nl > pos && buf[nl - 1] === CR ? nl - 1 : nl;
        const cells: string[] = [];
        let start = pos;
        for (;;) {
          const comma = buf.indexOf(COMMA, start);
          if (comma === -1 || comma >= lineEnd) {
            cells.push(buf.toString("utf8", start, lineEnd));
            break;
          }
          cells.push(buf.toString("utf8", start, comma));
          start = comma + 1;
        }
        if (!isBlank(cells)) out.push({ line: this.line, cells });
        this.line++;
        pos = nl + 1;
        continue;
      }
      const quoted = this.quotedRecord(buf, pos, isLast);
      if (quoted === null) break;
      if (!isBlank(quoted.cells)) out.push({ line: this.line, cells: quoted.cells });
      this.line += quoted.lines;
      pos = quoted.next;
    }
    if (pos < end) {
      // A roster record is a few hundred bytes; one this long is a quote left open, and carrying
      // it from chunk to chunk would read the rest of the file again and again.
      if (end - pos > MAX_RECORD_BYTES) {
        throw new CsvReadError(`a quoted field is never closed (a record runs on past ${formatMiB(MAX_RECORD_BYTES)})`, this.line);
      }
      this.rest = Buffer.from(buf.subarray(pos));
    }
  }

  /**
   * Reads one record that holds a quote, starting at `pos`. Null when the record runs past the
   * bytes so far (more must come). A quote that opens a field starts a quoted field (commas,
   * newlines and doubled quotes inside); a quote inside an unquoted field is kept as it is.
   */
  private quotedRecord(buf: Buffer, pos: number, isLast: boolean): { cells: string[]; next: number; lines: number } | null {
    const end = buf.length;
    const cells: string[] = [];
    let lines = 1;
    let i = pos;
    for (;;) {
      if (buf[i] === QUOTE) {
        const fieldStart = i;
        let value = "";
        let j = i + 1;
        for (;;) {
          const q = buf.indexOf(QUOTE, j);
          if (q === -1) {
            if (!isLast) return null;
            throw new CsvReadError("a quoted field is never closed (the file may be cut off, or a quote is missing)", this.line);
          }
          value += buf.toString("utf8", j, q);
          for (let k = buf.indexOf(LF, j); k !== -1 && k < q; k = buf.indexOf(LF, k + 1)) lines++;
          if (buf[q + 1] === QUOTE) {
            value += '"';
            j = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        cells.push(value);
        if (i >= end) {
          if (!isLast) return null;
          return { cells, next: end, lines };
        }
        const after = buf[i];
        if (after === COMMA) {
          i++;
          continue;
        }
        if (after === LF) return { cells, next: i + 1, lines };
        if (after === CR) {
          if (i + 1 >= end && !isLast) return null;
          if (i + 1 >= end) return { cells, next: end, lines };
          if (buf[i + 1] === LF) return { cells, next: i + 2, lines };
        }
        // Text after the closing quote (`"Smith" Jr`): SIS exports write such cells, and spreadsheet
        // programs read them as they stand, quotes and all, up to the next comma. So does this.
        let stop = buf.indexOf(LF, i);
        if (stop === -1) {
          if (!isLast) return null;
          stop = end;
        }
        const comma = buf.indexOf(COMMA, i);
        const fieldEnd = comma !== -1 && comma < stop ? comma : stop;
        cells[cells.length - 1] = buf.toString("utf8", fieldStart, fieldEnd > fieldStart && fieldEnd === stop && buf[stop - 1] === CR ? stop - 1 : fieldEnd);
        if (fieldEnd === comma) {
          i = comma + 1;
          continue;
        }
        return { cells, next: Math.min(stop + 1, end), lines };
      }
      // An unquoted field: up to the next comma or the end of the line.
      let nl = buf.indexOf(LF, i);
      if (nl === -1) {
        if (!isLast) return null;
        nl = end;
      }
      const comma = buf.indexOf(COMMA, i);
      if (comma !== -1 && comma < nl) {
        cells.push(buf.toString("utf8", i, comma));
        i = comma + 1;
        continue;
      }
      cells.push(buf.toString("utf8", i, nl > i && buf[nl - 1] === CR ? nl - 1 : nl));
      return { cells, next: Math.min(nl + 1, end), lines };
    }
  }
}

async function* recordBatches(input: Readable, opts: CsvReadOptions): AsyncGenerator<CsvRecord[]> {
  const batchSize = opts.batchSize ?? 2000;
  const tokenizer = new CsvTokenizer();
  let seen = 0;
  let batch: CsvRecord[] = [];
  let isDone = false;
  try {
    for await (const data of input as AsyncIterable<Buffer | string>) {
      const chunk = typeof data === "string" ? Buffer.from(data, "utf8") : data;
      seen += chunk.length;
      opts.onBytes?.(chunk.length);
      if (seen > opts.maxBytes) throw new CsvReadError(`the file is larger than ${formatMiB(opts.maxBytes)}, the most one import reads`, null);
      tokenizer.push(chunk, false, batch);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    tokenizer.push(Buffer.alloc(0), true, batch);
    isDone = true;
    if (batch.length > 0) yield batch;
  } catch (err) {
    if (err instanceof CsvReadError) throw err;
    // A stream that breaks off is a damaged or cut-off archive; zlib's own words would not help the admin.
    throw new CsvReadError("the file could not be read to the end: the .zip may be damaged or cut off; export it again", null);
  } finally {
    if (!isDone) input.destroy();
  }
}

/** Reads the header, then hands back the rest as batches of records. Throws CsvReadError for unreadable files. */
export async function openCsv(input: Readable, opts: CsvReadOptions): Promise<OpenedCsv> {
  const all = recordBatches(input, opts);
  const first = await all.next();
  if (first.done || first.value.length === 0) {
    return { header: [], batches: (async function* () {})() };
  }
  const [head, ...rest] = first.value;
  const header = (head?.cells ?? []).map((h) => h.trim());
  async function* batches(): AsyncGenerator<CsvRecord[]> {
    if (rest.length > 0) yield rest;
    yield* all;
  }
  return { header, batches: batches() };
}

/** A header read with the wrong delimiter is one cell holding the others' separators. */
export function guessWrongDelimiter(header: readonly string[]): string | null {
  if (header.length !== 1) return null;
  const only = header[0] ?? "";
  if (only.includes(";")) return "semicolons";
  if (only.includes("\t")) return "tabs";
  if (only.includes("|")) return "vertical bars";
  return null;
}
