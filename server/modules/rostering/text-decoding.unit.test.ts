import { Readable } from "node:stream";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import type { RosterEncoding } from "../../../shared/roster-encodings.js";
import { CsvReadError } from "./csv-reader.js";
import { decodeRosterText, guessEncoding } from "./text-decoding.js";

/** The decoded text, the file fed in chunks of `size` bytes (so characters are cut between chunks). */
async function decode(bytes: Buffer, encoding: RosterEncoding | null, size = 3): Promise<string> {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  const out: Buffer[] = [];
  for await (const c of decodeRosterText(Readable.from(chunks), encoding)) out.push(c as Buffer);
  return Buffer.concat(out).toString("utf8");
}

async function refusal(bytes: Buffer, encoding: RosterEncoding | null, size = 3): Promise<CsvReadError> {
  const err = await decode(bytes, encoding, size).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof CsvReadError)) throw new Error(`expected a CsvReadError, got ${String(err)}`);
  return err;
}

const LATIN = "sourcedId,givenName,familyName\n1,Ada,Lovelace\n2,José,Müller\n3,François,Noël\n";
const JAPANESE = "name,email\r\n太郎 山田,t@x.org\r\n花子 佐藤,h@x.org\r\n一郎 鈴木,i@x.org\r\n美咲 高橋,m@x.org\r\n";

describe("decodeRosterText", () => {
  it("passes UTF-8 through unchanged, BOM and characters cut between chunks included", async () => {
    const text = "\ufeffa,b\n1,José Müller 山田 😀\n";
    for (const size of [1, 2, 3, 5, 64]) expect(await decode(Buffer.from(text), null, size)).toBe(text);
  });

  it("refuses Windows-1252 and Shift_JIS read as UTF-8, with the line and the likely encoding", async () => {
    const latin = await refusal(iconv.encode(LATIN, "windows-1252"), null);
    expect(latin.line).toBe(3);
    expect(latin.message).toMatch(/line 3 has bytes that are not UTF-8; it is most likely windows-1252/);
    const japanese = await refusal(iconv.encode(JAPANESE, "shift_jis"), null, 4096);
    expect(japanese.line).toBe(2);
    expect(japanese.message).toMatch(/most likely shift_jis/);
    // The guess also travels as data, for the report to offer.
    expect(latin.suggestedEncoding).toBe("windows-1252");
    expect(japanese.suggestedEncoding).toBe("shift_jis");
  });

  it("refuses a file cut inside a UTF-8 character", async () => {
    const err = await refusal(Buffer.from("a\n\xe5\xb1", "latin1"), null);
    expect(err.line).toBe(2);
  });

  it("reads the chosen encoding intact", async () => {
    expect(await decode(iconv.encode(LATIN, "windows-1252"), "windows-1252")).toBe(LATIN);
    expect(await decode(iconv.encode(JAPANESE, "shift_jis"), "shift_jis")).toBe(JAPANESE);
  });

  it("keeps a UTF-8 file UTF-8 when another encoding was chosen for the set", async () => {
    expect(await decode(Buffer.from(LATIN), "windows-1252")).toBe(LATIN);
    expect(await decode(Buffer.from(`\ufeff${LATIN}`), "shift_jis")).toBe(`\ufeff${LATIN}`);
  });

  it("refuses bytes that mean nothing in the chosen encoding instead of replacing them", async () => {
    const err = await refusal(Buffer.concat([Buffer.from("a,b\n1,"), Buffer.from([0x82, 0xff, 0x0a])]), "shift_jis");
    expect(err.line).toBe(2);
    expect(err.message).toMatch(/mean nothing in shift_jis/);
    expect(err.suggestedEncoding).toBeNull();
  });

  it("reads UTF-16 by its BOM", async () => {
    expect(await decode(iconv.encode(`\ufeff${LATIN}`, "utf-16le"), null)).toBe(LATIN);
    expect(await decode(iconv.encode(`\ufeff${LATIN}`, "utf-16be"), null)).toBe(LATIN);
  });
});

describe("guessEncoding", () => {
  it("names Latin text Windows-1252 and Japanese Shift_JIS or EUC-JP", () => {
    expect(guessEncoding(iconv.encode(LATIN, "latin1"))).toBe("windows-1252");
    expect(guessEncoding(iconv.encode(JAPANESE, "shift_jis"))).toBe("shift_jis");
    expect(guessEncoding(iconv.encode(JAPANESE, "euc-jp"))).toBe("euc-jp");
  });
});
