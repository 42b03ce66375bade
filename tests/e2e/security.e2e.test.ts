/**
 * End to end: the app runs under its Content-Security-Policy without a single violation (zod's
 * validators included: the client configures them jitless), and an admin changes the district's
 * security settings on Settings → Security. Issue 11 items 1 and 8.
 */
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium } from "../helpers/browser.js";
import { PASSWORD, setUpDistrict } from "../helpers/factories.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

describe.skipIf(!hasChromium)("security e2e (chromium)", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let adminEmail: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect: "sqlite" });
    ({ email: adminEmail } = await setUpDistrict(server));
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it("runs under the CSP without violations and saves the security settings", { timeout: 60_000 }, async () => {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || /Content Security Policy|unsafe-eval/i.test(m.text())) problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(String(e)));
    // Report violations the console might word differently.
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });

    const login = await page.request.post(`${server.baseUrl}/api/v1/auth/login`, { data: { email: adminEmail, password: PASSWORD } });
    expect(login.status()).toBe(200);
    const response = await page.goto(`${server.baseUrl}/settings/security`);
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await page.getByRole("heading", { name: "Security" }).waitFor();
    const address = page.getByLabel("Public address");
    expect(await address.inputValue()).toBe(server.baseUrl);

    await address.fill("https://coachwork.riverside.example");
    await page.getByLabel("School leaders see which teachers were coached").selectOption("yes");
    await page.getByLabel("Longest API token lifetime (days)").fill("90");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Settings saved.").waitFor();
    await page.screenshot({ path: process.env.SCREENSHOT_DIR ? `${process.env.SCREENSHOT_DIR}/settings-security.png` : "/tmp/coachwork-settings-security.png", fullPage: true });

    const saved = await page.request.get(`${server.baseUrl}/api/v1/settings`);
    expect(await saved.json()).toMatchObject({ publicUrl: "https://coachwork.riverside.example", leadersSeeTeacherNames: true, tokenMaxLifetimeDays: 90 });

    // A form validated by zod on the client (the profile's password form) works under the CSP too.
    await page.goto(`${server.baseUrl}/profile`);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Please fix the highlighted fields.").waitFor();
    expect(problems).toEqual([]);
  });
});
