import { useId, useState } from "react";
import { Link } from "react-router-dom";
import { ROLE_LABELS } from "../../../../shared/roles.js";
import type { TClassSummary } from "../../../../shared/schemas/classes.js";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { EmptyState, ErrorState, Spinner } from "../../components/Feedback.js";
import { useCursorStack } from "../../components/Pagination.js";
import { DataTable, type Column } from "../../kits/DataTable.js";
import { ListView } from "../../kits/ListPage.js";
import { SearchInput } from "../../components/SearchInput.js";
import { directoryQueries } from "./api.js";
import "./classes.css";

const PAGE_SIZE = 25;

/** A school's counts (staff, students by grade, classes) and its classes, for the school page. */
export function SchoolRosterSection({ schoolId, schoolName }: { schoolId: string; schoolName: string }) {
  const titleId = useId();
  const summary = useQuery(directoryQueries.schoolSummary(schoolId));
  // Students and others without access see nothing here, rather than an error on a page they may read.
  if (summary.error?.status === 403) return null;
  return (
    <section className="section" aria-labelledby={titleId}>
      <h2 id={titleId} className="section__title">
        Roster
      </h2>
      {summary.error ? (
        <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />
      ) : !summary.data ? (
        <Spinner label="Loading the roster summary…" />
      ) : (
        <>
          <dl className="roster-stats">
            <div className="roster-stat">
              <dt>Staff</dt>
              <dd>{summary.data.staffCount.toLocaleString()}</dd>
            </div>
            <div className="roster-stat">
              <dt>Students</dt>
              <dd>{summary.data.studentCount.toLocaleString()}</dd>
            </div>
            <div className="roster-stat">
              <dt>Classes</dt>
              <dd>{summary.data.classCount.toLocaleString()}</dd>
            </div>
            {summary.data.staffByRole.map((r) => (
              <div className="roster-stat" key={r.role}>
                <dt>{ROLE_LABELS[r.role]}s</dt>
                <dd>{r.count.toLocaleString()}</dd>
              </div>
            ))}
          </dl>
          {summary.data.studentsByGrade.length > 0 ? (
            <ul className="roster-grades" aria-label="Students by grade">
              {summary.data.studentsByGrade.map((g) => (
                <li key={g.grade}>
                  {g.grade === "" ? "No grade" : `Grade ${g.grade}`}: <strong>{g.count.toLocaleString()}</strong>
                </li>
              ))}
            </ul>
          ) : null}
          <SchoolClasses schoolId={schoolId} schoolName={schoolName} />
        </>
      )}
    </section>
  );
}

function SchoolClasses({ schoolId, schoolName }: { schoolId: string; schoolName: string }) {
  const [q, setQ] = useState("");
  const pages = useCursorStack(`${schoolId}:${q}`);
  const query = { schoolId, q: q || undefined, limit: PAGE_SIZE, cursor: pages.cursor };
  const classes = useQuery({ ...directoryQueries.classes(query), placeholderData: keepPreviousData });
  if (classes.error?.status === 403) return null;
  return (
    <>
      <div className="filters" role="search" aria-label="Search classes">
        <SearchInput label="Search classes" value={q} placeholder="Title, class code or course" onSearch={setQ} />
      </div>
      <ListView
        query={classes}
        pages={pages}
        pageSize={PAGE_SIZE}
        noun="classes"
        loadingLabel="Loading classes…"
        empty={<EmptyState title={q ? "No class matches" : "No classes yet"}>{q ? "Try another word." : `Classes at ${schoolName} appear after a roster import.`}</EmptyState>}
      >
        {(list) => <ClassesTable classes={list.items} caption={`Classes at ${schoolName}`} />}
      </ListView>
    </>
  );
}

/** The classes a teacher teaches or a student takes, for the person page (within what the reader may see). */
export function PersonClassesSection({ personId, personName }: { personId: string; personName: string }) {
  const titleId = useId();
  const pages = useCursorStack(personId);
  const query = { personId, limit: PAGE_SIZE, cursor: pages.cursor };
  const classes = useQuery({ ...directoryQueries.classes(query), placeholderData: keepPreviousData });
  if (classes.error?.status === 403) return null;
  return (
    <section className="section" aria-labelledby={titleId}>
      <h2 id={titleId} className="section__title">
        Classes
      </h2>
      <ListView
        query={classes}
        pages={pages}
        pageSize={PAGE_SIZE}
        noun="classes"
        loadingLabel="Loading classes…"
        empty={<EmptyState title="No classes">{`${personName} is in no active class that you can see. Classes come from the roster import.`}</EmptyState>}
      >
        {(list) => <ClassesTable classes={list.items} caption={`Classes of ${personName}`} showRole />}
      </ListView>
    </section>
  );
}

const CLASS_COLUMNS: Column<TClassSummary>[] = [
  {
    id: "class",
    header: "Class",
    isPrimary: true,
    cell: (c) => (
      <>
        <Link to={`/directory/classes/${c.id}`}>{c.title}</Link>
        {c.classCode ? <span className="cell-muted cell-mono"> · {c.classCode}</span> : null}
      </>
    ),
  },
  { id: "course", header: "Course", cell: (c) => c.courseTitle },
  { id: "teachers", header: "Teachers", cell: (c) => c.teacherNames.join(", ") || <span className="cell-muted">—</span> },
  { id: "period", header: "Period", cell: (c) => c.periods.join(", ") || "—", isEmpty: (c) => c.periods.length === 0 },
  { id: "terms", header: "Terms", cell: (c) => c.terms.map((t) => t.title).join(", ") || "—", isEmpty: (c) => c.terms.length === 0 },
  { id: "students", header: "Students", className: "cell-number", cell: (c) => c.studentCount.toLocaleString() },
];

const ROLE_COLUMN: Column<TClassSummary> = {
  id: "role",
  header: "As",
  cell: (c) => (c.memberRole === "teacher" ? "Teacher" : c.memberRole === "student" ? "Student" : "—"),
};

/** Classes (paged by the server, so in its order); with "As" (teacher or student) on a person's page. */
export function ClassesTable({ classes, caption, showRole = false }: { classes: TClassSummary[]; caption: string; showRole?: boolean }) {
  const [first, ...rest] = CLASS_COLUMNS;
  const columns = showRole && first ? [first, ROLE_COLUMN, ...rest] : CLASS_COLUMNS;
  return <DataTable rows={classes} columns={columns} rowKey={(c) => c.id} caption={caption} isDense />;
}
