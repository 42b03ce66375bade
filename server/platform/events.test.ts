import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../../tests/helpers/db.js";
import { startTestServer, type TestServer } from "../../tests/helpers/server.js";
import { newId } from "../lib.js";
import { deliveryKind, eventJobHandlers, publishEvent, type DomainEvents, type EventHandlers } from "./events.js";
import { startJobWorker, type JobWorker } from "./jobs.js";
import { waitFor } from "../../tests/helpers/wait.js";

const imported = (importId: string): DomainEvents["roster.imported"] => ({
  importId,
  districtId: "d1",
  actorId: null,
  kind: "staff",
  counts: { created: 1, updated: 0, deactivated: 0, unchanged: 0, skipped: 0, rejected: 0 },
});

for (const dialect of DIALECTS) {
  describe(`event bus (${dialect})`, () => {
    let server: TestServer;
    let worker: JobWorker;
    // Every delivery, as "subscriber:importId".
    const deliveries: string[] = [];
    let failuresLeft = new Map<string, number>();
    const subscriber =
      (name: string): NonNullable<EventHandlers["roster.imported"]>[string] =>
      async (payload) => {
        deliveries.push(`${name}:${payload.importId}`);
        const left = failuresLeft.get(`${name}:${payload.importId}`) ?? 0;
        if (left > 0) {
          failuresLeft.set(`${name}:${payload.importId}`, left - 1);
          throw new Error(`${name} is not ready`);
        }
      };
    const moduleA: EventHandlers = { "roster.imported": { "test.devices": subscriber("devices") } };
    const moduleB: EventHandlers = { "roster.imported": { "test.helpdesk": subscriber("helpdesk") } };
    const deliveriesOf = (importId: string) => deliveries.filter((d) => d.endsWith(`:${importId}`)).sort();
    const jobsOf = (importId: string) =>
      server.ctx.db
        .selectFrom("jobs")
        .select(["kind", "status", "attempts"])
        .where("payload", "like", `%${importId}%`)
        .orderBy("kind")
        .execute();

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      // A poll a minute apart: deliveries within the test's time prove the nudge after commit works,
      // and retries 2.5 s apart (past the nudge's quick-look window) that the worker wakes for its retries.
      worker = startJobWorker({ ctx: server.ctx, handlers: eventJobHandlers([moduleA, moduleB]), pollMs: 60_000, backoffMs: () => 2_500 });
    });
    afterAll(async () => {
      await worker.stop();
      await server.close();
    });

    it("delivers nothing from a rolled-back transaction", async () => {
      const rolledBack = newId();
      const committed = newId();
      await expect(
        server.ctx.db.transaction().execute(async (trx) => {
          await publishEvent(trx, "roster.imported", imported(rolledBack));
          throw new Error("the import failed after publishing");
        }),
      ).rejects.toThrow("the import failed");
      await server.ctx.db.transaction().execute(async (trx) => publishEvent(trx, "roster.imported", imported(committed)));
      await waitFor("the committed event's deliveries", () => deliveriesOf(committed).length === 2);
      expect(deliveriesOf(rolledBack)).toEqual([]);
      expect(await jobsOf(rolledBack)).toEqual([]);
    });

    it("delivers a committed event once to each subscriber, each as its own job", async () => {
      const id = newId();
      await server.ctx.db.transaction().execute(async (trx) => publishEvent(trx, "roster.imported", imported(id)));
      await waitFor("every job of the event to finish", async () => {
        const jobs = await jobsOf(id);
        return jobs.length === 3 && jobs.every((j) => j.status === "done");
      });
      expect(deliveriesOf(id)).toEqual([`devices:${id}`, `helpdesk:${id}`]);
      expect(await jobsOf(id)).toEqual([
        { kind: "event:roster.imported", status: "done", attempts: 1 },
        { kind: deliveryKind("roster.imported", "test.devices"), status: "done", attempts: 1 },
        { kind: deliveryKind("roster.imported", "test.helpdesk"), status: "done", attempts: 1 },
      ]);
    });

    it("retries a failing subscriber without running the others again", async () => {
      const id = newId();
      failuresLeft = new Map([[`helpdesk:${id}`, 2]]);
      await server.ctx.db.transaction().execute(async (trx) => publishEvent(trx, "roster.imported", imported(id)));
      // Two retries 2.5 s apart take 5 s at the least: allow for a loaded machine beyond that.
      await waitFor(
        "the failing subscriber to succeed",
        async () => {
          const jobs = await jobsOf(id);
          return jobs.length === 3 && jobs.every((j) => j.status === "done");
        },
        25_000,
      );
      expect(deliveriesOf(id)).toEqual([`devices:${id}`, `helpdesk:${id}`, `helpdesk:${id}`, `helpdesk:${id}`]);
      expect(await jobsOf(id)).toEqual([
        { kind: "event:roster.imported", status: "done", attempts: 1 },
        { kind: deliveryKind("roster.imported", "test.devices"), status: "done", attempts: 1 },
        { kind: deliveryKind("roster.imported", "test.helpdesk"), status: "done", attempts: 3 },
      ]);
    });

    it("refuses two subscribers of one event with the same name", () => {
      expect(() => eventJobHandlers([moduleA, moduleA])).toThrow('two subscribers of "roster.imported" are called "test.devices"');
    });
  });
}
