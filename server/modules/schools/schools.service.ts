import type { Kysely } from "kysely";
import type { TList } from "../../../shared/schemas/common.js";
import type {
  TCreateSchoolRequest,
  TListSchoolsQuery,
  TSchool,
  TUpdateSchoolRequest,
} from "../../../shared/schemas/schools.js";
import type { Actor } from "../../auth/actor.js";
import { assertCanManageSchools } from "./policy.js";
import type { Ctx, RequestMeta } from "../../context.js";
import type { DB } from "../../db/schema.js";
import { AppError, notFound } from "../../errors.js";
import { fold } from "../../lib.js";
import { paginate } from "../../platform/pagination.js";
import { recordAudit } from "../audit/api.js";
import { activePeopleCountBySchool } from "../people/api.js";
import {
  allSchoolIds,
  countSchools,
  findSchool,
  insertSchool,
  listSchools,
  schoolCodeTaken,
  schoolNameTaken,
  updateSchoolRow,
  type SchoolRow,
} from "./schools.repository.js";

export function presentSchool(row: SchoolRow): TSchool {
  return {
    id: row.id,
    name: row.name,
    level: row.level,
    code: row.code,
    status: row.status,
    ...(row.people_count === undefined ? {} : { peopleCount: Number(row.people_count ?? 0) }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The ids of a district's schools, for validating references from other modules. */
export async function schoolIdsInDistrict(db: Kysely<DB>, districtId: string): Promise<Set<string>> {
  return new Set(await allSchoolIds(db, districtId));
}

/** Whether `schoolId` is a school of the district (one indexed look-up, for validating a single reference). */
export async function isSchoolOfDistrict(db: Kysely<DB>, districtId: string, schoolId: string): Promise<boolean> {
  return (await findSchool(db, districtId, schoolId)) !== undefined;
}

/** Schools of the actor's district: school names are not sensitive, so every signed-in role may list them. */
export async function listSchoolsForActor(ctx: Ctx, actor: Actor, q: TListSchoolsQuery): Promise<TList<TSchool>> {
  const filter = {
    districtId: actor.districtId,
    words: q.q ? fold(q.q).split(/\s+/).filter(Boolean).slice(0, 4) : [],
    level: q.level,
    status: q.status,
  };
  const page = await paginate({
    query: q,
    cursorOf: (r) => [r.name, r.id],
    readCursor: ([a, b]) => (typeof a === "string" && typeof b === "string" ? { name: a, id: b } : undefined),
    count: () => countSchools(ctx.db, filter),
    fetch: (after: { name: string; id: string } | null, limit: number) => listSchools(ctx.db, filter, after, limit),
  });
  const counts = await activePeopleCountBySchool(ctx.db, page.items.map((r) => r.id));
  return { ...page, items: page.items.map((r) => presentSchool({ ...r, people_count: counts.get(r.id) ?? 0 })) };
}

export async function getSchool(ctx: Ctx, actor: Actor, id: string): Promise<TSchool> {
  const row = await findSchool(ctx.db, actor.districtId, id);
  if (!row) throw notFound("School");
  return presentSchool(row);
}

function codeConflict(): AppError {
  return new AppError("conflict", "body.code: another school of the district has this code", {
    issues: [{ path: "body.code", message: "another school of the district has this code" }],
  });
}

function nameConflict(): AppError {
  return new AppError("conflict", "body.name: the district already has a school with this name", {
    issues: [{ path: "body.name", message: "the district already has a school with this name" }],
  });
}

/** Adds a school to the district (district admins). */
export async function createSchool(ctx: Ctx, actor: Actor, body: TCreateSchoolRequest, meta: RequestMeta): Promise<TSchool> {
  assertCanManageSchools(actor);
  if (await schoolNameTaken(ctx.db, actor.districtId, body.name)) throw nameConflict();
  if (body.code && (await schoolCodeTaken(ctx.db, actor.districtId, body.code))) throw codeConflict();
  const id = await ctx.db.transaction().execute(async (trx) => {
    const schoolId = await insertSchool(trx, { districtId: actor.districtId, name: body.name, level: body.level, code: body.code ?? null });
    await recordAudit(trx, { actor, meta }, { action: "school.create", subjectType: "school", subjectId: schoolId, details: { name: body.name } });
    return schoolId;
  });
  return getSchool(ctx, actor, id);
}

/** Renames, re-levels or (de)activates a school (district admins). */
export async function updateSchool(
  ctx: Ctx,
  actor: Actor,
  id: string,
  body: TUpdateSchoolRequest,
  meta: RequestMeta,
): Promise<TSchool> {
  assertCanManageSchools(actor);
  const existing = await findSchool(ctx.db, actor.districtId, id);
  if (!existing) throw notFound("School");
  if (body.name && (await schoolNameTaken(ctx.db, actor.districtId, body.name, id))) throw nameConflict();
  if (body.code && (await schoolCodeTaken(ctx.db, actor.districtId, body.code, id))) throw codeConflict();
  await ctx.db.transaction().execute(async (trx) => {
    await updateSchoolRow(trx, id, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.level !== undefined ? { level: body.level } : {}),
      ...(body.code !== undefined ? { code: body.code } : {}),
      ...(body.status !== undefined ? { status: body.status } : {}),
    });
    await recordAudit(trx, { actor, meta }, { action: "school.update", subjectType: "school", subjectId: id, details: { ...body } });
  });
  return getSchool(ctx, actor, id);
}
