import type { Kysely } from "kysely";
import { ROLES, STUDENT_ROLES, type Role } from "../../../shared/roles.js";
import type { TClassDetail, TClassSummary, TListClassesQuery, TSchoolSummary } from "../../../shared/schemas/classes.js";
import type { TList } from "../../../shared/schemas/common.js";
import type { Actor } from "../../auth/actor.js";
import { assertCanListClasses } from "./policy.js";
import { canReadClass, canSeeSchoolSummary } from "../../../shared/policy/classes.js";
import type { Ctx, RequestMeta } from "../../context.js";
import type { DB } from "../../db/schema.js";
import { forbidden, notFound } from "../../errors.js";
import { recordAudit } from "../audit/api.js";
import { activePeopleByIds, schoolHeadcounts } from "../people/api.js";
import { getSchool, schoolNamesByIds } from "../schools/api.js";
import { paginate } from "../../platform/pagination.js";
import { presentClassDetail, presentClassSummary, type MemberRow } from "./classes.presenters.js";
import { activeClassCount, countClasses, enrollmentsOf, findClass, listClasses, termsOf, type ClassFilter } from "./classes.repository.js";

/** Active members of the given classes in the given roles, with their directory records, by name. */
async function membersOf(db: Kysely<DB>, classIds: readonly string[], roles: readonly ("teacher" | "student")[]): Promise<MemberRow[]> {
  const enrollments = await enrollmentsOf(db, classIds, roles);
  const people = await activePeopleByIds(db, enrollments.map((e) => e.person_id));
  const order = new Map(people.map((p, i) => [p.id, i]));
  const byId = new Map(people.map((p) => [p.id, p]));
  return enrollments
    .flatMap((e) => {
      const p = byId.get(e.person_id);
      return p ? [{ ...p, class_id: e.class_id, role: e.role, is_primary: e.is_primary }] : [];
    })
    .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}

/** Classes in the actor's scope: admins all, coaches/leaders/IT their schools', teachers those they teach. */
export async function listClassesForActor(ctx: Ctx, actor: Actor, q: TListClassesQuery, meta: RequestMeta): Promise<TList<TClassSummary>> {
  const scope = assertCanListClasses(actor);
  const filter: ClassFilter = {
    districtId: actor.districtId,
    schoolIds: scope.schoolIds,
    taughtBy: scope.asTeacher ? actor.personId : null,
    schoolId: q.schoolId,
    memberId: q.personId,
    q: q.q,
    status: q.status,
  };
  const result = await paginate({
    query: q,
    cursorOf: (r) => [r.title, r.id],
    readCursor: ([title, id]) => (typeof title === "string" && typeof id === "string" ? { title, id } : undefined),
    count: () => countClasses(ctx.db, filter),
    fetch: (after: { title: string; id: string } | null, limit: number) => listClasses(ctx.db, filter, after, limit),
  });
  const page = result.items;
  const ids = page.map((r) => r.id);
  const [terms, teachers, schoolNames] = await Promise.all([
    termsOf(ctx.db, ids),
    membersOf(ctx.db, ids, ["teacher"]),
    schoolNamesByIds(ctx.db, page.map((r) => r.school_id)),
  ]);
  const asStudent = page.filter((r) => r.member_role === "student").map((r) => r.id);
  if (q.personId && asStudent.length > 0) {
    // A student's classes are student data: who looked is recorded, as for the class page.
    await recordAudit(ctx.db, { actor, meta }, { action: "person.classes", subjectType: "person", subjectId: q.personId, details: { classIds: asStudent } });
  }
  return { ...result, items: page.map((r) => presentClassSummary(r, schoolNames.get(r.school_id) ?? "", terms, teachers)) };
}

/** One class with its teachers and students; reading the student list is audited. */
export async function getClass(ctx: Ctx, actor: Actor, id: string, meta: RequestMeta): Promise<TClassDetail> {
  const row = await findClass(ctx.db, actor.districtId, id);
  if (!row) throw notFound("Class");
  const members = await membersOf(ctx.db, [id], ["teacher", "student"]);
  const teacherIds = members.filter((m) => m.role === "teacher").map((m) => m.id);
  if (!canReadClass(actor, { districtId: row.district_id, schoolId: row.school_id, teacherIds })) {
    throw forbidden("You do not have access to this class");
  }
  const studentIds = members.filter((m) => m.role === "student").map((m) => m.id);
  if (studentIds.length > 0) {
    await recordAudit(ctx.db, { actor, meta }, { action: "class.read", details: { classId: id, studentIds } });
  }
  const schoolNames = await schoolNamesByIds(ctx.db, [row.school_id]);
  return presentClassDetail(row, schoolNames.get(row.school_id) ?? "", await termsOf(ctx.db, [id]), members);
}

/** Staff, student and class counts of a school (its staff and admins). */
export async function getSchoolSummary(ctx: Ctx, actor: Actor, schoolId: string): Promise<TSchoolSummary> {
  const school = await getSchool(ctx, actor, schoolId);
  if (!canSeeSchoolSummary(actor, schoolId)) throw forbidden("You do not have access to this school's summary");
  const [s, classCount] = await Promise.all([schoolHeadcounts(ctx.db, actor.districtId, schoolId), activeClassCount(ctx.db, schoolId)]);
  const isRole = (r: string): r is Role => (ROLES as readonly string[]).includes(r);
  const byGrade = s.byGrade.map((g) => ({ grade: g.grade, count: Number(g.n) }));
  return {
    schoolId,
    schoolName: school.name,
    staffCount: s.staffCount,
    studentCount: byGrade.reduce((n, g) => n + g.count, 0),
    classCount,
    studentsByGrade: byGrade.sort((a, b) => gradeOrder(a.grade) - gradeOrder(b.grade) || a.grade.localeCompare(b.grade)),
    staffByRole: s.byRole.filter((r) => isRole(r.role) && !STUDENT_ROLES.includes(r.role)).map((r) => ({ role: r.role as Role, count: Number(r.n) })),
  };
}

const GRADE_ORDER = ["IT", "PR", "PK", "TK", "KG", "K"];
function gradeOrder(grade: string): number {
  if (grade === "") return 1000;
  const named = GRADE_ORDER.indexOf(grade.toUpperCase());
  if (named >= 0) return named;
  const n = Number(grade);
  return Number.isFinite(n) ? 10 + n : 500;
}
