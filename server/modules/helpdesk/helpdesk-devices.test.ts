import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TErrorResponse } from "../../../shared/errors.js";
import type { TAssetDetail, TDeviceModel } from "../../../shared/schemas/devices.js";
import type { TTicket } from "../../../shared/schemas/helpdesk.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn, unique } from "../../../tests/helpers/factories.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";

// The link between the help desk and devices: a ticket names a device of the district and shows it;
// IT sends it to repair from the ticket (one transaction); the device's page names the ticket.

for (const dialect of DIALECTS) {
  describe(`help desk ↔ devices (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    let schoolA: string;
    let it_: ApiClient;
    let student: { client: ApiClient; id: string };
    let model: TDeviceModel;

    const newDevice = async (): Promise<TAssetDetail> => {
      const res = await it_.post<TAssetDetail>("/api/v1/devices/assets", { tag: unique("HD-").toUpperCase(), serial: unique("SN"), modelId: model.id, schoolId: schoolA });
      expect(res.status, res.text).toBe(201);
      return res.body;
    };
    const file = async (client: ApiClient, body: Record<string, unknown>) =>
      client.post<TTicket & TErrorResponse>("/api/v1/helpdesk/tickets", { schoolId: schoolA, categoryKey: "broken", description: "The screen is cracked", location: "Room 114", ...body });
    const count = async (table: "device_repairs" | "helpdesk_tickets") => Number((await server.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
      schoolA = (await makeSchool(admin, { level: "high" })).id;
      it_ = await signedIn(server, (await makePerson(admin, { roles: [{ role: "it_staff", schoolId: schoolA }] })).email);
      const s = await makePerson(admin, { roles: [{ role: "student", schoolId: schoolA }], gradeLevel: "09" });
      student = { client: await signedIn(server, s.email), id: s.person.id };
      model = (await it_.post<TDeviceModel>("/api/v1/devices/models", { name: "Chromebook 14", maker: "Acme", kind: "laptop" })).body;
    });
    afterAll(async () => server.close());

    it("refuses a ticket about another district's device, naming body.assetId, and saves nothing", async () => {
      const now = new Date().toISOString();
      const db = server.ctx.db;
      await db.insertInto("districts").values({ id: "d-elsewhere", name: "Elsewhere Unified", timezone: "UTC", created_at: now, updated_at: now }).execute();
      await db.insertInto("device_models").values({ id: "m-elsewhere", district_id: "d-elsewhere", name: "Other book", maker: "Acme", kind: "laptop", created_at: now }).execute();
      await db.insertInto("device_assets").values({ id: "a-elsewhere", district_id: "d-elsewhere", tag: "ELSE-1", serial: "SN-ELSE-1", model_id: "m-elsewhere", status: "in_stock", school_id: null, purchase_date: null, warranty_end: null, condition: null, created_at: now, updated_at: now }).execute();
      const before = await count("helpdesk_tickets");
      const res = await file(student.client, { assetId: "a-elsewhere" });
      expect(res.status).toBe(400);
      expect(res.text).toContain("body.assetId");
      expect((await file(student.client, { assetId: "no-such-device" })).status).toBe(400);
      expect(await count("helpdesk_tickets")).toBe(before);
    });

    it("shows the ticket's device; IT sends it to repair from the ticket and the device's page names the ticket", async () => {
      const device = await newDevice();
      const filed = await file(student.client, { assetId: device.id });
      expect(filed.status, filed.text).toBe(201);
      expect(filed.body.device).toMatchObject({ id: device.id, tag: device.tag, modelName: "Chromebook 14", status: "in_stock" });
      expect(filed.body.can.sendToRepair).toBe(false);

      const seen = await it_.get<TTicket>(`/api/v1/helpdesk/tickets/${filed.body.id}`);
      expect(seen.body.device?.tag).toBe(device.tag);
      expect(seen.body.can.sendToRepair).toBe(true);
      // Before the repair the device's page lists the ticket among its open ones.
      const open = await it_.get<TAssetDetail>(`/api/v1/devices/assets/${device.id}`);
      expect(open.body.tickets).toEqual([{ id: filed.body.id, title: filed.body.title, status: "new", open: true }]);

      const sent = await it_.post<TTicket>(`/api/v1/helpdesk/tickets/${filed.body.id}/repair`, { note: "Cracked screen, send to the vendor" });
      expect(sent.status, sent.text).toBe(200);
      expect(sent.body.device?.status).toBe("in_repair");
      expect(sent.body.can.sendToRepair).toBe(false);
      expect(sent.body.history.map((h) => [h.field, h.to])).toContainEqual(["device", "in_repair"]);

      const page = await it_.get<TAssetDetail>(`/api/v1/devices/assets/${device.id}`);
      expect(page.body.status).toBe("in_repair");
      expect(page.body.repairs).toHaveLength(1);
      expect(page.body.repairs[0]).toMatchObject({ ticketId: filed.body.id, note: "Cracked screen, send to the vendor", closedOn: null });
      expect(page.body.tickets.map((t) => t.id)).toEqual([filed.body.id]);
      expect(page.body.history.find((e) => e.kind === "repair_opened")?.details).toMatchObject({ ticketId: filed.body.id });
    });

    it("refuses a student who asks to send the device to repair (403), and a second send (409), saving nothing either time", async () => {
      const device = await newDevice();
      const t = (await file(student.client, { assetId: device.id })).body;
      const byStudent = await student.client.post<TErrorResponse>(`/api/v1/helpdesk/tickets/${t.id}/repair`, {});
      expect(byStudent.status).toBe(403);
      expect((await it_.get<TAssetDetail>(`/api/v1/devices/assets/${device.id}`)).body.status).toBe("in_stock");

      expect((await it_.post(`/api/v1/helpdesk/tickets/${t.id}/repair`, {})).status).toBe(200);
      const repairs = await count("device_repairs");
      const historyBefore = (await it_.get<TTicket>(`/api/v1/helpdesk/tickets/${t.id}`)).body.history.length;
      const again = await it_.post<TErrorResponse>(`/api/v1/helpdesk/tickets/${t.id}/repair`, {});
      expect(again.status).toBe(409);
      expect(again.body.error.message).toContain("already in repair");
      expect(await count("device_repairs")).toBe(repairs);
      expect((await it_.get<TTicket>(`/api/v1/helpdesk/tickets/${t.id}`)).body.history.length).toBe(historyBefore);
    });

    it("opens one repair when the ticket and the device page send the same device at once", async () => {
      const device = await newDevice();
      const t = (await file(student.client, { assetId: device.id })).body;
      const repairsBefore = await count("device_repairs");
      const [fromTicket, fromDevice] = await Promise.all([
        it_.post(`/api/v1/helpdesk/tickets/${t.id}/repair`, { note: "From the ticket" }),
        it_.post(`/api/v1/devices/assets/${device.id}/repairs`, { vendor: "", costCents: null, ticketId: null, note: "From the device page" }),
      ]);
      const succeeded = [fromTicket.status === 200, fromDevice.status === 201].filter(Boolean);
      expect(succeeded, `${fromTicket.status} ${fromTicket.text} / ${fromDevice.status} ${fromDevice.text}`).toHaveLength(1);
      expect([fromTicket.status, fromDevice.status]).toContain(409);
      expect(await count("device_repairs")).toBe(repairsBefore + 1);
    });

    it("files a broken device and sends it to repair in one write when the filer manages it; a student asking for that files nothing", async () => {
      const device = await newDevice();
      const before = await count("helpdesk_tickets");
      const refused = await file(student.client, { assetId: device.id, sendToRepair: true });
      expect(refused.status).toBe(403);
      expect(await count("helpdesk_tickets")).toBe(before);

      const res = await file(it_, { assetId: device.id, sendToRepair: true });
      expect(res.status, res.text).toBe(201);
      expect(res.body.device?.status).toBe("in_repair");
      const page = await it_.get<TAssetDetail>(`/api/v1/devices/assets/${device.id}`);
      expect(page.body.repairs[0]?.ticketId).toBe(res.body.id);
      expect((await file(it_, { sendToRepair: true })).text).toContain("body.sendToRepair");
    });

    it("IT sending a device to repair from its page can open a help desk ticket for its holder, linked both ways", async () => {
      const device = await newDevice();
      expect((await it_.post(`/api/v1/devices/assets/${device.id}/assign`, { personId: student.id, kind: "assigned" })).status).toBe(200);
      const res = await it_.post<TAssetDetail>(`/api/v1/devices/assets/${device.id}/repairs`, { vendor: "FixIt Co", note: "Hinge snapped", openTicket: true });
      expect(res.status, res.text).toBe(201);
      const ticketId = res.body.repairs[0]?.ticketId ?? "";
      expect(res.body.tickets).toEqual([{ id: ticketId, title: "Broken or damaged: Hinge snapped", status: "new", open: true }]);
      const t = await student.client.get<TTicket>(`/api/v1/helpdesk/tickets/${ticketId}`);
      expect(t.status).toBe(200);
      expect(t.body.requesterId).toBe(student.id);
      expect(t.body.device).toMatchObject({ id: device.id, status: "in_repair" });
    });

    it("a ticket with no device has none to send (409)", async () => {
      const t = (await file(student.client, {})).body;
      expect(t.device).toBeNull();
      expect((await it_.post(`/api/v1/helpdesk/tickets/${t.id}/repair`, {})).status).toBe(409);
    });
  });
}
