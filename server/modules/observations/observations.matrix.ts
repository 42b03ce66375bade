import type { TObservation, TRubric } from "../../../shared/schemas/observations.js";
import { unique } from "../../../tests/helpers/factories.js";
import {
  adminOnly,
  hidden,
  must,
  na,
  sees,
  signedIn,
  worldRecords,
  type ActorKey,
  type Expectation,
  type Cell,
  type CellRequest,
  type MatrixWorld,
  type ModuleMatrix,
  type Principal,
} from "../../../tests/helpers/matrix.js";
import { today } from "./calendar.js";

// Observations: coaches observe at their schools (admins and district-wide coaches anywhere); a draft is
// its observer's alone; once submitted, admins and the school's coaches and leaders read it; the teacher
// once it is shared. Targets: `self` an observation the actor made (a teacher: one shared with them),
// `own` a shared observation at school A by another coach, `other` a shared one at school B, `private`
// another coach's draft at school A. What the caller may not read answers 404 (its existence stays hidden).

type Records = {
  tim: TRubric;
  coachA2: Principal;
  coachB: Principal;
  sharedA: TObservation;
  sharedB: TObservation;
  draftA: TObservation;
  self: Partial<Record<ActorKey, TObservation>>;
};
const records = worldRecords<Records>();

/** Actors who observe. */
const OBSERVERS: readonly ActorKey[] = ["district_admin", "district_coach", "school_coach"];

async function newObservation(world: MatrixWorld, who: Principal, school: "A" | "B", teacherId: string, status: "draft" | "submitted" | "shared"): Promise<TObservation> {
  return must<TObservation>(world, who, "POST", "/api/v1/observations", 201, {
    schoolId: school === "A" ? world.schoolA.id : world.schoolB.id,
    teacherId,
    subject: "Matrix",
    date: today(),
    levels: { active: "adoption" },
    status,
  });
}

/** A fresh observation the cell's actor made (or, for the teacher, one shared with them). */
function newSelf(world: MatrixWorld, actor: ActorKey, coachA2 = records.of(world).coachA2): Promise<TObservation> {
  if (actor === "teacher") return newObservation(world, coachA2, "A", world.people.teacher.id, "shared");
  return newObservation(world, world.principal(actor, "session"), "A", world.teacherA2.id, "shared");
}
const selfOf = (c: Cell): TObservation => {
  const o = records.of(c.world).self[c.actor];
  if (!o) throw new Error(`${c.actor} has no observation`);
  return o;
};
const freshShared = (where: "own" | "other") => (world: MatrixWorld) =>
  where === "own"
    ? newObservation(world, records.of(world).coachA2, "A", world.teacherA2.id, "shared")
    : newObservation(world, records.of(world).coachB, "B", world.teacherB.id, "shared");

const has = (text: string) => (res: { text: string }) => res.text.includes(text);
const NONE = na("observes no one and is observed by no one");

/** Per record: the answer when the actor may read it, and when they may not (404). */
const read = (ok: Expectation) =>
  ({
    ...signedIn({ self: NONE, own: 404, other: 404, private: 404 }),
    district_admin: { self: ok, own: ok, other: ok, private: 404 },
    district_coach: { self: ok, own: ok, other: ok, private: 404 },
    school_coach: { self: ok, own: ok, other: 404, private: 404 },
    school_leader: { self: NONE, own: ok, other: 404, private: 404 },
    teacher: { self: ok, own: 404, other: 404, private: 404 },
    anonymous: { self: NONE, own: 401, other: 401, private: 401 },
  }) satisfies Record<ActorKey, unknown>;

/** What a reader who is neither the observer nor the teacher gets for an action that is theirs: 403. */
const act = (self: { observer: Expectation; teacher: Expectation }, admin: Expectation = 403) => ({
  ...read(403),
  district_admin: { self: self.observer, own: admin, other: admin, private: 404 },
  district_coach: { self: self.observer, own: 403, other: 403, private: 404 },
  school_coach: { self: self.observer, own: 403, other: 404, private: 404 },
  teacher: { self: self.teacher, own: 404, other: 404, private: 404 },
});

const byId = (path: (o: TObservation) => string, body?: unknown) => ({
  self: (c: Cell): CellRequest => ({ path: path(selfOf(c)), body }),
  own: ({ world }: Cell): CellRequest => ({ path: path(records.of(world).sharedA), body }),
  other: ({ world }: Cell): CellRequest => ({ path: path(records.of(world).sharedB), body }),
  private: ({ world }: Cell): CellRequest => ({ path: path(records.of(world).draftA), body }),
});
const readRubrics = { ...signedIn(200), student_tech: 403, student: 403 };

export const observationsMatrix: ModuleMatrix = {
  module: "observations",
  async seed(world) {
    const coachA2 = await world.signIn(world.coachA2, "school_coach");
    const coachB = await world.signIn(world.coachB, "school_coach");
    const { items } = await must<{ items: TRubric[] }>(world, coachA2, "GET", "/api/v1/observations/rubrics", 200);
    const tim = items.find((r) => r.key === "tim");
    if (!tim) throw new Error("no TIM rubric");
    const [sharedA, sharedB, draftA] = await Promise.all([
      newObservation(world, coachA2, "A", world.teacherA2.id, "shared"),
      newObservation(world, coachB, "B", world.teacherB.id, "shared"),
      newObservation(world, coachA2, "A", world.teacherA2.id, "draft"),
    ]);
    const self: Records["self"] = {};
    for (const actor of [...OBSERVERS, "teacher"] as const) self[actor] = await newSelf(world, actor, coachA2);
    records.set(world, { tim, coachA2, coachB, sharedA, sharedB, draftA, self });
  },
  routes: [
    // ---- Rubrics and the app list ----
    { route: "GET /api/v1/observations/rubrics", targets: { any: () => ({ path: "/api/v1/observations/rubrics" }) }, expect: readRubrics },
    {
      route: "POST /api/v1/observations/rubrics",
      targets: {
        any: () => ({
          path: "/api/v1/observations/rubrics",
          body: { name: unique("Rubric "), definition: { dimensions: [{ key: "use", name: "Use" }], levels: [{ key: "low", name: "Low" }, { key: "high", name: "High" }], descriptors: { use: ["a", "b"] } } },
        }),
      },
      expect: adminOnly(201),
    },
    { route: "GET /api/v1/observations/rubrics/:id", targets: { any: ({ world }) => ({ path: `/api/v1/observations/rubrics/${records.of(world).tim.id}` }) }, expect: readRubrics },
    {
      route: "PATCH /api/v1/observations/rubrics/:id",
      targets: { any: ({ world }) => ({ path: `/api/v1/observations/rubrics/${records.of(world).tim.id}`, body: { description: unique("Described ") } }) },
      expect: adminOnly(200),
    },
    {
      route: "GET /api/v1/observations/rubric-versions/:id",
      targets: { any: ({ world }) => ({ path: `/api/v1/observations/rubric-versions/${records.of(world).tim.currentVersion.id}` }) },
      expect: readRubrics,
    },
    { route: "GET /api/v1/observations/apps", targets: { any: () => ({ path: "/api/v1/observations/apps" }) }, expect: readRubrics },
    { route: "POST /api/v1/observations/apps", targets: { any: () => ({ path: "/api/v1/observations/apps", body: { name: unique("App ") } }) }, expect: adminOnly(201) },

    // ---- Observations ----
    {
      route: "GET /api/v1/observations",
      targets: {
        self: (c) => ({ path: "/api/v1/observations?limit=200", isList: true, probe: has(selfOf(c).id) }),
        own: ({ world }) => ({ path: "/api/v1/observations?limit=200", isList: true, probe: has(records.of(world).sharedA.id) }),
        other: ({ world }) => ({ path: "/api/v1/observations?limit=200", isList: true, probe: has(records.of(world).sharedB.id) }),
        private: ({ world }) => ({ path: "/api/v1/observations?limit=200", isList: true, probe: has(records.of(world).draftA.id) }),
      },
      expect: {
        ...signedIn({ self: NONE, own: hidden(200), other: hidden(200), private: hidden(200) }),
        district_admin: { self: sees(200), own: sees(200), other: sees(200), private: hidden(200) },
        district_coach: { self: sees(200), own: sees(200), other: sees(200), private: hidden(200) },
        school_coach: { self: sees(200), own: sees(200), other: hidden(200), private: hidden(200) },
        school_leader: { self: NONE, own: sees(200), other: hidden(200), private: hidden(200) },
        teacher: { self: sees(200), own: hidden(200), other: hidden(200), private: hidden(200) },
        anonymous: { self: NONE, own: 401, other: 401, private: 401 },
      },
    },
    {
      route: "POST /api/v1/observations",
      targets: {
        own: ({ world }) => ({ path: "/api/v1/observations", body: { schoolId: world.schoolA.id, teacherId: world.teacherA2.id, date: today() } }),
        other: ({ world }) => ({ path: "/api/v1/observations", body: { schoolId: world.schoolB.id, teacherId: world.teacherB.id, date: today() } }),
      },
      expect: { ...signedIn(403), district_admin: 201, district_coach: 201, school_coach: { own: 201, other: 403 } },
    },
    { route: "GET /api/v1/observations/:id", targets: byId((o) => `/api/v1/observations/${o.id}`), expect: read(200) },
    {
      route: "PATCH /api/v1/observations/:id",
      targets: {
        ...byId((o) => `/api/v1/observations/${o.id}`, { feedback: "edited" }),
        self: async ({ world, actor }) => ({ path: `/api/v1/observations/${(await newSelf(world, actor)).id}`, body: { feedback: "edited" } }),
      },
      expect: act({ observer: 200, teacher: 403 }),
    },
    {
      route: "DELETE /api/v1/observations/:id",
      targets: {
        ...byId((o) => `/api/v1/observations/${o.id}`),
        self: async ({ world, actor }) => ({ path: `/api/v1/observations/${(await newSelf(world, actor)).id}` }),
        own: async ({ world }) => ({ path: `/api/v1/observations/${(await freshShared("own")(world)).id}` }),
        other: async ({ world }) => ({ path: `/api/v1/observations/${(await freshShared("other")(world)).id}` }),
      },
      expect: act({ observer: 204, teacher: 403 }, 204),
    },
    { route: "POST /api/v1/observations/:id/acknowledge", targets: byId((o) => `/api/v1/observations/${o.id}/acknowledge`), expect: act({ observer: 403, teacher: 200 }) },
    { route: "POST /api/v1/observations/:id/comments", targets: byId((o) => `/api/v1/observations/${o.id}/comments`, { body: "Thanks" }), expect: act({ observer: 201, teacher: 201 }) },
  ],
};
