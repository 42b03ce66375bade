import { fork, type ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { WebSocketServer } from "ws";
import type { TChatEventSummary, TChatSeries } from "../shared/schemas/chats.js";
import { ApiClient } from "../tests/helpers/client.js";
import { startChatServers, seriesRequest, type ChatServer } from "../tests/helpers/chats.js";
import { createTestDatabase } from "../tests/helpers/db.js";
import { setUpDistrict } from "../tests/helpers/factories.js";
import { startServerProcess, type ServerProcess } from "../tests/helpers/server-process.js";
import { waitFor } from "../tests/helpers/wait.js";
import { migrateToLatest, openDatabase } from "../server/db/index.js";
import { ensureSetupToken } from "../server/modules/accounts/accounts.service.js";

// The live room under load (issue 16): `connections` sockets in one room while posts arrive at `rate`
// per second for `seconds`; every post must reach every socket exactly once (checked by room number in
// load-client processes), with the latency from the post's creation to its arrival. In the same run: a
// bare `ws` broadcast server (the ceiling) with the same clients, and two app servers on one PostgreSQL
// with Redis fan-out, posting on one and listening on both. The two app servers run as processes of
// their own (`server/main.ts`, as `npm start` runs it), as a deployment would: in the benchmark's own
// process they shared one event loop with each other and with the load driver.

const CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), "chats-client.ts");

export type ChatsBenchOptions = { connections: number; rate: number; seconds: number; clientProcesses: number; redisUrl: string; log: (m: string) => void };
export type ChatsCase = {
  name: string;
  connections: number;
  posts: number;
  expected: number;
  received: number;
  missing: number;
  duplicates: number;
  deliveredPerSecond: number;
  p50: number;
  p99: number;
  max: number;
};
export type ChatsBenchResult = { cases: ChatsCase[]; ratioToBare: number | null; meetsP99: boolean; isLossless: boolean };

type RoomServer = { baseUrl: string; wsUrl: string };
type ClientGroup = { url: string; headers: Record<string, string>; count: number; topic: string | null; mode: "app" | "bare" };

async function startClients(groups: ClientGroup[]): Promise<ChildProcess[]> {
  const children = groups.map((g) => fork(CLIENT, [JSON.stringify(g)], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] }));
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve, reject) => {
          c.on("message", (m: { type: string; message?: string }) => (m.type === "ready" ? resolve() : m.type === "error" ? reject(new Error(m.message)) : undefined));
          c.on("exit", (code) => (code ? reject(new Error(`load client exited ${code}`)) : undefined));
        }),
    ),
  );
  return children;
}

async function stopClients(children: ChildProcess[], firstSeq: number, lastSeq: number) {
  const results = await Promise.all(
    children.map(
      (c) =>
        new Promise<{ received: number; duplicates: number; missing: number; latencies: number[] }>((resolve) => {
          c.on("message", (m: { type: string; received: number; duplicates: number; missing: number; latencies: number[] }) => {
            if (m.type === "done") resolve(m);
          });
          c.send({ type: "stop", firstSeq, lastSeq });
        }),
    ),
  );
  for (const c of children) c.kill();
  return results;
}

function summarise(name: string, connections: number, posts: number, seconds: number, results: Awaited<ReturnType<typeof stopClients>>): ChatsCase {
  const lat = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN;
  const received = results.reduce((s, r) => s + r.received, 0);
  return {
    name,
    connections,
    posts,
    expected: posts * connections,
    received,
    missing: results.reduce((s, r) => s + r.missing, 0),
    duplicates: results.reduce((s, r) => s + r.duplicates, 0),
    deliveredPerSecond: received / seconds,
    p50: q(0.5),
    p99: q(0.99),
    max: lat.at(-1) ?? NaN,
  };
}

const split = (n: number, parts: number) => Array.from({ length: parts }, (_, i) => Math.floor(n / parts) + (i < n % parts ? 1 : 0)).filter((c) => c > 0);

/** Posts at `rate` per second for `seconds` through `post`; returns how many. */
async function drive(rate: number, seconds: number, post: (i: number) => Promise<void>): Promise<number> {
  const total = Math.round(rate * seconds);
  const started = Date.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(post(i));
  }
  await Promise.all(inFlight);
  await new Promise((r) => setTimeout(r, 1500)); // let the last deliveries land
  return total;
}

async function appRoom(server: Pick<ChatServer, "baseUrl" | "setupToken">) {
  const { admin } = await setUpDistrict(server);
  const today = new Date().toISOString().slice(0, 10);
  const series = (await admin.post<TChatSeries>("/api/v1/chats/series", seriesRequest({ audience: "district", questionPlan: [], recurrence: { frequency: "weekly", weekday: "WE", startTime: "21:00", timeZone: "UTC", startsOn: today } }))).body;
  const events = (await admin.get<{ items: TChatEventSummary[] }>(`/api/v1/chats/series/${series.id}/events`)).body.items;
  const eventId = events[0]?.id ?? "";
  return { admin, eventId };
}

async function roomCase(name: string, servers: RoomServer[], postTo: RoomServer, o: ChatsBenchOptions, admin: ApiClient, eventId: string): Promise<ChatsCase> {
  const poster = new ApiClient(postTo.baseUrl);
  poster.cookie = admin.cookie;
  poster.csrfToken = admin.csrfToken;
  const perServer = split(o.connections, servers.length);
  const groups: ClientGroup[] = servers.flatMap((s, i) =>
    split(perServer[i] ?? 0, Math.max(1, Math.floor(o.clientProcesses / servers.length))).map((count) => ({
      url: s.wsUrl,
      headers: { cookie: admin.cookie ?? "", origin: s.baseUrl },
      count,
      topic: `chat:${eventId}`,
      mode: "app" as const,
    })),
  );
  o.log(`${name}: opening ${o.connections} sockets`);
  const children = await startClients(groups);
  const before = (await poster.get<{ lastSeq: number }>(`/api/v1/chats/events/${eventId}/changes?after=0`)).body.lastSeq;
  o.log(`${name}: ${o.rate} posts/s for ${o.seconds} s`);
  const posts = await drive(o.rate, o.seconds, async (i) => {
    const res = await poster.post(`/api/v1/chats/events/${eventId}/posts`, { body: `Post ${i}: sharing what worked this week` });
    if (res.status !== 201) throw new Error(`post failed: ${res.status} ${res.text}`);
  });
  const results = await stopClients(children, before + 1, before + posts);
  return summarise(name, o.connections, posts, o.seconds, results);
}

async function bareCase(o: ChatsBenchOptions): Promise<ChatsCase> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const children = await startClients(split(o.connections, o.clientProcesses).map((count) => ({ url, headers: {}, count, topic: null, mode: "bare" as const })));
  let seq = 0;
  const posts = await drive(o.rate, o.seconds, async () => {
    const frame = JSON.stringify({ type: "bare", seq: ++seq, sentAt: Date.now(), body: "Post: sharing what worked this week" });
    for (const c of wss.clients) c.send(frame);
  });
  const results = await stopClients(children, 1, posts);
  wss.close();
  http.close();
  return summarise("bare ws broadcast (ceiling)", o.connections, posts, o.seconds, results);
}

/** Two `server/main.ts` processes on one fresh PostgreSQL database with Redis fan-out; posts on A, sockets on A and B. */
async function twoProcessCase(o: ChatsBenchOptions): Promise<ChatsCase> {
  const testDb = await createTestDatabase("postgres");
  if (testDb.database.kind !== "postgres") throw new Error("unreachable");
  const processes: ServerProcess[] = [];
  try {
    // Migrated and given its setup token here, so both servers start on a ready database.
    const database = openDatabase(testDb.database);
    let setupToken = "";
    try {
      await migrateToLatest(database.db);
      const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined } as never;
      setupToken = (await ensureSetupToken({ db: database.db, dialect: database.dialect, config: {} as never, log: silent })) ?? "";
    } finally {
      await database.close();
    }
    const env = {
      DATABASE_URL: testDb.database.url,
      REDIS_URL: o.redisUrl,
      COACHWORK_DATA_DIR: testDb.dataDir,
      COACHWORK_SECRET: "bench-secret-bench-secret-bench-secret-00",
      // The harness reads "Server listening at …" from the log, an info line.
      LOG_LEVEL: "info",
    };
    for (let i = 0; i < 2; i++) processes.push(startServerProcess(env));
    await Promise.all(processes.map((p) => p.waitForLog(/^Server listening at/, 60_000)));
    const servers = processes.map((p) => ({ baseUrl: p.baseUrl(), wsUrl: `${p.baseUrl().replace(/^http/, "ws")}/api/v1/realtime` }));
    // Listening comes before ready: the API answers 503 until the start-up work is done.
    await Promise.all(servers.map((s) => waitFor(`${s.baseUrl}/readyz`, async () => ((await fetch(`${s.baseUrl}/readyz`)).ok ? true : undefined), 60_000)));
    const [a, b] = servers as [RoomServer, RoomServer];
    const { admin, eventId } = await appRoom({ baseUrl: a.baseUrl, setupToken });
    return await roomCase("two app servers (own processes), PostgreSQL + Redis fan-out (posts on A, sockets on A and B)", [a, b], a, o, admin, eventId);
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await testDb.drop();
  }
}

export async function runChatsBench(o: ChatsBenchOptions): Promise<ChatsBenchResult> {
  const cases: ChatsCase[] = [];
  o.log("chats: bare ws ceiling");
  cases.push(await bareCase(o));
  {
    const env = await startChatServers("sqlite", 1);
    try {
      const server = env.servers[0] as ChatServer;
      const { admin, eventId } = await appRoom(server);
      cases.push(await roomCase("one app server (SQLite)", [server], server, o, admin, eventId));
    } finally {
      await env.close();
    }
  }
  cases.push(await twoProcessCase(o));
  const bare = cases[0];
  const app = cases[1];
  return {
    cases,
    ratioToBare: bare && app ? app.deliveredPerSecond / bare.deliveredPerSecond : null,
    meetsP99: cases.slice(1).every((c) => c.p99 < 250),
    isLossless: cases.every((c) => c.missing === 0 && c.duplicates === 0),
  };
}

export function chatsTable(r: ChatsBenchResult) {
  const head = ["case", "sockets", "posts", "delivered", "missing", "dup", "delivered/s", "p50 ms", "p99 ms", "max ms"];
  const rows = r.cases.map((c) => [c.name, String(c.connections), String(c.posts), `${c.received}/${c.expected}`, String(c.missing), String(c.duplicates), c.deliveredPerSecond.toFixed(0), c.p50.toFixed(1), c.p99.toFixed(1), c.max.toFixed(1)]);
  return { head, rows };
}
