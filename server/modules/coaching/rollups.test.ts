import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TCategory, TDashboard, TEntry } from "../../../shared/schemas/coaching.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn, districtToday } from "../../../tests/helpers/factories.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";
import { addDays } from "./calendar.js";

// The district dashboard reads rollups; a coach's own reads entries. With one coach they must agree
// for any range, including ranges that cut through weeks and months, and after edits and deletes.
for (const dialect of DIALECTS) {
  describe(`dashboard rollups (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    let coach: ApiClient;
    let categories: TCategory[];
    const end = districtToday();

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
        const res = await coach.post("/api/v1/coaching/entries", {
          date: addDays(end, -((i * 37) % 100)),
          minutes: 10 + (i % 7) * 5,
          categoryId: category?.id,
          schoolId: i % 3 === 0 ? null : school.id,
          teacherIds: i % 2 === 0 ? [teacher.person.id] : [],
        });
        // A refused write would make both paths agree on less data and hide a broken rollup.
        if (res.status !== 201) throw new Error(`entry ${i} was not saved: ${res.status} ${res.text}`);
      }
    });
    afterAll(async () => server.close());

    /** How many entries the coach's log holds, counted over the entries themselves (not the rollups). */
    const entryCount = async () => {
      const res = await coach.get<{ total: number }>("/api/v1/coaching/entries?limit=1");
      expect(res.status).toBe(200);
      return res.body.total;
    };

    const compare = async (from: string, to: string, bucket: string) => {
      const qs = `from=${from}&to=${to}&bucket=${bucket}`;
      const district = await admin.get<TDashboard>(`/api/v1/coaching/dashboard?scope=district&${qs}`);
      const mine = await coach.get<TDashboard>(`/api/v1/coaching/dashboard?scope=me&${qs}`);
      expect(district.status).toBe(200);
      expect(mine.status).toBe(200);
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
      // 70 were logged (the other test may have deleted one): count them over the entries themselves.
      expect(all.totals.entries).toBe(await entryCount());
    });

    it("stays right after entries are edited and deleted, and after a category changes kind", async () => {
      const before = await entryCount();
      const list = await coach.get<{ items: TEntry[] }>("/api/v1/coaching/entries?limit=5");
      expect(list.status).toBe(200);
      const [first, second] = list.body.items;
      if (!first || !second) throw new Error("expected entries");
      const edited = await coach.patch(`/api/v1/coaching/entries/${first.id}`, { minutes: 99, date: addDays(end, -50), categoryId: categories[3]?.id });
      expect(edited.status, edited.text).toBe(200);
      const deleted = await coach.delete(`/api/v1/coaching/entries/${second.id}`);
      expect(deleted.status, deleted.text).toBe(204);
      const support = categories.find((c) => c.key === "tech_support");
      const rekinded = await admin.patch(`/api/v1/coaching/categories/${support?.id}`, { kind: "coaching" });
      expect(rekinded.status, rekinded.text).toBe(200);
      const after = await compare(addDays(end, -100), end, "month");
      expect(after.totals.entries).toBe(before - 1);
      expect(await entryCount()).toBe(before - 1);
      expect(after.totals.supportMinutes).toBeGreaterThan(0); // tech literacy and administration are still support
    });
  });
}
