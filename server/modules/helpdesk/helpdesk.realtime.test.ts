import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { TServerToClientMessage } from "../../../shared/realtime.js";
import type { TMe } from "../../../shared/schemas/auth.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn } from "../../../tests/helpers/factories.js";
import { testConfig, type TestServer } from "../../../tests/helpers/server.js";
import { buildApp } from "../../app.js";
import { migrateToLatest, openDatabase } from "../../db/index.js";
import { startJobWorker, type JobWorker } from "../../platform/jobs.js";
import { ensureSetupToken } from "../accounts/accounts.service.js";
import { helpdeskJobs } from "./helpdesk.jobs.js";

// The live queue: a desk screen subscribed to its queue's topic hears of a new ticket without
// reloading (a durable job publishes after commit), and only the desk may subscribe.

function connect(url: string, cookie: string, origin: string): Promise<{ socket: WebSocket; messages: TServerToClientMessage[]; next: (m: (x: TServerToClientMessage) => boolean) => Promise<TServerToClientMessage> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { cookie, origin } });
    const messages: TServerToClientMessage[] = [];
    const waiters: { match: (x: TServerToClientMessage) => boolean; resolve: (x: TServerToClientMessage) => void }[] = [];
    socket.on("message", (data: Buffer) => {
      const m = JSON.parse(data.toString()) as TServerToClientMessage;
      messages.push(m);
      for (const w of [...waiters]) if (w.match(m)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(m); }
    });
    socket.on("open", () =>
      resolve({
        socket,
        messages,
        next: (match) => {
          const found = messages.find(match);
          if (found) return Promise.resolve(found);
          return new Promise((res, rej) => {
            waiters.push({ match, resolve: res });
            setTimeout(() => rej(new Error("no such message within 8 s")), 8000);
          });
        },
      }),
    );
    socket.on("error", reject);
  });
}

for (const dialect of DIALECTS) {
  describe(`help desk live queue (${dialect})`, () => {
    let testDb: TestDatabase;
    let server: TestServer & { wsUrl: string };
    let worker: JobWorker;
    let close: () => Promise<void>;
    let me: TMe;
    let student: ApiClient;
    let assistant: ApiClient;
    let schoolId: string;

    beforeAll(async () => {
      testDb = await createTestDatabase(dialect);
      const config = testConfig(testDb);
      const database = openDatabase(config.database, { onPoolError: () => undefined });
      await migrateToLatest(database.db);
      const { app, ctx, realtime } = await buildApp({ config, database, logger: { level: "silent" } });
      await app.listen({ port: 0, host: "127.0.0.1" });
      const { port } = app.server.address() as AddressInfo;
      server = { baseUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/api/v1/realtime`, dialect, setupToken: (await ensureSetupToken(ctx)) ?? "", app, ctx, database, close: async () => undefined };
      worker = startJobWorker({ ctx, realtime, handlers: helpdeskJobs, pollMs: 200 });
      close = async () => {
        await worker.stop();
        await app.close();
        await database.close();
        await testDb.drop();
      };
      const setup = await setUpDistrict(server);
      me = setup.me;
      schoolId = (await makeSchool(setup.admin)).id;
      const s = await makePerson(setup.admin, { roles: [{ role: "student", schoolId }], gradeLevel: "09" });
      const a = await makePerson(setup.admin, { roles: [{ role: "student_tech", schoolId }], gradeLevel: "10" });
      student = await signedIn(server, s.email);
      assistant = await signedIn(server, a.email);
    });
    afterAll(async () => close());

    it("tells a student assistant's screen that a ticket arrived in the student help desk, and refuses the topic to a student", async () => {
      const topic = `helpdesk-queue:${me.district.id}.student`;
      const desk = await connect(server.wsUrl, assistant.cookie ?? "", server.baseUrl);
      desk.socket.send(JSON.stringify({ type: "subscribe", topic }));
      await desk.next((m) => m.type === "subscribed");
      const staffTopic = `helpdesk-queue:${me.district.id}.staff`;
      desk.socket.send(JSON.stringify({ type: "subscribe", topic: staffTopic }));
      await desk.next((m) => m.type === "error" && m.topic === staffTopic);

      const res = await student.post<{ queueId: string }>("/api/v1/helpdesk/tickets", { schoolId, categoryKey: "wont_charge", description: "Dead battery" });
      expect(res.status).toBe(201);
      const event = await desk.next((m) => m.type === "event");
      expect(event).toMatchObject({ type: "event", topic, event: { type: "queue.changed", queueId: res.body.queueId } });
      desk.socket.close();

      const nosy = await connect(server.wsUrl, student.cookie ?? "", server.baseUrl);
      nosy.socket.send(JSON.stringify({ type: "subscribe", topic }));
      const refused = await nosy.next((m) => m.type === "error");
      expect(refused).toMatchObject({ code: "forbidden", topic });
      nosy.socket.close();
    }, 30_000);
  });
}
