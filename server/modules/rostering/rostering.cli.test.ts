import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import iconv from "iconv-lite";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../../tests/helpers/db.js";
import { setFiles, smallSet, writeFiles, zipFiles } from "../../../tests/helpers/oneroster.js";
import { openDatabase } from "../../db/index.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

type CliRun = { code: number | null; stdout: string; stderr: string };

/** `coachwork <args>` as a real child process against the test database. */
function coachwork(testDb: TestDatabase, args: readonly string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "test", COACHWORK_DATA_DIR: testDb.dataDir };
  delete env.DATABASE_URL;
  delete env.LOG_LEVEL;
  if (testDb.database.kind === "postgres") env.DATABASE_URL = testDb.database.url;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "server/cli.ts"), ...args], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
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
      const refused = await coachwork(testDb, ["import", "oneroster", folder]);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain(`users.csv, line ${line}: the file is not UTF-8 text`);
      expect(refused.stdout).toMatch(/most likely windows-1252.*--encoding windows-1252/);
      expect((await counts(testDb)).people).toBe(before.people);

      const wrong = await coachwork(testDb, ["import", "oneroster", folder, "--encoding", "latin-9000"]);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/--encoding latin-9000 is not one Coachwork reads/);

      const applied = await coachwork(testDb, ["import", "oneroster", folder, "--encoding", "windows-1252"]);
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);
      const database = openDatabase(testDb.database);
      try {
        const row = await database.db.selectFrom("people").select(["given_name", "family_name"]).where("email", "=", teacher.email ?? "").executeTakeFirst();
        expect(row).toEqual({ given_name: "José", family_name: "Müller" });
      } finally {
        await database.close();
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
  });
}
