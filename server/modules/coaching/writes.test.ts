import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TAuditEntry } from "../../../shared/schemas/audit.js";
import type { TCategory, TCycle, TEntry } from "../../../shared/schemas/coaching.js";
import type { TList } from "../../../shared/schemas/common.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn, districtToday } from "../../../tests/helpers/factories.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";
import { addDays } from "./calendar.js";

// The write kit as the coaching log uses it: idempotent create under a race, checks over stored
// rows inside the write's transaction, and an audit record for every write.

for (const dialect of DIALECTS) {
  describe(`coaching writes (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    let categories: TCategory[];
    const cat = (key: string) => categories.find((c) => c.key === key)?.id ?? "";

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
      categories = (await admin.get<{ items: TCategory[] }>("/api/v1/coaching/categories")).body.items;
    });
    afterAll(async () => server.close());

    /** A coach of a fresh school with one teacher there, signed in; each test builds its own. */
    async function coachWithTeacher() {
      const school = await makeSchool(admin);
      const coachMade = await makePerson(admin, { roles: [{ role: "coach", schoolId: school.id }] });
      const teacher = await makePerson(admin, { roles: [{ role: "teacher", schoolId: school.id }] });
      return { school, coach: await signedIn(server, coachMade.email), coachId: coachMade.person.id, teacherId: teacher.person.id };
    }

    it("answers racing retries of one clientRef with one entry, never a 500", async () => {
      const { school, coach } = await coachWithTeacher();
      const body = { date: districtToday(), minutes: 30, categoryId: cat("co_planning"), schoolId: school.id, teacherIds: [], notes: "", clientRef: "race-0001-abcdef" };
      const results = await Promise.all(Array.from({ length: 8 }, () => coach.post<TEntry>("/api/v1/coaching/entries", body)));
      expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      const listed = await coach.get<TList<TEntry>>(`/api/v1/coaching/entries?from=${body.date}&to=${body.date}`);
      expect(listed.status).toBe(200);
      expect(listed.body.total).toBe(1);
    });

    it("holds the 16-hour day when two entries for one day race", async () => {
      const { school, coach } = await coachWithTeacher();
      const date = addDays(districtToday(), -1);
      const entry = (ref: string) => ({ date, minutes: 600, categoryId: cat("co_teaching"), schoolId: school.id, teacherIds: [], notes: "", clientRef: ref });
      const [a, b] = await Promise.all([coach.post("/api/v1/coaching/entries", entry("day-cap-a-0001")), coach.post("/api/v1/coaching/entries", entry("day-cap-b-0001"))]);
      expect([a.status, b.status].sort()).toEqual([201, 400]);
      const listed = await coach.get<TList<TEntry>>(`/api/v1/coaching/entries?from=${date}&to=${date}`);
      expect(listed.body.items.reduce((n, e) => n + e.minutes, 0)).toBe(600);
    });

    it("records every coaching write in the audit log, in the same transaction", async () => {
      const { school, coach, coachId, teacherId } = await coachWithTeacher();
      const date = addDays(districtToday(), -2);
      const created = await coach.post<TEntry>("/api/v1/coaching/entries", { date, minutes: 45, categoryId: cat("modeling"), schoolId: school.id, teacherIds: [teacherId], notes: "" });
      expect(created.status).toBe(201);
      expect((await coach.patch<TEntry>(`/api/v1/coaching/entries/${created.body.id}`, { minutes: 50 })).status).toBe(200);
      expect((await coach.delete(`/api/v1/coaching/entries/${created.body.id}`)).status).toBe(204);
      const cycle = await coach.post<TCycle>("/api/v1/coaching/cycles", { title: "Station rotation", startingPoint: "outcome", startingText: "Students explain their thinking", schoolId: school.id, teacherIds: [teacherId] });
      expect(cycle.status).toBe(201);
      expect((await coach.patch<TCycle>(`/api/v1/coaching/cycles/${cycle.body.id}`, { status: "paused" })).status).toBe(200);
      expect((await coach.post<TCycle>(`/api/v1/coaching/cycles/${cycle.body.id}/steps`, { stage: "co_plan", date, notes: "Planned" })).status).toBe(201);
      const category = await admin.post<TCategory>("/api/v1/coaching/categories", { name: `Family night ${coachId.slice(-6)}`, kind: "support" });
      expect(category.status).toBe(201);

      const log = await admin.get<TList<TAuditEntry>>(`/api/v1/audit?actorId=${coachId}&limit=50`);
      expect(log.status).toBe(200);
      expect(log.body.items.map((e) => e.action).sort()).toEqual(
        // The coach's sign-in is theirs too (issue 17).
        ["auth.login", "coaching.cycle.create", "coaching.cycle.step", "coaching.cycle.update", "coaching.entry.create", "coaching.entry.delete", "coaching.entry.update"].sort(),
      );
      const byAdmin = await admin.get<TList<TAuditEntry>>(`/api/v1/audit?action=coaching.category.create&limit=50`);
      expect(byAdmin.body.items.some((e) => e.subjectId === category.body.id)).toBe(true);
    });

    it("writes neither the entry nor its audit record when the day is full", async () => {
      const { school, coach, coachId } = await coachWithTeacher();
      const date = addDays(districtToday(), -3);
      const full = await coach.post<TEntry>("/api/v1/coaching/entries", { date, minutes: 960, categoryId: cat("tech_support"), schoolId: school.id, teacherIds: [], notes: "" });
      expect(full.status).toBe(201);
      const over = await coach.post("/api/v1/coaching/entries", { date, minutes: 1, categoryId: cat("tech_support"), schoolId: school.id, teacherIds: [], notes: "" });
      expect(over.status).toBe(400);
      const log = await admin.get<TList<TAuditEntry>>(`/api/v1/audit?actorId=${coachId}&action=coaching.entry.create&limit=50`);
      expect(log.body.items).toHaveLength(1);
    });
  });
}
