import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Link, useParams } from "react-router-dom";
import { ROSTER_ENCODING_LABELS, ROSTER_ENCODINGS, type RosterEncoding } from "../../../../shared/roster-encodings.js";
import type { TRosterImport, TRosterImportReport, TRosterProgress } from "../../../../shared/schemas/rostering.js";
import { asApiError, isAbortError, type ApiError } from "../../api/client.js";
import { directoryKeys } from "../directory/api.js";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { EmptyState, ErrorState, FormAlert, PageHeader, Spinner } from "../../components/Feedback.js";
import { useCursorStack } from "../../components/Pagination.js";
import { DataTable, type Column } from "../../kits/DataTable.js";
import { ListView } from "../../kits/ListPage.js";
import { formatBytes, formatCount, formatDateTime } from "../../lib/format.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useIsDistrictAdmin, useMe } from "../../lib/session.js";
import { ImportReport, STATUS_LABELS } from "./ImportReport.js";
import { rosteringKeys, rosteringQueries, uploadRoster } from "./api.js";
import "./rostering.css";

const PAGE_SIZE = 20;
const POLL_MS = 700;

function NotAdmin() {
  return (
    <div className="state state--error" role="alert">
      <h2 className="state__title">You don't have access to roster imports</h2>
      <p className="state__text">Only district admins can import rosters from the student information system.</p>
    </div>
  );
}

/** Polls an import until it stops running; returns its latest state. */
function useImportUntilDone(id: string | null, onDone?: (report: TRosterImportReport) => void): { report: TRosterImportReport | null; error: ApiError | null } {
  const query = useQuery({ ...rosteringQueries.import(id ?? "", POLL_MS), enabled: id !== null });
  const report = id === null ? null : (query.data ?? null);
  const onDoneRef = useRef(onDone);
  const reportRef = useRef(report);
  useEffect(() => {
    onDoneRef.current = onDone;
    reportRef.current = report;
  });
  const status = report?.status;
  useEffect(() => {
    if (status !== undefined && status !== "running" && reportRef.current) onDoneRef.current?.(reportRef.current);
  }, [status]);
  return { report, error: query.error };
}

const PHASES: Record<TRosterProgress["phase"], string> = {
  receiving: "Receiving",
  reading: "Checking",
  applying: "Writing",
  finishing: "Finishing",
};

function ProgressBar({ label, fraction }: { label: string; fraction: number }) {
  const percent = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
  return (
    <div className="roster-progress">
      <div className="roster-progress__label">
        <span>{label}</span>
        <span>{percent}%</span>
      </div>
      <div className="roster-progress__track" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
        <div className="roster-progress__fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

/** Settings → Roster imports: upload a OneRoster .zip or a staff CSV, watch it run, read the report; the history below. */
export function RosterImportsPage() {
  useDocumentTitle("Roster imports");
  if (!useIsDistrictAdmin()) return <NotAdmin />;
  return <RosterImports />;
}

function RosterImports() {
  const me = useMe();
  const formId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [isDryRun, setIsDryRun] = useState(false);
  const [applyValid, setApplyValid] = useState(false);
  const [allowMassDeactivation, setAllowMassDeactivation] = useState(false);
  const [encoding, setEncoding] = useState<RosterEncoding>("utf-8");
  /** Set when the encoding was chosen from a refused file's report rather than by the admin. */
  const [encodingFrom, setEncodingFrom] = useState<string | null>(null);
  const [uploadFraction, setUploadFraction] = useState<number | null>(null);
  const [uploadError, setUploadError] = useState<ApiError | null>(null);
  const [importId, setImportId] = useState<string | null>(null);
  const abortRef = useRef<(() => void) | null>(null);
  const pages = useCursorStack("imports");
  const history = useQuery({ ...rosteringQueries.imports({ limit: PAGE_SIZE, cursor: pages.cursor }), placeholderData: keepPreviousData });
  const queryClient = useQueryClient();
  // A finished import changes the history and, when applied, the whole directory.
  const { report, error: pollError } = useImportUntilDone(importId, (done) => {
    void queryClient.invalidateQueries({ queryKey: rosteringKeys.importsAll() });
    void queryClient.invalidateQueries({ queryKey: directoryKeys.all });
    // A file refused as not UTF-8: choose the encoding it most likely is, so importing again is one press.
    if (done.suggestedEncoding) {
      setEncoding(done.suggestedEncoding);
      setEncodingFrom(done.fileName);
    }
  });

  useEffect(() => () => abortRef.current?.(), []);

  const kind = file && /\.csv$/i.test(file.name) ? "staff" : "oneroster";
  const isBusy = uploadFraction !== null || (importId !== null && (report === null || report.status === "running"));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setUploadError(null);
    setImportId(null);
    setUploadFraction(0);
    const upload = uploadRoster({ file, kind, isDryRun, applyValid, allowMassDeactivation, encoding, csrfToken: me.csrfToken ?? "", onProgress: setUploadFraction });
    abortRef.current = upload.abort;
    try {
      const started = await upload.done;
      setImportId(started.id);
    } catch (cause) {
      if (!isAbortError(cause)) setUploadError(asApiError(cause));
    } finally {
      abortRef.current = null;
      setUploadFraction(null);
    }
  };

  let progress: { label: string; fraction: number } | null = null;
  if (uploadFraction !== null) progress = { label: `Uploading ${file?.name ?? ""}`, fraction: uploadFraction };
  else if (report?.status === "running") {
    const p = report.progress;
    progress = p ? { label: `${PHASES[p.phase]}${p.file ? ` ${p.file}` : ""}…`, fraction: p.fraction } : { label: "Working…", fraction: 0 };
  } else if (importId !== null && report === null) progress = { label: "Starting…", fraction: 0 };

  return (
    <>
      <section className="section" aria-labelledby={`${formId}-title`}>
        <div className="section__header section__header--tight">
          <div>
            <h2 id={`${formId}-title`} className="section__title">
              Import a roster
            </h2>
            <p className="section__description">
              A OneRoster 1.1 or 1.2 CSV export as a <strong>.zip</strong> (from your SIS, Clever or ClassLink), or a staff list as a <strong>.csv</strong> with the
              columns name, email, school, role. Every file is checked before anything is written; people missing from a full (bulk) export are deactivated, never
              deleted.
            </p>
          </div>
        </div>
        <form className="roster-upload" onSubmit={(e) => void submit(e)}>
          <label className="field">
            <span className="field__label">File</span>
            <input
              className="input"
              type="file"
              accept=".zip,.csv,application/zip,text/csv"
              disabled={isBusy}
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
            <span className="field__hint">{file ? `${file.name} · ${formatBytes(file.size)} · ${kind === "staff" ? "staff CSV" : "OneRoster .zip"}` : "Up to 256 MB"}</span>
          </label>
          <label className="field">
            <span className="field__label">Encoding</span>
            <select
              className="select"
              value={encoding}
              disabled={isBusy}
              onChange={(e) => {
                setEncoding(e.target.value as RosterEncoding);
                setEncodingFrom(null);
              }}
            >
              {ROSTER_ENCODINGS.map((name) => (
                <option key={name} value={name}>
                  {ROSTER_ENCODING_LABELS[name]}
                </option>
              ))}
            </select>
            {encodingFrom !== null ? (
              <span className="field__hint field__hint--chosen" role="status">
                Chosen from {encodingFrom}: {ROSTER_ENCODING_LABELS[encoding]} — check the names after importing.
              </span>
            ) : (
              <span className="field__hint">
                Files that are not UTF-8 are refused, never imported with garbled names; the report names the encoding they most likely are. Choose it here
                and import again.
              </span>
            )}
          </label>
          <label className="roster-check">
            <input type="checkbox" checked={isDryRun} disabled={isBusy} onChange={(e) => setIsDryRun(e.target.checked)} />
            <span>Dry run: check the files and report what would change, without writing anything</span>
          </label>
          <label className="roster-check">
            <input type="checkbox" checked={applyValid} disabled={isBusy} onChange={(e) => setApplyValid(e.target.checked)} />
            <span>Apply the valid rows when some rows have errors (the rejected rows are listed in the report)</span>
          </label>
          <label className="roster-check">
            <input type="checkbox" checked={allowMassDeactivation} disabled={isBusy} onChange={(e) => setAllowMassDeactivation(e.target.checked)} />
            <span>
              Allow mass deactivation: go ahead even if the import deactivates more than 10% of the district's active people or enrollments (without this, such an
              import stops and asks first; a file with only its header does that)
            </span>
          </label>
          <div className="form__actions">
            <button type="submit" className="button button--primary" disabled={!file || isBusy}>
              {isDryRun ? "Check the files" : "Import"}
            </button>
            {uploadFraction !== null ? (
              <button type="button" className="button button--ghost" onClick={() => abortRef.current?.()}>
                Cancel upload
              </button>
            ) : null}
          </div>
        </form>
        {progress ? <ProgressBar label={progress.label} fraction={progress.fraction} /> : null}
        <FormAlert error={uploadError ?? pollError} />
        {report && report.status !== "running" ? (
          <section className="section roster-result" aria-label="Import report">
            <ImportReport report={report} />
          </section>
        ) : null}
      </section>

      <section className="section" aria-labelledby={`${formId}-history`}>
        <h2 id={`${formId}-history`} className="section__title">
          History
        </h2>
        <ListView
          query={history}
          pages={pages}
          pageSize={PAGE_SIZE}
          noun="imports"
          loadingLabel="Loading the import history…"
          empty={<EmptyState title="No imports yet">Imports from this page and from `coachwork import` appear here.</EmptyState>}
        >
          {(list) => (
            <DataTable
              rows={list.items}
              columns={historyColumns(me.district.timezone)}
              rowKey={(i) => i.id}
              caption="Roster imports, newest first"
              isDense
            />
          )}
        </ListView>
      </section>
    </>
  );
}

const COUNT_COLUMNS = [
  ["created", "Created"],
  ["updated", "Updated"],
  ["deactivated", "Deactivated"],
  ["skipped", "Skipped"],
  ["rejected", "Rejected"],
] as const;

function historyColumns(timeZone: string): Column<TRosterImport>[] {
  return [
    {
      id: "started",
      header: "Started",
      className: "cell-nowrap",
      isPrimary: true,
      cell: (i) => (
        <Link to={`/settings/rostering/${i.id}`}>
          <time dateTime={i.startedAt}>{formatDateTime(i.startedAt, timeZone)}</time>
        </Link>
      ),
    },
    {
      id: "file",
      header: "File",
      // One element per cell: a phone's card lays a cell's children out as grid items.
      cell: (i) => (
        <span>
          {i.fileName}
          <span className="cell-muted"> · {i.kind === "staff" ? "staff CSV" : "OneRoster"}</span>
        </span>
      ),
    },
    { id: "by", header: "By", cell: (i) => i.actorName ?? (i.origin === "cli" ? "Command line" : "—") },
    {
      id: "outcome",
      header: "Outcome",
      cell: (i) => (
        <span>
          <span className={`badge badge--import-${i.status}`}>{STATUS_LABELS[i.status]}</span>
          {i.errorCount > 0 ? <span className="cell-muted"> · {formatCount(i.errorCount, "error")}</span> : null}
        </span>
      ),
    },
    ...COUNT_COLUMNS.map(
      ([key, header]): Column<TRosterImport> => ({
        id: key,
        header,
        className: "cell-number",
        // A dry run or a refused import wrote nothing: its counts are what it would have done.
        cell: (i) =>
          i.status !== "applied" && key !== "rejected" && i.counts[key] > 0 ? (
            <span>
              <span className="cell-muted">would have {header.toLowerCase()} </span>
              {i.counts[key].toLocaleString()}
            </span>
          ) : (
            i.counts[key].toLocaleString()
          ),
      }),
    ),
  ];
}

/** Settings → Roster imports → one import's report. */
export function RosterImportPage() {
  const { id = "" } = useParams();
  useDocumentTitle("Roster import");
  const isAdmin = useIsDistrictAdmin();
  const me = useMe();
  const { report, error } = useImportUntilDone(isAdmin ? id : null);
  if (!isAdmin) return <NotAdmin />;
  return (
    <>
      <PageHeader
        breadcrumb={{ to: "/settings/rostering", label: "Roster imports" }}
        title={report ? report.fileName : "Roster import"}
        description={report ? `${formatDateTime(report.startedAt, me.district.timezone)} · ${report.actorName ?? (report.origin === "cli" ? "command line" : "—")}` : undefined}
      />
      {error ? (
        <ErrorState error={error} />
      ) : !report ? (
        <Spinner label="Loading the report…" />
      ) : report.status === "running" ? (
        <ProgressBar label={report.progress ? `${PHASES[report.progress.phase]}…` : "Working…"} fraction={report.progress?.fraction ?? 0} />
      ) : (
        <ImportReport report={report} />
      )}
    </>
  );
}
