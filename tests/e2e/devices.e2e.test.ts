/**
 * End to end, a pickup morning: a student tech's station checks out three devices with
 * scanner-style input (fast keystrokes ending in Enter: the student's card, the asset tag, Enter
 * for the ticked checklist), while the rollout's live board, open in a second browser context for
 * IT staff, follows the realtime hub and shows each pickup without a reload. The app runs as in
 * production: the job worker delivers the coalesced "board changed" notices.
 * Needs the built client in dist/client and Chromium. Waits only for elements and text.
 */
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TAssetDetail, TDeviceModel, TRollout } from "../../shared/schemas/devices.js";
import type { TPerson } from "../../shared/schemas/people.js";
import { buildApp } from "../../server/app.js";
import { migrateToLatest, openDatabase, type Database } from "../../server/db/index.js";
import { ensureSetupToken } from "../../server/modules/accounts/accounts.service.js";
import { MODULES, moduleJobHandlers } from "../../server/modules/index.js";
import { startJobWorker, type JobWorker } from "../../server/platform/jobs.js";
import type { App } from "../../server/http.js";
import { hasChromium, launchChromium } from "../helpers/browser.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { makePerson, makeSchool, PASSWORD, setUpDistrict, signedIn } from "../helpers/factories.js";
import { testConfig } from "../helpers/server.js";

describe.skipIf(!hasChromium)("devices e2e: a pickup station with a scanner, and the live board (chromium)", () => {
  let testDb: TestDatabase;
  let database: Database;
  let app: App;
  let worker: JobWorker;
  let baseUrl: string;
  let browser: Browser;
  let stationContext: BrowserContext;
  let boardContext: BrowserContext;
  let rollout: TRollout;
  let techEmail: string;
  let itEmail: string;
  const students: { person: TPerson; number: string }[] = [];
  const tags: string[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase("sqlite");
    const config = testConfig(testDb);
    database = openDatabase(config.database, { onPoolError: () => undefined });
    await migrateToLatest(database.db);
    const built = await buildApp({ config, database, logger: { level: "silent" } });
    app = built.app;
    await app.listen({ port: 0, host: "127.0.0.1" });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    worker = startJobWorker({ ctx: built.ctx, realtime: built.realtime, handlers: moduleJobHandlers(MODULES) });
    const server = { baseUrl, setupToken: (await ensureSetupToken(built.ctx)) ?? "" };
    const { admin } = await setUpDistrict(server, "Lakeview Unified");
    const high = await makeSchool(admin, { name: "Lakeview High", level: "high" });
    itEmail = (await makePerson(admin, { roles: [{ role: "it_staff", schoolId: high.id }], givenName: "Ivy", familyName: "Tech" })).email;
    techEmail = (await makePerson(admin, { roles: [{ role: "student_tech", schoolId: high.id }], givenName: "Sam", familyName: "Helper", gradeLevel: "11" })).email;
    const it = await signedIn({ baseUrl } as never, itEmail);
    const model = (await it.post<TDeviceModel>("/api/v1/devices/models", { name: "Chromebook 14", maker: "Acme", kind: "laptop" })).body;
    for (const [i, [given, family]] of [["Ana", "Ruiz"], ["Ben", "Lee"], ["Cleo", "Park"]].entries()) {
      const number = `40012${i}`;
      const res = await admin.post<TPerson>("/api/v1/people", { givenName: given, familyName: family, gradeLevel: "09", studentNumber: number, roles: [{ role: "student", schoolId: high.id }] });
      expect(res.status, res.text).toBe(201);
      students.push({ person: res.body, number });
      const asset = await it.post<TAssetDetail>("/api/v1/devices/assets", { tag: `LV-0000${i + 1}`, serial: `SN-E2E-${i}`, modelId: model.id, schoolId: high.id });
      expect(asset.status, asset.text).toBe(201);
      tags.push(asset.body.tag);
    }
    const planned = await it.post<TRollout>("/api/v1/devices/rollouts", { name: "Freshman laptops", schoolIds: [high.id], grades: ["09"], modelIds: [model.id], stations: ["Gym 1", "Gym 2"], startsOn: "2026-08-01", endsOn: "2026-09-30" });
    expect(planned.status, planned.text).toBe(201);
    rollout = planned.body;
    browser = await launchChromium();
    stationContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
    boardContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
  }, 120_000);

  afterAll(async () => {
    await stationContext?.close();
    await boardContext?.close();
    await browser?.close();
    await worker?.stop();
    await app?.close();
    await database?.close();
    await testDb?.drop();
  });

  async function signIn(context: BrowserContext, email: string): Promise<Page> {
    const res = await context.request.post(`${baseUrl}/api/v1/auth/login`, { data: { email, password: PASSWORD } });
    expect(res.status()).toBe(200);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  }

  /** What a USB scanner does: the code's characters in a burst, then Enter. */
  async function scan(page: Page, code: string): Promise<void> {
    await page.keyboard.type(code, { delay: 4 });
    await page.keyboard.press("Enter");
  }

  it("hands out three devices in three scans each, and the board in another browser follows live", { timeout: 90_000 }, async () => {
    const board = await signIn(boardContext, itEmail);
    await board.goto(`${baseUrl}/devices/rollouts/${rollout.id}/board`);
    await board.getByText("Live: updates as stations hand out devices").waitFor();
    expect(await board.getByTestId("board-picked").textContent()).toBe("0");
    expect(await board.getByTestId("board-remaining").textContent()).toBe("3");

    const station = await signIn(stationContext, techEmail);
    await station.goto(`${baseUrl}/devices/rollouts/${rollout.id}/station`);
    await station.getByLabel("Scan the student's ID card, or type a name").waitFor();
    for (const [i, s] of students.entries()) {
      await scan(station, ` ${s.number}`); // a leading space: scanner noise
      await station.getByLabel("Scan the device's asset tag").waitFor();
      await scan(station, i === 1 ? tags[i]?.toLowerCase().replace("-", " - ") ?? "" : (tags[i] ?? "")); // typed by hand, with spaces, in lower case
      await station.getByRole("button", { name: "Done" }).waitFor();
      await station.keyboard.press("Enter"); // the checklist comes ticked: Enter confirms
      const done = station.getByLabel("Handed out");
      await done.getByText(s.person.displayName).waitFor();
      await done.getByText(`has ${tags[i]}`).waitFor();
      await board.getByTestId("board-picked").getByText(String(i + 1), { exact: true }).waitFor();
    }
    await board.getByTestId("board-remaining").getByText("0", { exact: true }).waitFor();
    await board.getByText("Everyone has picked up their device.").waitFor();

    // The same card scanned again: a clear answer, nothing written.
    await scan(station, students[0]?.number ?? "");
    await station.getByText(/has already picked up LV-00001/).waitFor();
    const open = await database.db.selectFrom("device_assignments").select(["person_id", "asset_id"]).where("returned_at", "is", null).execute();
    expect(open.map((o) => o.person_id).sort()).toEqual(students.map((s) => s.person.id).sort());
    expect(new Set(open.map((o) => o.asset_id)).size).toBe(3);
  });
});
