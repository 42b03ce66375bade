import type { Kysely } from "kysely";
import { CountLimits } from "../../../shared/limits.js";
import { STUDENT_ROLES, type Role } from "../../../shared/roles.js";
import type { TList } from "../../../shared/schemas/common.js";
import type {
  TCreatePersonRequest,
  TListPeopleQuery,
  TPerson,
  TRoleAssignment,
  TUpdatePersonRequest,
} from "../../../shared/schemas/people.js";
import { ZPassword } from "../../../shared/schemas/auth.js";
import type { Actor } from "../../auth/actor.js";
import { hashPassword } from "../../auth/password.js";
import { assertCanListPeople, assertCanManagePeople } from "./policy.js";
import { canReadPerson } from "../../../shared/policy/people.js";
import { endAccessOf } from "../../auth/session-store.js";
import type { Ctx, RequestMeta } from "../../context.js";
import type { DB } from "../../db/schema.js";
import { AppError, fieldError, forbidden, notFound } from "../../errors.js";
import { fold, nowIso } from "../../lib.js";
import { paginate } from "../../platform/pagination.js";
import { recordAudit } from "../audit/api.js";
import { schoolIdsInDistrict } from "../schools/api.js";
import { presentPerson } from "./people.presenters.js";
import {
  countActiveAdmins,
  countPeople,
  emailTaken,
  findPerson,
  insertPerson,
  listPeople,
  nameColumns,
  replaceRoles,
  updatePersonRow,
  type PeopleFilter,
} from "./people.repository.js";
import { rolesOf } from "./roles.js";

const MAX_SEARCH_WORDS = 4;

function searchWords(q: string | undefined): string[] {
  if (!q) return [];
  return fold(q)
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .slice(0, MAX_SEARCH_WORDS);
}

/** Lists the people the actor may see, filtered and keyset-paginated by name. */
export async function listPeopleForActor(
  ctx: Ctx,
  actor: Actor,
  q: TListPeopleQuery,
  meta: RequestMeta,
): Promise<TList<TPerson> & { totalIsCapped: boolean }> {
  const scope = assertCanListPeople(actor);
  const filter: PeopleFilter = {
    districtId: actor.districtId,
    scope,
    status: q.status,
    words: searchWords(q.q),
    role: q.role,
    schoolId: q.schoolId,
  };
  const { items: page, total, totalIsCapped, nextCursor } = await paginate({
    query: q,
    cursorOf: (r) => [r.sort_name, r.id],
    readCursor: ([a, b]) => (typeof a === "string" && typeof b === "string" ? { sortName: a, id: b } : undefined),
    count: (upTo) => countPeople(ctx.db, filter, upTo),
    countCap: CountLimits.cap,
    fetch: (after: { sortName: string; id: string } | null, limit: number) => listPeople(ctx.db, filter, after, limit),
  });
  const roles = await rolesOf(
    ctx.db,
    page.map((r) => r.id),
  );
  const items = page.map((row) => presentPerson(row, roles));
  const studentIds = items.filter((p) => p.roles.some((r) => STUDENT_ROLES.includes(r.role))).map((p) => p.id);
  if (studentIds.length > 0) {
    // Showing students' names is a read of education records: say whose.
    await recordAudit(ctx.db, { actor, meta }, {
      action: "person.list",
      details: { query: { q: q.q, role: q.role, schoolId: q.schoolId, status: q.status }, studentIds },
    });
  }
  return { items, total, totalIsCapped: totalIsCapped ?? false, nextCursor };
}

async function loadVisiblePerson(ctx: Ctx, actor: Actor, id: string) {
  const row = await findPerson(ctx.db, actor.districtId, id);
  if (!row) throw notFound("Person");
  const roles = await rolesOf(ctx.db, [row.id]);
  const grants = roles.map((r) => ({ role: r.role as Role, schoolId: r.school_id }));
  if (!canReadPerson(actor, { id: row.id, districtId: row.district_id, roles: grants })) {
    throw forbidden("You do not have access to this person");
  }
  return { row, roles };
}

/** One person's record, if the actor's role and schools cover them; every read is audited. */
export async function getPerson(ctx: Ctx, actor: Actor, id: string, meta: RequestMeta): Promise<TPerson> {
  const { row, roles } = await loadVisiblePerson(ctx, actor, id);
  await recordAudit(ctx.db, { actor, meta }, { action: "person.read", subjectType: "person", subjectId: row.id });
  return presentPerson(row, roles);
}

/** Checks role grants: schools exist in the district, district-wide only where it makes sense. */
async function validateRoles(db: Kysely<DB>, districtId: string, roles: readonly TRoleAssignment[]): Promise<void> {
  const known = await schoolIdsInDistrict(db, districtId);
  const seen = new Set<string>();
  roles.forEach((r, i) => {
    if (r.schoolId !== null && !known.has(r.schoolId)) {
      throw fieldError(`body.roles.${i}.schoolId`, "is not a school of this district");
    }
    if (r.schoolId === null && STUDENT_ROLES.includes(r.role)) {
      throw fieldError(`body.roles.${i}.schoolId`, "students belong to a school");
    }
    const key = `${r.role}:${r.schoolId ?? ""}`;
    if (seen.has(key)) throw fieldError(`body.roles.${i}`, "is listed twice");
    seen.add(key);
  });
}

async function hashIfGiven(password: string | undefined): Promise<string | null> {
  if (password === undefined) return null;
  const parsed = ZPassword.safeParse(password);
  if (!parsed.success) throw fieldError("body.password", parsed.error.issues[0]?.message ?? "is invalid");
  return hashPassword(password);
}

/** Adds a person to the district with their roles (district admins). */
export async function createPerson(ctx: Ctx, actor: Actor, body: TCreatePersonRequest, meta: RequestMeta): Promise<TPerson> {
  assertCanManagePeople(actor);
  await validateRoles(ctx.db, actor.districtId, body.roles);
  const email = body.email ?? null;
  if (email && (await emailTaken(ctx.db, actor.districtId, email))) {
    throw new AppError("conflict", "body.email: someone in this district already has this email", {
      issues: [{ path: "body.email", message: "someone in this district already has this email" }],
    });
  }
  const passwordHash = await hashIfGiven(body.password);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const personId = await insertPerson(trx, {
      districtId: actor.districtId,
      givenName: body.givenName,
      familyName: body.familyName,
      email,
      passwordHash,
      gradeLevel: body.gradeLevel ?? null,
      studentNumber: body.studentNumber ?? null,
    });
    await replaceRoles(trx, actor.districtId, personId, body.roles);
    await recordAudit(trx, { actor, meta }, {
      action: "person.create",
      subjectType: "person",
      subjectId: personId,
      details: { roles: body.roles },
    });
    return personId;
  });
  const { row, roles } = await loadVisiblePerson(ctx, actor, id);
  return presentPerson(row, roles);
}

/** Edits a person's details and roles (district admins); the last active admin keeps the role. */
export async function updatePerson(
  ctx: Ctx,
  actor: Actor,
  id: string,
  body: TUpdatePersonRequest,
  meta: RequestMeta,
): Promise<TPerson> {
  assertCanManagePeople(actor);
  const { row, roles: currentRoles } = await loadVisiblePerson(ctx, actor, id);
  if (body.roles) await validateRoles(ctx.db, actor.districtId, body.roles);
  if (body.email && (await emailTaken(ctx.db, actor.districtId, body.email, id))) {
    throw new AppError("conflict", "body.email: someone in this district already has this email", {
      issues: [{ path: "body.email", message: "someone in this district already has this email" }],
    });
  }
  const wasAdmin = currentRoles.some((r) => r.role === "district_admin");
  const staysAdmin = body.roles ? body.roles.some((r) => r.role === "district_admin") : wasAdmin;
  const givenName = body.givenName ?? row.given_name;
  const familyName = body.familyName ?? row.family_name;
  // Audit what actually changed, not every field the client happened to send.
  const before: Record<string, unknown> = {
    givenName: row.given_name,
    familyName: row.family_name,
    email: row.email,
    gradeLevel: row.grade_level,
    studentNumber: row.student_number,
    roles: currentRoles.map((r) => `${r.role}@${r.school_id ?? ""}`).sort(),
  };
  const requested: Record<string, unknown> = { ...body, roles: body.roles?.map((r) => `${r.role}@${r.schoolId ?? ""}`).sort() };
  const changed = Object.keys(before).filter((k) => requested[k] !== undefined && JSON.stringify(requested[k]) !== JSON.stringify(before[k]));
  await ctx.db.transaction().execute(async (trx) => {
    if (wasAdmin && !staysAdmin && row.status === "active" && (await countActiveAdmins(trx, actor.districtId)) <= 1) {
      throw fieldError("body.roles", "the district needs at least one active district admin");
    }
    await updatePersonRow(trx, id, {
      ...nameColumns(givenName, familyName),
      ...(body.email !== undefined ? { email: body.email } : {}),
      ...(body.gradeLevel !== undefined ? { grade_level: body.gradeLevel } : {}),
      ...(body.studentNumber !== undefined ? { student_number: body.studentNumber } : {}),
    });
    if (body.roles) await replaceRoles(trx, actor.districtId, id, body.roles);
    await recordAudit(trx, { actor, meta }, {
      action: "person.update",
      subjectType: "person",
      subjectId: id,
      details: { fields: changed, ...(body.roles ? { roles: body.roles } : {}) },
    });
  });
  const after = await loadVisiblePerson(ctx, actor, id);
  return presentPerson(after.row, after.roles);
}

/** Deactivates (never deletes, so history stays) or reactivates a person; ends their sessions. */
export async function setPersonStatus(
  ctx: Ctx,
  actor: Actor,
  id: string,
  status: "active" | "inactive",
  meta: RequestMeta,
): Promise<TPerson> {
  assertCanManagePeople(actor);
  const { row, roles } = await loadVisiblePerson(ctx, actor, id);
  if (status === "inactive" && id === actor.personId) {
    throw new AppError("bad_request", "You cannot deactivate your own account");
  }
  if (row.status !== status) {
    await ctx.db.transaction().execute(async (trx) => {
      const isAdmin = roles.some((r) => r.role === "district_admin");
      if (status === "inactive" && isAdmin && (await countActiveAdmins(trx, actor.districtId)) <= 1) {
        throw new AppError("bad_request", "The district needs at least one active district admin");
      }
      await updatePersonRow(trx, id, { status, deactivated_at: status === "inactive" ? nowIso() : null });
      if (status === "inactive") await endAccessOf(trx, [id]);
      await recordAudit(trx, { actor, meta }, {
        action: status === "inactive" ? "person.deactivate" : "person.reactivate",
        subjectType: "person",
        subjectId: id,
      });
    });
  }
  const after = await loadVisiblePerson(ctx, actor, id);
  return presentPerson(after.row, after.roles);
}

