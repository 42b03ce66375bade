import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { ZId, ZIdParams, listResponse } from "../../../shared/schemas/common.js";
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
import { sha256 } from "../../lib.js";
import { PUNCH_PAGE_CSP, checkPunchFormToken, punchFormToken, punchMessagePage, punchPage, type PunchNotice } from "./punch-page.js";

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
    { schema: { tags, summary: "Escalate to a department or contractor with a due date and an optional note for them, shown with the item on the punch list (the school's tech staff)", params: ZIdParams, body: ZEscalateRequest, response: { 200: ZTicket, ...errors, ...conflict } } },
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
        summary: "Every open escalated problem by department or contractor, school and room, with the note written when it was escalated (desk staff and leaders: their schools; a department's signed-in contact: their department); format=csv or pdf to export",
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
        querystring: z.object({
          format: z.enum(["json", "csv", "pdf", "html"]).default("json"),
          fixed: z.string().max(8).optional().describe("html: how many items the page's form just marked fixed (set by its redirect)"),
          already: z.string().max(8).optional().describe("html: how many ticked items were already fixed"),
          other: z.string().max(8).optional().describe("html: how many ticked items were not on the list"),
          empty: z.literal("1").optional().describe("html: the form was sent with nothing ticked"),
        }),
        response: { 200: ZPunchList, ...errors },
      },
    },
    async (req, reply) => {
      if (req.query.format !== "html") return sendPunch(await desk.punchList(ctx, await desk.punchAccessOfToken(ctx, req.params.token), {}), req.query.format, reply);
      const access = await punchAccessForPage(req.params.token, reply);
      if (!access) return reply;
      const list = await desk.punchList(ctx, access, {});
      const self = `/api/v1/helpdesk/punch/${encodeURIComponent(req.params.token)}`;
      const page: unknown = punchPage(list, {
        csvHref: `${self}?format=csv`,
        pdfHref: `${self}?format=pdf`,
        printedOn: new Date().toISOString().slice(0, 10),
        ...(access.departmentName ? { title: access.departmentName } : {}),
        form: { action: `${self}/fixed-form`, formToken: punchFormToken(ctx.config.secret, sha256(req.params.token)), noteMax: HelpdeskLimits.maxMessage },
        notice: noticeOf(req.query),
      });
      return sendPage(reply, 200, page as string);
    },
  );
  void app.register(async (scoped) => {
    // The page's form posts application/x-www-form-urlencoded: parsed here, for this route only.
    const scope = scoped.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: 64 * 1024 }, (_req, body, done) => {
      const form = new URLSearchParams(String(body));
      done(null, { ticketId: form.getAll("ticketId"), note: form.get("note") ?? "", formToken: form.get("formToken") ?? "" });
    });
    scope.post(
      "/api/v1/helpdesk/punch/:token/fixed-form",
      {
        config: { public: true, sessionless: true },
        bodyLimit: 64 * 1024,
        schema: {
          tags,
          summary:
            "The contractor's page's form (no script): tick items, mark them fixed with an optional note; requesters are told as with POST …/fixed. Needs the page's form token and a same-origin post; answers 303 back to the page, which says what was fixed and what already was",
          params: ZTokenParams,
          body: z.object({
            ticketId: z.array(ZId).max(HelpdeskLimits.maxBulkFixed).default([]).describe("The ticked items (ticket ids); repeated form field"),
            note: z.string().trim().max(HelpdeskLimits.maxMessage).default(""),
            formToken: z.string().max(200).describe("From the page: bound to this link and to when the page was rendered"),
          }),
          response: { 303: z.null(), ...errors },
        },
      },
      async (req, reply) => {
        const self = `/api/v1/helpdesk/punch/${encodeURIComponent(req.params.token)}`;
        const access = await punchAccessForPage(req.params.token, reply);
        if (!access) return reply;
        const refused = crossSiteReason(req.headers, [req.headers.host, ctx.config.publicUrl ? new URL(ctx.config.publicUrl).host : undefined]);
        if (refused) return sendPage(reply, 403, punchMessagePage("This form was not sent from your punch list", `${refused} Nothing was marked fixed. Open your link and tick the items there.`, `${self}?format=html`));
        const check = checkPunchFormToken(ctx.config.secret, sha256(req.params.token), req.body.formToken);
        if (check !== "ok") {
          const why = check === "expired" ? "This page was opened more than 12 hours ago." : "This form does not belong to your current link (it may have been replaced).";
          return sendPage(reply, 403, punchMessagePage("Please reload your punch list", `${why} Nothing was marked fixed. Open the list again, tick the items and submit.`, `${self}?format=html`));
        }
        if (req.body.ticketId.length === 0) return reply.redirect(`${self}?format=html&empty=1`, 303);
        const r = await desk.markFixedFromPage(ctx, access, req.body.ticketId, req.body.note);
        return reply.redirect(`${self}?format=html&fixed=${r.fixed}&already=${r.already}&other=${r.notOnList}`, 303);
      },
    );
  });
  app.post(
    "/api/v1/helpdesk/punch/:token/fixed",
    { config: { public: true }, schema: { tags, summary: "A contractor marks their items fixed through their link", params: ZTokenParams, body: ZMarkFixedRequest, response: { 200: ZMarkFixedResponse, ...errors } } },
    async (req) => desk.markFixed(ctx, await desk.punchAccessOfToken(ctx, req.params.token), null, null, req.body.ticketIds, req.body.note),
  );

  /** The link's access, or (link unknown, revoked, replaced, or its department archived) a page saying so. */
  async function punchAccessForPage(token: string, reply: import("fastify").FastifyReply) {
    try {
      return await desk.punchAccessOfToken(ctx, token);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "unauthenticated") throw err;
      sendPage(
        reply,
        401,
        punchMessagePage(
          "This punch-list link no longer works",
          "It may have been replaced by a newer link, or revoked, or the department or contractor is no longer active. Nothing on this page can be changed. Ask the district's help desk for a new link.",
        ),
      );
      return null;
    }
  }
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

function sendPage(reply: import("fastify").FastifyReply, status: number, html: string) {
  const page: unknown = html;
  return reply
    .status(status)
    .header("content-type", "text/html; charset=utf-8")
    .header("content-security-policy", PUNCH_PAGE_CSP)
    .header("cache-control", "no-store")
    // Same-origin: the page's own form post then carries a real Origin (under no-referrer a browser
    // sends "Origin: null"), and nothing about the link leaves for another site.
    .header("referrer-policy", "same-origin")
    .send(page as never);
}

const count = (v: unknown) => (typeof v === "string" && /^\d{1,4}$/.test(v) ? Number(v) : 0);
/** What the last submission did, from the redirect's query (numbers only: nothing of it is echoed as text). */
function noticeOf(q: Record<string, unknown>): PunchNotice | undefined {
  if (q.empty === "1") return { empty: true };
  if (q.fixed === undefined && q.already === undefined) return undefined;
  return { fixed: count(q.fixed), already: count(q.already), notOnList: count(q.other) };
}

/**
 * Why a post to the page's form is refused as cross-site, or null. Browsers say where a request
 * comes from (Sec-Fetch-Site, Origin); a form on another site posting here is refused even if it
 * knows the link. Clients that send neither (scripts, curl) are not browsers acting for someone
 * else: the form token decides for them.
 */
export function crossSiteReason(h: Record<string, string | string[] | undefined>, hosts: readonly (string | undefined)[]): string | null {
  const site = typeof h["sec-fetch-site"] === "string" ? h["sec-fetch-site"] : undefined;
  if (site !== undefined && site !== "same-origin") return "It came from another site or page.";
  const origin = typeof h.origin === "string" ? h.origin : undefined;
  if (origin === undefined) return null;
  const host = (() => {
    try {
      return origin === "null" ? null : new URL(origin).host;
    } catch {
      return null;
    }
  })();
  if (host === null || !hosts.includes(host)) return "It came from another site or page.";
  return null;
}
