import { useQuery } from "@tanstack/react-query";
import { useParams, useSearchParams } from "react-router-dom";
import { ErrorState, PageHeader, Spinner } from "../../../components/Feedback.js";
import { useDocumentTitle } from "../../../lib/hooks.js";
import { reportQueries, type RollupQuery } from "./api.js";
import { growthStart } from "./RollupsPage.js";
import { CompositesSection, GrowthSection, HeatMapSection, PrevalenceSection, ReportStats, TeachersSection } from "./sections.js";
import "./reports.css";

const isIsoDate = (v: string | null): v is string => v !== null && /^\d{4}-\d{2}-\d{2}$/.test(v);

/**
 * One teacher's observation report, laid out to print: every table open, no controls, charts drawn
 * as SVG, page breaks between sections (reports.css's print rules), so "Save as PDF" gives a clean copy.
 */
export function TeacherReportPage() {
  const { teacherId = "" } = useParams();
  const [params] = useSearchParams();
  const query: RollupQuery = {
    scope: "teacher",
    teacherId,
    from: isIsoDate(params.get("from")) ? (params.get("from") ?? undefined) : undefined,
    to: isIsoDate(params.get("to")) ? (params.get("to") ?? undefined) : undefined,
  };
  const report = useQuery(reportQueries.rollup(query));
  const growth = useQuery(reportQueries.growth({ ...query, bucket: "term", from: query.from ?? growthStart() }));
  const r = report.data;
  const name = r?.filter.label.split(",")[0] ?? "Teacher";
  useDocumentTitle(`Observation report: ${name}`);

  return (
    <div className="obs-print">
      <PageHeader
        title={`Observation report: ${name}`}
        description={r ? `${r.filter.from} – ${r.filter.to} · ${r.rubric.name} (version ${r.rubric.version}) · printed ${new Date().toISOString().slice(0, 10)}` : undefined}
        breadcrumb={{ to: `/observations/reports?teacherId=${encodeURIComponent(teacherId)}`, label: "Observation reports" }}
        actions={
          <button type="button" className="button button--primary obs-print__button" onClick={() => window.print()}>
            Print or save as PDF
          </button>
        }
      />
      {report.error ? (
        <ErrorState error={report.error} onRetry={() => void report.refetch()} />
      ) : !r ? (
        <Spinner label="Loading the report…" />
      ) : (
        <div className="obs-report">
          <ReportStats report={r} />
          <CompositesSection composites={r.composites} />
          <HeatMapSection rubric={r.rubric} metrics={r.metrics} isTableOpen />
          <PrevalenceSection rubric={r.rubric} metrics={r.metrics} isTableOpen />
          <TeachersSection report={r} isTableOpen />
          {growth.data ? <GrowthSection growth={growth.data} isTableOpen /> : null}
          <p className="obs-print__note">
            Levels of the Technology Integration Matrix are ordered, not measured, so this report counts and compares them and never averages them. Prevalence counts an
            observation at a level when any characteristic reached it.
          </p>
        </div>
      )}
    </div>
  );
}
