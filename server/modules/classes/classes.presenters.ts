import type { TClassDetail, TClassPerson, TClassSummary } from "../../../shared/schemas/classes.js";
import type { DirectoryPerson } from "../people/api.js";
import type { ClassListRow } from "./classes.repository.js";

const list = (v: string | null): string[] => (v ? v.split(",").filter(Boolean) : []);

/** An enrolled person: the enrollment's role and primacy joined to the directory's record. */
export type MemberRow = DirectoryPerson & { class_id: string; role: "teacher" | "student"; is_primary: number | boolean };
export type TermRow = { class_id: string; id: string; title: string; start_date: string; end_date: string };

function presentMember(m: MemberRow): TClassPerson {
  return {
    id: m.id,
    displayName: `${m.given_name} ${m.family_name}`,
    givenName: m.given_name,
    familyName: m.family_name,
    email: m.email,
    gradeLevel: m.grade_level,
    studentNumber: m.student_number,
    isPrimary: Number(m.is_primary) === 1,
  };
}

export function presentClassSummary(row: ClassListRow, schoolName: string, terms: readonly TermRow[], teachers: readonly MemberRow[]): TClassSummary {
  return {
    id: row.id,
    title: row.title,
    classCode: row.class_code,
    classType: row.class_type,
    status: row.status,
    schoolId: row.school_id,
    schoolName,
    courseId: row.course_id,
    courseTitle: row.course_title,
    courseCode: row.course_code,
    grades: list(row.grades),
    subjects: list(row.subjects),
    periods: list(row.periods),
    terms: terms.filter((t) => t.class_id === row.id).map((t) => ({ id: t.id, title: t.title, startDate: t.start_date, endDate: t.end_date })),
    teacherNames: teachers.filter((t) => t.class_id === row.id).map((t) => `${t.given_name} ${t.family_name}`),
    studentCount: Number(row.student_count ?? 0),
    memberRole: row.member_role ?? null,
  };
}

export function presentClassDetail(
  row: Omit<ClassListRow, "member_role">,
  schoolName: string,
  terms: readonly TermRow[],
  members: readonly MemberRow[],
): TClassDetail {
  const teachers = members.filter((m) => m.role === "teacher");
  const students = members.filter((m) => m.role === "student");
  return {
    ...presentClassSummary({ ...row, student_count: students.length, member_role: null }, schoolName, terms, teachers),
    sourcedId: row.source_id,
    location: row.location,
    teachers: teachers.map(presentMember),
    students: students.map(presentMember),
  };
}
