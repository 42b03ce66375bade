import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import { canObserve } from "../../../../shared/policy/observations.js";
import { OBSERVATION_STATUS_LABELS, type TObservation } from "../../../../shared/schemas/observations.js";
import { EmptyState } from "../../components/Feedback.js";
import { Icon } from "../../components/Icon.js";
import { useCursorStack } from "../../components/Pagination.js";
import { DataTable, type Column } from "../../kits/DataTable.js";
import { ListPage } from "../../kits/ListPage.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useMe } from "../../lib/session.js";
import { observationQueries } from "./api.js";
import { DeviceQueue } from "./DeviceQueue.js";

const PAGE_SIZE = 50;

const observed = (o: TObservation) => Object.values(o.levels).filter((v) => v !== null).length;

const COLUMNS: Column<TObservation>[] = [
  {
    id: "teacher",
    header: "Teacher",
    isPrimary: true,
    cell: (o) => <Link to={`/observations/${encodeURIComponent(o.id)}`}>{o.teacher.name}</Link>,
    sortValue: (o) => o.teacher.name,
  },
  { id: "date", header: "Date", cell: (o) => o.date, sortValue: (o) => o.date },
  { id: "school", header: "School", cell: (o) => o.school.name, sortValue: (o) => o.school.name },
  { id: "subject", header: "Subject", cell: (o) => o.subject || "—", isEmpty: (o) => !o.subject },
  { id: "observer", header: "Observer", cell: (o) => o.observer.name },
  { id: "observed", header: "Observed", cell: (o) => `${observed(o)} of ${Object.keys(o.levels).length}`, className: "cell-number" },
  {
    id: "status",
    header: "Status",
    cell: (o) => <span className={`obs-status obs-status--${o.status}`}>{OBSERVATION_STATUS_LABELS[o.status]}</span>,
    sortValue: (o) => o.status,
  },
];

/** Observations the person may see, newest lesson first, with what waits on this device above them. */
export function ObservationsPage() {
  useDocumentTitle("Observations");
  const me = useMe();
  const pages = useCursorStack("all");
  const query = useQuery({ ...observationQueries.list({ limit: PAGE_SIZE, cursor: pages.cursor }), placeholderData: keepPreviousData });
  const isObserver = canObserve(me.person);
  return (
    <ListPage
      title="Observations"
      description={
        isObserver
          ? "Classroom observations on the Technology Integration Matrix. The form works offline: observations wait on this device and sync when the network is back."
          : "Observations shared with you, with the feedback and the matrix."
      }
      actions={
        <>
          {/* Roll-ups (a teacher's own, a school's, the district's): observations/reports/. */}
          <Link className="button" to="/observations/reports">
            Reports
          </Link>
          {isObserver ? (
            <Link className="button button--primary" to="/observations/new">
              <Icon name="plus" size={16} />
              New observation
            </Link>
          ) : null}
        </>
      }
      beforeList={<DeviceQueue />}
      query={query}
      pages={pages}
      pageSize={PAGE_SIZE}
      noun="observations"
      loadingLabel="Loading observations…"
      count={(n) => `${n} observation${n === 1 ? "" : "s"}`}
      empty={
        <EmptyState title="No observations yet">
          {isObserver ? "Observations you make, and those submitted at your schools, show here." : "Observations shared with you show here."}
        </EmptyState>
      }
    >
      {(list) => <DataTable rows={list.items} columns={COLUMNS} rowKey={(o) => o.id} caption="Observations" />}
    </ListPage>
  );
}
