import { createHash } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TList } from "../../../shared/schemas/common.js";
import type { TClassDetail, TClassSummary } from "../../../shared/schemas/classes.js";
import type { TPerson } from "../../../shared/schemas/people.js";
import type { TRosterImportReport } from "../../../shared/schemas/rostering.js";
import type { TSchool } from "../../../shared/schemas/schools.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { setUpDistrict, unique } from "../../../tests/helpers/factories.js";
import { cloneSet, setFiles, smallSet, tableCsv, uploadImport, zipFiles, type OneRosterSet, type Table } from "../../../tests/helpers/oneroster.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";
import type { DB } from "../../db/schema.js";

// What real SIS exports contain (issue 12): each case is a set of our own making, built from the
// small set by changing what a real export was found to change, and imported over real HTTP.

const DIRECTORY_TABLES: (keyof DB)[] = ["schools", "roster_orgs", "people", "role_assignments", "academic_sessions", "courses", "classes", "class_terms", "enrollments"];

function table(set: OneRosterSet, name: string): Table {
  const t = set.files[name];
  if (!t) throw new Error(`fixture: no ${name}`);
  return t;
}

function row(set: OneRosterSet, name: string, sourcedId: string): Record<string, string> {
  const r = table(set, name).rows.find((x) => x.sourcedId === sourcedId);
  if (!r) throw new Error(`fixture: no ${sourcedId} in ${name}`);
  return r;
}

for (const dialect of DIALECTS) {
  describe(`OneRoster files as SIS exports write them (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
    });
    afterAll(async () => server.close());

    /** Every row of the directory's tables, hashed: equal before and after means nothing was written. */
    async function directoryHash(): Promise<string> {
      const h = createHash("sha256");
      for (const t of DIRECTORY_TABLES) {
        const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(t)}`.execute(server.ctx.db);
        h.update(`${t}\n${rows.map((r) => JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k]]))).sort().join("\n")}\n`);
      }
      return h.digest("hex");
    }

    async function importFiles(files: Record<string, string>, query: Record<string, string> = {}): Promise<TRosterImportReport> {
      const res = await uploadImport(admin, await zipFiles(files), query);
      expect(res.status, res.text).toBe(200);
      return res.body;
    }

    const importSet = (set: OneRosterSet, query: Record<string, string> = {}) => importFiles(setFiles(set), query);
    const warnings = (r: TRosterImportReport) => r.issues.filter((i) => i.severity === "warning");

    async function classBySource(sourcedId: string): Promise<TClassDetail> {
      const c = await server.ctx.db.selectFrom("classes").select("id").where("source_id", "=", sourcedId).executeTakeFirstOrThrow();
      const detail = await admin.get<TClassDetail>(`/api/v1/classes/${c.id}`);
      expect(detail.status, detail.text).toBe(200);
      return detail.body;
    }

    // ---- Item 1: accept what real exports contain ----

    it("reads every enumeration without regard to case: classType Scheduled, org and session types, roles, status, modes", async () => {
      const tag = unique("case");
      const set = smallSet(tag);
      set.manifest = set.manifest.map(([k, v]) => [k, k.startsWith("file.") && v === "bulk" ? "Bulk" : v]);
      for (const r of table(set, "orgs.csv").rows) r.type = r.type === "school" ? "School" : "DISTRICT";
      for (const r of table(set, "academicSessions.csv").rows) r.type = r.type === "schoolYear" ? "SchoolYear" : "Term";
      for (const r of table(set, "classes.csv").rows) {
        r.classType = "Scheduled";
        r.status = "Active";
      }
      for (const r of table(set, "users.csv").rows) r.role = (r.role ?? "").charAt(0).toUpperCase() + (r.role ?? "").slice(1);
      row(set, "users.csv", `${tag}-admin1`).role = "ADMINISTRATOR";
      for (const r of table(set, "enrollments.csv").rows) r.role = (r.role ?? "").toUpperCase();
      // OneRoster 1.2's counselor: a role the specification defines, not imported here (like a parent).
      table(set, "users.csv").rows.push({ sourcedId: `${tag}-c1`, enabledUser: "Yes", orgSourcedIds: `${tag}-oak`, role: "Counselor", givenName: "Cory", familyName: "Counsel" });
      const report = await importSet(set);
      expect(report.status, JSON.stringify(report.issues)).toBe("applied");
      expect(report.errorCount).toBe(0);
      expect(report.entities.classes).toMatchObject({ created: 3, rejected: 0 });
      expect(report.entities.people).toMatchObject({ created: 10, skipped: 2 });
      expect(report.entities.enrollments).toMatchObject({ created: 11 });
      expect(report.skippedRoles).toEqual({ parent: 1, counselor: 1 });
      // Stored as the specification spells them, not as the file did.
      const math = await server.ctx.db.selectFrom("classes").select("class_type").where("source_id", "=", `${tag}-c-math3a`).executeTakeFirstOrThrow();
      expect(math.class_type).toBe("scheduled");
      const year = await server.ctx.db.selectFrom("academic_sessions").select("type").where("source_id", "=", `${tag}-y2027`).executeTakeFirstOrThrow();
      expect(year.type).toBe("schoolYear");
      const principal = await admin.get<TList<TPerson>>(`/api/v1/people?q=admin1@${tag}`);
      expect(principal.body.items[0]?.roles.map((r) => r.role)).toEqual(["school_leader"]);
      // A word that is no enumeration's is still refused, naming the line.
      const bad = cloneSet(set);
      row(bad, "classes.csv", `${tag}-c-bio2`).classType = "Lecture";
      const refused = await importSet(bad, { dryRun: "true" });
      expect(refused.issues).toContainEqual(expect.objectContaining({ severity: "error", file: "classes.csv", line: 4, column: "classType" }));
    });

    it("reads primary as true/false, yes/no or 1/0 in any case, and refuses anything else on its line", async () => {
      const tag = unique("prim");
      const set = smallSet(tag);
      row(set, "enrollments.csv", `${tag}-e1`).primary = "Yes";
      row(set, "enrollments.csv", `${tag}-e2`).primary = "no";
      row(set, "enrollments.csv", `${tag}-e6`).primary = "1";
      row(set, "enrollments.csv", `${tag}-e7`).primary = "0";
      row(set, "enrollments.csv", `${tag}-e9`).primary = "TRUE";
      const report = await importSet(set);
      expect(report.status, JSON.stringify(report.issues)).toBe("applied");
      expect(report.entities.enrollments).toMatchObject({ created: 11, rejected: 0 });
      const math = await classBySource(`${tag}-c-math3a`);
      expect(Object.fromEntries(math.teachers.map((t) => [t.displayName, t.isPrimary]))).toEqual({ "Terry Oakes": true, "Alex Aide": false });
      const bio2 = await classBySource(`${tag}-c-bio2`);
      expect(bio2.teachers.map((t) => t.isPrimary)).toEqual([true]);

      const bad = cloneSet(set);
      row(bad, "enrollments.csv", `${tag}-e6`).primary = "maybe";
      const refused = await importSet(bad, { dryRun: "true" });
      expect(refused.status).toBe("rejected");
      expect(refused.issues).toContainEqual(expect.objectContaining({ severity: "error", file: "enrollments.csv", line: 7, column: "primary" }));
    });

    it("infers a missing manifest.csv from the files present, with a warning", async () => {
      const tag = unique("noman");
      const files = setFiles(smallSet(tag));
      delete files["manifest.csv"];
      const report = await importFiles(files);
      expect(report.status, JSON.stringify(report.issues)).toBe("applied");
      expect(report.version).toBe("1.1");
      expect(report.entities.people).toMatchObject({ created: 10 });
      expect(report.entities.enrollments).toMatchObject({ created: 11 });
      expect(warnings(report)).toContainEqual(expect.objectContaining({ file: "manifest.csv", message: expect.stringMatching(/manifest\.csv is missing, so it is inferred.*OneRoster 1\.1/) }));
      // Not a OneRoster export at all: still refused.
      const res = await importFiles({ "notes.csv": "a,b\n1,2\n" });
      expect(res.status).toBe("rejected");
      expect(res.issues[0]).toMatchObject({ severity: "error", file: "manifest.csv", message: expect.stringMatching(/every OneRoster file/) });
    });

    it("keeps classes whose courses.csv is declared absent, under a stand-in course, with a warning", async () => {
      const tag = unique("nocrs");
      const set = smallSet(tag);
      set.manifest = set.manifest.map(([k, v]) => [k, k === "file.courses" ? "absent" : v]);
      delete set.files["courses.csv"];
      const report = await importSet(set);
      expect(report.status, JSON.stringify(report.issues)).toBe("applied");
      expect(report.errorCount).toBe(0);
      expect(report.entities.classes).toMatchObject({ created: 3, rejected: 0 });
      expect(report.entities.enrollments).toMatchObject({ created: 11 });
      expect(warnings(report)).toContainEqual(
        expect.objectContaining({ file: "classes.csv", line: 2, column: "courseSourcedId", message: expect.stringMatching(new RegExp(`courses\\.csv absent.*course ${tag}-math3 \\(and 1 more\\)`)) }),
      );
      const math = await classBySource(`${tag}-c-math3a`);
      expect(math.courseTitle).toBe("Math 3, Room 12");
      // Both Biology classes share their one stand-in course; a later courses.csv fills it in.
      const bio1 = await server.ctx.db.selectFrom("classes").select("course_id").where("source_id", "=", `${tag}-c-bio1`).executeTakeFirstOrThrow();
      const bio2 = await server.ctx.db.selectFrom("classes").select("course_id").where("source_id", "=", `${tag}-c-bio2`).executeTakeFirstOrThrow();
      expect(bio1.course_id).toBe(bio2.course_id);
      const full = await importSet(smallSet(tag));
      expect(full.status, JSON.stringify(full.issues)).toBe("applied");
      expect(full.entities.courses).toMatchObject({ created: 0, updated: 2 });
      expect((await classBySource(`${tag}-c-math3a`)).courseTitle).toBe("Math 3");
    });

    it("places people and classes under a department in its school; a department without its school stands in as one, with a warning", async () => {
      const tag = unique("dept");
      const set = smallSet(tag);
      const orgs = table(set, "orgs.csv");
      orgs.rows.push(
        { sourcedId: `${tag}-oak-math`, name: `Oak Math Department ${tag}`, type: "department", parentSourcedId: `${tag}-oak` },
        // A partial export: the department's school is in another file set.
        { sourcedId: `${tag}-elm-art`, name: `Elm Art Department ${tag}`, type: "Department", parentSourcedId: `${tag}-elm` },
        { sourcedId: `${tag}-state`, name: "State", type: "state" },
      );
      row(set, "orgs.csv", `${tag}-district`).parentSourcedId = `${tag}-state`;
      row(set, "users.csv", `${tag}-t-oak`).orgSourcedIds = `${tag}-oak-math`;
      row(set, "classes.csv", `${tag}-c-math3a`).schoolSourcedId = `${tag}-oak-math`;
      row(set, "enrollments.csv", `${tag}-e1`).schoolSourcedId = `${tag}-oak-math`;
      table(set, "classes.csv").rows.push({
        sourcedId: `${tag}-c-art`,
        title: "Art 1",
        courseSourcedId: `${tag}-math3`,
        classType: "scheduled",
        schoolSourcedId: `${tag}-elm-art`,
        termSourcedIds: `${tag}-fall`,
      });
      table(set, "users.csv").rows.push({
        sourcedId: `${tag}-t-art`,
        enabledUser: "true",
        orgSourcedIds: `${tag}-elm-art`,
        role: "teacher",
        givenName: "Ari",
        familyName: "Artist",
        email: `t-art@${tag}.example.org`,
      });
      table(set, "enrollments.csv").rows.push({ sourcedId: `${tag}-e-art`, classSourcedId: `${tag}-c-art`, schoolSourcedId: `${tag}-elm-art`, userSourcedId: `${tag}-t-art`, role: "teacher" });
      const report = await importSet(set);
      expect(report.status, JSON.stringify(report.issues)).toBe("applied");
      expect(report.errorCount).toBe(0);
      expect(report.entities.classes).toMatchObject({ created: 4, rejected: 0 });
      expect(warnings(report)).toContainEqual(
        expect.objectContaining({ file: "orgs.csv", line: 6, message: expect.stringMatching(new RegExp(`department ${tag}-elm-art .* imported as a school of its own`)) }),
      );
      const schools = await admin.get<TList<TSchool>>(`/api/v1/schools?q=${tag}`);
      const oak = schools.body.items.find((s) => s.name === `Oak Elementary ${tag}`);
      expect(schools.body.items.map((s) => s.name).sort()).toEqual([`Elm Art Department ${tag}`, `Oak Elementary ${tag}`, `Pine High ${tag}`]);
      const math = await classBySource(`${tag}-c-math3a`);
      expect(math.schoolId).toBe(oak?.id);
      expect(math.teachers.map((t) => t.displayName)).toContain("Terry Oakes");
      const terry = await admin.get<TList<TPerson>>(`/api/v1/people?q=t-oak@${tag}`);
      expect(terry.body.items[0]?.roles).toEqual([{ role: "teacher", schoolId: oak?.id, schoolName: oak?.name }]);
      const art = await classBySource(`${tag}-c-art`);
      expect(art.schoolName).toBe(`Elm Art Department ${tag}`);
      // Again: nothing changes, and the stand-in school is the same school.
      const again = await importSet(set);
      expect(again.counts).toMatchObject({ created: 0, updated: 0, deactivated: 0 });
    });

    it("reads M/D/YYYY dates from a spreadsheet with a warning, and refuses an ambiguous one naming its line", async () => {
      const tag = unique("date");
      const set = smallSet(tag);
      Object.assign(row(set, "academicSessions.csv", `${tag}-y2027`), { startDate: "8/15/2026", endDate: "6/15/2027" });
      Object.assign(row(set, "academicSessions.csv", `${tag}-fall`), { startDate: "08/15/2026", endDate: "12/20/2026" });
      Object.assign(row(set, "enrollments.csv", `${tag}-e3`), { beginDate: "8/15/2026", endDate: "6/15/2027" });
      const report = await importSet(set);
      expect(report.status, JSON.stringify(report.issues)).toBe("applied");
      expect(report.errorCount).toBe(0);
      const dateWarnings = warnings(report).filter((w) => /spreadsheet/.test(w.message));
      expect(dateWarnings.map((w) => [w.file, w.line, w.column])).toEqual([
        ["academicSessions.csv", 2, "startDate"],
        ["enrollments.csv", 4, "beginDate"],
      ]);
      const year = await server.ctx.db.selectFrom("academic_sessions").select(["start_date", "end_date"]).where("source_id", "=", `${tag}-y2027`).executeTakeFirstOrThrow();
      expect(year).toEqual({ start_date: "2026-08-15", end_date: "2027-06-15" });
      const e3 = await server.ctx.db.selectFrom("enrollments").select(["begin_date", "end_date"]).where("source_id", "=", `${tag}-e3`).executeTakeFirstOrThrow();
      expect(e3).toEqual({ begin_date: "2026-08-15", end_date: "2027-06-15" });
      // Read the same way again: nothing changes.
      expect((await importSet(set)).counts).toMatchObject({ created: 0, updated: 0 });

      const before = await directoryHash();
      const ambiguous = cloneSet(set);
      row(ambiguous, "enrollments.csv", `${tag}-e4`).beginDate = "3/4/2027";
      const refused = await importSet(ambiguous);
      expect(refused.status).toBe("rejected");
      expect(refused.issues).toContainEqual(
        expect.objectContaining({ severity: "error", file: "enrollments.csv", line: 5, column: "beginDate", message: expect.stringMatching(/could be 2027-03-04 or 2027-04-03/) }),
      );
      expect(await directoryHash()).toBe(before);
    });

    it("names the column's position for a header name left empty or given twice", async () => {
      const tag = unique("hdr");
      const set = smallSet(tag);
      // A spreadsheet's save: two unnamed columns after the last.
      const users = table(set, "users.csv");
      const files = setFiles(set);
      files["users.csv"] = tableCsv({ header: [...users.header, "", ""], rows: users.rows });
      const report = await importFiles(files);
      expect(report.status, JSON.stringify(report.issues)).toBe("applied");
      expect(warnings(report)).toContainEqual(expect.objectContaining({ file: "users.csv", line: 1, message: "column 19 (S), column 20 (T) have no name in the header; their cells are ignored" }));

      // A column Coachwork reads, given twice: which holds the data cannot be told, so the file is refused.
      const before = await directoryHash();
      const enrollments = table(set, "enrollments.csv");
      const twice = setFiles(set);
      twice["enrollments.csv"] = tableCsv({ header: [...enrollments.header, "role"], rows: enrollments.rows });
      const refused = await importFiles(twice);
      expect(refused.status).toBe("rejected");
      expect(refused.issues).toContainEqual(
        expect.objectContaining({ severity: "error", file: "enrollments.csv", line: 1, column: "role", message: expect.stringMatching(/^column 7 \(G\) and column 11 \(K\) are both named role/) }),
      );
      expect(await directoryHash()).toBe(before);
    });

    // ---- Item 3: guards against the wrong file ----

    it("stops a bulk import that would deactivate every enrolment (a header-only enrollments.csv) until it is confirmed", async () => {
      const tag = unique("mass");
      const set = smallSet(tag);
      expect((await importSet(set)).status).toBe("applied");
      const before = await directoryHash();
      const empty = cloneSet(set);
      table(empty, "enrollments.csv").rows = [];
      const stopped = await importSet(empty, { allowMassDeactivation: "false" });
      expect(stopped.status).toBe("rejected");
      expect(stopped.issues[0]).toMatchObject({
        severity: "error",
        file: "enrollments.csv",
        message: expect.stringMatching(/^This import would deactivate 11 of its 11 active enrollments \(100%\), more than 10%: nothing was written/),
      });
      expect(stopped.massDeactivation).toEqual({ people: 0, activePeople: expect.any(Number), enrollments: 11, activeEnrollments: 11, isAllowed: false });
      expect(await directoryHash()).toBe(before);
      // A dry run says the same, first.
      const dry = await importSet(empty, { dryRun: "true", allowMassDeactivation: "false" });
      expect(dry.issues[0]?.message).toMatch(/^This import would deactivate 11 of its 11/);

      // A header-only users.csv: people and (through them) enrolments.
      const noUsers = cloneSet(set);
      table(noUsers, "users.csv").rows = [];
      table(noUsers, "enrollments.csv").rows = [];
      const stoppedUsers = await importSet(noUsers, { allowMassDeactivation: "false" });
      expect(stoppedUsers.status).toBe("rejected");
      expect(stoppedUsers.issues[0]).toMatchObject({ file: "users.csv", message: expect.stringMatching(/^This import would deactivate 10 of the district.s \d+ active people \(\d+%\) and 11 of its 11 active enrollments/) });
      expect(await directoryHash()).toBe(before);

      // Confirmed: applied, and the report still opens with what it did.
      const allowed = await importSet(empty, { allowMassDeactivation: "true" });
      expect(allowed.status).toBe("applied");
      expect(allowed.entities.enrollments).toMatchObject({ deactivated: 11 });
      expect(allowed.massDeactivation).toMatchObject({ enrollments: 11, isAllowed: true });
      expect(allowed.issues[0]).toMatchObject({ severity: "warning", file: "enrollments.csv", message: expect.stringMatching(/allowed by the admin/) });
      // An ordinary change (one enrolment of eleven) needs no confirmation.
      expect((await importSet(set, { allowMassDeactivation: "false" })).status).toBe("applied");
      const one = cloneSet(set);
      table(one, "enrollments.csv").rows.pop();
      const small = await importSet(one, { allowMassDeactivation: "false" });
      expect(small.status, JSON.stringify(small.issues)).toBe("applied");
      expect(small.entities.enrollments).toMatchObject({ deactivated: 1 });
      // The API documents the confirmation.
      const doc = (await (await fetch(`${server.baseUrl}/api/v1/openapi.json`)).json()) as {
        paths: Record<string, { post?: { parameters?: { name: string; in: string }[] } }>;
      };
      expect(doc.paths["/api/v1/rostering/imports"]?.post?.parameters).toContainEqual(expect.objectContaining({ name: "allowMassDeactivation", in: "query" }));
    });

    it("warns where a student holds a teacher role in a class, and on two rows enrolling one user in one class", async () => {
      const tag = unique("odd");
      const set = smallSet(tag);
      const enrollments = table(set, "enrollments.csv");
      enrollments.rows.push(
        { sourcedId: `${tag}-e12`, classSourcedId: `${tag}-c-bio1`, schoolSourcedId: `${tag}-pine`, userSourcedId: `${tag}-s6`, role: "teacher" },
        { sourcedId: `${tag}-e13`, classSourcedId: `${tag}-c-math3a`, schoolSourcedId: `${tag}-oak`, userSourcedId: `${tag}-s1`, role: "student" },
      );
      const report = await importSet(set);
      expect(report.status, JSON.stringify(report.issues)).toBe("applied");
      expect(warnings(report)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ file: "enrollments.csv", line: 13, column: "role", message: `user ${tag}-s6 is a student in users.csv but is enrolled as teacher in class ${tag}-c-bio1` }),
          expect.objectContaining({ file: "enrollments.csv", line: 14, column: "userSourcedId", message: expect.stringMatching(new RegExp(`user ${tag}-s1 is enrolled in class ${tag}-c-math3a on line 4 too`)) }),
        ]),
      );
      const classes = await admin.get<TList<TClassSummary>>(`/api/v1/classes?q=${encodeURIComponent("Biology P1")}`);
      expect(classes.status).toBe(200);
    });
  });
}
