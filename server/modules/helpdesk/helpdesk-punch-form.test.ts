import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TDepartment, TTicket } from "../../../shared/schemas/helpdesk.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn, unique } from "../../../tests/helpers/factories.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";
import { sha256 } from "../../lib.js";
import { punchFormToken } from "./punch-page.js";

// The contractor's page marks items fixed with a plain HTML form (no script), through the same path
// as POST …/fixed; the form is bound to the link and refused from other sites.
for (const dialect of DIALECTS) {
  describe(`help desk: marking fixed from the contractor's page (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    let schoolA: string;
    let teacher: { client: ApiClient; email: string };
    let tech: ApiClient;
    let contractor: TDepartment;
    let other: TDepartment;
    let token: string;
    let self: string;

    const file = async (departmentId: string, title: string) => {
      const t = await teacher.client.post<TTicket>("/api/v1/helpdesk/tickets", { schoolId: schoolA, categoryKey: "not_working", description: title, title, location: "Room 12" });
      if (t.status !== 201) throw new Error(t.text);
      await tech.post(`/api/v1/helpdesk/tickets/${t.body.id}/take`);
      const e = await tech.post(`/api/v1/helpdesk/tickets/${t.body.id}/escalate`, { departmentId, dueOn: "2099-01-01" });
      if (e.status !== 200) throw new Error(e.text);
      return t.body;
    };
    const page = async (path = `${self}?format=html`) => {
      const res = await fetch(`${server.baseUrl}${path}`);
      const html = await res.text();
      return { res, html, formToken: /name="formToken" value="([^"]+)"/.exec(html)?.[1] ?? "", boxes: [...html.matchAll(/name="ticketId" value="([^"]+)"/g)].map((m) => m[1]) };
    };
    const post = (fields: [string, string][], headers: Record<string, string> = {}, link = self) =>
      fetch(`${server.baseUrl}${link}/fixed-form`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: server.baseUrl, "sec-fetch-site": "same-origin", ...headers },
        body: new URLSearchParams(fields).toString(),
      });
    const statusOf = async (id: string) => (await tech.get<TTicket>(`/api/v1/helpdesk/tickets/${id}`)).body.status;

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
      schoolA = (await makeSchool(admin, { level: "high" })).id;
      const t = await makePerson(admin, { roles: [{ role: "teacher", schoolId: schoolA }] });
      teacher = { client: await signedIn(server, t.email), email: t.email };
      tech = await signedIn(server, (await makePerson(admin, { roles: [{ role: "it_staff", schoolId: schoolA }] })).email);
      contractor = (await admin.post<TDepartment>("/api/v1/helpdesk/departments", { name: unique("Valley Electric "), kind: "contractor" })).body;
      other = (await admin.post<TDepartment>("/api/v1/helpdesk/departments", { name: unique("Plumbing "), kind: "contractor" })).body;
      const withContact = await admin.post<TDepartment>(`/api/v1/helpdesk/departments/${contractor.id}/contacts`, { name: "Sam Foreman", email: "sam@example.org" });
      const contact = withContact.body.contacts[0];
      const link = await admin.post<{ token: string }>(`/api/v1/helpdesk/departments/${contractor.id}/contacts/${contact?.id ?? ""}/link`);
      token = link.body.token;
      self = `/api/v1/helpdesk/punch/${token}`;
    });
    afterAll(async () => server.close());

    it("ticks two items and marks them fixed: a 303 back to the page, which says so and no longer lists them; requesters are told, history names the contractor; a resubmission fixes nothing twice", async () => {
      const [a, b, c] = [await file(contractor.id, "Outlet dead by the door"), await file(contractor.id, "Projector flickers"), await file(contractor.id, "Light out")];
      const before = await page();
      expect(before.res.status).toBe(200);
      expect(before.res.headers.get("content-security-policy")).toContain("form-action 'self'");
      expect(before.res.headers.get("content-security-policy")).toContain("default-src 'none'");
      expect(before.html).not.toMatch(/<script/i);
      expect(before.html).toContain(`action="${self}/fixed-form"`);
      expect(before.boxes.sort()).toEqual([a.id, b.id, c.id].sort());

      const fields: [string, string][] = [["formToken", before.formToken], ["ticketId", a.id], ["ticketId", b.id], ["note", "Replaced the outlet & the lamp"]];
      const res = await post(fields);
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(`${self}?format=html&fixed=2&already=0&other=0`);
      const after = await page(res.headers.get("location") ?? "");
      expect(after.html).toContain("2 items marked fixed. The people who reported them have been told.");
      expect(after.boxes).toEqual([c.id]);
      expect(after.html).toContain(`<h1>${contractor.name}</h1>`);

      const seen = await teacher.client.get<TTicket>(`/api/v1/helpdesk/tickets/${a.id}`);
      expect(seen.body.status).toBe("resolved");
      expect(seen.body.messages.map((m) => m.body)).toContain("Replaced the outlet & the lamp");
      const resolvedBy = seen.body.history.filter((h) => h.field === "status" && h.to === "resolved");
      expect(resolvedBy.map((h) => h.actorName)).toEqual([`Sam Foreman (${contractor.name})`]);
      const mail = await server.ctx.db.selectFrom("outbox").select(["body_text"]).where("to_address", "=", teacher.email).execute();
      expect(mail.filter((m) => m.body_text.includes("Replaced the outlet & the lamp"))).toHaveLength(2);

      // The same form again (back button, double click): nothing is fixed twice, and the page says so.
      const again = await post(fields);
      expect(again.status).toBe(303);
      expect(again.headers.get("location")).toBe(`${self}?format=html&fixed=0&already=2&other=0`);
      expect((await page(again.headers.get("location") ?? "")).html).toContain("2 items were already marked fixed, so nothing was done twice.");
      const twice = await teacher.client.get<TTicket>(`/api/v1/helpdesk/tickets/${a.id}`);
      expect(twice.body.history.filter((h) => h.field === "status" && h.to === "resolved")).toHaveLength(1);
      expect(twice.body.messages.filter((m) => m.body === "Replaced the outlet & the lamp")).toHaveLength(1);
      expect((await server.ctx.db.selectFrom("outbox").select(["body_text"]).where("to_address", "=", teacher.email).execute()).filter((m) => m.body_text.includes("Replaced the outlet"))).toHaveLength(2);
    });

    it("leaves another department's item alone, and says when nothing was ticked", async () => {
      const theirs = await file(other.id, "Leaking sink");
      const { formToken } = await page();
      const res = await post([["formToken", formToken], ["ticketId", theirs.id]]);
      expect(res.headers.get("location")).toBe(`${self}?format=html&fixed=0&already=0&other=1`);
      expect(await statusOf(theirs.id)).toBe("escalated");
      const none = await post([["formToken", formToken]]);
      expect(none.status).toBe(303);
      expect((await page(none.headers.get("location") ?? "")).html).toContain("Nothing was ticked");
    });

    it("refuses a post from another site, a missing, forged, stale or other link's form token, and fixes nothing", async () => {
      const item = await file(contractor.id, "Socket sparks");
      const { formToken } = await page();
      const tick: [string, string] = ["ticketId", item.id];
      const refusals = [
        await post([["formToken", formToken], tick], { "sec-fetch-site": "cross-site" }),
        await post([["formToken", formToken], tick], { "sec-fetch-site": "same-site" }),
        await post([["formToken", formToken], tick], { origin: "https://evil.example" }),
        await post([["formToken", formToken], tick], { origin: "null" }),
        await post([tick]),
        await post([["formToken", `${formToken.slice(0, -2)}xx`], tick]),
        await post([["formToken", punchFormToken(server.ctx.config.secret, sha256(token), Date.now() - 13 * 3600_000)], tick]),
        await post([["formToken", punchFormToken(server.ctx.config.secret, sha256("cwp_someone-elses-link"))], tick]),
      ];
      for (const r of refusals) {
        expect(r.status).toBe(403);
        expect(r.headers.get("content-type")).toContain("text/html");
        expect(await r.text()).toContain("Nothing was marked fixed.");
      }
      expect(await statusOf(item.id)).toBe("escalated");
      // A stale page says why.
      const stale = await post([["formToken", punchFormToken(server.ctx.config.secret, sha256(token), Date.now() - 13 * 3600_000)], tick]);
      expect(await stale.text()).toContain("more than 12 hours ago");
      // A browser holding a Coachwork session (no X-CSRF-Token on a plain form) is not refused for it: the route reads no session.
      const withCookie = await post([["formToken", formToken], tick], { cookie: admin.cookie ?? "" });
      expect(withCookie.status).toBe(303);
      expect(await statusOf(item.id)).toBe("resolved");
    });

    it("shows a clear page for a revoked link, and its form fixes nothing", async () => {
      const item = await file(contractor.id, "Breaker trips");
      const { formToken } = await page();
      const dep = (await admin.get<{ items: TDepartment[] }>("/api/v1/helpdesk/departments")).body.items.find((d) => d.id === contractor.id);
      expect((await admin.delete(`/api/v1/helpdesk/departments/${contractor.id}/contacts/${dep?.contacts[0]?.id ?? ""}/link`)).status).toBe(204);
      const gone = await page();
      expect(gone.res.status).toBe(401);
      expect(gone.res.headers.get("content-type")).toContain("text/html");
      expect(gone.html).toContain("This punch-list link no longer works");
      expect(gone.boxes).toEqual([]);
      const res = await post([["formToken", formToken], ["ticketId", item.id]]);
      expect(res.status).toBe(401);
      expect(await res.text()).toContain("This punch-list link no longer works");
      expect(await statusOf(item.id)).toBe("escalated");
      // The JSON form of the link still answers with the JSON error.
      const json = await fetch(`${server.baseUrl}${self}`);
      expect(json.status).toBe(401);
      expect(((await json.json()) as { error: { code: string } }).error.code).toBe("unauthenticated");
    });
  });
}
