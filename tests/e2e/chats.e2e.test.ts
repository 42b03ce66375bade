/**
 * End to end in two browsers: a moderator and a teacher open the same live room; the moderator's
 * scheduled question is posted by its durable job and appears in the teacher's room; the teacher's
 * answer (A1) appears in the moderator's. Waits only for elements and text, never for time.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TChatEvent, TChatEventSummary } from "../../shared/schemas/chats.js";
import { hasChromium } from "../helpers/browser.js";
import { createSeries, runEventNow, startChatsBrowser, type ChatsBrowser, type ChatServer } from "../helpers/chats.js";
import type { ApiClient } from "../helpers/client.js";

describe.skipIf(!hasChromium)("chats e2e: a question and an answer crossing two browsers (chromium)", () => {
  let chats: ChatsBrowser;
  let server: ChatServer;
  let coachApi: ApiClient;
  let coachEmail: string;
  let teacherEmail: string;

  beforeAll(async () => {
    chats = await startChatsBrowser({ teachers: [["Ana", "Ruiz"]], isWorkerStarted: true });
    ({ server, coachApi, coachEmail } = chats);
    teacherEmail = chats.teacherEmails[0] ?? "";
  }, 60_000);

  afterAll(async () => {
    await chats?.close();
  });

  const open = (email: string, path: string): Promise<Page> => chats.open(email, path);

  it("shows the moderator's scheduled question in the teacher's room, and the teacher's answer in the moderator's", async () => {
    const series = await createSeries(coachApi);
    const [event] = (await coachApi.get<{ items: TChatEventSummary[] }>(`/api/v1/chats/series/${series.id}/events`)).body.items;
    if (!event) throw new Error("no event");
    await runEventNow(server.ctx.db, event.id, 1);
    const q1 = (await coachApi.get<TChatEvent>(`/api/v1/chats/events/${event.id}`)).body.questions[0];
    if (!q1) throw new Error("no question");
    const moderator = await open(coachEmail, `/chats/events/${event.id}`);
    const teacher = await open(teacherEmail, `/chats/events/${event.id}`);
    await moderator.getByRole("status").getByText("Connected").waitFor();
    await teacher.getByRole("status").getByText("Connected").waitFor();
    // Q1's time comes (the clock moved for the test): its durable job posts it.
    const soon = new Date(Date.now() + 500).toISOString();
    await server.ctx.db.updateTable("chat_questions").set({ post_at: soon }).where("id", "=", q1.id).execute();
    await server.ctx.db
      .updateTable("jobs")
      .set({ run_at: soon, payload: JSON.stringify({ questionId: q1.id, postAt: soon }) })
      .where("kind", "=", "chats.postQuestion")
      .where("dedupe_key", "like", `chatq:${q1.id}:%`)
      .execute();
    await teacher.locator(".chat-post--question").getByText(q1.text).waitFor({ timeout: 15_000 });
    await teacher.getByLabel("Your post").fill("A1 Station rotation with an exit ticket");
    await teacher.getByRole("button", { name: "Post", exact: true }).click();
    await moderator.locator(".chat-answers").getByText("A1 Station rotation with an exit ticket").waitFor({ timeout: 15_000 });
    expect(await moderator.getByText("A1", { exact: true }).count()).toBeGreaterThan(0);
  });
});
