import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TCategory, TCycle } from "../../../shared/schemas/coaching.js";
import type { TCoachesReport, TCoachingHome, TPersonCoaching } from "../../../shared/schemas/home.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn } from "../../../tests/helpers/factories.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";
import { addDays } from "./calendar.js";

// Issue 17: a home page with numbers for each role, holding only what that role may see.

for (const dialect of DIALECTS) {
  describe(`the home page's numbers (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
    });
    afterAll(async () => server.close());

    it("a coordinator's week, a coach's own, a leader's school and a teacher's cycles; nothing more", async () => {
      const north = await makeSchool(admin, { name: "North Elementary", level: "elementary" });
      const south = await makeSchool(admin, { name: "South High", level: "high" });
      const c = await makePerson(admin, { roles: [{ role: "coach", schoolId: north.id }], givenName: "Casey", familyName: "Coach" });
      const coach = await signedIn(server, c.email);
      const ana = await makePerson(admin, { roles: [{ role: "teacher", schoolId: north.id }], givenName: "Ana", familyName: "Ruiz" });
      await makePerson(admin, { roles: [{ role: "teacher", schoolId: north.id }] });
      // A teacher at both schools: one teacher in the district's numbers, though in each school's row.
      await makePerson(admin, { roles: [{ role: "teacher", schoolId: south.id }, { role: "teacher", schoolId: north.id }] });
      const leader = await signedIn(server, (await makePerson(admin, { roles: [{ role: "school_leader", schoolId: north.id }] })).email);
      const teacher = await signedIn(server, ana.email);
      const student = await signedIn(server, (await makePerson(admin, { roles: [{ role: "student", schoolId: north.id }] })).email);
      await admin.patch("/api/v1/settings/district", { coachingShareTarget: 80 });

      const { today } = (await admin.get<TCoachingHome>("/api/v1/coaching/home")).body;
      const categories = (await admin.get<{ items: TCategory[] }>("/api/v1/coaching/categories")).body.items;
      const cat = (key: string) => categories.find((x) => x.key === key)?.id;
      const log = async (minutes: number, category: string, teacherIds: string[]) =>
        expect((await coach.post("/api/v1/coaching/entries", { date: today, minutes, categoryId: cat(category), schoolId: north.id, teacherIds, notes: "" })).status).toBe(201);
      await log(60, "co_planning", [ana.person.id]);
      await log(60, "tech_support", []);
      const cycle = await coach.post<TCycle>("/api/v1/coaching/cycles", { title: "Exit tickets with Forms", startingPoint: "problem", startingText: "Students finish early and wait", schoolId: north.id, teacherIds: [ana.person.id] });
      expect(cycle.status, cycle.text).toBe(201);
      expect((await coach.post(`/api/v1/coaching/cycles/${cycle.body.id}/steps`, { stage: "goal", date: addDays(today, -30), notes: "Set the goal" })).status).toBe(201);

      const adminHome = (await admin.get<TCoachingHome>("/api/v1/coaching/home")).body;
      expect(adminHome.coachingShareTarget).toBe(0.8);
      expect(adminHome.district?.numbers).toMatchObject({ minutesWeek: 120, entriesWeek: 2, coachingShareWeek: 0.5, teachers: 3, teachersReached: 1 });
      expect(adminHome.district?.numbers.schoolsNotReached).toEqual([{ id: south.id, name: "South High", teachers: 1 }]);
      expect(adminHome.district).toMatchObject({ openCycles: 1, stalledCycles: 1 });
      expect(adminHome.district?.attention.map((a) => a.kind)).toEqual(["below_target", "schools_not_reached", "stalled_cycles"]);
      expect(adminHome.district?.attention[0]?.text).toBe("Coaching is 50% of the time this term, 30 points below the 80% target.");
      expect(adminHome.teacher).toBeNull();

      const coachHome = (await coach.get<TCoachingHome>("/api/v1/coaching/home")).body;
      expect(coachHome.district).toBeNull();
      expect(coachHome.coach?.numbers).toMatchObject({ minutesWeek: 120, teachers: 3, teachersReached: 1, schoolsNotReached: [] });
      expect(coachHome.coach?.daysLoggedWeek).toBe(1);
      expect(coachHome.coach?.cycles).toEqual([
        expect.objectContaining({ title: "Exit tickets with Forms", teacherNames: ["Ana Ruiz"], lastStage: "goal", nextStage: "co_plan", isStalled: true }),
      ]);

      const leaderHome = (await leader.get<TCoachingHome>("/api/v1/coaching/home")).body;
      expect(leaderHome.district).toBeNull();
      expect(leaderHome.coach).toBeNull();
      expect(leaderHome.schools).toEqual([expect.objectContaining({ id: north.id, name: "North Elementary" })]);
      expect(leaderHome.schools[0]?.numbers).toMatchObject({ minutesTerm: 120, teachers: 3, teachersReached: 1 });

      const teacherHome = (await teacher.get<TCoachingHome>("/api/v1/coaching/home")).body;
      expect([teacherHome.district, teacherHome.coach, teacherHome.schools]).toEqual([null, null, []]);
      expect(teacherHome.teacher?.cycles.map((x) => [x.title, x.coachName, x.nextStage])).toEqual([["Exit tickets with Forms", "Casey Coach", "co_plan"]]);

      // Ana's page: every coach's work for admins and Ana, a coach's own for another coach, nothing for her principal.
      const anaPage = (await admin.get<TPersonCoaching>(`/api/v1/coaching/people/${ana.person.id}`)).body;
      expect(anaPage).toMatchObject({ view: "all", totals: { entries: 1, minutes: 60, coachingMinutes: 60 } });
      expect(anaPage.recent.map((e) => [e.coachName, e.categoryName, e.schoolName])).toEqual([["Casey Coach", "Co-planning", "North Elementary"]]);
      expect(anaPage.cycles.map((x) => x.title)).toEqual(["Exit tickets with Forms"]);
      expect((await teacher.get<TPersonCoaching>(`/api/v1/coaching/people/${ana.person.id}`)).body.view).toBe("all");
      const stranger = await signedIn(server, (await makePerson(admin, { roles: [{ role: "coach", schoolId: north.id }] })).email);
      expect((await stranger.get<TPersonCoaching>(`/api/v1/coaching/people/${ana.person.id}`)).body).toMatchObject({ view: "own", totals: { entries: 0 }, recent: [], cycles: [] });
      expect((await leader.get(`/api/v1/coaching/people/${ana.person.id}`)).status).toBe(403);

      const studentHome = (await student.get<TCoachingHome>("/api/v1/coaching/home")).body;
      expect([studentHome.district, studentHome.coach, studentHome.schools, studentHome.teacher]).toEqual([null, null, [], null]);
    });

    it("compares coaches (hours, share, teachers reached) and lists who is not yet reached this term, counted by hand", async () => {
      const east = await makeSchool(admin, { name: "East Middle" });
      const west = await makeSchool(admin, { name: "West Middle" });
      const quiet = await makeSchool(admin, { name: "Quiet Primary", level: "elementary" });
      const c1 = await makePerson(admin, { roles: [{ role: "coach", schoolId: east.id }, { role: "coach", schoolId: west.id }], givenName: "Dana", familyName: "First" });
      const c2 = await makePerson(admin, { roles: [{ role: "coach", schoolId: west.id }], givenName: "Eli", familyName: "Second" });
      await makePerson(admin, { roles: [{ role: "coach", schoolId: quiet.id }], givenName: "Fay", familyName: "Idle" });
      // Two schools, one teacher: counted once.
      const both = await makePerson(admin, { roles: [{ role: "teacher", schoolId: east.id }, { role: "teacher", schoolId: west.id }], givenName: "Gil", familyName: "Both" });
      const eastOnly = await makePerson(admin, { roles: [{ role: "teacher", schoolId: east.id }], givenName: "Hana", familyName: "East" });
      const westOnly = await makePerson(admin, { roles: [{ role: "teacher", schoolId: west.id }], givenName: "Ivo", familyName: "West" });
      await makePerson(admin, { roles: [{ role: "teacher", schoolId: quiet.id }], givenName: "Jo", familyName: "Quiet" });
      const leader = await signedIn(server, (await makePerson(admin, { roles: [{ role: "school_leader", schoolId: west.id }] })).email);
      const coach1 = await signedIn(server, c1.email);
      const coach2 = await signedIn(server, c2.email);
      const { today } = (await admin.get<TCoachingHome>("/api/v1/coaching/home")).body;
      const categories = (await admin.get<{ items: TCategory[] }>("/api/v1/coaching/categories")).body.items;
      const cat = (key: string) => categories.find((x) => x.key === key)?.id;
      const log = async (coach: ApiClient, schoolId: string, minutes: number, category: string, teacherIds: string[]) =>
        expect((await coach.post("/api/v1/coaching/entries", { date: today, minutes, categoryId: cat(category), schoolId, teacherIds, notes: "" })).status).toBe(201);
      await log(coach1, east.id, 60, "co_planning", [both.person.id]);
      await log(coach1, west.id, 30, "co_teaching", [both.person.id]);
      await log(coach1, east.id, 30, "tech_support", [eastOnly.person.id]); // support: not "reached"
      await log(coach2, west.id, 45, "modeling", [westOnly.person.id, both.person.id]);

      const district = await admin.get<TCoachesReport>("/api/v1/coaching/coaches");
      expect(district.status, district.text).toBe(200);
      const mine = (r: TCoachesReport) => r.coaches.filter((c) => ["Dana First", "Eli Second", "Fay Idle"].includes(c.name));
      expect(mine(district.body).map((c) => [c.name, c.schools, c.minutes, c.coachingMinutes, c.coachingShare, c.entries, c.teachersReached])).toEqual([
        ["Dana First", ["East Middle", "West Middle"], 120, 90, 0.75, 3, 1],
        ["Eli Second", ["West Middle"], 45, 45, 1, 1, 2],
        ["Fay Idle", ["Quiet Primary"], 0, 0, null, 0, 0],
      ]);
      const names = (r: TCoachesReport) => r.teachersNotReached.map((t) => `${t.name} (${t.schoolName})`);
      expect(names(district.body)).toEqual(expect.arrayContaining(["Hana East (East Middle)", "Jo Quiet (Quiet Primary)"]));
      expect(names(district.body).filter((n) => /Gil Both|Ivo West/.test(n))).toEqual([]);
      expect(district.body.schoolsNotReached.map((s) => s.name)).toContain("Quiet Primary");
      expect(district.body.schoolsNotReached.map((s) => s.name)).not.toContain("East Middle");

      // A principal: their school only, teachers' names withheld by default.
      const atWest = await leader.get<TCoachesReport>(`/api/v1/coaching/coaches?schoolId=${west.id}`);
      expect(atWest.status).toBe(200);
      expect(atWest.body.coaches.map((c) => [c.name, c.minutes, c.teachersReached])).toEqual([
        ["Eli Second", 45, 2],
        ["Dana First", 30, 1],
      ]);
      expect([atWest.body.teachers, atWest.body.teachersNotReachedCount, atWest.body.teacherNamesHidden, atWest.body.teachersNotReached]).toEqual([2, 0, true, []]);
      expect((await leader.get(`/api/v1/coaching/coaches?schoolId=${east.id}`)).status).toBe(403);
      expect((await leader.get("/api/v1/coaching/coaches")).status).toBe(403);
      expect((await coach2.get("/api/v1/coaching/coaches")).status).toBe(403);

      const csv = await admin.get("/api/v1/coaching/coaches.csv?table=teachers");
      expect(csv.status).toBe(200);
      expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
      expect(csv.text).toMatch(/^\uFEFF?"name","schoolName","id","schoolId"\r?\n/);
      expect(csv.text).toContain('"Hana East","East Middle"');
      const bad = await admin.get("/api/v1/coaching/coaches?from=2026-02-01&to=2026-01-01");
      expect(bad.status).toBe(400);
    });
  });
}
