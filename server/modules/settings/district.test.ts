import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TErrorResponse } from "../../../shared/errors.js";
import type { TMe } from "../../../shared/schemas/auth.js";
import type { TCategory, TDashboard, TEntry } from "../../../shared/schemas/coaching.js";
import type { TDistrictProfile } from "../../../shared/schemas/settings.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn } from "../../../tests/helpers/factories.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";
import { newId, nowIso } from "../../lib.js";

const issuesOf = (body: TErrorResponse) => (body.error.details as { issues?: { path: string; message: string }[] } | undefined)?.issues ?? [];

// Issue 17 (district settings): the district's name, time zone, terms and coaching target, and the
// dashboards' terms and target following them.

const T1 = { name: "Trimester 1", schoolYear: "2025-26", startDate: "2025-08-18", endDate: "2025-11-18" };
// Starts on a Wednesday, so one week's rollup part holds days of two terms.
const T2 = { name: "Trimester 2", schoolYear: "2025-26", startDate: "2025-11-19", endDate: "2026-02-27" };
const T3 = { name: "Trimester 3", schoolYear: "2025-26", startDate: "2026-03-02", endDate: "2026-06-05" };

for (const dialect of DIALECTS) {
  describe(`district settings: name, time zone, terms, coaching target (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
    });
    afterAll(async () => server.close());

    it("renames the district and changes its time zone and target (audited); refuses bad values naming the field; admins only", async () => {
      const before = await admin.get<TDistrictProfile>("/api/v1/settings/district");
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({ name: "Riverside Unified", coachingShareTarget: 60, terms: [], rosterTerms: [] });
      const changed = await admin.patch<TDistrictProfile>("/api/v1/settings/district", { name: "Riverside Unified School District", timeZone: "America/Chicago", coachingShareTarget: 70 });
      expect(changed.status, changed.text).toBe(200);
      expect(changed.body).toMatchObject({ name: "Riverside Unified School District", timeZone: "America/Chicago", coachingShareTarget: 70 });
      expect((await admin.get<TMe>("/api/v1/me")).body.district).toMatchObject({ name: "Riverside Unified School District", timezone: "America/Chicago" });
      const audit = await admin.get<{ items: { action: string; details: Record<string, unknown> }[] }>("/api/v1/audit?action=district.update");
      expect(audit.body.items[0]?.details).toMatchObject({ name: { from: "Riverside Unified", to: "Riverside Unified School District" }, coachingShareTarget: { from: 60, to: 70 } });

      const badZone = await admin.patch<TErrorResponse>("/api/v1/settings/district", { timeZone: "Mars/Olympus_Mons" });
      expect(badZone.status).toBe(400);
      expect(issuesOf(badZone.body)[0]?.path).toBe("body.timeZone");
      const badTarget = await admin.patch<TErrorResponse>("/api/v1/settings/district", { coachingShareTarget: 130 });
      expect(badTarget.status).toBe(400);
      const overlap = await admin.patch<TErrorResponse>("/api/v1/settings/district", { terms: [T1, { ...T2, startDate: "2025-11-01" }] });
      expect(overlap.status).toBe(400);
      expect(issuesOf(overlap.body)[0]).toEqual({ path: "body.terms.1.startDate", message: 'overlaps "Trimester 1" (2025-08-18 to 2025-11-18)' });

      const school = await makeSchool(admin);
      const teacher = await signedIn(server, (await makePerson(admin, { roles: [{ role: "teacher", schoolId: school.id }] })).email);
      expect((await teacher.get("/api/v1/settings/district")).status).toBe(403);
      expect((await teacher.patch("/api/v1/settings/district", { name: "Mine now" })).status).toBe(403);
    });

    it("offers the roster's terms (or its semesters) to copy", async () => {
      const { me } = await (async () => ({ me: (await admin.get<TMe>("/api/v1/me")).body }))();
      const session = (sourceId: string, type: "term" | "semester" | "schoolYear", title: string, start: string, end: string) => ({
        id: newId(),
        district_id: me.district.id,
        source_id: sourceId,
        title,
        type,
        start_date: start,
        end_date: end,
        school_year: "2026",
        parent_id: null,
        status: "active" as const,
        created_at: nowIso(),
        updated_at: nowIso(),
        deactivated_at: null,
      });
      await server.ctx.db
        .insertInto("academic_sessions")
        .values([session("y1", "schoolYear", "2025-26", "2025-08-18", "2026-06-05"), session("s1", "semester", "Fall semester", "2025-08-18", "2025-12-19"), session("s2", "semester", "Spring semester", "2026-01-06", "2026-06-05")])
        .execute();
      const profile = await admin.get<TDistrictProfile>("/api/v1/settings/district");
      expect(profile.body.rosterTerms).toEqual([
        { sourceId: "s1", name: "Fall semester", schoolYear: "2025-26", startDate: "2025-08-18", endDate: "2025-12-19" },
        { sourceId: "s2", name: "Spring semester", schoolYear: "2025-26", startDate: "2026-01-06", endDate: "2026-06-05" },
      ]);
    });

    it("the dashboard's terms, teacher counts and target follow the district's settings", async () => {
      const west = await makeSchool(admin, { name: "West Middle" });
      const c = await makePerson(admin, { roles: [{ role: "coach", schoolId: west.id }] });
      const coach = await signedIn(server, c.email);
      const ana = await makePerson(admin, { roles: [{ role: "teacher", schoolId: west.id }] });
      const ben = await makePerson(admin, { roles: [{ role: "teacher", schoolId: west.id }] });
      const categories = (await admin.get<{ items: TCategory[] }>("/api/v1/coaching/categories")).body.items;
      const cat = (key: string) => categories.find((x) => x.key === key)?.id;
      const log = async (date: string, minutes: number, category: string, teacherId: string) => {
        const res = await coach.post<TEntry>("/api/v1/coaching/entries", { date, minutes, categoryId: cat(category), schoolId: west.id, teacherIds: [teacherId], notes: "" });
        expect(res.status, res.text).toBe(201);
      };
      await log("2025-08-11", 60, "co_planning", ana.person.id); // before Trimester 1
      await log("2025-10-01", 30, "co_teaching", ana.person.id); // Trimester 1
      await log("2025-11-18", 15, "co_planning", ana.person.id); // Trimester 1's last day (a Tuesday)
      await log("2025-11-19", 30, "tech_support", ben.person.id); // Trimester 2's first day, same week
      await log("2025-12-22", 45, "co_planning", ben.person.id); // winter break: counts in Trimester 2

      const year = "from=2025-07-01&to=2026-06-30&bucket=term";
      const series = (d: TDashboard) => d.series.map((s) => [s.bucket, s.coachingMinutes + s.supportMinutes]);
      const both = async (q: string) => {
        const district = await admin.get<TDashboard>(`/api/v1/coaching/dashboard?scope=district&${q}`);
        const own = await coach.get<TDashboard>(`/api/v1/coaching/dashboard?scope=me&${q}`);
        expect(district.status, district.text).toBe(200);
        // The rollup path (district) and the direct path (a coach's own log) agree.
        expect(series(own.body)).toEqual(series(district.body));
        expect(own.body.totals.teachersReached).toBe(district.body.totals.teachersReached);
        return district.body;
      };

      // The fixed rule: everything from July to December is Fall 2025.
      await admin.patch("/api/v1/settings/district", { terms: [] });
      const fixed = await both(year);
      expect(series(fixed)).toEqual([["2025-07-01", 180]]);
      expect(fixed.terms.map((t) => t.name)).toEqual(["Fall 2025", "Spring 2026"]);
      expect(fixed.coachingShareTarget).toBe(0.7);
      const fixedLate = await both("from=2025-11-20&to=2025-12-31&bucket=week");
      expect(fixedLate.teacherMetricsFrom).toBe("2025-07-01");
      expect(fixedLate.totals.teachersReached).toBe(2);

      // The district's trimesters: entries are re-filed and the term buckets and teacher counts follow.
      const saved = await admin.patch<TDistrictProfile>("/api/v1/settings/district", { terms: [T3, T1, T2], coachingShareTarget: 55 });
      expect(saved.status, saved.text).toBe(200);
      expect(saved.body.terms.map((t) => t.name)).toEqual(["Trimester 1", "Trimester 2", "Trimester 3"]);
      const defined = await both(year);
      expect(series(defined)).toEqual([
        ["2025-07-01", 60],
        ["2025-08-18", 45],
        ["2025-11-19", 75],
      ]);
      expect(defined.terms.map((t) => [t.name, t.startDate, t.endDate])).toEqual([
        ["Fall 2025", "2025-07-01", "2025-08-17"],
        ["Trimester 1", "2025-08-18", "2025-11-18"],
        ["Trimester 2", "2025-11-19", "2026-02-27"],
        ["Trimester 3", "2026-03-02", "2026-06-05"],
      ]);
      expect(defined.coachingShareTarget).toBe(0.55);
      const late = await both("from=2025-11-20&to=2025-12-31&bucket=week");
      expect([late.teacherMetricsFrom, late.teacherMetricsTo]).toEqual(["2025-11-19", "2026-03-01"]);
      expect(late.totals.teachersReached).toBe(1); // Ben only: Ana was coached in Trimester 1
      // Without a start date the range starts at the school year's first term.
      expect((await admin.get<TDashboard>("/api/v1/coaching/dashboard?scope=district&to=2026-01-15")).body.from).toBe("2025-08-18");

      // A new entry lands in its district term; no target is a null target.
      await log("2026-03-03", 20, "modeling", ana.person.id);
      expect(series(await both(year)).at(-1)).toEqual(["2026-03-02", 20]);
      await admin.patch("/api/v1/settings/district", { coachingShareTarget: null });
      expect((await both(year)).coachingShareTarget).toBeNull();
    });
  });
}
