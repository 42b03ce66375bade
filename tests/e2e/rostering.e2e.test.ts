/**
 * End to end: a district admin imports a OneRoster export in headless Chromium. A file with an
 * invalid email is refused with its line and column (and the report downloads as CSV); the
 * corrected file is imported; then the school page, a class page and a student's page show the
 * roster. Coachwork runs in-process on a random port with a fresh SQLite database. Waits only for
 * elements and URLs, never for time. Set E2E_SCREENSHOTS=dir to keep a PNG of each page.
 */
import { parse } from "csv-parse/sync";
import { mkdirSync, readFileSync } from "node:fs";
import iconv from "iconv-lite";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, setUpDistrict } from "../helpers/factories.js";
import { cloneSet, setFiles, smallSet, zipFiles } from "../helpers/oneroster.js";
import { hasChromium, launchChromium } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const SHOTS = process.env.E2E_SCREENSHOTS;

describe.skipIf(!hasChromium)("roster import e2e (chromium)", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let adminEmail: string;
  const tag = "e2e";

  async function shot(page: Page, name: string): Promise<void> {
    if (!SHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `rostering-${name}.png`), fullPage: true });
  }

  beforeAll(async () => {
    server = await startTestServer({ dialect: "sqlite" });
    const { email } = await setUpDistrict(server);
    adminEmail = email;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it("refuses a file with errors, imports the corrected one, and shows the roster on the school, class and person pages", { timeout: 90_000 }, async () => {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.baseUrl}/api/v1/auth/login`, { data: { email: adminEmail, password: PASSWORD } });
    expect(login.status()).toBe(200);

    // Settings → Roster imports.
    await page.goto(`${server.baseUrl}/settings/rostering`);
    await page.getByRole("heading", { name: "Import a roster" }).waitFor();
    await page.getByText("No imports yet").waitFor();

    // A student's email is broken on line 6 of users.csv: nothing is imported and the page says where.
    const good = smallSet(tag);
    const bad = cloneSet(good);
    const users = bad.files["users.csv"];
    if (!users?.rows[4]) throw new Error("fixture");
    users.rows[4].email = "sam.one(at)e2e.example.org";
    await page.locator('input[type="file"]').setInputFiles({ name: "riverside-bad.zip", mimeType: "application/zip", buffer: await zipFiles(setFiles(bad)) });
    await page.getByRole("button", { name: "Import", exact: true }).click();
    const outcome = page.getByRole("status").filter({ hasText: "Not imported." });
    await outcome.waitFor();
    const issueRow = page.getByRole("row").filter({ hasText: "users.csv" }).filter({ hasText: "sam.one(at)e2e.example.org" });
    await issueRow.waitFor();
    expect(await issueRow.getByRole("cell").nth(2).textContent()).toBe("6");
    expect(await issueRow.getByRole("cell").nth(3).textContent()).toBe("email");
    await shot(page, "rejected");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download the report (CSV)" }).click()]);
    const csvPath = await download.path();
    const csv = readFileSync(csvPath, "utf8");
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const [header, ...rows] = parse(csv, { bom: true }) as string[][];
    expect(header).toEqual(["severity", "file", "line", "column", "message"]);
    expect(rows).toContainEqual(expect.arrayContaining(["error", "users.csv", "6", "email"]));
    const before = await page.request.get(`${server.baseUrl}/api/v1/classes`);
    expect((await before.json()).total).toBe(0);

    // The corrected export is imported; the history lists both.
    await page.locator('input[type="file"]').setInputFiles({ name: "riverside.zip", mimeType: "application/zip", buffer: await zipFiles(setFiles(good)) });
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Imported." }).waitFor();
    await page.getByRole("row").filter({ hasText: "Classes" }).filter({ hasText: "3" }).first().waitFor();
    const history = page.getByRole("table", { name: "Roster imports, newest first" });
    await history.getByRole("row").filter({ hasText: "riverside.zip" }).filter({ hasText: "Imported" }).waitFor();
    await history.getByRole("row").filter({ hasText: "riverside-bad.zip" }).filter({ hasText: "Not imported" }).waitFor();
    await shot(page, "imported");

    // One import's own report page, from the history.
    await history.getByRole("row").filter({ hasText: "riverside-bad.zip" }).getByRole("link").click();
    await page.waitForURL(/\/settings\/rostering\/[^/]+$/);
    await page.getByRole("heading", { level: 1, name: "riverside-bad.zip" }).waitFor();
    await page.getByRole("status").filter({ hasText: "Not imported." }).waitFor();
    await shot(page, "report");

    // On a phone each issue is a card: the problem is on screen, not in a column off to the right.
    await page.setViewportSize({ width: 390, height: 844 });
    const problem = page.getByText('"sam.one(at)e2e.example.org" is not a valid email address');
    await problem.waitFor();
    const box = await problem.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    await shot(page, "report-phone");
    await page.setViewportSize({ width: 1280, height: 900 });

    // The school page: counts by grade and the school's classes.
    await page.goto(`${server.baseUrl}/directory/schools`);
    await page.getByRole("link", { name: `Oak Elementary ${tag}` }).click();
    await page.getByRole("heading", { level: 1, name: `Oak Elementary ${tag}` }).waitFor();
    await page.getByRole("list", { name: "Students by grade" }).getByText("Grade 03: 3").waitFor();
    await shot(page, "school");

    // A class page: its teacher and students.
    await page.getByRole("table", { name: `Classes at Oak Elementary ${tag}` }).getByRole("link", { name: "Math 3, Room 12" }).click();
    await page.getByRole("heading", { level: 1, name: /Math 3, Room 12/ }).waitFor();
    await page.getByRole("link", { name: "Terry Oakes" }).waitFor();
    await page.getByRole("link", { name: "Sam One" }).waitFor();
    await shot(page, "class");

    // A student's page lists their classes.
    await page.getByRole("link", { name: "Sam One" }).click();
    await page.getByRole("heading", { level: 1, name: "Sam One" }).waitFor();
    const classes = page.getByRole("table", { name: "Classes of Sam One" });
    await classes.getByRole("row").filter({ hasText: "Math 3, Room 12" }).filter({ hasText: "Student" }).waitFor();
    await shot(page, "person");
  });

  it("stops an export whose enrollments.csv is only its header until the admin allows mass deactivation", { timeout: 60_000 }, async () => {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.baseUrl}/settings/rostering`);
    await page.getByRole("heading", { name: "Import a roster" }).waitFor();
    const headerOnly = cloneSet(smallSet(tag));
    const enrollments = headerOnly.files["enrollments.csv"];
    if (!enrollments) throw new Error("fixture");
    enrollments.rows = [];
    const zip = await zipFiles(setFiles(headerOnly));
    await page.locator('input[type="file"]').setInputFiles({ name: "riverside-empty.zip", mimeType: "application/zip", buffer: zip });
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Not imported." }).filter({ hasText: "would deactivate 11 enrollments of 11 active" }).waitFor();
    // The report opens with it.
    const first = page.getByRole("table", { name: "Issues found in the files, by file and line" }).getByRole("row").nth(1);
    expect(await first.textContent()).toMatch(/enrollments\.csv.*This import would deactivate 11 of its 11 active enrollments/);
    await shot(page, "mass-deactivation");
    const still = await page.request.get(`${server.baseUrl}/api/v1/classes`);
    expect((await still.json()).items.every((c: { studentCount: number }) => c.studentCount > 0)).toBe(true);

    await page.getByRole("checkbox", { name: /Allow mass deactivation/ }).check();
    await page.locator('input[type="file"]').setInputFiles({ name: "riverside-empty.zip", mimeType: "application/zip", buffer: zip });
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Imported." }).waitFor();
    await page.getByRole("row").filter({ hasText: "Enrollments" }).filter({ hasText: "11" }).first().waitFor();
  });

  it("refuses a Shift_JIS staff list naming the encoding, chooses Shift_JIS for the admin, and imports it intact on the next press", { timeout: 60_000 }, async () => {
    // The same browser context: still signed in from the test above.
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.baseUrl}/settings/rostering`);
    await page.getByRole("heading", { name: "Import a roster" }).waitFor();
    const csv = ["name,email,school,role", "太郎 山田,taro@sjis.example.org,,coach", "花子 佐藤,hanako@sjis.example.org,,coach"].join("\r\n");
    const file = { name: "staff-sjis.csv", mimeType: "text/csv", buffer: iconv.encode(csv, "shift_jis") };

    await page.locator('input[type="file"]').setInputFiles(file);
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Not imported." }).waitFor();
    await page.getByText(/line 2 has bytes that are not UTF-8; it is most likely shift_jis/).first().waitFor();

    // Nothing to choose by hand: the report's guess is already in the select, and the page says where it came from.
    await page.getByText("Chosen from staff-sjis.csv: Shift_JIS (Japanese) — check the names after importing.").waitFor();
    expect(await page.getByLabel("Encoding").inputValue()).toBe("shift_jis");
    await shot(page, "encoding-refused");
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Imported." }).waitFor();
    const names: string[] = [];
    for (const email of ["taro@sjis.example.org", "hanako@sjis.example.org"]) {
      const found = await page.request.get(`${server.baseUrl}/api/v1/people?q=${encodeURIComponent(email)}`);
      names.push(...((await found.json()) as { items: { givenName: string; familyName: string }[] }).items.map((p) => `${p.givenName} ${p.familyName}`));
    }
    expect(names).toEqual(["太郎 山田", "花子 佐藤"]);
    await shot(page, "encoding-imported");
  });

  it("shows an import whose process was killed as interrupted, with the reason, and lets the next one run", { timeout: 60_000 }, async () => {
    const districtId = (await server.ctx.db.selectFrom("districts").select("id").executeTakeFirstOrThrow()).id;
    const startedAt = new Date(Date.now() - 5 * 60_000).toISOString();
    const killedId = "0190f000-0000-7000-8000-00000000e2e1";
    // What a server on another machine leaves when it is killed mid-import: a running row that stopped beating.
    await server.ctx.db
      .insertInto("roster_imports")
      .values({
        id: killedId,
        district_id: districtId,
        actor_id: null,
        origin: "web",
        kind: "oneroster",
        file_name: "nightly-killed.zip",
        status: "running",
        is_dry_run: 0,
        apply_valid: 0,
        ...{ created: 0, updated: 0, deactivated: 0, unchanged: 0, skipped: 0, rejected: 0, error_count: 0, warning_count: 0 },
        report: null,
        started_at: startedAt,
        finished_at: null,
        heartbeat_at: startedAt,
        owner: JSON.stringify({ host: "app-2", pid: 4242, instance: "0b7c2f4e-0000-4000-8000-000000000001" }),
      })
      .execute();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.baseUrl}/settings/rostering`);
    const history = page.getByRole("table", { name: "Roster imports, newest first" });
    await history.getByRole("row").filter({ hasText: "nightly-killed.zip" }).filter({ hasText: "Interrupted" }).waitFor();
    await history.getByRole("row").filter({ hasText: "nightly-killed.zip" }).getByRole("link").click();
    await page.getByRole("status").filter({ hasText: "Interrupted." }).waitFor();
    await page.getByText(/Interrupted: the process running it \(pid 4242 on app-2\) stopped reporting/).waitFor();
    await shot(page, "interrupted");

    await page.goto(`${server.baseUrl}/settings/rostering`);
    await page.locator('input[type="file"]').setInputFiles({ name: "after.zip", mimeType: "application/zip", buffer: await zipFiles(setFiles(smallSet(tag))) });
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Imported." }).waitFor();
  });
});
