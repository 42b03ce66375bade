import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countsFromObservations, rollupMetrics, type RubricShape } from "../../../shared/observation-metrics.js";
import type { TCompareReport, TComposite, TCompositeList, TGrowthReport, THeatMapReport, TRollupReport } from "../../../shared/schemas/observation-reports.js";
import type { TSchool } from "../../../shared/schemas/schools.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn } from "../../../tests/helpers/factories.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";

// Roll-ups over a small district whose every figure is counted by hand below, checked on the monthly
// rollup path (district and school reports), on the per-dimension rows (a subject filter, a teacher),
// and against the in-memory count of the same observations after edits and deletes.

const DIMS = ["active", "collaborative", "constructive", "authentic", "goal_directed"] as const;
const LEVELS = ["entry", "adoption", "adaptation", "infusion", "transformation"] as const;

type Seed = { name: string; school: "west" | "east"; teacher: "a1" | "a2" | "b"; date: string; status: "draft" | "submitted" | "shared"; ranks: (number | null)[] };
const SEEDS: Seed[] = [
  { name: "O1", school: "west", teacher: "a1", date: "2025-09-10", status: "shared", ranks: [2, 2, 2, 3, 2] },
  { name: "O2", school: "west", teacher: "a1", date: "2025-10-15", status: "shared", ranks: [2, 3, 2, 3, 2] },
  { name: "O3", school: "west", teacher: "a1", date: "2026-02-11", status: "submitted", ranks: [2, 3, 3, 4, 2] },
  { name: "O4", school: "west", teacher: "a2", date: "2025-09-20", status: "shared", ranks: [1, null, 1, null, 2] },
  { name: "O5", school: "west", teacher: "a2", date: "2025-10-03", status: "shared", ranks: [null, null, null, null, null] },
  { name: "O6", school: "west", teacher: "a2", date: "2025-10-05", status: "draft", ranks: [5, 5, 5, 5, 5] },
  { name: "O7", school: "east", teacher: "b", date: "2025-09-12", status: "shared", ranks: [3, 3, 3, 3, 3] },
  { name: "O8", school: "east", teacher: "b", date: "2026-02-20", status: "submitted", ranks: [4, null, null, null, 5] },
];
const YEAR = "from=2025-07-01&to=2026-06-30";

for (const dialect of DIALECTS) {
  describe(`observation roll-ups (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    let west: TSchool;
    let east: TSchool;
    let teachers: Record<Seed["teacher"], string>;
    let teacherA1: ApiClient;
    let coachWest: ApiClient;
    let leaderEast: ApiClient;
    let itStaff: ApiClient;
    const ids = new Map<string, string>();
    // What the server should hold, kept in step with every edit the tests make.
    const live = new Map<string, Seed>();

    // The rubric as the server names it (the TIM template's names), read once the district exists.
    let tim: RubricShape;
    const expected = (keep: (s: Seed) => boolean) =>
      rollupMetrics(
        tim,
        countsFromObservations(
          tim,
          [...live.values()].filter((s) => s.status !== "draft" && keep(s)).map((s) => ({ teacherId: s.teacher, levels: Object.fromEntries(DIMS.map((d, i) => [d, s.ranks[i] ?? null])) })),
        ),
      );

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
      west = await makeSchool(admin, { name: "West Middle" });
      east = await makeSchool(admin, { name: "East High", level: "high" });
      const a1 = await makePerson(admin, { roles: [{ role: "teacher", schoolId: west.id }] });
      // a2 teaches at both schools, so one of her observations can move from West to East.
      const a2 = await makePerson(admin, { roles: [{ role: "teacher", schoolId: west.id }, { role: "teacher", schoolId: east.id }] });
      const b = await makePerson(admin, { roles: [{ role: "teacher", schoolId: east.id }] });
      teachers = { a1: a1.person.id, a2: a2.person.id, b: b.person.id };
      teacherA1 = await signedIn(server, a1.email);
      coachWest = await signedIn(server, (await makePerson(admin, { roles: [{ role: "coach", schoolId: west.id }] })).email);
      leaderEast = await signedIn(server, (await makePerson(admin, { roles: [{ role: "school_leader", schoolId: east.id }] })).email);
      itStaff = await signedIn(server, (await makePerson(admin, { roles: [{ role: "it_staff", schoolId: west.id }] })).email);
      for (const s of SEEDS) {
        const res = await admin.post<{ id: string }>("/api/v1/observations", {
          schoolId: (s.school === "west" ? west : east).id,
          teacherId: teachers[s.teacher],
          subject: "Science",
          date: s.date,
          status: s.status,
          levels: Object.fromEntries(DIMS.map((d, i) => [d, s.ranks[i] ? LEVELS[(s.ranks[i] ?? 1) - 1] : null])),
        });
        if (res.status !== 201) throw new Error(`${s.name} was not saved: ${res.status} ${res.text}`);
        ids.set(s.name, res.body.id);
        live.set(s.name, s);
      }
      const rubric = await admin.get<THeatMapReport>("/api/v1/observations/rollups/heatmap?scope=district");
      if (rubric.status !== 200) throw new Error(`no rubric: ${rubric.text}`);
      tim = rubric.body.rubric;
    });
    afterAll(async () => server.close());

    it("counts the district's heat map, prevalence and extensity from the monthly rollups, as counted by hand", async () => {
      const res = await admin.get<THeatMapReport>(`/api/v1/observations/rollups/heatmap?scope=district&${YEAR}`);
      expect(res.status, res.text).toBe(200);
      const m = res.body.metrics;
      expect(res.body.source).toBe("rollups");
      expect(res.body.rubric.dimensions.map((d) => d.key)).toEqual([...DIMS]);
      expect(m.observations).toBe(7); // the draft never counts
      expect(m.heatMap.map((r) => r.counts)).toEqual([
        [1, 3, 1, 1, 0],
        [0, 1, 3, 0, 0],
        [1, 2, 2, 0, 0],
        [0, 0, 3, 1, 0],
        [0, 4, 1, 0, 1],
      ]);
      expect(m.heatMap.map((r) => r.notObserved)).toEqual([1, 3, 2, 3, 1]);
      expect(m.prevalence.byObservation.map((p) => p.count)).toEqual([6, 6, 5, 2, 1]);
      expect(m.prevalence.byObservation[2]?.share).toBeCloseTo(5 / 7, 12);
      expect(m.extensity.mean).toBeCloseTo(25 / 7, 12);
      expect(m.highestByObservation.none).toBe(1);
    });

    it("agrees with the per-dimension rows (a subject filter reads them) and with an in-memory count, for ranges cutting months", async () => {
      for (const [from, to] of [["2025-07-01", "2026-06-30"], ["2025-09-15", "2026-02-15"], ["2025-09-11", "2025-09-30"], ["2025-10-01", "2025-10-31"]] as const) {
        const q = `scope=district&from=${from}&to=${to}`;
        const viaRollups = await admin.get<THeatMapReport>(`/api/v1/observations/rollups/heatmap?${q}`);
        const viaRows = await admin.get<THeatMapReport>(`/api/v1/observations/rollups/heatmap?${q}&subject=Science`);
        expect(viaRows.body.source).toBe("rows");
        expect(viaRollups.body.metrics).toEqual(viaRows.body.metrics);
        const want = expected((s) => s.date >= from && s.date <= to);
        expect(viaRollups.body.metrics.heatMap).toEqual(want.heatMap);
        expect(viaRollups.body.metrics.prevalence.byObservation).toEqual(want.prevalence.byObservation);
      }
    });

    it("reports teachers' highest level and flexibility, and scores composites with their formula", async () => {
      const created = await admin.post<TComposite>("/api/v1/observations/composites", {
        name: "Pilot score (TIM third)",
        terms: [{ metric: "observations.share_adaptation_or_above", weight: 1 }, { metric: "observations.extensity", weight: 1 }],
      });
      expect(created.status, created.text).toBe(201);
      expect(created.body.formula).toBe("Pilot score (TIM third) = 100 × (1 × share of observations at Adaptation or above + 1 × extensity (characteristics observed ÷ characteristics)) ÷ 2");
      expect((await coachWest.post("/api/v1/observations/composites", { name: "Mine", terms: [{ metric: "observations.extensity", weight: 1 }] })).status).toBe(403);
      const unknown = await admin.post<{ error: { details: { issues: { path: string }[] } } }>("/api/v1/observations/composites", { name: "Bad", terms: [{ metric: "nope.metric", weight: 1 }] });
      expect(unknown.status).toBe(400);
      expect(unknown.text).toContain("body.terms.0.metric");

      const res = await admin.get<TRollupReport>(`/api/v1/observations/rollups?scope=district&${YEAR}`);
      expect(res.status, res.text).toBe(200);
      const t = res.body.teacherMetrics;
      expect(t.teachers).toBe(3);
      // a1 saw Adoption, Adaptation, Infusion; a2 Entry, Adoption; b Adaptation, Infusion, Transformation.
      expect(t.highestByTeacher.map((l) => l.count)).toEqual([0, 1, 0, 1, 1]);
      expect(t.flexibility.teachers.map((f) => f.count)).toEqual([0, 1, 2, 0, 0]);
      const pilot = res.body.composites.find((c) => c.compositeId === created.body.id);
      expect(pilot?.score).toBeCloseTo(((5 / 7 + 5 / 7) / 2) * 100, 9);
      expect(pilot?.formula).toBe(created.body.formula);
      const list = await teacherA1.get<TCompositeList>("/api/v1/observations/composites");
      expect(list.status).toBe(200);
      expect(list.body.metrics.map((m) => m.key)).toContain("observations.share_infusion_or_above");
    });

    it("grows by term and compares two schools side by side", async () => {
      const growth = await admin.get<TGrowthReport>(`/api/v1/observations/rollups/growth?scope=district&bucket=term&${YEAR}`);
      expect(growth.status, growth.text).toBe(200);
      expect(growth.body.periods.map((p) => [p.period, p.observations])).toEqual([["2025-26 Fall", 5], ["2025-26 Spring", 2]]);
      expect(growth.body.periods[0]?.prevalence[2]?.share).toBeCloseTo(3 / 5, 12);
      expect(growth.body.periods[1]?.prevalence[3]?.share).toBe(1);
      const cmp = await admin.get<TCompareReport>(`/api/v1/observations/rollups/compare?by=schools&schoolId=${west.id}&otherSchoolId=${east.id}&${YEAR}`);
      expect(cmp.status, cmp.text).toBe(200);
      expect(cmp.body.sides.map((s) => s.metrics.observations)).toEqual([5, 2]);
      expect(cmp.body.sides[1]?.filter.label).toContain("East High");
      const periods = await admin.get<TCompareReport>(`/api/v1/observations/rollups/compare?by=periods&scope=district&from=2025-07-01&to=2025-12-31&otherFrom=2026-01-01&otherTo=2026-06-30`);
      expect(periods.body.sides.map((s) => s.metrics.observations)).toEqual([5, 2]);
    });

    it("exports every table as CSV", async () => {
      const res = await admin.get(`/api/v1/observations/rollups/export.csv?table=heatmap&scope=district&${YEAR}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/csv");
      const lines = res.text.replace(/^\uFEFF/, "").trim().split("\n");
      expect(lines[0]).toContain('"characteristic"');
      expect(lines[1]).toBe('"Active",1,16.67,3,50,1,16.67,1,16.67,0,0,6,1');
      for (const table of ["distribution", "prevalence", "highest", "extensity", "flexibility", "composites", "growth"]) {
        const r = await admin.get(`/api/v1/observations/rollups/export.csv?table=${table}&scope=district&${YEAR}`);
        expect(r.status, `${table}: ${r.text}`).toBe(200);
      }
      const cmp = await admin.get(`/api/v1/observations/rollups/export.csv?table=compare&by=schools&schoolId=${west.id}&otherSchoolId=${east.id}&${YEAR}`);
      expect(cmp.status, cmp.text).toBe(200);
    });

    it("scopes roll-ups: a teacher sees only what was shared with them, a leader only their school", async () => {
      const own = await teacherA1.get<THeatMapReport>(`/api/v1/observations/rollups/heatmap?scope=teacher&teacherId=${teachers.a1}&${YEAR}`);
      expect(own.status, own.text).toBe(200);
      expect(own.body.metrics.observations).toBe(2); // O3 is submitted, not yet shared with her
      expect(own.body.metrics.heatMap[0]?.counts).toEqual([0, 2, 0, 0, 0]);
      expect((await teacherA1.get(`/api/v1/observations/rollups?scope=teacher&teacherId=${teachers.a2}`)).status).toBe(403);
      expect((await teacherA1.get(`/api/v1/observations/rollups/heatmap?scope=school&schoolId=${west.id}`)).status).toBe(403);
      expect((await teacherA1.get(`/api/v1/observations/rollups/heatmap?scope=district`)).status).toBe(403);
      const leader = await leaderEast.get<THeatMapReport>(`/api/v1/observations/rollups/heatmap?scope=district&${YEAR}`);
      expect(leader.body.metrics.observations).toBe(2);
      expect((await leaderEast.get(`/api/v1/observations/rollups/heatmap?scope=school&schoolId=${west.id}`)).status).toBe(403);
      // A leader asking for a teacher of another school sees none of that teacher's observations.
      const other = await leaderEast.get<THeatMapReport>(`/api/v1/observations/rollups/heatmap?scope=teacher&teacherId=${teachers.a1}&${YEAR}`);
      expect(other.body.metrics.observations).toBe(0);
      const coach = await coachWest.get<THeatMapReport>(`/api/v1/observations/rollups/heatmap?scope=teacher&teacherId=${teachers.a1}&${YEAR}`);
      expect(coach.body.metrics.observations).toBe(3);
      expect((await itStaff.get(`/api/v1/observations/rollups/growth?scope=district`)).status).toBe(403);
      const missing = await admin.get(`/api/v1/observations/rollups?scope=school`);
      expect(missing.status).toBe(400);
      expect(missing.text).toContain("query.schoolId");
    });

    it("counts observations of one school and month saved at the same time", async () => {
      const extra = Array.from({ length: 6 }, (_, i): Seed => ({ name: `C${i}`, school: "east", teacher: "b", date: "2025-11-0" + String(i + 1), status: "shared", ranks: [i % 5 + 1, null, 2, null, null] }));
      const results = await Promise.all(
        extra.map((s) =>
          admin.post<{ id: string }>("/api/v1/observations", {
            schoolId: east.id,
            teacherId: teachers.b,
            subject: "Science",
            date: s.date,
            status: s.status,
            levels: Object.fromEntries(DIMS.map((d, i) => [d, s.ranks[i] ? LEVELS[(s.ranks[i] ?? 1) - 1] : null])),
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(extra.map(() => 201));
      extra.forEach((s, i) => {
        ids.set(s.name, results[i]?.body.id ?? "");
        live.set(s.name, s);
      });
      const res = await admin.get<THeatMapReport>(`/api/v1/observations/rollups/heatmap?scope=school&schoolId=${east.id}&${YEAR}`);
      expect(res.body.source).toBe("rollups");
      expect(res.body.metrics).toEqual((await admin.get<THeatMapReport>(`/api/v1/observations/rollups/heatmap?scope=school&schoolId=${east.id}&${YEAR}&subject=Science`)).body.metrics);
      expect(res.body.metrics.heatMap).toEqual(expected((s) => s.school === "east").heatMap);
    });

    it("stays right after observations are moved, re-scored, shared and deleted", async () => {
      const o4 = ids.get("O4");
      const o2 = ids.get("O2");
      const o3 = ids.get("O3");
      const seed4 = live.get("O4");
      const seed3 = live.get("O3");
      if (!o4 || !o2 || !o3 || !seed4 || !seed3) throw new Error("seeded observations expected");
      const moved = await admin.patch(`/api/v1/observations/${o4}`, { schoolId: east.id, date: "2026-03-02", levels: { active: "infusion", goal_directed: "entry" } });
      expect(moved.status, moved.text).toBe(200);
      live.set("O4", { ...seed4, school: "east", date: "2026-03-02", ranks: [4, null, null, null, 1] });
      const shared = await admin.patch(`/api/v1/observations/${o3}`, { status: "shared" });
      expect(shared.status, shared.text).toBe(200);
      live.set("O3", { ...seed3, status: "shared" });
      const deleted = await admin.delete(`/api/v1/observations/${o2}`);
      expect(deleted.status, deleted.text).toBe(204);
      live.delete("O2");
      for (const [scope, keep] of [
        [`scope=district`, () => true],
        [`scope=school&schoolId=${east.id}`, (s: Seed) => s.school === "east"],
        [`scope=school&schoolId=${west.id}`, (s: Seed) => s.school === "west"],
      ] as const) {
        const res = await admin.get<THeatMapReport>(`/api/v1/observations/rollups/heatmap?${scope}&${YEAR}`);
        const want = expected(keep);
        expect(res.body.metrics.observations, scope).toBe(want.observations);
        expect(res.body.metrics.heatMap, scope).toEqual(want.heatMap);
        expect(res.body.metrics.extensity, scope).toEqual(want.extensity);
      }
      const own = await teacherA1.get<THeatMapReport>(`/api/v1/observations/rollups/heatmap?scope=teacher&teacherId=${teachers.a1}&${YEAR}`);
      expect(own.body.metrics.observations).toBe(2); // O1 and, now shared, O3
    });
  });
}
