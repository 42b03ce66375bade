import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useSearchParams } from "react-router-dom";
import { API_BASE, asApiError, toQueryString } from "../../api/client.js";
import { EmptyState, ErrorState, FormAlert, Notice, PageHeader, Spinner } from "../../components/Feedback.js";
import { Icon } from "../../components/Icon.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useMe } from "../../lib/session.js";
import { helpdeskApi, helpdeskKeys, helpdeskQueries } from "./api.js";
import { HelpdeskTabs } from "./shared.js";

/**
 * Every open escalated problem, by department or contractor, then school and room: what the people
 * who did it wrong come back to fix. Items are ticked off in bulk; each requester is told by email.
 */
export function PunchListPage() {
  useDocumentTitle("Punch list");
  const me = useMe();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const departmentId = params.get("department") ?? "";
  const filter = departmentId ? { departmentId } : {};
  const list = useQuery(helpdeskQueries.punch(filter));
  const departments = useQuery({ ...helpdeskQueries.departments(), retry: false });
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [note, setNote] = useState("");
  const [result, setResult] = useState<string | null>(null);
  const fixed = useMutation({
    mutationFn: () => helpdeskApi.markFixed([...picked], note),
    onSuccess: (r) => {
      setResult(`${r.fixed} item${r.fixed === 1 ? "" : "s"} marked fixed; ${r.notified} requester${r.notified === 1 ? "" : "s"} told by email.`);
      setPicked(new Set());
      setNote("");
      void queryClient.invalidateQueries({ queryKey: helpdeskKeys.all });
    },
  });
  const toggle = (id: string) =>
    setPicked((p) => {
      const next = new Set(p);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const q = toQueryString(filter);
  return (
    <div className="hd-punch">
      <PageHeader
        title="Punch list"
        description="Every open problem escalated to a department or contractor, by school and room. Print it for the walk-through, or tick items off as they are fixed."
        actions={
          <>
            <a className="button" href={`${API_BASE}/helpdesk/punch-list${q}${q ? "&" : "?"}format=csv`}>
              <Icon name="download" size={16} /> CSV
            </a>
            <a className="button" href={`${API_BASE}/helpdesk/punch-list${q}${q ? "&" : "?"}format=pdf`} target="_blank" rel="noreferrer">
              <Icon name="download" size={16} /> Printable PDF
            </a>
          </>
        }
      />
      <HelpdeskTabs me={me} />
      {departments.data ? (
        <div className="filters" role="search" aria-label="Punch list filters">
          <label className="field field--inline">
            <span className="field__label">Department or contractor</span>
            <select className="select" value={departmentId} onChange={(e) => setParams(e.target.value ? { department: e.target.value } : {})}>
              <option value="">All</option>
              {departments.data.items.map((d) => (
                <option key={d.id} value={d.id}>{d.name}</option>
              ))}
            </select>
          </label>
        </div>
      ) : null}
      {result ? <Notice tone="success">{result}</Notice> : null}
      {fixed.error ? <FormAlert error={asApiError(fixed.error)} /> : null}
      {list.error ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : !list.data ? <Spinner label="Loading the punch list…" /> : list.data.total === 0 ? (
        <EmptyState title="Nothing open">Every escalated problem is fixed.</EmptyState>
      ) : (
        <>
          <p className="list-meta">{list.data.total} open item{list.data.total === 1 ? "" : "s"}</p>
          {list.data.groups.map((g) => (
            <section key={g.departmentId} className="panel hd-punch__dept" aria-labelledby={`dept-${g.departmentId}`}>
              <h2 id={`dept-${g.departmentId}`} className="panel__title">
                {g.departmentName} {g.kind === "contractor" ? <span className="badge">Contractor</span> : null}
              </h2>
              {g.schools.map((s) => (
                <div key={s.schoolId} className="hd-punch__school">
                  <h3 className="hd-subtitle">{s.schoolName}</h3>
                  {s.rooms.map((r) => (
                    <fieldset key={r.location} className="hd-punch__room">
                      <legend>{r.location || "No room given"}</legend>
                      <ul>
                        {r.items.map((i) => (
                          <li key={i.ticketId}>
                            <label className="checkbox">
                              <input type="checkbox" checked={picked.has(i.ticketId)} onChange={() => toggle(i.ticketId)} />
                              <span>
                                <strong>{i.title}</strong>
                                {i.dueOn ? <span className={i.isOverdue ? "hd-sla" : "hd-muted"}> · due {i.dueOn}{i.isOverdue ? " (overdue)" : ""}</span> : null}
                                {i.description && i.description !== i.title ? <span className="hd-punch__desc">{i.description}</span> : null}
                                {i.escalationNote ? (
                                  <span className="hd-punch__note">
                                    <span className="hd-punch__note-label">Escalation note: </span>
                                    {i.escalationNote}
                                  </span>
                                ) : null}
                              </span>
                            </label>
                          </li>
                        ))}
                      </ul>
                    </fieldset>
                  ))}
                </div>
              ))}
            </section>
          ))}
          <section className="panel hd-punch__bar" aria-label="Mark fixed">
            <label className="field">
              <span className="field__label">Note to the requesters (optional)</span>
              <input className="input" value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} placeholder="e.g. Replaced the projector bulb" />
            </label>
            <button type="button" className="button button--primary" disabled={picked.size === 0 || fixed.isPending} onClick={() => fixed.mutate()}>
              {fixed.isPending ? "Saving…" : `Mark ${picked.size || ""} fixed`}
            </button>
          </section>
        </>
      )}
    </div>
  );
}
