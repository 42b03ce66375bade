import { Readable } from "node:stream";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { ZIdParams, listResponse } from "../../../shared/schemas/common.js";
import {
  DeviceLimits,
  ZAsset,
  ZAssetChanges,
  ZAssetDetail,
  ZAssetImportReport,
  ZAssignRequest,
  ZBoard,
  ZBooking,
  ZBookingsQuery,
  ZBulkEditRequest,
  ZBulkEditResult,
  ZCheckInRequest,
  ZCheckInResult,
  ZCloseRepairRequest,
  ZCreateAssetRequest,
  ZCreateBookingRequest,
  ZCreateDeviceModelRequest,
  ZCreateResourceRequest,
  ZCreateRolloutRequest,
  ZDeviceModel,
  ZFeedQuery,
  ZImportQuery,
  ZListAssetsQuery,
  ZOpenRepairRequest,
  ZPersonDevices,
  ZPickupRequest,
  ZPickupResult,
  ZResource,
  ZReturnRequest,
  ZRollout,
  ZRuleAssignRequest,
  ZRuleAssignResult,
  ZStationLookup,
  ZStationLookupQuery,
  ZOverdueLoans,
  ZOverdueLoansQuery,
  ZToCollect,
} from "../../../shared/schemas/devices.js";
import type { Ctx } from "../../context.js";
import { AppError } from "../../errors.js";
import { ZErrorResponse, requireActor, writer, type App } from "../../http.js";
import { csvStream } from "../../platform/csv.js";
import * as assignment from "./assignment.service.js";
import * as bookings from "./bookings.service.js";
import { importAssets } from "./import.service.js";
import * as inventory from "./inventory.service.js";
import { labelSheet } from "./labels.js";
import * as rollouts from "./rollouts.service.js";

const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 403: ZErrorResponse, 404: ZErrorResponse };
const conflict = { 409: ZErrorResponse };
const tags = ["Devices"];
const P = "/api/v1/devices";

async function readText(stream: Readable, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > limit) throw new AppError("payload_too_large", `The file is larger than ${Math.round(limit / 1024 / 1024)} MB`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function registerDeviceRoutes(app: App, ctx: Ctx): void {
  // ---- Models ----
  app.get(`${P}/models`, { schema: { tags, summary: "The district's device models, with how many devices each", response: { 200: z.object({ items: z.array(ZDeviceModel) }), ...errors } } }, async (req) =>
    inventory.listModels(ctx, requireActor(req)),
  );
  app.post(
    `${P}/models`,
    { schema: { tags, summary: "Add a device model (IT staff, district admins)", body: ZCreateDeviceModelRequest, response: { 201: ZDeviceModel, ...errors } } },
    async (req, reply) => reply.status(201).send(await inventory.createModel(ctx, writer(req), req.body)),
  );

  // ---- Assets ----
  app.get(
    `${P}/assets`,
    { schema: { tags, summary: "Devices at your schools, by tag; search by tag or serial prefix, filter by status, model, school, loaner pool", querystring: ZListAssetsQuery, response: { 200: listResponse(ZAsset).extend({ totalIsCapped: z.boolean().optional() }), ...errors } } },
    async (req) => inventory.listAssets(ctx, requireActor(req), req.query),
  );
  app.get(
    `${P}/assets.csv`,
    { schema: { tags, summary: "Export the devices of a filter as CSV", querystring: ZListAssetsQuery.omit({ limit: true, cursor: true }), produces: ["text/csv"] } },
    async (req, reply) => {
      const actor = requireActor(req);
      const rows = inventory.exportAssets(ctx, actor, req.query);
      const first = await rows.next(); // the access check runs before any header is sent
      async function* all() {
        if (!first.done) yield first.value;
        yield* rows;
      }
      const columns = ["tag", "serial", "model", "status", "school", "room", "assignedTo", "purchaseDate", "warrantyEnd", "fundingSource", "loaner", "condition", "notes"];
      return reply
        .headers({ "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="devices-${new Date().toISOString().slice(0, 10)}.csv"` })
        .send(csvStream(all(), columns));
    },
  );
  app.post(
    `${P}/assets`,
    { schema: { tags, summary: "Add a device by hand", body: ZCreateAssetRequest, response: { 201: ZAssetDetail, ...errors, ...conflict } } },
    async (req, reply) => reply.status(201).send(await inventory.createAsset(ctx, writer(req), req.body)),
  );
  app.get(`${P}/assets/:id`, { schema: { tags, summary: "A device with its timeline and repairs", params: ZIdParams, response: { 200: ZAssetDetail, ...errors } } }, async (req) =>
    inventory.getAsset(ctx, requireActor(req), req.params.id),
  );
  app.patch(
    `${P}/assets/:id`,
    { schema: { tags, summary: "Edit a device, or mark it lost, stolen, retired or back in stock (ends its assignment)", params: ZIdParams, body: ZAssetChanges, response: { 200: ZAssetDetail, ...errors, ...conflict } } },
    async (req) => inventory.updateAsset(ctx, writer(req), req.params.id, req.body),
  );
  app.post(
    `${P}/assets/bulk`,
    { schema: { tags, summary: "The same edit on many devices, all or nothing", body: ZBulkEditRequest, response: { 200: ZBulkEditResult, ...errors, ...conflict } } },
    async (req) => inventory.bulkEdit(ctx, writer(req), req.body.ids, req.body.changes),
  );
  app.get(
    `${P}/labels`,
    {
      schema: {
        tags,
        summary: "A printable sheet of Code 128 asset-tag labels (HTML with SVG barcodes) for the chosen devices",
        querystring: z.object({ ids: z.string().max(DeviceLimits.maxLabels * 40).describe("Device ids, comma-separated") }),
        produces: ["text/html"],
      },
    },
    async (req, reply) =>
      reply
        .type("text/html; charset=utf-8")
        // The sheet is a page of its own with no script: its one inline stylesheet is all it needs.
        .header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'")
        .send(await labelSheet(ctx, requireActor(req), req.query.ids.split(",").filter(Boolean))),
  );

  // The shipment import takes the CSV file itself as the body, in its own scope so that only it accepts text/csv.
  void app.register(async (scoped) => {
    const scope = scoped.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser(["text/csv", "text/plain"], (_req, payload, done) => done(null, payload));
    scope.post(
      `${P}/assets/import`,
      {
        bodyLimit: DeviceLimits.maxImportBytes,
        schema: {
          tags,
          summary: "Import a vendor's shipment list (CSV: serial, asset tag, model)",
          description:
            "Send the CSV as the body (`text/csv`). The whole file is checked first and every problem reported by line (duplicate serials or tags in the file or in the inventory, unknown models, empty cells); " +
            "with any problem nothing is written. A dry run (the default) only checks. Lines already in the inventory as they are count as unchanged, so importing the same file again changes nothing.",
          querystring: ZImportQuery,
          response: { 200: ZAssetImportReport, ...errors, 413: ZErrorResponse, 415: ZErrorResponse },
        },
      },
      async (req) => {
        const who = writer(req);
        if (!(req.body instanceof Readable)) throw new AppError("unsupported_media_type", "Send the CSV file as the body, as text/csv");
        const text = await readText(req.body, DeviceLimits.maxImportBytes);
        return importAssets(ctx, who, text, { isDryRun: req.query.dryRun, schoolId: req.query.schoolId ?? null, fundingSource: req.query.fundingSource ?? "", purchaseDate: req.query.purchaseDate ?? null });
      },
    );
  });

  // ---- Assignment and lifecycle ----
  app.post(
    `${P}/assets/:id/assign`,
    { schema: { tags, summary: "Give a device to a person (or lend a loaner-pool device until a due date)", params: ZIdParams, body: ZAssignRequest, response: { 200: ZAssetDetail, ...errors, ...conflict } } },
    async (req) => assignment.assign(ctx, writer(req), req.params.id, req.body),
  );
  app.post(
    `${P}/assets/:id/return`,
    { schema: { tags, summary: "Take a device back from whoever holds it", params: ZIdParams, body: ZReturnRequest, response: { 200: ZAssetDetail, ...errors, ...conflict } } },
    async (req) => assignment.returnAsset(ctx, writer(req), req.params.id, req.body),
  );
  app.post(
    `${P}/checkin`,
    { schema: { tags, summary: "End-of-year collection: check a device in by its scanned tag, with a condition grade", body: ZCheckInRequest, response: { 200: ZCheckInResult, ...errors, ...conflict } } },
    async (req) => assignment.checkInByTag(ctx, writer(req), req.body),
  );
  app.post(
    `${P}/assign-rule`,
    { schema: { tags, summary: "Give every student of a grade at a school without a device one of a model from the in-stock pool (dry run by default)", body: ZRuleAssignRequest, response: { 200: ZRuleAssignResult, ...errors, ...conflict } } },
    async (req) => assignment.assignByRule(ctx, writer(req), req.body),
  );
  app.get(`${P}/to-collect`, { schema: { tags, summary: "Devices still with people who left the roster", response: { 200: ZToCollect, ...errors } } }, async (req) =>
    assignment.toCollect(ctx, writer(req)),
  );
  app.get(
    `${P}/loans/overdue`,
    { schema: { tags, summary: "Loaners past their due date at your schools (or one), by school then due date", querystring: ZOverdueLoansQuery, response: { 200: ZOverdueLoans, ...errors } } },
    async (req) => assignment.overdueLoans(ctx, writer(req), req.query, "json"),
  );
  app.get(
    `${P}/loans/overdue.csv`,
    { schema: { tags, summary: "The overdue loaners as CSV (school, tag, model, borrower, due, days overdue)", querystring: ZOverdueLoansQuery, produces: ["text/csv"] } },
    async (req, reply) => {
      const { items } = await assignment.overdueLoans(ctx, writer(req), req.query, "csv");
      const rows = items.map((l) => ({ school: l.schoolName ?? "District stock", tag: l.asset.tag, serial: l.asset.serial, model: l.asset.modelName, borrower: l.personName, dueOn: l.dueOn, daysOverdue: l.daysOverdue }));
      const columns = [
        { key: "school", header: "School" },
        { key: "tag", header: "Asset tag" },
        { key: "serial", header: "Serial" },
        { key: "model", header: "Model" },
        { key: "borrower", header: "Borrower" },
        { key: "dueOn", header: "Due" },
        { key: "daysOverdue", header: "Days overdue" },
      ];
      return reply
        .headers({ "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="overdue-loans-${new Date().toISOString().slice(0, 10)}.csv"` })
        .send(csvStream(rows, columns));
    },
  );
  app.get(
    `${P}/people/:id`,
    { schema: { tags, summary: "A person's devices now and the history of every device they held (your own, or staff of their school)", params: ZIdParams, response: { 200: ZPersonDevices, ...errors } } },
    async (req) => inventory.personDevices(ctx, writer(req), req.params.id),
  );
  app.post(
    `${P}/assets/:id/repairs`,
    { schema: { tags, summary: "Send a device to repair (vendor, cost, help desk ticket)", params: ZIdParams, body: ZOpenRepairRequest, response: { 201: ZAssetDetail, ...errors, ...conflict } } },
    async (req, reply) => reply.status(201).send(await assignment.openRepair(ctx, writer(req), req.params.id, req.body)),
  );
  app.patch(
    `${P}/repairs/:id`,
    { schema: { tags, summary: "Close a repair: the device goes back to its holder or into stock", params: ZIdParams, body: ZCloseRepairRequest, response: { 200: ZAssetDetail, ...errors, ...conflict } } },
    async (req) => assignment.closeRepair(ctx, writer(req), req.params.id, req.body),
  );

  // ---- Rollouts and stations ----
  app.get(`${P}/rollouts`, { schema: { tags, summary: "Rollouts whose station you run or whose board you see", response: { 200: z.object({ items: z.array(ZRollout) }), ...errors } } }, async (req) =>
    rollouts.listRollouts(ctx, requireActor(req)),
  );
  app.post(
    `${P}/rollouts`,
    { schema: { tags, summary: "Plan a rollout: schools, grades, model pool, dates, stations, checklist", body: ZCreateRolloutRequest, response: { 201: ZRollout, ...errors } } },
    async (req, reply) => reply.status(201).send(await rollouts.createRollout(ctx, writer(req), req.body)),
  );
  app.get(`${P}/rollouts/:id`, { schema: { tags, summary: "A rollout", params: ZIdParams, response: { 200: ZRollout, ...errors } } }, async (req) =>
    rollouts.getRollout(ctx, requireActor(req), req.params.id),
  );
  app.get(
    `${P}/rollouts/:id/lookup`,
    {
      schema: {
        tags,
        summary: "A station's student search (scanned student number or typed name): name, grade, photo and device only; audited",
        params: ZIdParams,
        querystring: ZStationLookupQuery,
        response: { 200: ZStationLookup, ...errors },
      },
    },
    async (req) => rollouts.stationLookup(ctx, writer(req), req.params.id, req.query.q),
  );
  app.post(
    `${P}/rollouts/:id/pickups`,
    { schema: { tags, summary: "A pickup at a station: the student gets the scanned device, with the steps ticked", params: ZIdParams, body: ZPickupRequest, response: { 201: ZPickupResult, ...errors, ...conflict } } },
    async (req, reply) => reply.status(201).send(await rollouts.pickup(ctx, writer(req), req.params.id, req.body)),
  );
  app.get(
    `${P}/rollouts/:id/board`,
    { schema: { tags, summary: "The live board: picked up and remaining by school, grade and station, and the students still to come (staff; audited)", params: ZIdParams, response: { 200: ZBoard, ...errors } } },
    async (req) => rollouts.board(ctx, writer(req), req.params.id),
  );

  // ---- Bookings ----
  app.get(`${P}/resources`, { schema: { tags, summary: "Carts, labs and rooms you can book", response: { 200: z.object({ items: z.array(ZResource) }), ...errors } } }, async (req) =>
    bookings.listResources(ctx, requireActor(req)),
  );
  app.post(
    `${P}/resources`,
    { schema: { tags, summary: "Add a bookable resource (IT staff, district admins)", body: ZCreateResourceRequest, response: { 201: ZResource, ...errors } } },
    async (req, reply) => reply.status(201).send(await bookings.createResource(ctx, writer(req), req.body)),
  );
  app.get(
    `${P}/resources/:id/bookings`,
    { schema: { tags, summary: "A resource's bookings between two instants", params: ZIdParams, querystring: ZBookingsQuery, response: { 200: z.object({ items: z.array(ZBooking) }), ...errors } } },
    async (req) => bookings.listBookings(ctx, requireActor(req), req.params.id, req.query),
  );
  app.post(
    `${P}/resources/:id/bookings`,
    { schema: { tags, summary: "Book a resource; 409 when the time overlaps a booking", params: ZIdParams, body: ZCreateBookingRequest, response: { 201: ZBooking, ...errors, ...conflict } } },
    async (req, reply) => reply.status(201).send(await bookings.createBooking(ctx, writer(req), req.params.id, req.body)),
  );
  app.delete(`${P}/bookings/:id`, { schema: { tags, summary: "Cancel a booking (its booker, or IT staff)", params: ZIdParams, response: { 204: z.null(), ...errors } } }, async (req, reply) => {
    await bookings.cancelBooking(ctx, writer(req), req.params.id);
    return reply.status(204).send(null);
  });
  app.get(
    `${P}/resources/:id/feed.ics`,
    {
      config: { public: true },
      schema: { tags, summary: "A resource's bookings as an iCal feed, at its secret address (for calendar apps, which cannot sign in)", params: ZIdParams, querystring: ZFeedQuery, produces: ["text/calendar"] },
    },
    async (req, reply) => reply.type("text/calendar; charset=utf-8").send(await bookings.feed(ctx, req.params.id, req.query.token)),
  );
}
