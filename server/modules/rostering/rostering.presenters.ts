import type {
  TClassDetail,
  TClassPerson,
  TClassSummary,
  TRosterImport,
  TRosterImportReport,
  TRosterProgress,
} from "../../../shared/schemas/rostering.js";
import type { ClassListRow, MemberRow, RosterImportRow } from "./rostering.repository.js";

const list = (v: string | null): string[] => (v ? v.split(",").filter(Boolean) : []);

export type StoredReport = Pick<TRosterImportReport, "version" | "modes" | "entities" | "skippedRoles" | "failure" | "isBlocked" | "issues" | "issuesOmitted">;

/** An import as the history shows it; `progress` only while this process runs it. */
export function presentImport(row: Omit<RosterImportRow, "report">, progress: TRosterProgress | null): TRosterImport {
  return {
    id: row.id,
    kind: row.kind,
    origin: row.origin,
    fileName: row.file_name,
    status: row.status,
    isDryRun: Number(row.is_dry_run) === 1,
    applyValid: Number(row.apply_valid) === 1,
    actorId: row.actor_id,
    actorName: row.actor_given === null ? null : `${row.actor_given} ${row.actor_family ?? ""}`.trim(),
    counts: {
      created: Number(row.created),
      updated: Number(row.updated),
      unchanged: Number(row.unchanged),
      deactivated: Number(row.deactivated),
      skipped: Number(row.skipped),
      rejected: Number(row.rejected),
    },
    errorCount: Number(row.error_count),
    warningCount: Number(row.warning_count),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    progress,
  };
}

export function emptyReport(): StoredReport {
  return { version: null, modes: {}, entities: {}, skippedRoles: {}, failure: null, isBlocked: false, issues: [], issuesOmitted: 0 };
}

export function parseReport(text: string | null): StoredReport {
  if (!text) return emptyReport();
  try {
    return { ...emptyReport(), ...(JSON.parse(text) as Partial<StoredReport>) };
  } catch {
    return emptyReport();
  }
}

/** The full report: the import plus per-entity counts and every kept issue. */
export function presentImportReport(row: RosterImportRow, progress: TRosterProgress | null): TRosterImportReport {
  return { ...presentImport(row, progress), ...parseReport(row.report) };
}

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

export function presentClassSummary(
  row: ClassListRow,
  terms: readonly { class_id: string; id: string; title: string; start_date: string; end_date: string }[],
  teachers: readonly MemberRow[],
): TClassSummary {
  return {
    id: row.id,
    title: row.title,
    classCode: row.class_code,
    classType: row.class_type,
    status: row.status,
    schoolId: row.school_id,
    schoolName: row.school_name,
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
  terms: Parameters<typeof presentClassSummary>[1],
  members: readonly MemberRow[],
): TClassDetail {
  const teachers = members.filter((m) => m.role === "teacher");
  const students = members.filter((m) => m.role === "student");
  return {
    ...presentClassSummary({ ...row, student_count: students.length, member_role: null }, terms, teachers),
    sourcedId: row.source_id,
    location: row.location,
    teachers: teachers.map(presentMember),
    students: students.map(presentMember),
  };
}
