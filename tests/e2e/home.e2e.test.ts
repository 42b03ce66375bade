/**
 * End to end (issue 17): each role's home page with numbers at desktop and phone width, and a
 * coordinator setting the district's terms and coaching target in Settings → District.
 * Waits only for elements and text, never for time. Set E2E_SCREENSHOTS=dir to keep a PNG of each page.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TCategory, TCycle } from "../../shared/schemas/coaching.js";
import type { TCoachingHome } from "../../shared/schemas/home.js";
import type { ApiClient } from "../helpers/client.js";
import { hasChromium, launchChromium } from "../helpers/browser.js";
import { makePerson, makeSchool, PASSWORD, setUpDistrict, signedIn } from "../helpers/factories.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const SHOTS = process.env.E2E_SCREENSHOTS;
const WIDTHS = [1280, 390] as const;

describe.skipIf(!hasChromium)("home pages and district settings e2e (chromium)", () => {
  let server: TestServer;
  let browser: Browser;
  const emails: Record<"admin" | "coach" | "leader" | "teacher", string> = { admin: "", coach: "", leader: "", teacher: "" };
  const ids = { ana: "", north: "" };

  beforeAll(async () => {
    server = await startTestServer({ dialect: "sqlite" });
    const district = await setUpDistrict(server, "Maple Valley Unified");
    const admin: ApiClient = district.admin;
    emails.admin = district.email;
    const north = await makeSchool(admin, { name: "North Elementary", level: "elementary" });
    await makeSchool(admin, { name: "Ridge High", level: "high" }).then((ridge) => makePerson(admin, { roles: [{ role: "teacher", schoolId: ridge.id }] }));
    const coach = await makePerson(admin, { roles: [{ role: "coach", schoolId: north.id }], givenName: "Casey", familyName: "Brooks" });
    const ana = await makePerson(admin, { roles: [{ role: "teacher", schoolId: north.id }], givenName: "Ana", familyName: "Ruiz" });
    await makePerson(admin, { roles: [{ role: "teacher", schoolId: north.id }], givenName: "Ben", familyName: "Lee" });
    const leader = await makePerson(admin, { roles: [{ role: "school_leader", schoolId: north.id }], givenName: "Pat", familyName: "Principal" });
    Object.assign(emails, { coach: coach.email, leader: leader.email, teacher: ana.email });
    Object.assign(ids, { ana: ana.person.id, north: north.id });
    const coachApi = await signedIn(server, coach.email);
    const { today } = (await admin.get<TCoachingHome>("/api/v1/coaching/home")).body;
    const categories = (await admin.get<{ items: TCategory[] }>("/api/v1/coaching/categories")).body.items;
    const cat = (key: string) => categories.find((c) => c.key === key)?.id;
    for (const [minutes, key, teachers] of [[45, "co_planning", [ana.person.id]], [30, "tech_support", []], [60, "co_teaching", [ana.person.id]]] as const) {
      const res = await coachApi.post("/api/v1/coaching/entries", { date: today, minutes, categoryId: cat(key), schoolId: north.id, teacherIds: teachers, notes: "" });
      expect(res.status).toBe(201);
    }
    const cycle = await coachApi.post<TCycle>("/api/v1/coaching/cycles", {
      title: "Exit tickets in Google Forms",
      startingPoint: "outcome",
      startingText: "Students show what they learned at the end of each lesson",
      schoolId: north.id,
      teacherIds: [ana.person.id],
    });
    await coachApi.post(`/api/v1/coaching/cycles/${cycle.body.id}/steps`, { stage: "goal", date: today, notes: "Agreed on the goal" });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(who: keyof typeof emails, width: number, url: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "en-US" });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.baseUrl}/api/v1/auth/login`, { data: { email: emails[who], password: PASSWORD } });
    expect(login.status()).toBe(200);
    await page.goto(`${server.baseUrl}${url}`);
    return page;
  }

  async function shot(page: Page, name: string): Promise<void> {
    // A phone never scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    if (!SHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  }

  it("a coordinator sets the district's terms and target, and the home page compares against it", { timeout: 90_000 }, async () => {
    const page = await open("admin", 1280, "/settings/district");
    await page.getByLabel("District name").fill("Maple Valley Unified School District");
    await page.getByLabel("Target share of coaching time (%)").fill("75");
    await page.getByRole("button", { name: "Add a term" }).click();
    const row = page.locator(".term-editor__row").first();
    await row.getByLabel("Name").fill("Trimester 1");
    await row.getByLabel("School year").fill("2026-27");
    await row.getByLabel("First day").fill("2026-08-17");
    await row.getByLabel("Last day").fill("2026-11-13");
    await page.getByRole("button", { name: "Add a term" }).click();
    const second = page.locator(".term-editor__row").nth(1);
    await second.getByLabel("Name").fill("Trimester 2");
    await second.getByLabel("School year").fill("2026-27");
    await second.getByLabel("First day").fill("2026-11-01");
    await second.getByLabel("Last day").fill("2027-02-26");
    await page.getByRole("button", { name: "Save settings" }).click();
    // The overlap is refused on the field that causes it.
    await page.getByText('overlaps "Trimester 1" (2026-08-17 to 2026-11-13)').waitFor();
    await second.getByLabel("First day").fill("2026-11-16");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Settings saved.").waitFor();
    await shot(page, "settings-district-1280");
    await page.context().close();

    for (const width of WIDTHS) {
      const home = await open("admin", width, "/");
      await home.getByRole("heading", { name: "The district this week" }).waitFor();
      await home.getByText("Target 75%", { exact: false }).first().waitFor();
      await home.getByText("Maple Valley Unified School District").first().waitFor();
      await home.getByRole("link", { name: /1 school has no teacher reached this term: Ridge High/ }).waitFor();
      await shot(home, `home-admin-${width}`);
      await home.context().close();
    }
  });

  it("a coach's week, a principal's school and a teacher's cycles, at both widths", { timeout: 90_000 }, async () => {
    for (const width of WIDTHS) {
      const coach = await open("coach", width, "/");
      await coach.getByRole("heading", { name: "Your week" }).waitFor();
      await coach.getByRole("list", { name: "Your totals" }).getByRole("listitem").filter({ hasText: "This week" }).getByText("2.3 h").waitFor();
      await coach.getByRole("link", { name: "Exit tickets in Google Forms" }).waitFor();
      await coach.getByText("Next: Co-plan").waitFor();
      await shot(coach, `home-coach-${width}`);
      await coach.context().close();

      const leader = await open("leader", width, "/");
      await leader.getByRole("heading", { name: "North Elementary" }).waitFor();
      await leader.getByRole("list", { name: "North Elementary totals" }).getByText("1 of 2").waitFor();
      await shot(leader, `home-principal-${width}`);
      await leader.context().close();

      const teacher = await open("teacher", width, "/");
      await teacher.getByRole("heading", { name: "Your coaching cycles" }).waitFor();
      await teacher.getByText("With Casey Brooks · North Elementary").waitFor();
      await shot(teacher, `home-teacher-${width}`);
      await teacher.context().close();
    }
  });

  it("coaches compared, with the schools and teachers not yet reached, at both widths", { timeout: 90_000 }, async () => {
    for (const width of WIDTHS) {
      const page = await open("admin", width, "/coaching/coaches");
      await page.getByRole("heading", { level: 1, name: "Coaches compared" }).waitFor();
      await page.getByRole("table", { name: /Coaches compared/ }).getByText("Casey Brooks").waitFor();
      await page.getByRole("table", { name: /Schools not yet reached/ }).getByRole("link", { name: "Ridge High" }).waitFor();
      await page.getByRole("table", { name: /Teachers not yet reached/ }).getByRole("link", { name: "Ben Lee" }).waitFor();
      await shot(page, `coaches-admin-${width}`);
      await page.context().close();
    }
    // A principal compares their school's coaches only.
    const leader = await open("leader", 1280, "/coaching/coaches");
    await leader.getByRole("table", { name: /Coaches compared/ }).getByText("Casey Brooks").waitFor();
    await leader.getByText("the district shows school leaders these counts, not names").waitFor();
    await leader.context().close();
  });

  it("a teacher's page shows their coaching to an admin, not to their principal; a school page links to its dashboard", { timeout: 90_000 }, async () => {
    for (const width of WIDTHS) {
      const page = await open("admin", width, `/directory/people/${ids.ana}`);
      const section = page.getByRole("region", { name: "Coaching" });
      await section.getByRole("link", { name: "Exit tickets in Google Forms" }).waitFor();
      await section.getByText(/2 activities, 1\.8 h/).waitFor();
      await shot(page, `person-coaching-admin-${width}`);
      await page.context().close();
    }
    const principal = await open("leader", 1280, `/directory/people/${ids.ana}`);
    await principal.getByRole("heading", { level: 1, name: "Ana Ruiz" }).waitFor();
    expect(await principal.getByRole("region", { name: "Coaching" }).count()).toBe(0);
    await principal.context().close();

    const school = await open("coach", 1280, `/directory/schools/${ids.north}`);
    await school.getByRole("link", { name: "Coaching dashboard for this school" }).click();
    await school.getByRole("heading", { level: 1, name: "Coaching dashboard" }).waitFor();
    expect(new URL(school.url()).searchParams.get("schoolId")).toBe(ids.north);
    await school.context().close();
  });
});
