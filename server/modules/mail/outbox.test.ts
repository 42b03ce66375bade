import { Migrator } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, createTestDatabase, type TestDatabase } from "../../../tests/helpers/db.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";
import { migrateToLatest, openDatabase } from "../../db/index.js";
import { migrations } from "../../db/migrations/index.js";
import { newId } from "../../lib.js";
import { startJobWorker } from "../../platform/jobs.js";
import { waitFor } from "../../../tests/helpers/wait.js";
import { enqueueEmail, mailJobs, SEND_MAIL_JOB } from "./outbox.js";

for (const dialect of DIALECTS) {
  describe(`mail outbox on jobs (${dialect})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ dialect });
    });
    afterAll(async () => server.close());

    const outboxRow = (to: string) => server.ctx.db.selectFrom("outbox").selectAll().where("to_address", "=", to).executeTakeFirstOrThrow();

    it("queues nothing when the transaction rolls back, and a mail job when it commits", async () => {
      const lost = `${newId()}@example.org`;
      const kept = `${newId()}@example.org`;
      await expect(
        server.ctx.db.transaction().execute(async (trx) => {
          await enqueueEmail(trx, { to: lost, subject: "s", text: "t" });
          throw new Error("rolled back");
        }),
      ).rejects.toThrow("rolled back");
      await server.ctx.db.transaction().execute((trx) => enqueueEmail(trx, { to: kept, subject: "s", text: "t" }));
      expect(await server.ctx.db.selectFrom("outbox").select("id").where("to_address", "=", lost).execute()).toEqual([]);
      const mail = await outboxRow(kept);
      const job = await server.ctx.db.selectFrom("jobs").selectAll().where("dedupe_key", "=", `mail:${mail.id}`).executeTakeFirstOrThrow();
      expect(job).toMatchObject({ kind: SEND_MAIL_JOB, status: "pending", max_attempts: 5 });
      expect(JSON.parse(job.payload)).toEqual({ outboxId: mail.id });
    });

    it("retries a mail the SMTP server refuses, records each error, and marks it failed after the last attempt", async () => {
      const to = `${newId()}@example.org`;
      await enqueueEmail(server.ctx.db, { to, subject: "Reset", text: "link" });
      // Port 1 on loopback: a real connection, really refused.
      const ctx = { ...server.ctx, config: { ...server.ctx.config, smtpUrl: "smtp://127.0.0.1:1" } };
      const worker = startJobWorker({ ctx, handlers: mailJobs, pollMs: 25, backoffMs: () => 10 });
      try {
        await waitFor("the mail to fail for good", async () => (await outboxRow(to)).status === "failed");
      } finally {
        await worker.stop();
      }
      const mail = await outboxRow(to);
      expect(mail.attempts).toBe(5);
      expect(mail.last_error).toContain("ECONNREFUSED");
      expect(mail.sent_at).toBeNull();
      const job = await server.ctx.db.selectFrom("jobs").selectAll().where("dedupe_key", "=", `mail:${mail.id}`).executeTakeFirstOrThrow();
      expect(job).toMatchObject({ status: "failed", attempts: 5 });
      expect(job.last_error).toContain("ECONNREFUSED");
    });

    it("leaves mail pending in the outbox without SMTP_URL, as before", async () => {
      const to = `${newId()}@example.org`;
      await enqueueEmail(server.ctx.db, { to, subject: "Reset", text: "link" });
      const mail = await outboxRow(to);
      const worker = startJobWorker({ ctx: server.ctx, handlers: mailJobs, pollMs: 25 });
      try {
        await waitFor("the mail job to finish", async () => {
          const job = await server.ctx.db.selectFrom("jobs").select("status").where("dedupe_key", "=", `mail:${mail.id}`).executeTakeFirstOrThrow();
          return job.status === "done";
        });
      } finally {
        await worker.stop();
      }
      expect(await outboxRow(to)).toMatchObject({ status: "pending", attempts: 0, sent_at: null });
    });
  });

  describe(`jobs migration (${dialect})`, () => {
    let testDb: TestDatabase;
    beforeAll(async () => {
      testDb = await createTestDatabase(dialect);
    });
    afterAll(async () => testDb.drop());

    it("gives mail left pending by the old outbox worker a job, and leaves sent mail alone", async () => {
      const database = openDatabase(testDb.database);
      try {
        const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });
        const before = await migrator.migrateTo("20261128040000_roster_import_lock");
        expect(before.error).toBeUndefined();
        const row = (id: string, status: "pending" | "sent", attempts: number) => ({
          id,
          to_address: `${id}@example.org`,
          subject: "s",
          body_text: "t",
          status,
          attempts,
          last_error: null,
          created_at: "2026-12-01T10:00:00.000Z",
          sent_at: status === "sent" ? "2026-12-01T10:00:01.000Z" : null,
        });
        const [pending, retried, sent] = [newId(), newId(), newId()];
        await database.db.insertInto("outbox").values([row(pending, "pending", 0), row(retried, "pending", 4), row(sent, "sent", 1)]).execute();
        await migrateToLatest(database.db);
        const jobs = await database.db.selectFrom("jobs").selectAll().execute();
        const byId = (a: unknown[], b: unknown[]) => (String(a[0]) < String(b[0]) ? -1 : 1);
        expect(jobs.map((j) => [j.id, j.kind, JSON.parse(j.payload), j.status, j.attempts, j.max_attempts, j.dedupe_key, j.run_at]).sort(byId)).toEqual(
          [
            [pending, SEND_MAIL_JOB, { outboxId: pending }, "pending", 0, 5, `mail:${pending}`, "2026-12-01T10:00:00.000Z"],
            [retried, SEND_MAIL_JOB, { outboxId: retried }, "pending", 4, 5, `mail:${retried}`, "2026-12-01T10:00:00.000Z"],
          ].sort(byId),
        );
      } finally {
        await database.close();
      }
    });
  });
}
