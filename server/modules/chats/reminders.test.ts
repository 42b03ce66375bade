import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TChatEvent, TChatEventSummary, TChatSeries, TGuestSignUp, TGuestVerification } from "../../../shared/schemas/chats.js";
import type { TErrorResponse } from "../../../shared/errors.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn } from "../../../tests/helpers/factories.js";
import { waitFor } from "../../../tests/helpers/wait.js";
import { createSeries, seriesRequest, startChatServers, type ChatServer } from "../../../tests/helpers/chats.js";

// Reminders against a real SMTP server and a real webhook receiver; cross-posts against local
// servers that speak (and check) the Mastodon REST and AT Protocol requests.

type Received = { path: string; headers: IncomingMessage["headers"]; body: string };

async function httpReceiver(handle: (r: Received) => { status: number; json?: unknown }): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const r = { path: req.url ?? "", headers: req.headers, body };
      received.push(r);
      const out = handle(r);
      res.writeHead(out.status, { "content-type": "application/json" });
      res.end(JSON.stringify(out.json ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

/** A mail's text as sent (quoted-printable soft breaks and escapes undone). */
function mailText(raw: string): string {
  return raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

for (const dialect of DIALECTS) {
  describe(`chat reminders and cross-posts (${dialect})`, () => {
    let env: Awaited<ReturnType<typeof startChatServers>>;
    let server: ChatServer;
    let coach: ApiClient;
    let admin: ApiClient;
    let teacherEmail: string;
    const mails: { to: string; subject: string; text: string }[] = [];
    let smtp: SMTPServer;
    let smtpPort = 0;

    beforeAll(async () => {
      smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ["STARTTLS"],
        onData(stream, session, callback) {
          let data = "";
          stream.on("data", (c: Buffer) => (data += c.toString("utf8")));
          stream.on("end", () => {
            const subject = /^Subject: (.*)$/m.exec(data)?.[1] ?? "";
            for (const r of session.envelope.rcptTo) mails.push({ to: r.address, subject, text: mailText(data) });
            callback();
          });
        },
      });
      await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve()));
      smtpPort = (smtp.server.address() as AddressInfo).port;
      env = await startChatServers(dialect, 1, { smtpUrl: `smtp://127.0.0.1:${smtpPort}` });
      server = env.servers[0] as ChatServer;
      ({ admin } = await setUpDistrict(server));
      // The receivers below are on 127.0.0.1: the district allows private addresses for chat webhooks,
      // as it would for an in-house SMS gateway (the guard itself is tested with it off).
      expect((await admin.patch("/api/v1/settings", { allowPrivateChatWebhooks: true })).status).toBe(200);
      const school = await makeSchool(admin, { level: "elementary" });
      const c = await makePerson(admin, { roles: [{ role: "coach", schoolId: school.id }] });
      const t = await makePerson(admin, { roles: [{ role: "teacher", schoolId: school.id }] });
      teacherEmail = t.email;
      coach = await signedIn(server as never, c.email);
    }, 60_000);
    afterAll(async () => {
      await env.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    });

    it("sends the day-of reminder by email and signed webhook once, across a restart and two workers", async () => {
      const hook = await httpReceiver(() => ({ status: 200 }));
      const secret = "shared-secret-for-hmac-1234";
      const series = await createSeries(coach, { audience: "public", webhooks: [{ label: "SMS gateway", url: `${hook.url}/remind`, secret }] });
      const [event] = (await coach.get<{ items: TChatEventSummary[] }>(`/api/v1/chats/series/${series.id}/events`)).body.items;
      if (!event) throw new Error("no event");
      // A guest who wants reminders and has verified the address.
      await fetch(`${server.baseUrl}/api/v1/chats/public/series/${series.id}/guests`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Pat", email: "pat@example.com" }) });
      const verifyMail = await server.ctx.db.selectFrom("outbox").select("body_text").where("to_address", "=", "pat@example.com").executeTakeFirstOrThrow();
      const patToken = /token=([\w%-]+)/.exec(verifyMail.body_text)?.[1] ?? "";
      expect((await verify(decodeURIComponent(patToken))).status).toBe(200);
      const job = await server.ctx.db.selectFrom("jobs").selectAll().where("dedupe_key", "=", `chatremind:${event.id}:day_of`).executeTakeFirstOrThrow();
      // 9:00 Eastern on the event's (local) day.
      expect(Number(new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", hour: "numeric", hour12: false }).format(new Date(job.run_at)))).toBe(9);
      // The day comes while no worker runs (the server was down): the job waits in the database.
      await server.ctx.db.updateTable("jobs").set({ run_at: new Date(Date.now() - 60_000).toISOString() }).where("id", "=", job.id).execute();
      const first = env.startWorker(0);
      const second = env.startWorker(0);
      await waitFor("the email", () => mails.some((m) => m.to === "pat@example.com"), 15_000);
      await waitFor("the webhook", () => hook.received.length > 0, 15_000);
      await first.stop(); // a restart: the jobs are done and stay done
      await second.stop();
      // Run the reminder again as a crash after the work would: nothing is sent twice.
      await server.ctx.db.updateTable("jobs").set({ status: "pending", run_at: new Date().toISOString(), attempts: 0 }).where("id", "=", job.id).execute();
      const third = env.startWorker(0);
      await waitFor("the rerun to finish", async () => (await server.ctx.db.selectFrom("jobs").select("status").where("id", "=", job.id).executeTakeFirst())?.status === "done", 15_000);
      await third.stop();
      const patReminders = mails.filter((m) => m.to === "pat@example.com" && m.subject.startsWith("Today:"));
      expect(patReminders).toHaveLength(1);
      expect(patReminders[0]?.subject).toContain("#iiCHAT");
      // A guest's reminder links to the public series' room, which their sign-up opens.
      expect(patReminders[0]?.text).toContain(`/chats/public/${series.id}/events/${event.id}`);
      expect(hook.received).toHaveLength(1);
      const delivery = hook.received[0];
      if (!delivery) throw new Error("no delivery");
      const expected = `sha256=${createHmac("sha256", secret).update(`${String(delivery.headers["x-coachwork-timestamp"])}.${delivery.body}`).digest("hex")}`;
      expect(delivery.headers["x-coachwork-signature"]).toBe(expected);
      expect(JSON.parse(delivery.body)).toMatchObject({ type: "chat.reminder", kind: "day_of", series: { hashtag: "#iiCHAT" } });
      void teacherEmail;
      hook.server.close();
    });

    const verify = (token: string) =>
      fetch(`${server.baseUrl}/api/v1/chats/public/guests/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) });
    const signUp = async (seriesId: string, name: string, email: string) => {
      const res = await fetch(`${server.baseUrl}/api/v1/chats/public/series/${seriesId}/guests`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name, email }) });
      expect(res.status).toBe(201);
      return (await res.json()) as TGuestSignUp;
    };
    /** Makes a job due now and waits until a running worker has done it. */
    const runJob = async (dedupeKey: string) => {
      await server.ctx.db.updateTable("jobs").set({ run_at: new Date(Date.now() - 1000).toISOString() }).where("dedupe_key", "=", dedupeKey).execute();
      await waitFor(`${dedupeKey} to be done`, async () => (await server.ctx.db.selectFrom("jobs").select("status").where("dedupe_key", "=", dedupeKey).executeTakeFirst())?.status === "done", 20_000);
    };

    it("reminds a guest only once they have followed the verification link (single use, expiring, re-sends rate-limited)", async () => {
      const series = await createSeries(coach, { audience: "public" });
      const [event] = (await coach.get<{ items: TChatEventSummary[] }>(`/api/v1/chats/series/${series.id}/events`)).body.items;
      if (!event) throw new Error("no event");
      const lee = await signUp(series.id, "Lee Community", "lee@example.com");
      expect(lee.emailVerified).toBe(false);
      // The guest takes part at once, verified or not.
      await server.ctx.db.updateTable("chat_events").set({ starts_at: new Date(Date.now() + 10 * 60_000).toISOString() }).where("id", "=", event.id).execute();
      const posted = await fetch(`${server.baseUrl}/api/v1/chats/events/${event.id}/posts`, { method: "POST", headers: { "content-type": "application/json", "x-chat-guest": lee.token }, body: JSON.stringify({ body: "Hello from Lee" }) });
      expect(posted.status).toBe(201);
      // Asking for another link at once is refused; so is a second sign-up's mail (no mail bombing).
      const again = await fetch(`${server.baseUrl}/api/v1/chats/public/guests/verification`, { method: "POST", headers: { "x-chat-guest": lee.token } });
      expect(again.status).toBe(429);
      const lee2 = await signUp(series.id, "Lee Community", "lee@example.com");
      expect((await server.ctx.db.selectFrom("outbox").select("id").where("to_address", "=", "lee@example.com").execute()).length).toBe(1);

      // The day-of reminder: Lee has not verified, so no reminder (the verification mail goes out through SMTP).
      const worker = env.startWorker(0);
      await runJob(`chatremind:${event.id}:day_of`);
      const confirm = await waitFor("the verification email", () => mails.find((m) => m.to === "lee@example.com" && m.subject.startsWith("Confirm your email")), 15_000);
      expect(mails.filter((m) => m.to === "lee@example.com" && !m.subject.startsWith("Confirm"))).toHaveLength(0);
      const link = /https?:\/\/\S+\/chats\/public\/verify\?token=(\S+)/.exec(confirm.text);
      expect(link, confirm.text).not.toBeNull();
      const token = decodeURIComponent(link?.[1] ?? "");
      // Stored hashed: the token itself is nowhere in the database.
      const row = await server.ctx.db.selectFrom("chat_participants").selectAll().where("id", "=", lee.participantId).executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(token);

      // Wrong and expired links are clear outcomes; the right one works once, then says so.
      expect((await verify("cwv_not-a-real-token-at-all")).status).toBe(404);
      await server.ctx.db.updateTable("chat_participants").set({ verify_expires_at: new Date(Date.now() - 1000).toISOString() }).where("id", "=", lee.participantId).execute();
      const expired = await verify(token);
      expect(expired.status).toBe(410);
      expect(((await expired.json()) as TErrorResponse).error.message).toMatch(/expired/);
      await server.ctx.db.updateTable("chat_participants").set({ verify_expires_at: row.verify_expires_at }).where("id", "=", lee.participantId).execute();
      const first = await verify(token);
      expect(first.status).toBe(200);
      expect(await first.json()).toMatchObject({ outcome: "verified", seriesId: series.id, name: "Lee Community" } satisfies Partial<TGuestVerification>);
      const second = await verify(token);
      expect(second.status).toBe(200);
      expect(((await second.json()) as TGuestVerification).outcome).toBe("already_verified");
      const resend = await fetch(`${server.baseUrl}/api/v1/chats/public/guests/verification`, { method: "POST", headers: { "x-chat-guest": lee2.token } });
      expect(await resend.json()).toEqual({ emailVerified: true, sent: false });

      // The "starting soon" reminder now reaches Lee.
      await runJob(`chatremind:${event.id}:soon`);
      await waitFor("Lee's reminder", () => mails.find((m) => m.to === "lee@example.com" && m.subject.startsWith("Starting in")), 15_000);
      await worker.stop();
    });

    it("refuses webhooks and cross-posting servers on private addresses, when saved and when sent, unless the district allows them", async () => {
      const hook = await httpReceiver(() => ({ status: 200 }));
      const port = new URL(hook.url).port;
      expect((await admin.patch("/api/v1/settings", { allowPrivateChatWebhooks: false })).status).toBe(200);
      try {
        // At save time: a 400 naming the field, for literal addresses and a name that resolves to loopback.
        for (const url of ["http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data", `http://[::ffff:127.0.0.1]:${port}/hook`, `http://localhost:${port}/hook`, "http://100.64.0.1/", "http://[fe80::1]/", "http://0.0.0.0/"]) {
          const res = await coach.post<TErrorResponse>("/api/v1/chats/series", seriesRequest({ webhooks: [{ label: "Gateway", url }] }));
          expect(res.status, url).toBe(400);
          expect(JSON.stringify(res.body.error.details), url).toContain("body.webhooks.0.url");
          expect(res.body.error.message, url).toMatch(/private, loopback or link-local/);
        }
        const masto = await coach.post<TErrorResponse>("/api/v1/chats/series", seriesRequest({ crosspost: { mastodon: { instanceUrl: "http://192.168.1.10", accessToken: "t" } } }));
        expect(masto.status).toBe(400);
        expect(JSON.stringify(masto.body.error.details)).toContain("body.crosspost.mastodon.instanceUrl");
        const bsky = await coach.post<TErrorResponse>("/api/v1/chats/series", seriesRequest({ crosspost: { bluesky: { service: "http://[::1]:2583", identifier: "x", appPassword: "p" } } }));
        expect(JSON.stringify(bsky.body.error.details)).toContain("body.crosspost.bluesky.service");
        const existing = await createSeries(coach);
        const patch = await coach.patch<TErrorResponse>(`/api/v1/chats/series/${existing.id}`, { webhooks: [{ label: "A", url: "https://example.org/ok" }, { label: "B", url: "http://10.1.2.3/" }] });
        expect(patch.status).toBe(400);
        expect(JSON.stringify(patch.body.error.details)).toContain("body.webhooks.1.url");

        // At send time: addresses saved while allowed (or a name that later resolves privately) are refused
        // when connecting; the failure shows as before (the webhook job fails, the cross-post is marked
        // failed for the moderators) and the chat goes on.
        expect((await admin.patch("/api/v1/settings", { allowPrivateChatWebhooks: true })).status).toBe(200);
        const series = await createSeries(coach, {
          webhooks: [{ label: "Gateway", url: `http://localhost:${port}/remind` }],
          crosspost: { mastodon: { instanceUrl: `http://localhost:${port}`, accessToken: "masto-token" } },
        });
        expect((await admin.patch("/api/v1/settings", { allowPrivateChatWebhooks: false })).status).toBe(200);
        const [event] = (await coach.get<{ items: TChatEventSummary[] }>(`/api/v1/chats/series/${series.id}/events`)).body.items;
        if (!event) throw new Error("no event");
        const worker = env.startWorker(0);
        await server.ctx.db.updateTable("jobs").set({ run_at: new Date(Date.now() - 1000).toISOString() }).where("dedupe_key", "=", `chatremind:${event.id}:day_of`).execute();
        const webhookJob = await waitFor("the refused webhook", async () => {
          const row = await server.ctx.db.selectFrom("jobs").selectAll().where("dedupe_key", "=", `chatwh:${event.id}:day_of:${series.webhooks[0]?.id ?? ""}`).executeTakeFirst();
          return row?.last_error ? row : undefined;
        }, 20_000);
        expect(webhookJob.last_error).toMatch(/localhost is at (127\.0\.0\.1|::1), a private, loopback or link-local address/);
        const q1 = (await coach.get<TChatEvent>(`/api/v1/chats/events/${event.id}`)).body.questions[0];
        expect((await coach.post(`/api/v1/chats/questions/${q1?.id}/post`)).status).toBe(200);
        const failed = await waitFor("the cross-post failure", async () => (await coach.get<TChatEvent>(`/api/v1/chats/events/${event.id}`)).body.crossposts.find((c) => c.status === "failed"), 20_000);
        expect(failed.error).toMatch(/private, loopback or link-local/);
        await worker.stop();
        expect(hook.received).toHaveLength(0);
        expect((await coach.get<{ posts: { label: string | null }[] }>(`/api/v1/chats/events/${event.id}/changes?after=0`)).body.posts.map((p) => p.label)).toContain("Q1");
      } finally {
        await admin.patch("/api/v1/settings", { allowPrivateChatWebhooks: true });
        hook.server.close();
      }
    });

    it("follows no redirect from a webhook, even to an allowed address", async () => {
      const target = await httpReceiver(() => ({ status: 200 }));
      const redirector = createServer((_req, res) => {
        res.writeHead(302, { location: `${target.url}/stolen` });
        res.end();
      });
      await new Promise<void>((resolve) => redirector.listen(0, "127.0.0.1", resolve));
      const series = await createSeries(coach, { webhooks: [{ label: "Gateway", url: `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/hook` }] });
      const [event] = (await coach.get<{ items: TChatEventSummary[] }>(`/api/v1/chats/series/${series.id}/events`)).body.items;
      if (!event) throw new Error("no event");
      const worker = env.startWorker(0);
      await server.ctx.db.updateTable("jobs").set({ run_at: new Date(Date.now() - 1000).toISOString() }).where("dedupe_key", "=", `chatremind:${event.id}:day_of`).execute();
      const job = await waitFor("the redirected webhook", async () => {
        const row = await server.ctx.db.selectFrom("jobs").selectAll().where("dedupe_key", "=", `chatwh:${event.id}:day_of:${series.webhooks[0]?.id ?? ""}`).executeTakeFirst();
        return row?.last_error ? row : undefined;
      }, 20_000);
      await worker.stop();
      expect(job.last_error).toMatch(/answered 302/);
      expect(target.received).toHaveLength(0);
      redirector.close();
      target.server.close();
    });

    it("serves an iCal feed of the series' events at its secret address", async () => {
      const series = await createSeries(coach);
      const res = await fetch(`${server.baseUrl}${series.calendarUrl ?? ""}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/calendar");
      const ics = await res.text();
      expect(ics).toContain("BEGIN:VCALENDAR");
      expect((ics.match(/BEGIN:VEVENT/g) ?? []).length).toBe(8);
      // Each event at its instant: 9:00 pm Eastern is 01:00Z or 02:00Z.
      const starts = [...ics.matchAll(/DTSTART:(\d{8}T\d{6}Z)/g)].map((m) => m[1] ?? "");
      expect(starts).toHaveLength(8);
      for (const s of starts) expect(s).toMatch(/T0[12]0000Z$/);
      expect((await fetch(`${server.baseUrl}/api/v1/chats/calendar/not-a-token.ics`)).status).toBe(404);
    });

    it("cross-posts questions to Mastodon and Bluesky with the hashtag, and shows a failure to moderators without stopping the chat", async () => {
      const mastodon = await httpReceiver((r) => {
        if (r.path === "/api/v1/statuses" && r.headers.authorization === "Bearer masto-token" && r.headers["idempotency-key"]) {
          const body = JSON.parse(r.body) as { status?: string };
          if (body.status?.includes("#iiCHAT")) return { status: 200, json: { id: "109", content: body.status, visibility: "public" } };
        }
        return { status: 422, json: { error: "Validation failed" } };
      });
      // Tokens shaped like the PDS's (the client reads their expiry) and a real CID.
      const jwt = (payload: object) => `${Buffer.from('{"alg":"HS256"}').toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.sig`;
      const accessJwt = jwt({ exp: Math.floor(Date.now() / 1000) + 3600 });
      const bluesky = await httpReceiver((r) => {
        if (r.path.startsWith("/xrpc/com.atproto.server.createSession")) {
          const body = JSON.parse(r.body) as { identifier: string; password: string };
          if (body.password !== "app-password") return { status: 401, json: { error: "AuthenticationRequired", message: "Invalid identifier or password" } };
          return { status: 200, json: { did: "did:plc:abc", handle: body.identifier, accessJwt, refreshJwt: jwt({ exp: Math.floor(Date.now() / 1000) + 86_400 }), active: true } };
        }
        if (r.path.startsWith("/xrpc/com.atproto.repo.createRecord")) {
          const body = JSON.parse(r.body) as { repo: string; collection: string; record: { text: string; facets?: { index: { byteStart: number; byteEnd: number }; features: { $type: string; tag?: string }[] }[] } };
          const facet = body.record.facets?.find((f) => f.features.some((x) => x.$type === "app.bsky.richtext.facet#tag" && x.tag === "iiCHAT"));
          const bytes = Buffer.from(body.record.text, "utf8");
          const tagged = facet ? bytes.subarray(facet.index.byteStart, facet.index.byteEnd).toString("utf8") : "";
          if (r.headers.authorization === `Bearer ${accessJwt}` && body.collection === "app.bsky.feed.post" && body.repo === "did:plc:abc" && tagged === "#iiCHAT") {
            return { status: 200, json: { uri: "at://did:plc:abc/app.bsky.feed.post/3k", cid: "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm" } };
          }
          return { status: 400, json: { error: "InvalidRequest", message: "bad record" } };
        }
        return { status: 404, json: { error: "NotFound" } };
      });
      const series = await createSeries(coach, {
        crosspost: {
          mastodon: { instanceUrl: mastodon.url, accessToken: "masto-token" },
          bluesky: { service: bluesky.url, identifier: "coach.bsky.social", appPassword: "app-password" },
        },
      });
      const [event] = (await coach.get<{ items: TChatEventSummary[] }>(`/api/v1/chats/series/${series.id}/events`)).body.items;
      if (!event) throw new Error("no event");
      const worker = env.startWorker(0);
      const q1 = (await coach.get<TChatEvent>(`/api/v1/chats/events/${event.id}`)).body.questions[0];
      expect((await coach.post(`/api/v1/chats/questions/${q1?.id}/post`)).status).toBe(200);
      await waitFor("both cross-posts", async () => {
        const e = (await coach.get<TChatEvent>(`/api/v1/chats/events/${event.id}`)).body;
        return e.crossposts.filter((c) => c.status === "posted").length === 2;
      }, 20_000);
      const status = JSON.parse(mastodon.received.find((r) => r.path === "/api/v1/statuses")?.body ?? "{}") as { status: string };
      expect(status.status).toMatch(/^Q1 .* #iiCHAT$/);
      // The Bluesky password changes elsewhere: the next question's cross-post fails, shown to moderators; the room goes on.
      await coach.patch(`/api/v1/chats/series/${series.id}`, { crosspost: { bluesky: { service: bluesky.url, identifier: "coach.bsky.social", appPassword: "wrong" } } });
      const q2 = (await coach.get<TChatEvent>(`/api/v1/chats/events/${event.id}`)).body.questions[1];
      expect((await coach.post(`/api/v1/chats/questions/${q2?.id}/post`)).status).toBe(200);
      const failed = await waitFor("the failure", async () => {
        const e = (await coach.get<TChatEvent>(`/api/v1/chats/events/${event.id}`)).body;
        return e.crossposts.find((c) => c.questionId === q2?.id && c.network === "bluesky" && c.status === "failed");
      }, 20_000);
      expect(failed.error).toMatch(/Invalid identifier or password/);
      const changes = await coach.get<{ posts: { label: string | null }[] }>(`/api/v1/chats/events/${event.id}/changes?after=0`);
      expect(changes.body.posts.map((p) => p.label)).toEqual(["Q1", "Q2"]);
      await worker.stop();
      mastodon.server.close();
      bluesky.server.close();
      void ({} as TChatSeries);
    });
  });
}
