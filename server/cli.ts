import { existsSync, realpathSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { NameLimits, PasswordLimits } from "../shared/limits.js";
import { isRosterEncoding, ROSTER_ENCODINGS } from "../shared/roster-encodings.js";
import { ZPassword } from "../shared/schemas/auth.js";
import { ZEmail } from "../shared/schemas/people.js";
import type { DemoResult } from "./cli/demo.js";
import { DEMO_PASSWORD, DemoLimits, type DemoOptions } from "./cli/demo-plan.js";
import type { Ctx } from "./context.js";
import { loadConfig, type Config } from "./env.js";
import { VERSION } from "./version.js";

// The database drivers, Kysely and the services are imported where a command needs them, not
// here, so that --help and mistakes on the command line answer at once.

// Exit codes: 0 done, 1 the command failed, 2 the command line was wrong.
const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

const MAIN_USAGE = `Usage: coachwork <command> [options]

Commands:
  migrate        Apply pending database migrations
  admin create   Create a district admin (or reset an existing one's password)
  demo           Load the fictional Maple Valley demo district (safe to re-run)
  backup FILE    Copy the SQLite database to FILE, even while the server runs
  import         Import a roster: OneRoster CSV (a folder or .zip) or a staff CSV

Options:
  -h, --help     Show help; "coachwork <command> --help" for a command's options
  --version      Show the version

The database is the server's: PostgreSQL when DATABASE_URL is set, otherwise
SQLite in COACHWORK_DATA_DIR (default ./data).`;

type Command = "migrate" | "admin" | "demo" | "backup" | "import";

const COMMAND_USAGE: Record<Command, string> = {
  migrate: `Usage: coachwork migrate

Applies the database migrations that have not run yet and lists them.
The server also migrates when it starts; this is for doing it beforehand.`,
  admin: `Usage: coachwork admin create --email EMAIL --password PASSWORD --name "GIVEN FAMILY" [--district NAME]

Creates a district admin who can sign in with EMAIL and PASSWORD. If someone already
has that email, they become an admin and their password is reset.
If Coachwork has no district yet, one is created (named by --district, default "My District").

  --email      The admin's email address (their sign-in)
  --password   At least 10 characters. It stays in your shell history, so change it after signing in.
  --name       Given and family name; the last word is taken as the family name
               (fix it afterwards under your profile if that is wrong)
  --district   The district's name, used only when there is no district yet`,
  demo: `Usage: coachwork demo [--schools-per-level N] [--students N] [--staff N] [--seed N] [--into-existing]

Loads "Maple Valley Unified School District": fictional schools, staff and students for
trying Coachwork out, into a fresh database (it creates the district). On a database whose
district was set up by someone it refuses, unless --into-existing.
Re-running with the same options changes nothing. Prints demo accounts to sign in with.

  --schools-per-level  Schools of each level: elementary, middle, high, other (default 12, max ${DemoLimits.maxSchoolsPerLevel})
  --students           Students (default 3000, max ${DemoLimits.maxStudents})
  --staff              Staff besides the demo admin (default 300, ${DemoLimits.minStaff}–${DemoLimits.maxStaff})
  --seed               Varies the names and assignments (default 1)
  --into-existing      Add the demo to a district that was set up, not by the demo (its records mix with yours)`,
  backup: `Usage: coachwork backup FILE [--force]

Writes a consistent copy of the SQLite database to FILE. Safe while the server runs.
With PostgreSQL, use pg_dump instead: pg_dump "$DATABASE_URL" > FILE

  --force   Overwrite FILE if it exists`,
  import: `Usage: coachwork import oneroster PATH [--dry-run] [--apply-valid] [--allow-mass-deactivation] [--encoding NAME] [--district NAME]
       coachwork import staff FILE [--dry-run] [--apply-valid] [--encoding NAME] [--district NAME]

oneroster  PATH is a OneRoster 1.1 or 1.2 CSV export: a folder or a .zip holding manifest.csv,
           orgs.csv, users.csv, courses.csv, classes.csv, enrollments.csv, academicSessions.csv
           (and roles.csv for 1.2). People, schools, classes and enrollments are matched by
           sourcedId; people missing from a bulk file are deactivated, never deleted.
staff      FILE is a CSV with the columns name,email,school,role (for districts without OneRoster).

Every file is checked first; with any error nothing is written. The import is recorded in the
admin page's import history either way.

  --dry-run      Report what would change; write nothing
  --apply-valid  Import the valid rows even when some rows have errors
  --allow-mass-deactivation
                 Go ahead when the import would deactivate more than 10% of the district's
                 active people or enrolments (a header-only file does that; without this flag
                 such an import stops and says so first)
  --encoding     The files' text encoding when it is not UTF-8 (a file that is not UTF-8 is refused
                 with its most likely encoding): ${ROSTER_ENCODINGS.join(", ")}
  --district     The district to import into, when there are several`,
};

/** A mistake on the command line, exit code 2: printed with the usage, or for a bad value with a pointer to it. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly command: Command | null,
    readonly isBadValue = false,
  ) {
    super(message);
  }
}

type OptionSpec = Record<string, "string" | "boolean">;
type ParsedOptions<S extends OptionSpec> = {
  values: { [K in keyof S]?: S[K] extends "string" ? string : boolean };
  positionals: string[];
  isHelp: boolean;
};

/**
 * Parses a command's arguments against its flags. node:util's strict mode would do, but its messages
 * are hard to read ("argument is ambiguous"); walking the tokens lets every message name the flag.
 */
function parseCommandArgs<S extends OptionSpec>(command: Command, args: readonly string[], spec: S): ParsedOptions<S> {
  const { tokens } = parseArgs({
    args: [...args],
    options: Object.fromEntries(Object.entries(spec).map(([name, type]) => [name, { type }])),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  let isHelp = false;
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      positionals.push(token.value);
      continue;
    }
    if (token.name === "help" || token.name === "h") {
      isHelp = true;
      continue;
    }
    const type = Object.hasOwn(spec, token.name) ? spec[token.name] : undefined;
    if (type === undefined) throw new UsageError(`unknown flag ${token.rawName} for "coachwork ${command}"`, command);
    if (Object.hasOwn(values, token.name)) throw new UsageError(`${token.rawName} is given twice`, command);
    if (type === "boolean") {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`, command);
      values[token.name] = true;
    } else {
      // A value that looks like a flag is almost always a forgotten value ("--email --password x").
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith("-"))) {
        throw new UsageError(`${token.rawName} needs a value (write ${token.rawName}=VALUE if it starts with "-")`, command);
      }
      values[token.name] = token.value;
    }
  }
  return { values: values as ParsedOptions<S>["values"], positionals, isHelp };
}

function requireFlag(command: Command, flag: string, value: string | undefined): string {
  if (value === undefined) throw new UsageError(`--${flag} is required`, command);
  return value;
}

function integerFlag(
  command: Command,
  flag: string,
  value: string | undefined,
  range: { default: number; min: number; max: number },
): number {
  if (value === undefined) return range.default;
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new UsageError(`--${flag} must be a whole number from ${range.min} to ${range.max} (got "${value}")`, command, true);
  }
  return n;
}

function noPositionals(command: Command, positionals: readonly string[]): void {
  const [first] = positionals;
  if (first !== undefined) throw new UsageError(`unexpected argument "${first}"`, command);
}

/** Where the database is, for messages; a PostgreSQL password never appears. */
function describeDatabase(config: Config): string {
  if (config.database.kind === "sqlite") return `SQLite database ${config.database.file}`;
  try {
    const url = new URL(config.database.url);
    return `PostgreSQL database ${url.hostname}${url.port ? `:${url.port}` : ""}${url.pathname}`;
  } catch {
    return "PostgreSQL database";
  }
}

/** Opens the configured database, runs `work` with a service context, and always closes it. */
async function withContext<T>(config: Config, work: (ctx: Ctx) => Promise<T>): Promise<T> {
  const [{ openDatabase }, { default: pino }] = await Promise.all([import("./db/index.js"), import("pino")]);
  const database = openDatabase(config.database);
  // Quiet unless asked: a CLI's output is its own messages, not JSON log lines (which go to stderr).
  const log = pino({ level: process.env.LOG_LEVEL ? config.logLevel : "warn" }, pino.destination(2));
  try {
    return await work({ db: database.db, dialect: database.dialect, config, log });
  } finally {
    await database.close();
  }
}

async function migrate(ctx: Ctx): Promise<string[]> {
  const { migrateToLatest } = await import("./db/index.js");
  const result = await migrateToLatest(ctx.db);
  return result.results?.filter((r) => r.status === "Success").map((r) => r.migrationName) ?? [];
}

async function runMigrate(args: readonly string[]): Promise<number> {
  const { positionals, isHelp } = parseCommandArgs("migrate", args, {});
  if (isHelp) return printHelp("migrate");
  noPositionals("migrate", positionals);
  const config = loadConfig();
  const applied = await withContext(config, migrate);
  console.log(describeDatabase(config));
  if (applied.length === 0) console.log("The schema is up to date; no migrations to apply.");
  else console.log(`Applied ${applied.length} migration${applied.length === 1 ? "" : "s"}:\n${applied.map((m) => `  ${m}`).join("\n")}`);
  return EXIT_OK;
}

/** "Mary Ann Smith" → Mary Ann / Smith: the last word is the family name. */
function splitName(name: string): { givenName: string; familyName: string } | null {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const familyName = words.pop();
  if (familyName === undefined || words.length === 0) return null;
  return { givenName: words.join(" "), familyName };
}

async function runAdmin(args: readonly string[]): Promise<number> {
  const { values, positionals, isHelp } = parseCommandArgs("admin", args, {
    email: "string",
    password: "string",
    name: "string",
    district: "string",
  });
  if (isHelp) return printHelp("admin");
  const [sub, ...rest] = positionals;
  if (sub !== "create") {
    throw new UsageError(sub === undefined ? `"coachwork admin" needs a subcommand: create` : `unknown subcommand "admin ${sub}"`, "admin");
  }
  noPositionals("admin", rest);

  const email = ZEmail.safeParse(requireFlag("admin", "email", values.email));
  if (!email.success) throw new UsageError(`--email is not a valid email address (got "${values.email}")`, "admin", true);
  const password = ZPassword.safeParse(requireFlag("admin", "password", values.password));
  if (!password.success) {
    throw new UsageError(`--password must be ${PasswordLimits.min} to ${PasswordLimits.max} characters long`, "admin", true);
  }
  const rawName = requireFlag("admin", "name", values.name);
  const name = splitName(rawName);
  if (!name) throw new UsageError(`--name needs a given and a family name, like --name "Ada Lovelace" (got "${rawName}")`, "admin", true);
  if (name.givenName.length > NameLimits.max || name.familyName.length > NameLimits.max) {
    throw new UsageError(`--name is too long (at most ${NameLimits.max} characters per name)`, "admin", true);
  }
  const districtName = values.district?.trim();
  if (districtName !== undefined && (districtName.length === 0 || districtName.length > NameLimits.max)) {
    throw new UsageError(`--district must be 1 to ${NameLimits.max} characters`, "admin", true);
  }

  const config = loadConfig();
  const { createAdminFromCli, getMe, needsSetup } = await import("./modules/accounts/accounts.service.js");
  const result = await withContext(config, async (ctx) => {
    await migrate(ctx);
    const hadDistrict = !(await needsSetup(ctx));
    const created = await createAdminFromCli(ctx, { email: email.data, password: password.data, ...name, districtName });
    const me = await getMe(ctx, created.personId, created.districtId, null);
    return { ...created, districtName: me.district.name, hadDistrict };
  });
  console.log(describeDatabase(config));
  if (!result.hadDistrict) console.log(`Created the district "${result.districtName}".`);
  else if (districtName !== undefined && districtName !== result.districtName) {
    console.log(`The district "${result.districtName}" already exists, so --district was not used.`);
  }
  console.log(
    result.created
      ? `Created district admin ${name.givenName} ${name.familyName} <${email.data}>. They can sign in now.`
      : `${email.data} already had an account: it is now an active district admin with the new password.`,
  );
  return EXIT_OK;
}

async function runDemo(args: readonly string[]): Promise<number> {
  const { values, positionals, isHelp } = parseCommandArgs("demo", args, {
    "schools-per-level": "string",
    students: "string",
    staff: "string",
    seed: "string",
    "into-existing": "boolean",
  });
  if (isHelp) return printHelp("demo");
  noPositionals("demo", positionals);
  const opts: DemoOptions = {
    schoolsPerLevel: integerFlag("demo", "schools-per-level", values["schools-per-level"], {
      default: 12,
      min: 1,
      max: DemoLimits.maxSchoolsPerLevel,
    }),
    students: integerFlag("demo", "students", values.students, { default: 3000, min: 0, max: DemoLimits.maxStudents }),
    staff: integerFlag("demo", "staff", values.staff, { default: 300, min: DemoLimits.minStaff, max: DemoLimits.maxStaff }),
    seed: integerFlag("demo", "seed", values.seed, { default: 1, min: 0, max: 2 ** 31 - 1 }),
  };

  const config = loadConfig();
  const { loadDemo } = await import("./cli/demo.js");
  const started = performance.now();
  const result = await withContext(config, async (ctx) => {
    await migrate(ctx);
    return loadDemo(ctx, { ...opts, intoExisting: values["into-existing"] === true });
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(describeDatabase(config));
  printDemoResult(result, opts, seconds);
  return EXIT_OK;
}

function printDemoResult(r: DemoResult, opts: DemoOptions, seconds: string): void {
  const line = (label: string, c: { planned: number; added: number }) =>
    `  ${label.padEnd(9)}${String(c.planned).padStart(7)}   ${c.added === 0 ? "already there" : `${c.added} added`}`;
  console.log(
    `${r.isNewDistrict ? "Created" : "Demo data in"} "${r.districtName}" (seed ${opts.seed}), in ${seconds} s:\n` +
      [
        line("schools", r.schools),
        line("staff", r.staff),
        `${line("students", r.students)} (${r.students.studentTechs} are student techs)`,
        `${line("log", r.coaching.entries)} (coaching log entries, July 1 to yesterday)`,
        line("cycles", r.coaching.cycles),
      ].join("\n"),
  );
  if (r.skippedEmailTaken > 0) console.log(`  ${r.skippedEmailTaken} demo people were left out: someone else already uses their email.`);
  if (r.accounts.length > 0) {
    console.log(`\nDEMO credentials (fictional accounts, for trying Coachwork out; password "${DEMO_PASSWORD}"):`);
    for (const a of r.accounts) console.log(`  ${a.label.padEnd(10)} ${a.email.padEnd(44)} ${a.name}`);
    const coach = r.accounts.find((a) => a.label === "coach");
    if (coach && r.coaching.entries.planned > 0) {
      console.log(`Sign in as the coach (${coach.email}) and open /coaching for the log and its dashboard.`);
    }
    console.log("Do not load demo data into a district real people use, or change these passwords if you do.");
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

async function runBackup(args: readonly string[]): Promise<number> {
  const { values, positionals, isHelp } = parseCommandArgs("backup", args, { force: "boolean" });
  if (isHelp) return printHelp("backup");
  const [file, ...rest] = positionals;
  if (file === undefined) throw new UsageError("backup needs the FILE to write, e.g. coachwork backup coachwork-2026-01-31.db", "backup");
  noPositionals("backup", rest);

  const config = loadConfig();
  if (config.database.kind === "postgres") {
    console.error(
      `coachwork backup copies the SQLite database; this server uses PostgreSQL.\n` +
        `Back it up with PostgreSQL's own tool instead:\n\n  pg_dump "$DATABASE_URL" > ${file}\n`,
    );
    return EXIT_FAILED;
  }
  const source = config.database.file;
  const target = path.resolve(file);
  if (!existsSync(source)) {
    console.error(`There is no database to back up at ${source} (is COACHWORK_DATA_DIR right?)`);
    return EXIT_FAILED;
  }
  if (target === path.resolve(source)) throw new UsageError("FILE is the live database itself; choose another path", "backup", true);
  if (!existsSync(path.dirname(target))) {
    console.error(`The folder ${path.dirname(target)} does not exist.`);
    return EXIT_FAILED;
  }
  if (existsSync(target) && values.force !== true) {
    console.error(`${target} already exists; pass --force to overwrite it.`);
    return EXIT_FAILED;
  }

  // SQLite's online backup API copies a consistent snapshot page by page (WAL included) while the
  // server keeps writing. It goes to a temporary name first so FILE is never left half-written.
  const { default: SQLite } = await import("better-sqlite3");
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const sqlite = new SQLite(source, { fileMustExist: true });
  try {
    sqlite.pragma("busy_timeout = 5000");
    await sqlite.backup(partial);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    sqlite.close();
  }
  renameSync(partial, target);
  console.log(`Backed up ${source}\n       to ${target} (${formatBytes(statSync(target).size)})`);
  return EXIT_OK;
}

async function runImport(args: readonly string[]): Promise<number> {
  const { values, positionals, isHelp } = parseCommandArgs("import", args, {
    "dry-run": "boolean",
    "apply-valid": "boolean",
    "allow-mass-deactivation": "boolean",
    encoding: "string",
    district: "string",
  });
  if (isHelp) return printHelp("import");
  const [kind, target, ...rest] = positionals;
  if (kind !== "oneroster" && kind !== "staff") {
    throw new UsageError(kind === undefined ? `"coachwork import" needs what to import: oneroster or staff` : `unknown import "${kind}"`, "import");
  }
  if (target === undefined) throw new UsageError(`import ${kind} needs the ${kind === "staff" ? "FILE" : "PATH"} to read`, "import");
  noPositionals("import", rest);
  const { describeImportTarget, formatImportReport, formatProgress, importFromCli } = await import("./modules/rostering/rostering.cli.js");
  const encoding = values.encoding?.toLowerCase() ?? null;
  if (encoding !== null && !isRosterEncoding(encoding)) {
    throw new UsageError(`--encoding ${values.encoding ?? ""} is not one Coachwork reads; use one of: ${ROSTER_ENCODINGS.join(", ")}`, "import", true);
  }
  const opts = {
    kind,
    target,
    isDryRun: values["dry-run"] === true,
    applyValid: values["apply-valid"] === true,
    allowMassDeactivation: values["allow-mass-deactivation"] === true,
    encoding,
    districtName: values.district,
  } as const;
  const problem = await describeImportTarget(opts);
  if (problem) {
    console.error(problem);
    return EXIT_FAILED;
  }
  const config = loadConfig();
  // Progress on a terminal only, so piped output stays the report alone.
  const onProgress = process.stderr.isTTY ? (p: Parameters<typeof formatProgress>[0]) => process.stderr.write(`\r${formatProgress(p)}   `) : undefined;
  const report = await withContext(config, async (ctx) => {
    await migrate(ctx);
    return importFromCli(ctx, opts, onProgress);
  });
  if (onProgress) process.stderr.write("\n");
  console.log(describeDatabase(config));
  console.log(formatImportReport(report, undefined, opts));
  return report.status === "applied" || report.status === "dry_run" ? EXIT_OK : EXIT_FAILED;
}

function printHelp(command: Command | null): number {
  console.log(command === null ? MAIN_USAGE : COMMAND_USAGE[command]);
  return EXIT_OK;
}

const COMMANDS: Record<Command, (args: readonly string[]) => Promise<number>> = {
  migrate: runMigrate,
  admin: runAdmin,
  demo: runDemo,
  backup: runBackup,
  import: runImport,
};

const isCommand = (name: string): name is Command => Object.hasOwn(COMMANDS, name);

/** Runs the coachwork CLI with the arguments after the program name; resolves to the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  try {
    if (name === "--help" || name === "-h") return printHelp(null);
    if (name === "help") {
      const [topic] = args;
      return printHelp(topic !== undefined && isCommand(topic) ? topic : null);
    }
    if (name === "--version") {
      console.log(VERSION);
      return EXIT_OK;
    }
    if (name === undefined) throw new UsageError("no command given", null);
    if (!isCommand(name)) {
      throw new UsageError(name.startsWith("-") ? `unknown flag ${name}` : `unknown command "${name}"`, null);
    }
    return await COMMANDS[name](args);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`coachwork: ${err.message}`);
      if (err.isBadValue) console.error(`Run "coachwork ${err.command ?? ""} --help" for the options.`);
      else console.error(`\n${err.command === null ? MAIN_USAGE : COMMAND_USAGE[err.command]}`);
      return EXIT_USAGE;
    }
    console.error(`coachwork ${name ?? ""} failed: ${err instanceof Error ? err.message : String(err)}`);
    if (process.env.LOG_LEVEL === "debug" && err instanceof Error) console.error(err.stack);
    return EXIT_FAILED;
  }
}

// Run when executed directly (node dist/server/cli.js, tsx server/cli.ts); bin/coachwork.js imports runCli.
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined || !existsSync(entry)) return false;
  return import.meta.url === pathToFileURL(realpathSync(entry)).href;
}
if (isEntryPoint()) process.exitCode = await runCli(process.argv.slice(2));
