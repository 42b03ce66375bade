/**
 * End to end, in Chromium: the bugs a new district coordinator met in the first week (issue 17), each
 * checked where it showed, in the page. Needs the built client in dist/client and Chromium at
 * /usr/bin/chromium or $CHROMIUM_PATH. Waits only for elements and text, never for time.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TSchool } from "../../shared/schemas/schools.js";
import type { ApiClient } from "../helpers/client.js";
import { makePerson, makeSchool, PASSWORD, setUpDistrict } from "../helpers/factories.js";
import { hasChromium, launchChromium } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

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

  async function pageAs(email: string, viewport = { width: 1280, height: 860 }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: "en-US" });
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
});
