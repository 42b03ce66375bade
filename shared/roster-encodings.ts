// The text encodings a roster file may be read in. UTF-8 is the default and is read strictly: a
// file that is not valid UTF-8 is refused with a guess at what it is, and the admin picks one of
// these (the page's select, `--encoding` on the command line, `encoding=` in the API).

export const ROSTER_ENCODINGS = [
  "utf-8",
  "windows-1252",
  "iso-8859-1",
  "iso-8859-15",
  "macintosh",
  "windows-1250",
  "windows-1251",
  "shift_jis",
  "euc-jp",
  "gb18030",
  "big5",
  "euc-kr",
  "utf-16le",
  "utf-16be",
] as const;
export type RosterEncoding = (typeof ROSTER_ENCODINGS)[number];

/** What the page's select shows for each encoding. */
export const ROSTER_ENCODING_LABELS: Record<RosterEncoding, string> = {
  "utf-8": "UTF-8 (the default)",
  "windows-1252": "Windows-1252 (Western European; Excel on Windows)",
  "iso-8859-1": "ISO-8859-1 (Latin-1)",
  "iso-8859-15": "ISO-8859-15 (Latin-9)",
  macintosh: "Mac OS Roman",
  "windows-1250": "Windows-1250 (Central European)",
  "windows-1251": "Windows-1251 (Cyrillic)",
  shift_jis: "Shift_JIS (Japanese)",
  "euc-jp": "EUC-JP (Japanese)",
  gb18030: "GB18030 (Chinese, simplified)",
  big5: "Big5 (Chinese, traditional)",
  "euc-kr": "EUC-KR (Korean)",
  "utf-16le": "UTF-16 LE",
  "utf-16be": "UTF-16 BE",
};

export function isRosterEncoding(name: string): name is RosterEncoding {
  return (ROSTER_ENCODINGS as readonly string[]).includes(name);
}
