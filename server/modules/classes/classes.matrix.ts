import { hidden, insertClass, na, sees, signedIn, worldRecords, type ModuleMatrix } from "../../../tests/helpers/matrix.js";

// Classes and school summaries (moving to a module of their own with the same URLs; this file moves with
// them). Targets: `own` a class at school A taught by another teacher, `other` a class at school B,
// `self` the class the teacher actor teaches. Class rosters list students: never for students.
const records = worldRecords<{ classA: string; classB: string; classT: string }>();

const NOT_A_TEACHER = na("teaches no class");
const listed = (pick: (r: { classA: string; classB: string; classT: string }) => string) =>
  ({ world }: { world: Parameters<typeof records.of>[0] }) => ({ path: "/api/v1/classes?limit=200", isList: true, probe: (res: { text: string }) => res.text.includes(pick(records.of(world))) });

export const classesMatrix: ModuleMatrix = {
  module: "classes",
  async seed(world) {
    const [classA, classB, classT] = await Promise.all([
      insertClass(world, { schoolId: world.schoolA.id, teacherIds: [world.teacherA2.id], studentIds: [world.studentA2.id] }),
      insertClass(world, { schoolId: world.schoolB.id, teacherIds: [world.teacherB.id], studentIds: [] }),
      insertClass(world, { schoolId: world.schoolA.id, teacherIds: [world.people.teacher.id], studentIds: [world.studentA2.id] }),
    ]);
    records.set(world, { classA, classB, classT });
  },
  routes: [
    {
      route: "GET /api/v1/classes",
      targets: { own: listed((r) => r.classA), other: listed((r) => r.classB), self: listed((r) => r.classT) },
      expect: {
        district_admin: { own: sees(200), other: sees(200), self: NOT_A_TEACHER },
        district_coach: { own: sees(200), other: sees(200), self: NOT_A_TEACHER },
        school_coach: { own: sees(200), other: hidden(200), self: NOT_A_TEACHER },
        school_leader: { own: sees(200), other: hidden(200), self: NOT_A_TEACHER },
        it_staff: { own: sees(200), other: hidden(200), self: NOT_A_TEACHER },
        teacher: { own: hidden(200), other: hidden(200), self: sees(200) },
        student_tech: { own: 403, other: 403, self: NOT_A_TEACHER },
        student: { own: 403, other: 403, self: NOT_A_TEACHER },
        anonymous: { own: 401, other: 401, self: NOT_A_TEACHER },
      },
    },
    {
      route: "GET /api/v1/classes/:id",
      targets: {
        own: ({ world }) => ({ path: `/api/v1/classes/${records.of(world).classA}` }),
        other: ({ world }) => ({ path: `/api/v1/classes/${records.of(world).classB}` }),
        self: ({ world }) => ({ path: `/api/v1/classes/${records.of(world).classT}` }),
      },
      expect: {
        district_admin: { own: 200, other: 200, self: NOT_A_TEACHER },
        district_coach: { own: 200, other: 200, self: NOT_A_TEACHER },
        school_coach: { own: 200, other: 403, self: NOT_A_TEACHER },
        school_leader: { own: 200, other: 403, self: NOT_A_TEACHER },
        it_staff: { own: 200, other: 403, self: NOT_A_TEACHER },
        teacher: { own: 403, other: 403, self: 200 },
        student_tech: { own: 403, other: 403, self: NOT_A_TEACHER },
        student: { own: 403, other: 403, self: NOT_A_TEACHER },
        anonymous: { own: 401, other: 401, self: NOT_A_TEACHER },
      },
    },
    {
      route: "GET /api/v1/schools/:id/summary",
      targets: {
        own: ({ world }) => ({ path: `/api/v1/schools/${world.schoolA.id}/summary` }),
        other: ({ world }) => ({ path: `/api/v1/schools/${world.schoolB.id}/summary` }),
      },
      // A school's staff (and district-wide staff) see its counts; students do not.
      expect: {
        ...signedIn({ own: 200, other: 403 }),
        district_admin: 200,
        district_coach: 200,
        student_tech: 403,
        student: 403,
      },
    },
  ],
};
