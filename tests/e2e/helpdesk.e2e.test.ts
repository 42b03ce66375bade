/**
 * End to end in Chromium: a student asks for help; a student assistant at the kiosk scans the
 * student's ID, takes the ticket and resolves it; the student rates the help. The assistant's kiosk
 * and the student's page are separate browser contexts, as they are separate devices. Then the
 * desk's pages as the school's tech sees them at 390 and 1280 px: the punch list's escalation notes,
 * the queue picker and the tab bar.
 * Needs the built client in dist/client. Waits only for elements and text, never for time.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TDepartment, TTicket } from "../../shared/schemas/helpdesk.js";
import type { ApiClient } from "../helpers/client.js";
import { hasChromium, launchChromium } from "../helpers/browser.js";
import { makePerson, makeSchool, PASSWORD, setUpDistrict, signedIn } from "../helpers/factories.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

describe.skipIf(!hasChromium)("help desk e2e (chromium)", () => {
  let server: TestServer;
  let browser: Browser;
  let studentCtx: BrowserContext;
  let deskCtx: BrowserContext;
  let studentApi: ApiClient;
  let adminApi: ApiClient;
  let schoolId = "";
  const emails = { student: "", assistant: "", tech: "" };

  async function signIn(ctx: BrowserContext, email: string): Promise<Page> {
    const page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
    const res = await page.request.post(`${server.baseUrl}/api/v1/auth/login`, { data: { email, password: PASSWORD } });
    expect(res.status()).toBe(200);
    return page;
  }

  beforeAll(async () => {
    server = await startTestServer({ dialect: "sqlite" });
    const { admin } = await setUpDistrict(server, "Harbor Unified");
    adminApi = admin;
    const school = await makeSchool(admin, { name: "Harbor High", level: "high" });
    schoolId = school.id;
    const student = await makePerson(admin, { roles: [{ role: "student", schoolId: school.id }], givenName: "Maya", familyName: "Okafor", gradeLevel: "09" });
    await admin.patch(`/api/v1/people/${student.person.id}`, { studentNumber: "200417" });
    const assistant = await makePerson(admin, { roles: [{ role: "student_tech", schoolId: school.id }], givenName: "Jaylen", familyName: "Brooks", gradeLevel: "11" });
    emails.student = student.email;
    emails.assistant = assistant.email;
    // The school's tech has the most help desk tabs (My tickets, Queue, Kiosk, Punch list, Reports).
    emails.tech = (await makePerson(admin, { roles: [{ role: "it_staff", schoolId: school.id }], givenName: "Rosa", familyName: "Lindqvist" })).email;
    studentApi = await signedIn(server, student.email);
    browser = await launchChromium();
    studentCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "en-US", isMobile: true, hasTouch: true });
    deskCtx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
  }, 60_000);

  afterAll(async () => {
    await studentCtx?.close();
    await deskCtx?.close();
    await browser?.close();
    await server?.close();
  });

  it("a student files a ticket, an assistant at the kiosk takes and resolves it, the student rates it once; rating again from an older tab shows the stored rating and says why", { timeout: 120_000 }, async () => {
    // The student asks for help on their phone; a script in the description stays text.
    const phone = await signIn(studentCtx, emails.student);
    // A student's navigation holds what is theirs, not the staff modules that would refuse them.
    await phone.goto(`${server.baseUrl}/`);
    await phone.locator("#primary-nav a").first().waitFor({ state: "attached" });
    expect((await phone.locator("#primary-nav a").allTextContents()).map((t) => t.trim())).toEqual(["Home", "Help desk"]);
    // Home offers the help desk, not the coaching numbers (which would refuse a student) or staff plans.
    await phone.getByRole("link", { name: /Ask for help/ }).waitFor();
    expect(await phone.getByText("Coming to Coachwork").count()).toBe(0);
    expect(await phone.getByRole("alert").count()).toBe(0);
    await phone.goto(`${server.baseUrl}/helpdesk/new`);
    await phone.getByLabel("What is wrong?").selectOption({ label: "Won't charge" });
    await phone.getByLabel("Describe the problem").fill("Charger light stays off <script>window.__pwned = 1</script>");
    await phone.getByLabel(/Room or place/).fill("Library");
    await phone.getByRole("button", { name: "Send" }).click();
    await phone.waitForURL(/\/helpdesk\/tickets\//);
    await phone.getByRole("heading", { name: /Won't charge: Charger light stays off/ }).waitFor();
    await phone.getByText("<script>window.__pwned = 1</script>", { exact: false }).first().waitFor();
    expect(await phone.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    const ticketId = phone.url().split("/").pop() ?? "";

    // At the kiosk the assistant scans the student's card: the ticket is there to take.
    const desk = await signIn(deskCtx, emails.assistant);
    await desk.goto(`${server.baseUrl}/helpdesk/kiosk`);
    await desk.getByLabel("Student ID").fill("200417");
    await desk.getByLabel("Student ID").press("Enter");
    await desk.getByRole("heading", { name: /^Maya Okafor/, level: 2 }).waitFor();
    const take = desk.getByRole("button", { name: /Take “Won't charge: Charger light stays off/ });
    await take.click();
    await desk.getByRole("cell", { name: "Jaylen Brooks" }).waitFor();
    await desk.getByRole("link", { name: /Won't charge: Charger light stays off/ }).click();
    await desk.waitForURL(new RegExp(`/helpdesk/tickets/${ticketId}`));
    await desk.getByLabel("Message").fill("Swapped the charger at the desk. It charges now.");
    await desk.getByRole("button", { name: "Send", exact: true }).click();
    await desk.getByText("Swapped the charger at the desk.").waitFor();
    await desk.getByRole("button", { name: "Mark resolved" }).click();
    await desk.locator(".hd-ticket__meta").getByText("Resolved").waitFor();

    // The student sees the reply and rates the help; the same ticket is open in an older tab too.
    await phone.reload();
    await phone.getByText("Swapped the charger at the desk.").waitFor();
    await phone.getByRole("heading", { name: "How was the help?" }).waitFor();
    const staleTab = await studentCtx.newPage();
    staleTab.setDefaultTimeout(15_000);
    await staleTab.goto(phone.url());
    await staleTab.getByRole("heading", { name: "How was the help?" }).waitFor();
    await phone.locator(".hd-stars-input label").nth(3).click();
    await phone.getByLabel(/Anything to tell the helper/).fill("Fast and friendly");
    await phone.getByRole("button", { name: "Send rating" }).click();
    await phone.getByRole("heading", { name: "Rating" }).waitFor();
    await expect(phone.getByRole("heading", { name: "How was the help?" }).count()).resolves.toBe(0);

    const stored = (await studentApi.get<TTicket>(`/api/v1/helpdesk/tickets/${ticketId}`)).body;
    expect(stored).toMatchObject({ status: "resolved", rating: { score: 4, comment: "Fast and friendly" }, assigneeName: "Jaylen Brooks" });
    // A second rating is refused, and the first stays.
    const again = await studentApi.post<{ error: { code: string } }>(`/api/v1/helpdesk/tickets/${ticketId}/rating`, { score: 1 });
    expect(again.status).toBe(409);
    expect((await studentApi.get<TTicket>(`/api/v1/helpdesk/tickets/${ticketId}`)).body.rating?.score).toBe(4);

    // The older tab still offers the form; rating there is refused (409), and the page then shows the
    // rating that was saved, not the two stars clicked, and says it was already rated.
    await staleTab.locator(".hd-stars-input label").nth(1).click();
    await staleTab.getByRole("button", { name: "Send rating" }).click();
    const rated = staleTab.getByRole("region", { name: "Rating" });
    await rated.getByText(/already rated, perhaps from another tab/).waitFor();
    await rated.getByRole("img", { name: "4 of 5 stars" }).waitFor();
    await rated.getByText("Fast and friendly").waitFor();
    expect(await staleTab.getByRole("heading", { name: "How was the help?" }).count()).toBe(0);
    expect(await staleTab.locator(".hd-stars-input").count()).toBe(0);
    // The reader is taken to the stored rating and the reason, not left at the top of the page.
    expect(await staleTab.evaluate(() => document.activeElement?.getAttribute("aria-labelledby"))).toBe("hd-rated");
    expect((await studentApi.get<TTicket>(`/api/v1/helpdesk/tickets/${ticketId}`)).body.rating?.score).toBe(4);
    await staleTab.close();
  });

  /** A page in a fresh browser of the given width, signed in as the school's tech; closed after `use`. */
  async function asTech(width: 390 | 1280, use: (page: Page) => Promise<void>): Promise<void> {
    const ctx = await browser.newContext(width === 390 ? { viewport: { width, height: 844 }, locale: "en-US", isMobile: true, hasTouch: true } : { viewport: { width, height: 900 }, locale: "en-US" });
    try {
      await use(await signIn(ctx, emails.tech));
    } finally {
      await ctx.close();
    }
  }

  it("escalated with a note for the contractor, a ticket shows that note on the punch list", { timeout: 60_000 }, async () => {
    const techApi = await signedIn(server, emails.tech);
    const dep = (await adminApi.post<TDepartment>("/api/v1/helpdesk/departments", { name: "Valley Electric", kind: "contractor" })).body;
    const t = (await techApi.post<TTicket>("/api/v1/helpdesk/tickets", { schoolId, categoryKey: "broken", description: "Hall light out", location: "Hall B" })).body;
    expect((await techApi.post(`/api/v1/helpdesk/tickets/${t.id}/take`)).status).toBe(200);
    expect((await techApi.post(`/api/v1/helpdesk/tickets/${t.id}/escalate`, { departmentId: dep.id, dueOn: "2099-01-01", note: "The ladder is in the gym closet" })).status).toBe(200);
    for (const width of [390, 1280] as const) {
      await asTech(width, async (page) => {
        await page.goto(`${server.baseUrl}/helpdesk/punch-list`);
        const item = page.getByRole("listitem").filter({ hasText: "Hall light out" });
        await item.getByText("Escalation note: The ladder is in the gym closet").waitFor();
      });
    }
  });

  it("on a phone the queue picker shows the whole queue name and its open count", { timeout: 60_000 }, async () => {
    await asTech(390, async (phone) => {
      await phone.goto(`${server.baseUrl}/helpdesk/queue`);
      const picker = phone.getByRole("combobox", { name: /^Queue/ });
      await expect.poll(() => picker.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text ?? "")).toMatch(/^Student help desk \(\d+ open\)$/);
      // A select cuts its text without saying so: the text's width, in the select's font, must fit the box inside its padding.
      const fit = await picker.evaluate((s: HTMLSelectElement) => {
        const style = getComputedStyle(s);
        const ctx = document.createElement("canvas").getContext("2d");
        if (!ctx) throw new Error("no canvas");
        ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return { text: ctx.measureText(s.selectedOptions[0]?.text ?? "").width, room };
      });
      expect(fit.text).toBeLessThanOrEqual(fit.room);
    });
  });

  it("on a phone the tab bar shows there are more tabs than fit, and the current one is scrolled into view", { timeout: 60_000 }, async () => {
    await asTech(390, async (phone) => {
      await phone.goto(`${server.baseUrl}/helpdesk/queue`);
      // The tabs overflow the phone's width: the end with more fades out under a chevron, and nothing is hidden from a screen reader.
      const tabs = phone.getByRole("navigation", { name: "Help desk" });
      await tabs.getByRole("link", { name: "Queue" }).waitFor();
      expect((await tabs.getByRole("link").allTextContents()).map((t) => t.trim())).toEqual(["My tickets", "Queue", "Kiosk", "Punch list", "Reports"]);
      const edges = () =>
        tabs.evaluate((nav) => {
          const bar = nav.parentElement;
          return {
            isBefore: bar?.classList.contains("has-more-before") ?? false,
            isAfter: bar?.classList.contains("has-more-after") ?? false,
            mask: getComputedStyle(nav).getPropertyValue("mask-image"),
            chevrons: bar ? [getComputedStyle(bar, "::before").content, getComputedStyle(bar, "::after").content] : [],
          };
        });
      await expect.poll(edges).toMatchObject({ isBefore: false, isAfter: true });
      expect((await edges()).mask).toMatch(/linear-gradient/);
      // A chevron at that end only; drawn, not written, so a screen reader reads no stray character.
      expect((await edges()).chevrons).toEqual(["none", '""']);
      // A tap on the chevron scrolls the row that way; at the end, the fade moves to the start.
      await phone.locator(".tabs-bar__scroll--after").tap();
      await expect.poll(edges).toMatchObject({ isBefore: true, isAfter: false });
      await phone.locator(".tabs-bar__scroll--before").tap();
      await expect.poll(edges).toMatchObject({ isBefore: false, isAfter: true });
      await tabs.evaluate((nav) => nav.scrollTo({ left: nav.scrollWidth }));
      await expect.poll(edges).toMatchObject({ isBefore: true, isAfter: false });

      // Opening the last tab's page: its tab is scrolled into view, wholly inside the bar.
      await phone.goto(`${server.baseUrl}/helpdesk/reports`);
      const current = tabs.getByRole("link", { name: "Reports" });
      await expect.poll(() => current.getAttribute("aria-current")).toBe("page");
      const isInside = await current.evaluate((a) => {
        const nav = a.parentElement?.getBoundingClientRect();
        const tab = a.getBoundingClientRect();
        return nav !== undefined && tab.left >= nav.left && tab.right <= nav.right + 0.5;
      });
      expect(isInside).toBe(true);
      await expect.poll(edges).toMatchObject({ isBefore: true });
      // A keyboard user going back to the first tab brings it into view.
      await tabs.getByRole("link", { name: "My tickets" }).focus();
      await expect.poll(() => tabs.evaluate((nav) => nav.scrollLeft)).toBe(0);
    });
  });

  it("at desktop width the queue picker stays beside Show, and the tabs neither scroll nor fade", { timeout: 60_000 }, async () => {
    await asTech(1280, async (page) => {
      await page.goto(`${server.baseUrl}/helpdesk/queue`);
      const picker = page.getByRole("combobox", { name: /^Queue/ });
      await expect.poll(() => picker.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text ?? "")).toMatch(/open\)$/);
      const [queueBox, showBox] = [await picker.boundingBox(), await page.getByRole("combobox", { name: /^Show/ }).boundingBox()];
      expect(queueBox && showBox && Math.abs(queueBox.y - showBox.y) < 1).toBe(true);
      const tabs = page.getByRole("navigation", { name: "Help desk" });
      await tabs.getByRole("link", { name: "Queue" }).waitFor();
      expect(await tabs.evaluate((nav) => ({ scrolls: nav.scrollWidth > nav.clientWidth, bar: nav.parentElement?.className, mask: getComputedStyle(nav).getPropertyValue("mask-image") }))).toEqual({
        scrolls: false,
        bar: "tabs-bar",
        mask: "none",
      });
    });
  });
});
