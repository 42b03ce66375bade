// Chat posts are plain text. Links are found here, once, for every renderer (the room, the archive
// page): only http and https addresses become links, and the renderer gives them
// rel="noopener nofollow ugc". Everything else, HTML and script included, stays text.

export type TextPiece = { kind: "text"; text: string } | { kind: "link"; text: string; href: string };

export const SAFE_LINK_REL = "noopener nofollow ugc";

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Punctuation that usually ends a sentence rather than a link.
const TRAILING = /[.,;:!?)\]}]+$/;

/** Splits post text into text and safe links (http/https only, parsed by URL). */
export function linkify(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    let raw = match[0];
    const trail = TRAILING.exec(raw);
    if (trail) raw = raw.slice(0, raw.length - trail[0].length);
    let href: string | null = null;
    try {
      const url = new URL(raw);
      if (url.protocol === "http:" || url.protocol === "https:") href = url.href;
    } catch {
      href = null;
    }
    if (!href) continue;
    if (start > last) pieces.push({ kind: "text", text: text.slice(last, start) });
    pieces.push({ kind: "link", text: raw, href });
    last = start + raw.length;
  }
  if (last < text.length) pieces.push({ kind: "text", text: text.slice(last) });
  return pieces;
}
