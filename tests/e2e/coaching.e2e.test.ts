/**
 * End to end, at phone width (390×844): a coach logs three activities from the quick log, repeats one
 * from the "recent" strip in three taps, and watches the dashboard's totals and coaching share change.
 * Needs the built client in dist/client and Chromium at /usr/bin/chromium or $CHROMIUM_PATH.
 * Waits only for elements and text, never for time.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TList } from "../../shared/schemas/common.js";
import type { TEntry } from "../../shared/schemas/coaching.js";
import type { ApiClient } from "../helpers/client.js";
import { makePerson, makeSchool, PASSWORD, setUpDistrict, signedIn } from "../helpers/factories.js";
import { hasChromium, launchChromium } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

describe.skipIf(!hasChromium)("coaching e2e at phone width (chromium)", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let coachApi: ApiClient;
  let coachEmail: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect: "sqlite" });
    const { admin } = await setUpDistrict(server, "Lakeside Unified");
    const school = await makeSchool(admin, { name: "Lakeside Middle", level: "middle" });
    const coach = await makePerson(admin, { roles: [{ role: "coach", schoolId: school.id }], givenName: "Casey", familyName: "Coach" });
    await makePerson(admin, { roles: [{ role: "teacher", schoolId: school.id }], givenName: "Ana", familyName: "Ruiz" });
    await makePerson(admin, { roles: [{ role: "teacher", schoolId: school.id }], givenName: "Ben", familyName: "Lee" });
    coachEmail = coach.email;
    coachApi = await signedIn(server, coachEmail);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "en-US", hasTouch: true, isMobile: true });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  /** The value shown on one of the dashboard's headline numbers. */
  const stat = (page: Page, label: string) => page.getByRole("list", { name: "Totals" }).getByRole("listitem").filter({ hasText: label });

  const openFromCoachingNav = async (page: Page, link: "Log" | "Dashboard", heading: string) => {
    await page.getByRole("navigation", { name: "Coaching" }).getByRole("link", { name: link, exact: true }).click();
    await page.getByRole("heading", { level: 1, name: heading }).waitFor();
  };

  const saved = (page: Page, text: string) => page.getByRole("status").filter({ hasText: text }).waitFor();

  it("logs three entries, repeats one in three taps, and the dashboard follows", { timeout: 90_000 }, async () => {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    // Sign in through the API (the UI sign-in has its own test); the context keeps the cookie.
    const login = await page.request.post(`${server.baseUrl}/api/v1/auth/login`, { data: { email: coachEmail, password: PASSWORD } });
    expect(login.status()).toBe(200);

    // Before anything is logged the dashboard says what to do.
    await page.goto(`${server.baseUrl}/coaching/dashboard`);
    await page.getByRole("heading", { level: 1, name: "Coaching dashboard" }).waitFor();
    await page.getByRole("heading", { name: "No activities logged in this range" }).waitFor();

    await openFromCoachingNav(page, "Log", "Log an activity");
    const logIt = page.getByRole("button", { name: "Log it" });

    // 1. Co-planning, a preset, with a teacher from the type-ahead (the coach's one school is preselected).
    await page.getByRole("radio", { name: "Co-planning" }).check();
    await page.getByRole("button", { name: "45 min", exact: true }).click();
    await page.getByRole("combobox", { name: /^Teachers/ }).fill("Ana");
    await page.getByRole("option", { name: "Ana Ruiz" }).click();
    await page.getByRole("list", { name: "Chosen teachers" }).getByText("Ana Ruiz").waitFor();
    await logIt.click();
    await saved(page, "Logged 45 min of Co-planning");

    // 2. Support; a double tap on "Log it" must not log it twice.
    await page.getByRole("radio", { name: "Tech support / troubleshooting" }).check();
    await page.getByRole("button", { name: "30 min", exact: true }).click();
    await logIt.dblclick();
    await saved(page, "Logged 30 min of Tech support / troubleshooting");

    // 3. Observing, with minutes typed in.
    await page.getByRole("radio", { name: "Observing" }).check();
    await page.getByRole("spinbutton", { name: "Minutes" }).fill("20");
    await logIt.click();
    await saved(page, "Logged 20 min of Observing");

    // The week so far lists them under "Today".
    const today = page.getByRole("region", { name: /^This week/ });
    await today.getByText("Observing").waitFor();
    expect(await today.getByRole("listitem").count()).toBe(3);

    // 45 + 30 + 20 = 95 minutes, 65 of them coaching: 68%.
    await openFromCoachingNav(page, "Dashboard", "Coaching dashboard");
    await stat(page, "Total time").getByText("1.6 h").waitFor();
    await stat(page, "Coaching share").getByText("68%").waitFor();
    await stat(page, "Entries").getByText("3", { exact: true }).waitFor();
    await stat(page, "Teachers reached").getByText("1", { exact: true }).waitFor();

    // Repeat the co-planning in three taps: Log, the recent activity, Log it.
    await openFromCoachingNav(page, "Log", "Log an activity"); // tap 1
    const recent = page.getByRole("region", { name: "Repeat a recent activity" });
    await recent.getByRole("button", { name: /Co-planning/ }).click(); // tap 2
    await page.getByRole("status").filter({ hasText: "Filled in: Co-planning, 45 min" }).waitFor();
    await page.getByRole("list", { name: "Chosen teachers" }).getByText("Ana Ruiz").waitFor();
    await logIt.click(); // tap 3
    await saved(page, "Logged 45 min of Co-planning");

    // 140 minutes, 110 coaching: 79%; four entries.
    await openFromCoachingNav(page, "Dashboard", "Coaching dashboard");
    await stat(page, "Total time").getByText("2.3 h").waitFor();
    await stat(page, "Coaching share").getByText("79%").waitFor();
    await stat(page, "Entries").getByText("4", { exact: true }).waitFor();
    await page.getByRole("img", { name: /Stacked bars of hours by category per week/ }).waitFor();

    // Every chart has its table.
    await page.getByText("Show table: Time by category per week").click();
    await page.getByRole("table", { name: "Hours by category per week" }).getByRole("columnheader", { name: "Co-planning" }).waitFor();

    // The server agrees: four entries, the repeated one with the same teacher.
    const list = await coachApi.get<TList<TEntry>>("/api/v1/coaching/entries");
    expect(list.body.total).toBe(4);
    expect(list.body.items.filter((e) => e.category.name === "Co-planning").map((e) => e.teachers.map((t) => t.name))).toEqual([["Ana Ruiz"], ["Ana Ruiz"]]);
    await page.close();
  });
});
