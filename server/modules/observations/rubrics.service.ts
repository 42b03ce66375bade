import type { Kysely } from "kysely";
import type { TApp, TCreateRubricRequest, TRubric, TRubricDefinition, TRubricVersion, TUpdateRubricRequest } from "../../../shared/schemas/observations.js";
import type { Actor } from "../../auth/actor.js";
import type { Ctx } from "../../context.js";
import type { DB } from "../../db/schema.js";
import { AppError, fieldError, notFound } from "../../errors.js";
import { auditedWrite, lockFor, type Writer } from "../../platform/writes.js";
import * as repo from "./observations.repository.js";
import { parseDefinition, presentRubric, presentVersion } from "./observations.presenters.js";
import { assertCanManageRubrics, assertCanReadRubrics } from "./policy.js";
import { DEFAULT_APPS, TIM_DEFINITION, TIM_DESCRIPTION, TIM_KEY, TIM_NAME } from "./tim-template.js";

/**
 * Gives a district the TIM rubric (its default) and a starting app list, once: the first time anything
 * of the module is used there. Safe to call on every request and from racing requests.
 */
export async function ensureDistrictDefaults(db: Kysely<DB>, districtId: string): Promise<void> {
  if (await repo.hasRubric(db, districtId, TIM_KEY)) return;
  await db.transaction().execute(async (trx) => {
    const seeded = await repo.insertRubric(
      trx,
      { districtId, key: TIM_KEY, name: TIM_NAME, description: TIM_DESCRIPTION, isDefault: true, definition: JSON.stringify(TIM_DEFINITION), createdBy: null },
      { ifAbsent: true },
    );
    if (seeded) await repo.insertApps(trx, districtId, DEFAULT_APPS, 10);
  });
}

/** The district's rubrics, each with the version new observations use. */
export async function listRubrics(ctx: Ctx, actor: Actor): Promise<{ items: TRubric[] }> {
  assertCanReadRubrics(actor);
  await ensureDistrictDefaults(ctx.db, actor.districtId);
  return { items: (await repo.listRubrics(ctx.db, actor.districtId)).map(presentRubric) };
}

export async function getRubric(ctx: Ctx, actor: Actor, id: string): Promise<TRubric> {
  assertCanReadRubrics(actor);
  const row = await repo.findRubric(ctx.db, actor.districtId, id);
  if (!row) throw notFound("Rubric");
  return presentRubric(row);
}

/** One version of a rubric, old ones included: an observation is shown with the version it was scored with. */
export async function getVersion(ctx: Ctx, actor: Actor, id: string): Promise<TRubricVersion> {
  assertCanReadRubrics(actor);
  const row = await repo.findVersion(ctx.db, actor.districtId, id);
  if (!row) throw notFound("Rubric version");
  return presentVersion(row);
}

/** A rubric key from its name ("Triple E" → "triple_e"), made unique in the district. */
function keyFor(name: string, taken: readonly string[]): string {
  const base =
    name
      .normalize("NFKD")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .replace(/^(\d)/, "r_$1")
      .slice(0, 32) || "rubric";
  let key = base;
  for (let i = 2; taken.includes(key); i++) key = `${base}_${i}`;
  return key;
}

/** Adds a rubric (SAMR, Triple E, the district's own) with its first version. District admins. */
export async function createRubric(ctx: Ctx, who: Writer, body: TCreateRubricRequest): Promise<TRubric> {
  const { actor } = who;
  assertCanManageRubrics(actor);
  await ensureDistrictDefaults(ctx.db, actor.districtId);
  const created = await auditedWrite(
    ctx,
    who,
    async (trx) => {
      await lockFor(trx, ctx.dialect, `observations.rubrics:${actor.districtId}`);
      const key = keyFor(body.name, await repo.rubricKeys(trx, actor.districtId));
      const ids = await repo.insertRubric(trx, {
        districtId: actor.districtId,
        key,
        name: body.name,
        description: body.description,
        isDefault: false,
        definition: JSON.stringify(body.definition),
        createdBy: actor.personId,
      });
      if (!ids) throw new AppError("conflict", "A rubric with this name was just added; reload and try again");
      return ids;
    },
    (ids) => ({ action: "observation.rubric.create", subjectType: "observation_rubric", subjectId: ids.rubricId, details: { name: body.name, versionId: ids.versionId } }),
  );
  return getRubric(ctx, actor, created.rubricId);
}

const sameDefinition = (a: TRubricDefinition, b: TRubricDefinition) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Renames, retires or re-defines a rubric. A new definition rewrites the current version while no
 * observation has used it; once one has, the version is frozen and the definition becomes a new
 * version (observations keep the one they were scored with).
 */
export async function updateRubric(ctx: Ctx, who: Writer, id: string, body: TUpdateRubricRequest): Promise<TRubric> {
  const { actor } = who;
  assertCanManageRubrics(actor);
  const row = await repo.findRubric(ctx.db, actor.districtId, id);
  if (!row) throw notFound("Rubric");
  if (body.status === "retired" && (body.isDefault || row.is_default === 1)) {
    throw fieldError("body.status", "the default rubric cannot be retired; make another rubric the default first");
  }
  const outcome = await auditedWrite(
    ctx,
    who,
    async (trx) => {
      await lockFor(trx, ctx.dialect, `observations.rubric:${id}`);
      let versionId = row.v_id;
      let newVersion = false;
      if (body.definition && !sameDefinition(body.definition, parseDefinition(row.v_definition))) {
        const definition = JSON.stringify(body.definition);
        if (!(await repo.rewriteUnusedVersion(trx, row.v_id, definition))) {
          versionId = await repo.insertVersion(trx, { rubricId: id, districtId: actor.districtId, definition, createdBy: actor.personId });
          newVersion = true;
        }
      }
      await repo.updateRubricRow(trx, id, {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.status !== undefined ? { status: body.status } : {}),
        current_version_id: versionId,
      });
      if (body.isDefault) await repo.setDefaultRubric(trx, actor.districtId, id);
      return { versionId, newVersion };
    },
    (o) => ({
      action: "observation.rubric.update",
      subjectType: "observation_rubric",
      subjectId: id,
      details: { fields: Object.keys(body), versionId: o.versionId, newVersion: o.newVersion },
    }),
  );
  void outcome;
  return getRubric(ctx, actor, id);
}

// ---- The district's app list ----

export async function listApps(ctx: Ctx, actor: Actor): Promise<{ items: TApp[] }> {
  assertCanReadRubrics(actor);
  await ensureDistrictDefaults(ctx.db, actor.districtId);
  return { items: await repo.listApps(ctx.db, actor.districtId) };
}

/** Adds an app to the district's list (a name already on it is kept as it is). District admins. */
export async function addApp(ctx: Ctx, who: Writer, name: string): Promise<{ items: TApp[] }> {
  const { actor } = who;
  assertCanManageRubrics(actor);
  await ensureDistrictDefaults(ctx.db, actor.districtId);
  await auditedWrite(
    ctx,
    who,
    async (trx) => repo.insertApps(trx, actor.districtId, [name], (await repo.maxAppSortOrder(trx, actor.districtId)) + 10),
    () => ({ action: "observation.app.add", subjectType: "district", subjectId: actor.districtId, details: { name } }),
  );
  return { items: await repo.listApps(ctx.db, actor.districtId) };
}
