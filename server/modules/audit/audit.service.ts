import type { Kysely } from "kysely";
import type { TAuditEntry, TListAuditQuery } from "../../../shared/schemas/audit.js";
import type { TList } from "../../../shared/schemas/common.js";
import type { Actor } from "../../auth/actor.js";
import { assertCanReadAudit } from "./policy.js";
import type { Ctx, RequestMeta } from "../../context.js";
import type { DB } from "../../db/schema.js";
import { findDistrict } from "../accounts/api.js";
import { namesByIds, type PersonName } from "../people/api.js";
import { paginate } from "../../platform/pagination.js";
import { AnonymousAuditBudget, AnonymousAuditLimits } from "./anonymous-budget.js";
import { countAudit, insertAudit, listAudit, type AuditFilter, type AuditRow } from "./audit.repository.js";

export type AuditEvent = {
  action: string;
  subjectType?:
    | "person"
    | "school"
    | "district"
    | "token"
    | "sso_provider"
    | "coaching_entry"
    | "coaching_cycle"
    | "coaching_category"
    | "observation"
    | "observation_rubric"
    | "observation_composite"
    | "helpdesk_ticket"
    | "helpdesk_department"
    | "helpdesk_queue"
    | "helpdesk_category"
    | "device_asset"
    | "device_rollout"
    | "device_resource"
    | "chat_series"
    | "chat_event"
    | "chat_post"
    | "chat_group"
    | null;
  subjectId?: string | null;
  details?: Record<string, unknown> | null;
};

/** Records who did what to which record, from where. Pass the transaction that makes the change. */
export async function recordAudit(
  db: Kysely<DB>,
  who: { actor: Actor | null; districtId?: string | null; meta: RequestMeta; actorId?: string | null },
  event: AuditEvent,
): Promise<void> {
  await insertAudit(db, {
    districtId: who.actor?.districtId ?? who.districtId ?? null,
    // `actorId` names the person acting before they have a session (signing in, setting up).
    actorId: who.actor?.personId ?? who.actorId ?? null,
    action: event.action,
    subjectType: event.subjectType ?? null,
    subjectId: event.subjectId ?? null,
    ip: who.meta.ip,
    userAgent: who.meta.userAgent,
    details: event.details ?? null,
  });
}

const anonymousBudget = new AnonymousAuditBudget();

/**
 * Records what an anonymous caller tried (a failed sign-in, a reset request, a throttled login),
 * within a budget per address and overall, so anonymous traffic cannot grow the log without bound.
 */
export async function recordAnonymousAttempt(
  db: Kysely<DB>,
  who: { districtId: string | null; meta: RequestMeta },
  event: AuditEvent,
): Promise<void> {
  const decision = anonymousBudget.take(who.meta.ip);
  switch (decision.kind) {
    case "record":
      await recordAudit(db, { actor: null, districtId: who.districtId, meta: who.meta }, decision.suppressedBefore > 0 ? { ...event, details: { ...event.details, suppressedBefore: decision.suppressedBefore } } : event);
      return;
    case "mark":
      await recordAudit(db, { actor: null, districtId: who.districtId, meta: who.meta }, {
        action: "audit.suppressed",
        details: {
          action: event.action,
          note: `more than ${AnonymousAuditLimits.perAddress} anonymous events from this address in ${AnonymousAuditLimits.windowMs / 60_000} minutes (or ${AnonymousAuditLimits.overall} overall); further ones are counted, not recorded`,
        },
      });
      return;
    case "drop":
      return;
    default: {
      const exhaustive: never = decision;
      return exhaustive;
    }
  }
}

const refusalBudget = new AnonymousAuditBudget();

/**
 * Records a refused request (403) by a signed-in person: who tried what. Within a budget per person,
 * so a script hammering a forbidden route leaves a trace, not a flood.
 */
export async function recordRefusal(db: Kysely<DB>, who: { actor: Actor; meta: RequestMeta }, event: AuditEvent): Promise<void> {
  const decision = refusalBudget.take(who.actor.personId);
  if (decision.kind === "drop") return;
  await recordAudit(db, who, decision.kind === "mark" ? { action: "audit.suppressed", details: { action: event.action, note: "more refusals for this person were counted, not recorded" } } : event);
}

function toFilter(actor: Actor, q: Omit<TListAuditQuery, "limit" | "cursor">): AuditFilter {
  const nextDay = (d: string) => new Date(Date.parse(d + "T00:00:00Z") + 86_400_000).toISOString();
  return {
    districtId: actor.districtId,
    actorId: q.actorId,
    subjectId: q.subjectId,
    action: q.action,
    fromIso: q.from ? new Date(q.from + "T00:00:00Z").toISOString() : undefined,
    toIsoExclusive: q.to ? nextDay(q.to) : undefined,
  };
}

/** Actions a person does to themselves before a session exists: the subject is the actor. */
const SELF_ACTIONS = new Set(["auth.login", "setup.complete", "auth.password_reset"]);

/** Who acted: recorded since issue 17; for older rows of a sign-in or setup, the person it was about. */
const actorOf = (row: AuditRow): string | null =>
  row.actor_id ?? (SELF_ACTIONS.has(row.action) && row.subject_type === "person" ? row.subject_id : null);

type Names = { people: ReadonlyMap<string, PersonName>; district: { id: string; name: string } | undefined };

/** Names of the actors and person subjects of `rows` (from the directory), and the district's. */
async function namesOf(db: Kysely<DB>, districtId: string, rows: readonly AuditRow[]): Promise<Names> {
  const people = await namesByIds(db, rows.flatMap((r) => [actorOf(r), r.subject_type === "person" ? r.subject_id : null]).filter((id): id is string => id !== null));
  const district = rows.some((r) => r.subject_type === "district") ? await findDistrict(db, districtId) : undefined;
  return { people, district };
}

export function presentAudit(row: AuditRow, names: Names): TAuditEntry {
  const name = (id: string | null) => {
    const p = id === null ? undefined : names.people.get(id);
    return p ? `${p.givenName} ${p.familyName}`.trim() : null;
  };
  const actorId = actorOf(row);
  let details: Record<string, unknown> | null = null;
  if (row.details) {
    try {
      details = JSON.parse(row.details) as Record<string, unknown>;
    } catch {
      details = { raw: row.details };
    }
  }
  return {
    id: row.id,
    at: row.created_at,
    actorId,
    actorName: name(actorId),
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    subjectName:
      row.subject_type === "person" ? name(row.subject_id) : row.subject_type === "district" && names.district?.id === row.subject_id ? names.district.name : null,
    ip: row.ip,
    details,
  };
}

/** The district's audit log, newest first (district admins only). */
export async function listAuditEntries(ctx: Ctx, actor: Actor, q: TListAuditQuery): Promise<TList<TAuditEntry>> {
  assertCanReadAudit(actor);
  const filter = toFilter(actor, q);
  const page = await paginate({
    query: q,
    cursorOf: (r) => [Number(r.seq)],
    readCursor: ([seq]) => (typeof seq === "number" ? seq : undefined),
    count: () => countAudit(ctx.db, filter),
    fetch: (beforeSeq: number | null, limit: number) => listAudit(ctx.db, { ...filter, beforeSeq: beforeSeq ?? undefined }, limit),
  });
  const names = await namesOf(ctx.db, actor.districtId, page.items);
  return { ...page, items: page.items.map((r) => presentAudit(r, names)) };
}

/** Every matching entry, oldest batch last, for the CSV export; yields in pages to bound memory. */
export async function* iterateAuditEntries(
  ctx: Ctx,
  actor: Actor,
  q: Omit<TListAuditQuery, "limit" | "cursor">,
): AsyncGenerator<TAuditEntry> {
  assertCanReadAudit(actor);
  const filter = toFilter(actor, q);
  for (;;) {
    const rows = await listAudit(ctx.db, filter, 1000);
    const names = await namesOf(ctx.db, actor.districtId, rows);
    for (const row of rows) yield presentAudit(row, names);
    const last = rows[rows.length - 1];
    if (rows.length < 1000 || !last) return;
    filter.beforeSeq = Number(last.seq);
  }
}
