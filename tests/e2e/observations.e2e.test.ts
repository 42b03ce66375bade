/**
 * End to end, at phone width (390×844), the observation form in a classroom without Wi-Fi: the app
 * installs its service worker, the browser goes offline, the page reloads (the shell comes from the
 * service worker, the form's rubric, apps and teachers from the device), the coach fills in and
 * submits, the observation waits on the device; the network returns, it syncs, and the server holds
 * exactly one observation, also after the sync is replayed and the tab reloaded. Deleted on the server
 * and replayed once more, it stays on the device with the reason.
 * Needs the built client in dist/client and Chromium. Waits only for elements and text, never for time.
 * Set E2E_SCREENSHOTS=dir to keep a PNG of each step.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TList } from "../../shared/schemas/common.js";
import type { TObservation } from "../../shared/schemas/observations.js";
import type { ApiClient } from "../helpers/client.js";
import { hasChromium, launchChromium } from "../helpers/browser.js";
import { makePerson, makeSchool, PASSWORD, setUpDistrict, signedIn } from "../helpers/factories.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const SHOTS = process.env.E2E_SCREENSHOTS;

describe.skipIf(!hasChromium)("observations e2e offline at phone width (chromium)", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let coachApi: ApiClient;
  let coachEmail: string;
  let coachId: string;

  async function shot(page: Page, name: string): Promise<void> {
    if (!SHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `observations-${name}.png`), fullPage: true });
  }

  beforeAll(async () => {
    server = await startTestServer({ dialect: "sqlite" });
    const { admin } = await setUpDistrict(server, "Bayside Unified");
    const school = await makeSchool(admin, { name: "Bayside Middle", level: "middle" });
    const coach = await makePerson(admin, { roles: [{ role: "coach", schoolId: school.id }], givenName: "Casey", familyName: "Coach" });
    await makePerson(admin, { roles: [{ role: "teacher", schoolId: school.id }], givenName: "Ana", familyName: "Ruiz" });
    await makePerson(admin, { roles: [{ role: "teacher", schoolId: school.id }], givenName: "Ben", familyName: "Lee" });
    coachEmail = coach.email;
    coachId = coach.person.id;
    coachApi = await signedIn(server, coachEmail);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "en-US", hasTouch: true, isMobile: true });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  const onServer = async () => (await coachApi.get<TList<TObservation>>(`/api/v1/observations?observerId=${coachId}`)).body.items;
  const rows = async () =>
    Number((await server.ctx.db.selectFrom("observations").select((eb) => eb.fn.countAll<number>().as("n")).where("observer_id", "=", coachId).executeTakeFirstOrThrow()).n);

  /** Puts every observation saved on the device back to "waiting", as if the tab had died before it heard the server. */
  const requeue = (page: Page) =>
    page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open("coachwork-observations");
          open.onerror = () => reject(new Error("no database"));
          open.onsuccess = () => {
            const tx = open.result.transaction("queue", "readwrite");
            const store = tx.objectStore("queue");
            const all = store.getAll();
            all.onsuccess = () => {
              for (const row of all.result as { state: string }[]) store.put({ ...row, state: "waiting", observationId: null });
            };
            tx.oncomplete = () => resolve();
          };
        }),
    );

  it("fills and submits with the network off, then syncs exactly once when it returns", { timeout: 120_000 }, async () => {
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const login = await page.request.post(`${server.baseUrl}/api/v1/auth/login`, { data: { email: coachEmail, password: PASSWORD } });
    expect(login.status()).toBe(200);

    // Online once: the service worker installs and takes the page; the form keeps its copies on the device.
    await page.goto(`${server.baseUrl}/observations/new`);
    await page.getByRole("heading", { level: 1, name: "New observation" }).waitFor();
    await page.getByRole("combobox", { name: "Teacher" }).locator("option", { hasText: "Ana Ruiz" }).waitFor({ state: "attached" });
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await shot(page, "1-online-form");

    // The classroom's Wi-Fi is gone: the app and the form open from the device.
    await context.setOffline(true);
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "New observation" }).waitFor();
    await page.getByRole("combobox", { name: "Teacher" }).selectOption({ label: "Ana Ruiz" });
    await page.getByRole("textbox", { name: /Class or subject/ }).fill("Biology");
    await page.getByRole("group", { name: /^Active/ }).getByRole("radio", { name: "Adaptation", exact: true }).check();
    await page.getByRole("group", { name: /^Collaborative/ }).getByRole("radio", { name: "Infusion", exact: true }).check();
    // The descriptors are one tap away.
    const details = page.getByRole("group", { name: /^Active/ }).getByText("What each level looks like");
    await details.click();
    await page.getByText("Students use familiar tools on their own and begin to explore them.").waitFor();
    await page.getByRole("button", { name: "OneNote" }).click();
    await page.getByRole("textbox", { name: /Evidence/ }).fill("Lab groups logged readings in a shared notebook.");
    await page.getByRole("textbox", { name: /Feedback for the teacher/ }).fill("Clear roles in every group.");
    await shot(page, "2-offline-filled");
    await page.getByRole("button", { name: "Submit observation" }).click();
    await page.getByRole("status").filter({ hasText: "Observation saved on this device — will sync" }).waitFor();
    const item = page.locator(".obs-queue__item").first();
    await expect.poll(() => item.getAttribute("data-state")).toBe("waiting");
    await shot(page, "3-offline-saved");
    expect(await rows()).toBe(0);

    // The network returns: the online event sends it.
    await context.setOffline(false);
    await page.locator('.obs-queue__item[data-state="synced"]').waitFor();
    await page.getByText("Synced", { exact: true }).waitFor();
    await shot(page, "4-synced");
    const [synced] = await onServer();
    expect(await rows()).toBe(1);
    expect(synced?.teacher.name).toBe("Ana Ruiz");
    expect(synced?.status).toBe("submitted");
    expect(synced?.levels).toMatchObject({ active: "adaptation", collaborative: "infusion", constructive: null });
    expect(synced?.technology).toEqual([{ appId: expect.any(String), name: "OneNote" }]);

    // A replayed sync (the tab died before it heard the answer): the item is waiting again, the tab reloads.
    await requeue(page);
    await page.reload();
    await page.locator('.obs-queue__item[data-state="synced"]').waitFor();
    expect(await rows()).toBe(1);
    expect((await onServer()).map((o) => o.id)).toEqual([synced?.id]);

    // The observation page shows it on the matrix.
    await page.getByRole("link", { name: "Open" }).first().click();
    await page.getByRole("heading", { level: 1, name: /Ana Ruiz/ }).waitFor();
    await page.getByRole("table", { name: /with the observed levels/ }).waitFor();
    await shot(page, "5-observation");

    // Deleted on the server, then replayed from the device: the server says so (410), nothing comes back,
    // and the device keeps its copy and says why.
    expect((await coachApi.delete(`/api/v1/observations/${synced?.id ?? ""}`)).status).toBe(204);
    await page.goto(`${server.baseUrl}/observations`);
    await requeue(page);
    await page.reload();
    await page.locator('.obs-queue__item[data-state="deleted_on_server"]').waitFor();
    await page.getByText("Deleted on the server — kept on this device").waitFor();
    await page.getByText(/was deleted on the server/).waitFor();
    await shot(page, "6-deleted-on-server");
    expect(await onServer()).toEqual([]);
    expect(await rows()).toBe(1); // the tombstone

    // Nothing lost: the copy goes back into the form, and saved again it is a new observation.
    await page.getByRole("link", { name: "Edit and save again" }).click();
    await page.getByRole("heading", { level: 1, name: "New observation" }).waitFor();
    await expect.poll(() => page.getByRole("textbox", { name: /Class or subject/ }).inputValue()).toBe("Biology");
    expect(await page.getByRole("group", { name: /^Active/ }).getByRole("radio", { name: "Adaptation", exact: true }).isChecked()).toBe(true);
    await page.getByRole("button", { name: "Submit observation" }).click();
    await page.getByRole("status").filter({ hasText: "Observation saved and synced to the server" }).waitFor();
    await expect.poll(async () => (await onServer()).length).toBe(1);
    expect(await rows()).toBe(2);
    await page.locator('.obs-queue__item[data-state="deleted_on_server"]').waitFor({ state: "detached" });
  });
});
