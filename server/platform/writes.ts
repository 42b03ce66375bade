import { sql, type Kysely } from "kysely";
import type { Actor } from "../auth/actor.js";
import type { Ctx, RequestMeta } from "../context.js";
import { isUniqueViolation } from "../db/index.js";
import type { DB } from "../db/schema.js";
import { recordAudit, type AuditEvent } from "../modules/audit/api.js";

// How a module writes: in one transaction that also checks what depends on stored data and
// records the audit entry, so a write, its checks and its audit trail stand or fall together.

/** Who is writing and from where: what the audit entry needs. */
export type Writer = { actor: Actor; meta: RequestMeta };

/**
 * Runs `work` in a transaction and records `audit` (from the work's result) in the same one.
 * Validation that reads stored data (a daily total, "is the name taken") belongs inside `work`.
 */
export async function auditedWrite<T>(
  ctx: Ctx,
  who: Writer,
  work: (trx: Kysely<DB>) => Promise<T>,
  audit: (result: T) => AuditEvent,
): Promise<T> {
  return ctx.db.transaction().execute(async (trx) => {
    const result = await work(trx);
    await recordAudit(trx, who, audit(result));
    return result;
  });
}

/**
 * Serialises concurrent transactions on one key until the caller's transaction ends, so a check
 * over stored rows ("at most 16 hours a day") cannot pass twice for two racing writes.
 * PostgreSQL: a transaction-scoped advisory lock. SQLite: nothing to do, since it runs one write
 * transaction at a time and the app holds a single connection.
 */
export async function lockFor(trx: Kysely<DB>, dialect: Ctx["dialect"], key: string): Promise<void> {
  if (dialect !== "postgres") return;
  // hashtextextended gives the 64-bit key pg_advisory_xact_lock takes; the text is bound, not spliced.
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}

/**
 * Idempotent create by a client-chosen key (a retry, a double tap, an offline queue replaying):
 * returns the record the key already names, or creates it. `create` should look the key up again
 * inside its transaction (after any lock it takes) and answer `created: false` when it finds it;
 * a racing create that still slips past meets the key's unique index, and its violation is
 * answered by reading the winner's record, never by a 500.
 *
 * `lookFirst: false` skips the first look, for a busy create whose retries are rare and whose
 * `create` cannot half-succeed: the key's unique index refuses a repeat, its transaction rolls back,
 * and the record is read then. That saves a round trip on every create and costs one failed
 * transaction per retry.
 */
export async function createOnce<Id>(opts: {
  find: () => Promise<Id | undefined>;
  create: () => Promise<{ id: Id; created: boolean }>;
  lookFirst?: boolean;
}): Promise<{ id: Id; created: boolean }> {
  const existing = opts.lookFirst === false ? undefined : await opts.find();
  if (existing !== undefined) return { id: existing, created: false };
  try {
    return await opts.create();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const winner = await opts.find();
    if (winner === undefined) throw err;
    return { id: winner, created: false };
  }
}
