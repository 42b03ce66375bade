/**
 * End to end, in Chromium: the bugs a new district coordinator met in the first week (issue 17), each
 * checked where it showed, in the page. Needs the built client in dist/client and Chromium at
 * /usr/bin/chromium or $CHROMIUM_PATH. Waits only for elements and text, never for time.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TSchool } from "../../shared/schemas/schools.js";
import type { ApiClient } from "../helpers/client.js";
import { DISTRICT_TIME_ZONE, districtToday, makePerson, makeSchool, PASSWORD, setUpDistrict } from "../helpers/factories.js";
import { hasChromium, launchChromium } from "../helpers/browser.js";
import { cloneSet, setFiles, smallSet, uploadImport, zipFiles } from "../helpers/oneroster.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const SHOTS = process.env.E2E_SCREENSHOTS;
const PHONE = { width: 390, height: 844 };

/** With E2E_SCREENSHOTS=dir, keeps a PNG of the page. */
async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `first-week-${name}.png`), fullPage: true });
}

/** Whether the element lies within the phone's width (not cut off, nor off to the right). */
async function onScreen(locator: Locator, width = PHONE.width): Promise<boolean> {
  const box = await locator.boundingBox();
  return box !== null && box.x >= 0 && box.x + box.width <= width;
}

describe.skipIf(!hasChromium)("a coordinator's first week (chromium)", () => {
  let server: TestServer;
  let browser: Browser;
  let admin: ApiClient;
  let oak: TSchool;
  let elm: TSchool;
  let coachEmail: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer({ dialect: "sqlite" });
    const district = await setUpDistrict(server, "Lakeside Unified");
    admin = district.admin;
    adminEmail = district.email;
    oak = await makeSchool(admin, { name: "Oak Middle", level: "middle" });
    elm = await makeSchool(admin, { name: "Elm Elementary", level: "elementary" });
    coachEmail = (await makePerson(admin, { roles: [{ role: "coach", schoolId: oak.id }], givenName: "Casey", familyName: "Coach" })).email;
    await makePerson(admin, { roles: [{ role: "teacher", schoolId: oak.id }], givenName: "Ana", familyName: "Ruiz" });
    await makePerson(admin, { roles: [{ role: "teacher", schoolId: oak.id }], givenName: "Ben", familyName: "Lee" });
    await makePerson(admin, { roles: [{ role: "teacher", schoolId: elm.id }], givenName: "Cleo", familyName: "Park" });
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
  });

  let adminEmail: string;

  async function pageAs(email: string, viewport = { width: 1280, height: 860 }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: "en-US", timezoneId: DISTRICT_TIME_ZONE });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.baseUrl}/api/v1/auth/login`, { data: { email, password: PASSWORD } });
    expect(login.status()).toBe(200);
    return page;
  }

  it("a coach's school page shows the school's people, and says plainly when a school's people are not theirs to see", async () => {
    const page = await pageAs(coachEmail);
    await page.goto(`${server.baseUrl}/directory/schools/${oak.id}`);
    await page.getByRole("heading", { level: 1, name: /Oak Middle/ }).waitFor();
    const people = page.getByRole("region", { name: /^People/ });
    await people.getByRole("table", { name: "People at Oak Middle" }).getByText("Ana Ruiz").waitFor();
    await people.getByText("Ben Lee").waitFor();
    // The coach, Ana and Ben.
    expect(await people.getByRole("heading", { level: 2 }).textContent()).toBe("People 3");
    await page.getByRole("region", { name: "Roster" }).getByText("Staff").waitFor();

    // Another school: its people are not in the coach's directory, and the page says so rather than "No one here".
    await page.goto(`${server.baseUrl}/directory/schools/${elm.id}`);
    await page.getByRole("heading", { level: 1, name: /Elm Elementary/ }).waitFor();
    await page.getByText("Your role does not include the people at Elm Elementary").waitFor();
    expect(await page.getByText("No one at this school yet").count()).toBe(0);
  });

  it("says 'would have' on imports that wrote nothing, and shows import counts and a school's classes as cards on a phone", { timeout: 60_000 }, async () => {
    // One roster imported, then the next year's export with an error: refused, and it would have deactivated the first.
    const first = smallSet("wk1");
    expect((await uploadImport(admin, await zipFiles(setFiles(first)))).status).toBe(200);
    const next = cloneSet(smallSet("wk2"));
    const users = next.files["users.csv"];
    if (!users?.rows[4]) throw new Error("fixture");
    users.rows[4].email = "broken(at)example.org";
    const refused = await uploadImport<{ id: string; status: string; counts: { deactivated: number } }>(admin, await zipFiles(setFiles(next)), { fileName: "next-year.zip" });
    expect(refused.body.status).toBe("rejected");
    expect(refused.body.counts.deactivated).toBeGreaterThan(0);

    const page = await pageAs(adminEmail, PHONE);
    await page.goto(`${server.baseUrl}/settings/rostering`);
    const row = page.getByRole("table", { name: "Roster imports, newest first" }).getByRole("row").filter({ hasText: "next-year.zip" });
    await row.getByText("Not imported").waitFor();
    await row.getByText(`would have deactivated ${refused.body.counts.deactivated}`).waitFor();
    expect(await row.getByText(/^Deactivated$/).count()).toBe(0);
    await shot(page, "imports-phone");

    // The refused import's report: each kind of record a card, every count on screen.
    await page.goto(`${server.baseUrl}/settings/rostering/${refused.body.id}`);
    const counts = page.getByRole("table", { name: /What the import would change/ });
    const people = counts.getByRole("row").filter({ hasText: "People" });
    await people.waitFor();
    for (const cell of await people.getByRole("cell").all()) expect(await onScreen(cell)).toBe(true);
    await shot(page, "report-phone");

    // A school's classes: the Terms column is on screen, not cut off.
    const schools = await admin.get<{ items: TSchool[] }>("/api/v1/schools?q=Oak%20Elementary%20wk1");
    const oakElementary = schools.body.items[0];
    if (!oakElementary) throw new Error("no school");
    await page.goto(`${server.baseUrl}/directory/schools/${oakElementary.id}`);
    const math = page.getByRole("table", { name: `Classes at ${oakElementary.name}` }).getByRole("row").filter({ hasText: "Math 3, Room 12" });
    const terms = math.getByRole("cell").filter({ hasText: "Fall 2026" });
    await terms.waitFor();
    expect(await onScreen(terms)).toBe(true);
    await shot(page, "school-phone");
  });

  it("week view: category names break between words only, and only today and earlier days offer '+ Log'", { timeout: 60_000 }, async () => {
    const coach = await pageAs(coachEmail);
    const categories = (await coach.request.get(`${server.baseUrl}/api/v1/coaching/categories`).then((r) => r.json())) as { items: { id: string; key: string }[] };
    const admin = categories.items.find((c) => c.key === "tech_administration");
    const me = (await coach.request.get(`${server.baseUrl}/api/v1/me`).then((r) => r.json())) as { csrfToken: string };
    const today = districtToday();
    const logged = await coach.request.post(`${server.baseUrl}/api/v1/coaching/entries`, {
      data: { date: today, minutes: 30, categoryId: admin?.id },
      headers: { "x-csrf-token": me.csrfToken },
    });
    expect(logged.status()).toBe(201);

    for (const width of [1440, 1280, 1024, 390]) {
      await coach.setViewportSize({ width, height: 900 });
      await coach.goto(`${server.baseUrl}/coaching/week`);
      const name = coach.locator(".week-entry__name").filter({ hasText: "Technology administration" });
      await name.waitFor();
      // "administration" sits on one line: its text has one box, and nothing spills out of the entry.
      const layout = await name.evaluate((el) => {
        const text = el.firstChild;
        if (!text || !text.textContent) return null;
        const start = text.textContent.indexOf("administration");
        const range = document.createRange();
        range.setStart(text, start);
        range.setEnd(text, start + "administration".length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        return { lines: lines.size, spills: el.scrollWidth > el.clientWidth + 1 };
      });
      expect(layout, `at ${width} px`).toEqual({ lines: 1, spills: false });
      await shot(coach, `week-${width}`);
    }

    // Days after today offer no "+ Log"; today and the days before it all do.
    const days = await coach.locator(".week-day").evaluateAll((els) =>
      els.map((el) => ({ id: el.getAttribute("aria-labelledby")?.slice(4) ?? "", canLog: el.querySelector(".week-day__add") !== null })),
    );
    expect(days).toHaveLength(7);
    for (const day of days) expect(day.canLog, day.id).toBe(day.id <= today);
  });

  it("imports a Forms log whose activities are not category names: each value mapped once, remembered next time; counts in the singular", { timeout: 60_000 }, async () => {
    const page = await pageAs(coachEmail, PHONE);
    const d = new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10);
    const paste = async (csv: string) => {
      await page.goto(`${server.baseUrl}/coaching/import`);
      await page.getByText("Or paste the CSV text").click();
      await page.getByLabel("CSV text").fill(csv);
      await page.getByRole("button", { name: "Read the pasted text" }).click();
      await page.getByRole("button", { name: "Check the file" }).click();
    };

    await paste(["Date,Activity,Minutes", `${d},Tech support,30`, `${d},Co-planning,lots`].join("\n"));
    const values = page.getByRole("region", { name: "Match the activities" });
    const techSupport = values.getByRole("combobox", { name: "“Tech support”" });
    await techSupport.waitFor();
    await values.getByText("1 activity in the file is not a category name").waitFor();
    await shot(page, "forms-values-phone");
    await techSupport.selectOption({ label: "Tech support / troubleshooting" });
    await values.getByText("Every activity in the file has a category.").waitFor();
    // One row is valid, one has bad minutes: "1 valid row", never "1 valid rows".
    const importButton = page.getByRole("button", { name: "Import 1 valid row, skip 1" });
    await importButton.waitFor();
    await importButton.click();
    await page.getByText("Imported 1 entry.").waitFor();

    // The next file: the same value (another spelling) is read as before, with nothing to choose.
    await paste(["Date,Activity,Minutes", `${d},tech SUPPORT,20`].join("\n"));
    await page.getByRole("region", { name: "Match the activities" }).getByText("as chosen in an earlier import").waitFor();
    expect(await page.getByRole("region", { name: "Match the activities" }).getByRole("combobox", { name: "“tech SUPPORT”" }).inputValue()).not.toBe("");
    await page.getByRole("button", { name: "Import 1 row", exact: true }).click();
    await page.getByText("Imported 1 entry.").waitFor();
    await shot(page, "forms-imported-phone");
  });

  it("audit log: filters by an action chosen by name, and shows who signed in", async () => {
    const page = await pageAs(adminEmail);
    await page.goto(`${server.baseUrl}/settings/audit`);
    await page.getByRole("combobox", { name: "Action" }).selectOption({ label: "Signed in" });
    await page.waitForURL(/action=auth\.login/);
    const rows = page.getByRole("table").getByRole("row").filter({ hasText: "Signed in" });
    await rows.first().waitFor();
    // The admin's own sign-in (this test's) names the admin, not "System".
    await rows.first().getByRole("button", { name: "Ada Admin (show only their activity)" }).waitFor();
    expect(await page.getByRole("table").getByText("System").count()).toBe(0);
  });

  it("quick log: choosing a coaching cycle fills in its teachers; a cycle opened from an outcome has its Goal step", { timeout: 60_000 }, async () => {
    const page = await pageAs(coachEmail, PHONE);
    const me = (await page.request.get(`${server.baseUrl}/api/v1/me`).then((r) => r.json())) as { csrfToken: string };
    const people = (await admin.get<{ items: { id: string; displayName: string }[] }>(`/api/v1/people?schoolId=${oak.id}&role=teacher`)).body.items;
    const ben = people.find((p) => p.displayName === "Ben Lee");
    const created = await page.request.post(`${server.baseUrl}/api/v1/coaching/cycles`, {
      data: { title: "Feedback with Forms", startingPoint: "outcome", startingText: "Students revise from peer feedback", schoolId: oak.id, teacherIds: [ben?.id] },
      headers: { "x-csrf-token": me.csrfToken },
    });
    expect(created.status()).toBe(201);
    const cycle = (await created.json()) as { id: string };

    await page.goto(`${server.baseUrl}/coaching/cycles/${cycle.id}`);
    await page.getByRole("list", { name: "Cycle stages" }).getByText("Goal (done)").waitFor();

    await page.goto(`${server.baseUrl}/coaching`);
    await page.getByRole("heading", { level: 1, name: "Log an activity" }).waitFor();
    await page.getByRole("radio", { name: "Co-planning" }).check();
    await page.getByRole("button", { name: /^45 min/ }).click();
    await page.getByRole("combobox", { name: /^Coaching cycle/ }).selectOption({ label: "Feedback with Forms — Ben Lee" });
    await page.getByRole("list", { name: "Chosen teachers" }).getByText("Ben Lee").waitFor();
    await page.getByRole("button", { name: "Log it" }).click();
    await page.getByRole("status").filter({ hasText: "Logged 45 min of Co-planning" }).waitFor();

    const entries = (await page.request.get(`${server.baseUrl}/api/v1/coaching/entries?limit=5`).then((r) => r.json())) as {
      items: { cycleId: string | null; teachers: { name: string }[] }[];
    };
    const logged = entries.items.find((e) => e.cycleId === cycle.id);
    expect(logged?.teachers.map((t) => t.name)).toEqual(["Ben Lee"]);
  });

  it("All entries, for a district admin: every coach's entries, with a coach filter", { timeout: 60_000 }, async () => {
    const coach = await pageAs(coachEmail);
    const me = (await coach.request.get(`${server.baseUrl}/api/v1/me`).then((r) => r.json())) as { csrfToken: string };
    const categories = (await coach.request.get(`${server.baseUrl}/api/v1/coaching/categories`).then((r) => r.json())) as { items: { id: string; key: string }[] };
    const logged = await coach.request.post(`${server.baseUrl}/api/v1/coaching/entries`, {
      data: { date: new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10), minutes: 25, categoryId: categories.items.find((c) => c.key === "observing")?.id, notes: "Seen by the admin" },
      headers: { "x-csrf-token": me.csrfToken },
    });
    expect(logged.status()).toBe(201);

    const page = await pageAs(adminEmail);
    await page.goto(`${server.baseUrl}/coaching/log`);
    await page.getByRole("heading", { level: 1, name: "All entries" }).waitFor();
    const row = page.getByRole("table", { name: "Coaching log entries" }).getByRole("row").filter({ hasText: "Seen by the admin" });
    await row.getByText("Casey Coach").waitFor();
    expect(await page.getByText("Your log is empty").count()).toBe(0);

    await page.getByRole("combobox", { name: /^Coach/ }).fill("Casey");
    await page.getByRole("option", { name: /Casey Coach/ }).click();
    await page.waitForURL(/coachId=/);
    // The one-person picker is full: focus moves to the chosen coach's remove button, not the page.
    await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Remove Casey Coach");
    await row.waitFor();
    await shot(page, "entries-admin");
  });

  it("Add person starts the first role at a school to choose, not district-wide", { timeout: 60_000 }, async () => {
    const page = await pageAs(adminEmail);
    await page.goto(`${server.baseUrl}/directory/people/new`);
    await page.getByRole("heading", { level: 1, name: "Add person" }).waitFor();
    const school = page.getByRole("combobox", { name: "School" });
    await school.locator("option", { hasText: "Oak Middle" }).waitFor({ state: "attached" });
    expect(await school.inputValue()).toBe("");
    expect(await school.locator("option:checked").textContent()).toBe("Choose a school");
    await page.getByLabel("Given name").fill("Dana");
    await page.getByLabel("Family name").fill("New");
    await page.getByRole("button", { name: "Add person" }).click();
    await page.getByText("Choose a school (or District-wide)").waitFor();
    await school.selectOption({ label: "Oak Middle" });
    await page.getByRole("button", { name: "Add person" }).click();
    await page.getByRole("heading", { level: 1, name: /Dana New/ }).waitFor();
    await page.getByText("Oak Middle").first().waitFor();
  });

  it("signed out, /login and /reset-password ask for the session without an error in the console", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(`${server.baseUrl}/login`);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await page.goto(`${server.baseUrl}/reset-password`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    expect(problems).toEqual([]);
  });

  it("quick log: focus stays on something sensible after picking a teacher and after 'Log it'; names match what buttons show", { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: "en-US", timezoneId: DISTRICT_TIME_ZONE, hasTouch: true, isMobile: true });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    expect((await page.request.post(`${server.baseUrl}/api/v1/auth/login`, { data: { email: coachEmail, password: PASSWORD } })).status()).toBe(200);
    await page.goto(`${server.baseUrl}/coaching`);
    await page.getByRole("heading", { level: 1, name: "Log an activity" }).waitFor();
    const focused = () => page.evaluate(() => {
      const el = document.activeElement;
      return !el || el === document.body ? "body" : `${el.tagName.toLowerCase()}${el.getAttribute("role") ? `[role=${el.getAttribute("role")}]` : ""} ${el.getAttribute("aria-label") ?? el.textContent?.trim().slice(0, 40) ?? ""}`;
    });

    // The account menu's name starts with the initials it shows on a phone; minute buttons' with their number.
    await page.getByRole("button", { name: /^CC\b/ }).waitFor();
    await page.getByRole("button", { name: /^60 min/ }).waitFor();
    await page.getByRole("button", { name: /^90 min/ }).waitFor();

    await page.getByRole("radio", { name: "Co-planning" }).check();
    await page.getByRole("button", { name: /^60 min/ }).click();
    const teachers = page.getByRole("combobox", { name: /^Teachers/ });
    // A tap on a suggestion keeps focus in the teachers box, ready for the next name.
    await teachers.fill("Ana");
    await page.getByRole("listbox", { name: "Suggested teachers" }).getByRole("option", { name: "Ana Ruiz" }).tap();
    await page.getByRole("list", { name: "Chosen teachers" }).getByText("Ana Ruiz").waitFor();
    expect(await focused()).toMatch(/^input\[role=combobox\]/);
    // Removing a chosen teacher too.
    await page.getByRole("button", { name: "Remove Ana Ruiz" }).tap();
    await page.waitForFunction(() => document.activeElement?.getAttribute("role") === "combobox");
    // By keyboard.
    await teachers.fill("Ben");
    await page.getByRole("listbox", { name: "Suggested teachers" }).getByRole("option", { name: "Ben Lee" }).waitFor();
    await teachers.press("Enter");
    await page.getByRole("list", { name: "Chosen teachers" }).getByText("Ben Lee").waitFor();
    expect(await focused()).toMatch(/^input\[role=combobox\]/);

    // After "Log it", focus goes to what was logged (with its Undo), not to the page.
    await page.getByRole("button", { name: "Log it" }).click();
    await page.getByRole("status").filter({ hasText: "Logged 1 h of Co-planning" }).waitFor();
    await page.waitForFunction(() => document.activeElement !== document.body);
    expect(await focused()).toContain("Logged 1 h of Co-planning");
  });
});
