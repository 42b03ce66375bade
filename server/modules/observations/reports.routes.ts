import { z } from "zod";
import { ZIdParams } from "../../../shared/schemas/common.js";
import {
  ZCompareQuery,
  ZCompareReport,
  ZComposite,
  ZCompositeList,
  ZCreateCompositeRequest,
  ZExportQuery,
  ZGrowthQuery,
  ZGrowthReport,
  ZHeatMapReport,
  ZRollupQuery,
  ZRollupReport,
  ZUpdateCompositeRequest,
  type TCountMetrics,
  type TExportQuery,
  type TRollupReport,
} from "../../../shared/schemas/observation-reports.js";
import type { Actor } from "../../auth/actor.js";
import type { Ctx } from "../../context.js";
import { fieldError } from "../../errors.js";
import { ZErrorResponse, requireActor, writer, type App } from "../../http.js";
import { csvText } from "../../platform/csv.js";
import * as composites from "./composites.service.js";
import * as reports from "./reports.service.js";

const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 403: ZErrorResponse, 404: ZErrorResponse };
const tags = ["Observation reports"];

type Cell = string | number | null;
type Table = { headers: string[]; rows: Cell[][] };

const pct = (share: number | null) => (share === null ? null : Math.round(share * 10_000) / 100);

/** The tables behind the counts' charts, as the CSV export writes them (shares as percentages). */
function countTables(m: TCountMetrics, levels: readonly { name: string }[], prefix: Cell[] = [], prefixHeaders: string[] = []): Record<"heatmap" | "distribution" | "prevalence" | "highest" | "extensity", Table> {
  const names = levels.map((l) => l.name);
  return {
    heatmap: {
      headers: [...prefixHeaders, "characteristic", ...names.flatMap((n) => [`${n} (observations)`, `${n} (% of observed)`]), "observed", "not observed"],
      rows: m.heatMap.map((r) => [...prefix, r.name, ...r.counts.flatMap((c, i) => [c, pct(r.shares[i] ?? null)]), r.observed, r.notObserved]),
    },
    distribution: { headers: [...prefixHeaders, "level", "ratings", "% of ratings"], rows: m.distribution.map((d) => [...prefix, d.name, d.count, pct(d.share)]) },
    prevalence: {
      headers: [...prefixHeaders, "characteristic", ...names.map((n) => `% at ${n} or above`), "observed", "most frequent"],
      rows: [
        ...m.prevalence.byDimension.map((p) => [...prefix, p.name, ...p.atOrAbove.map(pct), p.observed, p.mostFrequent.map((r) => names[r - 1] ?? r).join(" / ")]),
        [...prefix, "Any characteristic (highest level of the observation)", ...m.prevalence.byObservation.map((p) => pct(p.share)), m.observations, ""],
      ],
    },
    highest: {
      headers: [...prefixHeaders, "highest level in the observation", "observations", "% of observations"],
      rows: [...m.highestByObservation.levels.map((l) => [...prefix, l.name, l.count, pct(l.share)]), [...prefix, "none observed", m.highestByObservation.none, pct(m.observations ? m.highestByObservation.none / m.observations : null)]],
    },
    extensity: {
      headers: [...prefixHeaders, "characteristics observed", "observations", "% of observations"],
      rows: [...m.extensity.distribution.map((d) => [...prefix, d.characteristics, d.count, pct(d.share)]), [...prefix, "mean", m.extensity.mean, null]],
    },
  };
}

function teacherTable(r: TRollupReport): Table {
  const names = r.rubric.levels.map((l) => l.name);
  return {
    headers: ["characteristic", ...names.map((n) => `teachers whose highest is ${n}`), ...names.map((_, i) => `teachers at ${i + 1} distinct level${i ? "s" : ""}`)],
    rows: [
      ["All characteristics", ...r.teacherMetrics.highestByTeacher.map((l) => l.count), ...r.teacherMetrics.flexibility.teachers.map((f) => f.count)],
      ...r.teacherMetrics.highestByDimension.map((d, i) => [d.name, ...d.teachers.map((l) => l.count), ...(r.teacherMetrics.flexibility.byDimension[i]?.teachers.map((f) => f.count) ?? [])]),
    ],
  };
}

/** Builds the CSV table the export asks for. */
async function exportTable(ctx: Ctx, actor: Actor, q: TExportQuery): Promise<Table> {
  switch (q.table) {
    case "heatmap":
    case "distribution":
    case "prevalence":
    case "highest":
    case "extensity": {
      const r = await reports.heatMapReport(ctx, actor, q);
      return countTables(r.metrics, r.rubric.levels)[q.table];
    }
    case "flexibility":
      return teacherTable(await reports.rollupReport(ctx, actor, q));
    case "composites": {
      const r = await reports.rollupReport(ctx, actor, q);
      return { headers: ["composite", "score (0-100)", "formula", "missing metrics"], rows: r.composites.map((c) => [c.name, c.score === null ? null : Math.round(c.score * 10) / 10, c.formula, c.missing.join("; ")]) };
    }
    case "growth": {
      const r = await reports.growthReport(ctx, actor, q);
      const names = r.rubric.levels.map((l) => l.name);
      return {
        headers: [r.bucket, "observations", ...names.map((n) => `% at ${n} or above`), "extensity (0-1)"],
        rows: r.periods.map((p) => [p.period, p.observations, ...p.prevalence.map((l) => pct(l.share)), p.extensity === null ? null : Math.round(p.extensity * 1000) / 1000]),
      };
    }
    case "compare": {
      if (!q.by) throw fieldError("query.by", "is required to export a comparison");
      const r = await reports.compareReport(ctx, actor, { ...q, by: q.by });
      const tables = r.sides.map((s) => countTables(s.metrics, r.rubric.levels, [s.filter.label], ["compared"]).prevalence);
      return { headers: tables[0]?.headers ?? [], rows: tables.flatMap((t) => t.rows) };
    }
    default: {
      const exhaustive: never = q.table;
      return exhaustive;
    }
  }
}

export function registerObservationReportRoutes(app: App, ctx: Ctx): void {
  app.get(
    "/api/v1/observations/rollups",
    {
      schema: {
        tags,
        summary: "Roll-up of observations for a teacher, a school or the district (optionally a subject or grade band) over a date range: heat map, distributions, prevalence, highest levels, extensity, flexibility and composite scores",
        querystring: ZRollupQuery,
        response: { 200: ZRollupReport, ...errors },
      },
    },
    async (req) => reports.rollupReport(ctx, requireActor(req), req.query),
  );
  app.get(
    "/api/v1/observations/rollups/heatmap",
    {
      schema: {
        tags,
        summary: "The characteristic × level heat map with distributions, prevalence and extensity (no teacher-level metrics: the fast path for large scopes)",
        querystring: ZRollupQuery,
        response: { 200: ZHeatMapReport, ...errors },
      },
    },
    async (req) => reports.heatMapReport(ctx, requireActor(req), req.query),
  );
  app.get(
    "/api/v1/observations/rollups/growth",
    { schema: { tags, summary: "Growth over time: prevalence and extensity per term or school year", querystring: ZGrowthQuery, response: { 200: ZGrowthReport, ...errors } } },
    async (req) => reports.growthReport(ctx, requireActor(req), req.query),
  );
  app.get(
    "/api/v1/observations/rollups/compare",
    { schema: { tags, summary: "Two schools, or two periods, side by side", querystring: ZCompareQuery, response: { 200: ZCompareReport, ...errors } } },
    async (req) => reports.compareReport(ctx, requireActor(req), req.query),
  );
  app.get(
    "/api/v1/observations/rollups/export.csv",
    { schema: { tags, summary: "The table behind a roll-up chart, as CSV (shares as percentages)", querystring: ZExportQuery, produces: ["text/csv"] } },
    async (req, reply) => {
      const table = await exportTable(ctx, requireActor(req), req.query);
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .headers({ "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="observations-${req.query.table}-${day}.csv"` })
        .send(csvText(table.rows, table.headers));
    },
  );

  app.get(
    "/api/v1/observations/composites",
    { schema: { tags, summary: "The district's composite scores with their formulas, and the metrics a composite may use", response: { 200: ZCompositeList, ...errors } } },
    async (req) => composites.listComposites(ctx, requireActor(req)),
  );
  app.post(
    "/api/v1/observations/composites",
    { schema: { tags, summary: "Define a composite score: a name and weighted metrics (district admins)", body: ZCreateCompositeRequest, response: { 201: ZComposite, ...errors, 409: ZErrorResponse } } },
    async (req, reply) => reply.status(201).send(await composites.createComposite(ctx, writer(req), req.body)),
  );
  app.patch(
    "/api/v1/observations/composites/:id",
    { schema: { tags, summary: "Rename a composite or change its weights (district admins)", params: ZIdParams, body: ZUpdateCompositeRequest, response: { 200: ZComposite, ...errors } } },
    async (req) => composites.updateComposite(ctx, writer(req), req.params.id, req.body),
  );
  app.delete(
    "/api/v1/observations/composites/:id",
    { schema: { tags, summary: "Delete a composite (district admins)", params: ZIdParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await composites.deleteComposite(ctx, writer(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
