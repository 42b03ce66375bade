import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TCategory, TDashboard, TEntry } from "../../../shared/schemas/coaching.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn } from "../../../tests/helpers/factories.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";
import { addDays, today } from "./calendar.js";

// The district dashboard reads rollups; a coach's own reads entries. With one coach they must agree
// for any range, including ranges that cut through weeks and months, and after edits and deletes.
for (const dialect of DIALECTS) {
  describe(`dashboard rollups (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    let coach: ApiClient;
    let categories: TCategory[];
    const end = today();

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
      const school = await makeSchool(admin);
      const teacher = await makePerson(admin, { roles: [{ role: "teacher", schoolId: school.id }] });
      coach = await signedIn(server, (await makePerson(admin, { roles: [{ role: "coach", schoolId: school.id }] })).email);
      categories = (await coach.get<{ items: TCategory[] }>("/api/v1/coaching/categories")).body.items;
      // 70 entries over ~100 days, varied categories, some with a teacher.
      for (let i = 0; i < 70; i++) {
        const category = categories[i % categories.length];
        await coach.post("/api/v1/coaching/entries", {
          date: addDays(end, -((i * 37) % 100)),
          minutes: 10 + (i % 7) * 5,
          categoryId: category?.id,
          schoolId: i % 3 === 0 ? null : school.id,
          teacherIds: i % 2 === 0 ? [teacher.person.id] : [],
        });
      }
    });
    afterAll(async () => server.close());

    const compare = async (from: string, to: string, bucket: string) => {
      const qs = `from=${from}&to=${to}&bucket=${bucket}`;
      const district = await admin.get<TDashboard>(`/api/v1/coaching/dashboard?scope=district&${qs}`);
      const mine = await coach.get<TDashboard>(`/api/v1/coaching/dashboard?scope=me&${qs}`);
      expect(district.status).toBe(200);
      expect(district.body.series).toEqual(mine.body.series);
      expect(district.body.totals).toEqual(mine.body.totals);
      expect(district.body.topSchools).toEqual(mine.body.topSchools);
      expect(district.body.topTeachers).toEqual(mine.body.topTeachers);
      return district.body;
    };

    it("agrees with the entries for ranges cutting weeks and months, in every bucket", async () => {
      for (const [a, b] of [[-100, 0], [-45, -3], [-63, -33], [-10, -10], [-31, -1]] as const) {
        for (const bucket of ["week", "month", "term"]) await compare(addDays(end, a), addDays(end, b), bucket);
      }
      const all = await compare(addDays(end, -100), end, "week");
      expect(all.totals.entries).toBe(70);
    });

    it("stays right after entries are edited and deleted, and after a category changes kind", async () => {
      const list = await coach.get<{ items: TEntry[] }>("/api/v1/coaching/entries?limit=5");
      const [first, second] = list.body.items;
      if (!first || !second) throw new Error("expected entries");
      await coach.patch(`/api/v1/coaching/entries/${first.id}`, { minutes: 99, date: addDays(end, -50), categoryId: categories[3]?.id });
      await coach.delete(`/api/v1/coaching/entries/${second.id}`);
      const support = categories.find((c) => c.key === "tech_support");
      await admin.patch(`/api/v1/coaching/categories/${support?.id}`, { kind: "coaching" });
      const after = await compare(addDays(end, -100), end, "month");
      expect(after.totals.entries).toBe(69);
      expect(after.totals.supportMinutes).toBeGreaterThan(0); // tech literacy and administration are still support
    });
  });
}
