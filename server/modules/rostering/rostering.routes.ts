import { Readable } from "node:stream";
import { whenReady } from "../../db/startup.js";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { ZIdParams, listResponse } from "../../../shared/schemas/common.js";
import { ZCreateRosterImportQuery, ZListRosterImportsQuery, ZRosterImport, ZRosterImportReport } from "../../../shared/schemas/rostering.js";
import type { Ctx } from "../../context.js";
import { AppError } from "../../errors.js";
import { ZErrorResponse, requireActor, requestMeta, type App } from "../../http.js";
import {
  getRosterImport,
  listRosterImports,
  receiveRosterUpload,
  recoverRosterImports,
  rosterImportReportCsv,
  startRosterImport,
} from "./rostering.service.js";

const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 403: ZErrorResponse, 404: ZErrorResponse };

/** Upload bodies are files, sent as they are (no multipart): a .zip or a staff .csv. */
const UPLOAD_TYPES = ["application/zip", "application/x-zip-compressed", "application/octet-stream", "text/csv"];

export function registerRosteringRoutes(app: App, ctx: Ctx): void {
  // Imports a killed server left running would hold the district's import lock, and their spools
  // and uploads would stay on disk: settle both before the first request, once the database is
  // migrated (the server listens before that; on a fresh database the tables are not there yet).
  app.addHook("onReady", () =>
    whenReady(ctx.startup, () =>
      recoverRosterImports(ctx).catch((err: unknown) => ctx.log.error({ err }, "could not settle the roster imports left running")),
    ),
  );

  // The upload route lives in its own encapsulated scope so that only it accepts non-JSON bodies;
  // every other route keeps refusing them. The body stays a stream: the service writes it to disk.
  void app.register(async (scoped) => {
    const scope = scoped.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser(UPLOAD_TYPES, (_req, payload, done) => done(null, payload));
    scope.post(
      "/api/v1/rostering/imports",
      {
        schema: {
          tags: ["Rostering"],
          summary: "Import a roster (district admins)",
          description:
            "Send the file itself as the body: a OneRoster 1.1 or 1.2 CSV set as `application/zip`, or a staff list (name,email,school,role) as `text/csv`. " +
            "Every file is checked before anything is written; with errors nothing is written unless `applyValid=true`, and the database is never left half-applied. " +
            "An import that would deactivate more than 10% of the district's active people or enrolments stops with a blocking issue first in the report, unless `allowMassDeactivation=true`. " +
            "Answers 202 at once with the running import (poll `GET /api/v1/rostering/imports/{id}` for progress and the report), or 200 with the report when `wait=true`. " +
            "Files are read as UTF-8, strictly; a file in another encoding is refused (its line and likely encoding in the report) until `encoding` names it. " +
            "409 while another import of the district runs; one whose process was killed is marked `interrupted` and does not block.",
          querystring: ZCreateRosterImportQuery,
          response: { 200: ZRosterImportReport, 202: ZRosterImport, ...errors, 409: ZErrorResponse, 413: ZErrorResponse, 415: ZErrorResponse },
        },
      },
      async (req, reply) => {
        const actor = requireActor(req);
        if (!(req.body instanceof Readable)) {
          throw new AppError("unsupported_media_type", "Send the .zip as application/zip, or the staff list as text/csv, as the request body");
        }
        const contentType = String(req.headers["content-type"] ?? "");
        const kind = req.query.kind ?? (contentType.startsWith("text/csv") ? "staff" : "oneroster");
        const fileName = req.query.fileName || (kind === "staff" ? "staff.csv" : "oneroster.zip");
        const upload = await receiveRosterUpload(ctx, actor, req.body, fileName);
        const { record, done } = await startRosterImport(
          ctx,
          actor,
          { kind, path: upload.path, fileName, isDryRun: req.query.dryRun, applyValid: req.query.applyValid, allowMassDeactivation: req.query.allowMassDeactivation, encoding: req.query.encoding ?? null },
          requestMeta(req),
          upload.cleanup,
        );
        if (!req.query.wait) return reply.status(202).send(record);
        await done;
        return reply.status(200).send(await getRosterImport(ctx, actor, record.id));
      },
    );
  });

  app.get(
    "/api/v1/rostering/imports",
    {
      schema: {
        tags: ["Rostering"],
        summary: "The district's roster imports, newest first (district admins)",
        querystring: ZListRosterImportsQuery,
        response: { 200: listResponse(ZRosterImport), ...errors },
      },
    },
    async (req) => listRosterImports(ctx, requireActor(req), req.query),
  );

  app.get(
    "/api/v1/rostering/imports/:id",
    {
      schema: {
        tags: ["Rostering"],
        summary: "One import: progress while it runs, then its report (district admins)",
        params: ZIdParams,
        response: { 200: ZRosterImportReport, ...errors },
      },
    },
    async (req) => getRosterImport(ctx, requireActor(req), req.params.id),
  );

  app.get(
    "/api/v1/rostering/imports/:id/report.csv",
    {
      schema: {
        tags: ["Rostering"],
        summary: "An import's issues as CSV: severity, file, line, column, message (district admins)",
        params: ZIdParams,
        produces: ["text/csv"],
      },
    },
    async (req, reply) => {
      const csv = await rosterImportReportCsv(ctx, requireActor(req), req.params.id);
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="roster-import-${req.params.id}.csv"`)
        .send(csv);
    },
  );
}
