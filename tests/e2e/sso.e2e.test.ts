/**
 * End to end: single sign-on in headless Chromium. Coachwork (in-process, random port, fresh
 * SQLite database) and a real OpenID Connect provider (oidc-provider with its development login
 * and consent pages) both listen on 127.0.0.1. Needs the built client in dist/client and Chromium
 * at /usr/bin/chromium or $CHROMIUM_PATH. Waits only for elements and URLs, never for time.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TSsoProvider } from "../../shared/schemas/sso.js";
import { SSO_ERROR_MESSAGES } from "../../shared/schemas/sso.js";
import { makePerson, setUpDistrict } from "../helpers/factories.js";
import { startTestIdp, type TestIdp } from "../helpers/oidc-provider.js";
import { hasChromium, launchChromium } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const PROVIDER_NAME = "Riverside Accounts";

describe.skipIf(!hasChromium)("single sign-on e2e (chromium)", () => {
  let server: TestServer;
  let idp: TestIdp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    return page;
  }

  /** At the provider's development pages: type the login, then confirm the consent screen. */
  async function signInAtProvider(page: Page, login: string): Promise<void> {
    await page.waitForURL((url) => url.href.startsWith(`${idp.issuer}/interaction/`));
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill("any password");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
  }

  beforeAll(async () => {
    server = await startTestServer({ dialect: "sqlite" });
    // Like Google and Entra ID, this provider puts email and name in the ID token itself.
    idp = await startTestIdp({ redirectUri: `${server.baseUrl}/api/v1/sso/callback`, hasClaimsInIdToken: true });
    const { admin } = await setUpDistrict(server);
    // The test provider is plain http on loopback: an in-house provider the district must allow.
    expect((await admin.patch("/api/v1/settings", { allowPrivateSsoIssuers: true })).status).toBe(200);
    const created = await admin.post<TSsoProvider>("/api/v1/sso/admin/providers", {
      kind: "oidc",
      displayName: PROVIDER_NAME,
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      allowedDomains: ["example.org"],
    });
    if (created.status !== 201) throw new Error(`could not add the provider: ${created.text}`);
    const { person, email } = await makePerson(admin, { roles: [{ role: "teacher", schoolId: null }], givenName: "Tomasz" });
    idp.accounts.set("tomasz", { email, email_verified: true, given_name: person.givenName, family_name: person.familyName });
    idp.accounts.set("stranger", { email: "stranger@example.org", email_verified: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await idp?.close();
    await server?.close();
  });

  it("signs a teacher in through the provider's login and consent pages", { timeout: 60_000 }, async () => {
    const page = await newPage();
    await page.goto(`${server.baseUrl}/login`);
    const button = page.getByRole("link", { name: `Sign in with ${PROVIDER_NAME}` });
    await button.waitFor();
    // Password sign-in stays on the same page.
    await page.getByLabel("Email").waitFor();

    await button.click();
    await signInAtProvider(page, "tomasz");

    await page.waitForURL(`${server.baseUrl}/`);
    await page.getByRole("heading", { level: 1, name: "Welcome, Tomasz" }).waitFor();
    expect(await page.title()).toBe("Home · Coachwork");
  });

  it("returns to the page that asked for sign-in", { timeout: 60_000 }, async () => {
    const page = await newPage();
    await page.goto(`${server.baseUrl}/profile`);
    await page.waitForURL(`${server.baseUrl}/login?next=%2Fprofile`);
    await page.getByRole("link", { name: `Sign in with ${PROVIDER_NAME}` }).click();
    await signInAtProvider(page, "tomasz");
    await page.waitForURL(`${server.baseUrl}/profile`);
  });

  it("explains on the sign-in page why someone without an account was refused", { timeout: 60_000 }, async () => {
    const page = await newPage();
    await page.goto(`${server.baseUrl}/login`);
    await page.getByRole("link", { name: `Sign in with ${PROVIDER_NAME}` }).click();
    await signInAtProvider(page, "stranger");
    await page.waitForURL(`${server.baseUrl}/login?error=sso_unknown`);
    await page.getByRole("alert").getByText(SSO_ERROR_MESSAGES.sso_unknown).waitFor();
  });
});
