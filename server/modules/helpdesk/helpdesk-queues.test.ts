import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { THelpdeskSettings, TQueue, TTicket } from "../../../shared/schemas/helpdesk.js";
import type { Role } from "../../../shared/roles.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn, unique } from "../../../tests/helpers/factories.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";

type Err = { error: { code: string; message: string; details?: { issues?: { path: string; message: string }[]; openCount?: number } } };

// Queues as data a district manages (Settings): add, rename, reorder, retire (moving open tickets).
for (const dialect of DIALECTS) {
  describe(`help desk queues (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    let schoolA: string;
    let student: ApiClient;
    let assistant: ApiClient;
    let tech: ApiClient;
    let coach: ApiClient;

    async function person(roles: { role: Role; schoolId: string | null }[]) {
      const { email } = await makePerson(admin, { roles, ...(roles.some((r) => r.role.startsWith("student")) ? { gradeLevel: "09" } : {}) });
      return signedIn(server, email);
    }
    const file = async (client: ApiClient) => {
      const res = await client.post<TTicket>("/api/v1/helpdesk/tickets", { schoolId: schoolA, categoryKey: "wont_charge", description: "Will not charge", location: "Library" });
      if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
      return res.body;
    };

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
      schoolA = (await makeSchool(admin, { level: "high" })).id;
      student = await person([{ role: "student", schoolId: schoolA }]);
      assistant = await person([{ role: "student_tech", schoolId: schoolA }]);
      tech = await person([{ role: "it_staff", schoolId: schoolA }]);
      coach = await person([{ role: "coach", schoolId: schoolA }]);
    });
    afterAll(async () => server.close());

    it("refuses everyone but district admins: adding, renaming and retiring queues", async () => {
      const settings = await admin.get<THelpdeskSettings>("/api/v1/helpdesk/settings");
      expect(settings.body.queues.map((q) => [q.key, q.status])).toEqual([["student_desk", "active"], ["school_tech", "active"], ["district", "active"]]);
      const id = settings.body.queues[0]?.id ?? "";
      for (const c of [tech, coach, assistant, student]) {
        expect((await c.post("/api/v1/helpdesk/queues", { name: "Mine", audience: "staff" })).status).toBe(403);
        expect((await c.patch(`/api/v1/helpdesk/queues/${id}`, { name: "Mine" })).status).toBe(403);
        expect((await c.patch(`/api/v1/helpdesk/queues/${id}`, { status: "retired" })).status).toBe(403);
      }
      expect((await admin.get<THelpdeskSettings>("/api/v1/helpdesk/settings")).body.queues.map((q) => q.name)).toEqual(["Student help desk", "School tech", "District departments"]);
    });

    it("adds and renames a queue, routes new tickets to the first active queue of their audience, and retires it moving its open tickets with a history entry each", async () => {
      const name = unique("Library desk ");
      const added = await admin.post<THelpdeskSettings>("/api/v1/helpdesk/queues", { name, audience: "student" });
      expect(added.status).toBe(201);
      const library = added.body.queues.find((q) => q.name === name);
      expect(library).toMatchObject({ audience: "student", status: "active", openCount: 0 });
      const dup = await admin.post<Err>("/api/v1/helpdesk/queues", { name: name.toUpperCase(), audience: "staff" });
      expect(dup.status).toBe(400);
      expect(dup.body.error.details?.issues?.[0]?.path).toBe("body.name");
      const badAudience = await admin.post<Err>("/api/v1/helpdesk/queues", { name: "X", audience: "parents" });
      expect(badAudience.status).toBe(400);
      expect(badAudience.body.error.details?.issues?.[0]?.path).toBe("body.audience");
      // Student assistants see the new student queue.
      expect((await assistant.get<{ items: TQueue[] }>("/api/v1/helpdesk/queues")).body.items.map((q) => q.name)).toContain(name);

      // Moved first in order, it takes students' new tickets.
      const studentDesk = added.body.queues.find((q) => q.key === "student_desk");
      const staffQueue = added.body.queues.find((q) => q.key === "school_tech");
      const moved = await admin.patch<THelpdeskSettings>(`/api/v1/helpdesk/queues/${library?.id}`, { name: `${name} (west)`, sortOrder: 0 });
      expect(moved.status).toBe(200);
      await admin.patch(`/api/v1/helpdesk/queues/${studentDesk?.id}`, { sortOrder: 1 });
      const t1 = await file(student);
      const t2 = await file(student);
      expect(t1.queueName).toBe(`${name} (west)`);
      const closed = await file(student);
      await tech.post(`/api/v1/helpdesk/tickets/${closed.id}/take`);
      for (const status of ["resolved", "closed"]) expect((await tech.patch(`/api/v1/helpdesk/tickets/${closed.id}`, { status })).status).toBe(200);

      // Retiring it with open tickets and no target: 409 saying how many.
      const refused = await admin.patch<Err>(`/api/v1/helpdesk/queues/${library?.id}`, { status: "retired" });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(/has 2 open tickets; name the student queue to move them to \(moveToQueueId\)/);
      expect(refused.body.error.details?.openCount).toBe(2);
      // Not to a queue of another audience (teachers' tickets never reach student assistants, nor the reverse), nor to itself.
      const wrongAudience = await admin.patch<Err>(`/api/v1/helpdesk/queues/${library?.id}`, { status: "retired", moveToQueueId: staffQueue?.id });
      expect(wrongAudience.status).toBe(400);
      expect(wrongAudience.body.error.details?.issues?.[0]?.path).toBe("body.moveToQueueId");
      expect((await admin.patch<Err>(`/api/v1/helpdesk/queues/${library?.id}`, { status: "retired", moveToQueueId: library?.id })).status).toBe(400);
      expect((await admin.patch<Err>(`/api/v1/helpdesk/queues/${library?.id}`, { moveToQueueId: studentDesk?.id })).body.error.details?.issues?.[0]?.path).toBe("body.moveToQueueId");
      const stillThere = await admin.get<THelpdeskSettings>("/api/v1/helpdesk/settings");
      expect(stillThere.body.queues.find((q) => q.id === library?.id)).toMatchObject({ status: "active", openCount: 2 });

      const retired = await admin.patch<THelpdeskSettings>(`/api/v1/helpdesk/queues/${library?.id}`, { status: "retired", moveToQueueId: studentDesk?.id });
      expect(retired.status).toBe(200);
      expect(retired.body.queues.find((q) => q.id === library?.id)).toMatchObject({ status: "retired", openCount: 0 });
      for (const t of [t1, t2]) {
        const after = await tech.get<TTicket>(`/api/v1/helpdesk/tickets/${t.id}`);
        expect(after.body.queueName).toBe("Student help desk");
        expect(after.body.history.filter((h) => h.field === "queue").map((h) => [h.from, h.to])).toEqual([[`${name} (west)`, "Student help desk"]]);
      }
      // The closed ticket keeps its queue and gets no entry.
      const kept = await tech.get<TTicket>(`/api/v1/helpdesk/tickets/${closed.id}`);
      expect(kept.body.queueName).toBe(`${name} (west)`);
      expect(kept.body.history.some((h) => h.field === "queue")).toBe(false);

      // New tickets go to the next active student queue; the retired one is neither listed nor a target.
      expect((await file(student)).queueName).toBe("Student help desk");
      expect((await assistant.get<{ items: TQueue[] }>("/api/v1/helpdesk/queues")).body.items.map((q) => q.id)).not.toContain(library?.id);
      const into = await tech.patch<Err>(`/api/v1/helpdesk/tickets/${t1.id}`, { queueId: library?.id });
      expect(into.status).toBe(400);
      expect(into.body.error.details?.issues?.[0]?.path).toBe("body.queueId");

      // The last active student queue cannot be retired: students' tickets need somewhere to go.
      const last = await admin.patch<Err>(`/api/v1/helpdesk/queues/${studentDesk?.id}`, { status: "retired", moveToQueueId: library?.id });
      expect(last.status).toBe(400);
      expect(last.body.error.details?.issues?.[0]?.path).toBe("body.status");
      // Reactivated, it is offered again.
      expect((await admin.patch<THelpdeskSettings>(`/api/v1/helpdesk/queues/${library?.id}`, { status: "active" })).body.queues.find((q) => q.id === library?.id)?.status).toBe("active");

      const audit = await admin.get<{ items: { action: string; subjectId: string | null; details: Record<string, unknown> }[] }>("/api/v1/audit?limit=30");
      const mine = audit.body.items.filter((a) => a.subjectId === library?.id);
      expect(mine.map((a) => a.action)).toEqual(expect.arrayContaining(["helpdesk.queue.create", "helpdesk.queue.update"]));
      expect(mine.some((a) => a.details.moved === 2)).toBe(true);
    });

    it("answers 404 for another district's or an unknown queue", async () => {
      const other = await admin.patch<Err>("/api/v1/helpdesk/queues/0190aaaa-0000-7000-8000-000000000000", { name: "Nope" });
      expect(other.status).toBe(404);
    });
  });
}
