import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import type { TOverdueLoan } from "../../../../shared/schemas/devices.js";
import { asApiError } from "../../api/client.js";
import { ErrorState, Notice, PageHeader, Spinner } from "../../components/Feedback.js";
import { DataTable, type Column } from "../../kits/DataTable.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { deviceQueries } from "./api.js";
import { DevicesNav } from "./DevicesNav.js";
import { day } from "./labels.js";

const columns: Column<TOverdueLoan>[] = [
  { id: "tag", header: "Asset tag", isPrimary: true, className: "cell-mono", cell: (l) => <Link className="strong-link" to={`/devices/assets/${l.asset.id}`}>{l.asset.tag}</Link>, sortValue: (l) => l.asset.tag },
  { id: "model", header: "Model", cell: (l) => l.asset.modelName, sortValue: (l) => l.asset.modelName },
  { id: "who", header: "Borrower", cell: (l) => l.personName, sortValue: (l) => l.personName },
  { id: "due", header: "Due", className: "cell-nowrap", cell: (l) => day(l.dueOn), sortValue: (l) => l.dueOn },
  { id: "late", header: "Days overdue", className: "cell-nowrap", cell: (l) => l.daysOverdue.toLocaleString(), sortValue: (l) => l.daysOverdue },
];

/** Loaners past their due date at the caller's schools, one table per school, with the CSV to chase them. */
export function OverdueLoansPage() {
  useDocumentTitle("Overdue loans");
  const loans = useQuery(deviceQueries.overdueLoans());
  const bySchool = new Map<string, TOverdueLoan[]>();
  for (const l of loans.data?.items ?? []) {
    const key = l.schoolName ?? "District stock";
    bySchool.set(key, [...(bySchool.get(key) ?? []), l]);
  }
  return (
    <>
      <PageHeader
        title="Overdue loans"
        description="Loaners still out after their due date, by school, longest overdue first."
        actions={<a className="button button--ghost" href="/api/v1/devices/loans/overdue.csv">Export CSV</a>}
      />
      <DevicesNav />
      {loans.error ? (
        <ErrorState error={asApiError(loans.error)} onRetry={() => void loans.refetch()} />
      ) : !loans.data ? (
        <Spinner label="Loading overdue loans…" />
      ) : loans.data.items.length === 0 ? (
        <Notice tone="success">No loaner is overdue at your schools.</Notice>
      ) : (
        <>
          <p className="list-meta">
            {loans.data.items.length.toLocaleString()}
            {loans.data.totalIsCapped ? "+" : ""} overdue {loans.data.items.length === 1 ? "loan" : "loans"} at {bySchool.size} {bySchool.size === 1 ? "school" : "schools"}
          </p>
          {[...bySchool].sort(([a], [b]) => a.localeCompare(b)).map(([school, items]) => (
            <DataTable key={school} rows={items} columns={columns} rowKey={(l) => l.asset.id} caption={`${school} (${items.length})`} isCaptionShown />
          ))}
        </>
      )}
    </>
  );
}
