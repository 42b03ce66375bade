import { useId, useState } from "react";
import { Link } from "react-router-dom";
import { ROLE_LABELS } from "../../../../shared/roles.js";
import type { TClassSummary } from "../../../../shared/schemas/rostering.js";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { EmptyState, ErrorState, Spinner } from "../../components/Feedback.js";
import { Pagination, useCursorStack } from "../../components/Pagination.js";
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
  const list = classes.data;
  return (
    <>
      <div className="filters" role="search" aria-label="Search classes">
        <SearchInput label="Search classes" value={q} placeholder="Title, class code or course" onSearch={setQ} />
      </div>
      {classes.error ? (
        <ErrorState error={classes.error} onRetry={() => void classes.refetch()} />
      ) : !list ? (
        <Spinner label="Loading classes…" />
      ) : list.items.length === 0 ? (
        <EmptyState title={q ? "No class matches" : "No classes yet"}>{q ? "Try another word." : `Classes at ${schoolName} appear after a roster import.`}</EmptyState>
      ) : (
        <div className={classes.isFetching ? "is-refreshing" : undefined}>
          <ClassesTable classes={list.items} caption={`Classes at ${schoolName}`} />
          <Pagination pages={pages} list={list} pageSize={PAGE_SIZE} isLoading={classes.isFetching} noun="classes" />
        </div>
      )}
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
  const list = classes.data;
  return (
    <section className="section" aria-labelledby={titleId}>
      <h2 id={titleId} className="section__title">
        Classes
      </h2>
      {classes.error ? (
        <ErrorState error={classes.error} onRetry={() => void classes.refetch()} />
      ) : !list ? (
        <Spinner label="Loading classes…" />
      ) : list.items.length === 0 ? (
        <EmptyState title="No classes">{`${personName} is in no active class that you can see. Classes come from the roster import.`}</EmptyState>
      ) : (
        <div className={classes.isFetching ? "is-refreshing" : undefined}>
          <ClassesTable classes={list.items} caption={`Classes of ${personName}`} showRole />
          <Pagination pages={pages} list={list} pageSize={PAGE_SIZE} isLoading={classes.isFetching} noun="classes" />
        </div>
      )}
    </section>
  );
}

export function ClassesTable({ classes, caption, showRole = false }: { classes: TClassSummary[]; caption: string; showRole?: boolean }) {
  return (
    <div className="table-wrap">
      <table className="table table--dense">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Class</th>
            {showRole ? <th scope="col">As</th> : null}
            <th scope="col">Course</th>
            <th scope="col">Teachers</th>
            <th scope="col">Period</th>
            <th scope="col">Terms</th>
            <th scope="col" className="cell-number">
              Students
            </th>
          </tr>
        </thead>
        <tbody>
          {classes.map((c) => (
            <tr key={c.id}>
              <td>
                <Link to={`/directory/classes/${c.id}`}>{c.title}</Link>
                {c.classCode ? <span className="cell-muted cell-mono"> · {c.classCode}</span> : null}
              </td>
              {showRole ? <td>{c.memberRole === "teacher" ? "Teacher" : c.memberRole === "student" ? "Student" : "—"}</td> : null}
              <td>{c.courseTitle}</td>
              <td>{c.teacherNames.join(", ") || <span className="cell-muted">—</span>}</td>
              <td>{c.periods.join(", ") || "—"}</td>
              <td>{c.terms.map((t) => t.title).join(", ") || "—"}</td>
              <td className="cell-number">{c.studentCount.toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
