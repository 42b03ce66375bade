import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TErrorResponse } from "../../../shared/errors.js";
import type { TCategory, TCycle, TDashboard, TEntry, TImportReport } from "../../../shared/schemas/coaching.js";
import type { TList } from "../../../shared/schemas/common.js";
import type { TPerson } from "../../../shared/schemas/people.js";
import type { TSchool } from "../../../shared/schemas/schools.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn, unique, districtToday } from "../../../tests/helpers/factories.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";
import { addDays } from "./calendar.js";

for (const dialect of DIALECTS) {
  describe(`coaching log (${dialect})`, () => {
    // Shared, never changed by a test: the schools, two West teachers, an East teacher, a West leader,
    // an East coach and the seeded categories. Every test that logs makes its own coach (newCoach), so
    // no test reads entries, cycles or categories another test wrote.
    let server: TestServer;
    let admin: ApiClient;
    let west: TSchool;
    let east: TSchool;
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
    const day = districtToday();

    /** A new coach (at West unless told), signed in: their log starts empty. */
    const newCoach = async (school: TSchool = west): Promise<{ coach: ApiClient; person: TPerson }> => {
      const c = await makePerson(admin, { roles: [{ role: "coach", schoolId: school.id }] });
      return { coach: await signedIn(server, c.email), person: c.person };
    };
    /** Logs an entry and insists it was saved. */
    const log = async (coach: ApiClient, body: Record<string, unknown>): Promise<TEntry> => {
      const res = await coach.post<TEntry>("/api/v1/coaching/entries", body);
      expect(res.status, res.text).toBe(201);
      return res.body;
    };

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
      west = await makeSchool(admin, { name: "West Middle", level: "middle" });
      east = await makeSchool(admin, { name: "East High", level: "high" });
      otherCoach = await signedIn(server, (await makePerson(admin, { roles: [{ role: "coach", schoolId: east.id }] })).email);
      teacherA = await makePerson(admin, { roles: [{ role: "teacher", schoolId: west.id }], givenName: "Ana", familyName: "Ruiz" });
      teacherB = await makePerson(admin, { roles: [{ role: "teacher", schoolId: west.id }], givenName: "Ben", familyName: "Lee" });
      eastTeacher = await makePerson(admin, { roles: [{ role: "teacher", schoolId: east.id }] });
      leader = await signedIn(server, (await makePerson(admin, { roles: [{ role: "school_leader", schoolId: west.id }] })).email);
      categories = (await admin.get<{ items: TCategory[] }>("/api/v1/coaching/categories")).body.items;
    });
    afterAll(async () => server.close());

    it("seeds the ten categories of a technology coach, each coaching or support", () => {
      expect(categories).toHaveLength(10);
      expect(categories.filter((c) => c.kind === "support").map((c) => c.key).sort()).toEqual(["tech_administration", "tech_literacy", "tech_support"]);
    });

    it("logs an entry with teachers, and a retried save with the same clientRef is stored once", async () => {
      const { coach } = await newCoach();
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
      const { coach } = await newCoach();
      const base = { date: day, minutes: 30, categoryId: cat("observing"), schoolId: west.id };
      // A school the coach does not coach at is a refusal of scope (403); the rest are invalid input (400).
      const cases: [Record<string, unknown>, string, number][] = [
        [{ minutes: -5 }, "body.minutes", 400],
        [{ minutes: 2000 }, "body.minutes", 400],
        [{ date: addDays(day, 30) }, "body.date", 400],
        [{ date: "2026-02-30" }, "body.date", 400],
        [{ categoryId: "nope" }, "body.categoryId", 400],
        [{ teacherIds: ["ghost"] }, "body.teacherIds.0", 400],
        [{ teacherIds: [eastTeacher.person.id] }, "body.teacherIds.0", 400],
        [{ schoolId: east.id }, "body.schoolId", 403],
      ];
      for (const [override, field, status] of cases) {
        const res = await coach.post<TErrorResponse>("/api/v1/coaching/entries", { ...base, ...override });
        expect(res.status, JSON.stringify(override)).toBe(status);
        expect(res.body.error.message, JSON.stringify(override)).toContain(field);
      }
      expect((await coach.get<TList<TEntry>>("/api/v1/coaching/entries")).body.total).toBe(0);
    });

    it("refuses more than 16 hours in one day for one coach", async () => {
      const { coach } = await newCoach();
      const date = addDays(day, -3);
      expect((await coach.post("/api/v1/coaching/entries", { date, minutes: 900, categoryId: cat("tech_support") })).status).toBe(201);
      const over = await coach.post<TErrorResponse>("/api/v1/coaching/entries", { date, minutes: 90, categoryId: cat("tech_support") });
      expect(over.status).toBe(400);
      expect(over.body.error.message).toMatch(/body\.minutes.*16 hours.*at most 60 more/);
    });

    it("lets a coach edit and delete only their own entries", async () => {
      const { coach } = await newCoach();
      const created = await log(coach, { date: day, minutes: 20, categoryId: cat("modeling"), schoolId: west.id });
      const edited = await coach.patch<TEntry>(`/api/v1/coaching/entries/${created.id}`, { minutes: 25, teacherIds: [teacherB.person.id] });
      expect(edited.status).toBe(200);
      expect(edited.body.minutes).toBe(25);
      expect(edited.body.teachers.map((t) => t.id)).toEqual([teacherB.person.id]);
      expect((await otherCoach.patch(`/api/v1/coaching/entries/${created.id}`, { minutes: 1 })).status).toBe(403);
      expect((await otherCoach.delete(`/api/v1/coaching/entries/${created.id}`)).status).toBe(403);
      expect((await coach.delete(`/api/v1/coaching/entries/${created.id}`)).status).toBe(204);
      expect((await coach.get<TList<TEntry>>(`/api/v1/coaching/entries?limit=200`)).body.total).toBe(0);
    });

    it("keeps a coach's log private from other coaches and teachers, but not from the admin", async () => {
      const { coach, person } = await newCoach();
      const entry = await log(coach, { date: day, minutes: 15, categoryId: cat("observing"), schoolId: west.id });
      expect((await otherCoach.get(`/api/v1/coaching/entries?coachId=${person.id}`)).status).toBe(403);
      const teacher = await signedIn(server, teacherA.email);
      expect((await teacher.get("/api/v1/coaching/entries")).status).toBe(403);
      const adminView = await admin.get<TList<TEntry>>(`/api/v1/coaching/entries?coachId=${person.id}`);
      expect(adminView.status).toBe(200);
      expect(adminView.body.items.map((e) => e.id)).toEqual([entry.id]);
    });

    it("lets a district admin read every coach's entries at once, or one coach's; a coach may not ask for all", async () => {
      const a = await newCoach();
      const b = await newCoach();
      const ea = await log(a.coach, { date: day, minutes: 10, categoryId: cat("observing"), schoolId: west.id });
      const eb = await log(b.coach, { date: day, minutes: 11, categoryId: cat("observing"), schoolId: west.id });
      const all = await admin.get<TList<TEntry>>("/api/v1/coaching/entries?allCoaches=true&limit=200");
      expect(all.status).toBe(200);
      expect(all.body.items.map((e) => e.id)).toEqual(expect.arrayContaining([ea.id, eb.id]));
      const one = await admin.get<TList<TEntry>>(`/api/v1/coaching/entries?allCoaches=true&coachId=${a.person.id}&limit=200`);
      expect(one.body.items.map((e) => e.id)).toEqual([ea.id]);
      expect((await a.coach.get("/api/v1/coaching/entries?allCoaches=true")).status).toBe(403);
    });

    it("offers recent distinct activities to repeat", async () => {
      const { coach } = await newCoach();
      await log(coach, { date: day, minutes: 45, categoryId: cat("co_planning"), schoolId: west.id, teacherIds: [teacherA.person.id] });
      await log(coach, { date: addDays(day, -1), minutes: 45, categoryId: cat("co_planning"), schoolId: west.id, teacherIds: [teacherA.person.id] });
      await log(coach, { date: addDays(day, -3), minutes: 900, categoryId: cat("tech_support") });
      const recent = await coach.get<{ items: { categoryId: string; minutes: number }[] }>("/api/v1/coaching/entries/recent");
      expect(recent.body.items[0]).toMatchObject({ categoryId: cat("tech_support"), minutes: 900 });
      // The same activity twice is offered once.
      expect(recent.body.items.filter((r) => r.categoryId === cat("co_planning") && r.minutes === 45)).toHaveLength(1);
      expect(recent.body.items).toHaveLength(2);
    });

    it("shows where the time goes: coaching vs support, teachers reached, coverage", async () => {
      // A school of this test's own, with two teachers, so coverage counts only what this test made.
      const south = await makeSchool(admin, { name: unique("South ") });
      const coachedTeacher = await makePerson(admin, { roles: [{ role: "teacher", schoolId: south.id }], givenName: "Sol", familyName: unique("Ortega") });
      await makePerson(admin, { roles: [{ role: "teacher", schoolId: south.id }] });
      const { coach } = await newCoach(south);
      await log(coach, { date: day, minutes: 45, categoryId: cat("co_planning"), schoolId: south.id, teacherIds: [coachedTeacher.person.id] });
      await log(coach, { date: addDays(day, -3), minutes: 900, categoryId: cat("tech_support") });
      const d = await coach.get<TDashboard>("/api/v1/coaching/dashboard?scope=me&bucket=week");
      expect(d.status).toBe(200);
      expect(d.body.totals.coachingMinutes).toBe(45);
      expect(d.body.totals.supportMinutes).toBe(900);
      expect(d.body.totals.coachingShare).toBeCloseTo(45 / 945);
      expect(d.body.totals.teachersReached).toBe(1);
      expect(d.body.coverage).toEqual([{ schoolId: south.id, schoolName: south.name, teachers: 2, reached: 1, share: 0.5 }]);
      expect(d.body.topTeachers).toEqual([{ id: coachedTeacher.person.id, name: `Sol ${coachedTeacher.person.familyName}`, minutes: 45, entries: 1 }]);
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
      // The district dashboard, narrowed to a school only this test logs at, counts exactly what was logged.
      const north = await makeSchool(admin, { name: unique("North ") });
      const { coach } = await newCoach(north);
      await log(coach, { date: day, minutes: 45, categoryId: cat("co_planning"), schoolId: north.id });
      await log(coach, { date: addDays(day, -3), minutes: 900, categoryId: cat("tech_support"), schoolId: north.id });
      const district = await admin.get<TDashboard>(`/api/v1/coaching/dashboard?scope=district&bucket=month&schoolId=${north.id}`);
      expect(district.status).toBe(200);
      expect(district.body.totals.minutes).toBe(945);
      const csv = await admin.get(`/api/v1/coaching/dashboard.csv?scope=district&bucket=month&table=series&schoolId=${north.id}`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get("content-type")).toContain("text/csv");
      expect((parse(csv.text, { bom: true }) as string[][])[0]).toContain("Co-planning");
    });

    it("runs a coaching cycle from a learning outcome: the teacher reflects, nobody else reads it", async () => {
      const { coach } = await newCoach();
      // Teachers of this test alone, so "their cycles" are exactly this one and none.
      const coached = await makePerson(admin, { roles: [{ role: "teacher", schoolId: west.id }] });
      const notCoached = await makePerson(admin, { roles: [{ role: "teacher", schoolId: west.id }] });
      const created = await coach.post<TCycle>("/api/v1/coaching/cycles", {
        title: "Student feedback with Forms",
        startingPoint: "outcome",
        startingText: "Students revise their writing from peer feedback",
        schoolId: west.id,
        teacherIds: [coached.person.id],
      });
      expect(created.status).toBe(201);
      // The outcome written at creation is the cycle's Goal step.
      expect(created.body.steps).toMatchObject([{ stage: "goal", date: day, notes: "Students revise their writing from peer feedback" }]);
      const id = created.body.id;
      const plan = await coach.post<TCycle>(`/api/v1/coaching/cycles/${id}/steps`, { stage: "co_plan", date: day, notes: "Agree on the success criteria" });
      expect(plan.status).toBe(201);
      expect(plan.body.steps.map((s) => s.stage)).toEqual(["goal", "co_plan"]);
      await log(coach, { date: day, minutes: 30, categoryId: cat("co_teaching"), schoolId: west.id, teacherIds: [coached.person.id], cycleId: id });

      const teacher = await signedIn(server, coached.email);
      const mine = await teacher.get<TList<TCycle>>("/api/v1/coaching/cycles");
      expect(mine.body.items.map((c) => c.id)).toEqual([id]);
      const reflect = await teacher.post<TCycle>(`/api/v1/coaching/cycles/${id}/steps`, { stage: "reflect", date: day, notes: "Drafts improved" });
      expect(reflect.status).toBe(201);
      expect(reflect.body.minutesLogged).toBe(30);
      const notAllowed = await teacher.post<TErrorResponse>(`/api/v1/coaching/cycles/${id}/steps`, { stage: "observe", date: day, notes: "x" });
      expect(notAllowed.status).toBe(400);
      expect(notAllowed.body.error.message).toContain("body.stage");
      expect((await teacher.patch(`/api/v1/coaching/cycles/${id}`, { status: "complete" })).status).toBe(403);

      const otherTeacher = await signedIn(server, notCoached.email);
      expect((await otherTeacher.get(`/api/v1/coaching/cycles/${id}`)).status).toBe(403);
      expect((await otherTeacher.get<TList<TCycle>>("/api/v1/coaching/cycles")).body.items).toEqual([]);
      expect((await leader.get(`/api/v1/coaching/cycles/${id}`)).status).toBe(403);
      expect((await otherCoach.get(`/api/v1/coaching/cycles/${id}`)).status).toBe(403);

      const done = await coach.patch<TCycle>(`/api/v1/coaching/cycles/${id}`, { status: "complete" });
      expect(done.status).toBe(200);
      expect(done.body.completedAt).not.toBeNull();
      const caseload = await coach.get<TList<TCycle>>("/api/v1/coaching/cycles?status=all");
      expect(caseload.body.items.map((c) => c.id)).toEqual([id]);
    });

    it("starts a cycle from a classroom problem without a goal: the goal is agreed later", async () => {
      const { coach } = await newCoach();
      const res = await coach.post<TCycle>("/api/v1/coaching/cycles", {
        title: "Quiet back rows",
        startingPoint: "problem",
        startingText: "Students at the back do not join discussions",
        schoolId: west.id,
        teacherIds: [teacherA.person.id],
      });
      expect(res.status).toBe(201);
      expect(res.body.steps).toEqual([]);
    });

    it("refuses a cycle with a teacher from another school", async () => {
      const { coach } = await newCoach();
      const res = await coach.post<TErrorResponse>("/api/v1/coaching/cycles", {
        title: "x",
        startingPoint: "problem",
        startingText: "y",
        schoolId: west.id,
        teacherIds: [eastTeacher.person.id],
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain("body.teacherIds.0");
      expect((await coach.get<TList<TCycle>>("/api/v1/coaching/cycles?status=all")).body.items).toEqual([]);
    });

    it("imports a Google Forms log: reports mixed date formats per line, writes nothing, then applies once", async () => {
      const { coach: importer } = await newCoach();
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
      expect(applied.status).toBe(200);
      expect(applied.body).toMatchObject({ applied: true, created: 2, valid: 2 });
      const again = await importer.post<TImportReport>("/api/v1/coaching/entries/import", { csv, mapping, dryRun: false, applyValid: true });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ created: 0, duplicates: 2 });
      const entries = await importer.get<TList<TEntry>>("/api/v1/coaching/entries");
      expect(entries.body.items.map((e) => e.minutes).sort()).toEqual([45, 90]);

      const badMapping = await importer.post<TImportReport>("/api/v1/coaching/entries/import", { csv, mapping: { ...mapping, date: "When" } });
      expect(badMapping.status).toBe(200);
      expect(badMapping.body.errors[0]).toMatchObject({ line: 1, column: "When" });
    });

    it("maps each activity value of a Forms file to a category, and remembers the choice for the district's next import", async () => {
      const { coach: first } = await newCoach();
      const d1 = addDays(day, -12);
      const csv = ["Date,Activity,Minutes", `${d1},Tech help,30`, `${d1},tech HELP,15`, `${d1},Co-planning,45`, `${d1},PD session,60`].join("\n");
      const mapping = { date: "Date", minutes: "Minutes", category: "Activity" };
      const dry = await first.post<TImportReport>("/api/v1/coaching/entries/import", { csv, mapping });
      expect(dry.status, dry.text).toBe(200);
      // Each distinct value once (case and spacing folded), with what it is read as.
      expect(dry.body.categoryValues).toEqual([
        { value: "Tech help", rows: 2, categoryId: null, source: null },
        { value: "Co-planning", rows: 1, categoryId: cat("co_planning"), source: "name" },
        { value: "PD session", rows: 1, categoryId: null, source: null },
      ]);
      expect(dry.body.errors.map((e) => e.line)).toEqual([2, 3, 5]);

      const categoryValues = { "Tech help": cat("tech_support"), "PD session": cat("professional_development") };
      const checked = await first.post<TImportReport>("/api/v1/coaching/entries/import", { csv, mapping, categoryValues });
      expect(checked.body.errors).toEqual([]);
      expect(checked.body.categoryValues.map((v) => v.source)).toEqual(["chosen", "name", "chosen"]);
      // A dry run remembers nothing; the applied import does.
      const applied = await first.post<TImportReport>("/api/v1/coaching/entries/import", { csv, mapping, categoryValues, dryRun: false });
      expect(applied.body).toMatchObject({ applied: true, created: 4 });

      // Another coach of the district, next week: the same values are read the same way without asking.
      const { coach: second } = await newCoach();
      const next = await second.post<TImportReport>("/api/v1/coaching/entries/import", { csv: ["Date,Activity,Minutes", `${d1},TECH HELP,20`].join("\n"), mapping });
      expect(next.body.errors).toEqual([]);
      expect(next.body.categoryValues).toEqual([{ value: "TECH HELP", rows: 1, categoryId: cat("tech_support"), source: "remembered" }]);

      const unknown = await second.post<TErrorResponse>("/api/v1/coaching/entries/import", { csv, mapping, categoryValues: { "Tech help": "nope" } });
      expect(unknown.status).toBe(200);
      expect((unknown.body as unknown as TImportReport).errors[0]?.message).toContain('categoryValues."Tech help"');
    });

    it("exports a coach's own log as CSV", async () => {
      const { coach } = await newCoach();
      const logged = [
        await log(coach, { date: day, minutes: 45, categoryId: cat("co_planning"), schoolId: west.id, teacherIds: [teacherA.person.id] }),
        await log(coach, { date: addDays(day, -1), minutes: 30, categoryId: cat("observing"), schoolId: west.id }),
        await log(coach, { date: addDays(day, -2), minutes: 20, categoryId: cat("tech_support") }),
      ];
      const res = await coach.get("/api/v1/coaching/entries.csv");
      expect(res.status).toBe(200);
      const [header, ...rows] = parse(res.text, { bom: true }) as string[][];
      expect(header).toEqual(["date", "minutes", "category", "kind", "school", "teachers", "notes", "coach", "id"]);
      expect(rows.map((r) => r.at(-1))).toEqual(logged.map((e) => e.id));
    });

    it("lets the admin rename, add and retire categories without losing history", async () => {
      // A category of this test's own: the ten defaults stay as they are for every other test.
      const name = unique("Makerspace ");
      const added = await admin.post<TCategory>("/api/v1/coaching/categories", { name, kind: "coaching" });
      expect(added.status).toBe(201);
      expect(added.body.key).toBe(name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, ""));
      const { coach } = await newCoach();
      const entry = await log(coach, { date: day, minutes: 10, categoryId: added.body.id });
      const renamed = await admin.patch<TCategory>(`/api/v1/coaching/categories/${added.body.id}`, { name: `${name} lab` });
      expect(renamed.status).toBe(200);
      expect(renamed.body.name).toBe(`${name} lab`);
      expect((await admin.patch(`/api/v1/coaching/categories/${added.body.id}`, { status: "retired" })).status).toBe(200);
      const refused = await coach.post<TErrorResponse>("/api/v1/coaching/entries", { date: day, minutes: 10, categoryId: added.body.id });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain("retired");
      const history = await coach.get<TList<TEntry>>("/api/v1/coaching/entries?limit=200");
      expect(history.body.items.map((e) => [e.id, e.category.name])).toEqual([[entry.id, `${name} lab`]]);
      expect((await coach.post("/api/v1/coaching/categories", { name: unique("Mine "), kind: "support" })).status).toBe(403);
    });
  });
}
