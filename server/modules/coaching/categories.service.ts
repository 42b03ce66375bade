import type { TCategory } from "../../../shared/schemas/coaching.js";
import type { Actor } from "../../auth/actor.js";
import { isDistrictAdmin } from "../../../shared/policy/actor.js";
import type { Ctx } from "../../context.js";
import { fieldError, forbidden, notFound } from "../../errors.js";
import { fold } from "../../lib.js";
import { presentCategory } from "./coaching.presenters.js";
import { type AuditEvent } from "../audit/api.js";
import { auditedWrite, lockFor, type Writer } from "../../platform/writes.js";
import * as repo from "./coaching.repository.js";

// ---------- Categories ----------

/** The district's activity categories (seeded with the ten defaults on first use). */
export async function listCategoriesForActor(ctx: Ctx, actor: Actor): Promise<{ items: TCategory[] }> {
  let rows = await repo.listCategories(ctx.db, actor.districtId);
  if (rows.length === 0) {
    await repo.ensureDefaultCategories(ctx.db, actor.districtId);
    rows = await repo.listCategories(ctx.db, actor.districtId);
  }
  return { items: rows.map(presentCategory) };
}

/** Adds a category (district admins); its key is derived from the name. */
export async function createCategory(ctx: Ctx, who: Writer, body: { name: string; kind: "coaching" | "support" }): Promise<TCategory> {
  const { actor } = who;
  if (!isDistrictAdmin(actor)) throw forbidden("Only a district admin can change categories");
  const id = await auditedWrite(
    ctx,
    who,
    async (trx) => {
      // The name check and the key read what is stored, so they run in the write's transaction.
      await lockFor(trx, ctx.dialect, `coaching.categories:${actor.districtId}`);
      const existing = await repo.listCategories(trx, actor.districtId);
      if (existing.some((c) => fold(c.name) === fold(body.name))) throw fieldError("body.name", "a category with this name exists");
      const base = fold(body.name).replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "") || "category";
      let key = base;
      for (let i = 2; existing.some((c) => c.key === key); i++) key = `${base}_${i}`;
      const sortOrder = Math.max(0, ...existing.map((c) => c.sort_order)) + 10;
      return repo.insertCategory(trx, { districtId: actor.districtId, key, name: body.name, kind: body.kind, sortOrder });
    },
    (categoryId) => ({ action: "coaching.category.create", subjectType: "coaching_category", subjectId: categoryId, details: { name: body.name, kind: body.kind } }),
  );
  const row = (await repo.listCategories(ctx.db, actor.districtId)).find((c) => c.id === id);
  if (!row) throw notFound("Category");
  return presentCategory(row);
}

/** Renames, re-kinds, reorders or retires a category; history keeps pointing at it. */
export async function updateCategory(
  ctx: Ctx,
  who: Writer,
  id: string,
  body: { name?: string; kind?: "coaching" | "support"; status?: "active" | "retired"; sortOrder?: number },
): Promise<TCategory> {
  const { actor } = who;
  if (!isDistrictAdmin(actor)) throw forbidden("Only a district admin can change categories");
  const audit: AuditEvent = { action: "coaching.category.update", subjectType: "coaching_category", subjectId: id, details: { ...body } };
  await auditedWrite(ctx, who, async (trx) => {
    await lockFor(trx, ctx.dialect, `coaching.categories:${actor.districtId}`);
    const all = await repo.listCategories(trx, actor.districtId);
    if (!all.some((c) => c.id === id)) throw notFound("Category");
    const { name } = body;
    if (name && all.some((c) => c.id !== id && fold(c.name) === fold(name))) throw fieldError("body.name", "a category with this name exists");
    const kindChanges = body.kind !== undefined && all.some((c) => c.id === id && c.kind !== body.kind);
    await repo.updateCategoryRow(trx, id, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.kind !== undefined ? { kind: body.kind } : {}),
      ...(body.status !== undefined ? { status: body.status } : {}),
      ...(body.sortOrder !== undefined ? { sort_order: body.sortOrder } : {}),
    });
    // The teacher rollup counts coaching-kind interactions; a kind change rewrites that history.
    if (kindChanges) await repo.rebuildRollups(trx, actor.districtId);
  }, () => audit);
  const row = (await repo.listCategories(ctx.db, actor.districtId)).find((c) => c.id === id);
  if (!row) throw notFound("Category");
  return presentCategory(row);
}
