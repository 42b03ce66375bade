import { parse } from "csv-parse/sync";
import iconv from "iconv-lite";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TErrorResponse } from "../../../shared/errors.js";
import type { TList } from "../../../shared/schemas/common.js";
import type { TPerson } from "../../../shared/schemas/people.js";
import type { TClassDetail, TClassSummary, TSchoolSummary } from "../../../shared/schemas/classes.js";
import type { TRosterImport, TRosterImportReport } from "../../../shared/schemas/rostering.js";
import type { TSchool } from "../../../shared/schemas/schools.js";
import { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, PASSWORD, setUpDistrict, signedIn, unique } from "../../../tests/helpers/factories.js";
import { cloneSet, setFiles, smallSet, tableCsv, uploadImport, zipFiles, type OneRosterSet } from "../../../tests/helpers/oneroster.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";
import type { DB } from "../../db/schema.js";
import { newId, nowIso, sha256 } from "../../lib.js";
import { enrollmentPrintOfText, enrollmentPrintText, iterateEnrollments } from "./rostering.loads.js";

const USERS_12 = [
  "sourcedId",
  "status",
  "dateLastModified",
  "enabledUser",
  "username",
  "userIds",
  "givenName",
  "familyName",
  "middleName",
  "identifier",
  "email",
  "sms",
  "phone",
  "agentSourcedIds",
  "grades",
  "password",
  "userMasterIdentifier",
  "resourceSourcedIds",
  "preferredGivenName",
  "preferredMiddleName",
  "preferredFamilyName",
  "primaryOrgSourcedId",
  "pronouns",
];

const DIRECTORY_TABLES: (keyof DB)[] = [
  "schools",
  "roster_orgs",
  "people",
  "role_assignments",
  "academic_sessions",
  "courses",
  "classes",
  "class_terms",
  "enrollments",
  "sessions",
];

/** Twenty Japanese staff names, as the SIS export that turned them into "��01"… held them. */
const JAPANESE_NAMES = [
  ["太郎", "山田"], ["花子", "佐藤"], ["一郎", "鈴木"], ["美咲", "高橋"], ["健太", "田中"],
  ["陽菜", "伊藤"], ["蓮", "渡辺"], ["結衣", "山本"], ["大翔", "中村"], ["葵", "小林"],
  ["悠真", "加藤"], ["さくら", "吉田"], ["湊", "山田"], ["芽依", "佐々木"], ["陸", "山口"],
  ["凛", "松本"], ["颯太", "井上"], ["ひかり", "木村"], ["翔", "林"], ["美羽", "斎藤"],
].map(([given = "", family = ""]) => ({ given, family }));

let hugeZipPromise: Promise<Buffer> | null = null;
/** A set whose users.csv is 500 MB (a repeated row: the zip is a few hundred KB); made once per file. */
function hugeZip(): Promise<Buffer> {
  hugeZipPromise ??= (async () => {
    const files: Record<string, string | Buffer> = setFiles(smallSet(unique("m")));
    files["users.csv"] = Buffer.alloc(500 * 1024 * 1024, Buffer.from(`${"x".repeat(99)}\n`));
    return zipFiles(files);
  })();
  return hugeZipPromise;
}

for (const dialect of DIALECTS) {
  describe(`rostering imports (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    const tmp = mkdtempSync(path.join(tmpdir(), "coachwork-roster-test-"));

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
    });
    afterAll(async () => {
      await server.close();
      rmSync(tmp, { recursive: true, force: true });
    });

    /** Every row of the directory's tables, hashed: equal before and after means nothing was written. */
    async function directoryHash(): Promise<{ hash: string; counts: Record<string, number> }> {
      const h = createHash("sha256");
      const counts: Record<string, number> = {};
      for (const table of DIRECTORY_TABLES) {
        const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(server.ctx.db);
        const lines = rows.map((r) => JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k]]))).sort();
        counts[table] = lines.length;
        h.update(`${table}\n${lines.join("\n")}\n`);
      }
      return { hash: h.digest("hex"), counts };
    }

    async function importSet(set: OneRosterSet, query: Record<string, string> = {}) {
      const zip = await zipFiles(setFiles(set));
      const res = await uploadImport(admin, zip, query);
      expect(res.status, res.text).toBe(200);
      return res.body;
    }

    async function expectRefusedUnchanged(files: Record<string, string | Buffer>, where: { file: string; line?: number | null; column?: string | null; message: RegExp }) {
      const before = await directoryHash();
      const res = await uploadImport(admin, await zipFiles(files));
      expect(res.status, res.text).toBe(200);
      expect(res.body.status).toBe("rejected");
      const issue = res.body.issues.find((i) => i.severity === "error" && i.file === where.file && where.message.test(i.message));
      expect(issue, JSON.stringify(res.body.issues, null, 1)).toBeDefined();
      if (where.line !== undefined) expect(issue?.line).toBe(where.line);
      if (where.column !== undefined) expect(issue?.column).toBe(where.column);
      expect(await directoryHash()).toEqual(before);
      return res.body;
    }

    it("imports a small OneRoster 1.1 set: schools, classes, people with roles, enrolments", async () => {
      const tag = unique("a");
      const report = await importSet(smallSet(tag));
      expect(report.status).toBe("applied");
      expect(report.errorCount).toBe(0);
      expect(report.entities.orgs).toMatchObject({ created: 3 });
      expect(report.entities.academicSessions).toMatchObject({ created: 3 });
      expect(report.entities.courses).toMatchObject({ created: 2 });
      expect(report.entities.classes).toMatchObject({ created: 3 });
      expect(report.entities.people).toMatchObject({ created: 10, skipped: 1 });
      expect(report.entities.enrollments).toMatchObject({ created: 11 });
      expect(report.skippedRoles).toEqual({ parent: 1 });
      expect(report.actorName).toBe("Ada Admin");

      const schools = await admin.get<TList<TSchool>>(`/api/v1/schools?q=${tag}`);
      const oak = schools.body.items.find((s) => s.name.startsWith("Oak"));
      const pine = schools.body.items.find((s) => s.name.startsWith("Pine"));
      expect(oak?.level).toBe("elementary");
      expect(pine?.level).toBe("high");
      expect(oak?.code).toBe(`OAK-${tag}`);

      const people = await admin.get<TList<TPerson>>(`/api/v1/people?q=s1@${tag}`);
      expect(people.body.items[0]).toMatchObject({ givenName: "Sam", familyName: "One", gradeLevel: "03", studentNumber: "100001", sourcedId: `${tag}-s1`, status: "active" });
      expect(people.body.items[0]?.roles).toEqual([{ role: "student", schoolId: oak?.id, schoolName: oak?.name }]);
      const principal = await admin.get<TList<TPerson>>(`/api/v1/people?q=admin1@${tag}`);
      expect(principal.body.items[0]?.roles.map((r) => r.role)).toEqual(["school_leader"]);
      const aide = await admin.get<TList<TPerson>>(`/api/v1/people?q=aide1@${tag}`);
      expect(aide.body.items[0]?.roles.map((r) => `${r.role}@${r.schoolName}`).sort()).toEqual([`teacher@${oak?.name}`, `teacher@${pine?.name}`].sort());

      const classes = await admin.get<TList<TClassSummary>>(`/api/v1/classes?schoolId=${oak?.id}`);
      expect(classes.body.items).toHaveLength(1);
      const math = classes.body.items[0];
      expect(math).toMatchObject({ title: "Math 3, Room 12", courseTitle: "Math 3", grades: ["03"], periods: ["1"], studentCount: 3 });
      expect(math?.terms.map((t) => t.title)).toEqual(["Fall 2026", "Spring 2027"]);
      const detail = await admin.get<TClassDetail>(`/api/v1/classes/${math?.id}`);
      expect(detail.body.sourcedId).toBe(`${tag}-c-math3a`);
      expect(detail.body.teachers.map((t) => t.displayName).sort()).toEqual(["Alex Aide", "Terry Oakes"]);
      expect(detail.body.teachers.find((t) => t.displayName === "Terry Oakes")?.isPrimary).toBe(true);
      expect(detail.body.students.map((s) => s.displayName)).toEqual(["Sam One", "Sid Three", "Sara Two"]);

      const summary = await admin.get<TSchoolSummary>(`/api/v1/schools/${pine?.id}/summary`);
      expect(summary.body).toMatchObject({ staffCount: 3, studentCount: 3, classCount: 2 });
      expect(summary.body.studentsByGrade).toEqual([
        { grade: "09", count: 1 },
        { grade: "10", count: 2 },
      ]);
    });

    it("ignores files and columns it does not read, with a notice for each", async () => {
      const set = smallSet(unique("ig"));
      const files: Record<string, string> = { ...setFiles(set), "demographics.csv": "sourcedId,birthDate\nx,2015-01-01\n" };
      const res = await uploadImport(admin, await zipFiles(files));
      expect(res.status, res.text).toBe(200);
      expect(res.body.status).toBe("applied");
      expect(res.body.issues).toContainEqual(expect.objectContaining({ severity: "warning", file: "demographics.csv", message: expect.stringMatching(/^ignored/) }));
    });

    it("changes nothing when the same files are imported again", async () => {
      const set = smallSet(unique("b"));
      await importSet(set);
      const before = await directoryHash();
      const again = await importSet(set);
      expect(again.status).toBe("applied");
      expect(again.counts).toMatchObject({ created: 0, updated: 0, deactivated: 0 });
      expect(again.entities.roles).toMatchObject({ created: 0, deactivated: 0 });
      expect(await directoryHash()).toEqual(before);
    });

    it("updates an enrolment whose only change is its end date or primary flag, by its stored fingerprint", async () => {
      const tag = unique("fp");
      const set = smallSet(tag);
      await importSet(set);
      const prints = () =>
        server.ctx.db
          .selectFrom("enrollments")
          .select(["source_id", "end_date", "is_primary", "roster_print"])
          .where("source_id", "like", `${tag}-%`)
          .orderBy("source_id")
          .execute();
      const first = await prints();
      expect(first).toHaveLength(11);
      for (const e of first) expect(typeof e.roster_print, e.source_id).toBe("number");

      const changed = cloneSet(set);
      const rows = changed.files["enrollments.csv"]?.rows ?? [];
      const e3 = rows.find((r) => r.sourcedId === `${tag}-e3`);
      const e4 = rows.find((r) => r.sourcedId === `${tag}-e4`);
      if (!e3 || !e4) throw new Error("the small set lost e3 or e4");
      e3.endDate = "2027-01-31";
      e4.primary = "true";
      const report = await importSet(changed);
      expect(report.status, JSON.stringify(report.issues)).toBe("applied");
      expect(report.entities.enrollments).toMatchObject({ created: 0, updated: 2, unchanged: 9, deactivated: 0 });
      const after = new Map((await prints()).map((e) => [e.source_id, e]));
      expect(after.get(`${tag}-e3`)?.end_date).toBe("2027-01-31");
      expect(after.get(`${tag}-e4`)?.is_primary).toBe(1);
      expect(after.get(`${tag}-e3`)?.roster_print).not.toBe(first.find((e) => e.source_id === `${tag}-e3`)?.roster_print);
      const again = await importSet(changed);
      expect(again.entities.enrollments).toMatchObject({ updated: 0, unchanged: 11 });
    });

    it("compares enrolments stored before fingerprints were kept by their values, and fingerprints the ones it writes", async () => {
      const tag = unique("fl");
      const set = smallSet(tag);
      await importSet(set);
      // As a database migrated from before roster_print holds them.
      await server.ctx.db.updateTable("enrollments").set({ roster_print: null }).where("source_id", "like", `${tag}-%`).execute();
      const before = await directoryHash();
      const same = await importSet(set);
      expect(same.entities.enrollments).toMatchObject({ created: 0, updated: 0, unchanged: 11, deactivated: 0 });
      expect(await directoryHash()).toEqual(before);

      const changed = cloneSet(set);
      const e5 = changed.files["enrollments.csv"]?.rows.find((r) => r.sourcedId === `${tag}-e5`);
      if (!e5) throw new Error("the small set lost e5");
      e5.beginDate = "2026-09-01";
      const report = await importSet(changed);
      expect(report.entities.enrollments).toMatchObject({ updated: 1, unchanged: 10 });
      const stored = await server.ctx.db
        .selectFrom("enrollments")
        .select(["source_id", "begin_date", "roster_print"])
        .where("source_id", "like", `${tag}-%`)
        .execute();
      const row = stored.find((e) => e.source_id === `${tag}-e5`);
      expect(row).toMatchObject({ begin_date: "2026-09-01" });
      expect(typeof row?.roster_print).toBe("number");
      expect(stored.filter((e) => e.roster_print === null)).toHaveLength(10);
    });

    it("loads the district's stored enrolments page by page: its own only, every row once, older rows by their values", async () => {
      const tag = unique("pages");
      await importSet(smallSet(tag));
      const db = server.ctx.db;
      const { district_id: districtId } = await db.selectFrom("enrollments").select("district_id").where("source_id", "=", `${tag}-e1`).executeTakeFirstOrThrow();
      // One row as a database migrated from before roster_print holds it, and one inactive.
      await db.updateTable("enrollments").set({ roster_print: null }).where("source_id", "=", `${tag}-e2`).execute();
      await db.updateTable("enrollments").set({ status: "inactive" }).where("source_id", "=", `${tag}-e3`).execute();
      const stored = await db.selectFrom("enrollments").selectAll().where("district_id", "=", districtId).execute();
      const expected = new Map(
        stored.map((r) => {
          const values = { classId: r.class_id, personId: r.person_id, schoolId: r.school_id, role: r.role, isPrimary: r.is_primary, begin: r.begin_date, end: r.end_date };
          return [r.source_id, [r.status === "active" ? 1 : 0, r.roster_print ?? enrollmentPrintOfText(enrollmentPrintText(values))]];
        }),
      );
      const loaded = new Map<string, number[]>();
      let pages = 0;
      // Pages of 3 rows: the next page is asked for while the caller reads this one.
      for await (const page of iterateEnrollments(db, districtId, 3)) {
        pages++;
        page.sourceIds.forEach((sid, i) => {
          expect(loaded.has(sid)).toBe(false);
          loaded.set(sid, [page.isActive[i] ?? -1, page.prints[i] ?? -1]);
        });
      }
      expect(loaded).toEqual(expected);
      expect(loaded.get(`${tag}-e3`)?.[0]).toBe(0);
      expect(pages).toBeGreaterThan(3);
      // Another district's rows are walked but never handed over.
      const others: string[] = [];
      for await (const page of iterateEnrollments(db, "no-such-district", 3)) others.push(...page.sourceIds);
      expect(others).toEqual([]);
    });

    it("leaves nothing behind when the database refuses a row mid-load, and imports once it accepts them", async () => {
      // A trigger that refuses every enrolment: people, schools and classes are written first (on
      // PostgreSQL by COPY into staging and one upsert each), then the enrolments fail.
      const db = server.ctx.db;
      if (dialect === "postgres") {
        await sql`create function cw_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'refused by the test'; end $$`.execute(db);
        await sql`create trigger cw_test_refuse before insert on enrollments for each row execute function cw_test_refuse()`.execute(db);
      } else {
        await sql`create trigger cw_test_refuse before insert on enrollments begin select raise(abort, 'refused by the test'); end`.execute(db);
      }
      const set = smallSet(unique("f"));
      const before = await directoryHash();
      try {
        const failed = await importSet(set);
        expect(failed.status).toBe("failed");
        expect(await directoryHash()).toEqual(before);
      } finally {
        await sql`drop trigger cw_test_refuse ${sql.raw(dialect === "postgres" ? "on enrollments" : "")}`.execute(db);
        if (dialect === "postgres") await sql`drop function cw_test_refuse()`.execute(db);
      }
      const applied = await importSet(set);
      expect(applied.status).toBe("applied");
      expect(applied.entities.enrollments?.created).toBeGreaterThan(0);
      expect((await directoryHash()).counts.enrollments).toBeGreaterThan(before.counts.enrollments ?? 0);
    });

    it("deactivates (never deletes) a person missing from a new bulk file, and their enrolments", async () => {
      const tag = unique("c");
      const set = smallSet(tag);
      await importSet(set);
      // An API token of the person about to leave: deactivation revokes it for good (issue 11 item 9).
      const s2 = (await admin.get<TList<TPerson>>(`/api/v1/people?q=s2@${tag}`)).body.items[0];
      if (!s2) throw new Error("fixture");
      const token = `cwk_${unique("roster-token-")}`;
      await server.ctx.db
        .insertInto("api_tokens")
        .values({ id: newId(), person_id: s2.id, name: "script", prefix: token.slice(0, 12), token_hash: sha256(token), created_at: nowIso(), last_used_at: null, expires_at: null, revoked_at: null })
        .execute();
      const withToken = Object.assign(new ApiClient(server.baseUrl), { bearer: token });
      expect((await withToken.get("/api/v1/me")).status).toBe(200);
      const next = cloneSet(set);
      const users = next.files["users.csv"];
      const enrollments = next.files["enrollments.csv"];
      if (!users || !enrollments) throw new Error("fixture");
      users.rows = users.rows.filter((r) => r.sourcedId !== `${tag}-s2`);
      enrollments.rows = enrollments.rows.filter((r) => r.userSourcedId !== `${tag}-s2`);
      const report = await importSet(next);
      expect(report.entities.people).toMatchObject({ deactivated: 1, created: 0, updated: 0 });
      expect(report.entities.enrollments).toMatchObject({ deactivated: 1 });
      const gone = await admin.get<TList<TPerson>>(`/api/v1/people?q=s2@${tag}&status=all`);
      expect(gone.body.items[0]?.status).toBe("inactive");
      expect(gone.body.items[0]?.roles.map((r) => r.role)).toEqual(["student"]);
      expect((await withToken.get("/api/v1/me")).status).toBe(401);
      // The person comes back when the SIS lists them again.
      const back = await importSet(set);
      expect(back.entities.people).toMatchObject({ updated: 1 });
      expect(back.entities.enrollments).toMatchObject({ updated: 1 });
      // …but not their token.
      expect((await withToken.get("/api/v1/me")).status).toBe(401);
    });

    it("keeps a school matched by name when a new export gives it a new sourcedId", async () => {
      const tag = unique("rk");
      expect((await importSet(smallSet(tag))).status).toBe("applied");
      // A new SIS: the same schools under new sourcedIds, in every file that names them.
      const rekeyed: Record<string, string> = {};
      for (const [name, text] of Object.entries(setFiles(smallSet(tag)))) {
        rekeyed[name] = text.replaceAll(`${tag}-oak`, `${tag}-oak-new`).replaceAll(`${tag}-pine`, `${tag}-pine-new`).replaceAll(`${tag}-district`, `${tag}-district-new`);
      }
      const res = await uploadImport(admin, await zipFiles(rekeyed));
      expect(res.status, res.text).toBe(200);
      expect(res.body.status).toBe("applied");
      expect(res.body.entities.orgs).toMatchObject({ updated: 2, created: 1, deactivated: 1 });
      const schools = await admin.get<TList<TSchool>>(`/api/v1/schools?q=${tag}`);
      expect(schools.body.items.map((s) => s.name).sort()).toEqual([`Oak Elementary ${tag}`, `Pine High ${tag}`]);
      const classes = await admin.get<TList<TClassSummary>>(`/api/v1/classes?q=${encodeURIComponent("Math 3")}`);
      expect(classes.body.items.filter((c) => c.schoolName === `Oak Elementary ${tag}`)).toHaveLength(1);
    });

    it("finds a cycle that runs through sessions already stored, in a delta file", async () => {
      const tag = unique("dc");
      const set = smallSet(tag);
      await importSet(set);
      // Stored: Fall 2026's parent is the 2026-27 year. The delta makes the year a child of Fall.
      const year = set.files["academicSessions.csv"]?.rows[0];
      if (!year) throw new Error("fixture");
      const delta: OneRosterSet = {
        manifest: [
          ["manifest.version", "1.0"],
          ["oneroster.version", "1.1"],
          ["file.orgs", "absent"],
          ["file.academicSessions", "delta"],
          ["file.courses", "absent"],
          ["file.classes", "absent"],
          ["file.users", "absent"],
          ["file.enrollments", "absent"],
        ],
        files: {
          "academicSessions.csv": {
            header: set.files["academicSessions.csv"]?.header ?? [],
            rows: [{ ...year, status: "active", dateLastModified: "2026-11-01T10:00:00Z", parentSourcedId: `${tag}-fall` }],
          },
        },
      };
      await expectRefusedUnchanged(setFiles(delta), { file: "academicSessions.csv", column: "parentSourcedId", message: new RegExp(`cycle: ${tag}-y2027 → ${tag}-fall → ${tag}-y2027`) });
    });

    it("applies a delta file: tobedeleted deactivates, active rows upsert, absent rows stay", async () => {
      const tag = unique("d");
      const set = smallSet(tag);
      await importSet(set);
      const delta: OneRosterSet = {
        manifest: [
          ["manifest.version", "1.0"],
          ["oneroster.version", "1.1"],
          ["file.orgs", "absent"],
          ["file.academicSessions", "absent"],
          ["file.courses", "absent"],
          ["file.classes", "absent"],
          ["file.users", "delta"],
          ["file.enrollments", "delta"],
        ],
        files: {
          "users.csv": {
            header: set.files["users.csv"]?.header ?? [],
            rows: [
              { sourcedId: `${tag}-s1`, status: "tobedeleted", dateLastModified: "2026-11-01T10:00:00Z" },
              {
                sourcedId: `${tag}-s4`,
                status: "active",
                dateLastModified: "2026-11-01T10:00:00Z",
                enabledUser: "true",
                orgSourcedIds: `${tag}-pine`,
                role: "student",
                givenName: "Susan",
                familyName: "Four",
                email: `s4@${tag}.example.org`,
                grades: "10",
                identifier: "200004",
              },
              {
                sourcedId: `${tag}-s7`,
                status: "active",
                dateLastModified: "2026-11-01T10:00:00Z",
                enabledUser: "true",
                orgSourcedIds: `${tag}-oak`,
                role: "student",
                givenName: "Seven",
                familyName: "New",
                grades: "03",
              },
            ],
          },
          "enrollments.csv": {
            header: set.files["enrollments.csv"]?.header ?? [],
            rows: [
              { sourcedId: `${tag}-e3`, status: "tobedeleted", dateLastModified: "2026-11-01T10:00:00Z" },
              {
                sourcedId: `${tag}-e12`,
                status: "active",
                dateLastModified: "2026-11-01T10:00:00Z",
                classSourcedId: `${tag}-c-math3a`,
                schoolSourcedId: `${tag}-oak`,
                userSourcedId: `${tag}-s7`,
                role: "student",
              },
            ],
          },
        },
      };
      const report = await importSet(delta);
      expect(report.status, JSON.stringify(report.issues)).toBe("applied");
      expect(report.entities.people).toMatchObject({ deactivated: 1, updated: 1, created: 1 });
      expect(report.entities.enrollments).toMatchObject({ deactivated: 1, created: 1 });
      const s1 = await admin.get<TList<TPerson>>(`/api/v1/people?q=s1@${tag}&status=all`);
      expect(s1.body.items[0]?.status).toBe("inactive");
      const s4 = await admin.get<TList<TPerson>>(`/api/v1/people?q=s4@${tag}`);
      expect(s4.body.items[0]).toMatchObject({ givenName: "Susan", gradeLevel: "10" });
      // Untouched: s2 is not in the delta, so stays active.
      const s2 = await admin.get<TList<TPerson>>(`/api/v1/people?q=s2@${tag}`);
      expect(s2.body.items[0]?.status).toBe("active");
    });

    it("imports a OneRoster 1.2 set, whose roles come from roles.csv", async () => {
      const tag = unique("v12");
      const set = smallSet(tag);
      const users = set.files["users.csv"];
      if (!users) throw new Error("fixture");
      set.manifest = set.manifest.map(([k, v]) => (k === "oneroster.version" ? [k, "1.2"] : [k, v]));
      set.manifest.push(["file.roles", "bulk"]);
      const header12 = USERS_12.filter((c) => c !== "role" && c !== "orgSourcedIds");
      set.files["users.csv"] = { header: header12, rows: users.rows.map((r) => ({ ...r, primaryOrgSourcedId: (r.orgSourcedIds ?? "").split(",")[0] ?? "" })) };
      set.files["roles.csv"] = {
        header: ["sourcedId", "status", "dateLastModified", "userSourcedId", "roleType", "role", "beginDate", "endDate", "orgSourcedId", "userProfileSourcedId"],
        rows: users.rows.flatMap((r) =>
          (r.orgSourcedIds ?? "").split(",").map((org, i) => ({
            sourcedId: `${r.sourcedId}-role-${i}`,
            userSourcedId: r.sourcedId ?? "",
            roleType: i === 0 ? "primary" : "secondary",
            role: r.role ?? "",
            orgSourcedId: org,
          })),
        ),
      };
      const report = await importSet(set);
      expect(report.status, JSON.stringify(report.issues)).toBe("applied");
      expect(report.version).toBe("1.2");
      expect(report.entities.people).toMatchObject({ created: 10, skipped: 1 });
      expect(report.entities.enrollments).toMatchObject({ created: 11 });
      const aide = await admin.get<TList<TPerson>>(`/api/v1/people?q=aide1@${tag}`);
      expect(aide.body.items[0]?.roles.map((r) => r.role)).toEqual(["teacher", "teacher"]);
      const again = await importSet(set);
      expect(again.counts).toMatchObject({ created: 0, updated: 0, deactivated: 0 });
    });

    it("reports a missing required file and changes nothing", async () => {
      const files = setFiles(smallSet(unique("e")));
      delete files["users.csv"];
      await expectRefusedUnchanged(files, { file: "users.csv", message: /users\.csv is missing/ });
    });

    it("reports a file separated by semicolons", async () => {
      const set = smallSet(unique("f"));
      const files = setFiles(set);
      const orgs = set.files["orgs.csv"];
      if (!orgs) throw new Error("fixture");
      files["orgs.csv"] = tableCsv(orgs, { delimiter: ";" });
      const report = await expectRefusedUnchanged(files, { file: "orgs.csv", line: 1, message: /separated by semicolons/ });
      expect(report.isBlocked).toBe(true);
      // The files that refer to orgs are not checked against an empty list: one notice each, no cascade.
      expect(report.issues.filter((i) => i.severity === "error")).toHaveLength(1);
      expect(report.issues).toContainEqual(expect.objectContaining({ severity: "warning", file: "enrollments.csv", message: expect.stringMatching(/not checked, because orgs\.csv could not be read/) }));
    });

    it("reports a truncated zip and changes nothing", async () => {
      const before = await directoryHash();
      const zip = await zipFiles(setFiles(smallSet(unique("g"))));
      const res = await uploadImport(admin, zip.subarray(0, Math.floor(zip.length * 0.7)));
      expect(res.body.status).toBe("rejected");
      expect(res.body.issues[0]?.message).toMatch(/incomplete or damaged/);
      expect(await directoryHash()).toEqual(before);
    });

    it("takes uploads past the JSON body limit, and explains a file that is not a zip", async () => {
      const before = await directoryHash();
      const res = await uploadImport(admin, randomBytes(3 * 1024 * 1024), { fileName: "export.zip" });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe("rejected");
      expect(res.body.issues[0]).toMatchObject({ file: "export.zip", message: expect.stringMatching(/not a \.zip archive/) });
      expect(await directoryHash()).toEqual(before);
    });

    it("reports a OneRoster 1.2 users.csv declared as 1.1", async () => {
      const set = smallSet(unique("h"));
      const files = setFiles(set);
      const users = set.files["users.csv"];
      if (!users) throw new Error("fixture");
      files["users.csv"] = tableCsv({ header: USERS_12, rows: users.rows });
      const report = await expectRefusedUnchanged(files, { file: "users.csv", line: 1, message: /OneRoster 1\.2 columns.*declares oneroster\.version 1\.1/ });
      expect(report.issues.filter((i) => i.severity === "error")).toHaveLength(1);
      expect(report.issues).toContainEqual(expect.objectContaining({ file: "enrollments.csv", message: expect.stringMatching(/because users\.csv could not be read/) }));
    });

    it("reports a cycle in parentSourcedId", async () => {
      const tag = unique("i");
      const set = smallSet(tag);
      const orgs = set.files["orgs.csv"];
      if (!orgs) throw new Error("fixture");
      const district = orgs.rows[0];
      if (district) district.parentSourcedId = `${tag}-oak`;
      const report = await expectRefusedUnchanged(setFiles(set), { file: "orgs.csv", column: "parentSourcedId", message: /cycle/ });
      // Only the two orgs on the cycle are refused: no file after orgs.csv reports the others as unknown.
      const errors = report.issues.filter((i) => i.severity === "error");
      expect(errors.map((i) => i.message), JSON.stringify(report.issues, null, 1)).toEqual([expect.stringMatching(/cycle: .* these 2 orgs are not imported/)]);
      expect(report.entities.orgs).toMatchObject({ rejected: 2, created: 1 });
    });

    it("reports a cycle in academic sessions' parentSourcedId, refusing only the sessions on it", async () => {
      const tag = unique("ic");
      const set = smallSet(tag);
      const sessions = set.files["academicSessions.csv"];
      const year = sessions?.rows[0];
      if (!year) throw new Error("fixture");
      year.parentSourcedId = `${tag}-fall`;
      const report = await expectRefusedUnchanged(setFiles(set), { file: "academicSessions.csv", column: "parentSourcedId", message: /cycle/ });
      expect(report.entities.academicSessions).toMatchObject({ rejected: 2, created: 1 });
      expect(report.issues.filter((i) => i.severity === "error")).toHaveLength(1);
    });

    it("reports invalid emails by line and column; applies the valid rows only when asked", async () => {
      const tag = unique("j");
      const set = smallSet(tag);
      const users = set.files["users.csv"];
      if (!users?.rows[4]) throw new Error("fixture");
      users.rows[4].email = "sam.one@@example";
      const refused = await expectRefusedUnchanged(setFiles(set), { file: "users.csv", line: 6, column: "email", message: /not a valid email/ });
      expect(refused.entities.people?.rejected).toBe(1);
      expect(refused.isBlocked).toBe(false);

      const partial = await importSet(set, { applyValid: "true" });
      expect(partial.status).toBe("applied");
      expect(partial.entities.people).toMatchObject({ created: 9, rejected: 1 });
      // The rejected student's enrolment is skipped, not written half-way.
      expect(partial.entities.enrollments).toMatchObject({ created: 10, skipped: 1 });
    });

    it("reports references to unknown classes and orgs, and duplicate sourcedIds", async () => {
      const tag = unique("k");
      const set = smallSet(tag);
      const enr = set.files["enrollments.csv"];
      const users = set.files["users.csv"];
      if (!enr?.rows[2] || !users?.rows[5]) throw new Error("fixture");
      enr.rows[2].classSourcedId = `${tag}-nope`;
      users.rows[5].orgSourcedIds = `${tag}-mars`;
      users.rows.push({ ...users.rows[6], email: `dup@${tag}.example.org` } as Record<string, string>);
      const report = await expectRefusedUnchanged(setFiles(set), {
        file: "enrollments.csv",
        line: 4,
        column: "classSourcedId",
        message: /class .*-nope is not in classes\.csv/,
      });
      expect(report.issues).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ file: "users.csv", line: 7, column: "orgSourcedIds", message: expect.stringMatching(/org .*-mars is not in orgs\.csv/) }),
          expect.objectContaining({ file: "users.csv", line: 13, column: "sourcedId", message: expect.stringMatching(/also on line 8/) }),
        ]),
      );
    });

    it("reads a BOM, CRLF and quoted fields with commas and newlines; serves the report as CSV", async () => {
      const tag = unique("l");
      const set = smallSet(tag);
      const classes = set.files["classes.csv"];
      if (!classes?.rows[1]) throw new Error("fixture");
      classes.rows[1].title = "Biology, \"Honors\"\r\nSection 1";
      const users = set.files["users.csv"];
      if (!users?.rows[6]) throw new Error("fixture");
      users.rows[6].email = "not-an-email";
      const report = await importSet(set, { applyValid: "true" });
      expect(report.status).toBe("applied");
      // users.csv: header line 1, rows 2.. — the bad row is the 7th row.
      expect(report.issues).toEqual(expect.arrayContaining([expect.objectContaining({ file: "users.csv", line: 8, column: "email" })]));
      const list = await admin.get<TList<TClassSummary>>(`/api/v1/classes?q=${encodeURIComponent("honors")}`);
      expect(list.body.items.map((c) => c.title)).toContain("Biology, \"Honors\"\r\nSection 1");

      const csv = await admin.get(`/api/v1/rostering/imports/${report.id}/report.csv`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get("content-type")).toContain("text/csv");
      const [header, ...rows] = parse(csv.text, { bom: true, relax_column_count: true }) as string[][];
      expect(header).toEqual(["severity", "file", "line", "column", "message"]);
      expect(rows).toContainEqual(expect.arrayContaining(["error", "users.csv", "8", "email"]));
    });

    it("refuses a file over the size limit before reading it, leaving the directory as it was", async () => {
      const before = await directoryHash();
      const res = await uploadImport(admin, await hugeZip());
      expect(res.body.status).toBe("rejected");
      expect(res.body.issues[0]).toMatchObject({ file: "users.csv", message: expect.stringMatching(/500 MiB; one file may be at most 256 MiB/) });
      expect(await directoryHash()).toEqual(before);
    }, 60_000);

    it("records each import: the history lists who, when and the counts", async () => {
      const set = smallSet(unique("n"));
      const dry = await importSet(set, { dryRun: "true" });
      expect(dry.status).toBe("dry_run");
      expect(dry.counts.created).toBeGreaterThan(0);
      const list = await admin.get<TList<TRosterImport>>("/api/v1/rostering/imports?limit=200");
      expect(list.status).toBe(200);
      const row = list.body.items.find((i) => i.id === dry.id);
      expect(row).toMatchObject({ status: "dry_run", isDryRun: true, actorName: "Ada Admin", origin: "web", kind: "oneroster" });
      const audit = await admin.get<{ items: { action: string; details: Record<string, unknown> | null }[] }>("/api/v1/audit?action=roster.import");
      expect(audit.body.items.some((a) => a.details?.importId === dry.id)).toBe(true);
    });

    it("refuses a second import while one is running in the district, and marks interrupted one whose heartbeat stopped a minute ago", async () => {
      const districtId = (await server.ctx.db.selectFrom("districts").select("id").executeTakeFirstOrThrow()).id;
      const row = (id: string, startedAt: string) => ({
        id,
        district_id: districtId,
        actor_id: null,
        origin: "cli" as const,
        kind: "oneroster" as const,
        file_name: "other-server.zip",
        status: "running" as const,
        is_dry_run: 0,
        apply_valid: 0,
        ...{ created: 0, updated: 0, deactivated: 0, unchanged: 0, skipped: 0, rejected: 0, error_count: 0, warning_count: 0 },
        report: null,
        started_at: startedAt,
        finished_at: null,
        heartbeat_at: startedAt,
        owner: JSON.stringify({ host: "another-app-server", pid: 4242, instance: "0b7c2f4e-0000-4000-8000-000000000001" }),
      });
      // Another server's import, beating a moment ago: the database's one-running-import index refuses ours.
      const otherId = "0190f000-0000-7000-8000-00000000a001";
      await server.ctx.db.insertInto("roster_imports").values(row(otherId, new Date().toISOString())).execute();
      const zip = await zipFiles(setFiles(smallSet(unique("busy"))));
      const refused = await uploadImport<TErrorResponse>(admin, zip);
      expect(refused.status, refused.text).toBe(409);
      expect(refused.body.error).toMatchObject({ code: "conflict", details: { importId: otherId } });

      // Half a minute without a heartbeat is a busy server, not a dead one.
      const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
      await server.ctx.db.updateTable("roster_imports").set({ heartbeat_at: ago(30_000) }).where("id", "=", otherId).execute();
      expect((await uploadImport<TErrorResponse>(admin, zip)).status).toBe(409);

      // Seventy seconds: that server was killed. Its import shows as interrupted, is marked so when ours starts, and ours runs.
      await server.ctx.db.updateTable("roster_imports").set({ heartbeat_at: ago(70_000) }).where("id", "=", otherId).execute();
      const shown = await admin.get<TRosterImport>(`/api/v1/rostering/imports/${otherId}`);
      expect(shown.body.status).toBe("interrupted");
      const ran = await uploadImport(admin, zip, { dryRun: "true" });
      expect(ran.status, ran.text).toBe(200);
      expect(ran.body.status).toBe("dry_run");
      const old = await server.ctx.db.selectFrom("roster_imports").select(["status", "finished_at", "report"]).where("id", "=", otherId).executeTakeFirstOrThrow();
      expect(old.status).toBe("interrupted");
      expect(old.finished_at).not.toBeNull();
      const report = await admin.get<{ status: string; failure: string | null }>(`/api/v1/rostering/imports/${otherId}`);
      expect(report.body).toMatchObject({ status: "interrupted", failure: expect.stringMatching(/^Interrupted: the process running it \(pid 4242 on another-app-server\) stopped reporting 7\d s ago/) });
    });

    it("imports a plain staff CSV with the same validation and report", async () => {
      const school = await makeSchool(admin, { name: unique("Maple Middle "), level: "middle" });
      const tag = unique("staff");
      const csv = [
        "name,email,school,role",
        `Rita Reader,rita@${tag}.example.org,${school.name},teacher`,
        `"Coach, Carl",carl@${tag}.example.org,,coach`,
        `Bad Email,not-an-email,${school.name},teacher`,
        `Nobody Here,nobody@${tag}.example.org,Atlantis High,teacher`,
      ].join("\r\n");
      const refused = await uploadImport(admin, csv, { fileName: "staff.csv" }, "text/csv");
      expect(refused.body.status).toBe("rejected");
      expect(refused.body.suggestedEncoding).toBeNull();
      expect(refused.body.issues).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ file: "staff.csv", line: 4, column: "email" }),
          expect.objectContaining({ file: "staff.csv", line: 5, column: "school" }),
        ]),
      );
      const applied = await uploadImport(admin, csv, { fileName: "staff.csv", applyValid: "true" }, "text/csv");
      expect(applied.body).toMatchObject({ status: "applied", kind: "staff" });
      expect(applied.body.entities.people).toMatchObject({ created: 2, rejected: 2 });
      const carl = await admin.get<TList<TPerson>>(`/api/v1/people?q=carl@${tag}`);
      expect(carl.body.items[0]).toMatchObject({ givenName: "Carl", familyName: "Coach" });
      expect(carl.body.items[0]?.roles).toEqual([{ role: "coach", schoolId: null, schoolName: null }]);
      const again = await uploadImport(admin, csv, { fileName: "staff.csv", applyValid: "true" }, "text/csv");
      expect(again.body.counts).toMatchObject({ created: 0, updated: 0 });
    });

    it("refuses a Shift_JIS staff CSV naming the line and the encoding, writing nothing, and reads it intact with encoding=shift_jis", async () => {
      const school = await makeSchool(admin, { name: unique("Sakura Middle "), level: "middle" });
      const tag = unique("sjis");
      const names = JAPANESE_NAMES.map((n, i) => ({ ...n, email: `jp${i}@${tag}.example.org` }));
      const csv = ["name,email,school,role", ...names.map((n) => `${n.given} ${n.family},${n.email},${school.name},teacher`)].join("\r\n");
      const bytes = iconv.encode(csv, "shift_jis");
      const before = await directoryHash();
      const refused = await uploadImport(admin, bytes, { fileName: "staff.csv" }, "text/csv");
      expect(refused.status, refused.text).toBe(200);
      expect(refused.body.status).toBe("rejected");
      expect(refused.body.issues).toEqual([
        expect.objectContaining({ severity: "error", file: "staff.csv", line: 2, message: expect.stringMatching(/not UTF-8.*most likely shift_jis.*encoding=shift_jis/) }),
      ]);
      expect((await directoryHash()).hash).toBe(before.hash);
      // The guess is part of the report, stored with it, so the page can choose it for the admin.
      expect(refused.body.suggestedEncoding).toBe("shift_jis");
      const stored = await admin.get<TRosterImportReport>(`/api/v1/rostering/imports/${refused.body.id}`);
      expect(stored.body.suggestedEncoding).toBe("shift_jis");

      const unknown = await uploadImport(admin, bytes, { fileName: "staff.csv", encoding: "klingon" }, "text/csv");
      expect(unknown.status).toBe(400);

      const applied = await uploadImport(admin, bytes, { fileName: "staff.csv", encoding: "Shift_JIS" }, "text/csv");
      expect(applied.body, applied.text).toMatchObject({ status: "applied", errorCount: 0 });
      expect(applied.body.entities.people).toMatchObject({ created: names.length });
      expect(applied.body.suggestedEncoding).toBeNull();
      const { rows } = await sql<{ given_name: string; family_name: string; email: string }>`select given_name, family_name, email from people where email like ${`%@${tag}.example.org`} order by email`.execute(server.ctx.db);
      expect(rows.map((r) => `${r.given_name} ${r.family_name}`).sort()).toEqual(names.map((n) => `${n.given} ${n.family}`).sort());
      expect(rows.some((r) => r.given_name.includes("\ufffd") || r.family_name.includes("\ufffd"))).toBe(false);
    });

    it("refuses a OneRoster users.csv in Windows-1252, and imports José Müller intact with encoding=windows-1252", async () => {
      const tag = unique("w1252");
      const set = smallSet(tag);
      const users = set.files["users.csv"]?.rows ?? [];
      const teacher = users.find((u) => u.role === "teacher");
      if (!teacher) throw new Error("no teacher in the set");
      teacher.givenName = "José";
      teacher.familyName = "Müller";
      const files: Record<string, string | Buffer> = setFiles(set);
      const text = files["users.csv"];
      if (typeof text !== "string") throw new Error("no users.csv");
      // A file saved in Windows-1252 has no BOM (setFiles writes UTF-8 ones).
      files["users.csv"] = iconv.encode(text.replace(/^\ufeff/, ""), "windows-1252");
      const line = text.split(/\r?\n/).findIndex((l) => l.includes("José")) + 1;
      const zip = await zipFiles(files);
      const before = await directoryHash();
      const refused = await uploadImport(admin, zip);
      expect(refused.body.status).toBe("rejected");
      expect(refused.body.issues).toEqual(
        expect.arrayContaining([expect.objectContaining({ file: "users.csv", line, message: expect.stringMatching(/not UTF-8.*most likely windows-1252/) })]),
      );
      expect(refused.body.suggestedEncoding).toBe("windows-1252");
      expect((await directoryHash()).hash).toBe(before.hash);
      const applied = await uploadImport(admin, zip, { encoding: "windows-1252" });
      expect(applied.body, applied.text).toMatchObject({ status: "applied", errorCount: 0, suggestedEncoding: null });
      const jose = await admin.get<TList<TPerson>>(`/api/v1/people?q=${encodeURIComponent(teacher.email ?? "")}`);
      expect(jose.body.items[0]).toMatchObject({ givenName: "José", familyName: "Müller" });
    });

    it("reads a report stored before suggestedEncoding existed as suggesting none", async () => {
      const tag = unique("oldreport");
      const refused = await uploadImport(admin, iconv.encode(`name,email,school,role\r\nJosé Müller,jm@${tag}.example.org,,coach`, "windows-1252"), { fileName: "staff.csv" }, "text/csv");
      expect(refused.body).toMatchObject({ status: "rejected", suggestedEncoding: "windows-1252" });
      const row = await server.ctx.db.selectFrom("roster_imports").select("report").where("id", "=", refused.body.id).executeTakeFirstOrThrow();
      const { suggestedEncoding: _dropped, ...older } = JSON.parse(row.report ?? "{}") as Record<string, unknown>;
      await server.ctx.db.updateTable("roster_imports").set({ report: JSON.stringify(older) }).where("id", "=", refused.body.id).execute();
      const shown = await admin.get<TRosterImportReport>(`/api/v1/rostering/imports/${refused.body.id}`);
      expect(shown.status, shown.text).toBe(200);
      expect(shown.body).toMatchObject({ status: "rejected", suggestedEncoding: null });
      expect(shown.body.issues[0]?.message).toMatch(/most likely windows-1252/);
    });

    it("keeps a role granted by hand when the roster changes, and links a person added by hand by email", async () => {
      const tag = unique("o");
      const set = smallSet(tag);
      await importSet(set);
      const teachers = await admin.get<TList<TPerson>>(`/api/v1/people?q=t-oak@${tag}`);
      const terry = teachers.body.items[0];
      if (!terry) throw new Error("no teacher");
      const coachGrant = { role: "coach" as const, schoolId: null };
      const granted = await admin.patch(`/api/v1/people/${terry.id}`, { roles: [...terry.roles.map((r) => ({ role: r.role, schoolId: r.schoolId })), coachGrant] });
      expect(granted.status).toBe(200);
      const again = await importSet(set);
      expect(again.entities.roles).toMatchObject({ created: 0, deactivated: 0 });
      const after = await admin.get<TPerson>(`/api/v1/people/${terry.id}`);
      expect(after.body.roles.map((r) => r.role).sort()).toEqual(["coach", "teacher"]);
    });
  });

  describe(`rostering access (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    let tag: string;

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
      tag = unique("z");
      const res = await uploadImport(admin, await zipFiles(setFiles(smallSet(tag))));
      if (res.body.status !== "applied") throw new Error(res.text);
    });
    afterAll(async () => server.close());

    it("refuses the import endpoints to a teacher and a coach", async () => {
      const school = await makeSchool(admin);
      const teacher = await signedIn(server, (await makePerson(admin, { roles: [{ role: "teacher", schoolId: school.id }] })).email);
      const coach = await signedIn(server, (await makePerson(admin, { roles: [{ role: "coach", schoolId: null }] })).email);
      const zip = await zipFiles(setFiles(smallSet(unique("q"))));
      for (const client of [teacher, coach]) {
        const post = await uploadImport<TErrorResponse>(client, zip);
        expect(post.status).toBe(403);
        expect((await client.get("/api/v1/rostering/imports")).status).toBe(403);
      }
      const list = await admin.get<TList<TRosterImport>>("/api/v1/rostering/imports");
      const first = list.body.items[0];
      expect((await teacher.get(`/api/v1/rostering/imports/${first?.id}`)).status).toBe(403);
      expect((await coach.get(`/api/v1/rostering/imports/${first?.id}/report.csv`)).status).toBe(403);
    });

    it("refuses an upload without a session or CSRF token, and a JSON body", async () => {
      const zip = await zipFiles(setFiles(smallSet(unique("r"))));
      const anonymous = await fetch(`${server.baseUrl}/api/v1/rostering/imports`, { method: "POST", headers: { "content-type": "application/zip" }, body: new Uint8Array(zip) });
      expect(anonymous.status).toBe(401);
      const noCsrf = await fetch(`${server.baseUrl}/api/v1/rostering/imports`, {
        method: "POST",
        headers: { "content-type": "application/zip", cookie: admin.cookie ?? "" },
        body: new Uint8Array(zip),
      });
      expect(noCsrf.status).toBe(403);
      const json = await admin.post<TErrorResponse>("/api/v1/rostering/imports", { hello: "world" });
      expect(json.status).toBe(415);
    });

    it("lets a class's teacher and the school's coach read its roster, but not a student", async () => {
      const classes = await admin.get<TList<TClassSummary>>(`/api/v1/classes?q=${encodeURIComponent("Math 3")}`);
      const math = classes.body.items.find((c) => c.title.startsWith("Math 3"));
      if (!math) throw new Error("no class");
      // Imported people have no password; give the teacher and a student one to sign in.
      const byEmail = async (prefix: string) => (await admin.get<TList<TPerson>>(`/api/v1/people?q=${prefix}@${tag}`)).body.items[0];
      const student = await byEmail("s1");
      const teacher = await byEmail("t-oak");
      const other = await byEmail("t-pine");
      if (!student || !teacher || !other) throw new Error("fixture");
      const password = "correct horse battery staple";
      for (const p of [student, teacher, other]) {
        await server.ctx.db
          .updateTable("people")
          .set({ password_hash: await (await import("../../auth/password.js")).hashPassword(password) })
          .where("id", "=", p.id)
          .execute();
      }
      const asTeacher = await signedIn(server, teacher.email ?? "");
      const roster = await asTeacher.get<TClassDetail>(`/api/v1/classes/${math.id}`);
      expect(roster.status).toBe(200);
      expect(roster.body.students).toHaveLength(3);
      const teacherList = await asTeacher.get<TList<TClassSummary>>("/api/v1/classes");
      expect(teacherList.body.items.map((c) => c.id)).toEqual([math.id]);

      const asOther = await signedIn(server, other.email ?? "");
      expect((await asOther.get(`/api/v1/classes/${math.id}`)).status).toBe(403);

      const coach = await signedIn(server, (await makePerson(admin, { roles: [{ role: "coach", schoolId: math.schoolId }] })).email);
      expect((await coach.get<TClassDetail>(`/api/v1/classes/${math.id}`)).status).toBe(200);

      const asStudent = await signedIn(server, student.email ?? "");
      const denied = await asStudent.get<TErrorResponse>(`/api/v1/classes/${math.id}`);
      expect(denied.status).toBe(403);
      expect((await asStudent.get("/api/v1/classes")).status).toBe(403);
      expect((await asStudent.get(`/api/v1/schools/${math.schoolId}/summary`)).status).toBe(403);
    });

    it("lists a person's classes with their role in each, within the reader's scope, and audits a student's", async () => {
      const byEmail = async (prefix: string) => (await admin.get<TList<TPerson>>(`/api/v1/people?q=${prefix}@${tag}`)).body.items[0];
      const student = await byEmail("s1");
      const teacher = await byEmail("t-oak");
      const other = await byEmail("t-pine");
      if (!student || !teacher || !other) throw new Error("fixture");

      const all = await admin.get<TList<TClassSummary>>(`/api/v1/classes?personId=${student.id}`);
      expect(all.status, all.text).toBe(200);
      expect(all.body.items.length).toBeGreaterThan(0);
      expect(all.body.items.every((c) => c.memberRole === "student")).toBe(true);
      const audit = await admin.get<{ items: { action: string; subjectId: string | null }[] }>("/api/v1/audit?action=person.classes");
      expect(audit.body.items.some((a) => a.subjectId === student.id)).toBe(true);

      const taught = await admin.get<TList<TClassSummary>>(`/api/v1/classes?personId=${teacher.id}`);
      expect(taught.body.items.length).toBeGreaterThan(0);
      expect(taught.body.items.every((c) => c.memberRole === "teacher")).toBe(true);
      // Without personId nobody's role is given.
      const plain = await admin.get<TList<TClassSummary>>("/api/v1/classes");
      expect(plain.body.items.every((c) => c.memberRole === null)).toBe(true);

      // Another teacher sees only the student's classes they teach themselves.
      // Imported people have no password; give this one the test password to sign in.
      const hash = await (await import("../../auth/password.js")).hashPassword(PASSWORD);
      await server.ctx.db.updateTable("people").set({ password_hash: hash }).where("id", "=", other.id).execute();
      const asOther = await signedIn(server, other.email ?? "");
      const own = new Set((await asOther.get<TList<TClassSummary>>("/api/v1/classes")).body.items.map((c) => c.id));
      const seen = await asOther.get<TList<TClassSummary>>(`/api/v1/classes?personId=${student.id}`);
      expect(seen.status).toBe(200);
      expect(seen.body.items.length).toBeLessThan(all.body.items.length);
      expect(seen.body.items.every((c) => own.has(c.id))).toBe(true);
    });
  });
}
