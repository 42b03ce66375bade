import { isAscii, isUtf8 } from "node:buffer";
import { pipeline, Transform, type Readable, type TransformCallback } from "node:stream";
import chardet from "chardet";
import iconv from "iconv-lite";
import { ROSTER_ENCODING_LABELS, isRosterEncoding, type RosterEncoding } from "../../../shared/roster-encodings.js";
import { CsvReadError } from "./csv-reader.js";

// Roster files reach the CSV reader as UTF-8 bytes, and only as text that was really there: a
// decoder that swaps bad bytes for U+FFFD turned "José Müller" in a Windows-1252 export into
// "Jos� M�ller" in the directory, silently. UTF-8 (the default) is checked strictly, with its BOM
// left for the reader; a file that is not UTF-8 is refused with the line of the first bad bytes and
// a guess at its encoding (chardet), and read again in the encoding the admin names (iconv-lite,
// chunk by chunk, so a 200 MiB file is never held whole).

const LF = 0x0a;
const REPLACEMENT = "\ufffd";

function countLf(buf: Buffer, end = buf.length): number {
  let n = 0;
  for (let at = buf.indexOf(LF); at !== -1 && at < end; at = buf.indexOf(LF, at + 1)) n++;
  return n;
}

/** Bytes at the end of `buf` that start a UTF-8 sequence the next chunk completes (0 to 3). */
function incompleteTail(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back] ?? 0;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** The offset of the first byte that is not part of valid UTF-8 (only called once a chunk failed). */
function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i] ?? 0;
    const need = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (need === 0) return i;
    if (need > 1 && !isUtf8(buf.subarray(i, i + need))) return i;
    i += need;
  }
  return buf.length;
}

/** Our name for one of chardet's; Latin-1 reads as Windows-1252, its superset in text (Excel on Windows writes 1252). */
function ourName(chardetName: string): RosterEncoding | null {
  const name = chardetName.toLowerCase();
  if (name === "iso-8859-1") return "windows-1252";
  return isRosterEncoding(name) && name !== "utf-8" ? name : null;
}

/**
 * The encoding `sample` is most likely in. chardet ranks candidates by byte statistics, which a
 * roster's few non-ASCII bytes among its ASCII ids and emails barely move (it ranks Shift_JIS names
 * as Windows-1252); so each candidate must read the sample without a byte it has no meaning for,
 * and the one that reads the most non-ASCII characters as letters wins, chardet's order breaking ties.
 */
export function guessEncoding(sample: Buffer): RosterEncoding | null {
  // A sample cut inside a multi-byte character would count against the right encoding.
  const lastLf = sample.lastIndexOf(LF);
  const text = lastLf > 0 ? sample.subarray(0, lastLf) : sample;
  const candidates = [...new Set(chardet.analyse(text).flatMap((m) => ourName(m.name) ?? []))];
  let best: { encoding: RosterEncoding; score: number } | null = null;
  for (const encoding of candidates) {
    const decoded = iconv.decode(text, encoding);
    if (decoded.includes(REPLACEMENT)) continue;
    const nonAscii = decoded.match(/[^\p{ASCII}]/gu) ?? [];
    const letters = nonAscii.filter((c) => /\p{L}/u.test(c)).length;
    const score = nonAscii.length === 0 ? 0 : letters / nonAscii.length;
    if (best === null || score > best.score) best = { encoding, score };
  }
  return best?.encoding ?? null;
}

function notUtf8Message(line: number, guess: RosterEncoding | null): string {
  const choose = (name: string) =>
    `Import it again choosing its encoding: "${ROSTER_ENCODING_LABELS[name as RosterEncoding] ?? name}" under Encoding on the page, --encoding ${name} on the command line, encoding=${name} in the API`;
  const what = guess ? `it is most likely ${guess}` : "its encoding could not be guessed (Windows-1252 is the most common for files saved by Excel)";
  return `the file is not UTF-8 text: line ${line} has bytes that are not UTF-8; ${what}. ${choose(guess ?? "windows-1252")}`;
}

type Decoder = {
  /** The chunk's text as UTF-8 bytes; throws CsvReadError at bytes that are not text in the encoding. */
  write(chunk: Buffer): Buffer;
  end(): Buffer | null;
};

/** How much of the file from the first bad line on chardet sees: enough for a few hundred names. */
const SAMPLE_BYTES = 64 * 1024;

/**
 * Checks UTF-8 strictly and passes the bytes on as they are. With a `fallback` encoding (the one the
 * admin chose), a file whose first bad bytes come after nothing but ASCII is read in that encoding
 * from there on (its ASCII reads the same in it); a file that is valid UTF-8 stays UTF-8, so in a
 * set where only users.csv was saved by Excel the other files keep their accents.
 */
class StrictUtf8 implements Decoder {
  private carry: Buffer | null = null;
  private lines = 1;
  private isAsciiSoFar = true;
  private transcoder: Transcode | null = null;

  constructor(private readonly fallback: string | null) {}

  /** Once bad bytes are found: their line, and the file from that line on, gathered for the guess. */
  private failure: { line: number; sample: Buffer[]; bytes: number } | null = null;

  write(chunk: Buffer): Buffer {
    if (this.transcoder) return this.transcoder.write(chunk);
    if (this.failure) return this.gather(chunk);
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const tail = incompleteTail(buf);
    const body = tail > 0 ? buf.subarray(0, buf.length - tail) : buf;
    this.carry = tail > 0 ? Buffer.from(buf.subarray(buf.length - tail)) : null;
    if (!isUtf8(body)) {
      if (this.fallback !== null && this.isAsciiSoFar) {
        this.carry = null;
        this.transcoder = new Transcode(this.fallback, this.lines);
        return this.transcoder.write(buf);
      }
      const at = firstInvalidUtf8(body);
      const lineStart = body.lastIndexOf(LF, at) + 1;
      this.failure = { line: this.lines + countLf(body, at), sample: [], bytes: 0 };
      return this.gather(buf.subarray(lineStart));
    }
    this.lines += countLf(body);
    if (this.isAsciiSoFar && this.fallback !== null) this.isAsciiSoFar = isAscii(body);
    return body;
  }

  /** Nothing more is passed on; the error goes once the sample is big enough (or the file ends). */
  private gather(chunk: Buffer): Buffer {
    const failure = this.failure;
    if (!failure) return chunk;
    failure.sample.push(chunk);
    failure.bytes += chunk.length;
    if (failure.bytes >= SAMPLE_BYTES) this.fail();
    return Buffer.alloc(0);
  }

  private fail(): never {
    const line = this.failure?.line ?? this.lines;
    const sample = Buffer.concat(this.failure?.sample ?? (this.carry ? [this.carry] : [])).subarray(0, SAMPLE_BYTES);
    const guess = guessEncoding(sample);
    throw new CsvReadError(notUtf8Message(line, guess), line, guess);
  }

  end(): Buffer | null {
    if (this.transcoder) return this.transcoder.end();
    if (this.carry && this.fallback !== null && this.isAsciiSoFar) {
      this.transcoder = new Transcode(this.fallback, this.lines);
      return Buffer.concat([this.transcoder.write(this.carry), this.transcoder.end() ?? Buffer.alloc(0)]);
    }
    if (this.failure || this.carry) this.fail();
    return null;
  }
}

/** Decodes from `encoding` with iconv-lite; bytes with no meaning in it are refused, not replaced. */
class Transcode implements Decoder {
  private readonly decoder: iconv.DecoderStream;
  constructor(
    private readonly encoding: string,
    private lines = 1,
  ) {
    this.decoder = iconv.getDecoder(encoding);
  }

  private pass(text: string | undefined): Buffer {
    if (!text) return Buffer.alloc(0);
    const bad = text.indexOf(REPLACEMENT);
    if (bad !== -1) {
      const line = this.lines + (text.slice(0, bad).match(/\n/g)?.length ?? 0);
      throw new CsvReadError(`line ${line} has bytes that mean nothing in ${this.encoding}: the file is in another encoding; choose that one`, line);
    }
    this.lines += text.match(/\n/g)?.length ?? 0;
    return Buffer.from(text, "utf8");
  }

  write(chunk: Buffer): Buffer {
    return this.pass(this.decoder.write(chunk));
  }

  end(): Buffer | null {
    return this.pass(this.decoder.end());
  }
}

/** Picks the decoder from the chosen encoding, or from a UTF-16 BOM, once the first bytes are in. */
class RosterTextDecoder extends Transform {
  private decoder: Decoder | null = null;
  private head: Buffer | null = null;

  constructor(private readonly encoding: RosterEncoding | null) {
    super();
  }

  private decoderFor(first: Buffer): Decoder {
    // A BOM says what the file is, whatever was chosen. UTF-16 text is mostly NUL bytes and ASCII,
    // which would pass as UTF-8; a UTF-8 BOM is left for the CSV reader to skip.
    if (first[0] === 0xff && first[1] === 0xfe) return new Transcode("utf-16le");
    if (first[0] === 0xfe && first[1] === 0xff) return new Transcode("utf-16be");
    if (first[0] === 0xef && first[1] === 0xbb) return new StrictUtf8(null);
    const chosen = this.encoding === "utf-8" ? null : this.encoding;
    // UTF-16 shares no bytes with ASCII: a file chosen as UTF-16 is read as that from its first byte.
    if (chosen === "utf-16le" || chosen === "utf-16be") return new Transcode(chosen);
    return new StrictUtf8(chosen);
  }

  private feed(buf: Buffer): void {
    const decoder = this.decoder ?? (this.decoder = this.decoderFor(buf));
    const out = decoder.write(buf);
    if (out.length > 0) this.push(out);
  }

  override _transform(chunk: Buffer | string, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      let buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
      if (this.decoder === null) {
        buf = this.head ? Buffer.concat([this.head, buf]) : buf;
        this.head = null;
        if (buf.length < 2) {
          this.head = buf;
          return done();
        }
      }
      this.feed(buf);
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      if (this.head) this.feed(this.head);
      const out = this.decoder?.end();
      if (out && out.length > 0) this.push(out);
      done();
    } catch (err) {
      done(err as Error);
    }
  }
}

/**
 * The file's text as UTF-8 bytes, read in `encoding` (null: UTF-8, strictly, or UTF-16 by its BOM).
 * Text that is not in that encoding ends the stream with a CsvReadError naming the line.
 */
export function decodeRosterText(input: Readable, encoding: RosterEncoding | null): Readable {
  // pipeline passes an error of either side to the other and destroys both, so a reader that
  // stops early (the CSV reader destroys its input) closes the file or zip entry too.
  return pipeline(input, new RosterTextDecoder(encoding), () => undefined);
}
