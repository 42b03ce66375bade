import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router-dom";
import { canSeeDistrictReport, reportSchools } from "../../../../../shared/policy/observation-reports.js";
import { GRADE_BANDS } from "../../../../../shared/schemas/observation-reports.js";
import { ErrorState, PageHeader, Spinner } from "../../../components/Feedback.js";
import { useDocumentTitle } from "../../../lib/hooks.js";
import { useMe } from "../../../lib/session.js";
import { directoryQueries } from "../../directory/api.js";
import { reportQueries, reportsApi, type CompareQuery, type RollupQuery } from "./api.js";
import { CompareSection, CompositesSection, GrowthSection, HeatMapSection, PrevalenceSection, ReportStats, TeachersSection } from "./sections.js";
import "./reports.css";

const isIsoDate = (v: string | null): v is string => v !== null && /^\d{4}-\d{2}-\d{2}$/.test(v);

/** July 1 of the school year four years before the current one: five school years of growth. */
export function growthStart(today = new Date()): string {
  const year = today.getUTCFullYear() - (today.getUTCMonth() >= 6 ? 0 : 1);
  return `${year - 4}-07-01`;
}

/** Observation roll-ups for a teacher, a school or the district, with growth, a comparison and the composites. */
export function RollupsPage() {
  useDocumentTitle("Observation reports");
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const isLeaderOrAdmin = canSeeDistrictReport(me.person);
  const allowedSchools = reportSchools(me.person);
  // Every school for district-wide readers; else the schools named in the person's own grants.
  const schoolsQuery = useQuery({ ...directoryQueries.schools({ limit: 200, status: "active" }), enabled: allowedSchools === "all" });
  const schools =
    allowedSchools === "all"
      ? (schoolsQuery.data?.items ?? []).map((s) => ({ id: s.id, name: s.name }))
      : allowedSchools.map((id) => ({ id, name: me.person.roles.find((g) => g.schoolId === id)?.schoolName ?? "Unknown school" }));
  const schoolId = params.get("schoolId") ?? "";
  const teacherParam = params.get("teacherId") ?? "";
  const teachersQuery = useQuery({ ...directoryQueries.people({ role: "teacher", schoolId, limit: 200 }), enabled: isLeaderOrAdmin && Boolean(schoolId) });
  const teacherId = isLeaderOrAdmin ? teacherParam : me.person.id;
  const scope: RollupQuery["scope"] = teacherId ? "teacher" : schoolId ? "school" : "district";
  const query: RollupQuery = {
    scope,
    teacherId: teacherId || undefined,
    schoolId: schoolId || undefined,
    subject: params.get("subject") || undefined,
    gradeBand: params.get("gradeBand") || undefined,
    from: isIsoDate(params.get("from")) ? (params.get("from") ?? undefined) : undefined,
    to: isIsoDate(params.get("to")) ? (params.get("to") ?? undefined) : undefined,
  };
  const bucket = params.get("bucket") === "year" ? "year" : "term";
  const report = useQuery({ ...reportQueries.rollup(query), placeholderData: keepPreviousData });
  // Growth spans the last five school years unless a start is chosen.
  const growthQuery = { ...query, bucket, from: query.from ?? growthStart() } as const;
  const growth = useQuery({ ...reportQueries.growth(growthQuery), placeholderData: keepPreviousData });
  const compareBy = params.get("compare") === "periods" ? "periods" : params.get("compare") === "schools" ? "schools" : null;
  const otherSchoolId = params.get("otherSchoolId") ?? "";
  const compareQuery: CompareQuery | null =
    compareBy === "schools" && schoolId && otherSchoolId
      ? { ...query, scope: "school", by: "schools", otherSchoolId }
      : compareBy === "periods" && isIsoDate(params.get("otherFrom")) && isIsoDate(params.get("otherTo"))
        ? { ...query, by: "periods", otherFrom: params.get("otherFrom") ?? undefined, otherTo: params.get("otherTo") ?? undefined }
        : null;
  const compare = useQuery({ ...reportQueries.compare(compareQuery ?? { ...query, by: "periods" }), enabled: compareQuery !== null });

  const set = (changes: Record<string, string | null>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value === null || value === "") next.delete(key);
          else next.set(key, value);
        }
        return next;
      },
      { replace: true },
    );
  const r = report.data;

  return (
    <>
      <PageHeader
        title="Observation reports"
        description="Technology integration from classroom observations: which characteristics reach which levels, how that grows, and the district's composite scores."
        actions={
          teacherId ? (
            <Link className="button" to={`/observations/reports/teacher/${encodeURIComponent(teacherId)}${query.from || query.to ? `?from=${query.from ?? ""}&to=${query.to ?? ""}` : ""}`}>
              Printable report
            </Link>
          ) : null
        }
      />
      <div className="obs-filters" role="search" aria-label="Report filters">
        {isLeaderOrAdmin ? (
          <>
            <div className="field">
              <label className="field__label" htmlFor="obs-school">
                School
              </label>
              <select id="obs-school" className="select" value={schoolId} onChange={(e) => set({ schoolId: e.target.value, teacherId: null })}>
                <option value="">{allowedSchools === "all" ? "Whole district" : "All my schools"}</option>
                {schools.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label className="field__label" htmlFor="obs-teacher">
                Teacher
              </label>
              <select id="obs-teacher" className="select" value={teacherParam} disabled={!schoolId} onChange={(e) => set({ teacherId: e.target.value })}>
                <option value="">{schoolId ? "All teachers" : "Choose a school first"}</option>
                {(teachersQuery.data?.items ?? []).map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.familyName}, {t.givenName}
                  </option>
                ))}
              </select>
            </div>
          </>
        ) : null}
        <div className="field">
          <label className="field__label" htmlFor="obs-subject">
            Subject
          </label>
          <input id="obs-subject" className="input" defaultValue={query.subject ?? ""} placeholder="Any subject" onBlur={(e) => set({ subject: e.target.value.trim() })} />
        </div>
        <div className="field">
          <label className="field__label" htmlFor="obs-band">
            Grade band
          </label>
          <select id="obs-band" className="select" value={query.gradeBand ?? ""} onChange={(e) => set({ gradeBand: e.target.value })}>
            <option value="">Any grade</option>
            {GRADE_BANDS.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field__label" htmlFor="obs-from">
            From
          </label>
          <input id="obs-from" className="input" type="date" value={query.from ?? r?.filter.from ?? ""} onChange={(e) => set({ from: e.target.value })} />
        </div>
        <div className="field">
          <label className="field__label" htmlFor="obs-to">
            To
          </label>
          <input id="obs-to" className="input" type="date" value={query.to ?? r?.filter.to ?? ""} onChange={(e) => set({ to: e.target.value })} />
        </div>
      </div>

      {report.error ? (
        <ErrorState error={report.error} onRetry={() => void report.refetch()} />
      ) : !r ? (
        <Spinner label="Loading the report…" />
      ) : (
        <div className={report.isFetching ? "is-refreshing obs-report" : "obs-report"} aria-busy={report.isFetching}>
          <p className="obs-report__label">
            {r.filter.label} · {r.rubric.name} (version {r.rubric.version})
          </p>
          <ReportStats report={r} />
          <CompositesSection composites={r.composites} csvUrl={reportsApi.csvUrl("composites", query)} />
          <HeatMapSection rubric={r.rubric} metrics={r.metrics} csvUrl={reportsApi.csvUrl("heatmap", query)} />
          <PrevalenceSection rubric={r.rubric} metrics={r.metrics} csvUrl={reportsApi.csvUrl("prevalence", query)} />
          <TeachersSection report={r} csvUrl={reportsApi.csvUrl("flexibility", query)} isTableOpen={false} />
          <div className="obs-inline-controls">
            <label className="field__label" htmlFor="obs-bucket">
              Growth by
            </label>
            <select id="obs-bucket" className="select" value={bucket} onChange={(e) => set({ bucket: e.target.value === "year" ? "year" : null })}>
              <option value="term">Term</option>
              <option value="year">School year</option>
            </select>
          </div>
          {growth.data ? <GrowthSection growth={growth.data} csvUrl={reportsApi.csvUrl("growth", growthQuery)} /> : growth.error ? <ErrorState error={growth.error} /> : <Spinner label="Loading growth…" />}

          <div className="obs-compare-controls" role="group" aria-label="Compare">
            <div className="field">
              <label className="field__label" htmlFor="obs-compare">
                Compare with
              </label>
              <select id="obs-compare" className="select" value={compareBy ?? ""} onChange={(e) => set({ compare: e.target.value })}>
                <option value="">Nothing</option>
                {isLeaderOrAdmin && schoolId ? <option value="schools">Another school</option> : null}
                <option value="periods">Another period</option>
              </select>
            </div>
            {compareBy === "schools" ? (
              <div className="field">
                <label className="field__label" htmlFor="obs-other-school">
                  Other school
                </label>
                <select id="obs-other-school" className="select" value={otherSchoolId} onChange={(e) => set({ otherSchoolId: e.target.value })}>
                  <option value="">Choose…</option>
                  {schools
                    .filter((s) => s.id !== schoolId)
                    .map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                      </option>
                    ))}
                </select>
              </div>
            ) : null}
            {compareBy === "periods" ? (
              <>
                <div className="field">
                  <label className="field__label" htmlFor="obs-other-from">
                    Other period from
                  </label>
                  <input id="obs-other-from" className="input" type="date" value={params.get("otherFrom") ?? ""} onChange={(e) => set({ otherFrom: e.target.value })} />
                </div>
                <div className="field">
                  <label className="field__label" htmlFor="obs-other-to">
                    to
                  </label>
                  <input id="obs-other-to" className="input" type="date" value={params.get("otherTo") ?? ""} onChange={(e) => set({ otherTo: e.target.value })} />
                </div>
              </>
            ) : null}
          </div>
          {compareQuery && compare.data ? <CompareSection compare={compare.data} csvUrl={reportsApi.csvUrl("compare", compareQuery)} /> : compare.error ? <ErrorState error={compare.error} /> : null}
        </div>
      )}
    </>
  );
}
