import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";
import type { TAssetImportReport } from "../../../../shared/schemas/devices.js";
import type { TSchool } from "../../../../shared/schemas/schools.js";
import type { TList } from "../../../../shared/schemas/common.js";
import { asApiError, http } from "../../api/client.js";
import { FormAlert, Notice, PageHeader } from "../../components/Feedback.js";
import { SelectField, TextField } from "../../components/Field.js";
import { DEVICE_KINDS } from "../../../../shared/schemas/devices.js";
import { DataTable } from "../../kits/DataTable.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { deviceKeys, deviceQueries, devicesApi } from "./api.js";

/** A vendor's shipment list: checked whole first (a report line by line), then imported all or nothing. */
export function ImportPage() {
  useDocumentTitle("Import a shipment");
  const client = useQueryClient();
  const schools = useQuery({ queryKey: ["devices", "schools"], queryFn: () => http.get<TList<TSchool>>("/schools", { query: { limit: 200 } }) });
  const models = useQuery(deviceQueries.models());
  const [csv, setCsv] = useState<string | null>(null);
  const [fileName, setFileName] = useState("");
  const [schoolId, setSchoolId] = useState("");
  const [funding, setFunding] = useState("");
  const [report, setReport] = useState<TAssetImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const send = async (dryRun: boolean) => {
    if (csv === null) return;
    setIsBusy(true);
    setError(null);
    try {
      const r = await devicesApi.importCsv(csv, { dryRun: String(dryRun), schoolId: schoolId || undefined, fundingSource: funding || undefined });
      setReport(r);
      if (r.applied) await client.invalidateQueries({ queryKey: deviceKeys.all });
    } catch (err) {
      setError(asApiError(err).message);
    } finally {
      setIsBusy(false);
    }
  };
  return (
    <>
      <PageHeader breadcrumb={{ to: "/devices", label: "Devices" }} title="Import a shipment list" description="A CSV from the vendor with the columns serial, asset tag and model. Every line is checked before anything is saved; importing the same file again changes nothing." />
      <div className="device-form device-form--wide">
        <label className="field">
          <span className="field__label">Shipment file (CSV)</span>
          <input
            type="file"
            accept=".csv,text/csv"
            className="input"
            onChange={(e) => {
              const file = e.target.files?.[0];
              setReport(null);
              if (!file) return;
              setFileName(file.name);
              void file.text().then(setCsv);
            }}
          />
        </label>
        <SelectField label="Goes to" value={schoolId} onChange={setSchoolId} options={[{ value: "", label: "District stock (no school)" }, ...(schools.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))]} />
        <TextField label="Funding source" value={funding} onChange={setFunding} isOptional />
        <p className="muted">Models the file may name: {(models.data?.items ?? []).map((m) => m.name).join(", ") || "none yet"}.</p>
        <AddModel />
        <button type="button" className="button button--primary" disabled={csv === null || isBusy} onClick={() => void send(true)}>
          Check {fileName || "the file"}
        </button>
      </div>
      {error ? <FormAlert error={error} /> : null}
      {report ? (
        <section className="section" aria-labelledby="report-title">
          <h2 id="report-title" className="section__title">
            {report.applied ? "Imported" : report.errorCount > 0 ? "Problems to fix" : "Ready to import"}
          </h2>
          {report.errorCount > 0 ? (
            <>
              <Notice tone="warning">
                {report.errorCount} {report.errorCount === 1 ? "problem" : "problems"} in {report.rows.toLocaleString()} lines. Nothing was saved: fix the file and check it again.
              </Notice>
              <DataTable
                rows={report.errors}
                rowKey={(e) => `${e.line}:${e.column ?? ""}:${e.message}`}
                caption="Problems by line"
                isDense
                columns={[
                  { id: "line", header: "Line", cell: (e) => `Line ${e.line}`, isRowHeader: true },
                  { id: "column", header: "Column", cell: (e) => e.column ?? "—" },
                  { id: "message", header: "Problem", cell: (e) => e.message },
                ]}
              />
            </>
          ) : report.applied ? (
            <Notice tone="success">
              {report.created.toLocaleString()} devices added{report.unchanged ? `, ${report.unchanged.toLocaleString()} already in the inventory` : ""}. <Link to="/devices">See the inventory</Link>
            </Notice>
          ) : (
            <>
              <Notice tone="success">
                {report.created.toLocaleString()} new devices{report.unchanged ? `, ${report.unchanged.toLocaleString()} already in the inventory (unchanged)` : ""}.
              </Notice>
              <button type="button" className="button button--primary" disabled={isBusy || report.created === 0} onClick={() => void send(false)}>
                Import {report.created.toLocaleString()} devices
              </button>
            </>
          )}
        </section>
      ) : null}
    </>
  );
}

const KIND_LABELS: Record<(typeof DEVICE_KINDS)[number], string> = { laptop: "Laptop", tablet: "Tablet", hotspot: "Hotspot", charger: "Charger", other: "Other" };

/** Models are data: a file names them, so a new one is added here first (IT staff, admins). */
function AddModel() {
  const client = useQueryClient();
  const [isOpen, setIsOpen] = useState(false);
  const [name, setName] = useState("");
  const [maker, setMaker] = useState("");
  const [kind, setKind] = useState<string>("laptop");
  const [error, setError] = useState<string | null>(null);
  if (!isOpen) {
    return (
      <button type="button" className="button button--ghost" onClick={() => setIsOpen(true)}>
        Add a model
      </button>
    );
  }
  const add = async () => {
    setError(null);
    try {
      await devicesApi.createModel({ name, maker, kind });
      await client.invalidateQueries({ queryKey: deviceKeys.models() });
      setName("");
      setIsOpen(false);
    } catch (err) {
      setError(asApiError(err).message);
    }
  };
  return (
    <fieldset className="fieldset device-form">
      <legend>New model</legend>
      <TextField label="Name, as the vendor's file spells it" value={name} onChange={setName} />
      <TextField label="Maker" value={maker} onChange={setMaker} isOptional />
      <SelectField label="Kind" value={kind} onChange={setKind} options={DEVICE_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))} />
      <button type="button" className="button" onClick={() => void add()}>
        Add the model
      </button>
      {error ? <FormAlert error={error} /> : null}
    </fieldset>
  );
}
