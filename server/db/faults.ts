// Telling "the database is not there" and "the disk is full" apart from a bug, for both drivers, so
// the edge can answer 503 with a stable code instead of 500 `internal`.

// Socket errors from connecting to or talking with PostgreSQL.
const NETWORK_ERRNOS = new Set(["ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

// SQLSTATEs meaning the server cannot serve us now: class 08 (connection exception), the server
// shutting down or starting up (57P01-57P03), too many connections (53300).
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);

// pg and pg-pool raise these as plain Errors without a code.
const PG_CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Query read timeout$/,
  /is not queryable$/,
  /^Client was closed/,
  /^Cannot use a pool after calling end on the pool$/,
];

/** The error and whatever it wraps (`cause`, an AggregateError's `errors`), nearest first. */
function* chain(err: unknown, depth = 0): Generator<unknown> {
  if (!err || typeof err !== "object" || depth > 5) return;
  yield err;
  if ("cause" in err) yield* chain(err.cause, depth + 1);
  if (err instanceof AggregateError) for (const e of err.errors) yield* chain(e, depth + 1);
}

function codeOf(err: unknown): string {
  return err && typeof err === "object" && "code" in err && typeof err.code === "string" ? err.code : "";
}

/**
 * True when the error says the database could not be reached or stopped answering (refused, reset,
 * timed out, shut down, SQLite locked beyond its busy timeout), as opposed to a query that failed:
 * worth a 503 and a retry, not a bug report.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const e of chain(err)) {
    const code = codeOf(e);
    if (NETWORK_ERRNOS.has(code) || UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
    if (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_")) return true;
    const message = e instanceof Error ? e.message : "";
    if (!code && PG_CONNECTION_MESSAGES.some((m) => m.test(message))) return true;
  }
  return false;
}

/** True when the database could not write for lack of space: SQLite's SQLITE_FULL, PostgreSQL's disk_full (53100). */
export function isStorageFull(err: unknown): boolean {
  for (const e of chain(err)) {
    const code = codeOf(e);
    // SQLite's and PostgreSQL's own codes, and the file system's (a roster import's working files).
    if (code === "SQLITE_FULL" || code === "53100" || code === "ENOSPC" || code === "EDQUOT") return true;
  }
  return false;
}

/**
 * True when a PostgreSQL statement outside a transaction certainly did not take effect because its
 * connection was already gone: the write to the socket failed (EPIPE), pg refused to send it (the
 * client is not queryable), or the server had ended the session (57P01-57P03; an autocommit statement
 * it was running is rolled back). Such a statement may be sent again on a fresh connection.
 */
export function wasNeverApplied(err: unknown): boolean {
  for (const e of chain(err)) {
    const code = codeOf(e);
    if (code === "EPIPE" || code === "57P01" || code === "57P02" || code === "57P03") return true;
    const message = e instanceof Error ? e.message : "";
    if (!code && (/is not queryable$/.test(message) || /^Client was closed/.test(message))) return true;
  }
  return false;
}
