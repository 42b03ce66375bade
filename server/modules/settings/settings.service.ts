import { TokenLimits } from "../../../shared/limits.js";
import type { TDistrictSettings, TUpdateDistrictSettingsRequest } from "../../../shared/schemas/settings.js";
import type { Actor } from "../../auth/actor.js";
import type { Ctx } from "../../context.js";
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { listDistricts } from "../accounts/api.js";
import { auditedWrite, type Writer } from "../../platform/writes.js";
import { assertCanManageSettings } from "./policy.js";
import { districtsWithPublicUrl, findSettings, upsertSettings, type SettingsPatch } from "./settings.repository.js";

/** A district's settings as the server uses them: stored values, or the defaults. */
export type DistrictSettings = {
  publicUrl: string | null;
  leadersSeeTeacherNames: boolean;
  tokenMaxLifetimeDays: number;
  allowPrivateSsoIssuers: boolean;
};

/** The district's settings, with defaults for a district that never saved any. */
export async function loadDistrictSettings(db: Kysely<DB>, districtId: string): Promise<DistrictSettings> {
  const row = await findSettings(db, districtId);
  return {
    publicUrl: row?.public_url ?? null,
    leadersSeeTeacherNames: row?.leaders_see_teacher_names === 1,
    tokenMaxLifetimeDays: row?.token_max_days ?? TokenLimits.defaultLifetimeDays,
    allowPrivateSsoIssuers: row?.allow_private_sso_issuers === 1,
  };
}

function present(ctx: Ctx, s: DistrictSettings): TDistrictSettings {
  return { ...s, publicUrlFromEnvironment: ctx.config.publicUrl };
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
