import type { TComposite } from "../../../shared/schemas/observation-reports.js";
import { unique } from "../../../tests/helpers/factories.js";
import { adminOnly, hidden, must, sees, signedIn, type Cell, type CellRequest, type MatrixResponse, type MatrixWorld, type ModuleMatrix, type RouteKey } from "../../../tests/helpers/matrix.js";

// Observation roll-ups and composites. Targets: `self` a roll-up of the actor as a teacher, `own` of
// school A or of teacherA2 (at A), `other` of school B or of teacherB (at B). One shared observation
// each for the actor-teacher, teacherA2 and teacherB (dated today, so every default range holds it);
// the probe asks whether the answer counted any observation.

const today = () => new Date().toISOString().slice(0, 10);

async function observe(world: MatrixWorld, school: "A" | "B", teacherId: string): Promise<void> {
  await must(world, world.root, "POST", "/api/v1/observations", 201, {
    schoolId: school === "A" ? world.schoolA.id : world.schoolB.id,
    teacherId,
    subject: "Science",
    date: today(),
    status: "shared",
    levels: { active: "adaptation", collaborative: "entry" },
  });
}

/** Whether a roll-up counted an observation (JSON reports), or a CSV carries a count above zero. */
const counted = (res: MatrixResponse): boolean => {
  if (!res.text.trimStart().startsWith("{") && !res.text.startsWith("\uFEFF{")) return /(^|\n)"Active",[^\n]*[1-9]/.test(res.text.replace(/^\uFEFF/, ""));
  const body = JSON.parse(res.text) as { metrics?: { observations: number }; periods?: { observations: number }[]; sides?: { metrics: { observations: number } }[] };
  if (body.metrics) return body.metrics.observations > 0;
  if (body.periods) return body.periods.some((p) => p.observations > 0);
  return (body.sides ?? []).some((s) => s.metrics.observations > 0);
};

function targets(path: string, extra = "") {
  const q = (s: string) => ({ path: `${path}?${s}${extra}`, probe: counted });
  return {
    teacher: {
      self: ({ me }: Cell): CellRequest => q(`scope=teacher&teacherId=${me.personId ?? "none"}`),
      own: ({ world }: Cell): CellRequest => q(`scope=teacher&teacherId=${world.teacherA2.id}`),
      other: ({ world }: Cell): CellRequest => q(`scope=teacher&teacherId=${world.teacherB.id}`),
    },
    school: {
      own: ({ world }: Cell): CellRequest => q(`scope=school&schoolId=${world.schoolA.id}`),
      other: ({ world }: Cell): CellRequest => q(`scope=school&schoolId=${world.schoolB.id}`),
    },
    district: { any: (): CellRequest => q("scope=district") },
  };
}

const teacherScope = {
  ...signedIn(403),
  district_admin: { self: hidden(200), own: sees(200), other: sees(200) },
  district_coach: { self: hidden(200), own: sees(200), other: sees(200) },
  // Coaches and leaders of school A see a teacher's observations at A only.
  school_coach: { self: hidden(200), own: sees(200), other: hidden(200) },
  school_leader: { self: hidden(200), own: sees(200), other: hidden(200) },
  teacher: { self: sees(200), own: 403, other: 403 },
};
const schoolScope = {
  ...signedIn(403),
  district_admin: sees(200),
  district_coach: sees(200),
  school_coach: { own: sees(200), other: 403 },
  school_leader: { own: sees(200), other: 403 },
};
// Coaches and leaders get the district report over their own schools.
const districtScope = { ...signedIn(403), district_admin: sees(200), district_coach: sees(200), school_coach: sees(200), school_leader: sees(200) };

function scoped(route: RouteKey, path: string, extra = "") {
  const t = targets(path, extra);
  return [
    { route, variant: "scope=teacher", targets: t.teacher, expect: teacherScope },
    { route, variant: "scope=school", targets: t.school, expect: schoolScope },
    { route, variant: "scope=district", targets: t.district, expect: districtScope },
  ];
}

const freshComposite = async (world: MatrixWorld) =>
  must<TComposite>(world, world.root, "POST", "/api/v1/observations/composites", 201, { name: unique("Composite "), terms: [{ metric: "observations.extensity", weight: 1 }] });

export const observationReportsMatrix: ModuleMatrix = {
  module: "observations (roll-ups and composites)",
  async seed(world) {
    await Promise.all([observe(world, "A", world.people.teacher.id), observe(world, "A", world.teacherA2.id), observe(world, "B", world.teacherB.id)]);
  },
  routes: [
    ...scoped("GET /api/v1/observations/rollups", "/api/v1/observations/rollups"),
    ...scoped("GET /api/v1/observations/rollups/heatmap", "/api/v1/observations/rollups/heatmap"),
    ...scoped("GET /api/v1/observations/rollups/growth", "/api/v1/observations/rollups/growth", "&bucket=year"),
    ...scoped("GET /api/v1/observations/rollups/export.csv", "/api/v1/observations/rollups/export.csv", "&table=heatmap"),
    {
      route: "GET /api/v1/observations/rollups/compare",
      targets: {
        own: ({ world }) => ({ path: `/api/v1/observations/rollups/compare?by=schools&schoolId=${world.schoolA.id}&otherSchoolId=${world.schoolA.id}`, probe: counted }),
        other: ({ world }) => ({ path: `/api/v1/observations/rollups/compare?by=schools&schoolId=${world.schoolA.id}&otherSchoolId=${world.schoolB.id}`, probe: counted }),
      },
      expect: schoolScope,
    },
    {
      route: "GET /api/v1/observations/composites",
      targets: { any: () => ({ path: "/api/v1/observations/composites" }) },
      expect: { ...signedIn(403), district_admin: 200, district_coach: 200, school_coach: 200, school_leader: 200, teacher: 200 },
    },
    {
      route: "POST /api/v1/observations/composites",
      targets: { any: () => ({ path: "/api/v1/observations/composites", body: { name: unique("Composite "), terms: [{ metric: "observations.share_adaptation_or_above", weight: 1 }] } }) },
      expect: adminOnly(201),
    },
    {
      route: "PATCH /api/v1/observations/composites/:id",
      targets: { any: async ({ world }) => ({ path: `/api/v1/observations/composites/${(await freshComposite(world)).id}`, body: { name: unique("Renamed ") } }) },
      expect: adminOnly(200),
    },
    {
      route: "DELETE /api/v1/observations/composites/:id",
      targets: { any: async ({ world }) => ({ path: `/api/v1/observations/composites/${(await freshComposite(world)).id}` }) },
      expect: adminOnly(204),
    },
  ],
};
