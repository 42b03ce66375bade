import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TErrorResponse } from "../../shared/errors.js";
import type { TCategory, TDashboard, TEntry, TImportReport } from "../../shared/schemas/coaching.js";
import type { TList } from "../../shared/schemas/common.js";
import type { TPerson } from "../../shared/schemas/people.js";
import type { TSchool } from "../../shared/schemas/schools.js";
import type { ApiClient } from "../helpers/client.js";
import { DIALECTS } from "../helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn, districtToday } from "../helpers/factories.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

// Issue 11 items 3 and 6: the coaching import follows the direct entry's scope rule and says nothing
// about people outside it; the personal dashboard does not show another school's teacher count.

for (const dialect of DIALECTS) {
  describe(`coaching scope (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    let coach: ApiClient;
    let schoolA: TSchool;
    let schoolB: TSchool;
    let teacherA: { person: TPerson; email: string };
    let teacherB: { person: TPerson; email: string };
    let category: TCategory;

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
      schoolA = await makeSchool(admin);
      schoolB = await makeSchool(admin);
      teacherA = await makePerson(admin, { roles: [{ role: "teacher", schoolId: schoolA.id }] });
      teacherB = await makePerson(admin, { roles: [{ role: "teacher", schoolId: schoolB.id }] });
      coach = await signedIn(server, (await makePerson(admin, { roles: [{ role: "coach", schoolId: schoolA.id }] })).email);
      const cats = await coach.get<{ items: TCategory[] }>("/api/v1/coaching/categories");
      const first = cats.body.items[0];
      if (!first) throw new Error("no categories");
      category = first;
    });
    afterAll(async () => server.close());

    const importCsv = (teachers: string, dryRun: boolean) =>
      coach.post<TImportReport>("/api/v1/coaching/entries/import", {
        csv: `Date,Minutes,Activity,Teachers\n${districtToday()},5,${category.name},${teachers}\n`,
        mapping: { date: "Date", minutes: "Minutes", category: "Activity", teachers: "Teachers" },
        dateFormat: "YYYY-MM-DD",
        dryRun,
      });

    it("a direct entry for a teacher at another school is refused, and so is the same row imported", async () => {
      const direct = await coach.post<TErrorResponse>("/api/v1/coaching/entries", { date: districtToday(), minutes: 5, categoryId: category.id, teacherIds: [teacherB.person.id] });
      expect(direct.status).toBe(400);
      const imported = await importCsv(teacherB.email, false);
      expect(imported.status).toBe(200);
      expect(imported.body).toMatchObject({ valid: 0, created: 0 });
      const log = await coach.get<TList<TEntry>>("/api/v1/coaching/entries");
      expect(log.body.items).toEqual([]);
    });

    it("the import's messages do not tell a teacher outside the coach's schools from nobody", async () => {
      const outside = await importCsv(teacherB.email, true);
      const nobody = await importCsv(teacherB.email.replace("@", "-nobody@"), true);
      const text = JSON.stringify(outside.body);
      expect(text).not.toContain(teacherB.person.id);
      expect(text).not.toContain(teacherB.person.givenName);
      expect(text).not.toContain(teacherB.person.familyName);
      const message = (r: TImportReport) => r.errors.map((e) => e.message.replace(/"[^"]*"/, "…"));
      expect(message(outside.body)).toEqual(message(nobody.body));
      // By name too: "Given Family" of someone elsewhere is not confirmed.
      const byName = await importCsv(`${teacherB.person.givenName} ${teacherB.person.familyName}`, true);
      expect(message(byName.body)).toEqual(message(nobody.body));
    });

    it("a teacher at the coach's own school still imports", async () => {
      const ok = await importCsv(teacherA.email, true);
      expect(ok.body).toMatchObject({ valid: 1, errors: [] });
    });

    it("dashboard scope=me refuses another school's id instead of counting its teachers", async () => {
      const own = await coach.get<TDashboard>(`/api/v1/coaching/dashboard?scope=me&schoolId=${schoolA.id}`);
      expect(own.status).toBe(200);
      const other = await coach.get<TDashboard>(`/api/v1/coaching/dashboard?scope=me&schoolId=${schoolB.id}`);
      expect(other.status).toBe(403);
      expect(other.text).not.toContain(schoolB.name);
      expect((await coach.get(`/api/v1/coaching/dashboard.csv?scope=me&schoolId=${schoolB.id}&table=coverage`)).status).toBe(403);
    });
  });
}
