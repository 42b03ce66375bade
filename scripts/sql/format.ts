// Lays out the one-line SQL that Kysely compiles so a reviewer can read it: each clause on its
// own line, `and`/`or` of a condition one per line, subqueries indented. Only whitespace changes:
// strings and quoted names are copied as they are, and a test checks that removing the added
// whitespace gives back Kysely's text. (A full formatter such as sql-formatter would need a new
// dependency; Kysely's output is regular enough for these few rules.)

const CLAUSES = [
  "with",
  "select",
  "from",
  "inner join",
  "left join",
  "right join",
  "full join",
  "cross join",
  "join",
  "where",
  "group by",
  "having",
  "order by",
  "limit",
  "offset",
  "insert into",
  "values",
  "update",
  "set",
  "delete from",
  "on conflict",
  "do update set",
  "returning",
  "union all",
  "union",
  "for update",
];
const CONDITIONS = ["and", "or"];

type Token = { text: string; kind: "word" | "quoted" | "open" | "close" | "other" | "space" };

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql.charAt(i);
    if (c === "'" || c === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) break;
        if (sql.charAt(j) === c) {
          if (sql.charAt(j + 1) === c) j += 2; // doubled quote inside
          else break;
        } else j++;
      }
      tokens.push({ text: sql.slice(i, j + 1), kind: "quoted" });
      i = j + 1;
    } else if (/\s/.test(c)) {
      let j = i;
      while (j < sql.length && /\s/.test(sql.charAt(j))) j++;
      tokens.push({ text: " ", kind: "space" });
      i = j;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < sql.length && /[A-Za-z0-9_]/.test(sql.charAt(j))) j++;
      tokens.push({ text: sql.slice(i, j), kind: "word" });
      i = j;
    } else if (c === "(") {
      tokens.push({ text: c, kind: "open" });
      i++;
    } else if (c === ")") {
      tokens.push({ text: c, kind: "close" });
      i++;
    } else {
      tokens.push({ text: c, kind: "other" });
      i++;
    }
  }
  return tokens;
}

/** The clause keyword (one or more words) starting at token `i`, if any. */
function clauseAt(tokens: Token[], i: number, keywords: readonly string[]): { keyword: string; end: number } | undefined {
  for (const keyword of keywords) {
    const words = keyword.split(" ");
    let k = i;
    let isMatch = true;
    for (const [w, word] of words.entries()) {
      if (w > 0) {
        if (tokens[k]?.kind !== "space") {
          isMatch = false;
          break;
        }
        k++;
      }
      const t = tokens[k];
      if (t?.kind !== "word" || t.text.toLowerCase() !== word) {
        isMatch = false;
        break;
      }
      k++;
    }
    if (isMatch) return { keyword, end: k };
  }
  return undefined;
}

/** Kysely's one-line SQL laid out over several lines; the tokens are unchanged. */
export function formatSql(sql: string): string {
  const tokens = tokenize(sql.trim());
  // One frame per open parenthesis: whether it holds a statement (laid out) or an expression (inline).
  const frames: { isStatement: boolean; indent: number; base: number }[] = [{ isStatement: true, indent: 0, base: 0 }];
  let line = "";
  const lines: string[] = [];
  const newline = (indent: number) => {
    if (line.trim() !== "") lines.push(line.replace(/\s+$/, ""));
    line = " ".repeat(indent);
  };
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    if (!t) break;
    const frame = frames[frames.length - 1] ?? { isStatement: true, indent: 0, base: 0 };
    // A clause keyword is a word at a token boundary (start, after a space or a parenthesis).
    const prev = tokens[i - 1];
    const isBoundary = prev === undefined || prev.kind === "space" || prev.kind === "open";
    if (t.kind === "word" && isBoundary && frame.isStatement) {
      const clause = clauseAt(tokens, i, CLAUSES);
      if (clause) {
        newline(frame.indent);
        line += tokens.slice(i, clause.end).map((x) => x.text).join("");
        i = clause.end;
        continue;
      }
      const condition = clauseAt(tokens, i, CONDITIONS);
      if (condition && frame.isStatement) {
        newline(frame.indent + 2);
        line += t.text;
        i++;
        continue;
      }
    }
    if (t.kind === "open") {
      // "(select …" or "(with …": a subquery, laid out one level deeper.
      let k = i + 1;
      while (tokens[k]?.kind === "space") k++;
      const isStatement = clauseAt(tokens, k, ["select", "with"]) !== undefined;
      // Nested under the line it opens on (a `where … in (` line may itself be indented).
      const base = line.length - line.trimStart().length;
      frames.push({ isStatement, indent: base + 2, base });
      line += t.text;
      if (isStatement) newline(base + 2);
      i++;
      continue;
    }
    if (t.kind === "close") {
      const closing = frames.pop();
      if (frames.length === 0) frames.push({ isStatement: true, indent: 0, base: 0 });
      if (closing?.isStatement) newline(closing.base);
      line += t.text;
      i++;
      continue;
    }
    if (t.kind === "space" && line.trim() === "") {
      i++; // no space at the start of a line
      continue;
    }
    line += t.text;
    i++;
  }
  newline(0);
  return lines.join("\n");
}
