import type { Kysely } from "kysely";
import type { TAuditEntry, TListAuditQuery } from "../../../shared/schemas/audit.js";
import type { TList } from "../../../shared/schemas/common.js";
import type { Actor } from "../../auth/actor.js";
import { assertCanReadAudit } from "./policy.js";
import type { Ctx, RequestMeta } from "../../context.js";
import type { DB } from "../../db/schema.js";
import { namesByIds, type PersonName } from "../people/api.js";
import { paginate } from "../../platform/pagination.js";
import { countAudit, insertAudit, listAudit, type AuditFilter, type AuditRow } from "./audit.repository.js";

export type AuditEvent = {
  action: string;
  subjectType?: "person" | "school" | "district" | "token" | "sso_provider" | "coaching_entry" | "coaching_cycle" | "coaching_category" | null;
  subjectId?: string | null;
  details?: Record<string, unknown> | null;
};

/** Records who did what to which record, from where. Pass the transaction that makes the change. */
export async function recordAudit(
  db: Kysely<DB>,
  who: { actor: Actor | null; districtId?: string | null; meta: RequestMeta },
  event: AuditEvent,
): Promise<void> {
  await insertAudit(db, {
    districtId: who.actor?.districtId ?? who.districtId ?? null,
    actorId: who.actor?.personId ?? null,
    action: event.action,
    subjectType: event.subjectType ?? null,
    subjectId: event.subjectId ?? null,
    ip: who.meta.ip,
    userAgent: who.meta.userAgent,
    details: event.details ?? null,
  });
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

/** Names of the actors and person subjects of `rows`, from the directory. */
function namesOf(db: Kysely<DB>, rows: readonly AuditRow[]): Promise<Map<string, PersonName>> {
  return namesByIds(db, rows.flatMap((r) => [r.actor_id, r.subject_type === "person" ? r.subject_id : null]).filter((id): id is string => id !== null));
}

export function presentAudit(row: AuditRow, names: ReadonlyMap<string, PersonName>): TAuditEntry {
  const name = (id: string | null) => {
    const p = id === null ? undefined : names.get(id);
    return p ? `${p.givenName} ${p.familyName}`.trim() : null;
  };
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
    actorId: row.actor_id,
    actorName: name(row.actor_id),
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    subjectName: row.subject_type === "person" ? name(row.subject_id) : null,
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
  const names = await namesOf(ctx.db, page.items);
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
    const names = await namesOf(ctx.db, rows);
    for (const row of rows) yield presentAudit(row, names);
    const last = rows[rows.length - 1];
    if (rows.length < 1000 || !last) return;
    filter.beforeSeq = Number(last.seq);
  }
}
