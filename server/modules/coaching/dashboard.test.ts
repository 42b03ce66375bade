import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TCategory, TDashboard, TEntry } from "../../../shared/schemas/coaching.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn, districtToday } from "../../../tests/helpers/factories.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";

// "Teachers reached" and its denominator, against a count made by hand in a district of its own: every
// figure of a dashboard (the headline number, the coverage rows and their total) uses one definition.
for (const dialect of DIALECTS) {
  describe(`dashboard teacher counts (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    let coach: ApiClient;
    let north: { id: string };
    let south: { id: string };

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
      north = await makeSchool(admin, { name: "North Middle" });
      south = await makeSchool(admin, { name: "South Middle" });
      const coachPerson = await makePerson(admin, { roles: [{ role: "coach", schoolId: north.id }, { role: "coach", schoolId: south.id }] });
      coach = await signedIn(server, coachPerson.email);
      // Two schools, five teachers: Tia teaches at both, Gus has left (inactive).
      const tia = await makePerson(admin, { roles: [{ role: "teacher", schoolId: north.id }, { role: "teacher", schoolId: south.id }], givenName: "Tia" });
      const ned = await makePerson(admin, { roles: [{ role: "teacher", schoolId: north.id }], givenName: "Ned" });
      const sam = await makePerson(admin, { roles: [{ role: "teacher", schoolId: south.id }], givenName: "Sam" });
      const gus = await makePerson(admin, { roles: [{ role: "teacher", schoolId: south.id }], givenName: "Gus" });
      await makePerson(admin, { roles: [{ role: "teacher", schoolId: south.id }], givenName: "Uma" });
      const categories = (await admin.get<{ items: TCategory[] }>("/api/v1/coaching/categories")).body.items;
      const cat = (key: string) => categories.find((c) => c.key === key)?.id;
      const log = async (body: Record<string, unknown>) => {
        const res = await coach.post<TEntry>("/api/v1/coaching/entries", { date: districtToday(), minutes: 30, ...body });
        expect(res.status, res.text).toBe(201);
      };
      await log({ categoryId: cat("co_planning"), schoolId: north.id, teacherIds: [tia.person.id] }); // reached
      await log({ categoryId: cat("modeling"), schoolId: south.id, teacherIds: [sam.person.id, gus.person.id] }); // Sam reached; Gus leaves
      await log({ categoryId: cat("tech_support"), schoolId: north.id, teacherIds: [ned.person.id] }); // support only: not reached
      expect((await admin.post(`/api/v1/people/${gus.person.id}/deactivate`, {})).status).toBe(200);
    });
    afterAll(async () => server.close());

    // By hand: teachers Tia, Ned, Sam, Uma (Gus is inactive) = 4; reached Tia and Sam = 2.
    // North: Tia, Ned → 1 of 2. South: Tia, Sam, Uma → 2 of 3. Tia is in both rows, once in the totals.
    const expectHandCount = (d: TDashboard) => {
      expect(d.totals.teachersReached).toBe(2);
      expect(d.totals.teachers).toBe(4);
      const rows = Object.fromEntries(d.coverage.map((c) => [c.schoolName, [c.reached, c.teachers]]));
      expect(rows).toEqual({ "North Middle": [1, 2], "South Middle": [2, 3] });
    };

    it("counts the district's teachers once each, and only coaching as reaching them (rollups)", async () => {
      const d = await admin.get<TDashboard>("/api/v1/coaching/dashboard?scope=district&bucket=week");
      expect(d.status, d.text).toBe(200);
      expectHandCount(d.body);
    });

    it("gives a coach's own dashboard the same figures (straight from the entries)", async () => {
      const d = await coach.get<TDashboard>("/api/v1/coaching/dashboard?scope=me&bucket=week");
      expect(d.status, d.text).toBe(200);
      expectHandCount(d.body);
    });
  });
}
