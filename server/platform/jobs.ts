import { EventEmitter } from "node:events";
import { hostname } from "node:os";
import type { Kysely, Selectable } from "kysely";
import type { Ctx } from "../context.js";
import { isDatabaseUnavailable } from "../db/faults.js";
import type { DB, JobsTable } from "../db/schema.js";
import { newId, nowIso, randomToken } from "../lib.js";
import type { RealtimePublisher } from "./realtime.js";

// Durable jobs in the database, on both dialects. A worker claims due jobs by taking a lease
// (locked_by, locked_until) in one atomic statement, runs them, and marks them done, or pending
// again after a backoff, or failed after max_attempts. A server killed mid-job leaves its lease
// to expire; the next claim takes the job again. Handlers must therefore be idempotent: a job
// whose server died after the work but before "done" runs again.

export type JobRow = Selectable<JobsTable>;

/** One run of a job, as its handler sees it. `attempt` counts from 1. */
export type JobRun = {
  id: string;
  kind: string;
  payload: unknown;
  attempt: number;
  maxAttempts: number;
  isLastAttempt: boolean;
};

/** What a handler may use besides its payload. `realtime` is null where no hub runs (the CLI). */
export type JobEnv = { ctx: Ctx; realtime: RealtimePublisher | null };

/** Runs one job; throwing makes it retry with backoff, then fail with the error recorded. */
export type JobHandler = (job: JobRun, env: JobEnv) => Promise<void>;

/** A job the worker enqueues once per period, whichever server gets there first. */
export type RecurringJob = { kind: string; everyMs: number };

export type EnqueueJob = {
  kind: string;
  /** Stored as JSON text; keep it small (ids, not records). */
  payload: unknown;
  /** Not before this time (ISO 8601); now when omitted. */
  runAt?: string;
  /** Enqueueing the same key again does nothing, even after the first job finished. */
  dedupeKey?: string;
  maxAttempts?: number;
};

export const JobDefaults = {
  maxAttempts: 5,
  pollMs: 2_000,
  concurrency: 4,
  leaseMs: 60_000,
  /** How long after a nudge the worker keeps looking quickly for the jobs it was told about. */
  nudgeWindowMs: 2_000,
} as const;

/** Joins the job handlers of several modules; two modules claiming one kind is a programming error. */
export function mergeJobHandlers(sets: readonly Readonly<Record<string, JobHandler>>[]): Record<string, JobHandler> {
  const merged: Record<string, JobHandler> = {};
  for (const set of sets) {
    for (const [kind, handler] of Object.entries(set)) {
      if (merged[kind]) throw new Error(`two modules handle the job kind "${kind}"`);
      merged[kind] = handler;
    }
  }
  return merged;
}

/**
 * Queues a job. Pass the caller's transaction to make the job part of a write: rolled back, the
 * job never existed; committed, it runs even if this server dies the next instant.
 */
export async function enqueueJob(db: Kysely<DB>, job: EnqueueJob): Promise<{ id: string; isNew: boolean }> {
  const id = newId();
  const now = nowIso();
  const result = await db
    .insertInto("jobs")
    .values({
      id,
      kind: job.kind,
      payload: JSON.stringify(job.payload ?? null),
      status: "pending",
      run_at: job.runAt ?? now,
      attempts: 0,
      max_attempts: job.maxAttempts ?? JobDefaults.maxAttempts,
      last_error: null,
      locked_by: null,
      locked_until: null,
      dedupe_key: job.dedupeKey ?? null,
      created_at: now,
      finished_at: null,
    })
    .onConflict((oc) => oc.column("dedupe_key").doNothing())
    .executeTakeFirst();
  return { id, isNew: Number(result.numInsertedOrUpdatedRows ?? 0) === 1 };
}

const nudges = new EventEmitter();
nudges.setMaxListeners(0);

/** Tells this process's workers that jobs were just enqueued, so they look now rather than at the next poll. */
export function nudgeJobWorkers(atMs?: number): void {
  nudges.emit("nudge", atMs);
}

/** When each coalesced job (kind and key) was last queued for by this process: the time it falls due. */
const coalescedDueAt = new Map<string, number>();

/**
 * Queues a job that says "something changed" (refetch), at most once per kind, key and `bucketMs`
 * from this process, due at the end of the current bucket; the workers are woken for that moment.
 * Call it after the change has committed, never inside its transaction: on PostgreSQL concurrent
 * transactions inserting the same deduplicated job row wait on each other until each commits, which
 * lined up a rollout morning's pickups and a rollout week's tickets behind one another's commits.
 * Another server queues its own; the dedupe key keeps one job per bucket. A notice that cannot be
 * queued is logged, not the caller's failure (its change has committed), and the next change queues
 * again.
 */
export async function queueCoalescedJob(
  ctx: Pick<Ctx, "db" | "log">,
  job: { kind: string; key: string; payload: unknown; bucketMs: number },
): Promise<void> {
  const dueAt = (Math.floor(Date.now() / job.bucketMs) + 1) * job.bucketMs;
  const name = `${job.kind}:${job.key}`;
  if (coalescedDueAt.get(name) === dueAt) return;
  coalescedDueAt.set(name, dueAt);
  if (coalescedDueAt.size > 1000) for (const [k, at] of coalescedDueAt) if (at < dueAt - job.bucketMs) coalescedDueAt.delete(k);
  try {
    await enqueueJob(ctx.db, { kind: job.kind, payload: job.payload, runAt: new Date(dueAt).toISOString(), dedupeKey: `${name}@${dueAt}`, maxAttempts: 1 });
    nudgeJobWorkers(dueAt);
  } catch (err) {
    coalescedDueAt.delete(name);
    ctx.log.warn({ err, kind: job.kind, key: job.key }, "a change notice could not be queued");
  }
}

/**
 * Claims up to `limit` due jobs of the given kinds in one statement: pending ones whose time has
 * come, and running ones whose lease expired (their server died). On PostgreSQL the inner select
 * locks the rows it picks and skips rows another server is locking (FOR UPDATE SKIP LOCKED); on
 * SQLite the one UPDATE … RETURNING runs under the database's single write lock. Either way a job
 * goes to exactly one worker.
 */
export async function claimJobs(
  ctx: Pick<Ctx, "db" | "dialect">,
  opts: { workerId: string; kinds: readonly string[]; limit: number; leaseMs: number },
): Promise<JobRow[]> {
  if (opts.kinds.length === 0 || opts.limit <= 0) return [];
  const now = nowIso();
  let due = ctx.db
    .selectFrom("jobs")
    .select("id")
    .where("kind", "in", opts.kinds)
    .where((eb) =>
      eb.or([
        eb.and([eb("status", "=", "pending"), eb("run_at", "<=", now)]),
        eb.and([eb("status", "=", "running"), eb("locked_until", "<", now)]),
      ]),
    )
    .orderBy("run_at")
    .limit(opts.limit);
  if (ctx.dialect === "postgres") due = due.forUpdate().skipLocked();
  return ctx.db
    .updateTable("jobs")
    .set((eb) => ({
      status: "running",
      attempts: eb("attempts", "+", 1),
      locked_by: opts.workerId,
      locked_until: new Date(Date.now() + opts.leaseMs).toISOString(),
    }))
    .where("id", "in", due)
    .returningAll()
    .execute();
}

/** 10 s, 20 s, 40 s … capped at an hour, each ±20 % so retries of a burst spread out. */
export function defaultBackoffMs(attempt: number): number {
  const base = Math.min(3_600_000, 10_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Removes finished jobs older than `keepDays` (done) and three times that (failed, kept longer to investigate). */
export async function purgeFinishedJobs(db: Kysely<DB>, keepDays = 7): Promise<void> {
  const day = 86_400_000;
  await db
    .deleteFrom("jobs")
    .where("status", "=", "done")
    .where("finished_at", "<", new Date(Date.now() - keepDays * day).toISOString())
    .execute();
  await db
    .deleteFrom("jobs")
    .where("status", "=", "failed")
    .where("finished_at", "<", new Date(Date.now() - 3 * keepDays * day).toISOString())
    .execute();
}

export type JobWorkerOptions = {
  ctx: Ctx;
  /** Handlers by job kind; the worker claims only these kinds, so an older server leaves newer kinds alone. */
  handlers: Readonly<Record<string, JobHandler>>;
  recurring?: readonly RecurringJob[];
  realtime?: RealtimePublisher | null;
  pollMs?: number;
  concurrency?: number;
  leaseMs?: number;
  backoffMs?: (attempt: number) => number;
  workerId?: string;
};

export type JobWorker = {
  readonly id: string;
  /**
   * Look for due jobs now (and quickly for a short while), e.g. right after a commit that enqueued
   * some; or, given a time to come, once at that time.
   */
  nudge(atMs?: number): void;
  /** Stops claiming, waits for the jobs in hand to finish. */
  stop(): Promise<void>;
};

/** Starts a worker that runs due jobs of the given kinds until stopped. Any number may run, on any number of servers. */
export function startJobWorker(opts: JobWorkerOptions): JobWorker {
  const { ctx } = opts;
  const id = opts.workerId ?? `${hostname()}:${process.pid}:${randomToken(6)}`;
  const kinds = Object.keys(opts.handlers);
  const pollMs = opts.pollMs ?? JobDefaults.pollMs;
  const concurrency = opts.concurrency ?? JobDefaults.concurrency;
  const leaseMs = opts.leaseMs ?? JobDefaults.leaseMs;
  const backoffMs = opts.backoffMs ?? defaultBackoffMs;
  const env: JobEnv = { ctx, realtime: opts.realtime ?? null };
  const recurring = opts.recurring ?? [];
  for (const r of recurring) {
    if (!opts.handlers[r.kind]) throw new Error(`recurring job "${r.kind}" has no handler`);
  }
  const scheduledPeriod = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;
  let isStopping = false;
  // A tick asked for while one runs (a nudge, a finished job) runs right after it, not at the next poll.
  let isTickWanted = false;
  let quickUntil = 0;
  let quickDelay = 0;

  let timerDueAt = Infinity;
  // When retries this worker scheduled fall due: it looks then, even if the next poll is later.
  const retryWakes = new Set<number>();
  // When the last tick began: a wake that fell due only after that is still owed a look, even if
  // the tick ended after it (it claimed before the retry was due).
  let tickStartedAt = 0;
  const nextPollDelay = () => {
    const now = Date.now();
    let delay = pollMs;
    for (const at of retryWakes) {
      if (at <= tickStartedAt) retryWakes.delete(at);
      else delay = Math.min(delay, Math.max(0, at - now));
    }
    return delay;
  };
  /** Runs a tick after `delayMs`, unless one is already due sooner (the earliest wish wins). */
  const schedule = (delayMs: number) => {
    if (isStopping) return;
    const dueAt = Date.now() + delayMs;
    if (timer && timerDueAt <= dueAt) return;
    if (timer) clearTimeout(timer);
    timerDueAt = dueAt;
    timer = setTimeout(() => {
      timer = null;
      timerDueAt = Infinity;
      void runTick();
    }, delayMs);
    timer.unref();
  };

  const runTick = async () => {
    if (isStopping) return;
    if (ticking) {
      isTickWanted = true;
      return;
    }
    isTickWanted = false;
    tickStartedAt = Date.now();
    let claimed = 0;
    let capacity = 0;
    ticking = (async () => {
      await scheduleRecurring();
      capacity = concurrency - inFlight.size;
      const jobs = await claimJobs(ctx, { workerId: id, kinds, limit: capacity, leaseMs });
      claimed = jobs.length;
      for (const job of jobs) {
        const running: Promise<void> = execute(job).finally(() => {
          inFlight.delete(running);
          schedule(0);
        });
        inFlight.add(running);
      }
    })().catch((err: unknown) => {
      // The database being away is an outage the API already reports (503); the jobs wait for it.
      if (isDatabaseUnavailable(err)) ctx.log.warn({ workerId: id, reason: err instanceof Error ? err.message : String(err) }, "job worker: the database is unavailable; jobs wait for it");
      else ctx.log.error({ err, workerId: id }, "job worker could not claim jobs");
    });
    await ticking;
    ticking = null;
    if (isTickWanted || (capacity > 0 && claimed === capacity)) {
      schedule(0); // asked for meanwhile, or more may be due
    } else if (claimed === 0 && Date.now() < quickUntil) {
      // Nudged: the enqueuing transaction may not have committed yet; look again soon.
      quickDelay = Math.min(250, Math.max(10, quickDelay * 2));
      schedule(quickDelay);
    } else {
      schedule(nextPollDelay());
    }
  };

  const scheduleRecurring = async () => {
    const now = Date.now();
    for (const r of recurring) {
      const period = Math.floor(now / r.everyMs) * r.everyMs;
      if (scheduledPeriod.get(r.kind) === period) continue;
      const startsAt = new Date(period).toISOString();
      // One job per period across every server: the dedupe key names the period.
      await enqueueJob(ctx.db, { kind: r.kind, payload: { period: startsAt }, runAt: startsAt, dedupeKey: `${r.kind}@${startsAt}` });
      scheduledPeriod.set(r.kind, period);
    }
  };

  const execute = async (job: JobRow) => {
    const handler = opts.handlers[job.kind];
    if (!handler) return; // unreachable: only our kinds are claimed
    if (job.attempts > job.max_attempts) {
      // Reclaimed after its last attempt's server died: a job that kills its server must not loop forever.
      await finish(job, { status: "failed", error: "the server running its last attempt stopped before it finished" });
      return;
    }
    const renew = setInterval(() => {
      ctx.db
        .updateTable("jobs")
        .set({ locked_until: new Date(Date.now() + leaseMs).toISOString() })
        .where("id", "=", job.id)
        .where("locked_by", "=", id)
        .execute()
        .catch((err: unknown) => ctx.log.warn({ err, jobId: job.id }, "could not extend a job's lease"));
    }, Math.max(10, Math.floor(leaseMs / 3)));
    renew.unref();
    try {
      const payload: unknown = JSON.parse(job.payload);
      await handler(
        { id: job.id, kind: job.kind, payload, attempt: job.attempts, maxAttempts: job.max_attempts, isLastAttempt: job.attempts >= job.max_attempts },
        env,
      );
      clearInterval(renew);
      await finish(job, { status: "done", error: null });
    } catch (err) {
      clearInterval(renew);
      const error = (err instanceof Error ? err.message : String(err)).slice(0, 2000) || "failed without a message";
      const isLast = job.attempts >= job.max_attempts;
      ctx.log.warn({ err, jobId: job.id, kind: job.kind, attempt: job.attempts, isLast }, isLast ? "job failed for good" : "job failed; it will be retried");
      const delay = backoffMs(job.attempts);
      await finish(job, isLast ? { status: "failed", error } : { status: "pending", error, runAt: new Date(Date.now() + delay).toISOString() });
      // Wake for the retry even when the next poll is further away (it may be taken by another server first).
      if (!isLast) {
        retryWakes.add(Date.now() + delay);
        schedule(delay);
      }
    }
  };

  const finish = async (job: JobRow, outcome: { status: "done" | "failed"; error: string | null } | { status: "pending"; error: string; runAt: string }) => {
    const isFinal = outcome.status !== "pending";
    try {
      const result = await ctx.db
        .updateTable("jobs")
        .set({
          status: outcome.status,
          last_error: outcome.error,
          locked_by: null,
          locked_until: null,
          ...(isFinal ? { finished_at: nowIso() } : { run_at: outcome.runAt }),
        })
        .where("id", "=", job.id)
        // Fencing: if our lease expired and another worker took the job, its outcome wins.
        .where("locked_by", "=", id)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) ctx.log.warn({ jobId: job.id, kind: job.kind }, "a job's lease expired before it finished; another worker has it");
    } catch (err) {
      ctx.log.error({ err, jobId: job.id }, "could not record a job's outcome; its lease will expire and it will run again");
    }
  };

  const onNudge = (atMs?: number) => {
    const now = Date.now();
    if (atMs !== undefined && atMs > now) {
      // A job queued for a moment soon: look then, once, rather than poll quickly until it.
      retryWakes.add(atMs);
      schedule(atMs - now);
      return;
    }
    quickUntil = now + JobDefaults.nudgeWindowMs;
    quickDelay = 0;
    schedule(0);
  };
  nudges.on("nudge", onNudge);
  schedule(0);

  return {
    id,
    nudge: onNudge,
    async stop() {
      isStopping = true;
      nudges.off("nudge", onNudge);
      if (timer) clearTimeout(timer);
      timer = null;
      await ticking;
      await Promise.all([...inFlight]);
    },
  };
}
