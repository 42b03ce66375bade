import type { TAssetDetail, TDeviceModel, TResource, TRollout, TBooking } from "../../../shared/schemas/devices.js";
import { unique } from "../../../tests/helpers/factories.js";
import {
  everyone,
  hidden,
  must,
  na,
  sees,
  signedIn,
  worldRecords,
  type ActorKey,
  type ActorExpectation,
  type Cell,
  type CellRequest,
  type MatrixWorld,
  type ModuleMatrix,
} from "../../../tests/helpers/matrix.js";

// Devices: IT staff manage the inventory of their schools (district admins everywhere), school leaders
// read it; a station is run by IT staff, coaches and student techs of a rollout's schools, the board is
// for IT, coaches and leaders; a school's staff book its resources. Targets: `own` a record at school A
// (the actors' school), `other` one at school B. What the caller may not read answers 404.

type Records = { model: TDeviceModel; assetA: TAssetDetail; assetB: TAssetDetail; rolloutA: TRollout; rolloutB: TRollout; resourceA: TResource; resourceB: TResource };
const records = worldRecords<Records>();
type Where = "own" | "other";
const schoolOf = (world: MatrixWorld, where: Where) => (where === "own" ? world.schoolA.id : world.schoolB.id);

let slot = 0;
/** A one-hour slot no other cell books. */
function nextSlot(): { startsAt: string; endsAt: string } {
  slot++;
  const start = Date.UTC(2031, 0, 1) + slot * 3_600_000 + Math.floor(Math.random() * 1000) * 1000 * 3_600_000;
  return { startsAt: new Date(start).toISOString(), endsAt: new Date(start + 3_600_000).toISOString() };
}

const newAsset = (world: MatrixWorld, where: Where) =>
  must<TAssetDetail>(world, world.root, "POST", "/api/v1/devices/assets", 201, { tag: unique("MX-"), serial: unique("SN"), modelId: records.of(world).model.id, schoolId: schoolOf(world, where) });
const newAssigned = async (world: MatrixWorld, where: Where) => {
  const asset = await newAsset(world, where);
  const holder = where === "own" ? world.studentA2.id : world.teacherB.id;
  return must<TAssetDetail>(world, world.root, "POST", `/api/v1/devices/assets/${asset.id}/assign`, 200, { personId: holder });
};
const newStudent = (world: MatrixWorld, where: Where) => world.makePerson([{ role: "student", school: where === "own" ? "A" : "B" }], { withPassword: false, gradeLevel: "07" });

/** Per school: admins everywhere, the school's IT staff and (reading) leaders at A, everyone else refused. */
function inventory(o: { manage: number; read?: number; refused: number; leader?: number }): Record<ActorKey, ActorExpectation> {
  const read = o.read ?? o.manage;
  return {
    ...signedIn({ own: o.refused, other: o.refused }),
    district_admin: { own: o.manage, other: o.manage },
    it_staff: { own: o.manage, other: 404 },
    school_leader: { own: o.leader ?? read, other: 404 },
  };
}
const inventoryAny = (ok: number) => ({ ...signedIn(403), district_admin: ok, it_staff: ok, school_leader: ok });
const manageBySchool = (ok: number) => ({ ...signedIn(403), district_admin: { own: ok, other: ok }, it_staff: { own: ok, other: 403 } });
const byAsset = (path: (a: TAssetDetail) => string, make: (world: MatrixWorld, where: Where) => Promise<TAssetDetail>, body?: unknown) => ({
  own: async ({ world }: Cell): Promise<CellRequest> => ({ path: path(await make(world, "own")), body }),
  other: async ({ world }: Cell): Promise<CellRequest> => ({ path: path(await make(world, "other")), body }),
});
const fixedAsset = (path: (a: TAssetDetail) => string, body?: unknown) => ({
  own: ({ world }: Cell): CellRequest => ({ path: path(records.of(world).assetA), body }),
  other: ({ world }: Cell): CellRequest => ({ path: path(records.of(world).assetB), body }),
});
const rollout = (path: (r: TRollout) => string) => ({
  own: ({ world }: Cell): CellRequest => ({ path: path(records.of(world).rolloutA) }),
  other: ({ world }: Cell): CellRequest => ({ path: path(records.of(world).rolloutB) }),
});
const has = (text: string) => (res: { text: string }) => res.text.includes(text);

/** Who sees a rollout: its station runners (IT, coaches, student techs) and board readers (IT, coaches, leaders). */
const seesRollout = (ok: number, leader: number = ok, tech: number = ok): Record<ActorKey, ActorExpectation> => ({
  ...signedIn({ own: 404, other: 404 }),
  district_admin: { own: ok, other: ok },
  district_coach: { own: ok, other: ok },
  school_coach: { own: ok, other: 404 },
  it_staff: { own: ok, other: 404 },
  school_leader: { own: leader, other: 404 },
  student_tech: { own: tech, other: 404 },
});
/** Who books a school's resources: its teachers, coaches, leaders and IT staff. */
const bookers = (ok: number): Record<ActorKey, ActorExpectation> => ({
  ...signedIn({ own: 404, other: 404 }),
  district_admin: { own: ok, other: ok },
  district_coach: { own: ok, other: ok },
  school_coach: { own: ok, other: 404 },
  school_leader: { own: ok, other: 404 },
  it_staff: { own: ok, other: 404 },
  teacher: { own: ok, other: 404 },
});

export const devicesMatrix: ModuleMatrix = {
  module: "devices",
  async seed(world) {
    const model = await must<TDeviceModel>(world, world.root, "POST", "/api/v1/devices/models", 201, { name: unique("Matrix book "), maker: "Acme", kind: "laptop" });
    const partial = { model } as Records;
    records.set(world, partial);
    const [assetA, assetB] = await Promise.all([newAsset(world, "own"), newAsset(world, "other")]);
    const plan = (schoolId: string) => ({ name: unique("Pickup "), schoolIds: [schoolId], grades: ["07"], modelIds: [model.id], stations: ["Gym"], startsOn: "2026-08-01", endsOn: "2027-06-30" });
    const [rolloutA, rolloutB] = await Promise.all([
      must<TRollout>(world, world.root, "POST", "/api/v1/devices/rollouts", 201, plan(world.schoolA.id)),
      must<TRollout>(world, world.root, "POST", "/api/v1/devices/rollouts", 201, plan(world.schoolB.id)),
    ]);
    const [resourceA, resourceB] = await Promise.all([
      must<TResource>(world, world.root, "POST", "/api/v1/devices/resources", 201, { schoolId: world.schoolA.id, name: unique("Cart "), kind: "cart" }),
      must<TResource>(world, world.root, "POST", "/api/v1/devices/resources", 201, { schoolId: world.schoolB.id, name: unique("Lab "), kind: "lab" }),
    ]);
    records.set(world, { model, assetA, assetB, rolloutA, rolloutB, resourceA, resourceB });
  },
  routes: [
    // ---- Inventory ----
    { route: "GET /api/v1/devices/models", targets: { any: () => ({ path: "/api/v1/devices/models" }) }, expect: inventoryAny(200) },
    {
      route: "POST /api/v1/devices/models",
      targets: { any: () => ({ path: "/api/v1/devices/models", body: { name: unique("Model "), kind: "tablet" } }) },
      expect: { ...signedIn(403), district_admin: 201, it_staff: 201 },
    },
    {
      route: "GET /api/v1/devices/assets",
      targets: {
        own: ({ world }) => ({ path: "/api/v1/devices/assets?limit=200", isList: true, probe: has(records.of(world).assetA.id) }),
        other: ({ world }) => ({ path: "/api/v1/devices/assets?limit=200", isList: true, probe: has(records.of(world).assetB.id) }),
      },
      expect: { ...signedIn(403), district_admin: sees(200), it_staff: { own: sees(200), other: hidden(200) }, school_leader: { own: sees(200), other: hidden(200) } },
    },
    {
      route: "GET /api/v1/devices/assets.csv",
      targets: {
        own: ({ world }) => ({ path: `/api/v1/devices/assets.csv?q=${records.of(world).assetA.tag}`, probe: has(records.of(world).assetA.tag) }),
        other: ({ world }) => ({ path: `/api/v1/devices/assets.csv?q=${records.of(world).assetB.tag}`, probe: has(records.of(world).assetB.tag) }),
      },
      expect: { ...signedIn(403), district_admin: sees(200), it_staff: { own: sees(200), other: hidden(200) }, school_leader: { own: sees(200), other: hidden(200) } },
    },
    {
      route: "POST /api/v1/devices/assets",
      targets: {
        own: ({ world }) => ({ path: "/api/v1/devices/assets", body: { tag: unique("MX-"), serial: unique("SN"), modelId: records.of(world).model.id, schoolId: world.schoolA.id } }),
        other: ({ world }) => ({ path: "/api/v1/devices/assets", body: { tag: unique("MX-"), serial: unique("SN"), modelId: records.of(world).model.id, schoolId: world.schoolB.id } }),
      },
      expect: manageBySchool(201),
    },
    { route: "GET /api/v1/devices/assets/:id", targets: fixedAsset((a) => `/api/v1/devices/assets/${a.id}`), expect: inventory({ manage: 200, refused: 404 }) },
    { route: "PATCH /api/v1/devices/assets/:id", targets: fixedAsset((a) => `/api/v1/devices/assets/${a.id}`, { room: "Matrix" }), expect: inventory({ manage: 200, refused: 404, leader: 403 }) },
    {
      route: "POST /api/v1/devices/assets/bulk",
      targets: {
        own: ({ world }) => ({ path: "/api/v1/devices/assets/bulk", body: { ids: [records.of(world).assetA.id], changes: { fundingSource: "Matrix" } } }),
        other: ({ world }) => ({ path: "/api/v1/devices/assets/bulk", body: { ids: [records.of(world).assetB.id], changes: { fundingSource: "Matrix" } } }),
      },
      expect: manageBySchool(200),
    },
    {
      route: "GET /api/v1/devices/labels",
      targets: {
        own: ({ world }) => ({ path: `/api/v1/devices/labels?ids=${records.of(world).assetA.id}`, probe: has(records.of(world).assetA.tag) }),
        other: ({ world }) => ({ path: `/api/v1/devices/labels?ids=${records.of(world).assetB.id}`, probe: has(records.of(world).assetB.tag) }),
      },
      expect: { ...signedIn(403), district_admin: sees(200), it_staff: { own: sees(200), other: hidden(200) }, school_leader: { own: sees(200), other: hidden(200) } },
    },
    {
      route: "POST /api/v1/devices/assets/import",
      targets: {
        own: ({ world }) => ({ path: `/api/v1/devices/assets/import?schoolId=${world.schoolA.id}`, raw: { body: `serial,asset tag,model\n${unique("SN")},${unique("MX-")},${records.of(world).model.name}\n`, contentType: "text/csv" } }),
        other: ({ world }) => ({ path: `/api/v1/devices/assets/import?schoolId=${world.schoolB.id}`, raw: { body: `serial,asset tag,model\n${unique("SN")},${unique("MX-")},${records.of(world).model.name}\n`, contentType: "text/csv" } }),
      },
      expect: manageBySchool(200),
    },

    // ---- Assignment and lifecycle ----
    {
      route: "POST /api/v1/devices/assets/:id/assign",
      targets: {
        own: async ({ world }) => ({ path: `/api/v1/devices/assets/${(await newAsset(world, "own")).id}/assign`, body: { personId: world.studentA2.id } }),
        other: async ({ world }) => ({ path: `/api/v1/devices/assets/${(await newAsset(world, "other")).id}/assign`, body: { personId: world.teacherB.id } }),
      },
      expect: inventory({ manage: 200, refused: 404, leader: 403 }),
    },
    { route: "POST /api/v1/devices/assets/:id/return", targets: byAsset((a) => `/api/v1/devices/assets/${a.id}/return`, newAssigned, { condition: "A" }), expect: inventory({ manage: 200, refused: 404, leader: 403 }) },
    {
      route: "POST /api/v1/devices/checkin",
      targets: {
        own: async ({ world }) => ({ path: "/api/v1/devices/checkin", body: { tag: (await newAssigned(world, "own")).tag, condition: "B" } }),
        other: async ({ world }) => ({ path: "/api/v1/devices/checkin", body: { tag: (await newAssigned(world, "other")).tag, condition: "B" } }),
      },
      expect: { ...signedIn(403), district_admin: { own: 200, other: 200 }, it_staff: { own: 200, other: 404 }, school_leader: { own: 403, other: 404 } },
    },
    {
      route: "POST /api/v1/devices/assign-rule",
      targets: {
        own: ({ world }) => ({ path: "/api/v1/devices/assign-rule", body: { schoolId: world.schoolA.id, grade: "07", modelId: records.of(world).model.id } }),
        other: ({ world }) => ({ path: "/api/v1/devices/assign-rule", body: { schoolId: world.schoolB.id, grade: "07", modelId: records.of(world).model.id } }),
      },
      expect: manageBySchool(200),
    },
    { route: "GET /api/v1/devices/to-collect", targets: { any: () => ({ path: "/api/v1/devices/to-collect" }) }, expect: inventoryAny(200) },
    ...(["GET /api/v1/devices/loans/overdue", "GET /api/v1/devices/loans/overdue.csv"] as const).map((route) => ({
      route,
      targets: {
        own: ({ world }: Cell): CellRequest => ({ path: `${route.slice(4)}?schoolId=${world.schoolA.id}` }),
        other: ({ world }: Cell): CellRequest => ({ path: `${route.slice(4)}?schoolId=${world.schoolB.id}` }),
      },
      // Another school's list is a bad filter (400, naming query.schoolId), for IT staff and leaders alike.
      expect: { ...signedIn(403), district_admin: { own: 200, other: 200 }, it_staff: { own: 200, other: 400 }, school_leader: { own: 200, other: 400 } },
    })),
    {
      route: "GET /api/v1/devices/people/:id",
      targets: {
        self: ({ me }) => ({ path: `/api/v1/devices/people/${me.personId ?? "none"}` }),
        own: ({ world }) => ({ path: `/api/v1/devices/people/${world.studentA2.id}` }),
        other: ({ world }) => ({ path: `/api/v1/devices/people/${world.teacherB.id}` }),
      },
      expect: {
        ...signedIn({ self: 200, own: 404, other: 404 }),
        district_admin: { self: 200, own: 200, other: 200 },
        district_coach: { self: 200, own: 200, other: 200 },
        school_coach: { self: 200, own: 200, other: 404 },
        school_leader: { self: 200, own: 200, other: 404 },
        it_staff: { self: 200, own: 200, other: 404 },
        anonymous: { self: na("has no devices"), own: 401, other: 401 },
      },
    },
    { route: "POST /api/v1/devices/assets/:id/repairs", targets: byAsset((a) => `/api/v1/devices/assets/${a.id}/repairs`, newAsset, { vendor: "FixIt", ticketId: "ticket-7" }), expect: inventory({ manage: 201, refused: 404, leader: 403 }) },
    {
      route: "PATCH /api/v1/devices/repairs/:id",
      targets: byAsset(
        (a) => `/api/v1/devices/repairs/${a.repairs[0]?.id ?? "none"}`,
        async (world, where) => must<TAssetDetail>(world, world.root, "POST", `/api/v1/devices/assets/${(await newAsset(world, where)).id}/repairs`, 201, { vendor: "FixIt", openedOn: "2026-10-01" }),
        { closedOn: "2026-10-08" },
      ),
      expect: inventory({ manage: 200, refused: 404, leader: 403 }),
    },

    // ---- Rollouts and stations ----
    {
      route: "GET /api/v1/devices/rollouts",
      targets: {
        own: ({ world }) => ({ path: "/api/v1/devices/rollouts", probe: has(records.of(world).rolloutA.id) }),
        other: ({ world }) => ({ path: "/api/v1/devices/rollouts", probe: has(records.of(world).rolloutB.id) }),
      },
      expect: {
        ...signedIn({ own: hidden(200), other: hidden(200) }),
        district_admin: sees(200),
        district_coach: sees(200),
        school_coach: { own: sees(200), other: hidden(200) },
        school_leader: { own: sees(200), other: hidden(200) },
        it_staff: { own: sees(200), other: hidden(200) },
        student_tech: { own: sees(200), other: hidden(200) },
      },
    },
    {
      route: "POST /api/v1/devices/rollouts",
      targets: {
        own: ({ world }) => ({ path: "/api/v1/devices/rollouts", body: { name: unique("R "), schoolIds: [world.schoolA.id], grades: ["07"], modelIds: [records.of(world).model.id], stations: ["Gym"], startsOn: "2026-08-01", endsOn: "2026-09-01" } }),
        other: ({ world }) => ({ path: "/api/v1/devices/rollouts", body: { name: unique("R "), schoolIds: [world.schoolB.id], grades: ["07"], modelIds: [records.of(world).model.id], stations: ["Gym"], startsOn: "2026-08-01", endsOn: "2026-09-01" } }),
      },
      expect: manageBySchool(201),
    },
    { route: "GET /api/v1/devices/rollouts/:id", targets: rollout((r) => `/api/v1/devices/rollouts/${r.id}`), expect: seesRollout(200) },
    { route: "GET /api/v1/devices/rollouts/:id/lookup", targets: rollout((r) => `/api/v1/devices/rollouts/${r.id}/lookup?q=Given`), expect: seesRollout(200, 403) },
    {
      route: "POST /api/v1/devices/rollouts/:id/pickups",
      targets: {
        own: async ({ world }) => ({
          path: `/api/v1/devices/rollouts/${records.of(world).rolloutA.id}/pickups`,
          body: { studentId: (await newStudent(world, "own")).id, tag: (await newAsset(world, "own")).tag, station: "Gym", steps: ["account"] },
        }),
        other: async ({ world }) => ({
          path: `/api/v1/devices/rollouts/${records.of(world).rolloutB.id}/pickups`,
          body: { studentId: (await newStudent(world, "other")).id, tag: (await newAsset(world, "other")).tag, station: "Gym", steps: ["account"] },
        }),
      },
      expect: seesRollout(201, 403),
    },
    { route: "GET /api/v1/devices/rollouts/:id/board", targets: rollout((r) => `/api/v1/devices/rollouts/${r.id}/board`), expect: seesRollout(200, 200, 403) },

    // ---- Bookings ----
    {
      route: "GET /api/v1/devices/resources",
      targets: {
        own: ({ world }) => ({ path: "/api/v1/devices/resources", probe: has(records.of(world).resourceA.id) }),
        other: ({ world }) => ({ path: "/api/v1/devices/resources", probe: has(records.of(world).resourceB.id) }),
      },
      expect: {
        ...signedIn({ own: hidden(200), other: hidden(200) }),
        district_admin: sees(200),
        district_coach: sees(200),
        school_coach: { own: sees(200), other: hidden(200) },
        school_leader: { own: sees(200), other: hidden(200) },
        it_staff: { own: sees(200), other: hidden(200) },
        teacher: { own: sees(200), other: hidden(200) },
      },
    },
    {
      route: "POST /api/v1/devices/resources",
      targets: {
        own: ({ world }) => ({ path: "/api/v1/devices/resources", body: { schoolId: world.schoolA.id, name: unique("Cart "), kind: "cart" } }),
        other: ({ world }) => ({ path: "/api/v1/devices/resources", body: { schoolId: world.schoolB.id, name: unique("Cart "), kind: "cart" } }),
      },
      expect: manageBySchool(201),
    },
    {
      route: "GET /api/v1/devices/resources/:id/bookings",
      targets: {
        own: ({ world }) => ({ path: `/api/v1/devices/resources/${records.of(world).resourceA.id}/bookings?from=2031-01-01T00:00:00Z&to=2031-02-01T00:00:00Z` }),
        other: ({ world }) => ({ path: `/api/v1/devices/resources/${records.of(world).resourceB.id}/bookings?from=2031-01-01T00:00:00Z&to=2031-02-01T00:00:00Z` }),
      },
      expect: bookers(200),
    },
    {
      route: "POST /api/v1/devices/resources/:id/bookings",
      targets: {
        own: ({ world }) => ({ path: `/api/v1/devices/resources/${records.of(world).resourceA.id}/bookings`, body: { title: "Matrix", ...nextSlot() } }),
        other: ({ world }) => ({ path: `/api/v1/devices/resources/${records.of(world).resourceB.id}/bookings`, body: { title: "Matrix", ...nextSlot() } }),
      },
      expect: bookers(201),
    },
    {
      route: "DELETE /api/v1/devices/bookings/:id",
      targets: {
        own: async ({ world }) => ({ path: `/api/v1/devices/bookings/${(await must<TBooking>(world, world.root, "POST", `/api/v1/devices/resources/${records.of(world).resourceA.id}/bookings`, 201, { title: "Root's", ...nextSlot() })).id}` }),
        other: async ({ world }) => ({ path: `/api/v1/devices/bookings/${(await must<TBooking>(world, world.root, "POST", `/api/v1/devices/resources/${records.of(world).resourceB.id}/bookings`, 201, { title: "Root's", ...nextSlot() })).id}` }),
      },
      expect: {
        ...bookers(403),
        district_admin: { own: 204, other: 204 },
        it_staff: { own: 204, other: 404 },
      },
    },
    {
      route: "GET /api/v1/devices/resources/:id/feed.ics",
      targets: {
        any: ({ world }) => {
          const url = records.of(world).resourceA.feedUrl ?? "";
          return { path: url.slice(url.indexOf("/api/")) };
        },
      },
      expect: everyone(200),
    },
  ],
};
