import { compositeFormula } from "../../../shared/observation-composites.js";
import { canManageComposites, canSeeDistrictReport } from "../../../shared/policy/observation-reports.js";
import type { TComposite, TCompositeList, TCreateCompositeRequest, TUpdateCompositeRequest } from "../../../shared/schemas/observation-reports.js";
import type { Actor } from "../../auth/actor.js";
import type { Ctx } from "../../context.js";
import { fieldError, forbidden, notFound } from "../../errors.js";
import { fold } from "../../lib.js";
import { auditedWrite, lockFor, type Writer } from "../../platform/writes.js";
import { compositeMetricInfos, isKnownMetric } from "./composite-metrics.js";
import * as repo from "./reports.repository.js";

type CompositeRow = NonNullable<Awaited<ReturnType<typeof repo.findComposite>>>;

function presentComposite(row: CompositeRow): TComposite {
  const terms = JSON.parse(row.terms) as TComposite["terms"];
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    terms,
    formula: compositeFormula({ name: row.name, terms }, compositeMetricInfos()),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const assertCanSee = (actor: Actor) => {
  if (!canSeeDistrictReport(actor) && !actor.roles.some((g) => g.role === "teacher")) throw forbidden("You cannot see composite scores");
};
const assertCanManage = (actor: Actor) => {
  if (!canManageComposites(actor)) throw forbidden("Only a district admin can define composite scores");
};

function checkTerms(terms: readonly { metric: string }[]): void {
  terms.forEach((t, i) => {
    if (!isKnownMetric(t.metric)) throw fieldError(`body.terms.${i}.metric`, `is not a metric composites can use: ${t.metric}`);
  });
  const seen = new Set<string>();
  terms.forEach((t, i) => {
    if (seen.has(t.metric)) throw fieldError(`body.terms.${i}.metric`, "is listed twice");
    seen.add(t.metric);
  });
}

/** The district's composites, each with its formula, and the metrics a composite may use. */
export async function listComposites(ctx: Ctx, actor: Actor): Promise<TCompositeList> {
  assertCanSee(actor);
  const rows = await repo.listComposites(ctx.db, actor.districtId);
  return { items: rows.map(presentComposite), metrics: compositeMetricInfos() };
}

/** Defines a named composite (district admins). */
export async function createComposite(ctx: Ctx, who: Writer, body: TCreateCompositeRequest): Promise<TComposite> {
  const { actor } = who;
  assertCanManage(actor);
  checkTerms(body.terms);
  const id = await auditedWrite(
    ctx,
    who,
    async (trx) => {
      await lockFor(trx, ctx.dialect, `observations.composites:${actor.districtId}`);
      const existing = await repo.listComposites(trx, actor.districtId);
      if (existing.some((c) => fold(c.name) === fold(body.name))) throw fieldError("body.name", "a composite with this name exists");
      return repo.insertComposite(trx, actor.districtId, actor.personId, body);
    },
    (compositeId) => ({ action: "observations.composite.create", subjectType: "observation_composite", subjectId: compositeId, details: { name: body.name, terms: body.terms } }),
  );
  const row = await repo.findComposite(ctx.db, actor.districtId, id);
  if (!row) throw notFound("Composite");
  return presentComposite(row);
}

/** Renames a composite or changes its weights (district admins); scores are computed when read, so every report follows. */
export async function updateComposite(ctx: Ctx, who: Writer, id: string, body: TUpdateCompositeRequest): Promise<TComposite> {
  const { actor } = who;
  assertCanManage(actor);
  if (body.terms) checkTerms(body.terms);
  await auditedWrite(
    ctx,
    who,
    async (trx) => {
      await lockFor(trx, ctx.dialect, `observations.composites:${actor.districtId}`);
      const existing = await repo.listComposites(trx, actor.districtId);
      const current = existing.find((c) => c.id === id);
      if (!current) throw notFound("Composite");
      const name = body.name ?? current.name;
      if (existing.some((c) => c.id !== id && fold(c.name) === fold(name))) throw fieldError("body.name", "a composite with this name exists");
      await repo.updateComposite(trx, id, { name, description: body.description ?? current.description, terms: body.terms ?? (JSON.parse(current.terms) as TComposite["terms"]) });
    },
    () => ({ action: "observations.composite.update", subjectType: "observation_composite", subjectId: id, details: { ...body } }),
  );
  const row = await repo.findComposite(ctx.db, actor.districtId, id);
  if (!row) throw notFound("Composite");
  return presentComposite(row);
}

/** Deletes a composite (district admins). */
export async function deleteComposite(ctx: Ctx, who: Writer, id: string): Promise<void> {
  const { actor } = who;
  assertCanManage(actor);
  await auditedWrite(
    ctx,
    who,
    async (trx) => {
      const row = await repo.findComposite(trx, actor.districtId, id);
      if (!row) throw notFound("Composite");
      await repo.deleteComposite(trx, id);
      return row.name;
    },
    (name) => ({ action: "observations.composite.delete", subjectType: "observation_composite", subjectId: id, details: { name } }),
  );
}
