import { Link, useParams } from "react-router-dom";
import type { TClassDetail, TClassPerson } from "../../../../shared/schemas/classes.js";
import { useQuery } from "@tanstack/react-query";
import { EmptyState, ErrorState, PageHeader, Spinner } from "../../components/Feedback.js";
import { StatusBadge } from "../../components/RoleList.js";
import { DataTable, type Column } from "../../kits/DataTable.js";
import { formatCount } from "../../lib/format.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { directoryQueries } from "./api.js";
import "./classes.css";

/** A class: course, terms and periods, its teachers and (for those allowed) its students. */
export function ClassPage() {
  const { id = "" } = useParams();
  const cls = useQuery(directoryQueries.class(id));
  useDocumentTitle(cls.data?.title ?? "Class");
  if (cls.error) {
    return (
      <>
        <PageHeader title={cls.error.status === 404 ? "Not found" : "Class"} breadcrumb={{ to: "/directory/schools", label: "Schools" }} />
        {cls.error.status === 403 ? (
          <EmptyState title="You don't have access to this class">Class rosters are for the class's teachers, their school's coaches and leaders, and district admins.</EmptyState>
        ) : (
          <ErrorState error={cls.error} onRetry={() => void cls.refetch()} />
        )}
      </>
    );
  }
  if (!cls.data) {
    return (
      <>
        <PageHeader title="Class" breadcrumb={{ to: "/directory/schools", label: "Schools" }} />
        <Spinner label="Loading the class…" />
      </>
    );
  }
  return <ClassDetails cls={cls.data} />;
}

function ClassDetails({ cls }: { cls: TClassDetail }) {
  const facts = [
    cls.courseCode ? `${cls.courseTitle} (${cls.courseCode})` : cls.courseTitle,
    cls.grades.length ? `Grade ${cls.grades.join(", ")}` : null,
    cls.periods.length ? `Period ${cls.periods.join(", ")}` : null,
    cls.location,
    cls.terms.map((t) => t.title).join(", ") || null,
    `Roster ID ${cls.sourcedId}`,
  ].filter(Boolean);
  return (
    <>
      <PageHeader
        breadcrumb={{ to: `/directory/schools/${cls.schoolId}`, label: cls.schoolName }}
        title={
          <span className="title-with-avatar">
            <span>{cls.title}</span>
            {cls.status === "inactive" ? <StatusBadge status="inactive" /> : null}
          </span>
        }
        description={facts.join(" · ")}
      />
      <section className="section" aria-labelledby="class-teachers">
        <h2 id="class-teachers" className="section__title">
          Teachers <span className="count">{cls.teachers.length}</span>
        </h2>
        <MembersTable people={cls.teachers} caption={`Teachers of ${cls.title}`} kind="teacher" />
      </section>
      <section className="section" aria-labelledby="class-students">
        <h2 id="class-students" className="section__title">
          Students <span className="count">{cls.students.length}</span>
        </h2>
        {cls.students.length === 0 ? (
          <EmptyState title="No students enrolled">Enrollments come from the roster import.</EmptyState>
        ) : (
          <MembersTable people={cls.students} caption={`${formatCount(cls.students.length, "student")} in ${cls.title}`} kind="student" />
        )}
      </section>
    </>
  );
}

const NAME_COLUMN: Column<TClassPerson> = {
  id: "name",
  header: "Name",
  isPrimary: true,
  sortValue: (p) => p.displayName,
  cell: (p) => <Link to={`/directory/people/${p.id}`}>{p.displayName}</Link>,
};
const EMAIL_COLUMN: Column<TClassPerson> = {
  id: "email",
  header: "Email",
  className: "cell-muted",
  sortValue: (p) => p.email,
  cell: (p) => p.email ?? "—",
  isEmpty: (p) => !p.email,
};
const COLUMNS: Record<"teacher" | "student", Column<TClassPerson>[]> = {
  teacher: [NAME_COLUMN, { id: "primary", header: "Primary", cell: (p) => (p.isPrimary ? "Yes" : "—") }, EMAIL_COLUMN],
  student: [
    NAME_COLUMN,
    { id: "grade", header: "Grade", sortValue: (p) => p.gradeLevel, cell: (p) => p.gradeLevel ?? "—" },
    { id: "studentId", header: "Student ID", className: "cell-mono", sortValue: (p) => p.studentNumber, cell: (p) => p.studentNumber ?? "—" },
    EMAIL_COLUMN,
  ],
};

function MembersTable({ people, caption, kind }: { people: TClassPerson[]; caption: string; kind: "teacher" | "student" }) {
  if (people.length === 0) return <p className="section__description">No one yet.</p>;
  return <DataTable rows={people} columns={COLUMNS[kind]} rowKey={(p) => p.id} caption={caption} isDense />;
}
