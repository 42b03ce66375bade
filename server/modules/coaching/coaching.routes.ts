import { z } from "zod";
import { CoachingLimits } from "../../../shared/limits.js";
import {
  ZAddStepRequest,
  ZCategory,
  ZCreateCategoryRequest,
  ZCreateCycleRequest,
  ZCreateEntryRequest,
  ZCycle,
  ZDashboard,
  ZDashboardQuery,
  ZEntry,
  ZImportReport,
  ZImportRequest,
  ZListCyclesQuery,
  ZListEntriesQuery,
  ZRecentEntry,
  ZUpdateCategoryRequest,
  ZUpdateCycleRequest,
  ZUpdateEntryRequest,
  type TEntry,
} from "../../../shared/schemas/coaching.js";
import { ZIdParams, listResponse } from "../../../shared/schemas/common.js";
import type { Ctx } from "../../context.js";
import { ZErrorResponse, requireActor, writer, type App } from "../../http.js";
import { csvStream, type CsvColumn } from "../../platform/csv.js";
import * as categories from "./categories.service.js";
import * as cycles from "./cycles.service.js";
import * as dashboard from "./dashboard.service.js";
import * as entries from "./entries.service.js";
import * as formsImport from "./forms-import.service.js";

const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 403: ZErrorResponse, 404: ZErrorResponse };
const tags = ["Coaching"];

function csvReply<T extends Record<string, unknown>>(rows: AsyncIterable<T> | Iterable<T>, columns: (string | CsvColumn)[], filename: string) {
  const body = csvStream(rows as AsyncIterable<Record<string, never>>, columns);
  return { body, headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${filename}"` } };
}

export function registerCoachingRoutes(app: App, ctx: Ctx): void {
  // ---- Categories ----
  app.get(
    "/api/v1/coaching/categories",
    { schema: { tags, summary: "Activity categories of the district", response: { 200: z.object({ items: z.array(ZCategory) }), ...errors } } },
    async (req) => categories.listCategoriesForActor(ctx, requireActor(req)),
  );
  app.post(
    "/api/v1/coaching/categories",
    { schema: { tags, summary: "Add a category (district admins)", body: ZCreateCategoryRequest, response: { 201: ZCategory, ...errors } } },
    async (req, reply) => reply.status(201).send(await categories.createCategory(ctx, writer(req), req.body)),
  );
  app.patch(
    "/api/v1/coaching/categories/:id",
    {
      schema: { tags, summary: "Rename, re-kind, reorder or retire a category (district admins)", params: ZIdParams, body: ZUpdateCategoryRequest, response: { 200: ZCategory, ...errors } },
    },
    async (req) => categories.updateCategory(ctx, writer(req), req.params.id, req.body),
  );

  // ---- Entries ----
  app.get(
    "/api/v1/coaching/entries",
    { schema: { tags, summary: "Your coaching log, newest first (admins: any coach's)", querystring: ZListEntriesQuery, response: { 200: listResponse(ZEntry), ...errors } } },
    async (req) => entries.listEntriesForActor(ctx, requireActor(req), req.query),
  );
  app.get(
    "/api/v1/coaching/entries/recent",
    { schema: { tags, summary: "Your recent distinct activities, to repeat one quickly", response: { 200: z.object({ items: z.array(ZRecentEntry) }), ...errors } } },
    async (req) => entries.recentForActor(ctx, requireActor(req)),
  );
  app.get(
    "/api/v1/coaching/entries.csv",
    { schema: { tags, summary: "Export your coaching log as CSV", querystring: ZListEntriesQuery.omit({ limit: true, cursor: true }), produces: ["text/csv"] } },
    async (req, reply) => {
      const actor = requireActor(req);
      const iterator = entries.iterateEntries(ctx, actor, req.query);
      const first = await iterator.next(); // a refusal is still a JSON error, not a broken download
      async function* rows() {
        const flat = (e: TEntry) => ({
          date: e.date,
          minutes: e.minutes,
          category: e.category.name,
          kind: e.category.kind,
          school: e.school?.name ?? "",
          teachers: e.teachers.map((t) => t.name).join("; "),
          notes: e.notes,
          coach: e.coach.name,
          id: e.id,
        });
        if (!first.done) yield flat(first.value);
        for await (const e of iterator) yield flat(e);
      }
      const csv = csvReply(rows(), ["date", "minutes", "category", "kind", "school", "teachers", "notes", "coach", "id"], `coaching-log-${new Date().toISOString().slice(0, 10)}.csv`);
      return reply.headers(csv.headers).send(csv.body);
    },
  );
  app.post(
    "/api/v1/coaching/entries",
    {
      schema: {
        tags,
        summary: "Log an activity (201; 200 when the same clientRef was already saved)",
        body: ZCreateEntryRequest,
        response: { 200: ZEntry, 201: ZEntry, ...errors },
      },
    },
    async (req, reply) => {
      const { entry, created } = await entries.createEntry(ctx, writer(req), req.body);
      return reply.status(created ? 201 : 200).send(entry);
    },
  );
  app.patch(
    "/api/v1/coaching/entries/:id",
    { schema: { tags, summary: "Edit one of your entries", params: ZIdParams, body: ZUpdateEntryRequest, response: { 200: ZEntry, ...errors } } },
    async (req) => entries.updateEntry(ctx, writer(req), req.params.id, req.body),
  );
  app.delete(
    "/api/v1/coaching/entries/:id",
    { schema: { tags, summary: "Delete one of your entries", params: ZIdParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await entries.deleteEntry(ctx, writer(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    "/api/v1/coaching/entries/import",
    {
      bodyLimit: CoachingLimits.maxImportBytes + 256 * 1024,
      schema: {
        tags,
        summary: "Import a Google Forms coaching log (CSV) with column mapping; dry run by default",
        body: ZImportRequest,
        response: { 200: ZImportReport, ...errors },
      },
    },
    async (req) => formsImport.importEntries(ctx, writer(req), req.body),
  );

  // ---- Dashboard ----
  app.get(
    "/api/v1/coaching/dashboard",
    { schema: { tags, summary: "Time allocation: your own, a school's or the district's", querystring: ZDashboardQuery, response: { 200: ZDashboard, ...errors } } },
    async (req) => dashboard.dashboard(ctx, requireActor(req), req.query),
  );
  app.get(
    "/api/v1/coaching/dashboard.csv",
    {
      schema: {
        tags,
        summary: "The table behind a dashboard chart, as CSV",
        querystring: ZDashboardQuery.extend({ table: z.enum(["series", "coverage", "teachers", "schools"]).default("series") }),
        produces: ["text/csv"],
      },
    },
    async (req, reply) => {
      const d = await dashboard.dashboard(ctx, requireActor(req), req.query);
      const day = new Date().toISOString().slice(0, 10);
      let csv;
      switch (req.query.table) {
        case "series": {
          const cats = d.categories;
          // Keyed by category id, headed by its name: two categories may share a name, and the CSV writer
          // neutralises a name that a spreadsheet would read as a formula.
          const rows = d.series.map((s) => ({
            bucket: s.bucket,
            ...Object.fromEntries(cats.map((c) => [`category:${c.id}`, s.minutesByCategory[c.id] ?? 0])),
            coachingMinutes: s.coachingMinutes,
            supportMinutes: s.supportMinutes,
          }));
          const columns = [
            { key: "bucket", header: d.bucket },
            ...cats.map((c) => ({ key: `category:${c.id}`, header: c.name })),
            { key: "coachingMinutes", header: "coaching minutes" },
            { key: "supportMinutes", header: "support minutes" },
          ];
          csv = csvReply(rows, columns, `coaching-time-${day}.csv`);
          break;
        }
        case "coverage":
          csv = csvReply(d.coverage, ["schoolName", "teachers", "reached", "share", "schoolId"], `coaching-coverage-${day}.csv`);
          break;
        case "teachers":
          csv = csvReply(d.topTeachers, ["name", "minutes", "entries", "id"], `coaching-top-teachers-${day}.csv`);
          break;
        case "schools":
          csv = csvReply(d.topSchools, ["name", "minutes", "entries", "id"], `coaching-top-schools-${day}.csv`);
          break;
      }
      return reply.headers(csv.headers).send(csv.body);
    },
  );

  // ---- Cycles ----
  app.get(
    "/api/v1/coaching/cycles",
    {
      schema: {
        tags,
        summary: "Coaching cycles: a coach's caseload, a teacher's own cycles, or (admins) any",
        querystring: ZListCyclesQuery,
        response: { 200: listResponse(ZCycle), ...errors },
      },
    },
    async (req) => cycles.listCyclesForActor(ctx, requireActor(req), req.query),
  );
  app.post(
    "/api/v1/coaching/cycles",
    { schema: { tags, summary: "Open a coaching cycle with a teacher or a team", body: ZCreateCycleRequest, response: { 201: ZCycle, ...errors } } },
    async (req, reply) => reply.status(201).send(await cycles.createCycle(ctx, writer(req), req.body)),
  );
  app.get(
    "/api/v1/coaching/cycles/:id",
    { schema: { tags, summary: "A coaching cycle with its steps (its coach, its teachers, admins)", params: ZIdParams, response: { 200: ZCycle, ...errors } } },
    async (req) => cycles.getCycle(ctx, requireActor(req), req.params.id),
  );
  app.patch(
    "/api/v1/coaching/cycles/:id",
    { schema: { tags, summary: "Rename, pause, resume or complete a cycle", params: ZIdParams, body: ZUpdateCycleRequest, response: { 200: ZCycle, ...errors } } },
    async (req) => cycles.updateCycle(ctx, writer(req), req.params.id, req.body),
  );
  app.post(
    "/api/v1/coaching/cycles/:id/steps",
    { schema: { tags, summary: "Add a dated step (teachers: reflections)", params: ZIdParams, body: ZAddStepRequest, response: { 201: ZCycle, ...errors } } },
    async (req, reply) => reply.status(201).send(await cycles.addCycleStep(ctx, writer(req), req.params.id, req.body)),
  );
}
