import type SQLite from "better-sqlite3";
import { CompiledQuery, SelectQueryNode, type DatabaseConnection, type Driver, type QueryResult } from "kysely";
import { isStorageFull } from "./faults.js";
import type { BackgroundCheckpointer } from "./sqlite-checkpointer.js";

// Kysely's SqliteDriver shares one connection behind a lock: while a long transaction (a first roster
// import) held it, every other query waited, reads included, and /readyz timed out. This driver keeps
// that lock for writes and transactions only. A read made outside a transaction goes to a second,
// read-only connection, which in WAL mode sees the last committed state while the writer works.
//
// It also fixes two failure paths. SQLite rolls a transaction back by itself on some errors
// (SQLITE_FULL among them), and Kysely's ROLLBACK that followed threw "cannot rollback - no transaction
// is active" in place of the error that said the disk was full. And a write that failed for lack of
// space left its frames in the WAL file, which kept the disk full until a restart: the WAL is now
// checkpointed and truncated once the failed write is over.

type Statement = SQLite.Statement<unknown[], unknown>;

/**
 * The writer's lock, first come, first served, handed straight to the next in line. (Kysely's own
 * mutex wakes every waiter on each release and all but one go back to sleep: with a backlog of a
 * thousand writes that is a thousand wake-ups per commit, so the slower the server fell behind the
 * slower each commit became. Filing 200 tickets a second on SQLite went from a p50 of 38 ms to a p99
 * of 12.9 s that way; docs/benchmarks.md.)
 */
class WriteLock {
  #held = false;
  readonly #waiting: (() => void)[] = [];
  #next = 0;
  /** True while a write or a transaction has the writer (or is next in line for it). */
  get isHeld(): boolean {
    return this.#held;
  }
  async lock(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }
  unlock(): void {
    const next = this.#waiting[this.#next];
    if (next === undefined) {
      this.#held = false;
      this.#waiting.length = 0;
      this.#next = 0;
      return;
    }
    // Still held: it passes to the next in line. A moving index, not shift(): a long queue stays O(1).
    this.#waiting[this.#next++] = undefined as never;
    if (this.#next > 1024 && this.#next * 2 > this.#waiting.length) {
      this.#waiting.splice(0, this.#next);
      this.#next = 0;
    }
    next();
  }
}

function run(stmt: Statement, parameters: readonly unknown[]): QueryResult<unknown> {
  // One array argument, as Kysely's driver binds: a batch may carry 30,000 parameters.
  const bind = parameters as unknown[];
  if (stmt.reader) return { rows: stmt.all(bind) };
  const { changes, lastInsertRowid } = stmt.run(bind);
  return {
    numAffectedRows: changes === undefined || changes === null ? undefined : BigInt(changes),
    insertId: lastInsertRowid === undefined || lastInsertRowid === null ? undefined : BigInt(lastInsertRowid),
    rows: [],
  };
}

/**
 * Prepared statements by SQL text, least recently used dropped first. Kysely's SqliteDriver prepares
 * every query from its text: at a typical district's size that was a large share of a directory
 * request (docs/benchmarks.md), and a roster import re-prepared the same 2,000-row insert hundreds of
 * times. Kysely compiles a query shape to the same text, so a modest cache catches nearly all of
 * them. Bounded by count and by the total length of the SQL (a prepared statement's memory grows
 * with its text: a 30,000-parameter insert is a few MiB). A statement is never run re-entrantly
 * (better-sqlite3 runs each to completion, synchronously); streamed queries prepare their own, as an
 * iterator keeps its statement busy.
 */
class StatementCache {
  readonly #statements = new Map<string, Statement | null>();
  #chars = 0;
  constructor(
    private readonly db: SQLite.Database,
    /** What to keep for a statement; null remembers "not usable here" (a write, on the read-only connection). */
    private readonly accept: (stmt: Statement) => Statement | null = (stmt) => stmt,
  ) {}
  get(sql: string): Statement | null {
    const cached = this.#statements.get(sql);
    if (cached !== undefined) {
      // Refresh its place: a Map iterates in insertion order, so the first key is the least recent.
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    const stmt = this.accept(this.db.prepare(sql) as Statement);
    if (sql.length > STATEMENT_CACHE_CHARS) return stmt;
    this.#statements.set(sql, stmt);
    this.#chars += sql.length;
    for (const key of this.#statements.keys()) {
      if (this.#statements.size <= STATEMENT_CACHE_SIZE && this.#chars <= STATEMENT_CACHE_CHARS) break;
      this.#statements.delete(key);
      this.#chars -= key.length;
    }
    return stmt;
  }
}

/** Statements kept per connection: every query shape of a busy server fits with room to spare. */
const STATEMENT_CACHE_SIZE = 500;
/** …and at most this much SQL text in all (the import's largest statements are ~200 KB of text). */
const STATEMENT_CACHE_CHARS = 4 * 1024 * 1024;

// Raw SQL that may go to the reader: a SELECT (or WITH … SELECT) that SQLite says only reads. Not
// BEGIN (SQLite calls it read-only), not PRAGMAs (they set or read the writer's own state).
const READ_SQL = /^\s*(select|with)\b/i;

/** Gives the space a failed write took in the WAL back to the disk; harmless when there is nothing to give. */
function truncateWal(writer: SQLite.Database): void {
  try {
    writer.pragma("wal_checkpoint(TRUNCATE)");
  } catch {
    // A reader in the middle of a statement, or still no room: the next failed write tries again.
  }
}

class SplitConnection implements DatabaseConnection {
  #inTransaction = false;
  #sawStorageFull = false;
  constructor(
    private readonly writer: SQLite.Database,
    private readonly reader: SQLite.Database | null,
    private readonly writeLock: WriteLock,
    private readonly writerStatements: StatementCache,
    private readonly readerStatements: StatementCache | null,
    private readonly checkpointer: BackgroundCheckpointer | null,
  ) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#inTransaction) return this.#onWriter(compiledQuery) as QueryResult<R>;
    const read = this.#readStatement(compiledQuery);
    if (read) return run(read, compiledQuery.parameters) as QueryResult<R>;
    await this.writeLock.lock();
    try {
      return this.#onWriter(compiledQuery) as QueryResult<R>;
    } finally {
      this.checkpointer?.committed();
      this.writeLock.unlock();
      if (this.#sawStorageFull && !this.writer.inTransaction) {
        this.#sawStorageFull = false;
        truncateWal(this.writer);
      }
    }
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiledQuery.query)) throw new Error("Sqlite driver only supports streaming of select queries");
    const db = this.#inTransaction || !this.reader ? this.writer : this.reader;
    const stmt = db.prepare(compiledQuery.sql) as Statement;
    for (const row of stmt.iterate(compiledQuery.parameters as unknown[])) yield { rows: [row as R] };
  }

  /**
   * For a statement that only reads, made outside a transaction: the writer's statement while nothing
   * holds the writer, else the reader's. A read on the idle writer keeps one warm page cache: SQLite
   * empties a connection's whole page cache when it sees another connection's commit, and every
   * directory page writes an audit row, so reads always on the reader each started cold (the bare
   * route, on one connection, did not). It runs synchronously, so no write can start under it.
   * Null: the statement writes (or the reader cannot prepare it) and goes to the writer behind the lock.
   */
  #readStatement(compiledQuery: CompiledQuery): Statement | null {
    if (!this.readerStatements || !(SelectQueryNode.is(compiledQuery.query) || READ_SQL.test(compiledQuery.sql))) return null;
    try {
      if (!this.writeLock.isHeld) {
        const stmt = this.writerStatements.get(compiledQuery.sql);
        if (stmt?.readonly) return stmt;
        if (stmt) return null;
      }
      return this.readerStatements.get(compiledQuery.sql);
    } catch {
      return null; // let the writer prepare it and report any error
    }
  }

  #onWriter(compiledQuery: CompiledQuery): QueryResult<unknown> {
    try {
      const stmt = this.writerStatements.get(compiledQuery.sql);
      if (!stmt) throw new Error("unreachable: the writer keeps every statement");
      return run(stmt, compiledQuery.parameters);
    } catch (err) {
      if (isStorageFull(err)) this.#sawStorageFull = true;
      throw err;
    }
  }

  async begin(): Promise<void> {
    await this.writeLock.lock();
    try {
      this.writer.exec("begin");
      this.#inTransaction = true;
    } catch (err) {
      this.writeLock.unlock();
      throw err;
    }
  }

  async commit(): Promise<void> {
    try {
      this.writer.exec("commit");
    } catch (err) {
      // Kysely rolls back next and the rollback lets go of the lock.
      if (isStorageFull(err)) this.#sawStorageFull = true;
      throw err;
    }
    this.checkpointer?.committed();
    this.#end();
  }

  async rollback(): Promise<void> {
    try {
      // SQLite may have rolled back already (SQLITE_FULL, SQLITE_IOERR …): a ROLLBACK now would only
      // throw "no transaction is active" over the error that says what happened.
      if (this.writer.inTransaction) this.writer.exec("rollback");
    } finally {
      this.#end();
    }
  }

  /** Lets go of the writer if a transaction was left open (it should not be). */
  release(): void {
    if (!this.#inTransaction) return;
    if (this.writer.inTransaction) this.writer.exec("rollback");
    this.#end();
  }

  #end(): void {
    this.#inTransaction = false;
    this.writeLock.unlock();
    if (this.#sawStorageFull) {
      this.#sawStorageFull = false;
      truncateWal(this.writer);
    }
  }
}

function asSplit(connection: DatabaseConnection): SplitConnection {
  if (!(connection instanceof SplitConnection)) throw new Error("not a connection of this driver");
  return connection;
}

/**
 * A Kysely driver over one writer connection (behind a lock, as Kysely's own) and, when given, one
 * read-only connection for reads outside transactions. Without a reader it behaves as Kysely's
 * SqliteDriver does, with the two failure fixes above.
 */
export class SplitSqliteDriver implements Driver {
  readonly #writeLock = new WriteLock();
  readonly #writerStatements: StatementCache;
  readonly #readerStatements: StatementCache | null;
  constructor(
    private readonly writer: SQLite.Database,
    private readonly reader: SQLite.Database | null,
    private readonly checkpointer: BackgroundCheckpointer | null = null,
  ) {
    this.#writerStatements = new StatementCache(writer);
    // On the reader, a statement that would write is remembered as null: it goes to the writer.
    this.#readerStatements = reader ? new StatementCache(reader, (stmt) => (stmt.readonly ? stmt : null)) : null;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new SplitConnection(this.writer, this.reader, this.#writeLock, this.#writerStatements, this.#readerStatements, this.checkpointer);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await asSplit(connection).begin();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await asSplit(connection).commit();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await asSplit(connection).rollback();
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    asSplit(connection).release();
  }

  async destroy(): Promise<void> {
    await this.checkpointer?.close();
    this.reader?.close();
    this.writer.close();
  }
}
