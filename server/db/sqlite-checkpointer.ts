import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type SQLite from "better-sqlite3";

// SQLite copies the WAL back into the database file (a checkpoint) on the connection that commits,
// once the WAL holds 1,000 pages. better-sqlite3 is synchronous, so that copy ran on the event loop:
// after a first roster import of 60,000 students (about 25,000 pages in the WAL) every request waited
// for it, close to a second. Here the writer never checkpoints; a worker thread with its own
// connection does, shortly after commits, in PASSIVE mode: it copies what no reader still needs and
// never waits for (or holds up) a writer or a reader. Should the worker fail, the writer goes back
// to checkpointing by itself.

/** Pages in the WAL before the writer checkpoints by itself again (SQLite's default). */
const AUTOCHECKPOINT_PAGES = 1000;
/** Commits close together share one checkpoint. */
const CHECKPOINT_DELAY_MS = 100;
/** A WAL file left larger than this is cut back to it once it is reused (a large import grows it). */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

// Plain JavaScript, evaluated as the worker's script: no build step, the same under tsx and node.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driverPath);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("busy_timeout = 0");
let timer = null;
const checkpoint = () => {
  timer = null;
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (err) {
    // SQLITE_BUSY and the like: the next commit asks again.
  }
};
parentPort.on("message", (message) => {
  if (message === "commit") {
    if (!timer) timer = setTimeout(checkpoint, workerData.delayMs);
  } else if (message === "close") {
    if (timer) clearTimeout(timer);
    db.close();
    parentPort.close();
  }
});
`;

/** Checkpoints one SQLite database file's WAL on a worker thread. */
export class BackgroundCheckpointer {
  #worker: Worker | null;
  #exited: Promise<void>;

  private constructor(
    private readonly writer: SQLite.Database,
    worker: Worker,
  ) {
    this.#worker = worker;
    this.#exited = new Promise((resolve) => worker.once("exit", () => resolve()));
    worker.on("error", () => this.#fallBack());
    worker.once("exit", () => this.#fallBack());
    // A server (or a command) ends when its own work is done, not when this thread is idle.
    worker.unref();
  }

  /** Starts a checkpointer for the writer's file and turns the writer's own checkpoints off. */
  static start(writer: SQLite.Database): BackgroundCheckpointer {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file: writer.name, driverPath: createRequire(import.meta.url).resolve("better-sqlite3"), delayMs: CHECKPOINT_DELAY_MS },
      // The thread holds a connection and a timer, nothing more.
      resourceLimits: { maxOldGenerationSizeMb: 16 },
    });
    writer.pragma("wal_autocheckpoint = 0");
    writer.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    return new BackgroundCheckpointer(writer, worker);
  }

  /** After a commit: checkpoint soon. */
  committed(): void {
    this.#worker?.postMessage("commit");
  }

  /** Stops the worker (its connection closed first, so the writer's close is the last and checkpoints). */
  async close(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return;
    this.#worker = null;
    // Held until it has gone: a command awaiting this close has nothing else keeping it running.
    worker.ref();
    worker.postMessage("close");
    let timer: NodeJS.Timeout | undefined;
    const hasExited = await Promise.race([
      this.#exited.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), 2000);
      }),
    ]);
    clearTimeout(timer);
    // terminate() on a thread that has already gone never settles: only for one that did not stop.
    if (!hasExited) await worker.terminate();
  }

  #fallBack(): void {
    if (!this.#worker) return;
    this.#worker = null;
    if (this.writer.open) this.writer.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  }
}
