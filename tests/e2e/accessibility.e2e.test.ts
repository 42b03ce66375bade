/**
 * An automated accessibility check of every page, at 1280 and 390 px, in Chromium: axe-core's WCAG 2.1
 * A and AA rules, failing on any serious or critical violation. Pages are filled with data (a roster,
 * coaching entries, a cycle, an import) so tables, charts and cards are checked, not empty states only.
 * Needs the built client in dist/client and Chromium at /usr/bin/chromium or $CHROMIUM_PATH.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TCategory, TCycle } from "../../shared/schemas/coaching.js";
import type { TList } from "../../shared/schemas/common.js";
import type { TSchool } from "../../shared/schemas/schools.js";
import type { ApiClient } from "../helpers/client.js";
import { makePerson, PASSWORD, setUpDistrict, signedIn } from "../helpers/factories.js";
import { describeViolation, seriousViolations } from "../helpers/axe.js";
import { hasChromium, launchChromium } from "../helpers/browser.js";
import { setFiles, smallSet, uploadImport, zipFiles } from "../helpers/oneroster.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const WIDTHS = [1280, 390] as const;

describe.skipIf(!hasChromium)("accessibility of every page (axe-core, WCAG 2.1 A/AA, chromium)", () => {
  let server: TestServer;
  let browser: Browser;
  let admin: ApiClient;
  const emails: Record<"admin" | "coach" | "teacher" | "leader", string> = { admin: "", coach: "", teacher: "", leader: "" };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer({ dialect: "sqlite" });
    const district = await setUpDistrict(server, "Lakeside Unified");
    admin = district.admin;
    emails.admin = district.email;
    // A roster: two schools, classes, teachers and students.
    const imported = await uploadImport<{ id: string }>(admin, await zipFiles(setFiles(smallSet("ax"))));
    expect(imported.status).toBe(200);
    ids.import = imported.body.id;
    const schools = (await admin.get<TList<TSchool>>("/api/v1/schools")).body.items;
    const oak = schools.find((s) => s.name.startsWith("Oak"));
    if (!oak) throw new Error("no school");
    ids.school = oak.id;
    const classes = await admin.get<TList<{ id: string }>>(`/api/v1/classes?schoolId=${oak.id}`);
    ids.class = classes.body.items[0]?.id ?? "";
    const teachers = (await admin.get<TList<{ id: string }>>(`/api/v1/people?schoolId=${oak.id}&role=teacher`)).body.items;
    ids.person = teachers[0]?.id ?? "";

    const coach = await makePerson(admin, { roles: [{ role: "coach", schoolId: oak.id }], givenName: "Casey", familyName: "Coach" });
    emails.coach = coach.email;
    emails.leader = (await makePerson(admin, { roles: [{ role: "school_leader", schoolId: oak.id }], givenName: "Pat", familyName: "Principal" })).email;
    const teacher = await makePerson(admin, { roles: [{ role: "teacher", schoolId: oak.id }], givenName: "Tina", familyName: "Teacher" });
    emails.teacher = teacher.email;

    // A coaching log, a cycle and a category list, so the dashboard has charts and the lists have rows.
    const coachApi = await signedIn(server, coach.email);
    const categories = (await coachApi.get<TList<TCategory>>("/api/v1/coaching/categories")).body.items;
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    for (const [i, c] of categories.slice(0, 6).entries()) {
      const res = await coachApi.post("/api/v1/coaching/entries", { date: day(i + 1), minutes: 30 + i * 15, categoryId: c.id, schoolId: oak.id, teacherIds: [teacher.person.id], notes: "A note" });
      expect(res.status, res.text).toBe(201);
    }
    const cycle = await coachApi.post<TCycle>("/api/v1/coaching/cycles", {
      title: "Feedback with Forms",
      startingPoint: "outcome",
      startingText: "Students revise their writing from peer feedback",
      schoolId: oak.id,
      teacherIds: [teacher.person.id],
    });
    expect(cycle.status).toBe(201);
    ids.cycle = cycle.body.id;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Opens each page at each width and collects every serious or critical violation. */
  async function check(who: keyof typeof emails | null, paths: string[]): Promise<string[]> {
    const problems: string[] = [];
    for (const width of WIDTHS) {
      // The app's CSP allows no inline script; the check injects axe-core as one.
      const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true, locale: "en-US" });
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(15_000);
        if (who) {
          const login = await page.request.post(`${server.baseUrl}/api/v1/auth/login`, { data: { email: emails[who], password: PASSWORD } });
          expect(login.status()).toBe(200);
        }
        for (const p of paths) {
          await page.goto(`${server.baseUrl}${p}`, { waitUntil: "networkidle" });
          await page.locator("h1").first().waitFor();
          // Lazy sections and charts settle once nothing is loading.
          await page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"], .spinner:not(.spinner--inline)').length === 0);
          for (const v of await seriousViolations(page)) problems.push(`${who ?? "signed out"} ${p} @${width}px: ${describeViolation(v)}`);
        }
      } finally {
        await context.close();
      }
    }
    return problems;
  }

  it("signed-out pages", { timeout: 60_000 }, async () => {
    expect(await check(null, ["/login", "/reset-password", "/setup"])).toEqual([]);
  });

  it("a district admin's pages", { timeout: 240_000 }, async () => {
    const pages = [
      "/",
      "/coaching",
      "/coaching/week",
      "/coaching/dashboard",
      "/coaching/cycles",
      "/coaching/cycles/new",
      `/coaching/cycles/${ids.cycle}`,
      "/coaching/log",
      "/coaching/import",
      "/coaching/categories",
      "/directory/people",
      "/directory/people/new",
      `/directory/people/${ids.person}`,
      "/directory/schools",
      "/directory/schools/new",
      `/directory/schools/${ids.school}`,
      `/directory/classes/${ids.class}`,
      "/profile",
      "/settings/audit",
      "/settings/rostering",
      `/settings/rostering/${ids.import}`,
      "/settings/security",
      "/settings/sso",
      "/settings/sso/new",
      "/settings/tokens",
      "/devices",
      "/devices/import",
      "/devices/check-in",
      "/devices/rollouts",
      "/devices/bookings",
    ];
    expect(await check("admin", pages)).toEqual([]);
  });

  it("a coach's, a principal's and a teacher's pages", { timeout: 180_000 }, async () => {
    const coach = ["/", "/coaching", "/coaching/week", "/coaching/dashboard", "/coaching/cycles", `/coaching/cycles/${ids.cycle}`, "/coaching/log", `/directory/schools/${ids.school}`, "/chats"];
    const leader = ["/", `/coaching/dashboard?scope=school&schoolId=${ids.school}`, "/directory/people"];
    const teacher = ["/", "/coaching/cycles", `/coaching/cycles/${ids.cycle}`, "/profile", "/chats"];
    const problems = [...(await check("coach", coach)), ...(await check("leader", leader)), ...(await check("teacher", teacher))];
    expect(problems).toEqual([]);
  });

  it("the help desk's pages", { timeout: 180_000 }, async () => {
    const admin = await signedIn(server, emails.admin);
    const school = (await admin.get<TList<TSchool>>("/api/v1/schools")).body.items[0];
    const ticket = await admin.post<{ id: string }>("/api/v1/helpdesk/tickets", { schoolId: school?.id, categoryKey: "not_connected", description: "Projector does not connect", location: "Room 12" });
    expect(ticket.status).toBe(201);
    const pages = ["/helpdesk/mine", "/helpdesk/new", "/helpdesk/queue", "/helpdesk/kiosk", "/helpdesk/punch-list", "/helpdesk/reports", `/helpdesk/tickets/${ticket.body.id}`];
    expect(await check("admin", pages)).toEqual([]);
  });
});
