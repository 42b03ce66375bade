import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TList } from "../../../shared/schemas/common.js";
import type { TDepartment, THelpdeskSettings, TPunchList, TQueue, TReport, TScores, TTicket, TTicketSummary } from "../../../shared/schemas/helpdesk.js";
import type { Role } from "../../../shared/roles.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn, unique } from "../../../tests/helpers/factories.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";
import { ApiClient as Client } from "../../../tests/helpers/client.js";

type Err = { error: { code: string; message: string; details?: { issues?: { path: string; message: string }[] } } };

for (const dialect of DIALECTS) {
  describe(`help desk (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    let schoolA: string;
    let schoolB: string;
    let student: { client: ApiClient; id: string; email: string; number: string };
    let assistant: { client: ApiClient; id: string };
    let assistant2: { client: ApiClient; id: string };
    let tech: { client: ApiClient; id: string };
    let teacher: { client: ApiClient; id: string; email: string };

    async function person(roles: { role: Role; schoolId: string | null }[], extra: Record<string, unknown> = {}) {
      const { person: p, email } = await makePerson(admin, { roles, ...(roles.some((r) => r.role.startsWith("student")) ? { gradeLevel: "09" } : {}) });
      if (Object.keys(extra).length) {
        const res = await admin.patch(`/api/v1/people/${p.id}`, extra);
        if (res.status !== 200) throw new Error(res.text);
      }
      return { client: await signedIn(server, email), id: p.id, email };
    }
    async function file(client: ApiClient, body: Record<string, unknown> = {}): Promise<TTicket> {
      const res = await client.post<TTicket>("/api/v1/helpdesk/tickets", { schoolId: schoolA, categoryKey: "wont_charge", description: "My laptop will not charge", location: "Room 114", ...body });
      if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
      return res.body;
    }
    async function upload(client: ApiClient, ticketId: string, body: Buffer, type: string) {
      const res = await fetch(`${server.baseUrl}/api/v1/helpdesk/tickets/${ticketId}/attachments`, {
        method: "POST",
        headers: { "content-type": type, cookie: client.cookie ?? "", "x-csrf-token": client.csrfToken ?? "" },
        body: new Uint8Array(body),
      });
      return { status: res.status, body: (await res.json()) as Err & { id: string; url: string; width: number } };
    }

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
      schoolA = (await makeSchool(admin, { level: "high" })).id;
      schoolB = (await makeSchool(admin, { level: "high" })).id;
      const number = unique("S");
      const s = await person([{ role: "student", schoolId: schoolA }], { studentNumber: number });
      student = { ...s, number };
      assistant = await person([{ role: "student_tech", schoolId: schoolA }]);
      assistant2 = await person([{ role: "student_tech", schoolId: schoolA }]);
      tech = await person([{ role: "it_staff", schoolId: schoolA }]);
      teacher = await person([{ role: "teacher", schoolId: schoolA }]);
    });
    afterAll(async () => server.close());

    it("seeds the categories and queues, and routes a student's ticket to the student help desk and a teacher's to the school's tech", async () => {
      const cats = await student.client.get<{ items: { key: string }[] }>("/api/v1/helpdesk/categories");
      expect(cats.body.items.map((c) => c.key)).toEqual(["wont_charge", "cant_sign_in", "app_not_installed", "not_connected", "not_working", "broken", "other"]);
      const queues = await tech.client.get<{ items: TQueue[] }>("/api/v1/helpdesk/queues");
      expect(queues.body.items.map((q) => q.key)).toEqual(["student_desk", "school_tech", "district"]);
      const mine = await file(student.client);
      expect(mine.queueName).toBe("Student help desk");
      expect(mine.status).toBe("new");
      expect(mine.title).toBe("Won't charge: My laptop will not charge");
      expect(mine.sla.responseBreached).toBe(false);
      const theirs = await file(teacher.client, { categoryKey: "not_connected" });
      expect(theirs.queueName).toBe("School tech");
      // Student assistants see only the student help desk.
      const aq = await assistant.client.get<{ items: TQueue[] }>("/api/v1/helpdesk/queues");
      expect(aq.body.items.map((q) => q.key)).toEqual(["student_desk"]);
    });

    it("shows a student only their own tickets, and a student assistant the student queue but not the staff queue", async () => {
      const mine = await file(student.client);
      const other = await person([{ role: "student", schoolId: schoolA }]);
      const theirs = await file(other.client);
      const list = await student.client.get<TList<TTicketSummary>>("/api/v1/helpdesk/tickets?limit=100");
      expect(list.body.items.some((t) => t.id === mine.id)).toBe(true);
      expect(list.body.items.some((t) => t.id === theirs.id)).toBe(false);
      expect((await student.client.get(`/api/v1/helpdesk/tickets/${theirs.id}`)).status).toBe(403);
      const staffTicket = await file(teacher.client);
      expect((await assistant.client.get(`/api/v1/helpdesk/tickets/${staffTicket.id}`)).status).toBe(403);
      const queue = await assistant.client.get<TList<TTicketSummary>>("/api/v1/helpdesk/tickets?limit=100");
      expect(queue.body.items.some((t) => t.id === theirs.id)).toBe(true);
      expect(queue.body.items.some((t) => t.id === staffTicket.id)).toBe(false);
    });

    it("lets only one of two assistants taking a ticket at once win; the other gets 409 naming the winner", async () => {
      const t = await file(student.client);
      const [a, b] = await Promise.all([assistant.client.post<TTicket>(`/api/v1/helpdesk/tickets/${t.id}/take`), assistant2.client.post<Err>(`/api/v1/helpdesk/tickets/${t.id}/take`)]);
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual([200, 409]);
      const loser = (a.status === 409 ? a : b) as { body: Err };
      expect(loser.body.error.code).toBe("conflict");
      expect(loser.body.error.message).toMatch(/already took this ticket/);
      const now = await tech.client.get<TTicket>(`/api/v1/helpdesk/tickets/${t.id}`);
      expect(now.body.status).toBe("in_progress");
      expect(now.body.history.filter((h) => h.field === "status").map((h) => `${h.from}>${h.to}`)).toEqual(["new>triaged", "triaged>in_progress"]);
      expect(now.body.firstResponseAt).not.toBeNull();
    });

    it("refuses a status change that skips the workflow, naming where the ticket can go", async () => {
      const t = await file(student.client);
      const res = await tech.client.patch<Err>(`/api/v1/helpdesk/tickets/${t.id}`, { status: "resolved" });
      expect(res.status).toBe(400);
      expect(res.body.error.details?.issues?.[0]?.path).toBe("body.status");
      expect(res.body.error.message).toMatch(/cannot go from New to Resolved.*goes to Triaged/);
      expect((await tech.client.get<TTicket>(`/api/v1/helpdesk/tickets/${t.id}`)).body.status).toBe("new");
      expect((await tech.client.patch<TTicket>(`/api/v1/helpdesk/tickets/${t.id}`, { status: "triaged" })).body.status).toBe("triaged");
    });

    it("hides staff-only notes from student assistants and every note from the requester", async () => {
      const t = await file(student.client);
      await assistant.client.post(`/api/v1/helpdesk/tickets/${t.id}/take`);
      expect((await assistant.client.post(`/api/v1/helpdesk/tickets/${t.id}/messages`, { visibility: "note", body: "Checked the charger" })).status).toBe(201);
      expect((await tech.client.post(`/api/v1/helpdesk/tickets/${t.id}/messages`, { visibility: "staff_note", body: "Family has a repair history" })).status).toBe(201);
      expect((await assistant.client.post(`/api/v1/helpdesk/tickets/${t.id}/messages`, { visibility: "staff_note", body: "x" })).status).toBe(403);
      expect((await assistant.client.post(`/api/v1/helpdesk/tickets/${t.id}/messages`, { visibility: "reply", body: "Try another outlet" })).status).toBe(201);
      const bodies = async (c: ApiClient) => (await c.get<TTicket>(`/api/v1/helpdesk/tickets/${t.id}`)).body.messages.map((m) => m.body);
      expect(await bodies(tech.client)).toEqual(["Checked the charger", "Family has a repair history", "Try another outlet"]);
      expect(await bodies(assistant.client)).toEqual(["Checked the charger", "Try another outlet"]);
      expect(await bodies(student.client)).toEqual(["Try another outlet"]);
      expect((await student.client.post(`/api/v1/helpdesk/tickets/${t.id}/messages`, { visibility: "note", body: "x" })).status).toBe(403);
    });

    it("opens a ticket at the kiosk for a student by their ID, then the student rates it once; a second rating is 409", async () => {
      const found = await assistant.client.get<{ id: string; name: string }>(`/api/v1/helpdesk/kiosk/students/${student.number}`);
      expect(found.status).toBe(200);
      expect(found.body.id).toBe(student.id);
      const res = await assistant.client.post<TTicket>("/api/v1/helpdesk/tickets", { schoolId: schoolA, categoryKey: "cant_sign_in", description: "Forgot password", studentNumber: student.number });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ requesterId: student.id, via: "kiosk", queueName: "Student help desk" });
      expect((await student.client.post<Err>(`/api/v1/helpdesk/tickets/${res.body.id}/rating`, { score: 5 })).body.error.message).toMatch(/once the ticket is resolved/);
      await assistant.client.post(`/api/v1/helpdesk/tickets/${res.body.id}/take`);
      const resolved = await assistant.client.patch<TTicket>(`/api/v1/helpdesk/tickets/${res.body.id}`, { status: "resolved" });
      expect(resolved.status).toBe(200);
      const mail = await server.ctx.db.selectFrom("outbox").select(["subject"]).where("to_address", "=", student.email).execute();
      expect(mail.map((m) => m.subject)).toContain("Fixed: Can't sign in: Forgot password");
      expect((await assistant.client.post(`/api/v1/helpdesk/tickets/${res.body.id}/rating`, { score: 5 })).status).toBe(403);
      const rated = await student.client.post<TTicket>(`/api/v1/helpdesk/tickets/${res.body.id}/rating`, { score: 4, comment: "Quick and kind" });
      expect(rated.status).toBe(201);
      expect(rated.body.rating).toMatchObject({ score: 4, comment: "Quick and kind" });
      const again = await student.client.post<Err>(`/api/v1/helpdesk/tickets/${res.body.id}/rating`, { score: 1 });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/already rated this ticket \(4 of 5\)/);
      expect((await student.client.get<TTicket>(`/api/v1/helpdesk/tickets/${res.body.id}`)).body.rating?.score).toBe(4);
      // The assistant sees their own score; the student's comment comes with it.
      const scores = await assistant.client.get<TScores>("/api/v1/helpdesk/scores");
      expect(scores.body.assistants.map((a) => a.id)).toEqual([assistant.id]);
      expect(scores.body.assistants[0]?.averageRating).toBe(4);
      expect(scores.body.queues).toEqual([]);
      expect((await student.client.get("/api/v1/helpdesk/scores")).status).toBe(403);
      // Kiosk lookups of a student at another school's desk are refused.
      const otherDesk = await person([{ role: "student_tech", schoolId: schoolB }]);
      expect((await otherDesk.client.get(`/api/v1/helpdesk/kiosk/students/${student.number}`)).status).toBe(403);
    });

    it("keeps a script in a description as text", async () => {
      const t = await file(student.client, { description: '<script>alert("x")</script> still broken' });
      const read = await tech.client.get<TTicket>(`/api/v1/helpdesk/tickets/${t.id}`);
      expect(read.body.description).toBe('<script>alert("x")</script> still broken');
      expect(read.headers.get("content-type")).toMatch(/application\/json/);
    });

    it("re-encodes a photo without its GPS metadata, and refuses a non-image and a too-big file", async () => {
      const t = await file(student.client);
      const withGps = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#c33" } })
        .jpeg()
        .withExif({ IFD0: { Make: "SpyCam", Model: "X1" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "40/1 26/1 0/1" } })
        .toBuffer();
      expect(withGps.includes(Buffer.from("SpyCam"))).toBe(true);
      const ok = await upload(student.client, t.id, withGps, "image/jpeg");
      expect(ok.status).toBe(201);
      const stored = await fetch(`${server.baseUrl}${ok.body.url}`, { headers: { cookie: student.client.cookie ?? "" } });
      expect(stored.status).toBe(200);
      const bytes = Buffer.from(await stored.arrayBuffer());
      expect(bytes.includes(Buffer.from("SpyCam"))).toBe(false);
      const meta = await sharp(bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.width).toBe(64);
      // Another student cannot open it.
      const other = await person([{ role: "student", schoolId: schoolA }]);
      expect((await fetch(`${server.baseUrl}${ok.body.url}`, { headers: { cookie: other.client.cookie ?? "" } })).status).toBe(403);

      const pdf = await upload(student.client, t.id, Buffer.from("%PDF-1.4 not a photo"), "application/pdf");
      expect(pdf.status).toBe(415);
      expect(pdf.body.error.message).toMatch(/JPEG, PNG, WebP, HEIC or GIF/);
      const lying = await upload(student.client, t.id, Buffer.from("<html>not an image</html>"), "image/png");
      expect(lying.status).toBe(415);
      expect(lying.body.error.message).toMatch(/could not be read as an image/);
      const big = await upload(student.client, t.id, Buffer.alloc(10 * 1024 * 1024 + 10, 1), "image/jpeg");
      expect(big.status).toBe(413);
      const after = await student.client.get<TTicket>(`/api/v1/helpdesk/tickets/${t.id}`);
      expect(after.body.attachments).toHaveLength(1);
    });

    it("escalates to a department, refuses an archived one, and lets the department's contact mark items fixed in bulk; requesters are told", async () => {
      const dep = await admin.post<TDepartment>("/api/v1/helpdesk/departments", { name: unique("Facilities "), kind: "department" });
      expect(dep.status).toBe(201);
      const contractor = await admin.post<TDepartment>("/api/v1/helpdesk/departments", { name: unique("Wiring Co "), kind: "contractor" });
      const contactPerson = await person([{ role: "teacher", schoolId: schoolB }]);
      await admin.post(`/api/v1/helpdesk/departments/${dep.body.id}/contacts`, { name: "Facilities lead", email: "lead@example.org", personId: contactPerson.id });
      const withContact = await admin.post<TDepartment>(`/api/v1/helpdesk/departments/${contractor.body.id}/contacts`, { name: "Wiring foreman", email: "foreman@example.org" });
      const foreman = withContact.body.contacts[0];
      if (!foreman) throw new Error("no contact");

      const escalate = async (depId: string) => {
        const t = await file(teacher.client, { categoryKey: "not_connected", location: "Room 2" });
        await tech.client.post(`/api/v1/helpdesk/tickets/${t.id}/take`);
        return { t, res: await tech.client.post<TTicket & Err>(`/api/v1/helpdesk/tickets/${t.id}/escalate`, { departmentId: depId, dueOn: "2099-01-01", note: "Port 3 dead" }) };
      };
      const a = await escalate(dep.body.id);
      expect(a.res.status).toBe(200);
      expect(a.res.body.status).toBe("escalated");
      const b = await escalate(contractor.body.id);
      expect(b.res.status).toBe(200);

      // An archived department takes no escalation; nothing changes on the ticket.
      const gone = await admin.post<TDepartment>("/api/v1/helpdesk/departments", { name: unique("Old dept "), kind: "department" });
      await admin.patch(`/api/v1/helpdesk/departments/${gone.body.id}`, { status: "archived" });
      const c = await escalate(gone.body.id);
      expect(c.res.status).toBe(400);
      expect(c.res.body.error.message).toMatch(/was archived on .*escalate to a current department/);
      expect((await tech.client.get<TTicket>(`/api/v1/helpdesk/tickets/${c.t.id}`)).body.status).toBe("in_progress");
      const d = await escalate("0190aaaa-0000-7000-8000-000000000000");
      expect(d.res.status).toBe(400);
      expect(d.res.body.error.details?.issues?.[0]?.path).toBe("body.departmentId");

      // The contractor's link shows only what was escalated to it.
      const link = await admin.post<{ token: string; url: string }>(`/api/v1/helpdesk/departments/${contractor.body.id}/contacts/${foreman.id}/link`);
      expect(link.status).toBe(201);
      const anon = new Client(server.baseUrl);
      const theirs = await anon.get<TPunchList>(`/api/v1/helpdesk/punch/${link.body.token}`);
      expect(theirs.status).toBe(200);
      const ids = theirs.body.groups.flatMap((g) => g.schools.flatMap((s) => s.rooms.flatMap((r) => r.items.map((i) => i.ticketId))));
      expect(ids).toEqual([b.t.id]);
      // The link opens a printable page: only their items, every value escaped, links to the CSV and PDF, no script allowed.
      expect(link.body.url).toMatch(/\/api\/v1\/helpdesk\/punch\/cwp_[^?]+\?format=html$/);
      const html = await fetch(`${server.baseUrl}/api/v1/helpdesk/punch/${link.body.token}?format=html`);
      expect(html.status).toBe(200);
      expect(html.headers.get("content-type")).toContain("text/html");
      expect(html.headers.get("content-security-policy")).toContain("default-src 'none'");
      const page = await html.text();
      expect(page).toContain(`<h2>${contractor.body.name}</h2>`);
      expect(page).not.toContain(dep.body.name);
      expect(page.match(/name="ticketId"/g)).toHaveLength(1);
      expect(page).toContain(`/api/v1/helpdesk/punch/${link.body.token}?format=pdf`);
      expect(page).toContain(`/api/v1/helpdesk/punch/${link.body.token}?format=csv`);
      expect(page).not.toMatch(/<script/i);

      // It cannot mark another department's item fixed.
      const sneaky = await anon.post<Err>(`/api/v1/helpdesk/punch/${link.body.token}/fixed`, { ticketIds: [a.t.id] });
      expect(sneaky.status).toBe(400);
      expect(sneaky.body.error.message).toMatch(/not on your punch list/);

      // The department's contact signs in and sees their department's list only.
      const depList = await contactPerson.client.get<TPunchList>("/api/v1/helpdesk/punch-list");
      expect(depList.status).toBe(200);
      expect(depList.body.groups.map((g) => g.departmentId)).toEqual([dep.body.id]);
      const fixed = await contactPerson.client.post<{ fixed: number; notified: number }>("/api/v1/helpdesk/punch-list/fixed", { ticketIds: [a.t.id], note: "Replaced the switch port" });
      expect(fixed.body).toEqual({ fixed: 1, notified: 1 });
      const after = await teacher.client.get<TTicket>(`/api/v1/helpdesk/tickets/${a.t.id}`);
      expect(after.body.status).toBe("resolved");
      expect(after.body.messages.map((m) => m.body)).toContain("Replaced the switch port");
      const mail = await server.ctx.db.selectFrom("outbox").select(["subject", "body_text"]).where("to_address", "=", teacher.email).execute();
      expect(mail.some((m) => m.body_text.includes("Replaced the switch port"))).toBe(true);

      // The link, revoked, opens nothing.
      expect((await admin.delete(`/api/v1/helpdesk/departments/${contractor.body.id}/contacts/${foreman.id}/link`)).status).toBe(204);
      expect((await anon.get(`/api/v1/helpdesk/punch/${link.body.token}`)).status).toBe(401);

      // CSV and PDF exports of the staff's punch list.
      const csv = await tech.client.get(`/api/v1/helpdesk/punch-list?format=csv`);
      expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
      expect(csv.text.split("\n")[0]).toMatch(/^"Department or contractor","School","Room"/);
      expect(csv.text).toContain(b.t.id);
      const pdf = await fetch(`${server.baseUrl}/api/v1/helpdesk/punch-list?format=pdf`, { headers: { cookie: tech.client.cookie ?? "" } });
      expect(pdf.headers.get("content-type")).toBe("application/pdf");
      expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
    });

    it("shows each punch-list item with the note written when it was escalated, to staff and through the contractor's link; a later escalation without a note shows none", async () => {
      const contractor = await admin.post<TDepartment>("/api/v1/helpdesk/departments", { name: unique("Glass Co "), kind: "contractor" });
      const withContact = await admin.post<TDepartment>(`/api/v1/helpdesk/departments/${contractor.body.id}/contacts`, { name: "Glazier", email: "glazier@example.org" });
      const link = await admin.post<{ token: string }>(`/api/v1/helpdesk/departments/${contractor.body.id}/contacts/${withContact.body.contacts[0]?.id ?? ""}/link`);
      const escalated = async (note?: string) => {
        const t = await file(teacher.client, { categoryKey: "broken", description: unique("Window cracked "), location: "Room 9" });
        await tech.client.post(`/api/v1/helpdesk/tickets/${t.id}/take`);
        const res = await tech.client.post<TTicket>(`/api/v1/helpdesk/tickets/${t.id}/escalate`, { departmentId: contractor.body.id, dueOn: "2099-01-01", ...(note === undefined ? {} : { note }) });
        expect(res.status).toBe(200);
        return t;
      };
      const noteFor = (list: TPunchList) =>
        new Map(list.groups.flatMap((g) => g.schools.flatMap((s) => s.rooms.flatMap((r) => r.items.map((i) => [i.ticketId, i.escalationNote] as const)))));
      const note = "Second-floor pane, left of the door.\nUse the side entrance <b>after 3</b>.";
      const withNote = await escalated(note);
      const withoutNote = await escalated();
      const blankNote = await escalated("   ");

      const staff = noteFor((await tech.client.get<TPunchList>(`/api/v1/helpdesk/punch-list?departmentId=${contractor.body.id}`)).body);
      expect(staff.get(withNote.id)).toBe(note);
      expect(staff.get(withoutNote.id)).toBeNull();
      expect(staff.get(blankNote.id)).toBeNull();
      // The contractor, for whom it was written, reads the same through their link.
      const theirs = noteFor((await new Client(server.baseUrl).get<TPunchList>(`/api/v1/helpdesk/punch/${link.body.token}`)).body);
      expect(theirs).toEqual(staff);
      // Their page and the CSV carry it too, as text.
      const page = await (await fetch(`${server.baseUrl}/api/v1/helpdesk/punch/${link.body.token}?format=html`)).text();
      expect(page).toContain("Second-floor pane, left of the door.\nUse the side entrance &lt;b&gt;after 3&lt;/b&gt;.");
      expect(page).not.toContain("<b>after 3");
      const csv = await tech.client.get(`/api/v1/helpdesk/punch-list?format=csv&departmentId=${contractor.body.id}`);
      expect(csv.text.split("\n")[0]).toBe(`"Department or contractor","School","Room","Problem","Category","Details","Escalation note","Due","Overdue","Ticket"`);
      expect(csv.text).toContain(`"${note}"`);
      // The note is the escalation's, not any staff note: one added later does not replace it.
      await tech.client.post(`/api/v1/helpdesk/tickets/${withNote.id}/messages`, { visibility: "staff_note", body: "Called them; Tuesday." });
      // Back to work, then escalated again without a note: the old note does not stay on the item.
      expect((await tech.client.patch(`/api/v1/helpdesk/tickets/${withoutNote.id}`, { status: "in_progress" })).status).toBe(200);
      expect((await tech.client.post(`/api/v1/helpdesk/tickets/${withoutNote.id}/escalate`, { departmentId: contractor.body.id, dueOn: "2099-01-02", note: "Now the frame too" })).status).toBe(200);
      expect((await tech.client.patch(`/api/v1/helpdesk/tickets/${withNote.id}`, { status: "in_progress" })).status).toBe(200);
      const again = await tech.client.post<TTicket>(`/api/v1/helpdesk/tickets/${withNote.id}/escalate`, { departmentId: contractor.body.id, dueOn: "2099-01-02" });
      expect(again.status).toBe(200);
      const after = noteFor((await tech.client.get<TPunchList>(`/api/v1/helpdesk/punch-list?departmentId=${contractor.body.id}`)).body);
      expect(after.get(withNote.id)).toBeNull();
      expect(after.get(withoutNote.id)).toBe("Now the frame too");
      // The note is still in the conversation as the staff note it always was.
      const ticket = await tech.client.get<TTicket>(`/api/v1/helpdesk/tickets/${withNote.id}`);
      expect(ticket.body.messages.filter((m) => m.visibility === "staff_note").map((m) => m.body)).toEqual([note, "Called them; Tuesday."]);
    });

    it("reports volume by category, school and week, and the share students resolved", async () => {
      const r = await tech.client.get<TReport>("/api/v1/helpdesk/reports");
      expect(r.status).toBe(200);
      expect(r.body.total).toBeGreaterThan(5);
      expect(r.body.byCategory[0]?.key).toBe("wont_charge");
      expect(r.body.byWeek.length).toBeGreaterThan(0);
      expect(r.body.resolvedByStudents).toBeGreaterThanOrEqual(1);
      expect(r.body.studentShare).not.toBeNull();
      expect((await student.client.get("/api/v1/helpdesk/reports")).status).toBe(403);
      const csv = await tech.client.get("/api/v1/helpdesk/reports?format=csv");
      expect(csv.text.split("\n")[0]).toBe(`"Measure","Of","Value"`);
    });

    it("flags a ticket whose first response is late, and stops when someone answers (still counted as late)", async () => {
      const t = await file(student.client, { priority: "urgent" });
      expect(t.sla.responseBreached).toBe(false);
      expect(Date.parse(t.sla.responseDueAt) - Date.parse(t.createdAt)).toBe(30 * 60_000);
      await server.ctx.db.updateTable("helpdesk_tickets").set({ response_due_at: "2000-01-01T00:00:00.000Z" }).where("id", "=", t.id).execute();
      const late = await tech.client.get<TTicket>(`/api/v1/helpdesk/tickets/${t.id}`);
      expect(late.body.sla.responseBreached).toBe(true);
      expect(late.body.sla.resolutionBreached).toBe(false);
      await tech.client.post(`/api/v1/helpdesk/tickets/${t.id}/messages`, { visibility: "reply", body: "On it" });
      expect((await tech.client.get<TTicket>(`/api/v1/helpdesk/tickets/${t.id}`)).body.sla.responseBreached).toBe(true);
    });

    it("files a ticket once for a retried client key", async () => {
      const clientRef = unique("ref-0000");
      const one = await student.client.post<TTicket>("/api/v1/helpdesk/tickets", { schoolId: schoolA, categoryKey: "other", description: "x", clientRef });
      const two = await student.client.post<TTicket>("/api/v1/helpdesk/tickets", { schoolId: schoolA, categoryKey: "other", description: "x", clientRef });
      expect([one.status, two.status]).toEqual([201, 200]);
      expect(two.body.id).toBe(one.body.id);
      // The 201 is presented from what was written; the retry reads the ticket back: the same ticket.
      expect(one.body).toEqual(two.body);
    });

    it("lets a district admin add, rename and retire categories and set SLA targets; new tickets use them, filed ones keep theirs; others get 403", async () => {
      const before = await admin.get<THelpdeskSettings>("/api/v1/helpdesk/settings");
      expect(before.status).toBe(200);
      expect(before.body.sla).toHaveLength(before.body.categories.length * 4);
      expect((await tech.client.get("/api/v1/helpdesk/settings")).status).toBe(403);
      expect((await tech.client.post("/api/v1/helpdesk/categories", { name: "Printers" })).status).toBe(403);

      const name = unique("Printer ");
      const added = await admin.post<THelpdeskSettings>("/api/v1/helpdesk/categories", { name });
      expect(added.status).toBe(201);
      const cat = added.body.categories.find((c) => c.name === name);
      expect(cat?.status).toBe("active");
      const dup = await admin.post<Err>("/api/v1/helpdesk/categories", { name: name.toUpperCase() });
      expect(dup.status).toBe(400);
      expect(dup.body.error.details?.issues?.[0]?.path).toBe("body.name");
      const cats = await student.client.get<{ items: { key: string }[] }>("/api/v1/helpdesk/categories");
      expect(cats.body.items.map((c) => c.key)).toContain(cat?.key);

      const filedBefore = await file(student.client, { categoryKey: cat?.key, priority: "urgent" });
      const wrong = await admin.request<Err>("PUT", "/api/v1/helpdesk/sla-targets", { targets: [{ categoryId: cat?.id, priority: "urgent", responseMinutes: 60, resolutionMinutes: 30 }] });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.details?.issues?.[0]?.path).toBe("body.targets.0.resolutionMinutes");
      const foreign = await admin.request<Err>("PUT", "/api/v1/helpdesk/sla-targets", { targets: [{ categoryId: "not-a-category", priority: "urgent", responseMinutes: 5, resolutionMinutes: 60 }] });
      expect(foreign.body.error.details?.issues?.[0]?.path).toBe("body.targets.0.categoryId");
      const set = await admin.request<THelpdeskSettings>("PUT", "/api/v1/helpdesk/sla-targets", { targets: [{ categoryId: cat?.id, priority: "urgent", responseMinutes: 5, resolutionMinutes: 60 }] });
      expect(set.status).toBe(200);
      expect(set.body.sla.find((t) => t.categoryId === cat?.id && t.priority === "urgent")).toMatchObject({ responseMinutes: 5, resolutionMinutes: 60 });
      const filedAfter = await file(student.client, { categoryKey: cat?.key, priority: "urgent" });
      expect(Date.parse(filedAfter.sla.responseDueAt) - Date.parse(filedAfter.createdAt)).toBe(5 * 60_000);
      const again = await student.client.get<TTicket>(`/api/v1/helpdesk/tickets/${filedBefore.id}`);
      expect(again.body.sla.responseDueAt).toBe(filedBefore.sla.responseDueAt);

      const renamed = await admin.patch<THelpdeskSettings>(`/api/v1/helpdesk/categories/${cat?.id}`, { name: `${name} and scanners`, status: "retired" });
      expect(renamed.status).toBe(200);
      expect(renamed.body.categories.find((c) => c.id === cat?.id)).toMatchObject({ name: `${name} and scanners`, status: "retired" });
      const offered = await student.client.get<{ items: { key: string }[] }>("/api/v1/helpdesk/categories");
      expect(offered.body.items.map((c) => c.key)).not.toContain(cat?.key);
      const refused = await student.client.post<Err>("/api/v1/helpdesk/tickets", { schoolId: schoolA, categoryKey: cat?.key, description: "x" });
      expect(refused.status).toBe(400);
      expect((await student.client.get<TTicket>(`/api/v1/helpdesk/tickets/${filedBefore.id}`)).body.category.name).toBe(`${name} and scanners`);
      const audit = await admin.get<{ items: { action: string }[] }>("/api/v1/audit?limit=20");
      expect(audit.body.items.map((a) => a.action)).toEqual(expect.arrayContaining(["helpdesk.category.create", "helpdesk.sla.update", "helpdesk.category.update"]));
    });

    it("answers a new ticket exactly as reading it back does, for yourself and for a student at the kiosk", async () => {
      const mine = await file(student.client, { clientRef: unique("ref-1111") });
      expect(mine.history.map((h) => [h.field, h.actorName])).toEqual([["created", expect.any(String)]]);
      expect((await student.client.get<TTicket>(`/api/v1/helpdesk/tickets/${mine.id}`)).body).toEqual(mine);
      const kiosk = await assistant.client.post<TTicket>("/api/v1/helpdesk/tickets", { schoolId: schoolA, categoryKey: "not_working", description: "Screen flickers", studentNumber: student.number });
      expect(kiosk.status).toBe(201);
      expect((await assistant.client.get<TTicket>(`/api/v1/helpdesk/tickets/${kiosk.body.id}`)).body).toEqual(kiosk.body);
    });
  });
}
