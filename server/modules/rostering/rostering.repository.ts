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

/** An import of the district still running (started since `sinceIso`), to refuse a second one. */
export function findRunningImport(db: Kysely<DB>, districtId: string) {
  return db
    .selectFrom("roster_imports")
    .select(["id", "started_at"])
    .where("district_id", "=", districtId)
    .where("status", "=", "running")
    .executeTakeFirst();
}

/** Marks as failed the district's imports still "running" that started before `beforeIso`, except `keep`. */
export async function failStaleImports(db: Kysely<DB>, districtId: string, beforeIso: string, keep: readonly string[]): Promise<void> {
  await db
    .updateTable("roster_imports")
    .set({ status: "failed", finished_at: nowIso() })
    .where("district_id", "=", districtId)
    .where("status", "=", "running")
    .where("started_at", "<=", beforeIso)
    .$if(keep.length > 0, (q) => q.where("id", "not in", keep))
    .execute();
}
