import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TChatEvent, TChatEventSummary, TChatPost, TChatSeries, TRoomChanges, TTranscript, TChatAnalytics, TChatGroup, TGroupMessage, TPublicSeries } from "../../../shared/schemas/chats.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn } from "../../../tests/helpers/factories.js";
import { waitFor } from "../../../tests/helpers/wait.js";
import { createSeries, runEventNow, startChatServers, wsConnect, type ChatServer } from "../../../tests/helpers/chats.js";

for (const dialect of DIALECTS) {
  describe(`chats (${dialect})`, () => {
    let env: Awaited<ReturnType<typeof startChatServers>>;
    let server: ChatServer;
    let admin: ApiClient;
    let coach: ApiClient;
    let coModerator: ApiClient;
    let teacher: ApiClient;
    let middleTeacher: ApiClient;
    let coModeratorId: string;
    let schools: { elementary: string; middle: string };

    beforeAll(async () => {
      env = await startChatServers(dialect, 1);
      server = env.servers[0] as ChatServer;
      ({ admin } = await setUpDistrict(server));
      schools = { elementary: (await makeSchool(admin, { level: "elementary" })).id, middle: (await makeSchool(admin, { level: "middle" })).id };
      const c = await makePerson(admin, { roles: [{ role: "coach", schoolId: schools.elementary }] });
      const co = await makePerson(admin, { roles: [{ role: "teacher", schoolId: schools.elementary }] });
      const t = await makePerson(admin, { roles: [{ role: "teacher", schoolId: schools.elementary }] });
      const m = await makePerson(admin, { roles: [{ role: "teacher", schoolId: schools.middle }] });
      coModeratorId = co.person.id;
      coach = await signedIn(server as never, c.email);
      coModerator = await signedIn(server as never, co.email);
      teacher = await signedIn(server as never, t.email);
      middleTeacher = await signedIn(server as never, m.email);
    }, 60_000);
    afterAll(async () => env.close());

    async function upcoming(client: ApiClient, seriesId: string): Promise<TChatEventSummary[]> {
      const res = await client.get<{ items: TChatEventSummary[] }>(`/api/v1/chats/series/${seriesId}/events`);
      expect(res.status).toBe(200);
      return res.body.items;
    }

    it("schedules a weekly Wednesday 9:00 pm Eastern series as events at the right instants, the coach as moderator", async () => {
      const series = await createSeries(coach, { coModeratorIds: [coModeratorId] });
      expect(series.hashtag).toBe("#iiCHAT");
      expect(series.rrule).toContain("DTSTART;TZID=America/New_York");
      expect(series.moderators.map((m) => m.role)).toEqual(["moderator", "co_moderator"]);
      const events = await upcoming(coach, series.id);
      expect(events.length).toBe(8);
      for (const e of events) {
        // 21:00 in New York is 01:00Z (EDT) or 02:00Z (EST) on the Thursday.
        const local = new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", weekday: "short", hour: "numeric", minute: "2-digit", hour12: false }).format(new Date(e.startsAt));
        expect(local).toBe("Wed 21:00");
        expect(Date.parse(e.endsAt) - Date.parse(e.startsAt)).toBe(30 * 60_000);
      }
      const event = await coach.get<TChatEvent>(`/api/v1/chats/events/${events[0]?.id}`);
      expect(event.body.questions.map((q) => [q.label, q.offsetMinutes])).toEqual([["Q1", 5], ["Q2", 12], ["Closing", 25]]);
      // Asking again does not schedule the same events twice.
      expect((await upcoming(coach, series.id)).map((e) => e.id)).toEqual(events.map((e) => e.id));
    });

    it("refuses hosting to teachers and bad input with the field named", async () => {
      expect((await teacher.post("/api/v1/chats/series", {})).status).toBe(400);
      const refused = await teacher.post("/api/v1/chats/series", (await import("../../../tests/helpers/chats.js")).seriesRequest());
      expect(refused.status).toBe(403);
      const badZone = await coach.post<{ error: { details: { issues: { path: string }[] } } }>("/api/v1/chats/series", {
        ...(await import("../../../tests/helpers/chats.js")).seriesRequest(),
        recurrence: { frequency: "weekly", weekday: "WE", startTime: "21:00", timeZone: "Mars/Olympus", startsOn: "2026-01-01" },
      });
      expect(badZone.status).toBe(400);
      expect(badZone.text).toContain("body.recurrence.timeZone");
      const noSchools = await coach.post("/api/v1/chats/series", { ...(await import("../../../tests/helpers/chats.js")).seriesRequest(), audience: "schools" });
      expect(noSchools.status).toBe(400);
      expect(noSchools.text).toContain("body.audienceSchoolIds");
    });

    it("keeps cross-posting tokens and webhook secrets write-only", async () => {
      const series = await createSeries(coach, {
        crosspost: { mastodon: { instanceUrl: "https://mastodon.example", accessToken: "secret-mastodon-token" } },
        webhooks: [{ label: "Remind", url: "https://hooks.example/remind", secret: "a-webhook-secret-of-length" }],
      });
      const text = JSON.stringify(series);
      expect(text).not.toContain("secret-mastodon-token");
      expect(text).not.toContain("a-webhook-secret-of-length");
      expect(series.crosspost.mastodon).toEqual({ instanceUrl: "https://mastodon.example", hasToken: true });
      expect(series.webhooks[0]?.hasSecret).toBe(true);
      const stored = await server.ctx.db.selectFrom("chat_series").select(["crosspost", "webhooks"]).where("id", "=", series.id).executeTakeFirstOrThrow();
      expect(stored.crosspost + stored.webhooks).not.toContain("secret-mastodon-token");
    });

    it("edits questions until they are posted, refuses a time already past, and posts one now by hand", async () => {
      const series = await createSeries(coach, { audience: "public", coModeratorIds: [coModeratorId] });
      const [event] = await upcoming(coach, series.id);
      if (!event) throw new Error("no event");
      await runEventNow(server.ctx.db, event.id, 10);
      const past = await coach.post(`/api/v1/chats/events/${event.id}/questions`, { text: "Too late?", offsetMinutes: 5 });
      expect(past.status).toBe(400);
      expect(past.text).toContain("body.offsetMinutes");
      expect(past.text).toContain("already passed");
      const details = await coach.get<TChatEvent>(`/api/v1/chats/events/${event.id}`);
      const q1 = details.body.questions[0];
      if (!q1) throw new Error("no question");
      expect((await coModerator.patch(`/api/v1/chats/questions/${q1.id}`, { text: "Edited Q1" })).status).toBe(200);
      expect((await teacher.patch(`/api/v1/chats/questions/${q1.id}`, { text: "Mine now" })).status).toBe(403);
      const posted = await coModerator.post<{ postId: string }>(`/api/v1/chats/questions/${q1.id}/post`);
      expect(posted.status).toBe(200);
      const again = await coach.patch(`/api/v1/chats/questions/${q1.id}`, { text: "Too late to edit" });
      expect(again.status).toBe(409);
      const changes = await teacher.get<TRoomChanges>(`/api/v1/chats/events/${event.id}/changes?after=0`);
      expect(changes.body.posts.map((p) => [p.kind, p.label, p.body])).toEqual([["question", "Q1", "Edited Q1"]]);
    });

    it("posts a scheduled question from its durable job, once, even with two workers", async () => {
      const series = await createSeries(coach);
      const [event] = await upcoming(coach, series.id);
      if (!event) throw new Error("no event");
      await runEventNow(server.ctx.db, event.id, 1);
      const q = (await coach.get<TChatEvent>(`/api/v1/chats/events/${event.id}`)).body.questions[1];
      if (!q) throw new Error("no question");
      const edited = await coach.patch<{ postAt: string }>(`/api/v1/chats/questions/${q.id}`, { offsetMinutes: 6 });
      expect(edited.status).toBe(200);
      const job = await server.ctx.db.selectFrom("jobs").selectAll().where("dedupe_key", "=", `chatq:${q.id}:${edited.body.postAt}`).executeTakeFirstOrThrow();
      expect(Date.parse(job.run_at)).toBe(Date.parse(edited.body.postAt));
      // The clock, moved: the question and its job fall due now.
      const soon = new Date(Date.now() + 300).toISOString();
      await server.ctx.db.updateTable("chat_questions").set({ post_at: soon }).where("id", "=", q.id).execute();
      await server.ctx.db.updateTable("jobs").set({ run_at: soon, payload: JSON.stringify({ questionId: q.id, postAt: soon }) }).where("id", "=", job.id).execute();
      const ws = await wsConnect(server, teacher.cookie ?? "");
      ws.send({ type: "subscribe", topic: `chat:${event.id}` });
      await ws.next("subscribed", (m) => m.type === "subscribed");
      const w1 = env.startWorker(0);
      const w2 = env.startWorker(0);
      const arrived = await ws.next("the question", (m) => m.type === "event" && m.event.type === "post" && m.event.post.kind === "question");
      expect(arrived.type === "event" && arrived.event.type === "post" ? arrived.event.post.label : null).toBe("Q2");
      await w1.stop();
      await w2.stop();
      const posts = await server.ctx.db.selectFrom("chat_posts").select("id").where("question_id", "=", q.id).execute();
      expect(posts).toHaveLength(1);
      await ws.close();
    });

    it("threads answers A1 under Q1 with replies and likes, renders HTML as text, and limits length and flooding", async () => {
      const series = await createSeries(coach);
      const [event] = await upcoming(coach, series.id);
      if (!event) throw new Error("no event");
      await runEventNow(server.ctx.db, event.id, 1);
      const q1 = (await coach.get<TChatEvent>(`/api/v1/chats/events/${event.id}`)).body.questions[0];
      if (!q1) throw new Error("no question");
      const early = await teacher.post(`/api/v1/chats/events/${event.id}/posts`, { body: "A1 early", questionId: q1.id });
      expect(early.status).toBe(400);
      expect(early.text).toContain("has not been asked yet");
      await coach.post(`/api/v1/chats/questions/${q1.id}/post`);
      const html = '<script>alert(1)</script> see https://example.org/x?a=1 and javascript:alert(1)';
      const a1 = await teacher.post<TChatPost>(`/api/v1/chats/events/${event.id}/posts`, { body: html, questionId: q1.id, clientRef: "client-ref-0001" });
      expect(a1.status).toBe(201);
      expect(a1.body.label).toBe("A1");
      expect(a1.body.body).toBe(html); // stored and returned as plain text; the client renders text
      const repeat = await teacher.post<TChatPost>(`/api/v1/chats/events/${event.id}/posts`, { body: html, questionId: q1.id, clientRef: "client-ref-0001" });
      expect(repeat.status).toBe(200);
      expect(repeat.body.id).toBe(a1.body.id);
      const reply = await middleTeacher.post<TChatPost>(`/api/v1/chats/events/${event.id}/posts`, { body: "Love this", parentId: a1.body.id });
      expect([reply.status, reply.body.kind, reply.body.questionId]).toEqual([201, "reply", q1.id]);
      expect((await middleTeacher.post<TChatPost>(`/api/v1/chats/posts/${a1.body.id}/like`)).body.likeCount).toBe(1);
      expect((await middleTeacher.post<TChatPost>(`/api/v1/chats/posts/${a1.body.id}/like`)).body.likeCount).toBe(1);
      const long = await teacher.post(`/api/v1/chats/events/${event.id}/posts`, { body: "x".repeat(561) });
      expect(long.status).toBe(400);
      expect(long.text).toContain("body.body");
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await teacher.post(`/api/v1/chats/events/${event.id}/posts`, { body: `flood ${i}` })).status);
      // 6 posts per 30 s: the answer (its repeat and the refused long one not counted), then 5 of the flood.
      expect(statuses.filter((s) => s === 201).length).toBe(5);
      expect(statuses.at(-1)).toBe(429);
    });

    it("lets moderators hide, remove and mute; a moderator removed mid-event loses those powers at once", async () => {
      const series = await createSeries(coach, { coModeratorIds: [coModeratorId] });
      const [event] = await upcoming(coach, series.id);
      if (!event) throw new Error("no event");
      await runEventNow(server.ctx.db, event.id, 1);
      const post = (await middleTeacher.post<TChatPost>(`/api/v1/chats/events/${event.id}/posts`, { body: "Something unkind" })).body;
      expect((await teacher.post(`/api/v1/chats/posts/${post.id}/moderate`, { action: "hide" })).status).toBe(403);
      expect((await coModerator.post(`/api/v1/chats/posts/${post.id}/moderate`, { action: "hide" })).status).toBe(200);
      const seen = await teacher.get<TRoomChanges>(`/api/v1/chats/events/${event.id}/changes?after=0`);
      expect(seen.body.posts.find((p) => p.id === post.id)).toMatchObject({ status: "hidden", body: "" });
      const modView = await coModerator.get<TRoomChanges>(`/api/v1/chats/events/${event.id}/changes?after=0`);
      expect(modView.body.posts.find((p) => p.id === post.id)?.body).toBe("Something unkind");
      const muted = await coModerator.post(`/api/v1/chats/events/${event.id}/mutes`, { participantId: post.author.participantId, isMuted: true });
      expect(muted.status).toBe(200);
      expect((await middleTeacher.post(`/api/v1/chats/events/${event.id}/posts`, { body: "Let me back in" })).status).toBe(403);
      // The coach removes the co-moderator mid-event: their next moderation is refused.
      expect((await coach.patch(`/api/v1/chats/series/${series.id}`, { coModeratorIds: [] })).status).toBe(200);
      expect((await coModerator.post(`/api/v1/chats/posts/${post.id}/moderate`, { action: "remove" })).status).toBe(403);
      expect((await coach.post(`/api/v1/chats/posts/${post.id}/moderate`, { action: "remove" })).status).toBe(200);
      const gone = await teacher.get<TRoomChanges>(`/api/v1/chats/events/${event.id}/changes?after=0`);
      expect(gone.body.posts.find((p) => p.id === post.id)).toMatchObject({ status: "removed", body: "" });
    });

    it("signs up community guests for public series only; a guest posts with its token and follows the room", async () => {
      const district = await createSeries(coach);
      expect((await fetch(`${server.baseUrl}/api/v1/chats/public/series/${district.id}/guests`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Pat", email: "pat@example.com" }) })).status).toBe(404);
      const series = await createSeries(coach, { audience: "public" });
      const [event] = await upcoming(coach, series.id);
      if (!event) throw new Error("no event");
      await runEventNow(server.ctx.db, event.id, 1);
      const signUp = await fetch(`${server.baseUrl}/api/v1/chats/public/series/${series.id}/guests`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Pat Guest", email: "Pat@Example.com" }) });
      expect(signUp.status).toBe(201);
      const guest = (await signUp.json()) as { token: string; participantId: string };
      const cookie = /cw_chat_guest=([^;]+)/.exec(signUp.headers.get("set-cookie") ?? "")?.[1];
      expect(cookie).toBe(guest.token);
      expect(signUp.headers.get("set-cookie")).toMatch(/HttpOnly/i);
      const noToken = await fetch(`${server.baseUrl}/api/v1/chats/events/${event.id}/posts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ body: "hi" }) });
      expect(noToken.status).toBe(401);
      const ws = await wsConnect(server, `cw_chat_guest=${guest.token}`);
      ws.send({ type: "subscribe", topic: `chat:${district.id}` });
      await ws.next("refused", (m) => m.type === "error");
      ws.send({ type: "subscribe", topic: `chat:${event.id}` });
      await ws.next("subscribed", (m) => m.type === "subscribed");
      const posted = await fetch(`${server.baseUrl}/api/v1/chats/events/${event.id}/posts`, { method: "POST", headers: { "content-type": "application/json", "x-chat-guest": guest.token }, body: JSON.stringify({ body: "Hello from outside the district" }) });
      expect(posted.status).toBe(201);
      const mine = (await posted.json()) as TChatPost;
      expect(mine.author).toMatchObject({ name: "Pat Guest", isGuest: true });
      await ws.next("own post", (m) => m.type === "event" && m.event.type === "post" && m.event.post.id === mine.id);
      // The guest token opens nothing else.
      expect((await fetch(`${server.baseUrl}/api/v1/chats/series`, { headers: { "x-chat-guest": guest.token } })).status).toBe(401);
      await ws.close();
    });

    it("resumes a reconnecting client from its last number: nothing lost, nothing twice", async () => {
      const series = await createSeries(coach);
      const [event] = await upcoming(coach, series.id);
      if (!event) throw new Error("no event");
      await runEventNow(server.ctx.db, event.id, 1);
      const seen = new Map<number, string>();
      let last = 0;
      const take = (posts: TChatPost[]) => {
        for (const p of posts) {
          expect(seen.has(p.changedSeq)).toBe(false);
          seen.set(p.changedSeq, p.id);
          last = Math.max(last, p.changedSeq);
        }
      };
      const ws = await wsConnect(server, middleTeacher.cookie ?? "");
      ws.send({ type: "subscribe", topic: `chat:${event.id}` });
      await ws.next("subscribed", (m) => m.type === "subscribed");
      take((await middleTeacher.get<TRoomChanges>(`/api/v1/chats/events/${event.id}/changes?after=0`)).body.posts);
      for (let i = 0; i < 3; i++) await coach.post(`/api/v1/chats/events/${event.id}/posts`, { body: `before ${i}` });
      await waitFor("three events", () => ws.messages.filter((m) => m.type === "event").length >= 3);
      take(ws.messages.flatMap((m) => (m.type === "event" && m.event.type === "post" ? [m.event.post] : [])));
      await ws.close(); // the connection drops
      for (let i = 0; i < 4; i++) await coach.post(`/api/v1/chats/events/${event.id}/posts`, { body: `while away ${i}` });
      const back = await wsConnect(server, middleTeacher.cookie ?? "");
      back.send({ type: "subscribe", topic: `chat:${event.id}` });
      await back.next("subscribed", (m) => m.type === "subscribed");
      await coach.post(`/api/v1/chats/events/${event.id}/posts`, { body: "after" });
      take((await middleTeacher.get<TRoomChanges>(`/api/v1/chats/events/${event.id}/changes?after=${last}`)).body.posts);
      const live = await back.next("after", (m) => m.type === "event" && m.event.type === "post" && m.event.post.body === "after");
      if (live.type === "event" && live.event.type === "post" && !seen.has(live.event.post.changedSeq)) take([live.event.post]);
      expect([...seen.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      await back.close();
    });

    it("numbers posts sent at once one after another, broadcasts each as the room reads it back, and a client that reconnects catches up on all", async () => {
      const series = await createSeries(coach);
      const [event] = await upcoming(coach, series.id);
      if (!event) throw new Error("no event");
      await runEventNow(server.ctx.db, event.id, 1);
      const q1 = (await coach.get<TChatEvent>(`/api/v1/chats/events/${event.id}`)).body.questions[0];
      if (!q1) throw new Error("no question");
      await coach.post(`/api/v1/chats/questions/${q1.id}/post`);
      const first = (await teacher.post<TChatPost>(`/api/v1/chats/events/${event.id}/posts`, { body: "my A1", questionId: q1.id })).body;
      const ws = await wsConnect(server, middleTeacher.cookie ?? "");
      ws.send({ type: "subscribe", topic: `chat:${event.id}` });
      await ws.next("subscribed", (m) => m.type === "subscribed");
      const posting = (client: ApiClient, n: number, body: (i: number) => Record<string, string>) =>
        Array.from({ length: n }, (_, i) => client.post<TChatPost>(`/api/v1/chats/events/${event.id}/posts`, { body: `post ${i}`, ...body(i) }));
      // A moderator's comments, another's answers and a third's replies, all in flight together.
      const sent = await Promise.all([
        ...posting(coach, 8, () => ({})),
        ...posting(teacher, 4, () => ({ questionId: q1.id })),
        ...posting(middleTeacher, 4, () => ({ parentId: first.id })),
      ]);
      expect(sent.map((r) => r.status)).toEqual(sent.map(() => 201));
      const seqs = sent.map((r) => r.body.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 16 }, (_, i) => first.seq + 1 + i)); // none taken twice, none skipped
      const broadcast = async () => {
        await waitFor("every post broadcast", () => ws.messages.filter((m) => m.type === "event").length >= 16);
        return ws.messages.flatMap((m) => (m.type === "event" && m.event.type === "post" ? [m.event.post] : []));
      };
      const live = await broadcast();
      await ws.close(); // the connection drops after the burst; three more while away
      await Promise.all(posting(coach, 3, () => ({})));
      const changes = (await middleTeacher.get<TRoomChanges>(`/api/v1/chats/events/${event.id}/changes?after=${Math.max(...live.map((p) => p.changedSeq))}`)).body;
      expect(changes.posts.map((p) => p.seq)).toEqual([first.seq + 17, first.seq + 18, first.seq + 19]);
      // What went out live (presented from the row just written) is what the room reads back later.
      const stored = new Map((await middleTeacher.get<TRoomChanges>(`/api/v1/chats/events/${event.id}/changes?after=0`)).body.posts.map((p) => [p.id, p]));
      for (const post of live) expect(post).toEqual({ ...stored.get(post.id), likedByMe: false });
      expect(live.filter((p) => p.kind === "answer").map((p) => p.label)).toEqual(["A1", "A1", "A1", "A1"]);
      expect(live.filter((p) => p.author.isModerator).length).toBe(8);
      for (const r of sent) expect(r.body).toEqual({ ...stored.get(r.body.id), likedByMe: false });
    });

    it("counts one participant's posts sent at once against the flood limit exactly", async () => {
      const series = await createSeries(coach);
      const [event] = await upcoming(coach, series.id);
      if (!event) throw new Error("no event");
      await runEventNow(server.ctx.db, event.id, 1);
      const statuses = (await Promise.all(Array.from({ length: 9 }, (_, i) => teacher.post(`/api/v1/chats/events/${event.id}/posts`, { body: `at once ${i}` })))).map((r) => r.status);
      expect(statuses.filter((s) => s === 201).length).toBe(6); // 6 posts per 30 s
      expect(statuses.filter((s) => s === 429).length).toBe(3);
      const changes = (await teacher.get<TRoomChanges>(`/api/v1/chats/events/${event.id}/changes?after=0`)).body;
      expect(changes.posts.map((p) => p.seq)).toEqual([1, 2, 3, 4, 5, 6]); // refused posts take no number
    });

    it("archives the transcript grouped by question, as CSV, and counts participation by school level", async () => {
      const series = await createSeries(coach);
      const [event] = await upcoming(coach, series.id);
      if (!event) throw new Error("no event");
      await runEventNow(server.ctx.db, event.id, 1);
      const qs = (await coach.get<TChatEvent>(`/api/v1/chats/events/${event.id}`)).body.questions;
      for (const q of qs.slice(0, 2)) await coach.post(`/api/v1/chats/questions/${q.id}/post`);
      const a = (await teacher.post<TChatPost>(`/api/v1/chats/events/${event.id}/posts`, { body: "=HYPERLINK(\"x\") my answer", questionId: qs[0]?.id })).body;
      await middleTeacher.post(`/api/v1/chats/events/${event.id}/posts`, { body: "middle school answer", questionId: qs[1]?.id });
      await middleTeacher.post(`/api/v1/chats/events/${event.id}/posts`, { body: "a reply", parentId: a.id });
      const t = await teacher.get<TTranscript>(`/api/v1/chats/events/${event.id}/transcript`);
      expect(t.body.questions.map((q) => [q.question.label, q.answers.map((x) => [x.label, x.body, x.replies.length])])).toEqual([
        ["Q1", [["A1", '=HYPERLINK("x") my answer', 1]]],
        ["Q2", [["A2", "middle school answer", 0]]],
      ]);
      const csv = await teacher.get(`/api/v1/chats/events/${event.id}/transcript.csv`);
      expect(csv.status).toBe(200);
      expect(csv.text).toContain("'=HYPERLINK");
      const stats = await coach.get<TChatAnalytics>(`/api/v1/chats/series/${series.id}/analytics`);
      expect(stats.status).toBe(200);
      const row = stats.body.events.find((e) => e.eventId === event.id);
      expect(row).toMatchObject({ participants: 2, newParticipants: 2, returningParticipants: 0, posts: 3, byLevel: { elementary: 1, middle: 1 } });
      expect(row?.postsPerQuestion).toEqual([{ label: "Q1", posts: 2 }, { label: "Q2", posts: 1 }, { label: "Closing", posts: 0 }].slice(0, 2));
      expect(stats.body.byLevel.find((l) => l.level === "middle")?.participants).toBe(1);
      expect((await teacher.get(`/api/v1/chats/series/${series.id}/analytics`)).status).toBe(403);
    });

    it("lists a public series' ended chats on its join page and shares their transcripts without sign-in, a district series' with no one", async () => {
      const series = await createSeries(coach, { audience: "public" });
      const [ended, next] = await upcoming(coach, series.id);
      if (!ended || !next) throw new Error("no events");
      await runEventNow(server.ctx.db, ended.id, 1);
      const [q1] = (await coach.get<TChatEvent>(`/api/v1/chats/events/${ended.id}`)).body.questions;
      if (!q1) throw new Error("no question");
      await coach.post(`/api/v1/chats/questions/${q1.id}/post`);
      await teacher.post(`/api/v1/chats/events/${ended.id}/posts`, { body: "my public answer", questionId: q1.id });
      const anonymous = (path: string) => fetch(`${server.baseUrl}${path}`);
      // While the chat runs, its transcript is not shared yet, and the join page lists nothing past.
      expect((await anonymous(`/api/v1/chats/public/events/${ended.id}/transcript`)).status).toBe(403);
      expect(((await (await anonymous(`/api/v1/chats/public/series/${series.id}`)).json()) as TPublicSeries).past).toEqual([]);
      await runEventNow(server.ctx.db, ended.id, 120);
      const page = (await (await anonymous(`/api/v1/chats/public/series/${series.id}`)).json()) as TPublicSeries;
      expect(page.past.map((e) => e.id)).toEqual([ended.id]);
      expect(page.upcoming.map((e) => e.id)).not.toContain(ended.id);
      const shared = await anonymous(`/api/v1/chats/public/events/${ended.id}/transcript`);
      expect(shared.status).toBe(200);
      const t = (await shared.json()) as TTranscript;
      expect(t.event.publicSeriesId).toBe(series.id);
      expect(t.questions.map((q) => [q.question.label, q.answers.map((a) => a.body)])).toEqual([["Q1", ["my public answer"]]]);
      // Staff see the same link's series id on their archive page; a district series has none and no public transcript.
      expect((await teacher.get<TTranscript>(`/api/v1/chats/events/${ended.id}/transcript`)).body.event.publicSeriesId).toBe(series.id);
      const district = await createSeries(coach);
      const [districtEvent] = await upcoming(coach, district.id);
      if (!districtEvent) throw new Error("no event");
      await runEventNow(server.ctx.db, districtEvent.id, 120);
      expect((await teacher.get<TTranscript>(`/api/v1/chats/events/${districtEvent.id}/transcript`)).body.event.publicSeriesId).toBeNull();
      expect((await anonymous(`/api/v1/chats/public/events/${districtEvent.id}/transcript`)).status).toBe(404);
      expect((await anonymous(`/api/v1/chats/public/series/${district.id}`)).status).toBe(404);
    });

    it("keeps a private group's threads to its members", async () => {
      const series = await createSeries(coach);
      const created = await coach.post<TChatGroup>("/api/v1/chats/groups", { name: "#iiCHAT between chats", seriesId: series.id, memberIds: [] });
      expect(created.status).toBe(201);
      const groupId = created.body.id;
      const thread = await coach.post<TGroupMessage>(`/api/v1/chats/groups/${groupId}/messages`, { title: "Voxer-style check-in", body: "How did this week go?" });
      expect(thread.status).toBe(201);
      expect((await teacher.get(`/api/v1/chats/groups/${groupId}/messages`)).status).toBe(404);
      expect((await teacher.post(`/api/v1/chats/groups/${groupId}/messages`, { body: "let me in", threadId: thread.body.id })).status).toBe(404);
      const me = await teacher.get<{ person: { id: string } }>("/api/v1/me");
      expect((await coach.request("PUT", `/api/v1/chats/groups/${groupId}/members`, { memberIds: [me.body.person.id] })).status).toBe(200);
      expect((await teacher.post(`/api/v1/chats/groups/${groupId}/messages`, { body: "Great week", threadId: thread.body.id })).status).toBe(201);
      const replies = await teacher.get<{ items: TGroupMessage[] }>(`/api/v1/chats/groups/${groupId}/messages?threadId=${thread.body.id}`);
      expect(replies.body.items.map((m) => m.body)).toEqual(["How did this week go?", "Great week"]);
      expect((await teacher.get<{ items: TChatGroup[] }>("/api/v1/chats/groups")).body.items.map((g) => g.id)).toEqual([groupId]);
      void admin;
      void ({} as TChatSeries);
    });
  });
}
