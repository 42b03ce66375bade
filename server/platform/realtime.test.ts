import type { AddressInfo } from "node:net";
import fastifyCookie from "@fastify/cookie";
import Fastify from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { TServerToClientMessage } from "../../shared/realtime.js";
import type { TMe } from "../../shared/schemas/auth.js";
import type { ApiClient } from "../../tests/helpers/client.js";
import { createTestDatabase, DIALECTS, type TestDatabase, type TestDialect } from "../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn } from "../../tests/helpers/factories.js";
import { uploadImport } from "../../tests/helpers/oneroster.js";
import { testConfig, type TestServer } from "../../tests/helpers/server.js";
import { buildApp } from "../app.js";
import { registerAuth } from "../auth/plugin.js";
import { errorHandler, type App } from "../http.js";
import { peopleTopics } from "../modules/people/people.topics.js";
import { migrateToLatest, openDatabase } from "../db/index.js";
import type { Config } from "../env.js";
import { ensureSetupToken } from "../modules/accounts/accounts.service.js";
import { rosteringEvents } from "../modules/rostering/rostering.events.js";
import { eventJobHandlers } from "./events.js";
import { startJobWorker, type JobWorker } from "./jobs.js";
import { registerRealtime, type RealtimeHub } from "./realtime.js";
import { waitFor } from "../../tests/helpers/wait.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

type AppServer = TestServer & { realtime: RealtimeHub; wsUrl: string };

/** Starts `count` app servers on one fresh database, as a load balancer would have them. */
async function startServers(dialect: TestDialect, count: number, extra: Partial<Config> = {}): Promise<{ servers: AppServer[]; close(): Promise<void> }> {
  const testDb: TestDatabase = await createTestDatabase(dialect);
  const servers: AppServer[] = [];
  for (let i = 0; i < count; i++) {
    const config = testConfig(testDb, extra);
    const database = openDatabase(config.database, { onPoolError: () => undefined });
    await migrateToLatest(database.db);
    const { app, ctx, realtime } = await buildApp({ config, database, logger: { level: "silent" } });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = app.server.address() as AddressInfo;
    servers.push({
      baseUrl: `http://127.0.0.1:${port}`,
      wsUrl: `ws://127.0.0.1:${port}/api/v1/realtime`,
      dialect,
      setupToken: (await ensureSetupToken(ctx)) ?? "",
      app,
      ctx,
      database,
      realtime,
      close: async () => {
        await app.close();
        await database.close();
      },
    });
  }
  return {
    servers,
    async close() {
      for (const s of servers) await s.close();
      await testDb.drop();
    },
  };
}

type Client = {
  socket: WebSocket;
  messages: TServerToClientMessage[];
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  /** The first message (received or to come) after `from` that matches. */
  next(what: string, match: (m: TServerToClientMessage) => boolean, from?: number): Promise<TServerToClientMessage>;
};

/** Opens a socket like a browser tab (cookie + Origin) or a script (Bearer); the HTTP status when refused. */
function connect(url: string, opts: { cookie?: string | null; origin?: string; bearer?: string; isDeaf?: boolean }): Promise<Client | { refusedWith: number }> {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
  // isDeaf: never answers pings, like a laptop whose lid was closed.
  const socket = new WebSocket(url, { headers, autoPong: !opts.isDeaf, ...(opts.origin ? { origin: opts.origin } : {}) });
  const messages: TServerToClientMessage[] = [];
  socket.on("message", (data: Buffer) => messages.push(JSON.parse(data.toString("utf8")) as TServerToClientMessage));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  const client: Client = {
    socket,
    messages,
    closed,
    send: (message) => socket.send(JSON.stringify(message)),
    next: (what, match, from = 0) => waitFor(what, () => messages.slice(from).find(match)),
  };
  return new Promise((resolve, reject) => {
    socket.once("open", () => resolve(client));
    socket.once("unexpected-response", (_req, res) => {
      resolve({ refusedWith: res.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once("error", (err) => reject(err));
  });
}

async function open(url: string, opts: Parameters<typeof connect>[1]): Promise<Client> {
  const result = await connect(url, opts);
  if ("refusedWith" in result) throw new Error(`the socket was refused with ${result.refusedWith}`);
  return result;
}

const notification = (title: string) => ({
  type: "notification" as const,
  notification: { id: title, title, body: "", link: null, createdAt: new Date().toISOString() },
});

for (const dialect of DIALECTS) {
  describe(`realtime hub, one server (${dialect})`, () => {
    let env: Awaited<ReturnType<typeof startServers>>;
    let server: AppServer;
    let admin: ApiClient;
    let adminMe: TMe;
    let teacher: ApiClient;
    let teacherId: string;
    const sockets: Client[] = [];
    const tab = async (client: ApiClient) => {
      const c = await open(server.wsUrl, { cookie: client.cookie, origin: server.baseUrl });
      sockets.push(c);
      return c;
    };

    beforeAll(async () => {
      env = await startServers(dialect, 1);
      server = env.servers[0] as AppServer;
      const setup = await setUpDistrict(server);
      admin = setup.admin;
      adminMe = setup.me;
      const school = await makeSchool(admin);
      const made = await makePerson(admin, { roles: [{ role: "teacher", schoolId: school.id }] });
      teacherId = made.person.id;
      teacher = await signedIn(server, made.email);
    });
    afterAll(async () => {
      for (const s of sockets) s.socket.terminate();
      await env.close();
    });

    it("refuses a socket without a session or with a bad token (401)", async () => {
      expect(await connect(server.wsUrl, { origin: server.baseUrl })).toEqual({ refusedWith: 401 });
      expect(await connect(server.wsUrl, { bearer: "cwk_not-a-real-token" })).toEqual({ refusedWith: 401 });
      expect(await connect(server.wsUrl, { cookie: "cw_session=forged", origin: server.baseUrl })).toEqual({ refusedWith: 401 });
    });

    it("refuses a cookie-authenticated socket opened by another site, or with no Origin at all (403)", async () => {
      expect(await connect(server.wsUrl, { cookie: teacher.cookie, origin: "https://evil.example" })).toEqual({ refusedWith: 403 });
      expect(await connect(server.wsUrl, { cookie: teacher.cookie, origin: server.baseUrl.replace("127.0.0.1", "localhost") })).toEqual({ refusedWith: 403 });
      expect(await connect(server.wsUrl, { cookie: teacher.cookie })).toEqual({ refusedWith: 403 });
      // The same cookie from our own page is welcome.
      const ok = await tab(teacher);
      expect(ok.socket.readyState).toBe(WebSocket.OPEN);
    });

    it("refuses a topic the actor may not follow with an error frame naming it", async () => {
      const c = await tab(teacher);
      c.send({ type: "subscribe", topic: `person:${adminMe.person.id}` });
      expect(await c.next("the refusal", (m) => m.type === "error")).toEqual({
        type: "error",
        code: "forbidden",
        message: `You may not follow person:${adminMe.person.id}`,
        topic: `person:${adminMe.person.id}`,
      });
      c.send({ type: "subscribe", topic: "nosuchprefix:1" });
      expect(await c.next("the unknown prefix's refusal", (m) => m.type === "error" && m.topic === "nosuchprefix:1")).toMatchObject({ code: "forbidden" });
      c.send({ type: "shout", topic: "person:x" });
      expect(await c.next("the malformed message's error", (m) => m.type === "error" && m.code === "bad_request")).toMatchObject({ topic: "person:x" });
      // Nothing published to the admin's topic reaches the refused teacher.
      const before = c.messages.length;
      await server.realtime.publish(`person:${adminMe.person.id}`, notification("for the admin only"));
      c.send({ type: "subscribe", topic: `person:${teacherId}` });
      await c.next("the own subscription", (m) => m.type === "subscribed", before);
      expect(c.messages.slice(before).some((m) => m.type === "event")).toBe(false);
    });

    it("delivers a published event to its subscribers, numbered per topic so a gap shows", async () => {
      const first = await tab(teacher);
      first.send({ type: "subscribe", topic: `person:${teacherId}` });
      const subscribed = await first.next("subscribed", (m) => m.type === "subscribed");
      expect(subscribed).toEqual({ type: "subscribed", topic: `person:${teacherId}`, seq: expect.any(Number) });
      const base = subscribed.type === "subscribed" ? subscribed.seq : -1;
      await server.realtime.publish(`person:${teacherId}`, notification("one"));
      await server.realtime.publish(`person:${teacherId}`, notification("two"));
      await first.next("event two", (m) => m.type === "event" && m.event.type === "notification" && m.event.notification.title === "two");
      expect(first.messages.filter((m) => m.type === "event")).toEqual([
        { type: "event", topic: `person:${teacherId}`, seq: base + 1, event: notification("one") },
        { type: "event", topic: `person:${teacherId}`, seq: base + 2, event: notification("two") },
      ].map((m) => ({ ...m, event: { ...m.event, notification: { ...m.event.notification, createdAt: expect.any(String) } } })));
      // A second tab joins late: it is told where the topic stands, and gets only what follows.
      const second = await tab(teacher);
      second.send({ type: "subscribe", topic: `person:${teacherId}` });
      expect(await second.next("subscribed", (m) => m.type === "subscribed")).toMatchObject({ seq: base + 2 });
      first.send({ type: "unsubscribe", topic: `person:${teacherId}` });
      await first.next("unsubscribed", (m) => m.type === "unsubscribed");
      await server.realtime.publish(`person:${teacherId}`, notification("three"));
      expect(await second.next("event three", (m) => m.type === "event")).toMatchObject({ seq: base + 3 });
      expect(first.messages.filter((m) => m.type === "event")).toHaveLength(2);
    });

    it("accepts a personal API token without an Origin", async () => {
      const created = await teacher.post<{ token: string }>("/api/v1/me/tokens", { name: "watcher" });
      expect(created.status).toBe(201);
      const c = await open(server.wsUrl, { bearer: created.body.token });
      sockets.push(c);
      c.send({ type: "subscribe", topic: `person:${teacherId}` });
      expect(await c.next("subscribed", (m) => m.type === "subscribed")).toMatchObject({ topic: `person:${teacherId}` });
    });

    it("closes the socket once the session has ended (sign-out), at the next message", async () => {
      const made = await makePerson(admin, { roles: [{ role: "teacher", schoolId: null }] });
      const leaving = await signedIn(server, made.email);
      const c = await tab(leaving);
      c.send({ type: "subscribe", topic: `person:${made.person.id}` });
      await c.next("subscribed", (m) => m.type === "subscribed");
      expect((await leaving.post("/api/v1/auth/logout")).status).toBeLessThan(300);
      c.send({ type: "subscribe", topic: `person:${made.person.id}` });
      expect(await c.next("the session's end", (m) => m.type === "error")).toMatchObject({ code: "unauthenticated" });
      expect((await c.closed).code).toBe(4401);
    });

    it("closes the socket of a session that expired while it was open", async () => {
      const made = await makePerson(admin, { roles: [{ role: "teacher", schoolId: null }] });
      const idle = await signedIn(server, made.email);
      const c = await tab(idle);
      await server.ctx.db.updateTable("sessions").set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where("person_id", "=", made.person.id).execute();
      c.send({ type: "subscribe", topic: `person:${made.person.id}` });
      expect(await c.next("the session's end", (m) => m.type === "error")).toMatchObject({ code: "unauthenticated" });
      expect((await c.closed).code).toBe(4401);
    });

    it("closes a socket that floods the server with messages", async () => {
      const c = await tab(teacher);
      for (let i = 0; i < 31; i++) c.send({ type: "unsubscribe", topic: `person:${teacherId}` });
      expect(await c.next("the refusal", (m) => m.type === "error")).toMatchObject({ code: "rate_limited" });
      expect((await c.closed).code).toBe(1008);
    });

    it("tells the admin who ran a roster import that it was applied: import → event after commit → job → realtime", async () => {
      const worker: JobWorker = startJobWorker({ ctx: server.ctx, realtime: server.realtime, handlers: eventJobHandlers([rosteringEvents]), pollMs: 60_000 });
      try {
        const c = await tab(admin);
        c.send({ type: "subscribe", topic: `person:${adminMe.person.id}` });
        await c.next("subscribed", (m) => m.type === "subscribed");
        const school = await makeSchool(admin);
        const csv = ["name,email,school,role", `Rita Reader,rita.${teacherId}@example.org,${school.name},teacher`].join("\r\n");
        const applied = await uploadImport<{ id: string; status: string }>(admin, csv, { fileName: "staff.csv" }, "text/csv");
        expect(applied.body.status).toBe("applied");
        const event = await c.next("the notification", (m) => m.type === "event");
        expect(event).toMatchObject({
          topic: `person:${adminMe.person.id}`,
          event: { type: "notification", notification: { title: "Roster import applied", body: "1 created, 0 updated, 0 deactivated.", link: `/settings/rostering/${applied.body.id}` } },
        });
      } finally {
        await worker.stop();
      }
    });
  });

  describe(`realtime hub, two servers on one database and one Redis (${dialect})`, () => {
    let env: Awaited<ReturnType<typeof startServers>>;

    beforeAll(async () => {
      env = await startServers(dialect, 2, { redisUrl: REDIS_URL });
    });
    afterAll(async () => env.close());

    it("delivers an event published on server A to a client of server B, in order", async () => {
      const [a, b] = env.servers as [AppServer, AppServer];
      const { admin, me } = await setUpDistrict(a);
      const onB = await open(b.wsUrl, { cookie: admin.cookie, origin: b.baseUrl });
      const alsoOnA = await open(a.wsUrl, { cookie: admin.cookie, origin: a.baseUrl });
      try {
        const topic = `person:${me.person.id}` as const;
        for (const c of [onB, alsoOnA]) c.send({ type: "subscribe", topic });
        const subscribed = await onB.next("subscribed on B", (m) => m.type === "subscribed");
        await alsoOnA.next("subscribed on A", (m) => m.type === "subscribed");
        const base = subscribed.type === "subscribed" ? subscribed.seq : -1;
        await a.realtime.publish(topic, notification("from A"));
        await b.realtime.publish(topic, notification("from B"));
        await a.realtime.publish(topic, notification("from A again"));
        for (const c of [onB, alsoOnA]) {
          await c.next("the third event", (m) => m.type === "event" && m.seq === base + 3);
          expect(c.messages.filter((m) => m.type === "event").map((m) => (m.type === "event" && m.event.type === "notification" ? [m.seq, m.event.notification.title] : []))).toEqual([
            [base + 1, "from A"],
            [base + 2, "from B"],
            [base + 3, "from A again"],
          ]);
        }
      } finally {
        onB.socket.terminate();
        alsoOnA.socket.terminate();
      }
    });
  });
}

describe("realtime heartbeat (sqlite)", () => {
  let env: Awaited<ReturnType<typeof startServers>>;
  let fast: App;
  let fastUrl: string;
  let fastOrigin: string;

  beforeAll(async () => {
    env = await startServers("sqlite", 1);
    const server = env.servers[0] as AppServer;
    // The same hub on its own small app with a 100 ms heartbeat, over the same database.
    fast = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>() as App;
    await fast.register(fastifyCookie);
    fast.setErrorHandler(errorHandler);
    registerAuth(fast, server.ctx);
    await registerRealtime(fast, server.ctx, { authorizers: peopleTopics, heartbeatMs: 100 });
    await fast.listen({ port: 0, host: "127.0.0.1" });
    const { port } = fast.server.address() as AddressInfo;
    fastOrigin = `http://127.0.0.1:${port}`;
    fastUrl = `ws://127.0.0.1:${port}/api/v1/realtime`;
  });
  afterAll(async () => {
    await fast.close();
    await env.close();
  });

  it("drops a client that stops answering pings, keeps one that answers, and closes an expired session without waiting for a message", async () => {
    const server = env.servers[0] as AppServer;
    const { admin, me } = await setUpDistrict(server);
    const deaf = await open(fastUrl, { cookie: admin.cookie, origin: fastOrigin, isDeaf: true });
    const awake = await open(fastUrl, { cookie: admin.cookie, origin: fastOrigin });
    try {
      const dropped = await deaf.closed;
      expect(dropped.code).toBe(1006); // terminated: no closing handshake with a peer that is gone
      expect(awake.socket.readyState).toBe(WebSocket.OPEN);
      await server.ctx.db.updateTable("sessions").set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where("person_id", "=", me.person.id).execute();
      expect((await awake.closed).code).toBe(4401);
    } finally {
      deaf.socket.terminate();
      awake.socket.terminate();
    }
  });
});
