/**
 * End to end in Chromium: a contractor without an account opens their punch-list link, ticks two
 * items, adds a note and submits the page's plain form (the page runs no script); the two are gone
 * from their list, and the teacher who reported one sees it resolved by the contractor in its history.
 * Needs the built client in dist/client. Waits only for elements and text, never for time.
 */
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TDepartment, TTicket } from "../../shared/schemas/helpdesk.js";
import type { ApiClient } from "../helpers/client.js";
import { hasChromium, launchChromium } from "../helpers/browser.js";
import { makePerson, makeSchool, PASSWORD, setUpDistrict, signedIn } from "../helpers/factories.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

describe.skipIf(!hasChromium)("help desk contractor page e2e (chromium)", () => {
  let server: TestServer;
  let browser: Browser;
  let contractorCtx: BrowserContext;
  let teacherCtx: BrowserContext;
  let teacherEmail = "";
  let linkPath = "";
  const tickets: TTicket[] = [];

  beforeAll(async () => {
    server = await startTestServer({ dialect: "sqlite" });
    const { admin } = await setUpDistrict(server, "Harbor Unified");
    const school = await makeSchool(admin, { name: "Harbor High", level: "high" });
    const teacher = await makePerson(admin, { roles: [{ role: "teacher", schoolId: school.id }], givenName: "Dana", familyName: "Reyes" });
    const tech = await signedIn(server, (await makePerson(admin, { roles: [{ role: "it_staff", schoolId: school.id }] })).email);
    teacherEmail = teacher.email;
    const teacherApi: ApiClient = await signedIn(server, teacher.email);
    const dep = (await admin.post<TDepartment>("/api/v1/helpdesk/departments", { name: "Valley Electric", kind: "contractor" })).body;
    const withContact = await admin.post<TDepartment>(`/api/v1/helpdesk/departments/${dep.id}/contacts`, { name: "Sam Foreman", email: "sam@valley.example" });
    const link = await admin.post<{ token: string }>(`/api/v1/helpdesk/departments/${dep.id}/contacts/${withContact.body.contacts[0]?.id ?? ""}/link`);
    linkPath = `/api/v1/helpdesk/punch/${link.body.token}?format=html`;
    for (const [title, room] of [["Outlet dead by the door", "Room 114"], ["Projector flickers", "Room 114"], ["Hall light out", "Hall B"]] as const) {
      const t = await teacherApi.post<TTicket>("/api/v1/helpdesk/tickets", { schoolId: school.id, categoryKey: "not_working", title, description: title, location: room });
      await tech.post(`/api/v1/helpdesk/tickets/${t.body.id}/take`);
      await tech.post(`/api/v1/helpdesk/tickets/${t.body.id}/escalate`, { departmentId: dep.id, dueOn: "2099-01-01" });
      tickets.push(t.body);
    }
    browser = await launchChromium();
    contractorCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "en-US", isMobile: true, hasTouch: true, javaScriptEnabled: false });
    teacherCtx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
  }, 60_000);

  afterAll(async () => {
    await contractorCtx?.close();
    await teacherCtx?.close();
    await browser?.close();
    await server?.close();
  });

  it("a contractor ticks two items on their page and marks them fixed; the teacher's ticket shows it resolved by the contractor", { timeout: 120_000 }, async () => {
    // The contractor's phone, with JavaScript off: the page needs none.
    const phone = await contractorCtx.newPage();
    phone.setDefaultTimeout(15_000);
    await phone.goto(`${server.baseUrl}${linkPath}`);
    // The same list open in a second tab, left there.
    const stale = await contractorCtx.newPage();
    stale.setDefaultTimeout(15_000);
    await stale.goto(`${server.baseUrl}${linkPath}`);
    await phone.getByRole("heading", { name: "Valley Electric", level: 1 }).waitFor();
    await phone.getByText("3 open items").waitFor();
    await phone.getByRole("checkbox", { name: "Fixed: Outlet dead by the door" }).check();
    await phone.getByRole("checkbox", { name: "Fixed: Projector flickers" }).check();
    await phone.getByLabel(/Note for the people who reported these/).fill("Replaced the outlet and the projector lamp");
    await phone.getByRole("button", { name: "Mark ticked items fixed" }).click();

    await phone.getByRole("status").filter({ hasText: "2 items marked fixed" }).waitFor();
    await phone.getByText("1 open item").waitFor();
    expect(await phone.getByRole("checkbox", { name: "Fixed: Outlet dead by the door" }).count()).toBe(0);
    expect(await phone.getByRole("checkbox", { name: "Fixed: Projector flickers" }).count()).toBe(0);
    expect(await phone.getByRole("checkbox", { name: "Fixed: Hall light out" }).count()).toBe(1);

    // The old tab still lists it; ticking it there and sending fixes nothing twice, and says so.
    await stale.getByRole("checkbox", { name: "Fixed: Outlet dead by the door" }).check();
    await stale.getByRole("button", { name: "Mark ticked items fixed" }).click();
    await stale.getByRole("status").filter({ hasText: "1 item was already marked fixed, so nothing was done twice" }).waitFor();

    // The teacher who reported the outlet sees it resolved, by the contractor, with the note.
    const desk = await teacherCtx.newPage();
    desk.setDefaultTimeout(15_000);
    expect((await desk.request.post(`${server.baseUrl}/api/v1/auth/login`, { data: { email: teacherEmail, password: PASSWORD } })).status()).toBe(200);
    await desk.goto(`${server.baseUrl}/helpdesk/tickets/${tickets[0]?.id ?? ""}`);
    await desk.getByText("Replaced the outlet and the projector lamp").first().waitFor();
    const history = desk.locator(".hd-history li").filter({ hasText: "Sam Foreman (Valley Electric)" });
    await history.filter({ hasText: "Resolved" }).waitFor();
    expect(await history.filter({ hasText: "Resolved" }).count()).toBe(1);
  });
});
