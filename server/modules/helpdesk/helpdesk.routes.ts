import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { ZIdParams, listResponse } from "../../../shared/schemas/common.js";
import {
  HelpdeskLimits,
  PHOTO_TYPES,
  ZAddMessageRequest,
  ZAttachment,
  ZCannedReply,
  ZCategory,
  ZContactLink,
  ZCreateCannedReplyRequest,
  ZCreateCategoryRequest,
  ZCreateQueueRequest,
  ZUpdateQueueRequest,
  ZCreateContactRequest,
  ZCreateDepartmentRequest,
  ZCreateTicketRequest,
  ZDepartment,
  ZEscalateRequest,
  ZHelpdeskSettings,
  ZSetSlaTargetsRequest,
  ZUpdateCategoryRequest,
  ZSendToRepairRequest,
  ZKioskStudent,
  ZListTicketsQuery,
  ZMarkFixedRequest,
  ZMarkFixedResponse,
  ZPunchList,
  ZPunchListQuery,
  ZQueue,
  ZRateRequest,
  ZReport,
  ZReportQuery,
  ZScores,
  ZSetMembersRequest,
  ZTicket,
  ZTicketSummary,
  ZUpdateDepartmentRequest,
  ZUpdateTicketRequest,
} from "../../../shared/schemas/helpdesk.js";
import type { Ctx } from "../../context.js";
import { AppError } from "../../errors.js";
import { ZErrorResponse, requireActor, requestMeta, writer, type App } from "../../http.js";
import { csvText } from "../../platform/csv.js";
import * as desk from "./desk.service.js";
import * as tickets from "./helpdesk.service.js";
import { PUNCH_PAGE_CSP, punchPage } from "./punch-page.js";

const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 403: ZErrorResponse, 404: ZErrorResponse };
const conflict = { 409: ZErrorResponse };
const tags = ["Help desk"];
const ZTokenParams = z.object({ token: z.string().min(10).max(200) });
const ZContactParams = z.object({ id: z.string().min(1).max(64), contactId: z.string().min(1).max(64) });
const ZFormat = z.object({ format: z.enum(["json", "csv", "pdf"]).default("json") });

export function registerHelpdeskRoutes(app: App, ctx: Ctx): void {
  // ---- Reference data ----
  app.get("/api/v1/helpdesk/categories", { schema: { tags, summary: "The district's ticket categories", response: { 200: z.object({ items: z.array(ZCategory) }), ...errors } } }, async (req) =>
    desk.listCategories(ctx, requireActor(req)),
  );
  app.get("/api/v1/helpdesk/queues", { schema: { tags, summary: "Queues you work, with members and open counts (student assistants: the student help desk)", response: { 200: z.object({ items: z.array(ZQueue) }), ...errors } } }, async (req) =>
    desk.listQueues(ctx, requireActor(req)),
  );
  app.get("/api/v1/helpdesk/settings", { schema: { tags, summary: "Categories (retired ones too) and SLA targets per category × priority (district admins)", response: { 200: ZHelpdeskSettings, ...errors } } }, async (req) =>
    desk.helpdeskSettings(ctx, requireActor(req)),
  );
  app.post(
    "/api/v1/helpdesk/categories",
    { schema: { tags, summary: "Add a ticket category, with the default SLA targets (district admins)", body: ZCreateCategoryRequest, response: { 201: ZHelpdeskSettings, ...errors } } },
    async (req, reply) => reply.status(201).send(await desk.createCategory(ctx, writer(req), req.body)),
  );
  app.patch(
    "/api/v1/helpdesk/categories/:id",
    { schema: { tags, summary: "Rename, reorder, retire or reactivate a category (district admins); tickets keep theirs", params: ZIdParams, body: ZUpdateCategoryRequest, response: { 200: ZHelpdeskSettings, ...errors } } },
    async (req) => desk.updateCategory(ctx, writer(req), req.params.id, req.body),
  );
  app.put(
    "/api/v1/helpdesk/sla-targets",
    { schema: { tags, summary: "Set SLA targets, minutes to a first response and to resolution per category × priority (district admins); new tickets use them", body: ZSetSlaTargetsRequest, response: { 200: ZHelpdeskSettings, ...errors } } },
    async (req) => desk.setSlaTargets(ctx, writer(req), req.body.targets),
  );
  app.post(
    "/api/v1/helpdesk/queues",
    { schema: { tags, summary: "Add a queue for an audience (district admins); new tickets still go to the first active queue of their audience", body: ZCreateQueueRequest, response: { 201: ZHelpdeskSettings, ...errors } } },
    async (req, reply) => reply.status(201).send(await desk.createQueue(ctx, writer(req), req.body)),
  );
  app.patch(
    "/api/v1/helpdesk/queues/:id",
    {
      schema: {
        tags,
        summary: "Rename, reorder, retire or reactivate a queue (district admins); retiring one with open tickets needs moveToQueueId (an active queue of the same audience), else 409 with the count",
        params: ZIdParams,
        body: ZUpdateQueueRequest,
        response: { 200: ZHelpdeskSettings, ...errors, ...conflict },
      },
    },
    async (req) => desk.updateQueue(ctx, writer(req), req.params.id, req.body),
  );
  app.put(
    "/api/v1/helpdesk/queues/:id/members",
    { schema: { tags, summary: "Set a queue's members (district admins)", params: ZIdParams, body: ZSetMembersRequest, response: { 200: z.object({ items: z.array(ZQueue) }), ...errors } } },
    async (req) => desk.setQueueMembers(ctx, writer(req), req.params.id, req.body.personIds),
  );
  app.get("/api/v1/helpdesk/canned-replies", { schema: { tags, summary: "Canned replies for the desk", response: { 200: z.object({ items: z.array(ZCannedReply) }), ...errors } } }, async (req) =>
    desk.listCannedReplies(ctx, requireActor(req)),
  );
  app.post(
    "/api/v1/helpdesk/canned-replies",
    { schema: { tags, summary: "Add a canned reply (district admins)", body: ZCreateCannedReplyRequest, response: { 201: z.object({ items: z.array(ZCannedReply) }), ...errors } } },
    async (req, reply) => reply.status(201).send(await desk.createCannedReply(ctx, writer(req), req.body)),
  );
  app.delete("/api/v1/helpdesk/canned-replies/:id", { schema: { tags, summary: "Delete a canned reply (district admins)", params: ZIdParams, response: { 204: z.null(), ...errors } } }, async (req, reply) => {
    await desk.deleteCannedReply(ctx, writer(req), req.params.id);
    return reply.status(204).send(null);
  });

  // ---- Tickets ----
  app.get(
    "/api/v1/helpdesk/tickets",
    { schema: { tags, summary: "Tickets: yours, those you hold, or a queue's at the schools you work it; oldest first", querystring: ZListTicketsQuery, response: { 200: listResponse(ZTicketSummary).extend({ totalIsCapped: z.boolean().optional() }), ...errors } } },
    async (req) => tickets.listTickets(ctx, writer(req), req.query),
  );
  app.post(
    "/api/v1/helpdesk/tickets",
    {
      schema: {
        tags,
        summary: "File a ticket: for yourself, or (the desk) for someone else by requesterId or, at the kiosk, by studentNumber; 200 when the same clientRef was already filed",
        body: ZCreateTicketRequest,
        response: { 200: ZTicket, 201: ZTicket, ...errors },
      },
    },
    async (req, reply) => {
      const { ticket, created } = await tickets.createTicket(ctx, writer(req), req.body);
      return reply.status(created ? 201 : 200).send(ticket);
    },
  );
  app.get("/api/v1/helpdesk/tickets/:id", { schema: { tags, summary: "One ticket with its replies, notes you may see, history and photos", params: ZIdParams, response: { 200: ZTicket, ...errors } } }, async (req) =>
    tickets.getTicket(ctx, writer(req), req.params.id),
  );
  app.patch(
    "/api/v1/helpdesk/tickets/:id",
    {
      schema: {
        tags,
        summary: "Move a ticket one step through the workflow (no skipping), or change its priority, category, queue or assignee (the desk)",
        params: ZIdParams,
        body: ZUpdateTicketRequest,
        response: { 200: ZTicket, ...errors, ...conflict },
      },
    },
    async (req) => tickets.updateTicket(ctx, writer(req), req.params.id, req.body),
  );
  app.post(
    "/api/v1/helpdesk/tickets/:id/take",
    { schema: { tags, summary: "Take a ticket: atomic, so of two people taking it at once one gets 409", params: ZIdParams, response: { 200: ZTicket, ...errors, ...conflict } } },
    async (req) => tickets.takeTicket(ctx, writer(req), req.params.id),
  );
  app.post(
    "/api/v1/helpdesk/tickets/:id/messages",
    { schema: { tags, summary: "Reply to the requester, or add an internal or staff-only note", params: ZIdParams, body: ZAddMessageRequest, response: { 201: ZTicket, ...errors, ...conflict } } },
    async (req, reply) => reply.status(201).send(await tickets.addMessage(ctx, writer(req), req.params.id, req.body)),
  );
  app.post(
    "/api/v1/helpdesk/tickets/:id/rating",
    { schema: { tags, summary: "Rate the help once it is resolved (the requester, once: a second rating is 409)", params: ZIdParams, body: ZRateRequest, response: { 201: ZTicket, ...errors, ...conflict } } },
    async (req, reply) => reply.status(201).send(await tickets.rateTicket(ctx, writer(req), req.params.id, req.body)),
  );
  app.post(
    "/api/v1/helpdesk/tickets/:id/escalate",
    { schema: { tags, summary: "Escalate to a department or contractor with a due date (the school's tech staff)", params: ZIdParams, body: ZEscalateRequest, response: { 200: ZTicket, ...errors, ...conflict } } },
    async (req) => tickets.escalateTicket(ctx, writer(req), req.params.id, req.body),
  );
  app.post(
    "/api/v1/helpdesk/tickets/:id/repair",
    {
      schema: {
        tags,
        summary: "Send the ticket's device to repair (those who manage devices at its school; 409 when it is already in repair, lost, stolen or retired)",
        params: ZIdParams,
        body: ZSendToRepairRequest,
        response: { 200: ZTicket, ...errors, ...conflict },
      },
    },
    async (req) => tickets.sendTicketDeviceToRepair(ctx, writer(req), req.params.id, req.body),
  );
  app.get("/api/v1/helpdesk/kiosk/students/:number", { schema: { tags, summary: "The kiosk: a student found by the ID on their card (desk members of the student's school)", params: z.object({ number: z.string().min(1).max(40) }), response: { 200: ZKioskStudent, ...errors } } }, async (req) =>
    tickets.kioskStudent(ctx, writer(req), req.params.number),
  );

  // ---- Photos: the body is the image itself ----
  void app.register(async (scoped) => {
    const scope = scoped.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser([...PHOTO_TYPES, "application/octet-stream", "application/pdf", "text/html", "image/svg+xml"], { parseAs: "buffer", bodyLimit: HelpdeskLimits.maxPhotoBytes + 1 }, (_req, body, done) => done(null, body));
    scope.post(
      "/api/v1/helpdesk/tickets/:id/attachments",
      {
        bodyLimit: HelpdeskLimits.maxPhotoBytes + 1,
        schema: {
          tags,
          summary: "Add a photo (the requester or the desk): send the image as the body (image/jpeg, png, webp, heic or gif, at most 10 MB); it is re-encoded without its metadata (no location)",
          params: ZIdParams,
          response: { 201: ZAttachment, ...errors, ...conflict, 413: ZErrorResponse, 415: ZErrorResponse },
        },
      },
      async (req, reply) => {
        const type = String(req.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
        return reply.status(201).send(await desk.addAttachment(ctx, writer(req), req.params.id, req.body, type));
      },
    );
  });
  app.get("/api/v1/helpdesk/attachments/:id", { schema: { tags, summary: "A ticket's photo (whoever may read the ticket)", params: ZIdParams, response: { 200: z.any(), ...errors } } }, async (req, reply) => {
    const photo = await desk.getAttachment(ctx, requireActor(req), req.params.id);
    return reply
      .header("content-type", photo.contentType)
      .header("cache-control", "private, max-age=3600")
      .header("content-disposition", "inline")
      .header("x-content-type-options", "nosniff")
      .send(photo.data);
  });

  // ---- Departments and contractors ----
  app.get("/api/v1/helpdesk/departments", { schema: { tags, summary: "Departments and contractors with their contacts (the desk's staff)", response: { 200: z.object({ items: z.array(ZDepartment) }), ...errors } } }, async (req) =>
    desk.listDepartments(ctx, requireActor(req)),
  );
  app.post("/api/v1/helpdesk/departments", { schema: { tags, summary: "Add a department or contractor (district admins)", body: ZCreateDepartmentRequest, response: { 201: ZDepartment, ...errors } } }, async (req, reply) =>
    reply.status(201).send(await desk.createDepartment(ctx, writer(req), req.body)),
  );
  app.patch(
    "/api/v1/helpdesk/departments/:id",
    { schema: { tags, summary: "Rename or archive a department or contractor (district admins); an archived one takes no new escalations", params: ZIdParams, body: ZUpdateDepartmentRequest, response: { 200: ZDepartment, ...errors } } },
    async (req) => desk.updateDepartment(ctx, writer(req), req.params.id, req.body),
  );
  app.post(
    "/api/v1/helpdesk/departments/:id/contacts",
    { schema: { tags, summary: "Add a contact (district admins); with personId they sign in and mark the department's items fixed", params: ZIdParams, body: ZCreateContactRequest, response: { 201: ZDepartment, ...errors } } },
    async (req, reply) => reply.status(201).send(await desk.addContact(ctx, writer(req), req.params.id, req.body)),
  );
  app.post(
    "/api/v1/helpdesk/departments/:id/contacts/:contactId/link",
    { schema: { tags, summary: "Make (or replace) a contact's punch-list link; the token is shown once (district admins)", params: ZContactParams, response: { 201: ZContactLink, ...errors } } },
    async (req, reply) => reply.status(201).send(await desk.createContactLink(ctx, writer(req), req.params.id, req.params.contactId)),
  );
  app.delete(
    "/api/v1/helpdesk/departments/:id/contacts/:contactId/link",
    { schema: { tags, summary: "Revoke a contact's punch-list link (district admins)", params: ZContactParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await desk.revokeContactLink(ctx, writer(req), req.params.id, req.params.contactId);
      return reply.status(204).send(null);
    },
  );

  // ---- Punch list ----
  const sendPunch = async (list: Awaited<ReturnType<typeof desk.punchList>>, format: "json" | "csv" | "pdf", reply: import("fastify").FastifyReply) => {
    if (format === "csv") {
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", 'attachment; filename="punch-list.csv"')
        .send(csvText(desk.punchRows(list), desk.PUNCH_CSV_HEADERS));
    }
    if (format === "pdf") {
      return reply.header("content-type", "application/pdf").header("content-disposition", 'inline; filename="punch-list.pdf"').send(await desk.punchPdf(list, "Punch list"));
    }
    return reply.send(list);
  };
  app.get(
    "/api/v1/helpdesk/punch-list",
    {
      schema: {
        tags,
        summary: "Every open escalated problem by department or contractor, school and room (desk staff and leaders: their schools; a department's signed-in contact: their department); format=csv or pdf to export",
        querystring: ZPunchListQuery.extend(ZFormat.shape),
        response: { 200: ZPunchList, ...errors },
      },
    },
    async (req, reply) => sendPunch(await desk.punchList(ctx, await desk.punchAccessOf(ctx, requireActor(req)), req.query), req.query.format, reply),
  );
  app.post(
    "/api/v1/helpdesk/punch-list/fixed",
    { schema: { tags, summary: "Mark punch-list items fixed in bulk (all or nothing); their requesters are told", body: ZMarkFixedRequest, response: { 200: ZMarkFixedResponse, ...errors } } },
    async (req) => {
      const actor = requireActor(req);
      if (actor.tokenScope === "read") throw new AppError("forbidden", "This API token may only read");
      return desk.markFixed(ctx, await desk.punchAccessOf(ctx, actor), requestMeta(req), actor, req.body.ticketIds, req.body.note);
    },
  );
  app.get(
    "/api/v1/helpdesk/punch/:token",
    {
      config: { public: true },
      schema: {
        tags,
        summary: "A contractor's punch list through their link: only what was escalated to their department; format=html (the page the link opens: printable, with links to the CSV and PDF), csv or pdf",
        params: ZTokenParams,
        querystring: z.object({ format: z.enum(["json", "csv", "pdf", "html"]).default("json") }),
        response: { 200: ZPunchList, ...errors },
      },
    },
    async (req, reply) => {
      const list = await desk.punchList(ctx, await desk.punchAccessOfToken(ctx, req.params.token), {});
      if (req.query.format !== "html") return sendPunch(list, req.query.format, reply);
      const self = `/api/v1/helpdesk/punch/${encodeURIComponent(req.params.token)}`;
      const page: unknown = punchPage(list, { csvHref: `${self}?format=csv`, pdfHref: `${self}?format=pdf`, printedOn: new Date().toISOString().slice(0, 10) });
      return reply
        .header("content-type", "text/html; charset=utf-8")
        .header("content-security-policy", PUNCH_PAGE_CSP)
        .header("cache-control", "no-store")
        .header("referrer-policy", "no-referrer")
        .send(page as never);
    },
  );
  app.post(
    "/api/v1/helpdesk/punch/:token/fixed",
    { config: { public: true }, schema: { tags, summary: "A contractor marks their items fixed through their link", params: ZTokenParams, body: ZMarkFixedRequest, response: { 200: ZMarkFixedResponse, ...errors } } },
    async (req) => desk.markFixed(ctx, await desk.punchAccessOfToken(ctx, req.params.token), null, null, req.body.ticketIds, req.body.note),
  );

  // ---- Reports and scores ----
  app.get("/api/v1/helpdesk/reports", { schema: { tags, summary: "Volume by category, school and week; the share students resolved; response and resolution times; recurring problems", querystring: ZReportQuery.extend({ format: z.enum(["json", "csv"]).default("json") }), response: { 200: ZReport, ...errors } } }, async (req, reply) => {
    const r = await desk.report(ctx, writer(req), req.query);
    if (req.query.format !== "csv") return r;
    const rows: (string | number)[][] = [
      ...r.byCategory.map((c) => ["category", c.name, c.count]),
      ...r.bySchool.map((s) => ["school", s.schoolName, s.count]),
      ...r.byWeek.map((w) => ["week", w.week, w.count]),
      ...r.topProblems.map((p) => ["recurring", `${p.category} · ${p.schoolName} · ${p.location || "(no room)"}`, p.count]),
      ["total", "tickets", r.total],
      ["total", "resolved", r.resolved],
      ["total", "resolved by student assistants", r.resolvedByStudents],
      ["median minutes", "first response", r.medianFirstResponseMinutes ?? ""],
      ["median minutes", "resolution", r.medianResolutionMinutes ?? ""],
    ];
    const csv: unknown = csvText(rows.map((x) => x.map(String)), ["Measure", "Of", "Value"]);
    return reply.header("content-type", "text/csv; charset=utf-8").header("content-disposition", `attachment; filename="helpdesk-${r.from}-${r.to}.csv"`).send(csv as never);
  });
  app.get("/api/v1/helpdesk/scores", { schema: { tags, summary: "Per-assistant and per-queue scores (staff and leaders: everyone; assistants: their own)", querystring: ZReportQuery, response: { 200: ZScores, ...errors } } }, async (req) =>
    desk.scores(ctx, writer(req), req.query),
  );
}
