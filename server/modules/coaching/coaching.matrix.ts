import type { TCategory, TCycle, TEntry } from "../../../shared/schemas/coaching.js";
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
  type Cell,
  type CellRequest,
  type MatrixWorld,
  type ModuleMatrix,
  type RouteMatrix,
  type Principal,
} from "../../../tests/helpers/matrix.js";
import { today } from "./calendar.js";

// The coaching log is a coach's own (district admins, as head coaches, may read any coach's log);
// cycles belong to their coach and teachers, never to school leaders. Targets: `self` the actor's
// own entry or cycle, `own` another coach's record at school A, `other` a coach's record at school B.

type Records = {
  category: TCategory;
  coachA2: Principal;
  coachB: Principal;
  entryA2: TEntry;
  entryB: TEntry;
  cycleA: TCycle;
  cycleB: TCycle;
  /** The cycle each actor is part of: as its coach (admins and coaches) or as its teacher. */
  selfCycle: Partial<Record<ActorKey, TCycle>>;
};
const records = worldRecords<Records>();

/** Actors who keep a coaching log. */
const LOGGERS: readonly ActorKey[] = ["district_admin", "district_coach", "school_coach"];

async function newEntry(world: MatrixWorld, who: Principal, school: "A" | "B", teacherId: string, category = records.of(world).category): Promise<TEntry> {
  const schoolId = school === "A" ? world.schoolA.id : world.schoolB.id;
  return must<TEntry>(world, who, "POST", "/api/v1/coaching/entries", 201, { date: today(), minutes: 5, categoryId: category.id, schoolId, teacherIds: [teacherId], notes: "matrix" });
}

async function newCycle(world: MatrixWorld, coach: Principal, school: "A" | "B", teacherId: string): Promise<TCycle> {
  const schoolId = school === "A" ? world.schoolA.id : world.schoolB.id;
  return must<TCycle>(world, coach, "POST", "/api/v1/coaching/cycles", 201, {
    title: unique("Cycle "),
    startingPoint: "problem",
    startingText: "Students lose work between devices",
    schoolId,
    teacherIds: [teacherId],
  });
}

/** A fresh cycle the actor is part of: theirs to run, or (the teacher) one they are coached in. */
function newSelfCycle(world: MatrixWorld, actor: ActorKey, coachA2 = records.of(world).coachA2): Promise<TCycle> {
  if (actor === "teacher") return newCycle(world, coachA2, "A", world.people.teacher.id);
  return newCycle(world, world.principal(actor, "session"), "A", world.teacherA2.id);
}
const freshSelfCycle = ({ world, actor }: Cell) => newSelfCycle(world, actor);

const freshCycle = (where: "own" | "other") => (world: MatrixWorld) =>
  where === "own" ? newCycle(world, records.of(world).coachA2, "A", world.teacherA2.id) : newCycle(world, records.of(world).coachB, "B", world.teacherB.id);

const freshEntry = (where: "own" | "other") => (world: MatrixWorld) =>
  where === "own" ? newEntry(world, records.of(world).coachA2, "A", world.teacherA2.id) : newEntry(world, records.of(world).coachB, "B", world.teacherB.id);

const has = (text: string) => (res: { text: string }) => res.text.includes(text);

function dashboard(path: string) {
  return {
    me: {
      self: (): CellRequest => ({ path: `${path}?scope=me` }),
      own: ({ world }: Cell): CellRequest => ({ path: `${path}?scope=me&schoolId=${world.schoolA.id}` }),
      other: ({ world }: Cell): CellRequest => ({ path: `${path}?scope=me&schoolId=${world.schoolB.id}` }),
    },
    // The probe asks whether the dashboard names a teacher coached at that school.
    school: {
      own: ({ world }: Cell): CellRequest => ({ path: `${path}?scope=school&schoolId=${world.schoolA.id}&table=teachers`, probe: has(world.teacherA2.name) }),
      other: ({ world }: Cell): CellRequest => ({ path: `${path}?scope=school&schoolId=${world.schoolB.id}&table=teachers`, probe: has(world.teacherB.name) }),
    },
    district: { any: (): CellRequest => ({ path: `${path}?scope=district` }) },
  };
}


const dashboardMe = {
  ...signedIn(403),
  district_admin: 200,
  district_coach: 200,
  school_coach: { self: 200, own: 200, other: 403 },
};
const dashboardSchool = {
  ...signedIn(403),
  district_admin: sees(200),
  district_coach: sees(200),
  school_coach: { own: sees(200), other: 403 },
  // Totals without teacher names by default (issue 11 item 7; a district setting may allow names).
  school_leader: { own: hidden(200), other: 403 },
};
const dashboardDistrict = { ...signedIn(403), district_admin: 200, district_coach: 200 };

/** Reading a coach's log: your own (if you keep one); admins anyone's. */
const readLog = {
  ...signedIn(403),
  district_admin: { self: 200, own: sees(200), other: sees(200), any: sees(200) },
  district_coach: { self: 200, own: 403, other: 403, any: 403 },
  school_coach: { self: 200, own: 403, other: 403, any: 403 },
};

/** Writing an entry: only your own, admins included. */
const writeOwnEntry = (ok: number) => ({
  ...signedIn({ self: na("keeps no coaching log"), own: 403, other: 403 }),
  district_admin: { self: ok, own: 403, other: 403 },
  district_coach: { self: ok, own: 403, other: 403 },
  school_coach: { self: ok, own: 403, other: 403 },
  anonymous: { self: na("keeps no coaching log"), own: 401, other: 401 },
});

const selfCycleOf = (c: Cell): TCycle => {
  const cycle = records.of(c.world).selfCycle[c.actor];
  if (!cycle) throw new Error(`${c.actor} has no cycle`);
  return cycle;
};
const NO_CYCLE = na("is in no coaching cycle");

export const coachingMatrix: ModuleMatrix = {
  module: "coaching",
  async seed(world) {
    const coachA2 = await world.signIn(world.coachA2, "school_coach");
    const coachB = await world.signIn(world.coachB, "school_coach");
    const { items } = await must<{ items: TCategory[] }>(world, coachA2, "GET", "/api/v1/coaching/categories", 200);
    const category = items.find((c) => c.key === "co_planning");
    if (!category) throw new Error("no co_planning category");
    const [entryA2, entryB, cycleA, cycleB] = await Promise.all([
      newEntry(world, coachA2, "A", world.teacherA2.id, category),
      newEntry(world, coachB, "B", world.teacherB.id, category),
      newCycle(world, coachA2, "A", world.teacherA2.id),
      newCycle(world, coachB, "B", world.teacherB.id),
    ]);
    const selfCycle: Records["selfCycle"] = {};
    for (const actor of [...LOGGERS, "teacher"] as const) selfCycle[actor] = await newSelfCycle(world, actor, coachA2);
    records.set(world, { category, coachA2, coachB, entryA2, entryB, cycleA, cycleB, selfCycle });
  },
  routes: [
    // ---- Categories ----
    { route: "GET /api/v1/coaching/categories", targets: { any: () => ({ path: "/api/v1/coaching/categories" }) }, expect: signedIn(200) },
    {
      route: "POST /api/v1/coaching/categories",
      targets: { any: () => ({ path: "/api/v1/coaching/categories", body: { name: unique("Category "), kind: "coaching" } }) },
      expect: adminOnly(201),
    },
    {
      route: "PATCH /api/v1/coaching/categories/:id",
      targets: {
        any: async ({ world }) => {
          const c = await must<TCategory>(world, world.root, "POST", "/api/v1/coaching/categories", 201, { name: unique("Category "), kind: "support" });
          return { path: `/api/v1/coaching/categories/${c.id}`, body: { name: unique("Renamed ") } };
        },
      },
      expect: adminOnly(200),
    },

    // ---- Entries ----
    {
      route: "GET /api/v1/coaching/entries",
      targets: {
        self: () => ({ path: "/api/v1/coaching/entries" }),
        own: ({ world }) => ({ path: `/api/v1/coaching/entries?coachId=${world.coachA2.id}&limit=200`, isList: true, probe: has(records.of(world).entryA2.id) }),
        other: ({ world }) => ({ path: `/api/v1/coaching/entries?coachId=${world.coachB.id}&limit=200`, isList: true, probe: has(records.of(world).entryB.id) }),
        // Every coach's entries at once (the All entries page of a district admin).
        any: ({ world }) => ({ path: `/api/v1/coaching/entries?allCoaches=true&limit=200`, isList: true, probe: has(records.of(world).entryB.id) }),
      },
      expect: readLog,
    },
    {
      route: "GET /api/v1/coaching/entries.csv",
      targets: {
        self: () => ({ path: "/api/v1/coaching/entries.csv" }),
        own: ({ world }) => ({ path: `/api/v1/coaching/entries.csv?coachId=${world.coachA2.id}`, probe: has(records.of(world).entryA2.id) }),
        other: ({ world }) => ({ path: `/api/v1/coaching/entries.csv?coachId=${world.coachB.id}`, probe: has(records.of(world).entryB.id) }),
        any: ({ world }) => ({ path: "/api/v1/coaching/entries.csv?allCoaches=true", probe: has(records.of(world).entryB.id) }),
      },
      expect: readLog,
    },
    {
      route: "GET /api/v1/coaching/entries/recent",
      targets: { self: () => ({ path: "/api/v1/coaching/entries/recent" }) },
      expect: { ...signedIn(403), district_admin: 200, district_coach: 200, school_coach: 200 },
    },
    {
      route: "POST /api/v1/coaching/entries",
      targets: {
        own: ({ world }) => ({
          path: "/api/v1/coaching/entries",
          body: { date: today(), minutes: 5, categoryId: records.of(world).category.id, schoolId: world.schoolA.id, teacherIds: [world.teacherA2.id] },
        }),
        other: ({ world }) => ({
          path: "/api/v1/coaching/entries",
          body: { date: today(), minutes: 5, categoryId: records.of(world).category.id, schoolId: world.schoolB.id, teacherIds: [world.teacherB.id] },
        }),
      },
      expect: { ...signedIn(403), district_admin: 201, district_coach: 201, school_coach: { own: 201, other: 403 } },
    },
    {
      route: "PATCH /api/v1/coaching/entries/:id",
      targets: {
        self: async ({ world, actor }) => ({ path: `/api/v1/coaching/entries/${(await newEntry(world, world.principal(actor, "session"), "A", world.teacherA2.id)).id}`, body: { notes: "edited" } }),
        own: async ({ world }) => ({ path: `/api/v1/coaching/entries/${(await freshEntry("own")(world)).id}`, body: { notes: "edited" } }),
        other: async ({ world }) => ({ path: `/api/v1/coaching/entries/${(await freshEntry("other")(world)).id}`, body: { notes: "edited" } }),
      },
      expect: writeOwnEntry(200),
    },
    {
      route: "DELETE /api/v1/coaching/entries/:id",
      targets: {
        self: async ({ world, actor }) => ({ path: `/api/v1/coaching/entries/${(await newEntry(world, world.principal(actor, "session"), "A", world.teacherA2.id)).id}` }),
        own: async ({ world }) => ({ path: `/api/v1/coaching/entries/${(await freshEntry("own")(world)).id}` }),
        other: async ({ world }) => ({ path: `/api/v1/coaching/entries/${(await freshEntry("other")(world)).id}` }),
      },
      expect: writeOwnEntry(204),
    },
    {
      route: "POST /api/v1/coaching/entries/import",
      targets: {
        // A dry run; the probe asks whether the row naming the teacher was accepted.
        own: ({ world }) => ({
          path: "/api/v1/coaching/entries/import",
          body: {
            csv: `Date,Minutes,Activity,School,Teachers\n${today()},5,${records.of(world).category.name},"${world.schoolA.name}",${world.teacherA2.email}\n`,
            mapping: { date: "Date", minutes: "Minutes", category: "Activity", school: "School", teachers: "Teachers" },
            dateFormat: "YYYY-MM-DD",
          },
          probe: (res) => (JSON.parse(res.text) as { valid: number }).valid === 1,
        }),
        other: ({ world }) => ({
          path: "/api/v1/coaching/entries/import",
          body: {
            csv: `Date,Minutes,Activity,Teachers\n${today()},5,${records.of(world).category.name},${world.teacherB.email}\n`,
            mapping: { date: "Date", minutes: "Minutes", category: "Activity", teachers: "Teachers" },
            dateFormat: "YYYY-MM-DD",
          },
          probe: (res) => (JSON.parse(res.text) as { valid: number }).valid === 1,
        }),
      },
      expect: {
        ...signedIn(403),
        district_admin: sees(200),
        district_coach: sees(200),
        school_coach: {
          own: sees(200),
          // The rule of a direct entry: a teacher outside the coach's schools is refused (issue 11 item 3).
          other: hidden(200),
        },
      },
    },

    // ---- Dashboards ----
    { route: "GET /api/v1/coaching/dashboard", variant: "scope=me", targets: dashboard("/api/v1/coaching/dashboard").me, expect: dashboardMe },
    { route: "GET /api/v1/coaching/dashboard", variant: "scope=school", targets: dashboard("/api/v1/coaching/dashboard").school, expect: dashboardSchool },
    { route: "GET /api/v1/coaching/dashboard", variant: "scope=district", targets: dashboard("/api/v1/coaching/dashboard").district, expect: dashboardDistrict },
    { route: "GET /api/v1/coaching/dashboard.csv", variant: "scope=me", targets: dashboard("/api/v1/coaching/dashboard.csv").me, expect: dashboardMe },
    { route: "GET /api/v1/coaching/dashboard.csv", variant: "scope=school", targets: dashboard("/api/v1/coaching/dashboard.csv").school, expect: dashboardSchool },
    { route: "GET /api/v1/coaching/dashboard.csv", variant: "scope=district", targets: dashboard("/api/v1/coaching/dashboard.csv").district, expect: dashboardDistrict },

    // Every signed-in caller has a home page; it holds only what their roles may see (home.test.ts).
    { route: "GET /api/v1/coaching/home", targets: { any: () => ({ path: "/api/v1/coaching/home" }) }, expect: signedIn(200) },
    // Coaches compared: the district for admins and district-wide coaches; a school also for its leaders (not its coaches).
    ...(["/api/v1/coaching/coaches", "/api/v1/coaching/coaches.csv"] as const).flatMap((path): RouteMatrix[] => [
      { route: `GET ${path}`, variant: "district", targets: { any: () => ({ path }) }, expect: dashboardDistrict },
      {
        route: `GET ${path}`,
        variant: "school",
        targets: {
          own: ({ world }: Cell): CellRequest => ({ path: `${path}?schoolId=${world.schoolA.id}` }),
          other: ({ world }: Cell): CellRequest => ({ path: `${path}?schoolId=${world.schoolB.id}` }),
        },
        expect: { ...signedIn(403), district_admin: 200, district_coach: 200, school_leader: { own: 200, other: 403 } },
      },
    ]),

    // A person's coaching: admins and the person all of it, a coach their own with them (any school: it
    // may be empty), no one else. Students are no one's coachees: their own record is not found.
    {
      route: "GET /api/v1/coaching/people/:id",
      targets: {
        self: ({ world, actor }: Cell): CellRequest => ({ path: `/api/v1/coaching/people/${actor === "anonymous" ? "anonymous" : world.people[actor].id}` }),
        own: ({ world }: Cell): CellRequest => ({ path: `/api/v1/coaching/people/${world.teacherA2.id}` }),
        other: ({ world }: Cell): CellRequest => ({ path: `/api/v1/coaching/people/${world.teacherB.id}` }),
      },
      expect: {
        ...signedIn({ self: 200, own: 403, other: 403 }),
        district_admin: 200,
        district_coach: 200,
        school_coach: 200,
        student_tech: { self: 404, own: 403, other: 403 },
        student: { self: 404, own: 403, other: 403 },
        anonymous: { self: na("anonymous callers have no record"), own: 401, other: 401 },
      },
    },

    // ---- Cycles ----
    {
      route: "GET /api/v1/coaching/cycles",
      targets: {
        self: (c) => ({ path: "/api/v1/coaching/cycles?status=all&limit=200", isList: true, probe: has(selfCycleOf(c).id) }),
        own: ({ world }) => ({ path: "/api/v1/coaching/cycles?status=all&limit=200", isList: true, probe: has(records.of(world).cycleA.id) }),
        other: ({ world }) => ({ path: "/api/v1/coaching/cycles?status=all&limit=200", isList: true, probe: has(records.of(world).cycleB.id) }),
      },
      // Everyone signed in may ask: the list holds the cycles they run or are coached in (admins: all).
      expect: {
        ...signedIn({ self: NO_CYCLE, own: hidden(200), other: hidden(200) }),
        district_admin: sees(200),
        district_coach: { self: sees(200), own: hidden(200), other: hidden(200) },
        school_coach: { self: sees(200), own: hidden(200), other: hidden(200) },
        teacher: { self: sees(200), own: hidden(200), other: hidden(200) },
        anonymous: { self: NO_CYCLE, own: 401, other: 401 },
      },
    },
    {
      route: "POST /api/v1/coaching/cycles",
      targets: {
        own: ({ world }) => ({
          path: "/api/v1/coaching/cycles",
          body: { title: unique("Cycle "), startingPoint: "outcome", startingText: "x", schoolId: world.schoolA.id, teacherIds: [world.teacherA2.id] },
        }),
        other: ({ world }) => ({
          path: "/api/v1/coaching/cycles",
          body: { title: unique("Cycle "), startingPoint: "outcome", startingText: "x", schoolId: world.schoolB.id, teacherIds: [world.teacherB.id] },
        }),
      },
      expect: { ...signedIn(403), district_admin: 201, district_coach: 201, school_coach: { own: 201, other: 403 } },
    },
    {
      route: "GET /api/v1/coaching/cycles/:id",
      targets: {
        self: (c) => ({ path: `/api/v1/coaching/cycles/${selfCycleOf(c).id}` }),
        own: ({ world }) => ({ path: `/api/v1/coaching/cycles/${records.of(world).cycleA.id}` }),
        other: ({ world }) => ({ path: `/api/v1/coaching/cycles/${records.of(world).cycleB.id}` }),
      },
      // School leaders never read cycles: coaching stays non-evaluative.
      expect: {
        ...signedIn({ self: NO_CYCLE, own: 403, other: 403 }),
        district_admin: 200,
        district_coach: { self: 200, own: 403, other: 403 },
        school_coach: { self: 200, own: 403, other: 403 },
        teacher: { self: 200, own: 403, other: 403 },
        anonymous: { self: NO_CYCLE, own: 401, other: 401 },
      },
    },
    {
      route: "PATCH /api/v1/coaching/cycles/:id",
      targets: {
        self: async (c) => ({ path: `/api/v1/coaching/cycles/${(await freshSelfCycle(c)).id}`, body: { title: unique("Renamed ") } }),
        own: async ({ world }) => ({ path: `/api/v1/coaching/cycles/${(await freshCycle("own")(world)).id}`, body: { title: unique("Renamed ") } }),
        other: async ({ world }) => ({ path: `/api/v1/coaching/cycles/${(await freshCycle("other")(world)).id}`, body: { title: unique("Renamed ") } }),
      },
      // The cycle's coach and admins manage it; its teacher may not.
      expect: {
        ...signedIn({ self: NO_CYCLE, own: 403, other: 403 }),
        district_admin: 200,
        district_coach: { self: 200, own: 403, other: 403 },
        school_coach: { self: 200, own: 403, other: 403 },
        teacher: { self: 403, own: 403, other: 403 },
        anonymous: { self: NO_CYCLE, own: 401, other: 401 },
      },
    },
    {
      route: "POST /api/v1/coaching/cycles/:id/steps",
      targets: {
        self: async (c) => ({ path: `/api/v1/coaching/cycles/${(await freshSelfCycle(c)).id}/steps`, body: { stage: "reflect", date: today(), notes: "x" } }),
        own: async ({ world }) => ({ path: `/api/v1/coaching/cycles/${(await freshCycle("own")(world)).id}/steps`, body: { stage: "reflect", date: today(), notes: "x" } }),
        other: async ({ world }) => ({ path: `/api/v1/coaching/cycles/${(await freshCycle("other")(world)).id}/steps`, body: { stage: "reflect", date: today(), notes: "x" } }),
      },
      // A cycle's teacher adds reflections to it.
      expect: {
        ...signedIn({ self: NO_CYCLE, own: 403, other: 403 }),
        district_admin: 201,
        district_coach: { self: 201, own: 403, other: 403 },
        school_coach: { self: 201, own: 403, other: 403 },
        teacher: { self: 201, own: 403, other: 403 },
        anonymous: { self: NO_CYCLE, own: 401, other: 401 },
      },
    },
  ],
};
