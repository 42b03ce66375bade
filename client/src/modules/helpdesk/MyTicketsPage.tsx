import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import type { TTicketSummary } from "../../../../shared/schemas/helpdesk.js";
import { EmptyState } from "../../components/Feedback.js";
import { Icon } from "../../components/Icon.js";
import { useCursorStack } from "../../components/Pagination.js";
import { DataTable, type Column } from "../../kits/DataTable.js";
import { ListPage } from "../../kits/ListPage.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useMe } from "../../lib/session.js";
import { helpdeskQueries } from "./api.js";
import { HelpdeskTabs, SlaFlag, StatusBadge, TicketLink, when } from "./shared.js";

const PAGE_SIZE = 50;
const COLUMNS: Column<TTicketSummary>[] = [
  { id: "title", header: "Problem", isPrimary: true, cell: (t) => <TicketLink t={t} />, sortValue: (t) => t.title },
  { id: "status", header: "Status", cell: (t) => (<><StatusBadge status={t.status} /> <SlaFlag t={t} /></>), sortValue: (t) => t.status },
  { id: "school", header: "School", cell: (t) => t.schoolName },
  { id: "who", header: "Helping you", cell: (t) => t.assigneeName ?? "Not yet taken", isEmpty: (t) => !t.assigneeName },
  { id: "filed", header: "Filed", cell: (t) => when(t.createdAt), sortValue: (t) => t.createdAt },
];

/** The person's own tickets (filed by them, or for them at the kiosk), oldest first. */
export function MyTicketsPage() {
  useDocumentTitle("Help desk");
  const me = useMe();
  const pages = useCursorStack("mine");
  const query = useQuery({ ...helpdeskQueries.list({ mine: "requested", status: "all", limit: PAGE_SIZE, cursor: pages.cursor }), placeholderData: keepPreviousData });
  return (
    <ListPage
      title="Help desk"
      description="Ask for help with a device, an app or a connection. You can follow each request here, answer questions and rate the help when it is fixed."
      actions={
        <Link className="button button--primary" to="/helpdesk/new">
          <Icon name="plus" size={16} />
          Ask for help
        </Link>
      }
      tabs={<HelpdeskTabs me={me} />}
      query={query}
      pages={pages}
      pageSize={PAGE_SIZE}
      noun="tickets"
      loadingLabel="Loading your tickets…"
      count={(n) => `${n} ticket${n === 1 ? "" : "s"}`}
      empty={<EmptyState title="No tickets yet">When something does not work, choose “Ask for help”.</EmptyState>}
    >
      {(list) => <DataTable rows={list.items} columns={COLUMNS} rowKey={(t) => t.id} caption="Your tickets" />}
    </ListPage>
  );
}
