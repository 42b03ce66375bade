import { useQuery } from "@tanstack/react-query";
import type { TScores } from "../../../../shared/schemas/helpdesk.js";
import { API_BASE } from "../../api/client.js";
import { ErrorState, PageHeader, Spinner } from "../../components/Feedback.js";
import { Icon } from "../../components/Icon.js";
import { DataTable, type Column } from "../../kits/DataTable.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useMe } from "../../lib/session.js";
import { helpdeskQueries } from "./api.js";
import { deskRole, HelpdeskTabs, minutes, when } from "./shared.js";

type ScoreRow = TScores["assistants"][number];
const SCORE_COLUMNS: Column<ScoreRow>[] = [
  { id: "name", header: "Name", isPrimary: true, isRowHeader: true, cell: (r) => (<>{r.name}{r.isStudent ? <span className="badge hd-badge-student">Student</span> : null}</>), sortValue: (r) => r.name },
  { id: "tickets", header: "Tickets", cell: (r) => r.tickets, sortValue: (r) => r.tickets, className: "cell-number" },
  { id: "resolved", header: "Resolved", cell: (r) => r.resolved, sortValue: (r) => r.resolved, className: "cell-number" },
  { id: "rating", header: "Average rating", cell: (r) => (r.averageRating === null ? "—" : `${r.averageRating.toFixed(1)} of 5 (${r.ratings})`), sortValue: (r) => r.averageRating ?? -1, className: "cell-number" },
  { id: "first", header: "First response (median)", cell: (r) => minutes(r.medianFirstResponseMinutes), sortValue: (r) => r.medianFirstResponseMinutes ?? Infinity, className: "cell-number" },
  { id: "resolution", header: "Resolution (median)", cell: (r) => minutes(r.medianResolutionMinutes), sortValue: (r) => r.medianResolutionMinutes ?? Infinity, className: "cell-number" },
];
// A queue's row: its name alone (the "Student" badge marks a student assistant, not a queue's audience).
const QUEUE_COLUMNS: Column<ScoreRow>[] = SCORE_COLUMNS.map((c) => (c.id === "name" ? { ...c, cell: (r: ScoreRow) => r.name } : c));

/** Coaching customer service: scores per assistant and queue, ratings' comments, and the desk's volume. */
export function ReportsPage() {
  const me = useMe();
  const role = deskRole(me);
  useDocumentTitle(role.seesReports ? "Help desk reports" : "My scores");
  const scores = useQuery(helpdeskQueries.scores({}));
  const report = useQuery({ ...helpdeskQueries.report({}), enabled: role.seesReports });
  return (
    <div className="hd-reports">
      <PageHeader
        title={role.seesReports ? "Reports" : "My scores"}
        description={role.seesReports ? "The last 90 days: how fast and how well the desk helps, who helps, and which problems keep coming back." : "How the people you helped rated you over the last 90 days."}
        actions={role.seesReports ? (<a className="button" href={`${API_BASE}/helpdesk/reports?format=csv`}><Icon name="download" size={16} /> CSV</a>) : null}
      />
      <HelpdeskTabs me={me} />
      {report.data ? (
        <section className="hd-kpis" aria-label="Summary">
          <div className="panel hd-kpi"><span className="hd-kpi__value">{report.data.total}</span><span>tickets</span></div>
          <div className="panel hd-kpi"><span className="hd-kpi__value">{report.data.studentShare === null ? "—" : `${Math.round(report.data.studentShare * 100)}%`}</span><span>resolved by student assistants</span></div>
          <div className="panel hd-kpi"><span className="hd-kpi__value">{minutes(report.data.medianFirstResponseMinutes)}</span><span>to a first response (median)</span></div>
          <div className="panel hd-kpi"><span className="hd-kpi__value">{minutes(report.data.medianResolutionMinutes)}</span><span>to resolution (median)</span></div>
        </section>
      ) : null}
      {scores.error ? <ErrorState error={scores.error} /> : !scores.data ? <Spinner label="Loading scores…" /> : (
        <>
          <section className="panel" aria-labelledby="hd-assistants">
            <h2 id="hd-assistants" className="panel__title">{role.seesReports ? "Per assistant" : "Your tickets"}</h2>
            <DataTable rows={scores.data.assistants} columns={SCORE_COLUMNS} rowKey={(r) => r.id} caption="Scores per assistant" empty={<p className="hd-muted">No tickets taken yet.</p>} />
          </section>
          {scores.data.queues.length ? (
            <section className="panel" aria-labelledby="hd-queues">
              <h2 id="hd-queues" className="panel__title">Per queue</h2>
              <DataTable rows={scores.data.queues} columns={QUEUE_COLUMNS} rowKey={(r) => r.id} caption="Scores per queue" />
            </section>
          ) : null}
          <section className="panel" aria-labelledby="hd-comments">
            <h2 id="hd-comments" className="panel__title">What people said</h2>
            {scores.data.comments.filter((c) => c.comment).length === 0 ? <p className="hd-muted">No comments yet.</p> : (
              <ul className="hd-comments">
                {scores.data.comments.filter((c) => c.comment).map((c) => (
                  <li key={c.ticketId}>
                    <span className="hd-stars" aria-label={`${c.score} of 5`}>{"★".repeat(c.score)}{"☆".repeat(5 - c.score)}</span> “{c.comment}”
                    <span className="hd-muted"> — for {c.assigneeName ?? "the desk"}, {when(c.ratedAt)}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
      {report.data ? (
        <div className="hd-report-grid">
          <section className="panel" aria-labelledby="hd-bycat">
            <h2 id="hd-bycat" className="panel__title">By category</h2>
            <DataTable rows={report.data.byCategory} columns={[{ id: "n", header: "Category", isPrimary: true, isRowHeader: true, cell: (r) => r.name }, { id: "c", header: "Tickets", cell: (r) => r.count, className: "cell-number" }]} rowKey={(r) => r.key} caption="Tickets by category" />
          </section>
          <section className="panel" aria-labelledby="hd-byschool">
            <h2 id="hd-byschool" className="panel__title">By school</h2>
            <DataTable rows={report.data.bySchool} columns={[{ id: "n", header: "School", isPrimary: true, isRowHeader: true, cell: (r) => r.schoolName }, { id: "c", header: "Tickets", cell: (r) => r.count, className: "cell-number" }]} rowKey={(r) => r.schoolId} caption="Tickets by school" />
          </section>
          <section className="panel" aria-labelledby="hd-byweek">
            <h2 id="hd-byweek" className="panel__title">By week</h2>
            <DataTable rows={report.data.byWeek} columns={[{ id: "n", header: "Week", isPrimary: true, isRowHeader: true, cell: (r) => r.week }, { id: "c", header: "Tickets", cell: (r) => r.count, className: "cell-number" }]} rowKey={(r) => r.week} caption="Tickets by week" />
          </section>
          <section className="panel" aria-labelledby="hd-top">
            <h2 id="hd-top" className="panel__title">Problems that keep coming back</h2>
            <DataTable rows={report.data.topProblems} columns={[{ id: "n", header: "Problem", isPrimary: true, isRowHeader: true, cell: (r) => `${r.category} · ${r.schoolName}${r.location ? ` · ${r.location}` : ""}` }, { id: "c", header: "Tickets", cell: (r) => r.count, className: "cell-number" }]} rowKey={(r) => `${r.category}${r.schoolName}${r.location}`} caption="Recurring problems" empty={<p className="hd-muted">Nothing has come back twice.</p>} />
          </section>
        </div>
      ) : null}
    </div>
  );
}
