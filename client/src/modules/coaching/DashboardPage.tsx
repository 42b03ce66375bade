import { useId, useMemo } from "react";
import { Link, useSearchParams } from "react-router-dom";
import type { TDashboard } from "../../../../shared/schemas/coaching.js";
import { coachingApi, coachingQueries, type DashboardBucket, type DashboardQuery, type DashboardScope } from "./api.js";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { EmptyState, ErrorState, PageHeader, Spinner } from "../../components/Feedback.js";
import { Icon } from "../../components/Icon.js";
import { DataTable } from "../../kits/DataTable.js";
import { formatCount } from "../../lib/format.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useCoachingAccess, type CoachingAccess, type SchoolRef } from "./access.js";
import { describeTermPeriod, fillBuckets, formatBucket, formatDateShort, isIsoDate, schoolYearStart, todayLocal } from "./calendar.js";
import { BarList, ChartCard, Legend, ShareTrendChart, StackedBarChart, type StackLayer } from "./charts.js";
import { useSchoolChoices } from "./data.js";
import { categoryColors, formatHours, formatMinutes, formatShare, KIND_COLORS } from "./format.js";
import { PersonPicker } from "./PersonPicker.js";

const SCOPE_LABELS: Record<DashboardScope, string> = { me: "Me", school: "School", district: "District" };
const BUCKET_LABELS: Record<DashboardBucket, string> = { week: "Week", month: "Month", term: "Term" };

function allowedScopes(access: CoachingAccess): DashboardScope[] {
  const scopes: DashboardScope[] = [];
  if (access.canLog) scopes.push("me");
  if (access.canSeeSchoolDashboard) scopes.push("school");
  if (access.canSeeDistrictDashboard) scopes.push("district");
  return scopes;
}

function defaultScope(access: CoachingAccess, scopes: DashboardScope[]): DashboardScope {
  if (access.isAdmin && scopes.includes("district")) return "district";
  if (scopes.includes("me")) return "me";
  return scopes[0] ?? "school";
}

/** A segmented control made of radio buttons (one tab stop, arrow keys move the choice). */
function Segmented<T extends string>({
  legend,
  value,
  options,
  onChange,
}: {
  legend: string;
  value: T;
  options: { value: T; label: string }[];
  onChange: (value: T) => void;
}) {
  const name = useId();
  return (
    <fieldset className="segmented">
      <legend className="segmented__legend">{legend}</legend>
      <div className="segmented__options">
        {options.map((option) => (
          <label key={option.value} className="segmented__option">
            <input type="radio" name={name} value={option.value} checked={value === option.value} onChange={() => onChange(option.value)} />
            <span>{option.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** Where the time goes, for a coach, a school or the district: by category over time, coaching vs support, reach. */
export function DashboardPage() {
  useDocumentTitle("Coaching dashboard");
  const access = useCoachingAccess();
  const [searchParams, setSearchParams] = useSearchParams();
  const today = todayLocal();
  const scopes = allowedScopes(access);
  const scopeParam = searchParams.get("scope");
  const scope: DashboardScope = scopes.find((s) => s === scopeParam) ?? defaultScope(access, scopes);
  const bucketParam = searchParams.get("bucket");
  const bucket: DashboardBucket = bucketParam === "month" || bucketParam === "term" ? bucketParam : "week";
  const fromParam = searchParams.get("from");
  const toParam = searchParams.get("to");
  const to = isIsoDate(toParam) ? toParam : today;
  // Without a chosen start the server starts at the district's school year (its terms, or July 1).
  const chosenFrom = isIsoDate(fromParam) ? fromParam : undefined;
  const coachId = access.isAdmin ? (searchParams.get("coachId") ?? "") : "";
  const coachName = searchParams.get("coachName") ?? "Selected coach";

  // School choices follow the scope: the schools one may see a dashboard of, or (for "me") the ones coached.
  const { schools: dashboardSchools, isLoading: isLoadingSchools } = useSchoolChoices(access.dashboardSchools);
  const { schools: coachSchools } = useSchoolChoices(access.coachSchools);
  const schoolChoices: SchoolRef[] = scope === "me" ? coachSchools : dashboardSchools;
  const schoolParam = searchParams.get("schoolId") ?? "";
  const isSchoolAllowed = schoolChoices.some((s) => s.id === schoolParam);
  const schoolId = isSchoolAllowed ? schoolParam : scope === "school" ? (schoolChoices[0]?.id ?? "") : "";
  const schoolName = schoolChoices.find((s) => s.id === schoolId)?.name;

  const query: DashboardQuery = {
    scope,
    bucket,
    from: chosenFrom,
    to,
    schoolId: schoolId || undefined,
    coachId: scope !== "me" && coachId ? coachId : undefined,
  };
  const isReady = scope !== "school" || Boolean(schoolId);
  const dashboard = useQuery({ ...coachingQueries.dashboard(query), enabled: isReady, placeholderData: keepPreviousData });

  const setParams = (changes: Record<string, string | null>) =>
    setSearchParams(
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

  const d = dashboard.data;
  const from = chosenFrom ?? (d && d.to === to ? d.from : schoolYearStart(to));
  const rangeIsInvalid = from > to;

  return (
    <>
      <PageHeader
        title="Coaching dashboard"
        description="Where the time goes: coaching (co-planning, co-teaching, modeling, observing, PD) versus support."
      />

      <div className="dash-filters" role="search" aria-label="Dashboard filters">
        {scopes.length > 1 ? (
          <Segmented
            legend="Show"
            value={scope}
            options={scopes.map((s) => ({ value: s, label: SCOPE_LABELS[s] }))}
            onChange={(value) => setParams({ scope: value, schoolId: null })}
          />
        ) : null}
        <Segmented
          legend="Group by"
          value={bucket}
          options={(["week", "month", "term"] as const).map((b) => ({ value: b, label: BUCKET_LABELS[b] }))}
          onChange={(value) => setParams({ bucket: value === "week" ? null : value })}
        />
        <div className="dash-filters__row">
          <div className="field">
            <label className="field__label" htmlFor="dash-from">
              From
            </label>
            <input
              id="dash-from"
              className="input"
              type="date"
              value={from}
              max={to}
              onChange={(event) => setParams({ from: isIsoDate(event.target.value) ? event.target.value : null })}
            />
          </div>
          <div className="field">
            <label className="field__label" htmlFor="dash-to">
              To
            </label>
            <input
              id="dash-to"
              className="input"
              type="date"
              value={to}
              onChange={(event) => setParams({ to: isIsoDate(event.target.value) ? event.target.value : null })}
            />
          </div>
          <div className="field">
            <label className="field__label" htmlFor="dash-school">
              School
            </label>
            <select
              id="dash-school"
              className="select"
              value={schoolId}
              onChange={(event) => setParams({ schoolId: event.target.value })}
              disabled={isLoadingSchools && schoolChoices.length === 0}
            >
              {scope === "school" ? null : <option value="">{scope === "me" ? "All my schools" : "All schools"}</option>}
              {schoolChoices.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
          {access.isAdmin && scope !== "me" ? (
            <PersonPicker
              label="Coach"
              role="coach"
              noun="coaches"
              isMultiple={false}
              isOptional
              placeholder="Any coach"
              value={coachId ? [{ id: coachId, name: coachName }] : []}
              onChange={(value) => setParams({ coachId: value[0]?.id ?? null, coachName: value[0]?.name ?? null })}
            />
          ) : null}
        </div>
        {fromParam || toParam ? (
          <button type="button" className="link-button dash-filters__reset" onClick={() => setParams({ from: null, to: null })}>
            Reset to the school year to date
          </button>
        ) : null}
      </div>

      {rangeIsInvalid ? (
        <div className="alert alert--warning" role="alert">
          <Icon name="alert" />
          <span>The start date is after the end date. Pick a start on or before {formatDateShort(to)}.</span>
        </div>
      ) : dashboard.error ? (
        <ErrorState error={dashboard.error} onRetry={() => void dashboard.refetch()} />
      ) : !d ? (
        <Spinner label="Loading the dashboard…" />
      ) : (
        <div className={dashboard.isFetching ? "is-refreshing" : undefined} aria-busy={dashboard.isFetching}>
          <DashboardBody
            dashboard={d}
            query={query}
            scope={scope}
            canLog={access.canLog}
            scopeName={scope === "me" ? "your log" : scope === "school" ? (schoolName ?? "this school") : "the district"}
            today={today}
          />
        </div>
      )}
    </>
  );
}

function DashboardBody({
  dashboard: raw,
  query,
  scope,
  canLog,
  scopeName,
  today,
}: {
  dashboard: TDashboard;
  query: DashboardQuery;
  scope: DashboardScope;
  canLog: boolean;
  scopeName: string;
  today: string;
}) {
  // Quiet weeks inside the range stay on the time axis as empty bars.
  const d = useMemo(
    () => ({
      ...raw,
      series: fillBuckets<TDashboard["series"][number]>(
        raw.bucket,
        raw.series,
        (bucket) => ({ bucket, minutesByCategory: {}, coachingMinutes: 0, supportMinutes: 0 }),
        raw.terms.map((t) => t.key),
      ),
    }),
    [raw],
  );
  const colors = useMemo(() => categoryColors(d.categories), [d.categories]);
  const layers: StackLayer[] = useMemo(
    () =>
      [...d.categories.filter((c) => c.kind === "coaching"), ...d.categories.filter((c) => c.kind === "support")].map((c) => ({
        id: c.id,
        name: c.name,
        color: colors.get(c.id) ?? "#888",
      })),
    [d.categories, colors],
  );
  const period = describeTermPeriod(d.terms, today);
  const termNames = new Map(d.terms.map((t) => [t.key, t.name]));
  const bucketName = (key: string, isShort = false) => formatBucket(d.bucket, key, isShort, termNames);
  const range = `${formatDateShort(d.from)} – ${formatDateShort(d.to)}`;
  const between = `between ${formatDateShort(d.from)} and ${formatDateShort(d.to)}`;
  const csv = (table: "series" | "coverage" | "teachers" | "schools") => coachingApi.dashboardCsvUrl(query, table);
  const bucketWord = BUCKET_LABELS[d.bucket].toLowerCase();

  if (d.totals.entries === 0) {
    return (
      <EmptyState
        title="No activities logged in this range"
        action={
          scope === "me" && canLog ? (
            <div className="state__actions">
              <Link className="button button--primary" to="/coaching">
                Log an activity
              </Link>
              <Link className="button" to="/coaching/import">
                Import a Google Forms log
              </Link>
            </div>
          ) : null
        }
      >
        {scope === "me"
          ? `Nothing in your log ${between}. Log what you did today, or import the log you kept in Google Forms, and this dashboard fills in.`
          : `Coaches have logged nothing for ${scopeName} ${between}. Try a longer date range or another school; the numbers appear as coaches log their work.`}
      </EmptyState>
    );
  }

  const shares = d.series.map((s) => {
    const total = s.coachingMinutes + s.supportMinutes;
    return { s, share: total > 0 ? s.coachingMinutes / total : null };
  });
  const firstShare = shares.find((p) => p.share !== null);
  const lastShare = [...shares].reverse().find((p) => p.share !== null);
  const busiest = [...d.series].sort((a, b) => b.coachingMinutes + b.supportMinutes - (a.coachingMinutes + a.supportMinutes))[0];
  const topCategory = [...layers]
    .map((l) => ({ l, minutes: d.series.reduce((sum, s) => sum + (s.minutesByCategory[l.id] ?? 0), 0) }))
    .sort((a, b) => b.minutes - a.minutes)[0];

  const stackSummary =
    `Stacked bars of hours by category per ${bucketWord}, ${range}: ${formatHours(d.totals.minutes)} hours in ${formatCount(d.series.length, bucketWord)}.` +
    (busiest ? ` The busiest was ${bucketName(busiest.bucket)} with ${formatHours(busiest.coachingMinutes + busiest.supportMinutes)} hours.` : "") +
    (topCategory ? ` Most time went to ${topCategory.l.name} (${formatHours(topCategory.minutes)} hours).` : "");
  const change = firstShare?.share != null && lastShare?.share != null ? Math.round((lastShare.share - firstShare.share) * 100) : null;
  const shareSummary =
    firstShare && lastShare && firstShare.share !== null && lastShare.share !== null
      ? `Coaching share per ${bucketWord}: ${formatShare(firstShare.share)} in ${bucketName(firstShare.s.bucket)}, ` +
        `${formatShare(lastShare.share)} in ${bucketName(lastShare.s.bucket)}` +
        (change === null || firstShare === lastShare ? "." : change === 0 ? ", unchanged." : `, ${change > 0 ? "up" : "down"} ${formatCount(Math.abs(change), "point")}.`) +
        ` Overall ${formatShare(d.totals.coachingShare)} coaching, ${formatShare(d.totals.coachingShare === null ? null : 1 - d.totals.coachingShare)} support.`
      : "No coaching or support time in this range.";

  // The totals count a teacher at two schools once (the server's one definition), not the sum of the rows.
  const coverageTotals = { teachers: d.totals.teachers, reached: d.totals.teachersReached };
  const leastCovered = [...d.coverage].filter((c) => c.share !== null).sort((a, b) => (a.share ?? 0) - (b.share ?? 0))[0];

  return (
    <>
      <ul className="stat-grid" aria-label="Totals">
        <li className="stat">
          <span className="stat__label">Total time</span>
          <span className="stat__value">{formatHours(d.totals.minutes)} h</span>
          <span className="stat__detail">{range}</span>
        </li>
        <li className="stat stat--coaching">
          <span className="stat__label">Coaching share</span>
          <span className="stat__value">{formatShare(d.totals.coachingShare)}</span>
          <span className="stat__detail">
            {formatHours(d.totals.coachingMinutes)} h coaching · {formatHours(d.totals.supportMinutes)} h support
          </span>
          {d.coachingShareTarget !== null ? (
            <span className="stat__detail">
              Target {formatShare(d.coachingShareTarget)}
              {d.totals.coachingShare !== null ? (d.totals.coachingShare >= d.coachingShareTarget ? " · on target" : ` · ${Math.round((d.coachingShareTarget - d.totals.coachingShare) * 100)} points below`) : ""}
            </span>
          ) : null}
          {change !== null && firstShare && lastShare && firstShare !== lastShare ? (
            <span className="stat__detail">
              {change === 0 ? "Unchanged" : `${change > 0 ? "Up" : "Down"} ${formatCount(Math.abs(change), "point")}`} since {bucketName(firstShare.s.bucket, true)}
            </span>
          ) : null}
        </li>
        <li className="stat">
          <span className="stat__label">Teachers reached</span>
          <span className="stat__value">{d.totals.teachersReached.toLocaleString()}</span>
          <span className="stat__detail">
            of {d.totals.teachers.toLocaleString()} ({formatShare(d.totals.teachers ? d.totals.teachersReached / d.totals.teachers : null)}), {period}
          </span>
        </li>
        <li className="stat">
          <span className="stat__label">Entries</span>
          <span className="stat__value">{d.totals.entries.toLocaleString()}</span>
          <span className="stat__detail">logged activities</span>
        </li>
      </ul>

      <details className="dash-help">
        <summary>How teachers are counted</summary>
        <p>
          <strong>Teachers</strong> are the active people with a teacher role at an active school in view, each counted once even when they
          teach at two schools. A teacher is <strong>reached</strong> when at least one coaching entry (not a support one) in view names them,
          {" "}{period}. Every figure on this page uses these two definitions: the headline number, coverage and its total. A teacher at two
          schools appears in both schools&apos; rows of the coverage table, and once in its total.
        </p>
      </details>

      <ChartCard
        title={`Time by category per ${bucketWord}`}
        description="Coaching categories in blues and violets, support in oranges and reds."
        csvUrl={csv("series")}
        summary={stackSummary}
        table={
          <DataTable
            caption={`Hours by category per ${bucketWord}`}
            isDense
            rows={d.series}
            rowKey={(s) => s.bucket}
            columns={[
              { id: "bucket", header: BUCKET_LABELS[d.bucket], isRowHeader: true, className: "cell-nowrap", cell: (s) => bucketName(s.bucket) },
              ...layers.map((l) => ({
                id: l.id,
                header: l.name,
                className: "cell-number",
                cell: (s: Series) => formatMinutes(s.minutesByCategory[l.id] ?? 0),
                isEmpty: (s: Series) => !s.minutesByCategory[l.id],
              })),
              { id: "coaching", header: "Coaching", className: "cell-number", cell: (s) => formatMinutes(s.coachingMinutes) },
              { id: "support", header: "Support", className: "cell-number", cell: (s) => formatMinutes(s.supportMinutes) },
            ]}
          />
        }
      >
        <StackedBarChart
          series={d.series.map((s) => ({
            key: s.bucket,
            label: bucketName(s.bucket),
            shortLabel: bucketName(s.bucket, true),
            values: s.minutesByCategory,
          }))}
          layers={layers}
          summary={stackSummary}
        />
        <Legend
          groups={[
            { label: "Coaching", items: layers.filter((l) => d.categories.find((c) => c.id === l.id)?.kind === "coaching") },
            { label: "Support", items: layers.filter((l) => d.categories.find((c) => c.id === l.id)?.kind === "support") },
          ]}
        />
      </ChartCard>

      <ChartCard
        title="Coaching vs support"
        description={`Share of logged time that was coaching, per ${bucketWord}; the shaded area above the line is support.`}
        csvUrl={csv("series")}
        summary={shareSummary}
        table={
          <DataTable
            caption={`Coaching and support time per ${bucketWord}`}
            isDense
            rows={shares}
            rowKey={({ s }) => s.bucket}
            columns={[
              { id: "bucket", header: BUCKET_LABELS[d.bucket], isRowHeader: true, className: "cell-nowrap", cell: ({ s }) => bucketName(s.bucket) },
              { id: "coaching", header: "Coaching", className: "cell-number", cell: ({ s }) => formatMinutes(s.coachingMinutes) },
              { id: "support", header: "Support", className: "cell-number", cell: ({ s }) => formatMinutes(s.supportMinutes) },
              { id: "share", header: "Coaching share", className: "cell-number", cell: ({ share }) => formatShare(share) },
            ]}
          />
        }
      >
        <ShareTrendChart
          points={shares.map(({ s, share }) => ({
            key: s.bucket,
            label: bucketName(s.bucket),
            shortLabel: bucketName(s.bucket, true),
            share,
          }))}
          summary={shareSummary}
          coachingColor={KIND_COLORS.coaching}
          supportColor={KIND_COLORS.support}
        />
        <div className="legend">
          <ul className="legend__items">
            <li>
              <span className="legend__swatch legend__swatch--line" style={{ background: KIND_COLORS.coaching }} aria-hidden="true" />
              Coaching share
            </li>
            <li>
              <span className="legend__swatch legend__swatch--soft" style={{ background: KIND_COLORS.support }} aria-hidden="true" />
              Support
            </li>
          </ul>
        </div>
      </ChartCard>

      <div className="chart-pair">
        {d.coverage.length > 0 ? (
          <ChartCard
            title="Coverage"
            description={`Share of each school's teachers with at least one coaching interaction, ${period}; lowest first.`}
            csvUrl={csv("coverage")}
            summary={
              `${coverageTotals.reached} of ${formatCount(coverageTotals.teachers, "teacher")} (${formatShare(coverageTotals.teachers ? coverageTotals.reached / coverageTotals.teachers : null)}) ` +
              `across ${d.coverage.length} school${d.coverage.length === 1 ? "" : "s"} had a coaching interaction, ${period}.` +
              (leastCovered && d.coverage.length > 1 ? ` Lowest: ${leastCovered.schoolName} at ${formatShare(leastCovered.share)}.` : "")
            }
            table={
              <DataTable
                caption={`Coverage by school, ${period}`}
                isDense
                rows={d.coverage}
                rowKey={(c) => c.schoolId}
                columns={[
                  { id: "school", header: "School", isRowHeader: true, cell: (c) => c.schoolName },
                  { id: "reached", header: "Reached", className: "cell-number", cell: (c) => c.reached },
                  { id: "teachers", header: "Teachers", className: "cell-number", cell: (c) => c.teachers },
                  { id: "coverage", header: "Coverage", className: "cell-number", cell: (c) => formatShare(c.share) },
                ]}
                footer={
                  d.coverage.length > 1
                    ? {
                        schoolId: "all",
                        schoolName: "All schools",
                        ...coverageTotals,
                        share: coverageTotals.teachers ? coverageTotals.reached / coverageTotals.teachers : null,
                      }
                    : undefined
                }
              />
            }
          >
            {/* A scrolling box takes focus so a keyboard can scroll it in every browser (WCAG 2.1.1). */}
            <div className="bar-list-scroll" tabIndex={0} role="region" aria-label={`Coverage by school, lowest first, ${period}`}>
              <BarList
                label={`Coverage by school, lowest first, ${period}`}
                color={KIND_COLORS.coaching}
                rows={[...d.coverage]
                  // The schools to act on (fewest teachers reached) first.
                  .sort((a, b) => (a.share ?? 2) - (b.share ?? 2) || a.schoolName.localeCompare(b.schoolName))
                  .map((c) => ({
                    key: c.schoolId,
                    label: c.schoolName,
                    value: c.share ?? 0,
                    valueText: formatShare(c.share),
                    detail: `${c.reached} of ${formatCount(c.teachers, "teacher")}`,
                  }))}
              />
            </div>
          </ChartCard>
        ) : null}

        <ChartCard
          title="Most-served teachers"
          description={`Time with each teacher, ${period}.`}
          csvUrl={csv("teachers")}
          summary={
            d.teacherNamesHidden
              ? "Which teachers were coached stays between coaches and teachers; the totals above count them all."
              : d.topTeachers.length > 0
              ? `The ${d.topTeachers.length === 1 ? "teacher" : `${d.topTeachers.length} teachers`} with the most logged time, ${period}; first ${d.topTeachers[0]?.name} with ${formatHours(d.topTeachers[0]?.minutes ?? 0)} hours.`
              : `No teachers were attached to entries, ${period}.`
          }
          table={
            <RankingTable caption={`Most-served teachers, ${period}`} heading="Teacher" rows={d.topTeachers} />
          }
        >
          {d.topTeachers.length > 0 ? (
            <BarList
              label={`Most-served teachers, ${period}`}
              color="#0f766e"
              rows={rankingBars(d.topTeachers)}
            />
          ) : d.teacherNamesHidden ? (
            <p className="chart-card__empty">
              Coaching is non-evaluative: school leaders see the school&rsquo;s totals, not which teachers were coached. A district admin can change this in
              Settings → Security.
            </p>
          ) : (
            <p className="chart-card__empty">Attach teachers to your entries to see who you serve most.</p>
          )}
        </ChartCard>

        {scope !== "school" ? (
          <ChartCard
            title="Most-served schools"
            description={`Logged time per school, ${range}.`}
            csvUrl={csv("schools")}
            summary={
              d.topSchools.length > 0
                ? `${d.topSchools[0]?.name} had the most logged time, ${formatHours(d.topSchools[0]?.minutes ?? 0)} hours, of ${formatCount(d.topSchools.length, "school")} shown.`
                : "No entries named a school in this range."
            }
            table={
              <RankingTable caption={`Most-served schools, ${range}`} heading="School" rows={d.topSchools} />
            }
          >
            {d.topSchools.length > 0 ? (
              <BarList
                label={`Most-served schools, ${range}`}
                color="#6d28d9"
                rows={rankingBars(d.topSchools)}
              />
            ) : (
              <p className="chart-card__empty">Choose a school when you log, to see where your time goes.</p>
            )}
          </ChartCard>
        ) : null}
      </div>
    </>
  );
}

type Series = TDashboard["series"][number];

type Ranked = { id: string; name: string; minutes: number; entries: number };

/** The table behind a "most-served" chart: name, time and entries. */
function RankingTable({ caption, heading, rows }: { caption: string; heading: string; rows: readonly Ranked[] }) {
  return (
    <DataTable
      caption={caption}
      isDense
      rows={rows}
      rowKey={(r) => r.id}
      columns={[
        { id: "name", header: heading, isRowHeader: true, cell: (r) => r.name },
        { id: "time", header: "Time", className: "cell-number", cell: (r) => formatMinutes(r.minutes) },
        { id: "entries", header: "Entries", className: "cell-number", cell: (r) => r.entries },
      ]}
    />
  );
}

/** Bars for a "most-served" chart. */
function rankingBars(rows: readonly Ranked[]) {
  return rows.map((r) => ({
    key: r.id,
    label: r.name,
    value: r.minutes,
    valueText: `${formatHours(r.minutes)} h`,
    detail: `${r.entries} ${r.entries === 1 ? "entry" : "entries"}`,
  }));
}
