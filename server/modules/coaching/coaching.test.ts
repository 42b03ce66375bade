import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TErrorResponse } from "../../../shared/errors.js";
import type { TCategory, TCycle, TDashboard, TEntry, TImportReport } from "../../../shared/schemas/coaching.js";
import type { TList } from "../../../shared/schemas/common.js";
import type { TPerson } from "../../../shared/schemas/people.js";
import type { TSchool } from "../../../shared/schemas/schools.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn } from "../../../tests/helpers/factories.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";
import { addDays, today } from "./calendar.js";

for (const dialect of DIALECTS) {
  describe(`coaching log (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    let west: TSchool;
    let east: TSchool;
    let coach: ApiClient;
    let coachPerson: TPerson;
    let otherCoach: ApiClient;
    let teacherA: { person: TPerson; email: string };
    let teacherB: { person: TPerson; email: string };
    let eastTeacher: { person: TPerson; email: string };
    let leader: ApiClient;
    let categories: TCategory[];
    const cat = (key: string) => {
      const c = categories.find((x) => x.key === key);
      if (!c) throw new Error(`no category ${key}`);
      return c.id;
    };
    const day = today();

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
      west = await makeSchool(admin, { name: "West Middle", level: "middle" });
      east = await makeSchool(admin, { name: "East High", level: "high" });
      const c = await makePerson(admin, { roles: [{ role: "coach", schoolId: west.id }], givenName: "Casey", familyName: "Coach" });
      coachPerson = c.person;
      coach = await signedIn(server, c.email);
      otherCoach = await signedIn(server, (await makePerson(admin, { roles: [{ role: "coach", schoolId: east.id }] })).email);
      teacherA = await makePerson(admin, { roles: [{ role: "teacher", schoolId: west.id }], givenName: "Ana", familyName: "Ruiz" });
      teacherB = await makePerson(admin, { roles: [{ role: "teacher", schoolId: west.id }], givenName: "Ben", familyName: "Lee" });
      eastTeacher = await makePerson(admin, { roles: [{ role: "teacher", schoolId: east.id }] });
      leader = await signedIn(server, (await makePerson(admin, { roles: [{ role: "school_leader", schoolId: west.id }] })).email);
      categories = (await coach.get<{ items: TCategory[] }>("/api/v1/coaching/categories")).body.items;
    });
    afterAll(async () => server.close());

    it("seeds the ten categories of a technology coach, each coaching or support", () => {
      expect(categories).toHaveLength(10);
      expect(categories.filter((c) => c.kind === "support").map((c) => c.key).sort()).toEqual(["tech_administration", "tech_literacy", "tech_support"]);
    });

    it("logs an entry with teachers, and a retried save with the same clientRef is stored once", async () => {
      const body = { date: day, minutes: 45, categoryId: cat("co_planning"), schoolId: west.id, teacherIds: [teacherA.person.id], notes: "Unit plan", clientRef: "phone-0001-abcdef" };
      const first = await coach.post<TEntry>("/api/v1/coaching/entries", body);
      expect(first.status).toBe(201);
      expect(first.body.teachers.map((t) => t.name)).toEqual(["Ana Ruiz"]);
      expect(first.body.category.kind).toBe("coaching");
      const retry = await coach.post<TEntry>("/api/v1/coaching/entries", body);
      expect(retry.status).toBe(200);
      expect(retry.body.id).toBe(first.body.id);
      const list = await coach.get<TList<TEntry>>("/api/v1/coaching/entries");
      expect(list.body.total).toBe(1);
    });

    it("refuses absurd minutes, future dates, unknown categories and teachers, naming the field and saving nothing", async () => {
      const base = { date: day, minutes: 30, categoryId: cat("observing"), schoolId: west.id };
      const cases: [Record<string, unknown>, string][] = [
        [{ minutes: -5 }, "body.minutes"],
        [{ minutes: 2000 }, "body.minutes"],
        [{ date: addDays(day, 30) }, "body.date"],
        [{ date: "2026-02-30" }, "body.date"],
        [{ categoryId: "nope" }, "body.categoryId"],
        [{ teacherIds: ["ghost"] }, "body.teacherIds.0"],
        [{ teacherIds: [eastTeacher.person.id] }, "body.teacherIds.0"],
        [{ schoolId: east.id }, "body.schoolId"],
      ];
      for (const [override, field] of cases) {
        const res = await coach.post<TErrorResponse>("/api/v1/coaching/entries", { ...base, ...override });
        expect(res.status, JSON.stringify(override)).toBeGreaterThanOrEqual(400);
        expect(res.body.error.message, JSON.stringify(override)).toContain(field);
      }
      expect((await coach.get<TList<TEntry>>("/api/v1/coaching/entries")).body.total).toBe(1);
    });

    it("refuses more than 16 hours in one day for one coach", async () => {
      const date = addDays(day, -3);
      expect((await coach.post("/api/v1/coaching/entries", { date, minutes: 900, categoryId: cat("tech_support") })).status).toBe(201);
      const over = await coach.post<TErrorResponse>("/api/v1/coaching/entries", { date, minutes: 90, categoryId: cat("tech_support") });
      expect(over.status).toBe(400);
      expect(over.body.error.message).toMatch(/body\.minutes.*16 hours.*at most 60 more/);
    });

    it("lets a coach edit and delete only their own entries", async () => {
      const created = await coach.post<TEntry>("/api/v1/coaching/entries", { date: day, minutes: 20, categoryId: cat("modeling"), schoolId: west.id });
      const edited = await coach.patch<TEntry>(`/api/v1/coaching/entries/${created.body.id}`, { minutes: 25, teacherIds: [teacherB.person.id] });
      expect(edited.body.minutes).toBe(25);
      expect(edited.body.teachers.map((t) => t.id)).toEqual([teacherB.person.id]);
      expect((await otherCoach.patch(`/api/v1/coaching/entries/${created.body.id}`, { minutes: 1 })).status).toBe(403);
      expect((await otherCoach.delete(`/api/v1/coaching/entries/${created.body.id}`)).status).toBe(403);
      expect((await coach.delete(`/api/v1/coaching/entries/${created.body.id}`)).status).toBe(204);
      expect((await coach.get(`/api/v1/coaching/entries?limit=200`)).text).not.toContain(created.body.id);
    });

    it("keeps a coach's log private from other coaches and teachers, but not from the admin", async () => {
      expect((await otherCoach.get(`/api/v1/coaching/entries?coachId=${coachPerson.id}`)).status).toBe(403);
      const teacher = await signedIn(server, teacherA.email);
      expect((await teacher.get("/api/v1/coaching/entries")).status).toBe(403);
      const adminView = await admin.get<TList<TEntry>>(`/api/v1/coaching/entries?coachId=${coachPerson.id}`);
      expect(adminView.body.total).toBeGreaterThan(0);
    });

    it("offers recent distinct activities to repeat", async () => {
      const recent = await coach.get<{ items: { categoryId: string; minutes: number }[] }>("/api/v1/coaching/entries/recent");
      expect(recent.body.items[0]).toMatchObject({ categoryId: cat("tech_support"), minutes: 900 });
      expect(recent.body.items.some((r) => r.categoryId === cat("co_planning") && r.minutes === 45)).toBe(true);
    });

    it("shows where the time goes: coaching vs support, teachers reached, coverage", async () => {
      const d = await coach.get<TDashboard>("/api/v1/coaching/dashboard?scope=me&bucket=week");
      expect(d.status).toBe(200);
      expect(d.body.totals.coachingMinutes).toBe(45);
      expect(d.body.totals.supportMinutes).toBe(900);
      expect(d.body.totals.coachingShare).toBeCloseTo(45 / 945);
      expect(d.body.totals.teachersReached).toBe(1);
      const westCoverage = d.body.coverage.find((c) => c.schoolId === west.id);
      expect(westCoverage).toMatchObject({ teachers: 2, reached: 1, share: 0.5 });
      expect(d.body.topTeachers[0]).toMatchObject({ name: "Ana Ruiz", minutes: 45 });
      const weeks = d.body.series.map((s) => s.bucket);
      expect(weeks).toEqual([...weeks].sort());
    });

    it("scopes dashboards: a school leader sees their school, not another or the district; a teacher sees none", async () => {
      expect((await leader.get(`/api/v1/coaching/dashboard?scope=school&schoolId=${west.id}`)).status).toBe(200);
      expect((await leader.get(`/api/v1/coaching/dashboard?scope=school&schoolId=${east.id}`)).status).toBe(403);
      expect((await leader.get("/api/v1/coaching/dashboard?scope=district")).status).toBe(403);
      expect((await otherCoach.get(`/api/v1/coaching/dashboard?scope=school&schoolId=${west.id}`)).status).toBe(403);
      const teacher = await signedIn(server, teacherA.email);
      expect((await teacher.get("/api/v1/coaching/dashboard")).status).toBe(403);
      const district = await admin.get<TDashboard>("/api/v1/coaching/dashboard?scope=district&bucket=month");
      expect(district.body.totals.minutes).toBe(945);
      const csv = await admin.get("/api/v1/coaching/dashboard.csv?scope=district&bucket=month&table=series");
      expect(csv.headers.get("content-type")).toContain("text/csv");
      expect(csv.text.split("\n")[0]).toContain("Co-planning");
    });

    it("runs a coaching cycle from a learning outcome: the teacher reflects, nobody else reads it", async () => {
      const created = await coach.post<TCycle>("/api/v1/coaching/cycles", {
        title: "Student feedback with Forms",
        startingPoint: "outcome",
        startingText: "Students revise their writing from peer feedback",
        schoolId: west.id,
        teacherIds: [teacherA.person.id],
      });
      expect(created.status).toBe(201);
      const id = created.body.id;
      const goal = await coach.post<TCycle>(`/api/v1/coaching/cycles/${id}/steps`, { stage: "goal", date: day, notes: "Agree on the success criteria" });
      expect(goal.body.steps.map((s) => s.stage)).toEqual(["goal"]);
      await coach.post("/api/v1/coaching/entries", { date: day, minutes: 30, categoryId: cat("co_teaching"), schoolId: west.id, teacherIds: [teacherA.person.id], cycleId: id });

      const teacher = await signedIn(server, teacherA.email);
      const mine = await teacher.get<TList<TCycle>>("/api/v1/coaching/cycles");
      expect(mine.body.items.map((c) => c.id)).toEqual([id]);
      const reflect = await teacher.post<TCycle>(`/api/v1/coaching/cycles/${id}/steps`, { stage: "reflect", date: day, notes: "Drafts improved" });
      expect(reflect.status).toBe(201);
      expect(reflect.body.minutesLogged).toBe(30);
      const notAllowed = await teacher.post<TErrorResponse>(`/api/v1/coaching/cycles/${id}/steps`, { stage: "observe", date: day, notes: "x" });
      expect(notAllowed.body.error.message).toContain("body.stage");
      expect((await teacher.patch(`/api/v1/coaching/cycles/${id}`, { status: "complete" })).status).toBe(403);

      const otherTeacher = await signedIn(server, teacherB.email);
      expect((await otherTeacher.get(`/api/v1/coaching/cycles/${id}`)).status).toBe(403);
      expect((await otherTeacher.get<TList<TCycle>>("/api/v1/coaching/cycles")).body.items).toEqual([]);
      expect((await leader.get(`/api/v1/coaching/cycles/${id}`)).status).toBe(403);
      expect((await otherCoach.get(`/api/v1/coaching/cycles/${id}`)).status).toBe(403);

      const done = await coach.patch<TCycle>(`/api/v1/coaching/cycles/${id}`, { status: "complete" });
      expect(done.body.completedAt).not.toBeNull();
      const caseload = await coach.get<TList<TCycle>>("/api/v1/coaching/cycles?status=all");
      expect(caseload.body.items.map((c) => c.id)).toContain(id);
    });

    it("refuses a cycle with a teacher from another school", async () => {
      const res = await coach.post<TErrorResponse>("/api/v1/coaching/cycles", {
        title: "x",
        startingPoint: "problem",
        startingText: "y",
        schoolId: west.id,
        teacherIds: [eastTeacher.person.id],
      });
      expect(res.body.error.message).toContain("body.teacherIds.0");
    });

    it("imports a Google Forms log: reports mixed date formats per line, writes nothing, then applies once", async () => {
      const importer = await signedIn(server, (await makePerson(admin, { roles: [{ role: "coach", schoolId: west.id }] })).email);
      const d1 = addDays(day, -10);
      const us = (iso: string) => `${Number(iso.slice(5, 7))}/${Number(iso.slice(8, 10))}/${iso.slice(0, 4)}`;
      const csv = [
        "Timestamp,Activity,Duration,School,Teacher(s),Notes",
        `${us(d1)} 10:00:00,Co-planning,45,West Middle,Ana Ruiz,"Planned, with a rubric"`,
        `${us(d1)} 13:00:00,Tech support / troubleshooting,1:30,West Middle,,Chargers`,
        `${d1},Observing,30,West Middle,Ben Lee,ISO date in a US file`,
        `${us(d1)},Juggling,30,West Middle,,`,
        `${us(d1)},Observing,30,West Middle,Nobody Here,`,
      ].join("\r\n");
      const mapping = { date: "Timestamp", minutes: "Duration", category: "Activity", school: "School", teachers: "Teacher(s)", notes: "Notes" };
      const dry = await importer.post<TImportReport>("/api/v1/coaching/entries/import", { csv, mapping, dryRun: false });
      expect(dry.status).toBe(200);
      expect(dry.body.applied).toBe(false);
      expect(dry.body.dateFormat).toBe("M/D/YYYY");
      expect(dry.body.errors).toEqual([
        { line: 4, column: "Timestamp", message: expect.stringContaining("not a M/D/YYYY date") },
        { line: 5, column: "Activity", message: expect.stringContaining('"Juggling"') },
        { line: 6, column: "Teacher(s)", message: expect.stringContaining('"Nobody Here"') },
      ]);
      expect((await importer.get<TList<TEntry>>("/api/v1/coaching/entries")).body.total).toBe(0);

      const applied = await importer.post<TImportReport>("/api/v1/coaching/entries/import", { csv, mapping, dryRun: false, applyValid: true });
      expect(applied.body).toMatchObject({ applied: true, created: 2, valid: 2 });
      const again = await importer.post<TImportReport>("/api/v1/coaching/entries/import", { csv, mapping, dryRun: false, applyValid: true });
      expect(again.body).toMatchObject({ created: 0, duplicates: 2 });
      const entries = await importer.get<TList<TEntry>>("/api/v1/coaching/entries");
      expect(entries.body.items.map((e) => e.minutes).sort()).toEqual([45, 90]);

      const badMapping = await importer.post<TImportReport>("/api/v1/coaching/entries/import", { csv, mapping: { ...mapping, date: "When" } });
      expect(badMapping.body.errors[0]).toMatchObject({ line: 1, column: "When" });
    });

    it("exports a coach's own log as CSV", async () => {
      const res = await coach.get("/api/v1/coaching/entries.csv");
      expect(res.status).toBe(200);
      const [header, ...rows] = res.text.trim().split("\n");
      expect(header).toBe("date,minutes,category,kind,school,teachers,notes,coach,id");
      expect(rows.length).toBeGreaterThanOrEqual(3);
    });

    it("lets the admin rename, add and retire categories without losing history", async () => {
      const renamed = await admin.patch<TCategory>(`/api/v1/coaching/categories/${cat("co_planning")}`, { name: "Co-planning lessons" });
      expect(renamed.body.name).toBe("Co-planning lessons");
      const added = await admin.post<TCategory>("/api/v1/coaching/categories", { name: "Makerspace", kind: "coaching" });
      expect(added.status).toBe(201);
      expect(added.body.key).toBe("makerspace");
      await admin.patch(`/api/v1/coaching/categories/${cat("tech_support")}`, { status: "retired" });
      const refused = await coach.post<TErrorResponse>("/api/v1/coaching/entries", { date: day, minutes: 10, categoryId: cat("tech_support") });
      expect(refused.body.error.message).toContain("retired");
      const history = await coach.get<TList<TEntry>>("/api/v1/coaching/entries?limit=200");
      expect(history.body.items.some((e) => e.category.name === "Co-planning lessons")).toBe(true);
      expect((await coach.post("/api/v1/coaching/categories", { name: "Mine", kind: "support" })).status).toBe(403);
    });
  });
}
