import { TokenLimits } from "../../../shared/limits.js";
import type { TDistrictProfile, TDistrictSettings, TUpdateDistrictProfileRequest, TUpdateDistrictSettingsRequest } from "../../../shared/schemas/settings.js";
import { termCalendar, termDefinitionsProblem, type TermCalendar, type TermDefinition } from "../../../shared/terms.js";
import { fieldError, notFound } from "../../errors.js";
import { rosterTerms } from "../classes/api.js";
import type { Actor } from "../../auth/actor.js";
import type { Ctx } from "../../context.js";
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { findDistrict, listDistricts, updateDistrictRow } from "../accounts/api.js";
import { auditedWrite, type Writer } from "../../platform/writes.js";
import { assertCanManageSettings } from "./policy.js";
import { districtsWithPublicUrl, findSettings, listTerms, replaceTerms, upsertSettings, type SettingsPatch } from "./settings.repository.js";

/** A district's settings as the server uses them: stored values, or the defaults. */
export type DistrictSettings = {
  publicUrl: string | null;
  leadersSeeTeacherNames: boolean;
  tokenMaxLifetimeDays: number;
  allowPrivateSsoIssuers: boolean;
  /** Chat webhooks and cross-posting servers may be on private addresses (an in-house SMS gateway). */
  allowPrivateChatWebhooks: boolean;
  /** Percent of coaches' time that should be coaching (dashboards compare against it); null: no target. */
  coachingShareTarget: number | null;
};

/** The default target share of coaching time, for a district that never saved settings. */
export const DEFAULT_COACHING_SHARE_TARGET = 60;

/** The district's settings, with defaults for a district that never saved any. */
export async function loadDistrictSettings(db: Kysely<DB>, districtId: string): Promise<DistrictSettings> {
  const row = await findSettings(db, districtId);
  return {
    publicUrl: row?.public_url ?? null,
    leadersSeeTeacherNames: row?.leaders_see_teacher_names === 1,
    tokenMaxLifetimeDays: row?.token_max_days ?? TokenLimits.defaultLifetimeDays,
    allowPrivateSsoIssuers: row?.allow_private_sso_issuers === 1,
    allowPrivateChatWebhooks: row?.allow_private_chat_webhooks === 1,
    coachingShareTarget: row ? row.coaching_share_target : DEFAULT_COACHING_SHARE_TARGET,
  };
}

/** The district's own terms (none: the fixed July–December / January–June rule applies). */
export async function loadTermDefinitions(db: Kysely<DB>, districtId: string): Promise<TermDefinition[]> {
  const rows = await listTerms(db, districtId);
  return rows.map((r) => ({ name: r.name, schoolYear: r.school_year, startDate: r.start_date, endDate: r.end_date }));
}

/** The district's term calendar: its own terms, or the fixed rule. */
export async function loadTermCalendar(db: Kysely<DB>, districtId: string): Promise<TermCalendar> {
  return termCalendar(await loadTermDefinitions(db, districtId));
}

function present(ctx: Ctx, s: DistrictSettings): TDistrictSettings {
  return {
    publicUrl: s.publicUrl,
    leadersSeeTeacherNames: s.leadersSeeTeacherNames,
    tokenMaxLifetimeDays: s.tokenMaxLifetimeDays,
    allowPrivateSsoIssuers: s.allowPrivateSsoIssuers,
    allowPrivateChatWebhooks: s.allowPrivateChatWebhooks,
    publicUrlFromEnvironment: ctx.config.publicUrl,
  };
}

/** The district's security settings (district admins). */
export async function getSettings(ctx: Ctx, actor: Actor): Promise<TDistrictSettings> {
  assertCanManageSettings(actor);
  return present(ctx, await loadDistrictSettings(ctx.db, actor.districtId));
}

/** Changes the given settings and records which, with their old and new values, in the audit log. */
export async function updateSettings(ctx: Ctx, who: Writer, body: TUpdateDistrictSettingsRequest): Promise<TDistrictSettings> {
  assertCanManageSettings(who.actor);
  const before = await loadDistrictSettings(ctx.db, who.actor.districtId);
  const patch: SettingsPatch = {
    ...(body.publicUrl === undefined ? {} : { public_url: body.publicUrl }),
    ...(body.leadersSeeTeacherNames === undefined ? {} : { leaders_see_teacher_names: body.leadersSeeTeacherNames ? 1 : 0 }),
    ...(body.tokenMaxLifetimeDays === undefined ? {} : { token_max_days: body.tokenMaxLifetimeDays }),
    ...(body.allowPrivateSsoIssuers === undefined ? {} : { allow_private_sso_issuers: body.allowPrivateSsoIssuers ? 1 : 0 }),
    ...(body.allowPrivateChatWebhooks === undefined ? {} : { allow_private_chat_webhooks: body.allowPrivateChatWebhooks ? 1 : 0 }),
  };
  const changed = (Object.keys(body) as (keyof TUpdateDistrictSettingsRequest)[]).filter((k) => body[k] !== undefined && body[k] !== before[k]);
  if (changed.length === 0) return present(ctx, before);
  await auditedWrite(
    ctx,
    who,
    (trx) => upsertSettings(trx, who.actor.districtId, patch),
    () => ({
      action: "settings.update",
      subjectType: "district",
      subjectId: who.actor.districtId,
      details: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: body[k] }])),
    }),
  );
  return present(ctx, await loadDistrictSettings(ctx.db, who.actor.districtId));
}

/**
 * What to warn about at start when links in emails have no trustworthy address: PUBLIC_URL unset and a
 * district (or, before setup, the instance) without a recorded public address. Null when all is well.
 */
export async function publicAddressWarning(ctx: Ctx): Promise<string | null> {
  if (ctx.config.publicUrl) return null;
  const districts = await listDistricts(ctx.db);
  const withUrl = await districtsWithPublicUrl(ctx.db, districts.map((d) => d.id));
  if (districts.length > 0 && withUrl.length === districts.length) return null;
  return "PUBLIC_URL is not set and no public address is recorded for the district: password-reset emails cannot be sent until an admin sets it in Settings → Security (setup records the address it was opened at)";
}

// ---- The district: name, time zone, terms, coaching target ----

async function loadProfile(db: Kysely<DB>, districtId: string): Promise<TDistrictProfile> {
  const [district, settings, terms, fromRoster] = await Promise.all([
    findDistrict(db, districtId),
    loadDistrictSettings(db, districtId),
    loadTermDefinitions(db, districtId),
    rosterTerms(db, districtId),
  ]);
  if (!district) throw notFound("district");
  return { name: district.name, timeZone: district.timezone, coachingShareTarget: settings.coachingShareTarget, terms, rosterTerms: fromRoster };
}

/** The district's name, time zone, terms and coaching target, with the roster's terms to copy (district admins). */
export async function getDistrictProfile(ctx: Ctx, actor: Actor): Promise<TDistrictProfile> {
  assertCanManageSettings(actor);
  return loadProfile(ctx.db, actor.districtId);
}

/**
 * Renames the district, changes its time zone, coaching target or terms; audited with old and new
 * values. Changed terms are picked up by the coaching log (its entries' terms and rollups) on its next read.
 */
export async function updateDistrictProfile(ctx: Ctx, who: Writer, body: TUpdateDistrictProfileRequest): Promise<TDistrictProfile> {
  assertCanManageSettings(who.actor);
  const districtId = who.actor.districtId;
  const before = await loadProfile(ctx.db, districtId);
  const terms = body.terms?.map((t) => ({ ...t })).sort((a, b) => (a.startDate < b.startDate ? -1 : 1));
  if (body.terms) {
    const problem = termDefinitionsProblem(body.terms);
    if (problem) throw fieldError(`body.terms.${problem.index}.${problem.field}`, problem.message);
  }
  const details: Record<string, { from: unknown; to: unknown }> = {};
  if (body.name !== undefined && body.name !== before.name) details.name = { from: before.name, to: body.name };
  if (body.timeZone !== undefined && body.timeZone !== before.timeZone) details.timeZone = { from: before.timeZone, to: body.timeZone };
  if (body.coachingShareTarget !== undefined && body.coachingShareTarget !== before.coachingShareTarget) {
    details.coachingShareTarget = { from: before.coachingShareTarget, to: body.coachingShareTarget };
  }
  if (terms && JSON.stringify(terms) !== JSON.stringify(before.terms)) details.terms = { from: before.terms, to: terms };
  if (Object.keys(details).length === 0) return before;
  await auditedWrite(
    ctx,
    who,
    async (trx) => {
      if (details.name || details.timeZone) await updateDistrictRow(trx, districtId, { name: body.name, timezone: body.timeZone });
      if (details.coachingShareTarget) await upsertSettings(trx, districtId, { coaching_share_target: body.coachingShareTarget ?? null });
      if (details.terms && terms) await replaceTerms(trx, districtId, terms);
    },
    () => ({ action: "district.update", subjectType: "district", subjectId: districtId, details }),
  );
  return loadProfile(ctx.db, districtId);
}
