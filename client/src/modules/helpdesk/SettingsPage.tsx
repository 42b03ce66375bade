import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { PRIORITIES, PRIORITY_LABELS, type THelpdeskSettings, type TQueue, type TQueueSetting, type TSlaTarget } from "../../../../shared/schemas/helpdesk.js";
import { asApiError, http } from "../../api/client.js";
import { ErrorState, FormAlert, Notice, PageHeader, Spinner } from "../../components/Feedback.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useMe } from "../../lib/session.js";
import { helpdeskApi, helpdeskKeys, helpdeskQueries } from "./api.js";
import { settingsErrorMessage } from "./settingsIssues.js";
import { HelpdeskTabs, deskRole } from "./shared.js";

/**
 * District admins: the help desk's categories, its queues (added, renamed, ordered, retired), its
 * response and resolution targets per category × priority, and who is on each queue. New tickets use the targets; filed ones keep their due times.
 */
export function SettingsPage() {
  useDocumentTitle("Help desk settings");
  const me = useMe();
  const settings = useQuery({ ...helpdeskQueries.settings(), enabled: deskRole(me).isAdmin });
  if (!deskRole(me).isAdmin) {
    return (
      <div>
        <PageHeader title="Help desk settings" />
        <HelpdeskTabs me={me} />
        <Notice>Only district admins change the help desk's settings.</Notice>
      </div>
    );
  }
  return (
    <div className="hd-settings">
      <PageHeader title="Help desk settings" description="Categories people file under, the queues tickets wait in, how soon each kind of ticket needs an answer and a fix, and who is on each queue." />
      <HelpdeskTabs me={me} />
      {settings.error ? <ErrorState error={settings.error} onRetry={() => void settings.refetch()} /> : !settings.data ? <Spinner label="Loading the settings…" /> : (
        <>
          <Categories settings={settings.data} />
          <Queues settings={settings.data} />
          <SlaTargets key={JSON.stringify(settings.data.sla)} settings={settings.data} />
          <QueueMembers />
        </>
      )}
    </div>
  );
}

/** An API error in words: the Settings tab's forms have no highlighted fields to point at. */
function SettingsAlert({ error, label = () => null }: { error: unknown; label?: (field: string) => string | null }) {
  return <FormAlert error={error ? settingsErrorMessage(asApiError(error), label) : null} />;
}

function useSaved() {
  const queryClient = useQueryClient();
  return (data?: THelpdeskSettings) => {
    if (data) queryClient.setQueryData(helpdeskKeys.ref("settings"), data);
    void queryClient.invalidateQueries({ queryKey: helpdeskKeys.all });
  };
}

function Categories({ settings }: { settings: THelpdeskSettings }) {
  const saved = useSaved();
  const [name, setName] = useState("");
  const [names, setNames] = useState<Record<string, string>>({});
  const add = useMutation({ mutationFn: () => helpdeskApi.addCategory(name.trim()), onSuccess: (d) => (setName(""), saved(d)) });
  const update = useMutation({ mutationFn: (v: { id: string; body: { name?: string; status?: "active" | "retired" } }) => helpdeskApi.updateCategory(v.id, v.body), onSuccess: (d) => saved(d) });
  return (
    <section className="panel" aria-labelledby="hd-cats">
      <h2 id="hd-cats" className="panel__title">Categories</h2>
      <p className="list-meta">A retired category is no longer offered; tickets filed under it keep it.</p>
      <SettingsAlert error={update.error} label={(f) => (f === "name" ? "Name" : null)} />
      <div className="table-wrap">
        <table className="table table--dense">
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
          </thead>
          <tbody>
            {settings.categories.map((c) => {
              const draft = names[c.id] ?? c.name;
              return (
                <tr key={c.id}>
                  <td>
                    <input className="input" aria-label={`Name of ${c.name}`} value={draft} maxLength={80} onChange={(e) => setNames({ ...names, [c.id]: e.target.value })} />
                  </td>
                  <td>{c.status === "active" ? "Offered" : "Retired"}</td>
                  <td className="hd-settings__actions">
                    {draft.trim() !== c.name ? (
                      <button type="button" className="button button--primary" disabled={update.isPending || !draft.trim()} onClick={() => update.mutate({ id: c.id, body: { name: draft.trim() } })}>Rename</button>
                    ) : null}
                    <button type="button" className="button" disabled={update.isPending} onClick={() => update.mutate({ id: c.id, body: { status: c.status === "active" ? "retired" : "active" } })}>
                      {c.status === "active" ? "Retire" : "Offer again"}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <form className="hd-settings__add" onSubmit={(e) => (e.preventDefault(), add.mutate())}>
        <label className="field field--inline">
          <span className="field__label">New category</span>
          <input className="input" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} placeholder="Printer or scanner" />
        </label>
        <button type="submit" className="button button--primary" disabled={add.isPending || !name.trim()}>Add category</button>
      </form>
      <SettingsAlert error={add.error} label={(f) => (f === "name" ? "New category" : null)} />
    </section>
  );
}

const AUDIENCES = [
  { value: "student", label: "Students (student assistants work it)" },
  { value: "staff", label: "Staff" },
  { value: "district", label: "District" },
] as const;
const AUDIENCE_SHORT = { student: "Students", staff: "Staff", district: "District" } as const;
type Audience = (typeof AUDIENCES)[number]["value"];

/**
 * The queues: new tickets go to the first active queue of their audience (students' to a student
 * queue, everyone else's to a staff queue), so the order matters. Retiring a queue with open tickets
 * moves them to another active queue of the same audience, chosen here.
 */
function Queues({ settings }: { settings: THelpdeskSettings }) {
  const saved = useSaved();
  const [name, setName] = useState("");
  const [audience, setAudience] = useState<Audience>("staff");
  const [names, setNames] = useState<Record<string, string>>({});
  const [retiring, setRetiring] = useState<{ id: string; moveTo: string } | null>(null);
  const queues = settings.queues;
  const add = useMutation({ mutationFn: () => helpdeskApi.addQueue({ name: name.trim(), audience }), onSuccess: (d) => (setName(""), saved(d)) });
  const update = useMutation({
    mutationFn: (v: { id: string; body: { name?: string; status?: "active" | "retired"; moveToQueueId?: string } }) => helpdeskApi.updateQueue(v.id, v.body),
    onSuccess: (d) => (setRetiring(null), saved(d)),
  });
  // Moving a queue up renumbers the list 0…n with the two swapped (only rows whose place changes are sent).
  const move = useMutation({
    mutationFn: async (index: number) => {
      const order = [...queues];
      const [a, b] = [order[index - 1], order[index]];
      if (!a || !b) return undefined;
      order[index - 1] = b;
      order[index] = a;
      let last: THelpdeskSettings | undefined;
      for (const [i, q] of order.entries()) if (q.sortOrder !== i) last = await helpdeskApi.updateQueue(q.id, { sortOrder: i });
      return last;
    },
    onSuccess: (d) => saved(d),
  });
  const targetsFor = (q: TQueueSetting) => queues.filter((x) => x.id !== q.id && x.status === "active" && x.audience === q.audience);
  const busy = update.isPending || move.isPending;
  return (
    <section className="panel" aria-labelledby="hd-queues">
      <h2 id="hd-queues" className="panel__title">Queues</h2>
      <p className="list-meta">New tickets go to the first active queue of their audience: students' to a student queue, everyone else's to a staff queue. A retired queue takes no new tickets; its open tickets move to a queue you choose.</p>
      <SettingsAlert error={update.error ?? move.error} label={(f) => (f === "name" ? "Name" : f === "moveToQueueId" ? "Move its open tickets to" : null)} />
      <div className="table-wrap">
        <table className="table table--dense hd-settings__queues">
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Audience</th><th scope="col">Open</th><th scope="col">Status</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
          </thead>
          <tbody>
            {queues.map((q, i) => {
              const draft = names[q.id] ?? q.name;
              const targets = targetsFor(q);
              const open = q.openCountIsCapped ? `${q.openCount.toLocaleString()}+` : q.openCount.toLocaleString();
              return (
                <tr key={q.id}>
                  <td>
                    <input className="input" aria-label={`Name of ${q.name}`} value={draft} maxLength={80} onChange={(e) => setNames({ ...names, [q.id]: e.target.value })} />
                  </td>
                  <td data-label="For">{AUDIENCE_SHORT[q.audience]}</td>
                  <td data-label="Open">{open}</td>
                  <td data-label="Status">{q.status === "active" ? "Active" : "Retired"}</td>
                  <td>
                    <div className="hd-settings__actions">
                      {draft.trim() !== q.name ? (
                        <button type="button" className="button button--primary" disabled={busy || !draft.trim()} onClick={() => update.mutate({ id: q.id, body: { name: draft.trim() } })}>Rename</button>
                      ) : null}
                      {i > 0 ? (
                        <button type="button" className="button" disabled={busy} onClick={() => move.mutate(i)}>
                          Move up<span className="visually-hidden"> {q.name}</span>
                        </button>
                      ) : null}
                      {q.status === "active" ? (
                        q.openCount > 0 ? (
                          <button type="button" className="button" disabled={busy} aria-expanded={retiring?.id === q.id} onClick={() => setRetiring(retiring?.id === q.id ? null : { id: q.id, moveTo: targets[0]?.id ?? "" })}>
                            Retire…<span className="visually-hidden"> {q.name}</span>
                          </button>
                        ) : (
                          <button type="button" className="button" disabled={busy} onClick={() => update.mutate({ id: q.id, body: { status: "retired" } })}>
                            Retire<span className="visually-hidden"> {q.name}</span>
                          </button>
                        )
                      ) : (
                        <button type="button" className="button" disabled={busy} onClick={() => update.mutate({ id: q.id, body: { status: "active" } })}>
                          Reactivate<span className="visually-hidden"> {q.name}</span>
                        </button>
                      )}
                      {q.status === "retired" && q.openCount > 0 && retiring?.id !== q.id ? (
                        <button type="button" className="button" disabled={busy} onClick={() => setRetiring({ id: q.id, moveTo: targets[0]?.id ?? "" })}>Move its tickets…</button>
                      ) : null}
                    </div>
                    {retiring?.id === q.id ? (
                      <form className="hd-settings__add" onSubmit={(e) => (e.preventDefault(), update.mutate({ id: q.id, body: { status: "retired", moveToQueueId: retiring.moveTo } }))}>
                        {targets.length === 0 ? (
                          <p className="list-meta">No other active {AUDIENCE_SHORT[q.audience].toLowerCase()} queue to move its {open} open ticket{q.openCount === 1 ? "" : "s"} to: add one first.</p>
                        ) : (
                          <>
                            <label className="field field--inline">
                              <span className="field__label">Move its {open} open ticket{q.openCount === 1 ? "" : "s"} to</span>
                              <select className="select" value={retiring.moveTo} onChange={(e) => setRetiring({ id: q.id, moveTo: e.target.value })}>
                                {targets.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
                              </select>
                            </label>
                            <button type="submit" className="button button--primary" disabled={busy || !retiring.moveTo}>Retire and move</button>
                          </>
                        )}
                        <button type="button" className="button" onClick={() => setRetiring(null)}>Cancel</button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <form className="hd-settings__add" onSubmit={(e) => (e.preventDefault(), add.mutate())}>
        <label className="field field--inline">
          <span className="field__label">New queue</span>
          <input className="input" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} placeholder="Library help desk" />
        </label>
        <label className="field field--inline">
          <span className="field__label">For</span>
          <select className="select" value={audience} onChange={(e) => setAudience(e.target.value as Audience)}>
            {AUDIENCES.map((a) => <option key={a.value} value={a.value}>{a.label}</option>)}
          </select>
        </label>
        <button type="submit" className="button button--primary" disabled={add.isPending || !name.trim()}>Add queue</button>
      </form>
      <SettingsAlert error={add.error} label={(f) => (f === "name" ? "New queue" : f === "audience" ? "For" : null)} />
    </section>
  );
}

const hours = (minutes: number) => String(Math.round((minutes / 60) * 100) / 100);

function SlaTargets({ settings }: { settings: THelpdeskSettings }) {
  const saved = useSaved();
  const active = settings.categories.filter((c) => c.status === "active");
  const [draft, setDraft] = useState<Record<string, { response: string; resolution: string }>>(() =>
    Object.fromEntries(settings.sla.map((t) => [`${t.categoryId}:${t.priority}`, { response: hours(t.responseMinutes), resolution: hours(t.resolutionMinutes) }])),
  );
  const [done, setDone] = useState(false);
  const targets = (): TSlaTarget[] =>
    settings.sla.map((t) => {
      const d = draft[`${t.categoryId}:${t.priority}`];
      return { ...t, responseMinutes: Math.round(Number(d?.response ?? 0) * 60), resolutionMinutes: Math.round(Number(d?.resolution ?? 0) * 60) };
    });
  // "targets.3.resolutionMinutes" → "Won't charge, Normal": the row the server refused, by the order sent.
  const targetLabel = (field: string) => {
    const match = /^targets\.(\d+)/.exec(field);
    const t = match ? settings.sla[Number(match[1])] : undefined;
    const category = t ? settings.categories.find((c) => c.id === t.categoryId) : undefined;
    return t && category ? `${category.name}, ${PRIORITY_LABELS[t.priority]}` : null;
  };
  const save = useMutation({ mutationFn: () => helpdeskApi.setSla(targets()), onSuccess: (d) => (setDone(true), saved(d)) });
  const cell = (key: string, which: "response" | "resolution", label: string) => (
    <input
      className="input hd-settings__hours"
      type="number"
      min={0.25}
      step={0.25}
      inputMode="decimal"
      aria-label={label}
      value={draft[key]?.[which] ?? ""}
      onChange={(e) => (setDone(false), setDraft({ ...draft, [key]: { response: draft[key]?.response ?? "", resolution: draft[key]?.resolution ?? "", [which]: e.target.value } }))}
    />
  );
  return (
    <section className="panel" aria-labelledby="hd-sla">
      <h2 id="hd-sla" className="panel__title">Response and resolution targets</h2>
      <p className="list-meta">Hours to a first response / to resolution, by category and priority. New tickets use them; tickets already filed keep their due times.</p>
      <div className="table-wrap">
        <table className="table table--dense hd-settings__sla">
          <thead>
            <tr>
              <th scope="col">Category</th>
              {PRIORITIES.map((p) => <th key={p} scope="col">{PRIORITY_LABELS[p]}</th>)}
            </tr>
          </thead>
          <tbody>
            {active.map((c) => (
              <tr key={c.id}>
                <th scope="row">{c.name}</th>
                {PRIORITIES.map((p) => (
                  <td key={p}>
                    <span className="hd-settings__pair">
                      {cell(`${c.id}:${p}`, "response", `${c.name}, ${PRIORITY_LABELS[p]}: hours to a first response`)}
                      <span aria-hidden="true">/</span>
                      {cell(`${c.id}:${p}`, "resolution", `${c.name}, ${PRIORITY_LABELS[p]}: hours to resolution`)}
                    </span>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <SettingsAlert error={save.error} label={targetLabel} />
      {done ? <Notice tone="success">Targets saved. New tickets use them.</Notice> : null}
      <button type="button" className="button button--primary" disabled={save.isPending} onClick={() => save.mutate()}>Save targets</button>
    </section>
  );
}

type PersonHit = { id: string; givenName: string; familyName: string; email: string | null };

function QueueMembers() {
  const queryClient = useQueryClient();
  const queues = useQuery(helpdeskQueries.queues());
  const [search, setSearch] = useState<Record<string, string>>({});
  const [hits, setHits] = useState<Record<string, PersonHit[]>>({});
  const set = useMutation({
    mutationFn: (v: { queue: TQueue; personIds: string[] }) => helpdeskApi.setMembers(v.queue.id, v.personIds),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: helpdeskKeys.all }),
  });
  const [findError, setFindError] = useState<unknown>(null);
  const find = async (queueId: string) => {
    const q = (search[queueId] ?? "").trim();
    if (!q) return;
    setFindError(null);
    try {
      const found = await http.get<{ items: PersonHit[] }>("/people", { query: { q, limit: 8 } });
      setHits({ ...hits, [queueId]: found.items });
    } catch (err) {
      setFindError(err);
    }
  };
  const clearHits = (queueId: string) => setHits(Object.fromEntries(Object.entries(hits).filter(([k]) => k !== queueId)));
  if (queues.error) return <ErrorState error={queues.error} />;
  if (!queues.data) return <Spinner label="Loading the queues…" />;
  return (
    <section className="panel" aria-labelledby="hd-members">
      <h2 id="hd-members" className="panel__title">Queue members</h2>
      <p className="list-meta">Shown on the queue page. Who may work a ticket still follows role and school: IT staff and coaches at their schools, student assistants in the student help desk.</p>
      <SettingsAlert error={set.error ?? findError} />
      {queues.data.items.map((q) => (
        <div key={q.id} className="hd-settings__queue">
          <h3>{q.name}</h3>
          {q.members.length === 0 ? <p className="list-meta">No members yet.</p> : (
            <ul className="hd-settings__members">
              {q.members.map((m) => (
                <li key={m.id}>
                  {m.name}{" "}
                  <button type="button" className="button button--small" disabled={set.isPending} onClick={() => set.mutate({ queue: q, personIds: q.members.filter((x) => x.id !== m.id).map((x) => x.id) })}>
                    Remove<span className="visually-hidden"> {m.name} from {q.name}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <form className="hd-settings__add" onSubmit={(e) => (e.preventDefault(), void find(q.id))}>
            <label className="field field--inline">
              <span className="field__label">Add to {q.name}</span>
              <input className="input" value={search[q.id] ?? ""} onChange={(e) => setSearch({ ...search, [q.id]: e.target.value })} placeholder="Name or email" />
            </label>
            <button type="submit" className="button">Find</button>
          </form>
          {(hits[q.id] ?? []).length ? (
            <ul className="hd-settings__members">
              {(hits[q.id] ?? []).filter((p) => !q.members.some((m) => m.id === p.id)).map((p) => (
                <li key={p.id}>
                  {p.givenName} {p.familyName} {p.email ? <span className="list-meta">{p.email}</span> : null}{" "}
                  <button type="button" className="button button--small" disabled={set.isPending} onClick={() => (set.mutate({ queue: q, personIds: [...q.members.map((m) => m.id), p.id] }), clearHits(q.id))}>
                    Add<span className="visually-hidden"> {p.givenName} {p.familyName}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : hits[q.id] ? (
            // A search that found no one says so: an unchanged form looked like a button that did nothing.
            <p className="list-meta">No one found for “{(search[q.id] ?? "").trim()}”. Try part of a name or an email address.</p>
          ) : null}
        </div>
      ))}
    </section>
  );
}
