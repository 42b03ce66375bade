import { Transform, type Readable, type TransformCallback } from "node:stream";
import { CsvError, parse } from "csv-parse";

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

class ByteLimit extends Transform {
  private seen = 0;
  constructor(
    private readonly maxBytes: number,
    private readonly onBytes?: (bytes: number) => void,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    this.onBytes?.(chunk.length);
    if (this.seen > this.maxBytes) {
      done(new CsvReadError(`the file is larger than ${formatMiB(this.maxBytes)}, the most one import reads`, null));
      return;
    }
    done(null, chunk);
  }
}

export function formatMiB(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MiB`;
}

function newlinesIn(cells: readonly string[]): number {
  let n = 0;
  for (const cell of cells) {
    if (cell.length === 0) continue;
    let at = cell.indexOf("\n");
    while (at !== -1) {
      n++;
      at = cell.indexOf("\n", at + 1);
    }
  }
  return n;
}

function isBlank(cells: readonly string[]): boolean {
  return cells.length === 1 && (cells[0] ?? "").trim() === "";
}

function describeCsvError(err: CsvError): string {
  switch (err.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return "a quoted field is never closed (the file may be cut off, or a quote is missing)";
    case "CSV_INVALID_CLOSING_QUOTE":
      return "a quoted field is followed by other characters before the next comma";
    default:
      return err.message.replace(/ at line \d+.*/s, "");
  }
}

async function* recordBatches(input: Readable, opts: CsvReadOptions): AsyncGenerator<CsvRecord[]> {
  const batchSize = opts.batchSize ?? 2000;
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  const limited = new ByteLimit(opts.maxBytes, opts.onBytes);
  let failure: Error | null = null;
  let ended = false;
  const fail = (err: Error) => {
    failure ??= err;
    parser.destroy();
  };
  input.on("error", fail);
  limited.on("error", fail);
  parser.on("error", (err) => {
    failure ??= err;
  });
  parser.on("end", () => {
    ended = true;
  });
  input.pipe(limited).pipe(parser);

  // A record starts on the line after the previous one ended; quoted newlines make a record span lines.
  let nextLine = 1;
  try {
    for (;;) {
      const batch: CsvRecord[] = [];
      let cells: unknown;
      while (batch.length < batchSize && (cells = parser.read()) !== null) {
        const record = cells as string[];
        const line = nextLine;
        nextLine += 1 + newlinesIn(record);
        if (!isBlank(record)) batch.push({ line, cells: record });
      }
      if (batch.length > 0) {
        yield batch;
        continue;
      }
      if (failure) throw failure;
      if (ended) return;
      await new Promise<void>((resolve) => {
        const wake = () => {
          parser.off("readable", wake);
          parser.off("end", wake);
          parser.off("error", wake);
          parser.off("close", wake);
          resolve();
        };
        parser.on("readable", wake);
        parser.on("end", wake);
        parser.on("error", wake);
        parser.on("close", wake);
      });
    }
  } catch (err) {
    if (err instanceof CsvReadError) throw new CsvReadError(err.message, err.line ?? nextLine);
    if (err instanceof CsvError) {
      const line = typeof err.lines === "number" ? err.lines : nextLine;
      throw new CsvReadError(describeCsvError(err), line);
    }
    throw new CsvReadError(`the file could not be read to the end: ${err instanceof Error ? err.message : String(err)}`, nextLine);
  } finally {
    input.unpipe();
    if (!ended) {
      parser.destroy();
      input.destroy();
    }
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
