import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { createInterface } from "node:readline";
import { decodeOp, encodeOp, type SpoolOp, type SpoolOpName } from "./spool-ops.js";

// The planned changes of an import (spool-ops.ts), one JSON array per line, written while the files
// are read and replayed inside one transaction. A first import of a million enrolments plans a
// million inserts; keeping them on disk instead of in memory holds the import's memory flat.

export class SpoolWriter {
  private readonly out: WriteStream;
  private buffer: string[] = [];
  private bufferedChars = 0;
  /** The stream's first error (a full disk: ENOSPC): every later flush and the close throw it. */
  private failure: Error | null = null;
  count = 0;
  /** How many ops of each kind were queued. */
  readonly counts = new Map<SpoolOpName, number>();

  constructor(readonly path: string) {
    this.out = createWriteStream(path);
    // Without a listener a write error would be thrown as an uncaught exception and the import,
    // waiting for "drain", would never end.
    this.out.on("error", (err) => {
      this.failure ??= err;
    });
  }

  /** Queues one op; call `flushIfFull` now and then (it waits for the disk when the buffer is big). */
  push(op: SpoolOp): void {
    const line = JSON.stringify(encodeOp(op));
    this.buffer.push(line);
    this.bufferedChars += line.length + 1;
    this.count++;
    this.counts.set(op.op, (this.counts.get(op.op) ?? 0) + 1);
  }

  async flushIfFull(): Promise<void> {
    if (this.bufferedChars >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join("\n") + "\n";
    this.buffer = [];
    this.bufferedChars = 0;
    if (this.out.write(chunk)) return;
    await new Promise<void>((resolve, reject) => {
      const onDrain = () => {
        this.out.off("error", onError);
        resolve();
      };
      const onError = (err: Error) => {
        this.out.off("drain", onDrain);
        reject(err);
      };
      this.out.once("drain", onDrain);
      this.out.once("error", onError);
    });
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.out.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
    if (this.failure) throw this.failure;
  }
}

/** Replays the ops in order. */
export async function* readSpool(path: string): AsyncGenerator<SpoolOp> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.length > 0) yield decodeOp(JSON.parse(line) as unknown[]);
  }
}

export async function removeSpool(path: string): Promise<void> {
  await rm(path, { force: true });
}
