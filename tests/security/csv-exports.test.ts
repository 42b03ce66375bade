import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TCategory, TEntry } from "../../shared/schemas/coaching.js";
import type { TRosterImportReport } from "../../shared/schemas/rostering.js";
import type { ApiClient } from "../helpers/client.js";
import { DIALECTS } from "../helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn, unique, districtToday } from "../helpers/factories.js";
import { uploadImport } from "../helpers/oneroster.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

// Issue 11 item 2: every CSV export neutralises cells a spreadsheet would run as a formula (OWASP):
// text starting with = + - @ tab or carriage return gets a leading single quote.

const FORMULA = /^[=+\-@\t\r]/;

/** Every cell of the CSV, header included, parsed by an independent reader. */
function cells(text: string): string[] {
  return (parse(text, { bom: true, relax_column_count: true }) as string[][]).flat();
}

function expectNeutralised(text: string, planted: string[]): void {
  const all = cells(text);
  expect(all.filter((c) => FORMULA.test(c))).toEqual([]);
  // The planted values are still there, only made inert.
  for (const p of planted) expect(all.some((c) => c.includes(`'${p}`))).toBe(true);
}

for (const dialect of DIALECTS) {
  describe(`CSV exports neutralise formulas (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    let coach: ApiClient;
    const schoolName = `=HYPERLINK("http://evil.example/s","${unique("School")}")`;
    const categoryName = `+SUM(1,2)${unique("")}`;
    const teacherGiven = `@cmd${unique("")}`;
    const notes = "-2+3 notes";

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
      const school = await makeSchool(admin, { name: schoolName });
      const teacher = await makePerson(admin, { givenName: teacherGiven, familyName: "\tTab", roles: [{ role: "teacher", schoolId: school.id }] });
      const c = await makePerson(admin, { givenName: "=Coach", roles: [{ role: "coach", schoolId: school.id }] });
      coach = await signedIn(server, c.email);
      const category = await admin.post<TCategory>("/api/v1/coaching/categories", { name: categoryName, kind: "coaching" });
      expect(category.status).toBe(201);
      const entry = await coach.post<TEntry>("/api/v1/coaching/entries", {
        date: districtToday(),
        minutes: 30,
        categoryId: category.body.id,
        schoolId: school.id,
        teacherIds: [teacher.person.id],
        notes,
      });
      expect(entry.status).toBe(201);
      // The admin opens the teacher's record: the audit log now names them.
      expect((await admin.get(`/api/v1/people/${teacher.person.id}`)).status).toBe(200);
    });
    afterAll(async () => server.close());

    it("coaching/entries.csv", async () => {
      const res = await coach.get("/api/v1/coaching/entries.csv");
      expect(res.status).toBe(200);
      expectNeutralised(res.text, [categoryName, schoolName, notes, teacherGiven, "=Coach"]);
    });

    it("the four dashboard CSVs, whose headers include category names", async () => {
      const base = "/api/v1/coaching/dashboard.csv?scope=district&bucket=month";
      const series = await admin.get(`${base}&table=series`);
      expect(series.status).toBe(200);
      expect((parse(series.text, { bom: true }) as string[][])[0]).toContain(`'${categoryName}`);
      expectNeutralised(series.text, [categoryName]);
      const coverage = await admin.get(`${base}&table=coverage`);
      expectNeutralised(coverage.text, [schoolName]);
      const teachers = await admin.get(`${base}&table=teachers`);
      expectNeutralised(teachers.text, [teacherGiven]);
      const schools = await admin.get(`${base}&table=schools`);
      expectNeutralised(schools.text, [schoolName]);
    });

    it("audit.csv", async () => {
      const res = await admin.get("/api/v1/audit.csv");
      expect(res.status).toBe(200);
      expectNeutralised(res.text, [teacherGiven]);
    });

    it("the roster import report CSV", async () => {
      const csv = ["name,email,school,role", `Rita Reader,=1+1,${unique("Nowhere")},teacher`].join("\r\n");
      const report = await uploadImport<TRosterImportReport>(admin, csv, { fileName: "=evil.csv" }, "text/csv");
      expect(report.body.issues.length).toBeGreaterThan(0);
      const res = await admin.get(`/api/v1/rostering/imports/${report.body.id}/report.csv`);
      expect(res.status).toBe(200);
      expectNeutralised(res.text, ["=evil.csv"]);
    });
  });
}
