import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import iconv from "iconv-lite";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../../tests/helpers/db.js";
import { ApiClient } from "../../../tests/helpers/client.js";
import { setFiles, smallSet, writeFiles, zipFiles, type OneRosterSet } from "../../../tests/helpers/oneroster.js";
import { waitFor } from "../../../tests/helpers/wait.js";
import { openDatabase } from "../../db/index.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

type CliRun = { code: number | null; stdout: string; stderr: string };

/** A real child process of `server/<entry>` against the test database (its data directory, its PostgreSQL database). */
function spawnServerEntry(testDb: TestDatabase, entry: "cli.ts" | "main.ts", args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): ChildProcessWithoutNullStreams {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "test", COACHWORK_DATA_DIR: testDb.dataDir, ...extraEnv };
  delete env.DATABASE_URL;
  delete env.LOG_LEVEL;
  if (testDb.database.kind === "postgres") env.DATABASE_URL = testDb.database.url;
  return spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "server", entry), ...args], { cwd: ROOT, env });
}

/** `coachwork <args>` as a real child process against the test database. */
function coachwork(testDb: TestDatabase, args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawnServerEntry(testDb, "cli.ts", args);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A set with `extra` more students, so that an import of it takes long enough to be killed halfway. */
function bigSet(tag: string, extra: number): OneRosterSet {
  const set = smallSet(tag);
  const users = set.files["users.csv"];
  const school = users?.rows.find((u) => u.role === "student")?.orgSourcedIds ?? "";
  for (let i = 0; i < extra; i++) {
    users?.rows.push({
      sourcedId: `${tag}-big-${i}`,
      enabledUser: "true",
      orgSourcedIds: school,
      role: "student",
      username: `big${i}@${tag}.example.org`,
      givenName: `Given${i}`,
      familyName: `Family${i}`,
      email: `big${i}@${tag}.example.org`,
      grades: "05",
      identifier: `${900000 + i}`,
    });
  }
  return set;
}

/** Every file under the data directory's roster working folder: spools and uploads. */
function workFiles(dataDir: string): string[] {
  const root = path.join(dataDir, "roster-work");
  return existsSync(root) ? readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)) : [];
}

type ImportRow = { id: string; status: string; report: string | null; origin: string };

async function importRows(testDb: TestDatabase): Promise<ImportRow[]> {
  const database = openDatabase(testDb.database);
  try {
    return await database.db.selectFrom("roster_imports").select(["id", "status", "report", "origin"]).orderBy("started_at").execute();
  } finally {
    await database.close();
  }
}

/** Waits until an import is running, then kills `child` with SIGKILL; returns its id and the working files it left. */
async function killMidImport(testDb: TestDatabase, child: ChildProcess): Promise<{ id: string; leftBehind: string[] }> {
  const running = await waitFor(
    "a running import",
    async () => {
      if (child.exitCode !== null) throw new Error(`the import ended (exit ${child.exitCode}) before it could be killed`);
      return (await importRows(testDb)).find((r) => r.status === "running") ?? false;
    },
    60_000,
  );
  // Its spool is opened just after the row is written; give it a moment to be there (a build that
  // kept it elsewhere is still killed, and the test then says where the spool was not).
  const seen = Date.now();
  await waitFor("the spool", () => workFiles(testDb.dataDir).some((f) => f.endsWith("plan.ndjson")) || Date.now() - seen > 3000 || child.exitCode !== null);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
  return { id: running.id, leftBehind: workFiles(testDb.dataDir) };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function counts(testDb: TestDatabase) {
  const database = openDatabase(testDb.database);
  try {
    const n = async (t: "people" | "enrollments" | "roster_imports") =>
      Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(database.db)).rows[0]?.n);
    return { people: await n("people"), enrollments: await n("enrollments"), imports: await n("roster_imports") };
  } finally {
    await database.close();
  }
}

for (const dialect of DIALECTS) {
  describe(`coachwork import (${dialect})`, () => {
    let testDb: TestDatabase;
    beforeAll(async () => {
      testDb = await createTestDatabase(dialect);
      const made = await coachwork(testDb, ["admin", "create", "--email", "ada@example.org", "--password", "a long enough password", "--name", "Ada Admin"]);
      if (made.code !== 0) throw new Error(made.stderr);
    });
    afterAll(async () => testDb.drop());

    it("imports a folder after a dry run that writes nothing, and is idempotent from a .zip", { timeout: 120_000 }, async () => {
      const files = setFiles(smallSet("cli"));
      const folder = writeFiles(path.join(testDb.dataDir, "export"), files);
      const dry = await coachwork(testDb, ["import", "oneroster", folder, "--dry-run"]);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toMatch(/Dry run: nothing was written/);
      expect(dry.stdout).toMatch(/people\s+10\s+0\s+0\s+0\s+1\s+0/);
      expect(await counts(testDb)).toMatchObject({ people: 1, enrollments: 0, imports: 1 });

      const real = await coachwork(testDb, ["import", "oneroster", folder]);
      expect(real.code, real.stderr).toBe(0);
      expect(real.stdout).toMatch(/Imported \(OneRoster 1\.1/);
      expect(await counts(testDb)).toMatchObject({ people: 11, enrollments: 11 });

      const zip = path.join(testDb.dataDir, "export.zip");
      writeFileSync(zip, await zipFiles(files));
      const again = await coachwork(testDb, ["import", "oneroster", zip]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/people\s+0\s+0\s+10\s+0\s+1\s+0/);
    });

    it("refuses a Windows-1252 users.csv naming file, line and encoding; --encoding windows-1252 imports José Müller intact", { timeout: 120_000 }, async () => {
      const set = smallSet("enc");
      const teacher = set.files["users.csv"]?.rows.find((u) => u.role === "teacher");
      if (!teacher) throw new Error("no teacher in the set");
      teacher.givenName = "José";
      teacher.familyName = "Müller";
      const files: Record<string, string | Buffer> = setFiles(set);
      const text = String(files["users.csv"]).replace(/^\ufeff/, "");
      files["users.csv"] = iconv.encode(text, "windows-1252");
      const line = text.split(/\r?\n/).findIndex((l) => l.includes("José")) + 1;
      const folder = writeFiles(path.join(testDb.dataDir, "latin"), files);
      const before = await counts(testDb);
      const refused = await coachwork(testDb, ["import", "oneroster", folder, "--allow-mass-deactivation"]);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain(`users.csv, line ${line}: the file is not UTF-8 text`);
      expect(refused.stdout).toMatch(/most likely windows-1252.*--encoding windows-1252/);
      // The report ends with the command to run again, the options kept and the encoding added.
      expect(refused.stdout).toMatch(/To import it in that encoding.*\n {2}coachwork import oneroster \S+latin --allow-mass-deactivation --encoding windows-1252\n?$/);
      expect((await counts(testDb)).people).toBe(before.people);

      const wrong = await coachwork(testDb, ["import", "oneroster", folder, "--encoding", "latin-9000"]);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/--encoding latin-9000 is not one Coachwork reads/);

      const applied = await coachwork(testDb, ["import", "oneroster", folder, "--encoding", "windows-1252", "--allow-mass-deactivation"]);
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);
      const database = openDatabase(testDb.database);
      try {
        const row = await database.db.selectFrom("people").select(["given_name", "family_name"]).where("email", "=", teacher.email ?? "").executeTakeFirst();
        expect(row).toEqual({ given_name: "José", family_name: "Müller" });
      } finally {
        await database.close();
      }
    });

    it("after kill -9 of the CLI mid-import, the next import runs at once; the killed one is marked interrupted and its spool removed", { timeout: 180_000 }, async () => {
      const big = writeFiles(path.join(testDb.dataDir, "big"), setFiles(bigSet("kill", 40_000)));
      const child = spawnServerEntry(testDb, "cli.ts", ["import", "oneroster", big, "--allow-mass-deactivation"]);
      const { id: killedId, leftBehind } = await killMidImport(testDb, child);
      expect((await importRows(testDb)).find((r) => r.id === killedId)?.status).toBe("running");

      const started = Date.now();
      const next = await coachwork(testDb, ["import", "oneroster", writeFiles(path.join(testDb.dataDir, "after-kill"), setFiles(smallSet("after-kill"))), "--allow-mass-deactivation"]);
      expect(next.code, next.stdout + next.stderr).toBe(0);
      expect(next.stdout).toMatch(/Imported/);
      expect(Date.now() - started).toBeLessThan(60_000);
      const killed = (await importRows(testDb)).find((r) => r.id === killedId);
      expect(killed?.status).toBe("interrupted");
      expect(JSON.parse(killed?.report ?? "{}")).toMatchObject({ failure: expect.stringMatching(/^Interrupted: the process running it \(pid \d+ on .+\) stopped/) });
      // The spool was in the data directory (not the shared temporary one), and is gone now.
      expect(leftBehind.some((f) => f.endsWith("plan.ndjson"))).toBe(true);
      expect(workFiles(testDb.dataDir)).toEqual([]);
    });

    it("after kill -9 of the server mid-import, the restarted server marks it interrupted and removes the upload and spool", { timeout: 180_000 }, async () => {
      const port = await freePort();
      const serve = () => {
        const server = spawnServerEntry(testDb, "main.ts", [], { PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn" });
        server.stdout.resume();
        server.stderr.resume();
        return server;
      };
      const waitUp = async (server: ChildProcess) => {
        await waitFor(
          "the server to answer",
          async () => {
            if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
            // Ready, not just alive: the server listens before its database is migrated.
            return fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
          },
          60_000,
        );
      };
      const signedIn = async () => {
        const client = new ApiClient(`http://127.0.0.1:${port}`);
        await client.signIn("ada@example.org", "a long enough password");
        return client;
      };
      const first = serve();
      await waitUp(first);
      const admin = await signedIn();
      const zip = await zipFiles(setFiles(bigSet("srvkill", 40_000)));
      const headers: Record<string, string> = { "content-type": "application/zip", cookie: admin.cookie ?? "", "x-csrf-token": admin.csrfToken ?? "" };
      const accepted = await fetch(`http://127.0.0.1:${port}/api/v1/rostering/imports?fileName=big.zip&allowMassDeactivation=true`, { method: "POST", headers, body: new Uint8Array(zip) });
      expect(accepted.status, await accepted.clone().text()).toBe(202);
      const { id: killedId, leftBehind } = await killMidImport(testDb, first);

      const second = serve();
      try {
        await waitUp(second);
        const killed = (await importRows(testDb)).find((r) => r.id === killedId);
        expect(killed?.status).toBe("interrupted");
        // The upload and the spool were in the data directory, and the restart removed them.
        expect(leftBehind.some((f) => f.endsWith("upload.zip"))).toBe(true);
        expect(leftBehind.some((f) => f.endsWith("plan.ndjson"))).toBe(true);
        expect(workFiles(testDb.dataDir)).toEqual([]);
        const again = await signedIn();
        const history = await again.get<{ items: { id: string; status: string }[] }>("/api/v1/rostering/imports");
        expect(history.body.items.find((i) => i.id === killedId)?.status).toBe("interrupted");
        const report = await again.get<{ failure: string | null }>(`/api/v1/rostering/imports/${killedId}`);
        expect(report.body.failure).toMatch(/^Interrupted: /);
        const small = await zipFiles(setFiles(smallSet("srv-after")));
        const next = await fetch(`http://127.0.0.1:${port}/api/v1/rostering/imports?wait=true&allowMassDeactivation=true`, {
          method: "POST",
          headers: { ...headers, cookie: again.cookie ?? "", "x-csrf-token": again.csrfToken ?? "" },
          body: new Uint8Array(small),
        });
        expect(next.status).toBe(200);
        expect(((await next.json()) as { status: string }).status).toBe("applied");
        expect(workFiles(testDb.dataDir)).toEqual([]);
      } finally {
        const exited = new Promise((resolve) => second.once("exit", resolve));
        second.kill("SIGTERM");
        await exited;
      }
    });

    it("exits 1 with the report when the files have errors, 2 for a wrong command line", { timeout: 60_000 }, async () => {
      const files = setFiles(smallSet("bad"));
      delete files["enrollments.csv"];
      const folder = writeFiles(path.join(testDb.dataDir, "bad"), files);
      const before = await counts(testDb);
      const run = await coachwork(testDb, ["import", "oneroster", folder]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/enrollments\.csv: enrollments\.csv is missing/);
      expect((await counts(testDb)).people).toBe(before.people);
      const usage = await coachwork(testDb, ["import", "sis", folder]);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toMatch(/unknown import "sis"/);
    });

    it("stops at a header-only enrollments.csv until --allow-mass-deactivation", { timeout: 120_000 }, async () => {
      // Setting the scene replaces what earlier tests imported: allowed, since the guard is what is tested next.
      const full = await coachwork(testDb, ["import", "oneroster", writeFiles(path.join(testDb.dataDir, "full"), setFiles(smallSet("cli"))), "--allow-mass-deactivation"]);
      expect(full.code, full.stdout).toBe(0);
      const set = smallSet("cli");
      const enrollments = set.files["enrollments.csv"];
      if (!enrollments) throw new Error("fixture");
      enrollments.rows = [];
      const folder = writeFiles(path.join(testDb.dataDir, "header-only"), setFiles(set));
      const stopped = await coachwork(testDb, ["import", "oneroster", folder]);
      expect(stopped.code).toBe(1);
      // The first issue printed is the guard's, with the counts; then how to go ahead.
      expect(stopped.stdout).toMatch(/errors?, \d+ warnings?:\n {2}error {3}enrollments\.csv: This import would deactivate 11 of its 11 active enrollments \(100%\)/);
      expect(stopped.stdout).toMatch(/import again with --allow-mass-deactivation\./);
      const allowed = await coachwork(testDb, ["import", "oneroster", folder, "--allow-mass-deactivation"]);
      expect(allowed.code, allowed.stdout + allowed.stderr).toBe(0);
      expect(allowed.stdout).toMatch(/enrollments\s+0\s+0\s+0\s+11\s+0\s+0/);
    });
  });
}
