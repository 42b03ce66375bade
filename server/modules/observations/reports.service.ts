import { OBSERVATION_METRICS, scoreComposite, type CompositeDefinition } from "../../../shared/observation-composites.js";
import {
  extensity,
  heatMap,
  highestLevels,
  flexibility,
  levelDistribution,
  prevalenceByDimension,
  prevalenceByObservation,
  shareAtOrAbove,
  type CellCount,
  type ObservationProfileCount,
  type RubricShape,
} from "../../../shared/observation-metrics.js";
import { canSeeDistrictReport, canSeeSchoolReport, canSeeTeacherReport, reportSchools, seesOwnReportOnly } from "../../../shared/policy/observation-reports.js";
import type {
  TCompareQuery,
  TCompareReport,
  TCompositeScore,
  TCountMetrics,
  TGrowthQuery,
  TGrowthReport,
  THeatMapReport,
  TRollupQuery,
  TRollupReport,
} from "../../../shared/schemas/observation-reports.js";
import type { Actor } from "../../auth/actor.js";
import type { Ctx } from "../../context.js";
import { fieldError, forbidden, notFound } from "../../errors.js";
import { displayName, namesByIds } from "../people/api.js";
import { schoolNamesByIds } from "../schools/api.js";
import { compositeMetricInfos, evaluateRegisteredMetrics, type MetricScope } from "./composite-metrics.js";
import * as repo from "./reports.repository.js";
import { ensureDistrictDefaults } from "./rubrics.service.js";

const MAX_RANGE_DAYS = 366 * 10;

const todayIso = () => new Date().toISOString().slice(0, 10);
/** The school year starts July 1 (the observations' terms use the same calendar). */
const schoolYearStart = (date: string) => `${Number(date.slice(5, 7)) >= 7 ? date.slice(0, 4) : Number(date.slice(0, 4)) - 1}-07-01`;

type Resolved = {
  filter: repo.ReportFilter & { sharedOnly: boolean };
  shape: RubricShape;
  rubric: THeatMapReport["rubric"];
  echo: THeatMapReport["filter"];
};

/** The rubric's current definition as the metrics see it: dimensions, and levels ranked 1…L. */
function shapeOf(definition: string): RubricShape {
  const parsed = JSON.parse(definition) as { dimensions?: { key: string; name: string }[]; levels?: { key: string; name: string }[] };
  return {
    dimensions: (parsed.dimensions ?? []).map((d) => ({ key: d.key, name: d.name })),
    levels: (parsed.levels ?? []).map((l, i) => ({ rank: i + 1, key: l.key, name: l.name })),
  };
}

/** Checks who may see what the query asks for and turns it into the observations to count. */
async function resolve(ctx: Ctx, actor: Actor, q: TRollupQuery, prefix = "query"): Promise<Resolved> {
  const to = q.to ?? todayIso();
  const from = q.from ?? schoolYearStart(to);
  if (from > to) throw fieldError(`${prefix}.from`, "is after the end date");
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_RANGE_DAYS) throw fieldError(`${prefix}.from`, "the range may span at most ten years");
  let schoolIds: "all" | string[];
  let sharedOnly = false;
  switch (q.scope) {
    case "teacher": {
      if (!q.teacherId) throw fieldError(`${prefix}.teacherId`, "is required for a teacher's roll-up");
      if (!canSeeTeacherReport(actor, q.teacherId)) throw forbidden("You can see only your own observation roll-ups");
      sharedOnly = seesOwnReportOnly(actor, q.teacherId);
      schoolIds = sharedOnly ? "all" : reportSchools(actor);
      break;
    }
    case "school": {
      if (!q.schoolId) throw fieldError(`${prefix}.schoolId`, "is required for a school's roll-up");
      if (!canSeeSchoolReport(actor, q.schoolId)) throw forbidden("You cannot see this school's observation roll-ups");
      schoolIds = [q.schoolId];
      break;
    }
    case "district": {
      if (!canSeeDistrictReport(actor)) throw forbidden("Only district admins, coaches and school leaders see observation roll-ups");
      schoolIds = reportSchools(actor);
      break;
    }
    default: {
      const exhaustive: never = q.scope;
      return exhaustive;
    }
  }
  // A school narrows any scope, within what the caller may see.
  if (q.schoolId !== undefined && q.scope !== "school") {
    if (!sharedOnly && !canSeeSchoolReport(actor, q.schoolId)) throw forbidden("You cannot see this school's observation roll-ups");
    schoolIds = [q.schoolId];
  }
  let rubric = await repo.findReportRubric(ctx.db, actor.districtId, q.rubricId);
  if (!rubric && q.rubricId === undefined) {
    // A district that has not opened observations yet gets the TIM as its default, as the rubric pages do.
    await ensureDistrictDefaults(ctx.db, actor.districtId);
    rubric = await repo.findReportRubric(ctx.db, actor.districtId, undefined);
  }
  if (!rubric) throw q.rubricId ? notFound("Rubric") : notFound("The district's default rubric");
  const shape = shapeOf(rubric.definition);
  const [schoolNames, teacherNames] = await Promise.all([
    schoolNamesByIds(ctx.db, q.schoolId ? [q.schoolId] : []),
    q.teacherId ? namesByIds(ctx.db, [q.teacherId]) : Promise.resolve(new Map()),
  ]);
  const who = [
    q.teacherId ? displayName(teacherNames, q.teacherId) : null,
    q.schoolId ? (schoolNames.get(q.schoolId) ?? "Unknown school") : q.scope === "district" ? (schoolIds === "all" ? "District" : "Your schools") : null,
    q.subject ?? null,
    q.gradeBand ? `grades ${q.gradeBand}` : null,
  ].filter((s): s is string => s !== null);
  return {
    filter: {
      districtId: actor.districtId,
      rubricId: rubric.id,
      rubricVersionIds: rubric.versionIds,
      schoolIds,
      teacherId: q.teacherId && q.scope === "teacher" ? q.teacherId : undefined,
      subject: q.subject,
      gradeBand: q.gradeBand,
      from,
      to,
      sharedOnly,
    },
    shape,
    rubric: { id: rubric.id, name: rubric.name, version: rubric.version, dimensions: [...shape.dimensions], levels: [...shape.levels] },
    echo: {
      scope: q.scope,
      teacherId: q.teacherId ?? null,
      schoolId: q.schoolId ?? null,
      subject: q.subject ?? null,
      gradeBand: q.gradeBand ?? null,
      from,
      to,
      label: `${who.join(", ")}, ${from} – ${to}`,
    },
  };
}

const monthOf = (date: string) => date.slice(0, 7);
const nextMonth = (month: string) => {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
};
const previousMonth = (month: string) => {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
};
const lastDayOf = (month: string) => new Date(Date.parse(`${nextMonth(month)}-01T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * How to count a filter: the whole months it covers from the monthly rollups, and the days of partly
 * covered months from the rows. Filters the rollups do not break down by (a teacher, a subject, a
 * grade band, shared-only) read the rows for the whole range.
 */
export function planCounts(f: repo.ReportFilter & { sharedOnly: boolean }): { months: { fromMonth: string; toMonth: string } | null; rowRanges: { from: string; to: string }[] } {
  const isRollupable = f.teacherId === undefined && f.subject === undefined && f.gradeBand === undefined && !f.sharedOnly;
  if (!isRollupable) return { months: null, rowRanges: [{ from: f.from, to: f.to }] };
  const fromMonth = f.from.endsWith("-01") ? monthOf(f.from) : nextMonth(monthOf(f.from));
  const toMonth = f.to === lastDayOf(monthOf(f.to)) ? monthOf(f.to) : previousMonth(monthOf(f.to));
  if (fromMonth > toMonth) return { months: null, rowRanges: [{ from: f.from, to: f.to }] };
  const rowRanges: { from: string; to: string }[] = [];
  if (`${fromMonth}-01` > f.from) rowRanges.push({ from: f.from, to: lastDayOf(previousMonth(fromMonth)) });
  if (lastDayOf(toMonth) < f.to) rowRanges.push({ from: `${nextMonth(toMonth)}-01`, to: f.to });
  return { months: { fromMonth, toMonth }, rowRanges };
}

const num = (v: unknown) => Number(v);
const cellsOf = (rows: readonly { dimension: string; level: number | null; count: unknown }[]): CellCount[] =>
  rows.flatMap((r) => (r.level === null ? [] : [{ dimension: r.dimension, level: num(r.level), count: num(r.count) }]));
const profilesOf = (rows: readonly { highest: unknown; observed: unknown; count: unknown }[]): ObservationProfileCount[] =>
  rows.map((r) => ({ highest: num(r.highest) === 0 ? null : num(r.highest), observed: num(r.observed), count: num(r.count) }));

type Counts = { observations: number; cells: CellCount[]; profiles: ObservationProfileCount[]; source: "rollups" | "rows" };

/** Observations per (dimension, level) and per (highest level, dimensions observed) for a filter. */
async function counts(ctx: Ctx, f: Resolved["filter"]): Promise<Counts> {
  const plan = planCounts(f);
  const parts = await Promise.all([
    ...(plan.months
      ? [
          Promise.all([
            repo.rollupCellCounts(ctx.db, { districtId: f.districtId, rubricId: f.rubricId, schoolIds: f.schoolIds, ...plan.months }),
            repo.rollupProfileCounts(ctx.db, { districtId: f.districtId, rubricId: f.rubricId, schoolIds: f.schoolIds, ...plan.months }),
          ]),
        ]
      : []),
    ...plan.rowRanges.map((r) => Promise.all([repo.cellCounts(ctx.db, { ...f, ...r }), repo.profileCounts(ctx.db, { ...f, ...r })])),
  ]);
  const cells = parts.flatMap(([c]) => cellsOf(c));
  const profiles = parts.flatMap(([, p]) => profilesOf(p));
  return { observations: profiles.reduce((a, p) => a + p.count, 0), cells, profiles, source: plan.months ? "rollups" : "rows" };
}

function countMetrics(shape: RubricShape, c: Counts): TCountMetrics {
  const rows = heatMap(shape, c);
  const highest = highestLevels(shape, { ...c, teachers: [], teacherDimensions: [] });
  return {
    observations: c.observations,
    heatMap: rows,
    distribution: levelDistribution(shape, c.cells),
    prevalence: { byDimension: prevalenceByDimension(shape, rows), byObservation: prevalenceByObservation(shape, c) },
    highestByObservation: { levels: highest.observations, none: highest.observationsWithNone },
    extensity: extensity(shape, c),
  };
}

/** The built-in metric values (0…1) for a filter's counts. */
function builtInValues(shape: RubricShape, c: Counts): Record<string, number | null> {
  const rank = (key: string, fallback: number) => shape.levels.find((l) => l.key === key)?.rank ?? fallback;
  return {
    "observations.share_adaptation_or_above": shareAtOrAbove(c, rank("adaptation", 3)),
    "observations.share_infusion_or_above": shareAtOrAbove(c, rank("infusion", 4)),
    "observations.extensity": extensity(shape, c).normalised,
  };
}

/** Every composite of the district scored for a filter, each with the formula that computed it. */
async function compositeScores(ctx: Ctx, r: Resolved, c: Counts): Promise<TCompositeScore[]> {
  const rows = await repo.listComposites(ctx.db, r.filter.districtId);
  if (rows.length === 0) return [];
  const defs = rows.map((row) => ({ id: row.id, def: { name: row.name, terms: JSON.parse(row.terms) as CompositeDefinition["terms"] } }));
  const scope: MetricScope = { districtId: r.filter.districtId, schoolIds: r.filter.schoolIds, teacherId: r.filter.teacherId ?? null, from: r.filter.from, to: r.filter.to };
  const wanted = new Set(defs.flatMap((d) => d.def.terms.map((t) => t.metric)));
  const values = { ...builtInValues(r.shape, c), ...(await evaluateRegisteredMetrics(ctx, scope, wanted)) };
  const infos = compositeMetricInfos();
  return defs.map(({ id, def }) => ({ compositeId: id, name: def.name, ...scoreComposite(def, values, infos) }));
}

/** The heat map, distributions, prevalence, highest level per observation and extensity for a filter. */
export async function heatMapReport(ctx: Ctx, actor: Actor, q: TRollupQuery): Promise<THeatMapReport> {
  const r = await resolve(ctx, actor, q);
  const c = await counts(ctx, r.filter);
  return { filter: r.echo, rubric: r.rubric, source: c.source, metrics: countMetrics(r.shape, c) };
}

/** Everything the report page shows for a filter: the counts' metrics, the teachers' (highest level, flexibility) and the composites. */
export async function rollupReport(ctx: Ctx, actor: Actor, q: TRollupQuery): Promise<TRollupReport> {
  const r = await resolve(ctx, actor, q);
  const [c, teachers, teacherDimensions] = await Promise.all([counts(ctx, r.filter), repo.teacherCounts(ctx.db, r.filter), repo.teacherDimensionCounts(ctx.db, r.filter)]);
  const t = {
    teachers: teachers.map((row) => ({ highest: num(row.highest), distinctLevels: num(row.distinct_levels), count: num(row.count) })),
    teacherDimensions: teacherDimensions.map((row) => ({ dimension: row.dimension, highest: num(row.highest), distinctLevels: num(row.distinct_levels), count: num(row.count) })),
  };
  const highest = highestLevels(r.shape, { ...c, ...t });
  return {
    filter: r.echo,
    rubric: r.rubric,
    source: c.source,
    metrics: countMetrics(r.shape, c),
    teacherMetrics: {
      teachers: t.teachers.reduce((a, row) => a + row.count, 0),
      highestByTeacher: highest.teachers,
      highestByDimension: highest.byDimension,
      flexibility: flexibility(r.shape, t),
    },
    composites: await compositeScores(ctx, r, c),
  };
}

/** Growth over time: per term or school year, prevalence per observation and per characteristic, and extensity. */
export async function growthReport(ctx: Ctx, actor: Actor, q: TGrowthQuery): Promise<TGrowthReport> {
  const r = await resolve(ctx, actor, q);
  const plan = planCounts(r.filter);
  const f = r.filter;
  const parts = await Promise.all([
    ...(plan.months
      ? [
          Promise.all([
            repo.rollupCellCountsByPeriod(ctx.db, { districtId: f.districtId, rubricId: f.rubricId, schoolIds: f.schoolIds, ...plan.months }, q.bucket),
            repo.rollupProfileCountsByPeriod(ctx.db, { districtId: f.districtId, rubricId: f.rubricId, schoolIds: f.schoolIds, ...plan.months }, q.bucket),
          ]),
        ]
      : []),
    ...plan.rowRanges.map((range) => Promise.all([repo.cellCountsByPeriod(ctx.db, { ...f, ...range }, q.bucket), repo.profileCountsByPeriod(ctx.db, { ...f, ...range }, q.bucket)])),
  ]);
  const byPeriod = new Map<string, Counts>();
  const of = (period: string) => {
    let c = byPeriod.get(period);
    if (!c) {
      c = { observations: 0, cells: [], profiles: [], source: plan.months ? "rollups" : "rows" };
      byPeriod.set(period, c);
    }
    return c;
  };
  for (const [cells, profiles] of parts) {
    for (const row of cells) of(row.period).cells.push(...cellsOf([row]));
    for (const row of profiles) {
      const c = of(row.period);
      c.profiles.push(...profilesOf([row]));
      c.observations += num(row.count);
    }
  }
  // Terms sort as "2025-26 Fall" < "2025-26 Spring" < "2026-27 Fall"; years as "2025-26" < "2026-27".
  const periods = [...byPeriod.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return {
    filter: r.echo,
    rubric: r.rubric,
    bucket: q.bucket,
    source: plan.months ? "rollups" : "rows",
    periods: periods.map(([period, c]) => ({
      period,
      observations: c.observations,
      prevalence: prevalenceByObservation(r.shape, c),
      atOrAboveByDimension: prevalenceByDimension(r.shape, heatMap(r.shape, c)).map((p) => ({ dimension: p.dimension, atOrAbove: p.atOrAbove })),
      extensity: extensity(r.shape, c).normalised,
    })),
  };
}

/** Two schools over the same dates, or the same filter over two periods, side by side. */
export async function compareReport(ctx: Ctx, actor: Actor, q: TCompareQuery): Promise<TCompareReport> {
  let first: TRollupQuery;
  let second: TRollupQuery;
  if (q.by === "schools") {
    if (!q.schoolId) throw fieldError("query.schoolId", "is required to compare schools");
    if (!q.otherSchoolId) throw fieldError("query.otherSchoolId", "is required to compare schools");
    first = { ...q, scope: "school" };
    second = { ...q, scope: "school", schoolId: q.otherSchoolId };
  } else {
    if (!q.otherFrom) throw fieldError("query.otherFrom", "is required to compare periods");
    if (!q.otherTo) throw fieldError("query.otherTo", "is required to compare periods");
    first = q;
    second = { ...q, from: q.otherFrom, to: q.otherTo };
  }
  const sides = await Promise.all(
    [first, second].map(async (query, i) => {
      const r = await resolve(ctx, actor, query, i === 0 ? "query" : q.by === "schools" ? "query.other" : "query.other");
      const c = await counts(ctx, r.filter);
      return { r, filter: r.echo, metrics: countMetrics(r.shape, c), composites: await compositeScores(ctx, r, c) };
    }),
  );
  const [a, b] = sides;
  if (!a || !b) throw new Error("two sides expected");
  return { rubric: a.r.rubric, by: q.by, sides: [{ filter: a.filter, metrics: a.metrics, composites: a.composites }, { filter: b.filter, metrics: b.metrics, composites: b.composites }] };
}

export { OBSERVATION_METRICS };
