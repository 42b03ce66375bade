import type { Kysely } from "kysely";
import { z } from "zod";
import type { DB } from "../db/schema.js";
import { nowIso } from "../lib.js";
import { enqueueJob, nudgeJobWorkers, type JobEnv, type JobHandler } from "./jobs.js";

// Domain events: how one module's change causes effects in another without touching its tables
// (a roster import updates device assignments; a resolved ticket updates a coaching log link).
// Delivery is durable and after commit, built on jobs:
//
//   publishEvent(trx, …)  → one "event:<name>" job, in the publisher's transaction
//                           (rolled back: no event; committed: delivered even if we crash now)
//   worker runs it        → one "event:<name>><subscriber>" job per subscriber, in one transaction,
//                           each with a dedupe key, so a re-run of this step adds nothing
//   worker runs those     → each subscriber's handler, retried with backoff on its own
//
// The subscribers are those of the server that runs the fan-out, not of the process that
// published: the CLI and the web app publish alike, and the running code decides who listens.

/** Every domain event and its payload. Payloads are small and carry ids, not records. */
export type DomainEvents = {
  /** A roster import was applied (not a dry run, not refused). */
  "roster.imported": {
    importId: string;
    districtId: string;
    /** Who started it; null for the command line. */
    actorId: string | null;
    kind: "oneroster" | "staff";
    counts: { created: number; updated: number; deactivated: number; unchanged: number; skipped: number; rejected: number };
  };
};
export type EventName = keyof DomainEvents;

/** Every event name, checked against DomainEvents by the compiler: the worker needs them at run time. */
const EVENT_NAMES = { "roster.imported": true } as const satisfies Record<EventName, true>;

export type DeliveredEvent = { id: string; name: EventName; publishedAt: string; attempt: number; isLastAttempt: boolean };

/** Handles one event; throwing retries this subscriber only. Must be idempotent (it can run twice after a crash). */
export type EventHandler<E extends EventName> = (payload: DomainEvents[E], env: JobEnv & { event: DeliveredEvent }) => Promise<void>;

/** A module's subscriptions: event name → subscriber name (unique per event, e.g. "devices.reassign") → handler. */
export type EventHandlers = { readonly [E in EventName]?: Readonly<Record<string, EventHandler<E>>> };

const FANOUT_PREFIX = "event:";
const fanoutKind = (name: EventName) => `${FANOUT_PREFIX}${name}`;
/** The job kind that delivers `name` to `subscriber`; it appears in the jobs table. */
export const deliveryKind = (name: EventName, subscriber: string) => `${FANOUT_PREFIX}${name}>${subscriber}`;

const ZEventJob = z.object({ name: z.string(), payload: z.unknown(), publishedAt: z.string() });
const ZDeliveryJob = ZEventJob.extend({ eventId: z.string() });

/**
 * Publishes an event as part of the caller's transaction: subscribers hear of it only once that
 * commits. Pass the transaction (`trx`) the change itself is written in.
 */
export async function publishEvent<E extends EventName>(trx: Kysely<DB>, name: E, payload: DomainEvents[E]): Promise<void> {
  await enqueueJob(trx, { kind: fanoutKind(name), payload: { name, payload, publishedAt: nowIso() } });
  // The commit is still to come; the nudged worker keeps looking for a moment until it sees the job.
  nudgeJobWorkers();
}

/**
 * The job handlers that deliver events to the given subscriptions (one set per module). Give them
 * to startJobWorker alongside the other jobs. Every event gets a fan-out handler, so an event
 * nobody listens to is simply marked done.
 */
export function eventJobHandlers(sets: readonly EventHandlers[]): Record<string, JobHandler> {
  const subscribers = new Map<EventName, Map<string, EventHandler<EventName>>>();
  for (const name of Object.keys(EVENT_NAMES) as EventName[]) subscribers.set(name, new Map());
  for (const set of sets) {
    for (const name of Object.keys(set) as EventName[]) {
      const handlers: Readonly<Record<string, EventHandler<EventName>>> = set[name] ?? {};
      const byName = subscribers.get(name);
      for (const [subscriber, handler] of Object.entries(handlers)) {
        if (!byName) throw new Error(`unknown event "${name}"`);
        if (subscriber.includes(">")) throw new Error(`subscriber name "${subscriber}" may not contain ">"`);
        if (byName.has(subscriber)) throw new Error(`two subscribers of "${name}" are called "${subscriber}"`);
        byName.set(subscriber, handler);
      }
    }
  }

  const jobs: Record<string, JobHandler> = {};
  for (const [name, byName] of subscribers) {
    jobs[fanoutKind(name)] = async (job, { ctx }) => {
      const event = ZEventJob.parse(job.payload);
      if (byName.size === 0) return;
      await ctx.db.transaction().execute(async (trx) => {
        for (const subscriber of byName.keys()) {
          await enqueueJob(trx, {
            kind: deliveryKind(name, subscriber),
            payload: { ...event, eventId: job.id },
            dedupeKey: `${job.id}>${subscriber}`,
          });
        }
      });
      nudgeJobWorkers();
    };
    for (const [subscriber, handler] of byName) {
      jobs[deliveryKind(name, subscriber)] = async (job, env) => {
        const delivery = ZDeliveryJob.parse(job.payload);
        const event: DeliveredEvent = { id: delivery.eventId, name, publishedAt: delivery.publishedAt, attempt: job.attempt, isLastAttempt: job.isLastAttempt };
        // The payload was written by publishEvent from a DomainEvents[name]; it round-tripped through JSON only.
        await handler(delivery.payload as DomainEvents[typeof name], { ...env, event });
      };
    }
  }
  return jobs;
}
