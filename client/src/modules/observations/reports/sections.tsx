// The report's sections, shared by the roll-up page and the printable teacher report: each a chart
// (or a table alone where a chart adds nothing), its summary in words, its table and its CSV.
import type { TCompareReport, TCompositeScore, TGrowthReport, TRollupReport } from "../../../../../shared/schemas/observation-reports.js";
import { DataTable } from "../../../kits/DataTable.js";
import { ChartFrame, ComparisonChart, GrowthChart, HeatMapChart } from "./charts.js";
import { formatCount, formatScore, formatShare } from "./format.js";

type Rubric = TRollupReport["rubric"];
type Metrics = TRollupReport["metrics"];

/** The headline figures: observations, teachers, shares at Adaptation and Infusion or above, extensity. */
export function ReportStats({ report }: { report: TRollupReport }) {
  const m = report.metrics;
  const at = (key: string) => m.prevalence.byObservation.find((p) => p.key === key);
  const adaptation = at("adaptation");
  const infusion = at("infusion");
  return (
    <ul className="obs-stats" aria-label="Totals">
      <li className="obs-stat">
        <span className="obs-stat__label">Observations</span>
        <span className="obs-stat__value">{formatCount(m.observations)}</span>
        <span className="obs-stat__detail">
          {formatCount(report.teacherMetrics.teachers)} {report.teacherMetrics.teachers === 1 ? "teacher" : "teachers"} observed
        </span>
      </li>
      <li className="obs-stat">
        <span className="obs-stat__label">At {adaptation?.name ?? "Adaptation"} or above</span>
        <span className="obs-stat__value">{formatShare(adaptation?.share)}</span>
        <span className="obs-stat__detail">of observations (any characteristic)</span>
      </li>
      <li className="obs-stat">
        <span className="obs-stat__label">At {infusion?.name ?? "Infusion"} or above</span>
        <span className="obs-stat__value">{formatShare(infusion?.share)}</span>
        <span className="obs-stat__detail">of observations (any characteristic)</span>
      </li>
      <li className="obs-stat">
        <span className="obs-stat__label">Extensity</span>
        <span className="obs-stat__value">{m.extensity.mean === null ? "—" : m.extensity.mean.toFixed(1)}</span>
        <span className="obs-stat__detail">of {report.rubric.dimensions.length} characteristics observed, on average</span>
      </li>
    </ul>
  );
}

/** The characteristic × level heat map, with not observed, its table and CSV. */
export function HeatMapSection({ rubric, metrics, csvUrl, isTableOpen }: { rubric: Rubric; metrics: Metrics; csvUrl?: string; isTableOpen?: boolean }) {
  const top = [...metrics.heatMap]
    .flatMap((r) => r.counts.map((count, i) => ({ r, count, level: rubric.levels[i]?.name ?? "" })))
    .sort((a, b) => b.count - a.count)[0];
  const summary =
    metrics.observations === 0
      ? "No observations in this range."
      : `Heat map of ${formatCount(metrics.observations)} observations: characteristics by level.` + (top ? ` The most common cell is ${top.r.name} at ${top.level} (${formatCount(top.count)}).` : "");
  return (
    <ChartFrame
      title="Characteristics by level"
      description="How many observations saw each characteristic at each level; the colour is its share of the observations that saw that characteristic."
      csvUrl={csvUrl}
      summary={summary}
      isTableOpen={isTableOpen}
      table={
        <DataTable
          caption="Observations per characteristic and level"
          isDense
          rows={metrics.heatMap}
          rowKey={(r) => r.dimension}
          columns={[
            { id: "dimension", header: "Characteristic", isRowHeader: true, cell: (r) => r.name },
            ...rubric.levels.map((l, i) => ({
              id: l.key,
              header: l.name,
              className: "cell-number",
              cell: (r: Metrics["heatMap"][number]) => `${formatCount(r.counts[i] ?? 0)} (${formatShare(r.shares[i])})`,
            })),
            { id: "not", header: "Not observed", className: "cell-number", cell: (r) => formatCount(r.notObserved) },
          ]}
        />
      }
    >
      <HeatMapChart rows={metrics.heatMap.map((r) => ({ name: r.name, cells: r.counts.map((count, i) => ({ count, share: r.shares[i] ?? null })) }))} levels={rubric.levels.map((l) => l.name)} summary={summary} />
    </ChartFrame>
  );
}

/** Level prevalence: per characteristic, the share at each level or above, and the most frequent level. */
export function PrevalenceSection({ rubric, metrics, csvUrl, isTableOpen }: { rubric: Rubric; metrics: Metrics; csvUrl?: string; isTableOpen?: boolean }) {
  const rows = [
    ...metrics.prevalence.byDimension.map((p) => ({ key: p.dimension, name: p.name, atOrAbove: p.atOrAbove, observed: p.observed, mostFrequent: p.mostFrequent })),
    { key: "any", name: "Any characteristic", atOrAbove: metrics.prevalence.byObservation.map((p) => p.share), observed: metrics.observations, mostFrequent: [] as number[] },
  ];
  const levelName = (rank: number) => rubric.levels[rank - 1]?.name ?? String(rank);
  const any = metrics.prevalence.byObservation;
  const summary =
    metrics.observations === 0
      ? "No observations in this range."
      : `Level prevalence: ${any.map((p) => `${formatShare(p.share)} at ${p.name} or above`).join(", ")} (an observation counts at a level when any characteristic reached it).`;
  return (
    <ChartFrame
      title="Level prevalence"
      description="The share of observations at each level or above, per characteristic (of the observations that saw it) and for the observation as a whole (its highest level). Levels are ordered, not measured: they are never averaged."
      csvUrl={csvUrl}
      summary={summary}
      isTableOpen={isTableOpen}
      table={
        <DataTable
          caption="Share of observations at each level or above"
          isDense
          rows={rows}
          rowKey={(r) => r.key}
          columns={[
            { id: "name", header: "Characteristic", isRowHeader: true, cell: (r) => r.name },
            ...rubric.levels.map((l, i) => ({ id: l.key, header: `${l.name}+`, className: "cell-number", cell: (r: (typeof rows)[number]) => formatShare(r.atOrAbove[i]) })),
            { id: "frequent", header: "Most frequent", cell: (r) => (r.mostFrequent.length ? r.mostFrequent.map(levelName).join(" / ") : "—"), isEmpty: (r) => r.mostFrequent.length === 0 },
          ]}
        />
      }
    >
      <ComparisonChart
        categories={rubric.levels.map((l) => `${l.name}+`)}
        groups={[
          { name: "Any characteristic", values: any.map((p) => p.share) },
          ...metrics.prevalence.byDimension.map((p) => ({ name: p.name, values: p.atOrAbove })),
        ]}
        summary={summary}
      />
    </ChartFrame>
  );
}

/** Highest level reached, flexibility and extensity as tables (small counts; a chart would add nothing). */
export function TeachersSection({ report, csvUrl, isTableOpen = true }: { report: TRollupReport; csvUrl?: string; isTableOpen?: boolean }) {
  const { rubric, teacherMetrics: t, metrics: m } = report;
  const rows = rubric.levels.map((l, i) => ({
    key: l.key,
    name: l.name,
    observations: m.highestByObservation.levels[i],
    teachers: t.highestByTeacher[i],
    flexible: t.flexibility.teachers[i],
    ratings: m.distribution[i],
  }));
  const summary =
    t.teachers === 0
      ? "No observed levels in this range."
      : `${formatCount(t.teachers)} ${t.teachers === 1 ? "teacher" : "teachers"} observed. Highest level reached: ${t.highestByTeacher.filter((l) => l.count > 0).map((l) => `${l.name} ${formatCount(l.count)}`).join(", ")}.`;
  return (
    <ChartFrame
      title="Highest level, flexibility and distribution"
      description="Observations and teachers by the highest level reached; teachers by how many distinct levels they were observed at (flexibility); all ratings by level."
      csvUrl={csvUrl}
      summary={summary}
      isTableOpen={isTableOpen}
      table={
        <DataTable
          caption="Highest level reached, flexibility and the distribution of ratings"
          isDense
          rows={rows}
          rowKey={(r) => r.key}
          columns={[
            { id: "level", header: "Level", isRowHeader: true, cell: (r) => r.name },
            { id: "obs", header: "Observations whose highest", className: "cell-number", cell: (r) => `${formatCount(r.observations?.count ?? 0)} (${formatShare(r.observations?.share)})` },
            { id: "teachers", header: "Teachers whose highest", className: "cell-number", cell: (r) => `${formatCount(r.teachers?.count ?? 0)} (${formatShare(r.teachers?.share)})` },
            { id: "ratings", header: "Ratings at this level", className: "cell-number", cell: (r) => `${formatCount(r.ratings?.count ?? 0)} (${formatShare(r.ratings?.share)})` },
          ]}
        />
      }
    >
      <div className="obs-facts">
        <DataTable
          caption="Teachers by the number of distinct levels they were observed at (flexibility)"
          isCaptionShown
          isDense
          rows={t.flexibility.teachers}
          rowKey={(f) => String(f.levels)}
          columns={[
            { id: "levels", header: "Distinct levels", isRowHeader: true, cell: (f) => String(f.levels) },
            { id: "count", header: "Teachers", className: "cell-number", cell: (f) => `${formatCount(f.count)} (${formatShare(f.share)})` },
          ]}
        />
        <DataTable
          caption="Observations by the number of characteristics observed (extensity)"
          isCaptionShown
          isDense
          rows={m.extensity.distribution}
          rowKey={(d) => String(d.characteristics)}
          columns={[
            { id: "n", header: "Characteristics", isRowHeader: true, cell: (d) => String(d.characteristics) },
            { id: "count", header: "Observations", className: "cell-number", cell: (d) => `${formatCount(d.count)} (${formatShare(d.share)})` },
          ]}
        />
      </div>
    </ChartFrame>
  );
}

/** Growth over time: the share of observations at each level or above, per term or school year. */
export function GrowthSection({ growth, csvUrl, isTableOpen }: { growth: TGrowthReport; csvUrl?: string; isTableOpen?: boolean }) {
  const levels = growth.rubric.levels.slice(1); // "Entry or above" is every observation that saw anything
  const first = growth.periods[0];
  const last = growth.periods[growth.periods.length - 1];
  const adaptationIndex = growth.rubric.levels.findIndex((l) => l.key === "adaptation");
  const pick = (p: typeof first) => (p ? (p.prevalence[adaptationIndex >= 0 ? adaptationIndex : 2]?.share ?? null) : null);
  const summary =
    growth.periods.length === 0
      ? "No observations in this range."
      : `${growth.periods.length} ${growth.bucket === "term" ? "terms" : "school years"}: ${formatShare(pick(first))} of observations at Adaptation or above in ${first?.period ?? ""}` +
        (first !== last ? `, ${formatShare(pick(last))} in ${last?.period ?? ""}.` : ".");
  return (
    <ChartFrame
      title={`Growth by ${growth.bucket === "term" ? "term" : "school year"}`}
      description="The share of each period's observations at each level or above (highest level of the observation)."
      csvUrl={csvUrl}
      summary={summary}
      isTableOpen={isTableOpen}
      table={
        <DataTable
          caption="Share of observations at each level or above, per period"
          isDense
          rows={growth.periods}
          rowKey={(p) => p.period}
          columns={[
            { id: "period", header: growth.bucket === "term" ? "Term" : "School year", isRowHeader: true, className: "cell-nowrap", cell: (p) => p.period },
            { id: "n", header: "Observations", className: "cell-number", cell: (p) => formatCount(p.observations) },
            ...growth.rubric.levels.map((l, i) => ({ id: l.key, header: `${l.name}+`, className: "cell-number", cell: (p: TGrowthReport["periods"][number]) => formatShare(p.prevalence[i]?.share) })),
            { id: "ext", header: "Extensity", className: "cell-number", cell: (p) => formatShare(p.extensity) },
          ]}
        />
      }
    >
      <GrowthChart
        periods={growth.periods.map((p) => p.period)}
        series={levels.map((l) => ({ name: `${l.name} or above`, values: growth.periods.map((p) => p.prevalence[l.rank - 1]?.share ?? null) }))}
        summary={summary}
      />
    </ChartFrame>
  );
}

/** Two schools or two periods side by side: prevalence at each level or above. */
export function CompareSection({ compare, csvUrl }: { compare: TCompareReport; csvUrl?: string }) {
  const [a, b] = compare.sides;
  const levels = compare.rubric.levels;
  const rows = levels.map((l, i) => ({ key: l.key, name: `${l.name} or above`, a: a?.metrics.prevalence.byObservation[i]?.share ?? null, b: b?.metrics.prevalence.byObservation[i]?.share ?? null }));
  const summary = `${a?.filter.label ?? ""} (${formatCount(a?.metrics.observations ?? 0)} observations) against ${b?.filter.label ?? ""} (${formatCount(b?.metrics.observations ?? 0)}).`;
  return (
    <ChartFrame
      title={compare.by === "schools" ? "Two schools side by side" : "Two periods side by side"}
      description="The share of observations at each level or above (highest level of the observation)."
      csvUrl={csvUrl}
      summary={summary}
      table={
        <DataTable
          caption="Share of observations at each level or above, side by side"
          isDense
          rows={rows}
          rowKey={(r) => r.key}
          columns={[
            { id: "level", header: "Level", isRowHeader: true, cell: (r) => r.name },
            { id: "a", header: a?.filter.label ?? "First", className: "cell-number", cell: (r) => formatShare(r.a) },
            { id: "b", header: b?.filter.label ?? "Second", className: "cell-number", cell: (r) => formatShare(r.b) },
          ]}
        />
      }
    >
      <ComparisonChart categories={levels.map((l) => `${l.name}+`)} groups={compare.sides.map((s) => ({ name: s.filter.label, values: s.metrics.prevalence.byObservation.map((p) => p.share) }))} summary={summary} />
    </ChartFrame>
  );
}

/** Composite scores, each with the formula that computed it beside the score. */
export function CompositesSection({ composites, csvUrl }: { composites: TCompositeScore[]; csvUrl?: string }) {
  if (composites.length === 0) return null;
  return (
    <section className="obs-composites" aria-labelledby="obs-composites-title">
      <div className="obs-chart__head">
        <h2 className="obs-chart__title" id="obs-composites-title">
          Composite scores
        </h2>
        {csvUrl ? (
          <a className="button button--small obs-chart__csv" href={csvUrl} download>
            Download CSV<span className="visually-hidden">: composite scores</span>
          </a>
        ) : null}
      </div>
      <ul className="obs-composites__list">
        {composites.map((c) => (
          <li key={c.compositeId} className="obs-composite">
            <span className="obs-composite__name">{c.name}</span>
            <span className="obs-composite__score">{formatScore(c.score)}</span>
            <code className="obs-composite__formula">{c.formula}</code>
            {c.missing.length ? <span className="obs-composite__missing">No value yet for: {c.missing.join(", ")}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
