/**
 * End to end: the flows nobody may lose, in headless Chromium against the real server
 * (in-process, random port, fresh SQLite database). Needs the built client in dist/client
 * (`npm test` builds it when stale) and Chromium at /usr/bin/chromium or $CHROMIUM_PATH.
 * Waits only for elements and URLs, never for time.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const ADMIN = {
  districtName: "Riverside Unified",
  givenName: "Ada",
  familyName: "Lovelace",
  email: "ada@riverside.example",
  password: "correct horse battery staple",
};

describe.skipIf(!hasChromium)("foundation e2e (chromium)", () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    return page;
  }

  beforeAll(async () => {
    server = await startTestServer({ dialect: "sqlite" });
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
  });

  it("sets up the district, finds the admin in the directory, signs out and back in", { timeout: 60_000 }, async () => {
    const page = await newPage({ width: 1280, height: 860 });
    const url = (p: string) => `${server.baseUrl}${p}`;

    // First-run setup, with the token from the link the server prints.
    await page.goto(url(`/setup?token=${encodeURIComponent(server.setupToken)}`));
    expect(await page.getByLabel("Setup token").inputValue()).toBe(server.setupToken);
    await page.getByLabel("District name").fill(ADMIN.districtName);
    await page.getByLabel("Given name").fill(ADMIN.givenName);
    await page.getByLabel("Family name").fill(ADMIN.familyName);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Create district" }).click();

    await page.waitForURL(url("/"));
    await page.getByRole("heading", { level: 1, name: `Welcome, ${ADMIN.givenName}` }).waitFor();
    expect(await page.title()).toBe("Home · Coachwork");
    await page.getByRole("banner").getByText(ADMIN.districtName).waitFor();

    // Directory → People, search for the admin, open the person page.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Directory" }).click();
    await page.waitForURL(url("/directory/people"));
    await page.getByLabel("Search").fill("lovel");
    await page.waitForURL(/\/directory\/people\?q=lovel$/);
    await page.getByText("1 person").waitFor();
    await page.getByRole("table").getByRole("link", { name: `${ADMIN.givenName} ${ADMIN.familyName}` }).click();

    await page.waitForURL(/\/directory\/people\/[^/?]+$/);
    await page.getByRole("heading", { level: 1, name: `${ADMIN.givenName} ${ADMIN.familyName}` }).waitFor();
    await page.getByRole("link", { name: ADMIN.email }).waitFor();
    await page.getByText("District admin").first().waitFor();
    expect(await page.title()).toBe(`${ADMIN.givenName} ${ADMIN.familyName} · Coachwork`);

    // Sign out through the account menu.
    await page.getByRole("button", { name: /account menu$/ }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.waitForURL(url("/login"));
    await page.getByText("You have signed out.").waitFor();

    // A wrong password is refused with a clear message; the right one lands on the home page.
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Email or password is incorrect.").waitFor();
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(url("/"));
    await page.getByRole("heading", { level: 1, name: `Welcome, ${ADMIN.givenName}` }).waitFor();
  });

  it("opens the navigation from the menu button at phone width", { timeout: 60_000 }, async () => {
    const page = await newPage({ width: 390, height: 844 });
    // Sign in through the API (the UI sign-in is covered above); the context keeps the cookie.
    const login = await page.request.post(`${server.baseUrl}/api/v1/auth/login`, {
      data: { email: ADMIN.email, password: ADMIN.password },
    });
    expect(login.status()).toBe(200);

    await page.goto(`${server.baseUrl}/`);
    await page.getByRole("heading", { level: 1, name: `Welcome, ${ADMIN.givenName}` }).waitFor();

    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.isVisible()).toBe(false);
    const toggle = page.getByRole("button", { name: "Open navigation" });
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");

    await toggle.click();
    await nav.getByRole("link", { name: "Directory" }).waitFor({ state: "visible" });
    expect(await page.getByRole("button", { name: "Close navigation" }).getAttribute("aria-expanded")).toBe("true");

    // Following a link closes the drawer again.
    await nav.getByRole("link", { name: "Directory" }).click();
    await page.waitForURL(`${server.baseUrl}/directory/people`);
    await nav.waitFor({ state: "hidden" });
    await page.getByRole("heading", { level: 1, name: "Directory" }).waitFor();
  });
});
