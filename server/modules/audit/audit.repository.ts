import type { Kysely } from "kysely";
import { compileOnce } from "../../db/compile-once.js";
import type { DB } from "../../db/schema.js";
import { newId, nowIso } from "../../lib.js";

export type AuditInsert = {
  districtId: string | null;
  actorId: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown> | null;
};

/** One audit row. Every audited request writes one, always the same shape: compiled once, then only bound. */
export async function insertAudit(db: Kysely<DB>, entry: AuditInsert): Promise<void> {
  const values: [string, string | null, string | null, string, string | null, string | null, string | null, string | null, string | null, string] = [
    newId(),
    entry.districtId,
    entry.actorId,
    entry.action,
    entry.subjectType,
    entry.subjectId,
    entry.ip,
    entry.userAgent,
    entry.details ? JSON.stringify(entry.details) : null,
    nowIso(),
  ];
  const q = compileOnce(db, "audit.insert", values, (id, district_id, actor_id, action, subject_type, subject_id, ip, user_agent, details, created_at) =>
    db.insertInto("audit_log").values({ id, district_id, actor_id, action, subject_type, subject_id, ip, user_agent, details, created_at }),
  );
  await db.executeQuery(q);
}

export type AuditFilter = {
  districtId: string;
  actorId?: string;
  subjectId?: string;
  action?: string;
  fromIso?: string;
  toIsoExclusive?: string;
  beforeSeq?: number;
};

function filtered(db: Kysely<DB>, f: AuditFilter) {
  let q = db.selectFrom("audit_log").where("audit_log.district_id", "=", f.districtId);
  if (f.actorId) q = q.where("audit_log.actor_id", "=", f.actorId);
  if (f.subjectId) q = q.where("audit_log.subject_id", "=", f.subjectId);
  if (f.action) q = q.where("audit_log.action", "=", f.action);
  if (f.fromIso) q = q.where("audit_log.created_at", ">=", f.fromIso);
  if (f.toIsoExclusive) q = q.where("audit_log.created_at", "<", f.toIsoExclusive);
  return q;
}

export type AuditRow = Awaited<ReturnType<typeof listAudit>>[number];

/** Newest first, keyset-paginated by the log's sequence number. */
export function listAudit(db: Kysely<DB>, f: AuditFilter, limit: number) {
  let q = filtered(db, f);
  if (f.beforeSeq !== undefined) q = q.where("audit_log.seq", "<", f.beforeSeq);
  return q
    .select([
      "audit_log.seq",
      "audit_log.id",
      "audit_log.created_at",
      "audit_log.actor_id",
      "audit_log.action",
      "audit_log.subject_type",
      "audit_log.subject_id",
      "audit_log.ip",
      "audit_log.details",
    ])
    .orderBy("audit_log.seq", "desc")
    .limit(limit)
    .execute();
}

export async function countAudit(db: Kysely<DB>, f: AuditFilter): Promise<number> {
  const row = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
