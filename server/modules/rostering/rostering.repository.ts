import type { Kysely } from "kysely";
import type { DB, RosterImportsTable } from "../../db/schema.js";
import { nowIso } from "../../lib.js";

// The import records (roster_imports): one row per import, its counts and its report. The loads the
// planner diffs against are in rostering.loads.ts, the bulk apply in rostering.apply.ts.

export type RosterImportRow = RosterImportsTable & { actor_given: string | null; actor_family: string | null };

export async function insertImport(db: Kysely<DB>, row: RosterImportsTable): Promise<void> {
  await db.insertInto("roster_imports").values(row).execute();
}

export async function updateImport(db: Kysely<DB>, id: string, changes: Partial<Omit<RosterImportsTable, "id" | "district_id">>): Promise<void> {
  await db.updateTable("roster_imports").set(changes).where("id", "=", id).execute();
}

function importsQuery(db: Kysely<DB>, districtId: string) {
  return db
    .selectFrom("roster_imports as ri")
    .leftJoin("people as p", "p.id", "ri.actor_id")
    .where("ri.district_id", "=", districtId);
}

export function findImport(db: Kysely<DB>, districtId: string, id: string): Promise<RosterImportRow | undefined> {
  return importsQuery(db, districtId)
    .selectAll("ri")
    .select(["p.given_name as actor_given", "p.family_name as actor_family"])
    .where("ri.id", "=", id)
    .executeTakeFirst();
}

/** Newest first, by (started_at, id) descending. */
export function listImports(
  db: Kysely<DB>,
  districtId: string,
  before: { startedAt: string; id: string } | null,
  limit: number,
): Promise<Omit<RosterImportRow, "report">[]> {
  let q = importsQuery(db, districtId);
  if (before) {
    q = q.where((eb) =>
      eb.or([
        eb("ri.started_at", "<", before.startedAt),
        eb.and([eb("ri.started_at", "=", before.startedAt), eb("ri.id", "<", before.id)]),
      ]),
    );
  }
  return q
    .select([
      "ri.id",
      "ri.district_id",
      "ri.actor_id",
      "ri.origin",
      "ri.kind",
      "ri.file_name",
      "ri.status",
      "ri.is_dry_run",
      "ri.apply_valid",
      "ri.created",
      "ri.updated",
      "ri.deactivated",
      "ri.unchanged",
      "ri.skipped",
      "ri.rejected",
      "ri.error_count",
      "ri.warning_count",
      "ri.started_at",
      "ri.finished_at",
      "ri.heartbeat_at",
      "ri.owner",
      "p.given_name as actor_given",
      "p.family_name as actor_family",
    ])
    .orderBy("ri.started_at", "desc")
    .orderBy("ri.id", "desc")
    .limit(limit)
    .execute();
}

export async function countImports(db: Kysely<DB>, districtId: string): Promise<number> {
  const row = await db
    .selectFrom("roster_imports")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("district_id", "=", districtId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** An import of the district still running, to name it in the refusal of a second one. */
export function findRunningImport(db: Kysely<DB>, districtId: string) {
  return db
    .selectFrom("roster_imports")
    .select(["id", "started_at"])
    .where("district_id", "=", districtId)
    .where("status", "=", "running")
    .executeTakeFirst();
}

export type RunningImportRow = Pick<RosterImportsTable, "id" | "district_id" | "started_at" | "heartbeat_at" | "owner">;

/** The imports recorded as running, in one district or (null) all, with what tells whether they are alive. */
export function listRunningImports(db: Kysely<DB>, districtId: string | null): Promise<RunningImportRow[]> {
  return db
    .selectFrom("roster_imports")
    .select(["id", "district_id", "started_at", "heartbeat_at", "owner"])
    .where("status", "=", "running")
    .$if(districtId !== null, (q) => q.where("district_id", "=", districtId ?? ""))
    .execute();
}

/** The running import's heartbeat; a no-op once it has finished. */
export async function touchImport(db: Kysely<DB>, id: string, atIso: string): Promise<void> {
  await db.updateTable("roster_imports").set({ heartbeat_at: atIso }).where("id", "=", id).where("status", "=", "running").execute();
}

/**
 * Marks an import interrupted, releasing the district's import lock, if it is still running with the
 * heartbeat that was judged dead (a live import that beat meanwhile is left alone). True when marked.
 */
export async function markImportInterrupted(db: Kysely<DB>, id: string, seenHeartbeat: string | null, report: string): Promise<boolean> {
  const result = await db
    .updateTable("roster_imports")
    .set({ status: "interrupted", report, heartbeat_at: null, finished_at: nowIso() })
    .where("id", "=", id)
    .where("status", "=", "running")
    .where((eb) => (seenHeartbeat === null ? eb("heartbeat_at", "is", null) : eb("heartbeat_at", "=", seenHeartbeat)))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
