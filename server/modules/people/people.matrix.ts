import { unique } from "../../../tests/helpers/factories.js";
import { adminOnly, hidden, must, na, sees, type Cell, type CellRequest, type ModuleMatrix } from "../../../tests/helpers/matrix.js";

// The directory: `own` is a teacher at the actor's school A, `other` a teacher at school B, `private` a
// student at school A (an education record), `self` the actor. Writes aim at a fresh person per cell.
const seesId = (id: string) => (res: { text: string }) => res.text.includes(id);

const list = (pick: (c: Cell) => string) => (c: Cell): CellRequest => ({ path: "/api/v1/people?limit=200", isList: true, probe: seesId(pick(c)) });

const fresh =
  (school: "A" | "B", role: "teacher" | "student", then: (id: string) => CellRequest) =>
  async ({ world }: Cell): Promise<CellRequest> =>
    then((await world.makePerson([{ role, school }], { withPassword: false })).id);

/** A fresh person already deactivated by the admin, so reactivating changes something. */
const inactive =
  (school: "A" | "B", role: "teacher" | "student") =>
  async ({ world }: Cell): Promise<CellRequest> => {
    const { id } = await world.makePerson([{ role, school }], { withPassword: false });
    await must(world, world.root, "POST", `/api/v1/people/${id}/deactivate`, 200);
    return { path: `/api/v1/people/${id}/reactivate` };
  };

const selfId = ({ world, actor }: Cell): string => (actor === "anonymous" ? "anonymous" : world.people[actor].id);

const readScope = {
  district_admin: 200,
  district_coach: 200,
  school_coach: { own: 200, other: 403, private: 200, self: 200 },
  school_leader: { own: 200, other: 403, private: 200, self: 200 },
  it_staff: { own: 200, other: 403, private: 200, self: 200 },
  teacher: { own: 200, other: 403, private: 403, self: 200 },
  student_tech: { own: 403, other: 403, private: 403, self: 200 },
  student: { own: 403, other: 403, private: 403, self: 200 },
  anonymous: { own: 401, other: 401, private: 401, self: na("anonymous callers have no record") },
} as const;

/** Writes are the district admin's; a refusal comes before the target is even looked up. */
const manage = (ok: number) => ({ ...adminOnly(ok), anonymous: 401 });

export const peopleMatrix: ModuleMatrix = {
  module: "people",
  routes: [
    {
      route: "GET /api/v1/people",
      targets: {
        own: list(({ world }) => world.teacherA2.id),
        other: list(({ world }) => world.teacherB.id),
        private: list(({ world }) => world.studentA2.id),
      },
      expect: {
        district_admin: sees(200),
        district_coach: sees(200),
        school_coach: { own: sees(200), other: hidden(200), private: sees(200) },
        school_leader: { own: sees(200), other: hidden(200), private: sees(200) },
        it_staff: { own: sees(200), other: hidden(200), private: sees(200) },
        teacher: { own: sees(200), other: hidden(200), private: hidden(200) },
        student_tech: 403,
        student: 403,
        anonymous: 401,
      },
    },
    {
      route: "POST /api/v1/people",
      targets: {
        own: ({ world }) => ({
          path: "/api/v1/people",
          body: { givenName: "New", familyName: unique("Person"), email: `${unique("new")}@example.org`, roles: [{ role: "teacher", schoolId: world.schoolA.id }] },
        }),
        other: ({ world }) => ({
          path: "/api/v1/people",
          body: { givenName: "New", familyName: unique("Person"), email: `${unique("new")}@example.org`, roles: [{ role: "teacher", schoolId: world.schoolB.id }] },
        }),
      },
      expect: manage(201),
    },
    {
      route: "GET /api/v1/people/:id",
      targets: {
        own: ({ world }) => ({ path: `/api/v1/people/${world.teacherA2.id}` }),
        other: ({ world }) => ({ path: `/api/v1/people/${world.teacherB.id}` }),
        private: ({ world }) => ({ path: `/api/v1/people/${world.studentA2.id}` }),
        self: (c) => ({ path: `/api/v1/people/${selfId(c)}` }),
      },
      expect: readScope,
    },
    {
      route: "PATCH /api/v1/people/:id",
      targets: {
        own: fresh("A", "teacher", (id) => ({ path: `/api/v1/people/${id}`, body: { familyName: unique("Renamed") } })),
        other: fresh("B", "teacher", (id) => ({ path: `/api/v1/people/${id}`, body: { familyName: unique("Renamed") } })),
        private: fresh("A", "student", (id) => ({ path: `/api/v1/people/${id}`, body: { familyName: unique("Renamed") } })),
        self: (c) => ({ path: `/api/v1/people/${selfId(c)}`, body: {} }),
      },
      // Nobody edits their own directory record here (that is PATCH /me), except the admin who edits anyone.
      expect: { ...manage(200), anonymous: { own: 401, other: 401, private: 401, self: na("anonymous callers have no record") } },
    },
    {
      route: "POST /api/v1/people/:id/deactivate",
      targets: {
        own: fresh("A", "teacher", (id) => ({ path: `/api/v1/people/${id}/deactivate` })),
        other: fresh("B", "teacher", (id) => ({ path: `/api/v1/people/${id}/deactivate` })),
        private: fresh("A", "student", (id) => ({ path: `/api/v1/people/${id}/deactivate` })),
        self: async ({ world, actor, auth }) => {
          // A fresh copy of the actor: if this ever succeeded, the shared actor would keep its sessions.
          const me = await world.freshPrincipal(actor, auth);
          return { path: `/api/v1/people/${me.personId ?? "anonymous"}/deactivate`, as: me };
        },
      },
      expect: {
        ...manage(200),
        // An admin cannot deactivate their own account (someone must be left to undo it).
        district_admin: { own: 200, other: 200, private: 200, self: 400 },
        anonymous: { own: 401, other: 401, private: 401, self: na("anonymous callers have no record") },
      },
    },
    {
      route: "POST /api/v1/people/:id/reactivate",
      targets: {
        own: inactive("A", "teacher"),
        other: inactive("B", "teacher"),
        private: inactive("A", "student"),
      },
      expect: manage(200),
    },
  ],
};
