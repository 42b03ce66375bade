import type { Kysely } from "kysely";
import type { SchoolLevel } from "../../../shared/roles.js";
import type { DB, SchoolsTable } from "../../db/schema.js";
import { newId, nowIso } from "../../lib.js";

export type SchoolRow = SchoolsTable & { people_count?: number | null };

export type SchoolFilter = {
  districtId: string;
  words: string[];
  level?: SchoolLevel;
  status: "active" | "inactive" | "all";
};

function filteredSchools(db: Kysely<DB>, f: SchoolFilter) {
  let q = db.selectFrom("schools as s").where("s.district_id", "=", f.districtId);
  if (f.level) q = q.where("s.level", "=", f.level);
  if (f.status !== "all") q = q.where("s.status", "=", f.status);
  // A district has tens or hundreds of schools, so a substring match on the name is cheap and friendlier.
  for (const w of f.words) q = q.where((eb) => eb(eb.fn("lower", ["s.name"]), "like", `%${w.replace(/[%_\\]/g, "")}%`));
  return q;
}

/** A page of schools by (name, id). */
export function listSchools(db: Kysely<DB>, f: SchoolFilter, after: { name: string; id: string } | null, limit: number) {
  let q = filteredSchools(db, f);
  if (after) {
    q = q.where((eb) =>
      eb.or([eb("s.name", ">", after.name), eb.and([eb("s.name", "=", after.name), eb("s.id", ">", after.id)])]),
    );
  }
  return q
    .selectAll("s")
    .orderBy("s.name")
    .orderBy("s.id")
    .limit(limit)
    .execute();
}

export async function countSchools(db: Kysely<DB>, f: SchoolFilter): Promise<number> {
  const row = await filteredSchools(db, f)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findSchool(db: Kysely<DB>, districtId: string, id: string) {
  return db.selectFrom("schools").selectAll().where("district_id", "=", districtId).where("id", "=", id).executeTakeFirst();
}

export async function schoolNameTaken(db: Kysely<DB>, districtId: string, name: string, exceptId?: string) {
  let q = db.selectFrom("schools").select("id").where("district_id", "=", districtId).where("name", "=", name);
  if (exceptId) q = q.where("id", "!=", exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function insertSchool(
  db: Kysely<DB>,
  s: { districtId: string; name: string; level: SchoolLevel; code: string | null },
): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto("schools")
    .values({ id, district_id: s.districtId, name: s.name, level: s.level, code: s.code, status: "active", created_at: now, updated_at: now })
    .execute();
  return id;
}

export async function updateSchoolRow(db: Kysely<DB>, id: string, changes: Partial<Pick<SchoolsTable, "name" | "level" | "code" | "status">>) {
  await db
    .updateTable("schools")
    .set({ ...changes, updated_at: nowIso() })
    .where("id", "=", id)
    .execute();
}

export async function allSchoolIds(db: Kysely<DB>, districtId: string): Promise<string[]> {
  const rows = await db.selectFrom("schools").select("id").where("district_id", "=", districtId).execute();
  return rows.map((r) => r.id);
}


export async function schoolCodeTaken(db: Kysely<DB>, districtId: string, code: string, exceptId?: string) {
  let q = db.selectFrom("schools").select("id").where("district_id", "=", districtId).where("code", "=", code);
  if (exceptId) q = q.where("id", "!=", exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}
