import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { canOpenInventory } from "../../../../shared/policy/devices.js";
import { ASSET_STATUSES, ASSET_STATUS_LABELS, type TAsset, type TAssetStatus } from "../../../../shared/schemas/devices.js";
import { asApiError } from "../../api/client.js";
import { ErrorState, FormAlert, Notice, PageHeader, Spinner } from "../../components/Feedback.js";
import { SelectField, TextField } from "../../components/Field.js";
import { DataTable, type Column } from "../../kits/DataTable.js";
import { useDebouncedValue, useDocumentTitle } from "../../lib/hooks.js";
import { useMe } from "../../lib/session.js";
import { deviceKeys, deviceQueries, devicesApi } from "./api.js";
import { DevicesNav } from "./DevicesNav.js";
import { day } from "./labels.js";
import { MyDevices } from "./PersonDevicesSection.js";
import { AssetStatus } from "./StatusBadge.js";
import { RuleAssign } from "./RuleAssign.js";

/** The inventory (IT staff, leaders, admins), or one's own devices for everyone else. */
export function InventoryPage() {
  const me = useMe();
  useDocumentTitle("Devices");
  if (!canOpenInventory({ roles: me.person.roles })) {
    return (
      <>
        <PageHeader title="My devices" description="The devices the school has given or lent you." />
        <DevicesNav />
        <MyDevices personId={me.person.id} />
      </>
    );
  }
  return <Inventory />;
}

function Inventory() {
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get("q") ?? "");
  const q = useDebouncedValue(search, 250);
  const status = params.get("status") ?? "";
  const modelId = params.get("modelId") ?? "";
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const query = { q: q || undefined, status: (status || undefined) as TAssetStatus | undefined, modelId: modelId || undefined, cursor };
  const assets = useQuery({ ...deviceQueries.assets(query), placeholderData: keepPreviousData });
  const models = useQuery(deviceQueries.models());
  const collect = useQuery(deviceQueries.collect());
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [isRuleOpen, setIsRuleOpen] = useState(false);
  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setCursor(undefined);
  };
  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const rows = assets.data?.items ?? [];
  const exportHref = `/api/v1/devices/assets.csv?${new URLSearchParams(Object.entries({ q, status, modelId }).filter(([, v]) => v)).toString()}`;
  const columns: Column<TAsset>[] = [
    {
      id: "pick",
      header: "Select",
      cell: (a) => <input type="checkbox" aria-label={`Select ${a.tag}`} checked={selected.has(a.id)} onChange={() => toggle(a.id)} />,
    },
    { id: "tag", header: "Asset tag", isPrimary: true, className: "cell-mono", cell: (a) => <Link className="strong-link" to={`/devices/assets/${a.id}`}>{a.tag}</Link>, sortValue: (a) => a.tag },
    { id: "serial", header: "Serial", className: "cell-mono cell-muted", cell: (a) => a.serial },
    { id: "model", header: "Model", cell: (a) => a.modelName, sortValue: (a) => a.modelName },
    { id: "status", header: "Status", cell: (a) => <AssetStatus status={a.status} />, sortValue: (a) => a.status },
    { id: "who", header: "With", cell: (a) => (a.assignee ? `${a.assignee.name}${a.assignee.kind === "loaner" ? " (loan)" : ""}` : "—"), isEmpty: (a) => !a.assignee },
    { id: "school", header: "School", cell: (a) => a.schoolName ?? "District stock" },
    { id: "warranty", header: "Warranty end", className: "cell-nowrap", cell: (a) => (a.warrantyEnd ? day(a.warrantyEnd) : "—"), isEmpty: (a) => !a.warrantyEnd },
  ];
  return (
    <>
      <PageHeader
        title="Devices"
        description="Every device at your schools: search by tag or serial number, filter, edit many at once."
        actions={
          <>
            <button type="button" className="button" onClick={() => setIsRuleOpen((v) => !v)}>Assign by rule</button>
            <Link className="button" to="/devices/import">Import shipment</Link>
            <a className="button button--ghost" href={exportHref}>Export CSV</a>
          </>
        }
      />
      <DevicesNav />
      {isRuleOpen ? <RuleAssign onClose={() => setIsRuleOpen(false)} /> : null}
      {collect.data && collect.data.items.length > 0 ? (
        <Notice tone="warning">
          {collect.data.items.length} {collect.data.items.length === 1 ? "device is" : "devices are"} still with people who left the roster:{" "}
          {collect.data.items.slice(0, 5).map((i, n) => (
            <span key={i.asset.id}>
              {n > 0 ? ", " : ""}
              <Link to={`/devices/assets/${i.asset.id}`}>{i.asset.tag}</Link> ({i.personName})
            </span>
          ))}
          {collect.data.items.length > 5 ? "…" : ""}
        </Notice>
      ) : null}
      <div className="filters" role="search" aria-label="Filter devices">
        <TextField label="Search" value={search} onChange={(v) => { setSearch(v); setCursor(undefined); }} placeholder="Tag or serial number" />
        <SelectField label="Status" value={status} onChange={(v) => setFilter("status", v)} options={[{ value: "", label: "Any status" }, ...ASSET_STATUSES.map((s) => ({ value: s, label: ASSET_STATUS_LABELS[s] }))]} />
        <SelectField label="Model" value={modelId} onChange={(v) => setFilter("modelId", v)} options={[{ value: "", label: "Any model" }, ...(models.data?.items ?? []).map((m) => ({ value: m.id, label: m.name }))]} />
      </div>
      {selected.size > 0 ? <BulkBar ids={[...selected]} onDone={() => setSelected(new Set())} /> : null}
      {assets.error ? (
        <ErrorState error={asApiError(assets.error)} onRetry={() => void assets.refetch()} />
      ) : !assets.data ? (
        <Spinner label="Loading devices…" />
      ) : (
        <div className={assets.isPlaceholderData ? "is-refreshing" : undefined}>
          <p className="list-meta">
            {assets.data.total.toLocaleString()}
            {assets.data.totalIsCapped ? "+" : ""} {assets.data.total === 1 ? "device" : "devices"}
          </p>
          <DataTable rows={rows} columns={columns} rowKey={(a) => a.id} caption="Devices" empty={<Notice>No device matches. Import a shipment list to start.</Notice>} />
          <div className="pagination">
            {cursor ? <button type="button" className="button button--ghost" onClick={() => setCursor(undefined)}>First page</button> : null}
            {assets.data.nextCursor ? <button type="button" className="button" onClick={() => setCursor(assets.data?.nextCursor ?? undefined)}>Next page</button> : null}
          </div>
        </div>
      )}
    </>
  );
}

function BulkBar({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const client = useQueryClient();
  const [field, setField] = useState("room");
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const apply = async () => {
    setIsBusy(true);
    setError(null);
    try {
      await devicesApi.bulkEdit(ids, { [field]: value });
      await client.invalidateQueries({ queryKey: deviceKeys.all });
      onDone();
    } catch (err) {
      setError(asApiError(err).message);
    } finally {
      setIsBusy(false);
    }
  };
  return (
    <section className="bulk-bar" aria-label="Edit the selected devices">
      <strong>{ids.length} selected</strong>
      <SelectField label="Change" value={field} onChange={(v) => { setField(v); setValue(v === "status" ? "retired" : ""); }} options={[{ value: "room", label: "Room" }, { value: "fundingSource", label: "Funding source" }, { value: "status", label: "Status" }]} />
      {field === "status" ? (
        <SelectField label="To" value={value} onChange={setValue} options={["in_stock", "lost", "stolen", "retired"].map((s) => ({ value: s, label: ASSET_STATUS_LABELS[s as TAssetStatus] }))} />
      ) : (
        <TextField label="To" value={value} onChange={setValue} />
      )}
      <button type="button" className="button button--primary" disabled={isBusy} onClick={() => void apply()}>Apply to {ids.length}</button>
      <a className="button button--ghost" href={`/api/v1/devices/labels?ids=${ids.join(",")}`} target="_blank" rel="noreferrer">Print labels</a>
      <button type="button" className="button button--ghost" onClick={onDone}>Clear</button>
      {error ? <FormAlert error={error} /> : null}
    </section>
  );
}
