import { createReadStream } from "node:fs";
import { open as openFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import yauzl from "yauzl";

// Where a OneRoster set comes from: a folder of CSV files or a .zip holding them (possibly inside
// one folder, as some SIS exports do). Files are opened as streams, one at a time, when read.

export type RosterFile = {
  /** The file's name, lower-cased, without folders: "users.csv" */
  name: string;
  /** Uncompressed size in bytes, when known up front. */
  size: number;
  open(): Promise<Readable>;
};

export type RosterSource = {
  files: Map<string, RosterFile>;
  /** Every other entry, for the "ignored" notice. */
  others: string[];
  close(): Promise<void>;
};

/** Opening failed in a way that says the upload itself is broken (not a zip, cut off, encrypted). */
export class RosterSourceError extends Error {
  /** `cause` keeps the underlying library's error for the server log; `message` is for the admin. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RosterSourceError";
  }
}

/** A folder of CSV files. */
export async function openFolder(dir: string): Promise<RosterSource> {
  const files = new Map<string, RosterFile>();
  const others: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(dir, entry.name);
    const name = entry.name.toLowerCase();
    if (!name.endsWith(".csv")) {
      others.push(entry.name);
      continue;
    }
    const { size } = await stat(full);
    files.set(name, { name, size, open: async () => createReadStream(full) });
  }
  return { files, others, close: async () => undefined };
}

/** True when the file starts like a zip archive ("PK\x03\x04", or an empty archive's "PK\x05\x06"). */
export async function looksLikeZip(file: string): Promise<boolean> {
  const handle = await openFile(file, "r");
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5);
  } finally {
    await handle.close();
  }
}

/** The zip library's words are for programmers: they go to the server log as the error's cause, not into the report. */
function describeZipError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/end of central directory|central directory|unexpected EOF|invalid.*signature|too short/i.test(message)) {
    return "the .zip archive is incomplete or damaged: it may have been cut off while downloading, uploading or copying. Export it again, or open it on your computer to check it";
  }
  return "the .zip archive cannot be read (it may be damaged, encrypted or in a format other than zip). Export it again as a plain .zip";
}

/** A .zip of CSV files; throws RosterSourceError when it is not a readable, complete archive. */
export async function openZip(file: string): Promise<RosterSource> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  } catch (err) {
    throw new RosterSourceError(describeZipError(err), { cause: err });
  }
  const files = new Map<string, RosterFile>();
  const others: string[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      const full = entry.fileName;
      if (full.endsWith("/") || full.startsWith("__MACOSX/") || path.posix.basename(full).startsWith("._")) continue;
      const name = path.posix.basename(full).toLowerCase();
      if (!name.endsWith(".csv")) {
        others.push(full);
        continue;
      }
      if (entry.isEncrypted()) throw new RosterSourceError(`${full} is encrypted; export the files without a password`);
      if (files.has(name)) {
        throw new RosterSourceError(`the archive holds ${name} twice (in different folders); keep one set of files`);
      }
      files.set(name, {
        name,
        size: entry.uncompressedSize,
        open: async () => {
          try {
            return await zip.openReadStreamPromise(entry);
          } catch (err) {
            throw new RosterSourceError(`${name}: ${describeZipError(err)}`, { cause: err });
          }
        },
      });
    }
  } catch (err) {
    zip.close();
    if (err instanceof RosterSourceError) throw err;
    throw new RosterSourceError(describeZipError(err), { cause: err });
  }
  return {
    files,
    others,
    close: async () => {
      if (zip.isOpen) zip.close();
    },
  };
}

/** A folder or a .zip, by what is at `target`. */
export async function openRosterSource(target: string): Promise<RosterSource> {
  const info = await stat(target);
  if (info.isDirectory()) return openFolder(target);
  if (!(await looksLikeZip(target))) {
    throw new RosterSourceError("the file is not a .zip archive; upload the OneRoster export as the .zip your SIS, Clever or ClassLink gave you");
  }
  return openZip(target);
}
