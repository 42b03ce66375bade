import { ZAuditEntry, ZListAuditQuery } from "../../../shared/schemas/audit.js";
import { listResponse } from "../../../shared/schemas/common.js";
import type { Ctx } from "../../context.js";
import { ZErrorResponse, requireActor, requestMeta, type App } from "../../http.js";
import { csvStream } from "../../platform/csv.js";
import { iterateAuditEntries, listAuditEntries, recordAudit } from "./audit.service.js";

export function registerAuditRoutes(app: App, ctx: Ctx): void {
  app.get(
    "/api/v1/audit",
    {
      schema: {
        tags: ["Audit"],
        summary: "List audit log entries (district admins)",
        querystring: ZListAuditQuery,
        response: { 200: listResponse(ZAuditEntry), 401: ZErrorResponse, 403: ZErrorResponse },
      },
    },
    async (req) => listAuditEntries(ctx, requireActor(req), req.query),
  );

  app.get(
    "/api/v1/audit.csv",
    {
      schema: {
        tags: ["Audit"],
        summary: "Export the audit log as CSV (district admins)",
        querystring: ZListAuditQuery.omit({ limit: true, cursor: true }),
        produces: ["text/csv"],
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const entries = iterateAuditEntries(ctx, actor, req.query);
      // Pull the first entry before answering so a refusal is still a JSON error, not a broken download.
      const first = await entries.next();
      await recordAudit(ctx.db, { actor, meta: requestMeta(req) }, { action: "audit.export", details: { ...req.query } });
      async function* rows() {
        if (!first.done) yield first.value;
        yield* entries;
      }
      const csv = csvStream(rows(), ["at", "actorName", "actorId", "action", "subjectType", "subjectName", "subjectId", "ip", "details"]);
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="coachwork-audit-${day}.csv"`)
        .send(csv);
    },
  );
}
