import { CompiledQuery, type Kysely } from "kysely";
import type { DB } from "./schema.js";

// Bulk loading on PostgreSQL by `COPY … FROM STDIN` (pg-copy-streams), through Kysely so that it
// runs on the connection, and in the transaction, of the Kysely instance it is given. The one
// parameter of the raw query is a CopySource; the pool's client (db/index.ts) sees it and streams
// the rows in place of running a plain query. Rows go in PostgreSQL's text format.

/** The data of one `COPY … FROM STDIN`: chunks of PostgreSQL's text format, produced as the server takes them. */
export class CopySource {
  constructor(readonly chunks: AsyncIterable<string>) {}
}

const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** One value in COPY's text format: `\N` for null, backslash, tab and line ends escaped. */
export function copyValue(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  const text = typeof value === "string" ? value : String(value);
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] ?? c) : text;
}

/** Rows as COPY text, about 256 KiB per chunk. */
async function* copyChunks(rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>): AsyncGenerator<string> {
  let chunk = "";
  for await (const row of rows) {
    let line = "";
    for (let i = 0; i < row.length; i++) line += (i === 0 ? "" : "\t") + copyValue(row[i]);
    chunk += line + "\n";
    if (chunk.length >= 1 << 18) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk.length > 0) yield chunk;
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Streams `rows` (values in `columns` order) into `table` by COPY, on `db`'s connection (use a
 * transaction's to make it part of it). PostgreSQL only. Returns the number of rows copied.
 */
export async function copyInto(
  db: Kysely<DB>,
  table: string,
  columns: readonly string[],
  rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>,
): Promise<number> {
  // Identifiers cannot be bound parameters: table and column names come from our own code, quoted.
  const text = `copy ${quoteIdent(table)} (${columns.map(quoteIdent).join(", ")}) from stdin`;
  const result = await db.executeQuery(CompiledQuery.raw(text, [new CopySource(copyChunks(rows))]));
  return Number(result.numAffectedRows ?? 0);
}
