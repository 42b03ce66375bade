import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TErrorResponse } from "../../../shared/errors.js";
import type { TList } from "../../../shared/schemas/common.js";
import type { TAsset, TAssetDetail, TAssetImportReport, TBoard, TBooking, TDeviceModel, TOverdueLoans, TPersonDevices, TPickupResult, TResource, TRollout } from "../../../shared/schemas/devices.js";
import type { TPerson } from "../../../shared/schemas/people.js";
import type { TSchool } from "../../../shared/schemas/schools.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { PASSWORD, makePerson, makeSchool, setUpDistrict, signedIn, unique } from "../../../tests/helpers/factories.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";

for (const dialect of DIALECTS) {
  describe(`devices (${dialect})`, () => {
    // Shared and never changed by a test: the schools, the model, IT staff at each school. Each test
    // makes its own devices (unique tags) and students.
    let server: TestServer;
    let admin: ApiClient;
    let lincoln: TSchool;
    let west: TSchool;
    let itStaff: ApiClient;
    let westIt: ApiClient;
    let laptop: TDeviceModel;
    let tablet: TDeviceModel;

    const tagOf = () => unique("LT-").toUpperCase();
    const newAsset = async (over: Record<string, unknown> = {}, client = itStaff): Promise<TAssetDetail> => {
      const res = await client.post<TAssetDetail>("/api/v1/devices/assets", { tag: tagOf(), serial: unique("SN"), modelId: laptop.id, schoolId: lincoln.id, ...over });
      expect(res.status, res.text).toBe(201);
      return res.body;
    };
    const newStudent = async (grade = "09", school = lincoln, withPassword = false): Promise<{ person: TPerson; number: string; email: string }> => {
      const number = unique("S").toUpperCase();
      const email = `${unique("st")}@example.org`;
      const res = await admin.post<TPerson>("/api/v1/people", {
        givenName: unique("Stu"),
        familyName: unique("Dent"),
        email,
        gradeLevel: grade,
        studentNumber: number,
        roles: [{ role: "student", schoolId: school.id }],
        ...(withPassword ? { password: PASSWORD } : {}),
      });
      expect(res.status, res.text).toBe(201);
      return { person: res.body, number, email };
    };
    const count = async (table: "device_assets" | "device_events" | "device_assignments") =>
      Number((await server.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    const importCsv = (client: ApiClient, csv: string, query = "") =>
      client.request<TAssetImportReport>("POST", `/api/v1/devices/assets/import?${query}`, undefined, { headers: { "content-type": "text/csv" }, rawBody: csv });

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
      lincoln = await makeSchool(admin, { name: "Lincoln High", level: "high" });
      west = await makeSchool(admin, { name: "West Middle" });
      itStaff = await signedIn(server, (await makePerson(admin, { roles: [{ role: "it_staff", schoolId: lincoln.id }] })).email);
      westIt = await signedIn(server, (await makePerson(admin, { roles: [{ role: "it_staff", schoolId: west.id }] })).email);
      laptop = (await itStaff.post<TDeviceModel>("/api/v1/devices/models", { name: "Chromebook 14", maker: "Acme", kind: "laptop" })).body;
      tablet = (await itStaff.post<TDeviceModel>("/api/v1/devices/models", { name: "Slate 10", maker: "Acme", kind: "tablet" })).body;
    });
    afterAll(async () => server.close());

    it("keeps a device's tag as scanned or typed (case, spaces, scanner prefix) and records every change in its history", async () => {
      const raw = ` ]C0lt-${unique("n")} 7 `;
      const created = await newAsset({ tag: raw });
      expect(created.tag).toBe(raw.replace("]C0", "").replace(/\s+/g, "").toUpperCase());
      const edited = await itStaff.patch<TAssetDetail>(`/api/v1/devices/assets/${created.id}`, { room: "Library", notes: "Dent on lid" });
      expect(edited.status, edited.text).toBe(200);
      expect(edited.body.history.map((e) => e.kind)).toEqual(["updated", "created"]);
      expect(edited.body.history[0]?.details).toMatchObject({ room: ["", "Library"], notes: ["", "Dent on lid"] });
      const found = await itStaff.get<TList<TAsset>>(`/api/v1/devices/assets?q=${encodeURIComponent(created.tag.slice(0, 8).toLowerCase())}`);
      expect(found.body.items.map((a) => a.id)).toContain(created.id);
    });

    it("lets IT staff manage only their own school's devices, and bulk edits all or nothing", async () => {
      const a = await newAsset();
      const b = await newAsset();
      expect((await westIt.get(`/api/v1/devices/assets/${a.id}`)).status).toBe(404);
      // The label sheet: a Code 128 barcode per device the caller may read, nothing of another school's.
      const sheet = await itStaff.get<string>(`/api/v1/devices/labels?ids=${a.id},${b.id}`);
      expect(sheet.status).toBe(200);
      expect(sheet.text.match(/<svg/g)).toHaveLength(2);
      expect(sheet.headers.get("content-security-policy")).toContain("default-src 'none'");
      expect((await westIt.get<string>(`/api/v1/devices/labels?ids=${a.id}`)).text).not.toContain(a.tag);
      expect((await westIt.patch(`/api/v1/devices/assets/${a.id}`, { room: "X" })).status).toBe(404);
      expect((await westIt.post("/api/v1/devices/assets", { tag: tagOf(), serial: unique("SN"), modelId: laptop.id, schoolId: lincoln.id })).status).toBe(403);
      const bulk = await itStaff.post<{ updated: number }>("/api/v1/devices/assets/bulk", { ids: [a.id, b.id], changes: { fundingSource: "Title I", room: "Cart 3" } });
      expect(bulk.body).toEqual({ updated: 2 });
      const refused = await itStaff.post<TErrorResponse>("/api/v1/devices/assets/bulk", { ids: [a.id, "0193a9b0-0000-7000-8000-000000000000"], changes: { room: "Nowhere" } });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain("body.ids.1");
      expect((await itStaff.get<TAssetDetail>(`/api/v1/devices/assets/${a.id}`)).body.room).toBe("Cart 3");
    });

    it("checks a shipment list whole, reports each bad line, writes nothing until it is clean, and a re-import changes nothing", async () => {
      const existing = await newAsset();
      const [s1, s2, s3] = [unique("SN"), unique("SN"), unique("SN")];
      const [t1, t2, t3] = [tagOf(), tagOf(), tagOf()];
      const bad = [
        "Serial Number,Asset Tag,Model",
        `${s1},${t1},Chromebook 14`,
        `${s1},${t2},Chromebook 14`,
        `${s3},${t3},Toaster 3000`,
        `${existing.serial},${tagOf()},Chromebook 14`,
        `,${tagOf()},Chromebook 14`,
      ].join("\n");
      const before = await count("device_assets");
      const report = await importCsv(itStaff, bad, `dryRun=false&schoolId=${lincoln.id}`);
      expect(report.status, report.text).toBe(200);
      expect(report.body.applied).toBe(false);
      expect(report.body.errors.map((e) => [e.line, e.column])).toEqual([
        [3, "serial"],
        [4, "model"],
        [5, "serial"],
        [6, "serial"],
      ]);
      expect(report.body.errors[0]?.message).toContain("line 2");
      expect(await count("device_assets")).toBe(before);

      const good = ["serial,asset tag,model", `${s1},${t1.toLowerCase()},chromebook 14`, `${s2},${t2},Chromebook 14`, `${s3}, ${t3} ,Slate 10`].join("\r\n");
      const dry = await importCsv(itStaff, good, `schoolId=${lincoln.id}`);
      expect(dry.body).toMatchObject({ dryRun: true, applied: false, created: 3, errorCount: 0 });
      expect(await count("device_assets")).toBe(before);
      const applied = await importCsv(itStaff, good, `dryRun=false&schoolId=${lincoln.id}`);
      expect(applied.body).toMatchObject({ applied: true, created: 3, unchanged: 0 });
      expect(await count("device_assets")).toBe(before + 3);
      const again = await importCsv(itStaff, good, `dryRun=false&schoolId=${lincoln.id}`);
      expect(again.body).toMatchObject({ applied: true, created: 0, unchanged: 3 });
      expect(await count("device_assets")).toBe(before + 3);

      expect((await importCsv(westIt, good, `dryRun=false&schoolId=${lincoln.id}`)).status).toBe(403);
      const csv = await itStaff.get<string>(`/api/v1/devices/assets.csv?q=${t2}`);
      expect(csv.status).toBe(200);
      expect(csv.text).toContain(`"${t2}"`);
      expect(csv.text).not.toContain(`"${t1}"`);
    });

    it("gives a device to one person at a time, by hand and by rule, and a student sees their own", async () => {
      const a = await newAsset();
      const s = await newStudent("10", lincoln, true);
      const other = await newStudent("10");
      const given = await itStaff.post<TAssetDetail>(`/api/v1/devices/assets/${a.id}/assign`, { personId: s.person.id });
      expect(given.status, given.text).toBe(200);
      expect(given.body.status).toBe("assigned");
      const twice = await itStaff.post<TErrorResponse>(`/api/v1/devices/assets/${a.id}/assign`, { personId: other.person.id });
      expect(twice.status).toBe(409);
      const open = await server.ctx.db.selectFrom("device_assignments").select("id").where("asset_id", "=", a.id).where("returned_at", "is", null).execute();
      expect(open).toHaveLength(1);

      const student = await signedIn(server, s.email);
      const mine = await student.get<TPersonDevices>(`/api/v1/devices/people/${s.person.id}`);
      expect(mine.body.current.map((d) => d.tag)).toEqual([a.tag]);
      expect((await student.get(`/api/v1/devices/people/${other.person.id}`)).status).toBe(404);
      expect((await student.get("/api/v1/devices/assets")).status).toBe(403);

      // The rule: every 11th grader at West without a device gets a tablet from the pool.
      const grade = "11";
      const kids = [await newStudent(grade, west), await newStudent(grade, west), await newStudent(grade, west)];
      const westIt2 = westIt;
      const pool = [await newAsset({ modelId: tablet.id, schoolId: west.id }, westIt2), await newAsset({ modelId: tablet.id, schoolId: west.id }, westIt2)];
      const dry = await westIt.post("/api/v1/devices/assign-rule", { schoolId: west.id, grade, modelId: tablet.id });
      expect(dry.body).toMatchObject({ dryRun: true, students: 3, alreadyHave: 0, assigned: 2, shortBy: 1 });
      const done = await westIt.post("/api/v1/devices/assign-rule", { schoolId: west.id, grade, modelId: tablet.id, dryRun: false });
      expect(done.body).toMatchObject({ assigned: 2, shortBy: 1 });
      const holders = await server.ctx.db.selectFrom("device_assignments").select("person_id").where("asset_id", "in", pool.map((p) => p.id)).where("returned_at", "is", null).execute();
      expect(new Set(holders.map((h) => h.person_id)).size).toBe(2);
      expect(holders.every((h) => kids.some((k) => k.person.id === h.person_id))).toBe(true);
    });

    it("lists a device still with a student who left the roster as one to collect", async () => {
      const a = await newAsset();
      const s = await newStudent("12");
      await itStaff.post(`/api/v1/devices/assets/${a.id}/assign`, { personId: s.person.id });
      const before = await itStaff.get<{ items: { asset: TAsset }[] }>("/api/v1/devices/to-collect");
      expect(before.body.items.map((i) => i.asset.id)).not.toContain(a.id);
      expect((await admin.post(`/api/v1/people/${s.person.id}/deactivate`, {})).status).toBe(200);
      const after = await itStaff.get<{ items: { asset: TAsset; personName: string }[] }>("/api/v1/devices/to-collect");
      expect(after.body.items.map((i) => i.asset.id)).toContain(a.id);
      // Collected by scan at the end of the year, with a condition grade.
      const back = await itStaff.post<{ asset: TAsset; returnedBy: string }>("/api/v1/devices/checkin", { tag: ` ${a.tag.toLowerCase()} `, condition: "B" });
      expect(back.status, back.text).toBe(200);
      expect(back.body.asset).toMatchObject({ status: "in_stock", condition: "B", assignee: null });
      expect((await itStaff.post("/api/v1/devices/checkin", { tag: a.tag, condition: "B" })).status).toBe(409);
      expect((await itStaff.post("/api/v1/devices/checkin", { tag: "NOPE-404", condition: "B" })).status).toBe(404);
    });

    it("runs a pickup station: lookup shows only name, grade, photo and device; refusals are clear; the board counts", async () => {
      const rollout = await itStaff.post<TRollout>("/api/v1/devices/rollouts", {
        name: unique("Fall pickup "),
        schoolIds: [lincoln.id],
        grades: ["09"],
        modelIds: [laptop.id],
        stations: ["Gym 1", "Gym 2"],
        startsOn: "2026-08-01",
        endsOn: "2026-09-30",
      });
      expect(rollout.status, rollout.text).toBe(201);
      const R = `/api/v1/devices/rollouts/${rollout.body.id}`;
      const tech = await signedIn(server, (await makePerson(admin, { roles: [{ role: "student_tech", schoolId: lincoln.id }], gradeLevel: "11" })).email);
      const s = await newStudent("09");
      const lookup = await tech.get<{ items: Record<string, unknown>[] }>(`${R}/lookup?q=${encodeURIComponent(` ${s.number.toLowerCase()}`)}`);
      expect(lookup.status, lookup.text).toBe(200);
      expect(lookup.body.items).toHaveLength(1);
      expect(Object.keys(lookup.body.items[0] ?? {}).sort()).toEqual(["device", "grade", "id", "name", "photoUrl", "pickedUp"]);
      expect([403, 404]).toContain((await tech.get(`/api/v1/people/${s.person.id}`)).status);
      expect((await tech.get(`${R}/board`)).status).toBe(403);

      const a = await newAsset();
      const steps = ["account", "video", "basics", "agreement"];
      const pick = await tech.post<TPickupResult>(`${R}/pickups`, { studentId: s.person.id, tag: `*${a.tag.toLowerCase()}*`, station: "Gym 1", steps });
      expect(pick.status, pick.text).toBe(201);
      expect(pick.body).toMatchObject({ tag: a.tag, modelName: "Chromebook 14", student: { id: s.person.id, grade: "09" } });
      const again = await tech.post<TErrorResponse>(`${R}/pickups`, { studentId: s.person.id, tag: a.tag, station: "Gym 1", steps });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toContain("already");
      const s2 = await newStudent("09");
      const taken = await tech.post<TErrorResponse>(`${R}/pickups`, { studentId: s2.person.id, tag: a.tag, station: "Gym 2", steps });
      expect([taken.status, taken.body.error.message]).toEqual([409, `${a.tag} is already assigned to someone: check it in first`]);
      const unknown = await tech.post<TErrorResponse>(`${R}/pickups`, { studentId: s2.person.id, tag: "NO-SUCH-TAG", station: "Gym 2", steps });
      expect([unknown.status, unknown.body.error.message]).toEqual([404, "No device has the tag NO-SUCH-TAG"]);
      const outsider = await newStudent("09", west);
      expect((await tech.post(`${R}/pickups`, { studentId: outsider.person.id, tag: (await newAsset()).tag, station: "Gym 2", steps })).status).toBe(404);
      // Nothing half-saved: the refused pickups left no pickup rows.
      const pickups = await server.ctx.db.selectFrom("device_pickups").select("person_id").where("rollout_id", "=", rollout.body.id).execute();
      expect(pickups.map((p) => p.person_id)).toEqual([s.person.id]);

      const board = await itStaff.get<TBoard>(`${R}/board`);
      expect(board.status, board.text).toBe(200);
      expect(board.body.pickedUp).toBe(1);
      expect(board.body.byStation).toEqual([{ station: "Gym 1", pickedUp: 1 }, { station: "Gym 2", pickedUp: 0 }]);
      expect(board.body.toCome.map((t) => t.id)).toContain(s2.person.id);
      expect(board.body.toCome.map((t) => t.id)).not.toContain(s.person.id);
      const audited = await server.ctx.db.selectFrom("audit_log").select("action").where("action", "in", ["device.station.lookup", "device.pickup", "device.board.read"]).execute();
      expect(new Set(audited.map((r) => r.action))).toEqual(new Set(["device.station.lookup", "device.pickup", "device.board.read"]));
    });

    it("lends a loaner while a student's device is in repair (linked to a ticket), and both come back", async () => {
      const own = await newAsset();
      const loaner = await newAsset({ isLoaner: true });
      const s = await newStudent("10");
      await itStaff.post(`/api/v1/devices/assets/${own.id}/assign`, { personId: s.person.id });
      const repair = await itStaff.post<TAssetDetail>(`/api/v1/devices/assets/${own.id}/repairs`, { vendor: "FixIt Co", costCents: 8900, ticketId: "ticket-42", note: "Cracked screen" });
      expect(repair.status, repair.text).toBe(201);
      expect(repair.body.status).toBe("in_repair");
      expect(repair.body.repairs[0]).toMatchObject({ vendor: "FixIt Co", ticketId: "ticket-42", costCents: 8900, closedOn: null });
      expect((await itStaff.post(`/api/v1/devices/assets/${loaner.id}/assign`, { personId: s.person.id, kind: "loaner" })).status).toBe(400);
      const lent = await itStaff.post<TAssetDetail>(`/api/v1/devices/assets/${loaner.id}/assign`, { personId: s.person.id, kind: "loaner", dueOn: "2026-12-20" });
      expect(lent.body).toMatchObject({ status: "loaner", assignee: { personId: s.person.id, kind: "loaner", dueOn: "2026-12-20" } });
      const closed = await itStaff.patch<TAssetDetail>(`/api/v1/devices/repairs/${repair.body.repairs[0]?.id}`, { closedOn: "2026-12-18" });
      expect(closed.body.status).toBe("assigned");
      const back = await itStaff.post<TAssetDetail>(`/api/v1/devices/assets/${loaner.id}/return`, { condition: "A" });
      expect(back.body.status).toBe("in_stock");
      const timeline = await itStaff.get<TPersonDevices>(`/api/v1/devices/people/${s.person.id}`);
      expect(timeline.body.current.map((d) => d.id)).toEqual([own.id]);
      expect(timeline.body.history.map((e) => `${e.kind}:${e.tag}`)).toEqual([`returned:${loaner.tag}`, `repair_closed:${own.tag}`, `loaned:${loaner.tag}`, `repair_opened:${own.tag}`, `assigned:${own.tag}`]);
      const lost = await itStaff.patch<TAssetDetail>(`/api/v1/devices/assets/${own.id}`, { status: "lost" });
      expect([lost.body.status, lost.body.assignee]).toEqual(["lost", null]);
    });

    it("lists loaners past their due date by school, with days overdue and a CSV, only at the caller's schools", async () => {
      const lend = async (dueOn: string, school = lincoln, client = itStaff) => {
        const loaner = await newAsset({ isLoaner: true, schoolId: school.id }, client);
        const s = await newStudent("10", school);
        const lent = await client.post<TAssetDetail>(`/api/v1/devices/assets/${loaner.id}/assign`, { personId: s.person.id, kind: "loaner", dueOn });
        expect(lent.status, lent.text).toBe(200);
        return { loaner, name: `${s.person.givenName} ${s.person.familyName}` };
      };
      const late = await lend("2020-01-10");
      const notYet = await lend("2999-01-01");
      const returned = await lend("2020-01-11");
      expect((await itStaff.post(`/api/v1/devices/assets/${returned.loaner.id}/return`, { condition: "B" })).status).toBe(200);
      const westLate = await lend("2020-02-01", west, westIt);

      const list = await itStaff.get<TOverdueLoans>("/api/v1/devices/loans/overdue");
      expect(list.status, list.text).toBe(200);
      const tags = list.body.items.map((l) => l.asset.tag);
      expect(tags).toContain(late.loaner.tag);
      expect(tags).not.toContain(notYet.loaner.tag);
      expect(tags).not.toContain(returned.loaner.tag);
      expect(tags).not.toContain(westLate.loaner.tag);
      const item = list.body.items.find((l) => l.asset.tag === late.loaner.tag);
      expect(item).toMatchObject({ personName: late.name, schoolId: lincoln.id, schoolName: "Lincoln High", dueOn: "2020-01-10" });
      expect(item?.daysOverdue).toBe(Math.round((Date.parse(new Date().toISOString().slice(0, 10)) - Date.parse("2020-01-10")) / 86_400_000));

      const all = await admin.get<TOverdueLoans>("/api/v1/devices/loans/overdue");
      const schoolsInOrder = all.body.items.map((l) => l.schoolId);
      expect(all.body.items.map((l) => l.asset.tag)).toEqual(expect.arrayContaining([late.loaner.tag, westLate.loaner.tag]));
      expect(schoolsInOrder).toEqual([...schoolsInOrder].sort((a, b) => (a ?? "").localeCompare(b ?? "")));
      const westOnly = await admin.get<TOverdueLoans>(`/api/v1/devices/loans/overdue?schoolId=${west.id}`);
      expect(westOnly.body.items.map((l) => l.asset.tag)).toEqual([westLate.loaner.tag]);

      const refused = await itStaff.get<TErrorResponse>(`/api/v1/devices/loans/overdue?schoolId=${west.id}`);
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain("query.schoolId");

      const csv = await itStaff.get("/api/v1/devices/loans/overdue.csv");
      expect(csv.status).toBe(200);
      expect(csv.headers.get("content-type")).toContain("text/csv");
      const lines = csv.text.trim().split(/\r?\n/);
      expect(lines[0]).toBe('"School","Asset tag","Serial","Model","Borrower","Due","Days overdue"');
      expect(lines.find((l) => l.includes(late.loaner.tag))).toContain(`"Lincoln High","${late.loaner.tag}"`);
      expect(csv.text).not.toContain(westLate.loaner.tag);
      const audit = await server.ctx.db.selectFrom("audit_log").select("details").where("action", "=", "device.loans.overdue").execute();
      expect(audit.map((a) => JSON.parse(a.details ?? "{}") as { format: string }).map((d) => d.format)).toEqual(expect.arrayContaining(["json", "csv"]));
    });

    it("refuses an overlapping booking and publishes each resource's calendar as iCal at its secret address", async () => {
      const cart = await itStaff.post<TResource>("/api/v1/devices/resources", { schoolId: lincoln.id, name: unique("Cart "), kind: "cart" });
      expect(cart.status, cart.text).toBe(201);
      const teacher = await signedIn(server, (await makePerson(admin, { roles: [{ role: "teacher", schoolId: lincoln.id }] })).email);
      const book = (startsAt: string, endsAt: string, who = teacher) => who.post<TBooking>(`/api/v1/devices/resources/${cart.body.id}/bookings`, { title: "Period 3 research", startsAt, endsAt });
      expect((await book("2026-12-07T09:00:00Z", "2026-12-07T10:00:00Z")).status).toBe(201);
      const clash = await book("2026-12-07T09:30:00Z", "2026-12-07T10:30:00Z", itStaff);
      expect(clash.status).toBe(409);
      expect((await book("2026-12-07T10:00:00Z", "2026-12-07T11:00:00Z", itStaff)).status).toBe(201);
      const racing = await Promise.all([book("2026-12-08T09:00:00Z", "2026-12-08T10:00:00Z"), book("2026-12-08T09:15:00Z", "2026-12-08T09:45:00Z", itStaff)]);
      expect(racing.map((r) => r.status).sort()).toEqual([201, 409]);
      const westTeacher = await signedIn(server, (await makePerson(admin, { roles: [{ role: "teacher", schoolId: west.id }] })).email);
      expect((await book("2026-12-09T09:00:00Z", "2026-12-09T10:00:00Z", westTeacher)).status).toBe(404);
      const feedUrl = cart.body.feedUrl ?? "";
      const path = feedUrl.slice(feedUrl.indexOf("/api/"));
      const feed = await fetch(server.baseUrl + path);
      expect(feed.headers.get("content-type")).toContain("text/calendar");
      const ics = await feed.text();
      expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(3);
      expect(ics).toContain("DTSTART:20261207T090000Z");
      expect((await fetch(server.baseUrl + path.replace(/token=.*/, "token=wrong"))).status).toBe(404);
    });
  });
}
