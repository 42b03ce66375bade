/**
 * The chats pages end to end in Chromium, over a real server: a coach makes a private group, adds a
 * teacher with the directory picker and starts a thread; the teacher (a second browser) finds it and
 * replies, and someone outside the group is told it is not found. Then the series' settings page
 * shows the API's field error next to its field, and the event's questions page adds, refuses and
 * removes a question. Waits only for elements and text, never for time.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TChatEvent, TChatEventSummary, TChatGroup } from "../../shared/schemas/chats.js";
import { describeViolation, seriousViolations } from "../helpers/axe.js";
import { hasChromium } from "../helpers/browser.js";
import { createSeries, startChatsBrowser, type ChatsBrowser, type ChatServer } from "../helpers/chats.js";
import type { ApiClient } from "../helpers/client.js";

describe.skipIf(!hasChromium)("chats pages e2e: private groups, settings, questions (chromium)", () => {
  let chats: ChatsBrowser;
  let server: ChatServer;
  let coachApi: ApiClient;
  let coachEmail: string;
  let teacherEmail: string;
  let outsiderEmail: string;

  beforeAll(async () => {
    chats = await startChatsBrowser({ teachers: [["Ana", "Ruiz"], ["Otto", "Side"]] });
    ({ server, coachApi, coachEmail } = chats);
    [teacherEmail = "", outsiderEmail = ""] = chats.teacherEmails;
  }, 60_000);

  afterAll(async () => {
    await chats?.close();
  });

  const open = (email: string, path: string, width = 1280): Promise<Page> => chats.open(email, path, { width });

  it("lets a coach make a group, add a member and start a thread that the member sees and answers", async () => {
    const coach = await open(coachEmail, "/chats");
    await coach.getByRole("link", { name: "Private groups" }).click();
    await coach.getByRole("heading", { name: "No groups yet" }).waitFor();
    await coach.getByRole("button", { name: "Make a group" }).click();
    await coach.getByLabel("Name").fill("Bayside between chats");
    await coach.getByRole("combobox", { name: /Members/ }).fill("Ana");
    // A name typed but not picked stops the submit on the field, rather than being dropped.
    await coach.getByRole("button", { name: "Make the group" }).click();
    await coach.getByText("“Ana” is not added: pick them from the suggestions, or clear the text.").waitFor();
    expect(await coach.getByRole("combobox", { name: /Members/ }).evaluate((el) => el === document.activeElement)).toBe(true);
    await coach.getByRole("option", { name: "Ana Ruiz" }).click();
    expect(await coach.getByText("is not added").count()).toBe(0);
    await coach.getByRole("list", { name: "Chosen people" }).getByText("Ana Ruiz").waitFor();
    await coach.getByRole("button", { name: "Make the group" }).click();
    await coach.getByRole("heading", { name: "Bayside between chats", level: 1 }).waitFor();
    await coach.getByRole("heading", { name: "No threads yet" }).waitFor();
    await coach.getByLabel("Title").fill("Check-in: how did this week go?");
    await coach.getByLabel("Message").fill("One win, one thing that did not land.");
    await coach.getByRole("button", { name: "Start the thread" }).click();
    await coach.getByRole("heading", { name: "Check-in: how did this week go?", level: 1 }).waitFor();
    const threadUrl = new URL(coach.url()).pathname;

    const teacher = await open(teacherEmail, "/chats/groups");
    await teacher.getByRole("link", { name: "Bayside between chats" }).click();
    await teacher.getByRole("link", { name: "Check-in: how did this week go?" }).click();
    await teacher.getByText("One win, one thing that did not land.").waitFor();
    await teacher.getByLabel("Your reply").fill("Win: exit tickets in Forms.");
    await teacher.getByRole("button", { name: "Post reply" }).click();
    await teacher.getByRole("list", { name: "Messages" }).getByText("Win: exit tickets in Forms.").waitFor();

    // The coach's page refreshes when the tab is back in focus (group messages are not on the hub).
    await coach.reload();
    await coach.getByRole("list", { name: "Messages" }).getByText("Win: exit tickets in Forms.").waitFor();

    const outsider = await open(outsiderEmail, threadUrl);
    await outsider.getByRole("heading", { name: "Not found" }).waitFor();
    const groupId = threadUrl.split("/")[3] ?? "";
    await outsider.goto(`${server.baseUrl}/chats/groups/${groupId}`);
    await outsider.getByRole("heading", { name: "Not found" }).waitFor();
    const groups = await coachApi.get<{ items: TChatGroup[] }>("/api/v1/chats/groups");
    expect(groups.body.items.map((g) => g.members.length)).toEqual([2]);
  });

  it("shows the API's field error next to the settings field, and saves a new schedule", async () => {
    const series = await createSeries(coachApi);
    const page = await open(coachEmail, `/chats/series/${series.id}`);
    await page.getByRole("heading", { name: `${series.name} ${series.hashtag}` }).waitFor();
    await page.getByRole("link", { name: "Chat settings" }).click();
    await page.getByRole("heading", { name: "Chat settings" }).waitFor();
    // The form checks only that a zone is named; the API knows the zones.
    await page.getByLabel("Time zone").fill("Mars/Olympus");
    await page.getByRole("button", { name: "Save settings" }).click();
    const zone = page.getByLabel("Time zone");
    await page.getByText("is not a time zone we know", { exact: false }).waitFor();
    expect(await zone.getAttribute("aria-invalid")).toBe("true");
    expect(await zone.evaluate((el) => el === document.activeElement)).toBe(true);
    await zone.fill("America/Chicago");
    await page.getByLabel("Day").selectOption("TH");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("heading", { name: `${series.name} ${series.hashtag}` }).waitFor();
    const saved = await coachApi.get<{ recurrence: { weekday: string; timeZone: string } }>(`/api/v1/chats/series/${series.id}`);
    expect(saved.body.recurrence).toMatchObject({ weekday: "TH", timeZone: "America/Chicago" });
  });

  it("adds a question to one event, refuses one after the end with the field named, and deletes it", async () => {
    const series = await createSeries(coachApi);
    const [event] = (await coachApi.get<{ items: TChatEventSummary[] }>(`/api/v1/chats/series/${series.id}/events`)).body.items;
    if (!event) throw new Error("no event");
    const page = await open(coachEmail, `/chats/events/${event.id}/questions`, 390);
    await page.getByRole("heading", { name: "Questions", level: 1 }).waitFor();
    await page.getByLabel("Question", { exact: true }).fill("Which routine saves you the most time?");
    await page.getByLabel("Minutes after the start").last().fill("20");
    await page.getByRole("button", { name: "Add the question" }).click();
    await page.getByText("Which routine saves you the most time?").waitFor();
    const after = await coachApi.get<TChatEvent>(`/api/v1/chats/events/${event.id}`);
    expect(after.body.questions.map((q) => [q.label, q.offsetMinutes])).toEqual([["Q1", 5], ["Q2", 12], ["Q3", 20], ["Closing", 25]]);
    // 45 minutes into a 30-minute chat: the API's message lands under the field.
    await page.getByLabel("Question", { exact: true }).fill("Too late");
    await page.getByLabel("Minutes after the start").last().fill("45");
    await page.getByRole("button", { name: "Add the question" }).click();
    await page.locator(".field__error").getByText("would be posted after the chat ends").waitFor();
    await page.getByRole("button", { name: "Delete Q3" }).click();
    await page.getByRole("group", { name: "Delete Q3?" }).getByRole("button", { name: "Delete Q3" }).click();
    await page.getByText("Which routine saves you the most time?").waitFor({ state: "detached" });
    expect((await coachApi.get<TChatEvent>(`/api/v1/chats/events/${event.id}`)).body.questions.length).toBe(3);
  });

  it("has no serious accessibility problems on the new pages, at 1280 and 390 px", { timeout: 120_000 }, async () => {
    const series = await createSeries(coachApi);
    const [event] = (await coachApi.get<{ items: TChatEventSummary[] }>(`/api/v1/chats/series/${series.id}/events`)).body.items;
    const group = await coachApi.post<TChatGroup>("/api/v1/chats/groups", { name: "Axe group", seriesId: series.id, memberIds: [] });
    const thread = await coachApi.post<{ id: string }>(`/api/v1/chats/groups/${group.body.id}/messages`, { title: "A thread", body: "With a link https://example.org" });
    const paths = ["/chats/groups", `/chats/groups/${group.body.id}`, `/chats/groups/${group.body.id}/threads/${thread.body.id}`, `/chats/series/${series.id}/settings`, `/chats/events/${event?.id ?? ""}/questions`];
    const problems: string[] = [];
    for (const width of [1280, 390]) {
      const page = await chats.open(coachEmail, null, { width, isCspBypassed: true });
      for (const p of paths) {
        await page.goto(`${server.baseUrl}${p}`, { waitUntil: "networkidle" });
        await page.locator("h1").first().waitFor();
        await page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"], .spinner:not(.spinner--inline)').length === 0);
        for (const v of await seriousViolations(page)) problems.push(`${p} @${width}px: ${describeViolation(v)}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (overflow > 0) problems.push(`${p} @${width}px: ${overflow}px wider than the screen`);
      }
    }
    expect(problems).toEqual([]);
  });
});
