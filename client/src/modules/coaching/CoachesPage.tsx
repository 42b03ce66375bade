import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router-dom";
import type { TCoachesQuery, TCoachesReport } from "../../../../shared/schemas/home.js";
import { EmptyState, ErrorState, PageHeader, Spinner } from "../../components/Feedback.js";
import { Icon } from "../../components/Icon.js";
import { DataTable } from "../../kits/DataTable.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useCoachingAccess } from "./access.js";
import { coachingApi, coachingQueries } from "./api.js";
import { formatDateShort, isIsoDate } from "./calendar.js";
import { useSchoolChoices } from "./data.js";
import { formatHours, formatShare } from "./format.js";

function CsvLink({ href, label }: { href: string; label: string }) {
  return (
    <a className="button button--small" href={href} download>
      <Icon name="download" size={14} /> {label}
    </a>
  );
}

/** Coaches compared over a range (default this term), and who is not yet reached this term. */
export function CoachesPage() {
  useDocumentTitle("Coaches compared");
  const access = useCoachingAccess();
  const [params, setParams] = useSearchParams();
  const isDistrict = access.compareSchools === "all";
  const { schools } = useSchoolChoices(access.compareSchools);
  const schoolParam = params.get("schoolId") ?? "";
  const schoolId = schools.some((s) => s.id === schoolParam) ? schoolParam : isDistrict ? "" : (schools[0]?.id ?? "");
  const fromParam = params.get("from");
  const toParam = params.get("to");
  const query: TCoachesQuery = {
    from: isIsoDate(fromParam) ? fromParam : undefined,
    to: isIsoDate(toParam) ? toParam : undefined,
    schoolId: schoolId || undefined,
  };
  const report = useQuery({ ...coachingQueries.coaches(query), enabled: isDistrict || Boolean(schoolId), placeholderData: keepPreviousData });
  const set = (changes: Record<string, string | null>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [k, v] of Object.entries(changes)) {
          if (v === null || v === "") next.delete(k);
          else next.set(k, v);
        }
        return next;
      },
      { replace: true },
    );
  const r = report.data;

  return (
    <>
      <PageHeader title="Coaches compared" description="Hours, coaching share and teachers reached per coach, and the teachers and schools no coaching has reached yet this term." />
      <div className="dash-filters" role="search" aria-label="Filters">
        <div className="dash-filters__row">
          <div className="field">
            <label className="field__label" htmlFor="coaches-from">
              From
            </label>
            <input id="coaches-from" className="input" type="date" value={query.from ?? r?.from ?? ""} onChange={(e) => set({ from: isIsoDate(e.target.value) ? e.target.value : null })} />
          </div>
          <div className="field">
            <label className="field__label" htmlFor="coaches-to">
              To
            </label>
            <input id="coaches-to" className="input" type="date" value={query.to ?? r?.to ?? ""} onChange={(e) => set({ to: isIsoDate(e.target.value) ? e.target.value : null })} />
          </div>
          <div className="field">
            <label className="field__label" htmlFor="coaches-school">
              School
            </label>
            <select id="coaches-school" className="select" value={schoolId} onChange={(e) => set({ schoolId: e.target.value })}>
              {isDistrict ? <option value="">All schools</option> : null}
              {schools.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        {fromParam || toParam ? (
          <button type="button" className="link-button dash-filters__reset" onClick={() => set({ from: null, to: null })}>
            Reset to this term
          </button>
        ) : null}
      </div>
      {report.error ? <ErrorState error={report.error} onRetry={() => void report.refetch()} /> : !r ? <Spinner label="Loading coaches…" /> : <Report r={r} query={query} />}
    </>
  );
}

function Report({ r, query }: { r: TCoachesReport; query: TCoachesQuery }) {
  const range = `${formatDateShort(r.from)} – ${formatDateShort(r.to)}`;
  const target = r.coachingShareTarget;
  return (
    <>
      <section className="section" aria-labelledby="coaches-table">
        <div className="section__header">
          <div>
            <h2 id="coaches-table" className="section__title">
              Coaches, {range}
            </h2>
            <p className="section__description">
              A teacher counts as reached when a coaching activity (not support) names them.
              {target !== null ? ` The district's target is ${formatShare(target)} of the time on coaching.` : ""}
            </p>
          </div>
          <CsvLink href={coachingApi.coachesCsvUrl(query, "coaches")} label="Download CSV" />
        </div>
        <DataTable
          caption={`Coaches compared, ${range}`}
          rows={r.coaches}
          rowKey={(c) => c.id}
          empty={<EmptyState title="No coaches here">No one holds the coach role at this school.</EmptyState>}
          defaultSort={{ columnId: "hours", direction: "desc" }}
          columns={[
            { id: "name", header: "Coach", isRowHeader: true, isPrimary: true, cell: (c) => c.name, sortValue: (c) => c.name },
            { id: "schools", header: "Schools", cell: (c) => c.schools.join(", ") || "—" },
            { id: "hours", header: "Hours", className: "cell-number", cell: (c) => formatHours(c.minutes), sortValue: (c) => c.minutes },
            {
              id: "share",
              header: "Coaching share",
              className: "cell-number",
              cell: (c) => (
                <span className={target !== null && c.coachingShare !== null && c.coachingShare < target ? "cell-below-target" : undefined}>
                  {formatShare(c.coachingShare)}
                  {target !== null && c.coachingShare !== null && c.coachingShare < target ? <span className="visually-hidden"> (below target)</span> : null}
                </span>
              ),
              sortValue: (c) => c.coachingShare ?? -1,
            },
            { id: "entries", header: "Activities", className: "cell-number", cell: (c) => c.entries, sortValue: (c) => c.entries },
            { id: "reached", header: "Teachers reached", className: "cell-number", cell: (c) => c.teachersReached, sortValue: (c) => c.teachersReached },
          ]}
        />
      </section>

      <section className="section" aria-labelledby="not-reached-schools">
        <div className="section__header">
          <div>
            <h2 id="not-reached-schools" className="section__title">
              Schools not yet reached, {r.term.name}
            </h2>
            <p className="section__description">Schools with teachers where no teacher has had a coaching activity this term.</p>
          </div>
          <CsvLink href={coachingApi.coachesCsvUrl(query, "schools")} label="Download CSV" />
        </div>
        <DataTable
          caption={`Schools not yet reached, ${r.term.name}`}
          rows={r.schoolsNotReached}
          rowKey={(s) => s.id}
          empty={<p className="section__description">Every school with teachers has been reached this term.</p>}
          columns={[
            { id: "name", header: "School", isRowHeader: true, isPrimary: true, cell: (s) => <Link to={`/directory/schools/${s.id}`}>{s.name}</Link>, sortValue: (s) => s.name },
            { id: "teachers", header: "Teachers", className: "cell-number", cell: (s) => s.teachers, sortValue: (s) => s.teachers },
          ]}
        />
      </section>

      <section className="section" aria-labelledby="not-reached-teachers">
        <div className="section__header">
          <div>
            <h2 id="not-reached-teachers" className="section__title">
              Teachers not yet reached, {r.term.name}
            </h2>
            <p className="section__description">
              {r.teachersNotReachedCount.toLocaleString()} of {r.teachers.toLocaleString()} teachers have had no coaching activity this term.
              {r.teacherNamesHidden ? " Coaching is non-evaluative: the district shows school leaders these counts, not names." : ""}
            </p>
          </div>
          {r.teacherNamesHidden ? null : <CsvLink href={coachingApi.coachesCsvUrl(query, "teachers")} label="Download CSV" />}
        </div>
        {r.teacherNamesHidden ? null : (
          <DataTable
            caption={`Teachers not yet reached, ${r.term.name}`}
            rows={r.teachersNotReached}
            rowKey={(t) => `${t.id}|${t.schoolId}`}
            empty={<p className="section__description">Every teacher has been reached this term.</p>}
            columns={[
              { id: "name", header: "Teacher", isRowHeader: true, isPrimary: true, cell: (t) => <Link to={`/directory/people/${t.id}`}>{t.name}</Link>, sortValue: (t) => t.name },
              { id: "school", header: "School", cell: (t) => t.schoolName, sortValue: (t) => t.schoolName },
            ]}
          />
        )}
      </section>
    </>
  );
}
