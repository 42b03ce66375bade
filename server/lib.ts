import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { v7 as uuidv7 } from "uuid";

/** Time-ordered unique id (UUIDv7), the primary key of every table. */
export const newId = (): string => uuidv7();

export const nowIso = (): string => new Date().toISOString();

export const addMinutes = (iso: string, minutes: number): string =>
  new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/** A URL-safe random secret with `bytes` of entropy. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString("base64url");

/** Secrets are stored only as SHA-256 hashes: a stolen database yields no usable tokens. */
export const sha256 = (value: string): string => createHash("sha256").update(value).digest("hex");

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** Lower-cased, accent-free form used for sorting and prefix search, identical on both dialects. */
export function fold(value: string): string {
  return value.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** The smallest string greater than every string starting with `prefix` (bytewise order). */
export function prefixUpperBound(prefix: string): string {
  const chars = Array.from(prefix);
  const last = chars.pop();
  if (last === undefined) return "\u{10FFFF}";
  const code = last.codePointAt(0) ?? 0;
  // Skip the surrogate range, which is not a valid code point on its own.
  const next = code + 1 === 0xd800 ? 0xe000 : code + 1;
  return chars.join("") + String.fromCodePoint(Math.min(next, 0x10ffff));
}

export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

/** Decodes a cursor made by encodeCursor (of `arity` values, when given); `undefined` when it is malformed. */
export function decodeCursor(cursor: string, arity?: number): (string | number)[] | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > 8) return undefined;
    if (arity !== undefined && parsed.length !== arity) return undefined;
    if (!parsed.every((v) => typeof v === "string" || typeof v === "number")) return undefined;
    return parsed as (string | number)[];
  } catch {
    return undefined;
  }
}
