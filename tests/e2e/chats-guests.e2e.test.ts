/**
 * End to end in two browsers: a community member with no account opens a public series' link, signs
 * up with a name and email, lands in the live room as a guest, answers the question, and the answer
 * (A1, marked as a guest's) appears in the moderator's room in another browser context. The guest's
 * sign-up survives a reload. Waits only for elements and text, never for time.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TChatEvent, TChatEventSummary } from "../../shared/schemas/chats.js";
import { violationsAtWidths } from "../helpers/axe.js";
import { hasChromium } from "../helpers/browser.js";
import { createSeries, runEventNow, startChatsBrowser, type ChatsBrowser, type ChatServer } from "../helpers/chats.js";
import type { ApiClient } from "../helpers/client.js";

describe.skipIf(!hasChromium)("chats e2e: a community guest joins a public series through its page (chromium)", () => {
  let chats: ChatsBrowser;
  let server: ChatServer;
  let coachApi: ApiClient;
  let coachEmail: string;

  beforeAll(async () => {
    chats = await startChatsBrowser({ isWorkerStarted: true });
    ({ server, coachApi, coachEmail } = chats);
  }, 60_000);

  afterAll(async () => {
    await chats?.close();
  });

  const newPage = (email: string | null): Promise<Page> => chats.open(email, null, { timezoneId: "America/Los_Angeles" });
  /** A signed-out page that lets axe-core's script in. */
  const strangerPage = (): Promise<Page> => chats.open(null, null, { isCspBypassed: true });

  it("lets a guest sign up on the public page and answer in the live room; the moderator sees the answer", async () => {
    const series = await createSeries(coachApi, { audience: "public", guideText: "Introduce yourself, then answer with A1, A2." });
    const [event] = (await coachApi.get<{ items: TChatEventSummary[] }>(`/api/v1/chats/series/${series.id}/events`)).body.items;
    if (!event) throw new Error("no event");
    await runEventNow(server.ctx.db, event.id, 1);
    const q1 = (await coachApi.get<TChatEvent>(`/api/v1/chats/events/${event.id}`)).body.questions[0];
    if (!q1) throw new Error("no question");
    expect((await coachApi.post(`/api/v1/chats/questions/${q1.id}/post`)).status).toBe(200);

    const moderator = await newPage(coachEmail);
    await moderator.goto(`${server.baseUrl}/chats/series/${series.id}`);
    // Staff see the shareable link to the public page.
    expect(await moderator.getByLabel("Share this link to invite the community:").inputValue()).toBe(`${server.baseUrl}/chats/public/${series.id}`);
    await moderator.goto(`${server.baseUrl}/chats/events/${event.id}`);
    await moderator.getByRole("status").getByText("Connected").waitFor();

    // No account, no sign-in: the public page shows the series, its next chats in both zones, the guide.
    const guest = await newPage(null);
    await guest.goto(`${server.baseUrl}/chats/public/${series.id}`);
    await guest.getByRole("heading", { name: series.name }).waitFor();
    await guest.getByText("Introduce yourself, then answer with A1, A2.").waitFor();
    await guest.getByText("(the chat's time zone)").first().waitFor();
    expect(guest.url()).not.toContain("/login");
    // A bad address is refused on its field.
    await guest.getByLabel("Your name").fill("Jordan Parent");
    await guest.getByLabel("Email", { exact: true }).fill("jordan-at-example");
    await guest.getByRole("button", { name: "Join the chat" }).click();
    await guest.getByText("Enter a valid email address").waitFor();
    await guest.getByLabel("Email", { exact: true }).fill("jordan@example.com");
    await guest.getByRole("button", { name: "Join the chat" }).click();

    // Straight into the room, live, as a guest.
    await guest.waitForURL(`**/chats/public/${series.id}/events/${event.id}`);
    await guest.getByRole("status").getByText("Connected").waitFor();
    await guest.locator(".chat-post--question").getByText(q1.text).waitFor();
    await guest.getByText("To get reminders, confirm your email").waitFor();
    await guest.getByLabel("Your post").fill("A1 We read together every night");
    await guest.getByRole("button", { name: "Post", exact: true }).click();

    const answer = moderator.locator(".chat-answers .chat-post").filter({ hasText: "A1 We read together every night" });
    await answer.waitFor({ timeout: 15_000 });
    expect(await answer.locator(".chat-badge--guest").count()).toBe(1);
    expect(await answer.getByText("Jordan Parent").count()).toBe(1);

    // The moderator's reply reaches the guest live; the guest likes it.
    await answer.getByRole("button", { name: "Reply" }).click();
    await moderator.getByLabel("Your post").fill("Welcome, Jordan!");
    await moderator.getByRole("button", { name: "Post", exact: true }).click();
    const reply = guest.locator(".chat-thread .chat-post").filter({ hasText: "Welcome, Jordan!" });
    await reply.waitFor({ timeout: 15_000 });
    await reply.getByRole("button", { name: /Like/ }).click();
    await moderator.locator(".chat-thread .chat-post").filter({ hasText: "Welcome, Jordan!" }).getByRole("button", { name: "♥ 1" }).waitFor({ timeout: 15_000 });

    // A reload keeps the guest in the room.
    await guest.reload();
    await guest.getByRole("status").getByText("Connected").waitFor();
    await guest.getByText("A1 We read together every night").waitFor();

    // The join page and the guest's room pass axe (in a copy of the guest's browser state that lets axe's script in).
    const check = await chats.open(null, null, { storageState: await guest.context().storageState(), isCspBypassed: true });
    await check.goto(`${server.baseUrl}/chats/public/${series.id}/events/${event.id}`);
    await check.getByRole("status").getByText("Connected").waitFor();
    await check.getByText("A1 We read together every night").waitFor();
    expect(await violationsAtWidths(check)).toEqual([]);
    await check.goto(`${server.baseUrl}/chats/public/${series.id}`);
    await check.getByText("You are signed up as Jordan Parent").waitFor();
    expect(await violationsAtWidths(check)).toEqual([]);
    const stranger = await strangerPage();
    await stranger.goto(`${server.baseUrl}/chats/public/${series.id}`);
    await stranger.getByRole("button", { name: "Join the chat" }).waitFor();
    expect(await violationsAtWidths(stranger)).toEqual([]);

    // A series that is not public has no public page.
    const staffOnly = await createSeries(coachApi, { audience: "district" });
    await guest.goto(`${server.baseUrl}/chats/public/${staffOnly.id}`);
    await guest.getByRole("heading", { name: "Chat not found" }).waitFor();
  });

  it("shares an ended public chat's transcript: staff copy the link from the archive, anyone opens it from the join page", async () => {
    const series = await createSeries(coachApi, { audience: "public" });
    const [event] = (await coachApi.get<{ items: TChatEventSummary[] }>(`/api/v1/chats/series/${series.id}/events`)).body.items;
    if (!event) throw new Error("no event");
    await runEventNow(server.ctx.db, event.id, 1);
    const q1 = (await coachApi.get<TChatEvent>(`/api/v1/chats/events/${event.id}`)).body.questions[0];
    if (!q1) throw new Error("no question");
    expect((await coachApi.post(`/api/v1/chats/questions/${q1.id}/post`)).status).toBe(200);
    expect((await coachApi.post(`/api/v1/chats/events/${event.id}/posts`, { body: "A1 Start with one routine", questionId: q1.id })).status).toBe(201);
    await runEventNow(server.ctx.db, event.id, 120);

    const moderator = await newPage(coachEmail);
    await moderator.goto(`${server.baseUrl}/chats/events/${event.id}/archive`);
    const link = `${server.baseUrl}/chats/public/${series.id}/events/${event.id}/transcript`;
    expect(await moderator.getByLabel(/Anyone with this link can read the transcript/).inputValue()).toBe(link);

    const stranger = await strangerPage();
    await stranger.goto(`${server.baseUrl}/chats/public/${series.id}`);
    await stranger.getByRole("heading", { name: "Past chats" }).waitFor();
    await stranger.getByRole("link", { name: /^Transcript of / }).click();
    await stranger.waitForURL(link);
    await stranger.getByRole("heading", { name: `${q1.label}: ${q1.text}` }).waitFor();
    await stranger.getByText("A1 Start with one routine").waitFor();
    expect(stranger.url()).not.toContain("/login");
    expect(await violationsAtWidths(stranger)).toEqual([]);
  });
});
