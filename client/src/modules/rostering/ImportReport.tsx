import { ROSTER_ENTITIES, type TRosterImport, type TRosterImportReport } from "../../../../shared/schemas/rostering.js";
import { Icon } from "../../components/Icon.js";
import { formatCount } from "../../lib/format.js";
import { DataTable, type Column } from "../../kits/DataTable.js";
import { rosteringApi } from "./api.js";

export const ENTITY_LABELS: Record<string, string> = {
  orgs: "Schools and orgs",
  academicSessions: "Terms and school years",
  courses: "Courses",
  classes: "Classes",
  people: "People",
  roles: "Role grants",
  enrollments: "Enrollments",
};

export const STATUS_LABELS: Record<TRosterImport["status"], string> = {
  running: "Running",
  applied: "Imported",
  dry_run: "Dry run",
  rejected: "Not imported",
  failed: "Failed",
  interrupted: "Interrupted",
};

const COLUMNS = ["created", "updated", "unchanged", "deactivated", "skipped", "rejected"] as const;

type CountRow = { key: string; label: string; counts: Partial<Record<string, number>> };

/** A kind of record, then a count per outcome (a zero dimmed, a rejection in red). */
function countColumns(wouldHave: boolean): Column<CountRow>[] {
  return [
    { id: "entity", header: wouldHave ? "Would be" : "Records", isRowHeader: true, cell: (row) => row.label },
    ...COLUMNS.map((c) => ({
      id: c,
      // Capitalised like every other column heading (and card label on a phone).
      header: `${c.charAt(0).toUpperCase()}${c.slice(1)}`,
      className: "cell-number",
      // A phone's card lists only what happened: "created 3", not five zeros.
      isEmpty: (row: CountRow) => !row.counts[c],
      cell: (row: CountRow) => {
        const n = row.counts[c] ?? 0;
        return <span className={n === 0 ? "cell-muted" : c === "rejected" ? "cell-danger" : undefined}>{n.toLocaleString()}</span>;
      },
    })),
  ];
}

/** What an import did (or, for a dry run or a refused import, would have done), and every issue found. */
export function ImportReport({ report }: { report: TRosterImportReport }) {
  const wouldHave = report.status !== "applied";
  const errors = report.issues.filter((i) => i.severity === "error");
  const skipped = Object.entries(report.skippedRoles);
  const counted = ROSTER_ENTITIES.filter((e) => Object.values(report.entities[e] ?? {}).some((n) => n > 0));
  return (
    <div className="roster-report">
      <p className={`roster-report__outcome roster-report__outcome--${report.status}`} role="status">
        <strong>{STATUS_LABELS[report.status]}.</strong> {outcomeText(report)}
      </p>
      {report.failure ? <p className="roster-report__failure">{report.failure}</p> : null}

      {counted.length > 0 ? (
        <DataTable
          className="roster-counts"
          caption={`${wouldHave ? "What the import would change" : "What the import changed"}, by kind of record`}
          isDense
          rows={counted.map((e) => ({ key: e, label: ENTITY_LABELS[e] ?? e, counts: report.entities[e] ?? {} }))}
          rowKey={(row) => row.key}
          columns={countColumns(wouldHave)}
        />
      ) : null}
      {skipped.length > 0 ? (
        <p className="section__description">
          Skipped because Coachwork does not keep these roles: {skipped.map(([role, n]) => skippedRoleText(role, n)).join(", ")}.
        </p>
      ) : null}

      <div className="section__header section__header--tight">
        <h3 className="section__title">
          {report.issues.length === 0 ? "No issues" : `${formatCount(report.errorCount, "error")}, ${formatCount(report.warningCount, "warning")}`}
        </h3>
        {report.issues.length > 0 ? (
          <a className="button" href={rosteringApi.reportCsvUrl(report.id)} download>
            <Icon name="download" size={16} />
            Download the report (CSV)
          </a>
        ) : null}
      </div>
      {report.issues.length > 0 ? (
        <div className="roster-issues">
          <DataTable
            rows={report.issues.slice(0, 500)}
            columns={ISSUE_COLUMNS}
            rowKey={(issue) => `${issue.file}:${issue.line ?? ""}:${issue.column ?? ""}:${issue.message}`}
            caption="Issues found in the files, by file and line"
            isDense
          />
          {report.issues.length > 500 || report.issuesOmitted > 0 ? (
            <p className="section__description">
              Showing the first 500 issues of {(report.issues.length + report.issuesOmitted).toLocaleString()}; the CSV has every kept one.
            </p>
          ) : null}
        </div>
      ) : null}
      {report.status === "rejected" && errors.length > 0 ? (
        <p className="section__description">
          {report.massDeactivation?.isAllowed === false
            ? "Nothing was written. Check that these are the right files: if the SIS really dropped these people or enrollments, import again with “Allow mass deactivation”."
            : report.isBlocked
            ? "Nothing was written. Fix the file named in the first error and import again; the files after it are checked once it can be read."
            : "Nothing was written. Fix the rows listed and import again — or import again with “Apply the valid rows” to import everything else now (the rows listed stay as they were)."}
        </p>
      ) : null}
    </div>
  );
}

type TIssue = TRosterImportReport["issues"][number];

const ISSUE_COLUMNS: Column<TIssue>[] = [
  {
    id: "severity",
    header: "Severity",
    cell: (issue) => <span className={`badge badge--${issue.severity === "error" ? "issue-error" : "issue-warning"}`}>{issue.severity}</span>,
  },
  { id: "file", header: "File", className: "cell-mono", cell: (issue) => issue.file },
  { id: "line", header: "Line", className: "cell-number cell-mono", cell: (issue) => issue.line ?? "—", isEmpty: (issue) => issue.line === null },
  { id: "column", header: "Column", className: "cell-mono", cell: (issue) => issue.column ?? "—", isEmpty: (issue) => issue.column === null },
  { id: "problem", header: "Problem", className: "roster-issues__problem", cell: (issue) => issue.message },
];

/** "2 parents", "1 enrollment as guardian": what a skipped OneRoster role means, in words. */
function skippedRoleText(role: string, n: number): string {
  const count = n.toLocaleString();
  if (role.startsWith("enrollment:")) return `${count} ${n === 1 ? "enrollment" : "enrollments"} as ${role.slice("enrollment:".length)}`;
  return `${count} ${n === 1 ? role : `${role}s`}`;
}

function outcomeText(r: TRosterImportReport): string {
  const c = r.counts;
  const summary = `${c.created.toLocaleString()} created, ${c.updated.toLocaleString()} updated, ${c.deactivated.toLocaleString()} deactivated, ${c.skipped.toLocaleString()} skipped, ${c.rejected.toLocaleString()} rejected`;
  switch (r.status) {
    case "applied":
      return c.rejected > 0
        ? `${summary}. The ${c.rejected === 1 ? "rejected row was" : `${c.rejected.toLocaleString()} rejected rows were`} left as before: see the errors below.`
        : summary + ".";
    case "dry_run":
      return `Nothing was written. The import would make these changes: ${summary}.`;
    case "rejected":
      if (r.massDeactivation?.isAllowed === false) {
        const m = r.massDeactivation;
        const parts = [
          m.people > 0 ? `${formatCount(m.people, "person", "people")} of ${m.activePeople.toLocaleString()} active` : null,
          m.enrollments > 0 ? `${formatCount(m.enrollments, "enrollment")} of ${m.activeEnrollments.toLocaleString()} active` : null,
        ].filter((p) => p !== null);
        return `The import would deactivate ${parts.join(" and ")}, so it stopped before writing anything.`;
      }
      if (r.isBlocked) return "A file could not be used, so nothing was written.";
      return `Some rows have errors, so nothing was written (it would have been: ${summary}).`;
    case "failed":
    case "interrupted":
      return "Nothing was changed.";
    case "running":
      return "The import is still running.";
  }
}
