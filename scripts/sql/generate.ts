// Compiles every repository function's SQL for SQLite and PostgreSQL without a database, into the
// text of the checked-in files under sql/ (`npm run sql` writes them, `npm run sql:check` compares).
// Each function runs with its example arguments (scripts/sql/examples.ts) against a Kysely whose
// driver is Kysely's DummyDriver: nothing connects, every query returns no rows, and `log` records
// the compiled statement. The clock is frozen while they run, and every value that still differs
// between two runs (a new UUIDv7, a random token) is shown as <generated N>, so the files change
// only when the SQL or the examples do.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import {
  DummyDriver,
  Kysely,
  NoResultError,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
} from "kysely";
import type { Dialect } from "../../server/db/index.js";
import type { DB } from "../../server/db/schema.js";
import { formatSql } from "./format.js";

export const DIALECTS: readonly Dialect[] = ["sqlite", "postgres"];

/** What an example's arguments are built from: a recording database of one dialect. */
export type SqlEnv = { db: Kysely<DB>; dialect: Dialect };

type AnyFunction = (...args: never[]) => unknown;

/** One call of a repository function whose SQL goes into the files. */
export type SqlExample = { fn: AnyFunction; name: string; label: string | null; args: (env: SqlEnv) => readonly unknown[] };

/** An exported function of a repository file that runs no SQL of its own, and why. */
export type NotSql = { fn: AnyFunction; name: string; why: string };

export type SqlRegistry = { examples: readonly SqlExample[]; notSql: readonly NotSql[] };

/**
 * An example call of `fn`: `example(fn)(({ db }) => [db, …], label?)`. The argument list is typed by
 * `fn`'s own parameters (hence the two steps: `fn` fixes the type before the list is checked), so
 * a changed signature fails `npm run check` here. Give a `label` to show a second call of the same
 * function (another branch of its SQL).
 */
export function example<F extends AnyFunction>(fn: F): (args: (env: SqlEnv) => Parameters<F>, label?: string) => SqlExample {
  return (args, label) => ({ fn, name: fn.name, label: label ?? null, args });
}

/** Declares that `fn`, exported by a repository file, runs no SQL worth a file entry. */
export function notSql(fn: AnyFunction, why: string): NotSql {
  return { fn, name: fn.name, why };
}

/**
 * Files that hold a module's SQL without the `.repository.ts` name: a repository too large for one
 * file, split along its seams (rostering's loads for the diff and its bulk apply).
 */
const SPLIT_REPOSITORIES = ["server/modules/rostering/rostering.loads.ts", "server/modules/rostering/rostering.apply.ts"];

/** The files whose exported functions must all be covered: every module's repositories (and their split parts), plus two of the platform's. */
export function sqlSources(root: string): string[] {
  const modules = join(root, "server/modules");
  const repositories = readdirSync(modules, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(modules, d.name))
        .filter((f) => f.endsWith(".repository.ts"))
        .map((f) => `server/modules/${d.name}/${f}`),
    );
  return [...repositories, ...SPLIT_REPOSITORIES, "server/platform/jobs.ts", "server/auth/session-store.ts"].sort();
}

/** Where a source file's SQL goes: server/modules/people/people.repository.ts → sql/people/people.repository.sql. */
export function sqlFileOf(source: string): string {
  const parts = source.replace(/\.ts$/, ".sql").split("/");
  return `sql/${parts.slice(-2).join("/")}`;
}

/** A Kysely that compiles for `dialect`, never connects, and hands each statement it would run to `record`. */
function recordingDb(dialect: Dialect, record: (query: CompiledQuery) => void): Kysely<DB> {
  const pg = dialect === "postgres";
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => (pg ? new PostgresAdapter() : new SqliteAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => (pg ? new PostgresIntrospector(db) : new SqliteIntrospector(db)),
      createQueryCompiler: () => (pg ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
    },
    log: (event) => {
      if (event.level === "query") record(event.query);
    },
  });
}

/** The instant the clock shows while examples run. */
export const FROZEN_NOW = "2030-01-01T00:00:00.000Z";

/** Runs `work` with `new Date()` and `Date.now()` fixed at FROZEN_NOW, so timestamps the code takes are stable. */
async function withFrozenClock<T>(work: () => Promise<T>): Promise<T> {
  const RealDate = globalThis.Date;
  const frozen = RealDate.parse(FROZEN_NOW);
  class FrozenDate extends RealDate {
    constructor(...args: [] | [string | number | Date]) {
      if (args.length === 0) super(frozen);
      else super(args[0]);
    }
    static override now(): number {
      return frozen;
    }
  }
  globalThis.Date = FrozenDate as DateConstructor;
  try {
    return await work();
  } finally {
    globalThis.Date = RealDate;
  }
}

type Run = { queries: CompiledQuery[]; error: string | null };

async function runOnce(ex: SqlExample, dialect: Dialect): Promise<Run> {
  const queries: CompiledQuery[] = [];
  const db = recordingDb(dialect, (q) => queries.push(q));
  let error: string | null = null;
  try {
    const result: unknown = await (ex.fn as (...args: readonly unknown[]) => unknown)(...ex.args({ db, dialect }));
    // A generator (paged reads) runs its queries only as it is consumed.
    if (result !== null && typeof result === "object" && Symbol.asyncIterator in result) {
      for await (const _ of result as AsyncIterable<unknown>) {
        // each page's query is recorded as it runs; the dummy database ends it after one
      }
    }
  } catch (err) {
    // The dummy database returns no rows, so `executeTakeFirstOrThrow` throws after its query ran:
    // keep what was compiled up to there.
    error =
      err instanceof NoResultError
        ? "NoResultError (the dummy database returns no rows)"
        : `${err instanceof Error ? err.name : "Error"}: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    await db.destroy();
  }
  return { queries, error };
}

const SENTINEL = "@@kysely-db@@";

function renderValue(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Kysely) return SENTINEL;
    if (typeof v === "function") return "() => …";
    if (typeof v === "bigint") return v.toString();
    return v;
  })
    .replaceAll(`"${SENTINEL}"`, "db")
    .replaceAll('"() => …"', "() => …");
}

function renderCall(ex: SqlExample, env: SqlEnv): string {
  return `${ex.name}(${ex.args(env).map(renderValue).join(", ")})`;
}

function renderParams(parameters: readonly unknown[], generated: ReadonlyMap<unknown, string>): string {
  return `[${parameters.map((p) => generated.get(p) ?? renderValue(p)).join(", ")}]`;
}

/** One dialect's statements for one example, compiled twice to tell generated values from given ones. */
async function renderDialect(ex: SqlExample, dialect: Dialect): Promise<{ text: string; statements: number }> {
  const a = await runOnce(ex, dialect);
  const b = await runOnce(ex, dialect);
  const what = `${ex.name}${ex.label ? ` (${ex.label})` : ""} on ${dialect}`;
  if (a.queries.length !== b.queries.length || a.queries.some((q, i) => q.sql !== b.queries[i]?.sql)) {
    throw new Error(`${what} compiles different SQL on two runs with the same arguments`);
  }
  const generated = new Map<unknown, string>();
  a.queries.forEach((q, i) => {
    q.parameters.forEach((p, j) => {
      if (p !== b.queries[i]?.parameters[j] && !generated.has(p)) generated.set(p, `<generated ${generated.size + 1}>`);
    });
  });
  if (a.queries.length === 0) return { text: `-- ${dialect}: no SQL${a.error ? `; throws ${a.error}` : ""}`, statements: 0 };
  const parts = a.queries.map((q, i) => {
    const heading = a.queries.length > 1 ? `-- ${dialect} ${i + 1}/${a.queries.length}` : `-- ${dialect}`;
    return `${heading}\n${formatSql(q.sql)}\n-- parameters: ${renderParams(q.parameters, generated)}`;
  });
  if (a.error) parts.push(`-- then throws ${a.error}`);
  return { text: parts.join("\n\n"), statements: a.queries.length };
}

export type SqlFileStats = { file: string; source: string; functions: number; examples: number; statements: number };

/** Every sql/ file's text by path, and what each covers; throws when a repository function has no example. */
export async function generateSqlFiles(root: string, registry: SqlRegistry): Promise<{ files: Map<string, string>; stats: SqlFileStats[] }> {
  const sources = sqlSources(root);
  const sourceOf = new Map<unknown, string>();
  const problems: string[] = [];
  const exportedBySource = new Map<string, string[]>();
  for (const source of sources) {
    const mod = (await import(pathToFileURL(join(root, source)).href)) as Record<string, unknown>;
    const names: string[] = [];
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value !== "function") continue;
      names.push(name);
      if (!sourceOf.has(value)) sourceOf.set(value, source);
    }
    exportedBySource.set(source, names);
  }
  const covered = new Set<unknown>([...registry.examples.map((e) => e.fn), ...registry.notSql.map((n) => n.fn)]);
  for (const source of sources) {
    const mod = (await import(pathToFileURL(join(root, source)).href)) as Record<string, unknown>;
    for (const name of exportedBySource.get(source) ?? []) {
      if (!covered.has(mod[name])) {
        problems.push(`${source}: ${name} has no entry in scripts/sql/examples.ts (add an example(…) call, or notSql(…) if it runs no SQL)`);
      }
    }
  }
  for (const e of [...registry.examples, ...registry.notSql]) {
    if (!sourceOf.has(e.fn)) problems.push(`scripts/sql/examples.ts: ${e.name} is not exported by any of ${sources.length} repository files`);
  }
  const labels = new Set<string>();
  for (const e of registry.examples) {
    const key = `${e.name}\u0000${e.label ?? ""}`;
    if (labels.has(key)) problems.push(`scripts/sql/examples.ts: two examples of ${e.name} share the label ${JSON.stringify(e.label)}`);
    labels.add(key);
  }
  if (problems.length > 0) throw new Error(`Reviewable SQL is incomplete:\n  ${problems.join("\n  ")}`);

  const files = new Map<string, string>();
  const stats: SqlFileStats[] = [];
  await withFrozenClock(async () => {
    for (const source of sources) {
      const mine = registry.examples.filter((e) => sourceOf.get(e.fn) === source);
      const skipped = registry.notSql.filter((n) => sourceOf.get(n.fn) === source);
      const file = sqlFileOf(source);
      const blocks: string[] = [
        [
          `-- Generated by \`npm run sql\` from ${source}; do not edit.`,
          `-- Each function runs with its example arguments (scripts/sql/examples.ts) against a database that`,
          `-- returns no rows. The clock reads ${FROZEN_NOW}; values the code makes up (ids, tokens) show as`,
          `-- <generated N>.`,
        ].join("\n"),
      ];
      let statements = 0;
      for (const ex of mine) {
        const calls = DIALECTS.map((dialect) => renderCall(ex, { db: recordingDb(dialect, () => undefined), dialect }));
        const head = [`-- ${ex.name}${ex.label ? ` (${ex.label})` : ""}`];
        if (calls.every((c) => c === calls[0])) head.push(`-- example: ${calls[0] ?? ""}`);
        else DIALECTS.forEach((d, i) => head.push(`-- example on ${d}: ${calls[i] ?? ""}`));
        const bodies: string[] = [];
        let exampleStatements = 0;
        for (const dialect of DIALECTS) {
          const r = await renderDialect(ex, dialect);
          bodies.push(r.text);
          exampleStatements += r.statements;
        }
        if (exampleStatements === 0) {
          throw new Error(`${head[0]?.slice(3) ?? ex.name} compiled no SQL: give it arguments that reach its queries, or list it under notSql`);
        }
        statements += exampleStatements;
        blocks.push(`${"-- ".padEnd(100, "=")}\n${head.join("\n")}\n\n${bodies.join("\n\n")}`);
      }
      if (skipped.length > 0) {
        blocks.push(`-- Not here (no SQL of their own):\n${skipped.map((n) => `--   ${n.name}: ${n.why}`).join("\n")}`);
      }
      files.set(file, `${blocks.join("\n\n")}\n`);
      stats.push({
        file,
        source,
        functions: new Set(mine.map((e) => e.fn)).size,
        examples: mine.length,
        statements,
      });
    }
  });
  return { files, stats };
}

/** The sql/ files on disk, by path relative to `root`. */
export function existingSqlFiles(root: string): string[] {
  const dir = join(root, "sql");
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && d.name.endsWith(".sql"))
      .map((d) => relative(root, join(d.parentPath, d.name)))
      .sort();
  } catch {
    return [];
  }
}

/** What differs between the generated files and those on disk: one message per file, with its first differing line. */
export function compareSqlFiles(generated: ReadonlyMap<string, string>, onDisk: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const [file, text] of generated) {
    const old = onDisk.get(file);
    if (old === undefined) {
      problems.push(`${file}: missing`);
      continue;
    }
    if (old === text) continue;
    const a = old.split("\n");
    const b = text.split("\n");
    let i = 0;
    while (i < Math.max(a.length, b.length) && a[i] === b[i]) i++;
    problems.push(`${file}:${i + 1}: differs\n    checked in: ${a[i] ?? "(end of file)"}\n    from code:  ${b[i] ?? "(end of file)"}`);
  }
  for (const file of onDisk.keys()) {
    if (!generated.has(file)) problems.push(`${file}: no repository file makes it any more`);
  }
  return problems;
}
