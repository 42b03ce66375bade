import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { Link, useParams } from "react-router-dom";
import { CONDITIONS, CONDITION_LABELS, type TAssetDetail } from "../../../../shared/schemas/devices.js";
import type { TList } from "../../../../shared/schemas/common.js";
import { TICKET_STATUS_LABELS, type TicketStatus } from "../../../../shared/schemas/helpdesk.js";
import type { TPerson } from "../../../../shared/schemas/people.js";
import { asApiError, http } from "../../api/client.js";
import { ErrorState, FormAlert, PageHeader, Spinner } from "../../components/Feedback.js";
import { SelectField, TextField } from "../../components/Field.js";
import { useDebouncedValue, useDocumentTitle } from "../../lib/hooks.js";
import { deviceKeys, deviceQueries, devicesApi } from "./api.js";
import { day, eventLabel, when } from "./labels.js";
import { AssetStatus } from "./StatusBadge.js";

/** One device: its facts, who has it, its timeline and repairs, and what IT staff can do with it. */
export function AssetPage() {
  const { id = "" } = useParams();
  const asset = useQuery(deviceQueries.asset(id));
  useDocumentTitle(asset.data ? `Device ${asset.data.tag}` : "Device");
  if (asset.error) return <ErrorState error={asApiError(asset.error)} onRetry={() => void asset.refetch()} />;
  if (!asset.data) return <Spinner label="Loading the device…" />;
  const a = asset.data;
  return (
    <>
      <PageHeader breadcrumb={{ to: "/devices", label: "Devices" }} title={<span className="asset-title">{a.tag}</span>} description={`${a.modelName} · serial ${a.serial}`} actions={<AssetStatus status={a.status} />} />
      <div className="device-layout">
        <section className="section" aria-labelledby="facts-title">
          <h2 id="facts-title" className="section__title">Details</h2>
          <dl className="device-facts">
            <Fact label="With">{a.assignee ? `${a.assignee.name}${a.assignee.kind === "loaner" ? ` (loan, due ${a.assignee.dueOn ? day(a.assignee.dueOn) : "—"})` : ""} since ${day(a.assignee.since)}` : "Nobody"}</Fact>
            <Fact label="School">{a.schoolName ?? "District stock"}{a.room ? ` · ${a.room}` : ""}</Fact>
            <Fact label="Loaner pool">{a.isLoaner ? "Yes" : "No"}</Fact>
            <Fact label="Purchased">{a.purchaseDate ? day(a.purchaseDate) : "—"}</Fact>
            <Fact label="Warranty ends">{a.warrantyEnd ? day(a.warrantyEnd) : "—"}</Fact>
            <Fact label="Funding">{a.fundingSource || "—"}</Fact>
            <Fact label="Condition">{a.condition ? CONDITION_LABELS[a.condition] : "Not graded yet"}</Fact>
            {a.notes ? <Fact label="Notes">{a.notes}</Fact> : null}
          </dl>
          {a.canManage ? <Actions asset={a} /> : null}
        </section>
        <section className="section" aria-labelledby="timeline-title">
          <h2 id="timeline-title" className="section__title">Timeline</h2>
          <ol className="timeline">
            {a.history.map((e) => (
              <li key={e.id}>
                <span className="timeline__when">{when(e.at)}</span> <strong>{eventLabel(e.kind)}</strong>
                {e.personName && ["assigned", "loaned", "returned"].includes(e.kind) ? ` ${e.personName}` : ""}
                {e.actorName ? <span className="muted"> · by {e.actorName}</span> : null}
                {e.kind === "updated" ? <span className="muted"> · {Object.keys(e.details).join(", ").replace(/_/g, " ")}</span> : null}
              </li>
            ))}
          </ol>
          {a.tickets.some((t) => t.open) ? (
            <>
              <h3 className="section__title">Open help desk tickets</h3>
              <ul className="timeline" aria-label="Open help desk tickets">
                {a.tickets
                  .filter((t) => t.open)
                  .map((t) => (
                    <li key={t.id}>
                      <Link to={`/helpdesk/tickets/${encodeURIComponent(t.id)}`}>{t.title}</Link> <span className="muted">· {ticketStatus(t.status)}</span>
                    </li>
                  ))}
              </ul>
            </>
          ) : null}
          {a.repairs.length > 0 ? (
            <>
              <h3 className="section__title">Repairs</h3>
              <ul className="timeline">
                {a.repairs.map((r) => (
                  <li key={r.id}>
                    {day(r.openedOn)} → {r.closedOn ? day(r.closedOn) : "open"} · {r.vendor || "no vendor"}
                    {r.costCents !== null ? ` · ${(r.costCents / 100).toLocaleString(undefined, { style: "currency", currency: "USD" })}` : ""}
                    {r.ticketId !== null ? <TicketRef ticket={a.tickets.find((t) => t.id === r.ticketId)} id={r.ticketId} /> : null}
                    {r.note ? ` · ${r.note}` : ""}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      </div>
    </>
  );
}

const ticketStatus = (s: string) => (s in TICKET_STATUS_LABELS ? TICKET_STATUS_LABELS[s as TicketStatus] : s);

/** A repair's help desk ticket: its title and status, linking to it (the help desk's data). */
function TicketRef({ ticket, id }: { ticket: TAssetDetail["tickets"][number] | undefined; id: string }) {
  return (
    <>
      {" · ticket "}
      <Link to={`/helpdesk/tickets/${encodeURIComponent(id)}`}>{ticket ? `“${ticket.title}”` : "on the help desk"}</Link>
      {ticket ? <span className="muted"> ({ticketStatus(ticket.status)})</span> : null}
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="device-facts__row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Actions({ asset }: { asset: TAssetDetail }) {
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [mode, setMode] = useState<"none" | "assign" | "return" | "repair">("none");
  const run = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      setMode("none");
      await client.invalidateQueries({ queryKey: deviceKeys.all });
    } catch (err) {
      setError(asApiError(err).message);
    }
  };
  const openRepair = asset.repairs.find((r) => r.closedOn === null);
  return (
    <div className="device-actions">
      <div className="device-actions__buttons">
        {asset.status === "in_stock" ? <button type="button" className="button button--primary" onClick={() => setMode("assign")}>{asset.isLoaner ? "Lend" : "Assign"}</button> : null}
        {asset.assignee ? <button type="button" className="button" onClick={() => setMode("return")}>Check in</button> : null}
        {openRepair ? (
          <button type="button" className="button" onClick={() => void run(() => devicesApi.closeRepair(openRepair.id, { closedOn: new Date().toISOString().slice(0, 10) }))}>Back from repair</button>
        ) : !["retired", "lost", "stolen"].includes(asset.status) ? (
          <button type="button" className="button" onClick={() => setMode("repair")}>Send to repair</button>
        ) : null}
        {asset.status !== "in_repair" && !["lost", "stolen", "retired"].includes(asset.status) ? (
          <>
            <button type="button" className="button button--ghost" onClick={() => void run(() => devicesApi.updateAsset(asset.id, { status: "lost" }))}>Mark lost</button>
            <button type="button" className="button button--ghost" onClick={() => void run(() => devicesApi.updateAsset(asset.id, { status: "stolen" }))}>Mark stolen</button>
            <button type="button" className="button button--ghost" onClick={() => void run(() => devicesApi.updateAsset(asset.id, { status: "retired" }))}>Retire</button>
          </>
        ) : ["lost", "stolen", "retired"].includes(asset.status) ? (
          <button type="button" className="button button--ghost" onClick={() => void run(() => devicesApi.updateAsset(asset.id, { status: "in_stock" }))}>Back in stock</button>
        ) : null}
      </div>
      {mode === "assign" ? <AssignForm asset={asset} onSubmit={(personId, dueOn) => run(() => devicesApi.assign(asset.id, { personId, kind: asset.isLoaner ? "loaner" : "assigned", dueOn }))} /> : null}
      {mode === "return" ? <ReturnForm onSubmit={(condition) => run(() => devicesApi.returnAsset(asset.id, { condition, note: "" }))} /> : null}
      {mode === "repair" ? <RepairForm onSubmit={(body) => run(() => devicesApi.openRepair(asset.id, body))} /> : null}
      {error ? <FormAlert error={error} /> : null}
    </div>
  );
}

function AssignForm({ asset, onSubmit }: { asset: TAssetDetail; onSubmit: (personId: string, dueOn: string | null) => Promise<void> }) {
  const [search, setSearch] = useState("");
  const q = useDebouncedValue(search, 250);
  const [dueOn, setDueOn] = useState("");
  const people = useQuery({ queryKey: ["devices", "people-search", q], queryFn: () => http.get<TList<TPerson>>("/people", { query: { q, limit: 8 } }), enabled: q.trim().length >= 2 });
  return (
    <div className="device-form">
      <TextField label="Person" value={search} onChange={setSearch} placeholder="Type a name" autoFocus />
      {asset.isLoaner ? <TextField label="Due back" type="date" value={dueOn} onChange={setDueOn} /> : null}
      <ul className="pick-list" aria-label="Matching people">
        {(people.data?.items ?? []).map((p) => (
          <li key={p.id}>
            <button type="button" className="button button--small" onClick={() => void onSubmit(p.id, dueOn || null)}>
              {p.displayName}
              {p.gradeLevel ? ` · grade ${p.gradeLevel}` : ""}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ReturnForm({ onSubmit }: { onSubmit: (condition: string | null) => Promise<void> }) {
  const [condition, setCondition] = useState("B");
  return (
    <div className="device-form">
      <SelectField label="Condition" value={condition} onChange={setCondition} options={CONDITIONS.map((c) => ({ value: c, label: CONDITION_LABELS[c] }))} />
      <button type="button" className="button button--primary" onClick={() => void onSubmit(condition)}>Check in</button>
    </div>
  );
}

function RepairForm({ onSubmit }: { onSubmit: (body: { vendor: string; costCents: number | null; ticketId: string | null; openTicket: boolean; note: string }) => Promise<void> }) {
  const [vendor, setVendor] = useState("");
  const [cost, setCost] = useState("");
  const [ticket, setTicket] = useState("");
  const [note, setNote] = useState("");
  const [withTicket, setWithTicket] = useState(true);
  return (
    <div className="device-form">
      <TextField label="Vendor" value={vendor} onChange={setVendor} isOptional />
      <TextField label="Cost (dollars)" inputMode="decimal" value={cost} onChange={setCost} isOptional />
      <TextField label="Help desk ticket (its id)" value={ticket} onChange={setTicket} isOptional />
      <TextField label="What is wrong" value={note} onChange={setNote} isOptional />
      {ticket.trim() === "" ? (
        <label className="device-check">
          <input type="checkbox" checked={withTicket} onChange={(e) => setWithTicket(e.target.checked)} /> Also open a help desk ticket for it
        </label>
      ) : null}
      <button
        type="button"
        className="button button--primary"
        onClick={() => void onSubmit({ vendor, costCents: cost ? Math.round(Number(cost) * 100) : null, ticketId: ticket.trim() || null, openTicket: ticket.trim() === "" && withTicket, note })}
      >
        Send to repair
      </button>
    </div>
  );
}
