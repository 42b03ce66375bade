import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useSearchParams } from "react-router-dom";
import type { TTicketSummary } from "../../../../shared/schemas/helpdesk.js";
import { asApiError } from "../../api/client.js";
import { EmptyState, FormAlert } from "../../components/Feedback.js";
import { useCursorStack } from "../../components/Pagination.js";
import { DataTable, type Column } from "../../kits/DataTable.js";
import { ListPage } from "../../kits/ListPage.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useMe } from "../../lib/session.js";
import { helpdeskApi, helpdeskKeys, helpdeskQueries } from "./api.js";
import { HelpdeskTabs, PriorityBadge, SlaFlag, StatusBadge, TicketLink, when } from "./shared.js";
import { LiveBadge, useLiveQueues } from "./useLiveQueues.js";

const PAGE_SIZE = 50;

/** Take buttons: atomic on the server, so a ticket someone else just took says who. */
export function TakeButton({ t, onError }: { t: TTicketSummary; onError: (e: unknown) => void }) {
  const queryClient = useQueryClient();
  const take = useMutation({
    mutationFn: () => helpdeskApi.take(t.id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: helpdeskKeys.all }),
    onError: (e) => {
      onError(e);
      void queryClient.invalidateQueries({ queryKey: helpdeskKeys.all });
    },
  });
  if (t.assigneeId) return <span className="hd-muted">{t.assigneeName}</span>;
  return (
    <button type="button" className="button button--small" disabled={take.isPending} onClick={() => take.mutate()} aria-label={`Take “${t.title}”`}>
      {take.isPending ? "Taking…" : "Take"}
    </button>
  );
}

/** A queue's tickets, oldest first, updating by themselves as tickets arrive and change. */
export function QueuePage() {
  useDocumentTitle("Help desk queue");
  const me = useMe();
  const live = useLiveQueues(me);
  const [params, setParams] = useSearchParams();
  const queues = useQuery(helpdeskQueries.queues());
  const queueId = params.get("queue") ?? queues.data?.items[0]?.id ?? "";
  const status = params.get("status") ?? "open";
  const mine = params.get("mine") === "1";
  const pages = useCursorStack(`${queueId}:${status}:${mine}`);
  const query = useQuery({
    ...helpdeskQueries.list({ queueId, status, ...(mine ? { mine: "assigned" as const } : {}), limit: PAGE_SIZE, cursor: pages.cursor }),
    enabled: queueId !== "",
    placeholderData: keepPreviousData,
  });
  const [error, setError] = useState<unknown>(null);
  const set = (name: string, value: string, dflt: string) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (value === dflt) next.delete(name);
      else next.set(name, value);
      return next;
    });
  const columns: Column<TTicketSummary>[] = [
    { id: "title", header: "Problem", isPrimary: true, cell: (t) => (<><TicketLink t={t} /> <PriorityBadge priority={t.priority} /></>), sortValue: (t) => t.title },
    { id: "requester", header: "For", cell: (t) => t.requesterName, sortValue: (t) => t.requesterName },
    { id: "where", header: "Where", cell: (t) => [t.schoolName, t.location].filter(Boolean).join(" · ") },
    { id: "status", header: "Status", cell: (t) => (<><StatusBadge status={t.status} /> <SlaFlag t={t} /></>), sortValue: (t) => t.status },
    { id: "filed", header: "Waiting since", cell: (t) => when(t.createdAt), sortValue: (t) => t.createdAt },
    { id: "who", header: "Taken by", cell: (t) => <TakeButton t={t} onError={setError} /> },
  ];
  return (
    <ListPage
      title="Queue"
      description="First come, first served. Take a ticket to work on it; new tickets appear here without reloading."
      actions={<LiveBadge state={live} />}
      tabs={<HelpdeskTabs me={me} />}
      filtersLabel="Queue filters"
      filters={
        <>
          <label className="field field--inline hd-queue-pick">
            <span className="field__label">Queue</span>
            <select className="select" value={queueId} onChange={(e) => set("queue", e.target.value, queues.data?.items[0]?.id ?? "")}>
              {(queues.data?.items ?? []).map((q) => (
                <option key={q.id} value={q.id}>
                  {q.name}{q.status === "retired" ? ", retired" : ""} ({q.openCount.toLocaleString("en-US")}{q.openCountIsCapped ? "+" : ""} open)
                </option>
              ))}
            </select>
          </label>
          <label className="field field--inline">
            <span className="field__label">Show</span>
            <select className="select" value={status} onChange={(e) => set("status", e.target.value, "open")}>
              <option value="open">Open</option>
              <option value="new">New</option>
              <option value="in_progress">In progress</option>
              <option value="waiting">Waiting on requester</option>
              <option value="escalated">Escalated</option>
              <option value="done">Resolved and closed</option>
              <option value="all">All</option>
            </select>
          </label>
          <label className="checkbox hd-filter-check">
            <input type="checkbox" checked={mine} onChange={(e) => set("mine", e.target.checked ? "1" : "", "")} />
            Only mine
          </label>
        </>
      }
      beforeList={error ? <FormAlert error={asApiError(error)} /> : null}
      query={query}
      pages={pages}
      pageSize={PAGE_SIZE}
      noun="tickets"
      loadingLabel="Loading the queue…"
      count={(n, atLeast) => `${n.toLocaleString()}${atLeast ? "+" : ""} ticket${n === 1 ? "" : "s"}`}
      empty={<EmptyState title="Nothing waiting">New tickets show up here as they arrive.</EmptyState>}
    >
      {(list) => <DataTable rows={list.items} columns={columns} rowKey={(t) => t.id} caption="Tickets in the queue" />}
    </ListPage>
  );
}
