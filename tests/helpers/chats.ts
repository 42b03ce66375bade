import type { AddressInfo } from "node:net";
import type { Kysely } from "kysely";
import type { BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { WebSocket } from "ws";
import type { TServerToClientMessage } from "../../shared/realtime.js";
import type { TChatSeries, TCreateSeriesRequest } from "../../shared/schemas/chats.js";
import { launchChromium } from "./browser.js";
import type { ApiClient } from "./client.js";
import { createTestDatabase, type TestDatabase, type TestDialect } from "./db.js";
import { makePerson, makeSchool, PASSWORD, setUpDistrict, signedIn } from "./factories.js";
import { testConfig } from "./server.js";
import { buildApp } from "../../server/app.js";
import type { Ctx } from "../../server/context.js";
import { migrateToLatest, openDatabase, type Database } from "../../server/db/index.js";
import type { DB } from "../../server/db/schema.js";
import type { Config } from "../../server/env.js";
import type { App } from "../../server/http.js";
import { startJobWorker, type JobWorker } from "../../server/platform/jobs.js";
import type { RealtimeHub } from "../../server/platform/realtime.js";
import { ensureSetupToken } from "../../server/modules/accounts/accounts.service.js";
import { MODULES, moduleJobHandlers } from "../../server/modules/index.js";

// Test harness for the chats module (tests only): app servers on one fresh database with their
// realtime hubs, a job worker that can be stopped and started again, and WebSocket clients.

export type ChatServer = { baseUrl: string; wsUrl: string; setupToken: string; app: App; ctx: Ctx; database: Database; realtime: RealtimeHub; dialect: TestDialect };

export async function startChatServers(dialect: TestDialect, count: number, extra: Partial<Config> = {}) {
  const testDb: TestDatabase = await createTestDatabase(dialect);
  const servers: ChatServer[] = [];
  for (let i = 0; i < count; i++) {
    const config = testConfig(testDb, extra);
    const database = openDatabase(config.database, { onPoolError: () => undefined });
    await migrateToLatest(database.db);
    const { app, ctx, realtime } = await buildApp({ config, database, logger: { level: "silent" } });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = app.server.address() as AddressInfo;
    servers.push({ baseUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/api/v1/realtime`, setupToken: (await ensureSetupToken(ctx)) ?? "", app, ctx, database, realtime, dialect });
  }
  const workers: JobWorker[] = [];
  return {
    servers,
    /** Starts a job worker on server `i` (pollMs short so tests do not wait). */
    startWorker(i = 0, ctxOverride?: Ctx): JobWorker {
      const s = servers[i];
      if (!s) throw new Error("no such server");
      const worker = startJobWorker({ ctx: ctxOverride ?? s.ctx, realtime: s.realtime, handlers: moduleJobHandlers(MODULES), pollMs: 50, backoffMs: () => 100 });
      workers.push(worker);
      return worker;
    },
    async close() {
      for (const w of workers) await w.stop();
      for (const s of servers) {
        await s.app.close();
        await s.database.close();
      }
      await testDb.drop();
    },
  };
}

export type WsClient = {
  socket: WebSocket;
  messages: TServerToClientMessage[];
  next(what: string, match: (m: TServerToClientMessage) => boolean, timeoutMs?: number): Promise<TServerToClientMessage>;
  send(message: unknown): void;
  close(): Promise<void>;
};

/** Opens a realtime socket like a browser tab: cookie + this site's Origin. */
export async function wsConnect(server: ChatServer, cookie: string): Promise<WsClient> {
  const socket = new WebSocket(server.wsUrl, { headers: { cookie, origin: server.baseUrl } });
  const messages: TServerToClientMessage[] = [];
  const waiters: { match: (m: TServerToClientMessage) => boolean; resolve: (m: TServerToClientMessage) => void }[] = [];
  socket.on("message", (data) => {
    const m = JSON.parse(String(data)) as TServerToClientMessage;
    messages.push(m);
    for (const w of [...waiters]) {
      if (w.match(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
    socket.once("unexpected-response", (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
  });
  return {
    socket,
    messages,
    send: (message) => socket.send(JSON.stringify(message)),
    next(what, match, timeoutMs = 10_000) {
      const found = messages.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
        waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === socket.CLOSED) return resolve();
        socket.once("close", () => resolve());
        socket.close();
      }),
  };
}

/** A weekly series request like #iiCHAT's, overridable. */
export function seriesRequest(overrides: Partial<TCreateSeriesRequest> = {}): TCreateSeriesRequest {
  return {
    name: "Integration Innovation chat",
    hashtag: "iiCHAT",
    description: "Half an hour, 3.5 questions, for tech coaches.",
    audience: "district",
    recurrence: { frequency: "weekly", weekday: "WE", startTime: "21:00", timeZone: "America/New_York", startsOn: "2026-01-01" },
    durationMinutes: 30,
    welcomeText: "Welcome to #iiCHAT! Introduce yourself.",
    guideText: "Answer Q1 with A1, Q2 with A2.",
    questionPlan: [
      { offsetMinutes: 5, text: "What does coaching the coaches mean to you?", isClosing: false },
      { offsetMinutes: 12, text: "What is one tool you lean on?", isClosing: false },
      { offsetMinutes: 25, text: "What will you try this week?", isClosing: true },
    ],
    ...overrides,
  };
}

export async function createSeries(client: ApiClient, overrides: Partial<TCreateSeriesRequest> = {}): Promise<TChatSeries> {
  const res = await client.post<TChatSeries>("/api/v1/chats/series", seriesRequest(overrides));
  if (res.status !== 201) throw new Error(`create series failed: ${res.status} ${res.text}`);
  return res.body;
}

/**
 * Moves an event so it is running now (started `minutesAgo` ago), its unposted questions and their
 * scheduled jobs moved with it: what the clock would do, without waiting a week.
 */
export async function runEventNow(db: Kysely<DB>, eventId: string, minutesAgo = 1): Promise<void> {
  const event = await db.selectFrom("chat_events").selectAll().where("id", "=", eventId).executeTakeFirstOrThrow();
  const shift = Date.now() - minutesAgo * 60_000 - Date.parse(event.starts_at);
  const move = (iso: string) => new Date(Date.parse(iso) + shift).toISOString();
  await db.updateTable("chat_events").set({ starts_at: move(event.starts_at), ends_at: move(event.ends_at) }).where("id", "=", eventId).execute();
  const questions = await db.selectFrom("chat_questions").selectAll().where("event_id", "=", eventId).execute();
  for (const q of questions) await db.updateTable("chat_questions").set({ post_at: new Date(Date.parse(q.post_at) + shift + 3_600_000).toISOString() }).where("id", "=", q.id).execute();
}

/**
 * The chats e2e files' shared set-up: one SQLite app server, a district with a school and a coach
 * (Casey Coach) plus the named teachers, the coach's API client, and Chromium. `open` gives a page in
 * a fresh browser context, signed in as `email` (or signed out with null), at `path` when given.
 */
export async function startChatsBrowser(o: { teachers?: readonly (readonly [given: string, family: string])[]; isWorkerStarted?: boolean } = {}) {
  const env = await startChatServers("sqlite", 1);
  const server = env.servers[0] as ChatServer;
  const { admin } = await setUpDistrict(server as never, "Bayside Unified");
  const school = await makeSchool(admin, { name: "Bayside Elementary", level: "elementary" });
  const coachEmail = (await makePerson(admin, { roles: [{ role: "coach", schoolId: school.id }], givenName: "Casey", familyName: "Coach" })).email;
  const teacherEmails: string[] = [];
  for (const [givenName, familyName] of o.teachers ?? []) {
    teacherEmails.push((await makePerson(admin, { roles: [{ role: "teacher", schoolId: school.id }], givenName, familyName })).email);
  }
  const coachApi = await signedIn(server as never, coachEmail);
  if (o.isWorkerStarted) env.startWorker(0);
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  return {
    server,
    coachApi,
    coachEmail,
    teacherEmails,
    /** `isCspBypassed`: for a page axe-core is injected into (the app's CSP allows no inline script). */
    async open(
      email: string | null,
      path: string | null,
      opts: { width?: number; timezoneId?: string; isCspBypassed?: boolean; storageState?: BrowserContextOptions["storageState"] } = {},
    ): Promise<Page> {
      const context = await browser.newContext({
        storageState: opts.storageState,
        viewport: { width: opts.width ?? 1280, height: 900 },
        locale: "en-US",
        timezoneId: opts.timezoneId,
        bypassCSP: opts.isCspBypassed ?? false,
        serviceWorkers: "block",
      });
      contexts.push(context);
      if (email) {
        const res = await context.request.post(`${server.baseUrl}/api/v1/auth/login`, { data: { email, password: PASSWORD } });
        if (res.status() !== 200) throw new Error(`sign-in of ${email} answered ${res.status()}`);
      }
      const page = await context.newPage();
      if (path !== null) await page.goto(server.baseUrl + path);
      return page;
    },
    async close() {
      for (const c of contexts) await c.close();
      await browser.close();
      await env.close();
    },
  };
}
export type ChatsBrowser = Awaited<ReturnType<typeof startChatsBrowser>>;
