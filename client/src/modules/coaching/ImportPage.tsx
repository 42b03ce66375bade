import { useEffect, useMemo, useState, type ChangeEvent } from "react";
import { Link } from "react-router-dom";
import { CoachingLimits } from "../../../../shared/limits.js";
import type { TImportReport } from "../../../../shared/schemas/coaching.js";
import { asApiError, type ApiError } from "../../api/client.js";
import { coachingApi } from "./api.js";
import { FormAlert, Notice, PageHeader } from "../../components/Feedback.js";
import { SelectField } from "../../components/Field.js";
import { Icon } from "../../components/Icon.js";
import { DataTable } from "../../kits/DataTable.js";
import { formatCount } from "../../lib/format.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useCategories } from "./data.js";
import { toCsv } from "./format.js";
import {
  FIELD_HINTS,
  FIELD_LABELS,
  guessMapping,
  IMPORT_FIELDS,
  readPreview,
  REQUIRED_FIELDS,
  type CsvPreview,
  type Mapping,
} from "./importCsv.js";

type DateFormat = "auto" | "YYYY-MM-DD" | "M/D/YYYY" | "D/M/YYYY";
const DATE_FORMATS: { value: DateFormat; label: string }[] = [
  { value: "auto", label: "Detect from the file" },
  { value: "M/D/YYYY", label: "M/D/YYYY (US, Google Forms default)" },
  { value: "D/M/YYYY", label: "D/M/YYYY" },
  { value: "YYYY-MM-DD", label: "YYYY-MM-DD" },
];
const SHOWN_ERRORS = 100;
const MAX_MB = CoachingLimits.maxImportBytes / 1024 / 1024;

type Source = { text: string; name: string };

/**
 * Brings an existing Google Forms coaching log into Coachwork: read the file here, map its columns,
 * check every row on the server without saving (a dry run), then import the valid rows.
 */
export function ImportPage() {
  useDocumentTitle("Import a coaching log");
  const { categories } = useCategories();
  const [source, setSource] = useState<Source | null>(null);
  const [pasted, setPasted] = useState("");
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [mapping, setMapping] = useState<Mapping | null>(null);
  const [dateFormat, setDateFormat] = useState<DateFormat>("auto");
  /** Activity value in the file → the category chosen for it on this page (the server remembers them on import). */
  const [categoryChoices, setCategoryChoices] = useState<Record<string, string>>({});
  const [report, setReport] = useState<TImportReport | null>(null);
  const [result, setResult] = useState<TImportReport | null>(null);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [isWorking, setIsWorking] = useState(false);

  const load = async (next: Source) => {
    setError(null);
    setReport(null);
    setResult(null);
    if (new Blob([next.text]).size > CoachingLimits.maxImportBytes) {
      setError(`This file is larger than ${MAX_MB} MB. Split it (for example by school year) and import the parts one by one.`);
      return;
    }
    try {
      const read = await readPreview(next.text);
      if (read.headers.length === 0) {
        setError("This file is empty. Export the responses sheet from Google Sheets as CSV and try again.");
        return;
      }
      setSource(next);
      setPreview(read);
      setMapping(guessMapping(read.headers));
    } catch (cause) {
      setError(`This does not read as CSV: ${cause instanceof Error ? cause.message : "unknown problem"}.`);
    }
  };

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    if (file.size > CoachingLimits.maxImportBytes) {
      setError(`${file.name} is larger than ${MAX_MB} MB. Split it (for example by school year) and import the parts one by one.`);
      return;
    }
    await load({ text: await file.text(), name: file.name });
  };

  const setField = (field: keyof Mapping, column: string) => {
    if (!mapping) return;
    setMapping({ ...mapping, [field]: column });
    setReport(null);
    setResult(null);
  };

  const missing = mapping ? REQUIRED_FIELDS.filter((f) => !mapping[f]) : [];
  const run = async (dryRun: boolean, choices: Record<string, string> = categoryChoices) => {
    if (!source || !mapping) return;
    if (missing.length > 0) {
      setError(`Choose the column for ${missing.map((f) => FIELD_LABELS[f].toLowerCase()).join(", ")}.`);
      return;
    }
    setError(null);
    setIsWorking(true);
    try {
      const optional = (column: string) => (column ? column : undefined);
      const answer = await coachingApi.importEntries({
        csv: source.text,
        mapping: {
          date: mapping.date,
          minutes: mapping.minutes,
          category: mapping.category,
          school: optional(mapping.school),
          teachers: optional(mapping.teachers),
          notes: optional(mapping.notes),
        },
        dateFormat,
        categoryValues: Object.fromEntries(Object.entries(choices).filter(([, id]) => id !== "")),
        dryRun,
        applyValid: !dryRun && (report?.errors.length ?? 0) > 0,
      });
      if (dryRun) setReport(answer);
      else {
        setResult(answer);
        setReport(null);
      }
    } catch (cause) {
      setError(asApiError(cause));
    } finally {
      setIsWorking(false);
    }
  };

  const start = () => {
    setSource(null);
    setPreview(null);
    setMapping(null);
    setReport(null);
    setResult(null);
    setPasted("");
    setError(null);
    setCategoryChoices({});
  };

  /** Choosing what one activity value means checks the file again at once, so the counts follow. */
  const chooseCategory = (value: string, categoryId: string) => {
    const next = { ...categoryChoices, [value]: categoryId };
    setCategoryChoices(next);
    void run(true, next);
  };

  return (
    <>
      <PageHeader
        title="Import a coaching log"
        breadcrumb={{ to: "/coaching/log", label: "All entries" }}
        description="Bring in the log you kept in Google Forms: export the responses sheet as CSV, match its columns, check it, then import."
      />

      <FormAlert error={error} />

      {result ? (
        <div className="import-result">
          <Notice tone="success">
            Imported {formatCount(result.created, "entry", "entries")}.
            {result.duplicates > 0 ? ` ${formatCount(result.duplicates, "row was", "rows were")} already in your log and skipped.` : ""}
            {result.errors.length > 0 ? ` ${formatCount(errorLines(result), "row")} with errors left out.` : ""}
          </Notice>
          <div className="form__actions">
            <Link className="button button--primary" to="/coaching/log">
              See your entries
            </Link>
            <Link className="button" to="/coaching/dashboard">
              Open the dashboard
            </Link>
            <button type="button" className="button" onClick={start}>
              Import another file
            </button>
          </div>
        </div>
      ) : null}

      {!source ? (
        <section className="panel import-step" aria-labelledby="import-file-title">
          <h2 id="import-file-title" className="import-step__title">
            <span className="import-step__number" aria-hidden="true">
              1
            </span>
            Choose the CSV file
          </h2>
          <div className="field">
            <label className="field__label" htmlFor="import-file">
              CSV file
            </label>
            <input id="import-file" className="input input--file" type="file" accept=".csv,text/csv" onChange={(e) => void onFile(e)} aria-describedby="import-file-hint" />
            <p className="field__hint" id="import-file-hint">
              In Google Sheets: File → Download → Comma-separated values. Up to {MAX_MB} MB and {CoachingLimits.maxImportRows.toLocaleString()} rows.
            </p>
          </div>
          <details className="import-paste">
            <summary>Or paste the CSV text</summary>
            <div className="field">
              <label className="field__label" htmlFor="import-paste">
                CSV text
              </label>
              <textarea id="import-paste" className="input textarea input--mono" rows={6} value={pasted} onChange={(e) => setPasted(e.target.value)} />
            </div>
            <button type="button" className="button" disabled={!pasted.trim()} onClick={() => void load({ text: pasted, name: "Pasted text" })}>
              Read the pasted text
            </button>
          </details>
        </section>
      ) : null}

      {source && preview && mapping && !result ? (
        <>
          <section className="panel import-step" aria-labelledby="import-map-title">
            <div className="import-step__head">
              <h2 id="import-map-title" className="import-step__title">
                <span className="import-step__number" aria-hidden="true">
                  2
                </span>
                Match the columns
              </h2>
              <button type="button" className="button button--small" onClick={start}>
                Choose another file
              </button>
            </div>
            <p className="import-step__text">
              <strong>{source.name}</strong> has {formatCount(preview.headers.length, "column")}. We guessed from the header row; check each one.
            </p>
            <div className="header-row" aria-label="Header row of the file">
              {preview.headers.map((h, i) => (
                <code key={`${h}:${i}`} className="header-row__cell">
                  {h || `(column ${i + 1})`}
                </code>
              ))}
            </div>
            <div className="mapping-grid">
              {IMPORT_FIELDS.map((field) => (
                <SelectField
                  key={field}
                  label={FIELD_LABELS[field]}
                  isOptional={!REQUIRED_FIELDS.includes(field)}
                  value={mapping[field]}
                  onChange={(value) => setField(field, value)}
                  hint={FIELD_HINTS[field]}
                  error={error && !mapping[field] && REQUIRED_FIELDS.includes(field) ? "Choose a column" : undefined}
                  options={[
                    { value: "", label: REQUIRED_FIELDS.includes(field) ? "Choose a column" : "— Not in this file —" },
                    ...preview.headers.filter(Boolean).map((h) => ({ value: h, label: h })),
                  ]}
                />
              ))}
              <SelectField
                label="Date format"
                value={dateFormat}
                onChange={(value) => {
                  setDateFormat(DATE_FORMATS.find((f) => f.value === value)?.value ?? "auto");
                  setReport(null);
                }}
                options={DATE_FORMATS}
                hint="Auto picks the one format that reads every date; 3/4/2026 is read as March 4 unless you choose D/M/YYYY."
              />
            </div>
            <MappedPreview preview={preview} mapping={mapping} />
            {categories.length > 0 ? (
              <p className="field__hint import-step__categories">
                The district&apos;s categories (other activity names are matched to one in the next step): {categories.filter((c) => c.status === "active").map((c) => c.name).join(", ")}.
              </p>
            ) : null}
            <div className="form__actions">
              <button type="button" className="button button--primary" onClick={() => void run(true)} disabled={isWorking}>
                {isWorking && !report ? "Checking…" : report ? "Check again" : "Check the file"}
              </button>
              <span className="muted import-step__note">Nothing is saved until you import.</span>
            </div>
          </section>

          {report && report.categoryValues.some((v) => v.source !== "name") ? (
            <CategoryValuesPanel
              report={report}
              categories={categories.filter((c) => c.status === "active")}
              choices={categoryChoices}
              onChoose={chooseCategory}
              isWorking={isWorking}
            />
          ) : null}
          {report ? <ReportPanel report={report} isWorking={isWorking} onImport={() => void run(false)} /> : null}
        </>
      ) : null}
    </>
  );
}

/**
 * Step 3 when the activity column has values that are not category names ("Tech support" for
 * "Tech support / troubleshooting"): one choice per distinct value, remembered for the next import.
 */
function CategoryValuesPanel({
  report,
  categories,
  choices,
  onChoose,
  isWorking,
}: {
  report: TImportReport;
  categories: { id: string; name: string }[];
  choices: Record<string, string>;
  onChoose: (value: string, categoryId: string) => void;
  isWorking: boolean;
}) {
  const values = report.categoryValues.filter((v) => v.source !== "name");
  const open = values.filter((v) => v.categoryId === null).length;
  return (
    <section className="panel import-step" aria-labelledby="import-values-title">
      <h2 id="import-values-title" className="import-step__title">
        <span className="import-step__number" aria-hidden="true">
          3
        </span>
        Match the activities
      </h2>
      <p className="import-step__text">
        {open > 0
          ? `${formatCount(open, "activity in the file is", "activities in the file are")} not a category name: choose the category each one means.`
          : "Every activity in the file has a category."}{" "}
        Your choices are remembered for the district&apos;s next import.
      </p>
      <div className="mapping-grid" aria-busy={isWorking}>
        {values.map((v) => (
          <SelectField
            key={v.value}
            label={`“${v.value}”`}
            value={choices[v.value] ?? v.categoryId ?? ""}
            onChange={(id) => onChoose(v.value, id)}
            hint={`${formatCount(v.rows, "row")}${v.source === "remembered" && choices[v.value] === undefined ? " · as chosen in an earlier import" : ""}`}
            error={v.categoryId === null ? "Choose a category" : undefined}
            options={[{ value: "", label: "Choose a category" }, ...categories.map((c) => ({ value: c.id, label: c.name }))]}
          />
        ))}
      </div>
    </section>
  );
}

function errorLines(report: TImportReport): number {
  return new Set(report.errors.map((e) => e.line)).size;
}

type PreviewRow = { index: number; row: string[] };

/** The first rows as they will be read: one column per mapped field. */
function MappedPreview({ preview, mapping }: { preview: CsvPreview; mapping: Mapping }) {
  const fields = IMPORT_FIELDS.filter((f) => mapping[f]);
  if (preview.rows.length === 0 || fields.length === 0) return null;
  const cell = (row: string[], column: string) => row[preview.headers.indexOf(column)] ?? "";
  return (
    <DataTable
      className="import-preview"
      caption="The first rows, as they will be read"
      isCaptionShown
      isDense
      rows={preview.rows.map((row, index) => ({ index, row }))}
      rowKey={({ index }) => String(index)}
      columns={fields.map((f) => ({
        id: f,
        header: FIELD_LABELS[f],
        cell: ({ row }: PreviewRow) => cell(row, mapping[f]) || <span className="cell-muted">—</span>,
        isEmpty: ({ row }: PreviewRow) => !cell(row, mapping[f]),
      }))}
    />
  );
}

/** The dry run's verdict, in the style of the roster import report: counts, then every problem by line. */
function ReportPanel({ report, isWorking, onImport }: { report: TImportReport; isWorking: boolean; onImport: () => void }) {
  const badLines = errorLines(report);
  const [downloadUrl, setDownloadUrl] = useState<string | null>(null);
  const csv = useMemo(
    () => toCsv(["line", "column", "message"], report.errors.map((e) => [e.line, e.column, e.message])),
    [report.errors],
  );
  useEffect(() => {
    if (report.errors.length === 0) return;
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    setDownloadUrl(url);
    return () => URL.revokeObjectURL(url);
  }, [csv, report.errors.length]);
  const fileProblem = report.errors.some((e) => e.line === 1) && report.valid === 0;

  return (
    <section className="panel import-step" aria-labelledby="import-report-title">
      <h2 id="import-report-title" className="import-step__title">
        <span className="import-step__number" aria-hidden="true">
          {report.categoryValues.some((v) => v.source !== "name") ? 4 : 3}
        </span>
        Check the result
      </h2>
      <ul className="report-counts" aria-label="Dry run result">
        <li>
          <span className="report-counts__value">{report.rows.toLocaleString()}</span>
          <span className="report-counts__label">rows read</span>
        </li>
        <li className="report-counts__ok">
          <span className="report-counts__value">{report.valid.toLocaleString()}</span>
          <span className="report-counts__label">valid</span>
        </li>
        <li className={badLines > 0 ? "report-counts__bad" : undefined}>
          <span className="report-counts__value">{badLines.toLocaleString()}</span>
          <span className="report-counts__label">with errors</span>
        </li>
        <li>
          <span className="report-counts__value report-counts__value--text">{report.dateFormat ?? "—"}</span>
          <span className="report-counts__label">date format</span>
        </li>
      </ul>

      {report.errors.length > 0 ? (
        <>
          <div className="section__header section__header--tight">
            <h3 className="form__title">
              Problems <span className="count">{report.errors.length.toLocaleString()}</span>
            </h3>
            {downloadUrl ? (
              <a className="button button--small" href={downloadUrl} download="coaching-import-errors.csv">
                <Icon name="download" size={15} />
                Download the errors (CSV)
              </a>
            ) : null}
          </div>
          <DataTable
            caption="Problems found in the file, by line"
            isDense
            rows={report.errors.slice(0, SHOWN_ERRORS).map((error, index) => ({ index, error }))}
            rowKey={({ index, error }) => `${error.line}:${error.column ?? ""}:${index}`}
            columns={[
              { id: "line", header: "Line", className: "cell-number", cell: ({ error }) => error.line },
              {
                id: "column",
                header: "Column",
                cell: ({ error }) => error.column ?? <span className="cell-muted">—</span>,
                isEmpty: ({ error }) => error.column === null,
              },
              { id: "problem", header: "Problem", cell: ({ error }) => error.message },
            ]}
          />
          {report.errors.length > SHOWN_ERRORS ? (
            <p className="field__hint">
              Showing the first {SHOWN_ERRORS} of {report.errors.length.toLocaleString()}; download the CSV for all of them.
            </p>
          ) : null}
        </>
      ) : (
        <Notice tone="success">Every row is valid.</Notice>
      )}

      {report.valid > 0 && !fileProblem ? (
        <>
          {badLines > 0 ? (
            <Notice tone="warning">
              {formatCount(badLines, "row has", "rows have")} errors and will be left out. Import the {formatCount(report.valid, "valid row")} now,
              then fix the others in the file and import it again: rows already imported are skipped, never doubled.
            </Notice>
          ) : null}
          <div className="form__actions">
            <button type="button" className="button button--primary" onClick={onImport} disabled={isWorking}>
              {isWorking ? "Importing…" : badLines > 0 ? `Import ${formatCount(report.valid, "valid row")}, skip ${badLines.toLocaleString()}` : `Import ${formatCount(report.valid, "row")}`}
            </button>
          </div>
        </>
      ) : (
        <p className="muted">Nothing can be imported yet: fix the mapping or the file, then check again.</p>
      )}
    </section>
  );
}
