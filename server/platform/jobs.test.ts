import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../../tests/helpers/db.js";
import { startTestServer, type TestServer } from "../../tests/helpers/server.js";
import type { Ctx } from "../context.js";
import { openDatabase } from "../db/index.js";
import { newId, nowIso } from "../lib.js";
import { enqueueJob, queueCoalescedJob, startJobWorker, type JobHandler, type JobWorker } from "./jobs.js";
import { waitFor } from "../../tests/helpers/wait.js";

for (const dialect of DIALECTS) {
  describe(`durable jobs (${dialect})`, () => {
    let server: TestServer;
    let ctx: Ctx;
    const workers: JobWorker[] = [];
    const start = (opts: Parameters<typeof startJobWorker>[0]) => {
      const w = startJobWorker({ pollMs: 25, ...opts });
      workers.push(w);
      return w;
    };
    const jobRow = (id: string) => ctx.db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ctx = server.ctx;
    });
    afterAll(async () => {
      await Promise.all(workers.map((w) => w.stop()));
      await server.close();
    });

    it("keeps a job across a restart: a stopped worker leaves it, a new server on the same database runs it once", async () => {
      const kind = `restart.${newId()}`;
      const ranBy: string[] = [];
      const handler = (who: string): JobHandler => async (job) => {
        ranBy.push(`${who}:${JSON.stringify(job.payload)}`);
      };
      const { id } = await enqueueJob(ctx.db, { kind, payload: { n: 7 }, runAt: new Date(Date.now() + 400).toISOString() });
      const first = start({ ctx, handlers: { [kind]: handler("first") } });
      await first.stop();

      // A new "server": its own connection (pool) to the same database, its own worker.
      const second = openDatabase(ctx.config.database);
      try {
        const worker = start({ ctx: { ...ctx, db: second.db }, handlers: { [kind]: handler("second") } });
        await waitFor("the job to finish", async () => (await jobRow(id)).status === "done");
        await worker.stop();
      } finally {
        await second.close();
      }
      expect(ranBy).toEqual(['second:{"n":7}']);
      const row = await jobRow(id);
      expect(row.attempts).toBe(1);
      expect(row.locked_by).toBeNull();
      expect(row.finished_at).not.toBeNull();
    });

    it("retries a failing job after an exponentially growing delay, then records success", async () => {
      const kind = `backoff.${newId()}`;
      const calls: number[] = [];
      const { id } = await enqueueJob(ctx.db, { kind, payload: null });
      const worker = start({
        ctx,
        backoffMs: (attempt) => 300 * 2 ** (attempt - 1),
        handlers: {
          [kind]: async (job) => {
            calls.push(Date.now());
            if (job.attempt < 3) throw new Error(`not yet (${job.attempt})`);
          },
        },
      });
      const afterFirst = await waitFor("the first failure to be recorded", async () => {
        const row = await jobRow(id);
        return row.last_error !== null ? row : undefined;
      });
      expect(afterFirst.status).toBe("pending");
      expect(afterFirst.last_error).toBe("not yet (1)");
      expect(Date.parse(afterFirst.run_at) - (calls[0] ?? 0)).toBeGreaterThanOrEqual(290);
      await waitFor("the job to succeed", async () => (await jobRow(id)).status === "done");
      await worker.stop();
      expect(calls).toHaveLength(3);
      const [a = 0, b = 0, c = 0] = calls;
      expect(b - a).toBeGreaterThanOrEqual(290);
      expect(c - b).toBeGreaterThanOrEqual(590);
      const row = await jobRow(id);
      expect(row.attempts).toBe(3);
      expect(row.last_error).toBeNull();
    });

    it("ends a job that keeps failing as failed, with its last error, after max_attempts runs", async () => {
      const kind = `failing.${newId()}`;
      let calls = 0;
      const { id } = await enqueueJob(ctx.db, { kind, payload: { printer: "b12" }, maxAttempts: 3 });
      const worker = start({
        ctx,
        backoffMs: () => 10,
        handlers: {
          [kind]: async (job) => {
            calls++;
            throw new Error(`no printer ${String((job.payload as { printer: string }).printer)} (try ${job.attempt}, last: ${job.isLastAttempt})`);
          },
        },
      });
      const row = await waitFor("the job to fail for good", async () => {
        const r = await jobRow(id);
        return r.status === "failed" ? r : undefined;
      });
      await worker.stop();
      expect(calls).toBe(3);
      expect(row.attempts).toBe(3);
      expect(row.last_error).toBe("no printer b12 (try 3, last: true)");
      expect(row.finished_at).not.toBeNull();
      expect(row.locked_by).toBeNull();
    });

    it("takes over a job whose server died (lease expired), but not one whose lease is alive", async () => {
      const kind = `lease.${newId()}`;
      const insertRunning = async (lockedUntil: string, attempts: number) => {
        const id = newId();
        await ctx.db
          .insertInto("jobs")
          .values({
            id,
            kind,
            payload: JSON.stringify({ id }),
            status: "running",
            run_at: nowIso(),
            attempts,
            max_attempts: 3,
            last_error: null,
            locked_by: "dead-server:1",
            locked_until: lockedUntil,
            dedupe_key: null,
            created_at: nowIso(),
            finished_at: null,
          })
          .execute();
        return id;
      };
      const expired = await insertRunning(new Date(Date.now() - 1000).toISOString(), 1);
      const alive = await insertRunning(new Date(Date.now() + 3_600_000).toISOString(), 1);
      const expiredOnLastAttempt = await insertRunning(new Date(Date.now() - 1000).toISOString(), 3);
      const ran: string[] = [];
      const worker = start({ ctx, handlers: { [kind]: async (job) => void ran.push(job.id) } });
      await waitFor("the expired job to be taken over", async () => (await jobRow(expired)).status === "done");
      await waitFor("the job whose last attempt died to be failed", async () => (await jobRow(expiredOnLastAttempt)).status === "failed");
      await worker.stop();
      expect(ran).toEqual([expired]);
      expect((await jobRow(expired)).attempts).toBe(2);
      expect((await jobRow(expiredOnLastAttempt)).last_error).toContain("stopped before it finished");
      const untouched = await jobRow(alive);
      expect(untouched.status).toBe("running");
      expect(untouched.locked_by).toBe("dead-server:1");
      expect(untouched.attempts).toBe(1);
    });

    it("enqueues a dedupe key once, and schedules a recurring job once per period however many servers try", async () => {
      const kind = `hourly.${newId()}`;
      const a = await enqueueJob(ctx.db, { kind: "noop", payload: 1, dedupeKey: `${kind}:manual` });
      const b = await enqueueJob(ctx.db, { kind: "noop", payload: 2, dedupeKey: `${kind}:manual` });
      expect([a.isNew, b.isNew]).toEqual([true, false]);
      const second = openDatabase(ctx.config.database);
      let runs = 0;
      const handlers = { [kind]: async () => void runs++ };
      try {
        const w1 = start({ ctx, handlers, recurring: [{ kind, everyMs: 3_600_000 }] });
        const w2 = start({ ctx: { ...ctx, db: second.db }, handlers, recurring: [{ kind, everyMs: 3_600_000 }] });
        await waitFor("this hour's run", async () => {
          const rows = await ctx.db.selectFrom("jobs").select("status").where("kind", "=", kind).execute();
          return rows.length > 0 && rows.every((r) => r.status === "done");
        });
        await Promise.all([w1.stop(), w2.stop()]);
      } finally {
        await second.close();
      }
      const rows = await ctx.db.selectFrom("jobs").select(["dedupe_key", "run_at"]).where("kind", "=", kind).execute();
      const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
      expect(rows).toEqual([{ dedupe_key: `${kind}@${hour}`, run_at: hour }]);
      expect(runs).toBe(1);
    });

    it("runs each of 300 jobs exactly once with two servers' workers racing on one database", async () => {
      const kind = `race.${newId()}`;
      const count = 300;
      await ctx.db.transaction().execute(async (trx) => {
        for (let i = 0; i < count; i++) await enqueueJob(trx, { kind, payload: { i } });
      });
      const second = openDatabase(ctx.config.database);
      const runs = new Map<number, number>();
      const byWorker = new Map<string, number>();
      const handler =
        (who: string): JobHandler =>
        async (job) => {
          const { i } = job.payload as { i: number };
          runs.set(i, (runs.get(i) ?? 0) + 1);
          byWorker.set(who, (byWorker.get(who) ?? 0) + 1);
          await new Promise((resolve) => setTimeout(resolve, 1));
        };
      try {
        const w1 = start({ ctx, handlers: { [kind]: handler("a") }, pollMs: 5, concurrency: 4 });
        const w2 = start({ ctx: { ...ctx, db: second.db }, handlers: { [kind]: handler("b") }, pollMs: 5, concurrency: 4 });
        await waitFor(
          "every job to finish",
          async () => {
            const open = await ctx.db.selectFrom("jobs").select((eb) => eb.fn.countAll<number>().as("n")).where("kind", "=", kind).where("status", "!=", "done").executeTakeFirstOrThrow();
            return Number(open.n) === 0;
          },
          30_000,
        );
        await Promise.all([w1.stop(), w2.stop()]);
      } finally {
        await second.close();
      }
      expect(runs.size).toBe(count);
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
      // Both servers took part: the exclusivity was tested, not avoided.
      expect(byWorker.get("a")).toBeGreaterThan(0);
      expect(byWorker.get("b")).toBeGreaterThan(0);
      const attempts = await ctx.db.selectFrom("jobs").select("attempts").where("kind", "=", kind).execute();
      expect(attempts.every((r) => r.attempts === 1)).toBe(true);
    });

    it("coalesces a burst of change notices into one job per key and bucket, run at the bucket's end without waiting for a poll", async () => {
      const kind = `coalesced.${newId()}`;
      const ran: { at: number; payload: unknown }[] = [];
      // A poll far away: only the wake queued with the job can run it in time.
      start({ ctx, pollMs: 60_000, handlers: { [kind]: async (job) => void ran.push({ at: Date.now(), payload: job.payload }) } });
      const bucketMs = 400;
      // Start at the beginning of a bucket, so the burst falls in one.
      await new Promise((r) => setTimeout(r, bucketMs - (Date.now() % bucketMs) + 5));
      const dueAt = (Math.floor(Date.now() / bucketMs) + 1) * bucketMs;
      await Promise.all(Array.from({ length: 50 }, () => queueCoalescedJob(ctx, { kind, key: "queue-a", payload: { q: "a" }, bucketMs })));
      await queueCoalescedJob(ctx, { kind, key: "queue-b", payload: { q: "b" }, bucketMs });
      const rows = await ctx.db.selectFrom("jobs").select(["dedupe_key", "run_at"]).where("kind", "=", kind).execute();
      expect(rows).toHaveLength(2);
      expect(rows.every((r) => Date.parse(r.run_at) === dueAt)).toBe(true);
      await waitFor("both notices to run", () => ran.length === 2, 3_000);
      expect(ran.map((r) => r.payload)).toEqual(expect.arrayContaining([{ q: "a" }, { q: "b" }]));
      expect(Math.min(...ran.map((r) => r.at))).toBeGreaterThanOrEqual(dueAt);
      // The next bucket gets its own job.
      await new Promise((r) => setTimeout(r, dueAt - Date.now() + 5));
      await queueCoalescedJob(ctx, { kind, key: "queue-a", payload: { q: "a" }, bucketMs });
      expect(await ctx.db.selectFrom("jobs").select("id").where("kind", "=", kind).execute()).toHaveLength(3);
    });
  });
}
