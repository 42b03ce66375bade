import { PasswordResetLimits, TokenLimits } from "../../../shared/limits.js";
import type { TMe, TSetupRequest } from "../../../shared/schemas/auth.js";
import type { Actor } from "../../auth/actor.js";
import { burnPasswordCheck, hashPassword, verifyPassword } from "../../auth/password.js";
import { TOKEN_PREFIX, createSession, deleteSessionsOf, revokeApiTokensOf } from "../../auth/session-store.js";
import type { Ctx, RequestMeta } from "../../context.js";
import { AppError, fieldError, forbidden, notFound } from "../../errors.js";
import { addMinutes, nowIso, randomToken, safeEqual, sha256 } from "../../lib.js";
import { recordAnonymousAttempt, recordAudit } from "../audit/api.js";
import { LoginThrottle } from "./login-throttle.js";
import { enqueueEmail } from "../mail/api.js";
import { listDistricts } from "./api.js";
import { insertPublicUrlIfAbsent, loadDistrictSettings } from "../settings/api.js";
import { presentPerson } from "../people/api.js";
import {
  findPerson,
  findPersonByEmail,
  findPersonInDistrictByEmail,
  grantRole,
  insertPerson,
  nameColumns,
  replaceRoles,
  rolesOf,
  updatePersonRow,
} from "../people/api.js";
import {
  anyDistrict,
  deleteSetting,
  findDistrict,
  getSetting,
  insertApiToken,
  insertDistrict,
  insertPasswordReset,
  insertSettingIfAbsent,
  listApiTokens,
  markPasswordResetUsed,
  findPasswordReset,
  revokeApiToken,
  setPasswordHash,
} from "./accounts.repository.js";

const SETUP_TOKEN = "setup_token";
const SETUP_DONE = "setup_completed_at";

export type NewSession = { token: string; csrfToken: string; expiresAt: string };

/** The signed-in person's view of themselves, with the CSRF token their writes must carry. */
export async function getMe(ctx: Ctx, personId: string, districtId: string, csrfToken: string | null): Promise<TMe> {
  const [person, district, roles] = await Promise.all([
    findPerson(ctx.db, districtId, personId),
    findDistrict(ctx.db, districtId),
    rolesOf(ctx.db, [personId]),
  ]);
  if (!person || !district) throw notFound("Account");
  return {
    person: presentPerson(person, roles),
    district: { id: district.id, name: district.name, timezone: district.timezone },
    csrfToken,
  };
}

/** Whether first-run setup is still needed. */
export async function needsSetup(ctx: Ctx): Promise<boolean> {
  return !(await anyDistrict(ctx.db));
}

/**
 * Returns the one-time setup token while no district exists (creating it if needed), else null.
 * Stored in the database so every app server prints the same link.
 */
export async function ensureSetupToken(ctx: Ctx): Promise<string | null> {
  if (!(await needsSetup(ctx))) return null;
  await insertSettingIfAbsent(ctx.db, SETUP_TOKEN, randomToken(18));
  return (await getSetting(ctx.db, SETUP_TOKEN)) ?? null;
}

/** Creates the district and its first admin with the printed setup token, and signs the admin in. */
export async function completeSetup(
  ctx: Ctx,
  body: TSetupRequest,
  meta: RequestMeta,
  setupOrigin: string,
): Promise<{ me: TMe; session: NewSession }> {
  const expected = await getSetting(ctx.db, SETUP_TOKEN);
  if (!(await needsSetup(ctx))) throw new AppError("setup_complete", "Coachwork is already set up; sign in instead");
  if (!expected || !safeEqual(expected, body.token)) throw fieldError("body.token", "is not the setup token printed by the server");
  const passwordHash = await hashPassword(body.password);
  const { personId, districtId } = await ctx.db.transaction().execute(async (trx) => {
    // The primary key on this row makes a second, concurrent setup fail instead of making two districts.
    if (!(await insertSettingIfAbsent(trx, SETUP_DONE, nowIso()))) {
      throw new AppError("setup_complete", "Coachwork is already set up; sign in instead");
    }
    const dId = await insertDistrict(trx, { name: body.districtName, timezone: body.timezone });
    const pId = await insertPerson(trx, {
      districtId: dId,
      givenName: body.givenName,
      familyName: body.familyName,
      email: body.email,
      passwordHash,
      gradeLevel: null,
      studentNumber: null,
    });
    await replaceRoles(trx, dId, pId, [{ role: "district_admin", schoolId: null }]);
    // Links in emails need an address that no request header can change: the one setup ran at
    // (the holder of the printed setup token is the operator), editable later in Settings.
    await insertPublicUrlIfAbsent(trx, dId, body.publicUrl ?? setupOrigin);
    await deleteSetting(trx, SETUP_TOKEN);
    await recordAudit(trx, { actor: null, actorId: pId, districtId: dId, meta }, { action: "setup.complete", subjectType: "person", subjectId: pId });
    return { personId: pId, districtId: dId };
  });
  const session = await createSession(ctx.db, personId, meta);
  return { me: await getMe(ctx, personId, districtId, session.csrfToken), session };
}

const loginThrottle = new LoginThrottle();

/**
 * The district an anonymous attempt belongs to in the audit log: the account's, else (an unknown
 * email) the instance's district when it has exactly one, so failed sign-ins show up for its admins.
 */
async function attemptDistrict(ctx: Ctx, person: { district_id: string } | undefined): Promise<string | null> {
  if (person) return person.district_id;
  const districts = await listDistricts(ctx.db);
  return districts.length === 1 ? (districts[0]?.id ?? null) : null;
}

/** Records a sign-in refused by the throttle (within the anonymous audit budget). For the route's rate limit too. */
export async function recordThrottledLogin(ctx: Ctx, email: string, meta: RequestMeta, reason: string): Promise<void> {
  const person = await findPersonByEmail(ctx.db, email);
  await recordAnonymousAttempt(ctx.db, { districtId: await attemptDistrict(ctx, person), meta }, {
    action: "auth.login_throttled",
    subjectType: person ? "person" : null,
    subjectId: person?.id ?? null,
    details: { email, reason },
  });
}

/**
 * Checks email and password; same answer and timing for an unknown email as for a wrong password.
 * Throttled per account across addresses (slowing down) and per address across accounts (429).
 */
export async function login(
  ctx: Ctx,
  email: string,
  password: string,
  meta: RequestMeta,
): Promise<{ me: TMe; session: NewSession }> {
  const verdict = loginThrottle.check(email, meta.ip);
  if (!verdict.isAllowed) {
    await recordThrottledLogin(ctx, email, meta, verdict.reason === "account" ? "too many failed sign-ins for this account" : "too many failed sign-ins from this address");
    throw new AppError(
      "rate_limited",
      verdict.reason === "account"
        ? `Too many failed sign-ins for this account; try again in ${verdict.retryAfterSeconds} seconds, or reset your password`
        : `Too many failed sign-ins from your network; try again in ${verdict.retryAfterSeconds} seconds`,
      { retryAfterSeconds: verdict.retryAfterSeconds },
    );
  }
  const person = await findPersonByEmail(ctx.db, email);
  const ok = person?.password_hash ? await verifyPassword(person.password_hash, password) : (await burnPasswordCheck(password), false);
  if (!person || !ok || person.status !== "active") {
    loginThrottle.recordFailure(email, meta.ip);
    await recordAnonymousAttempt(ctx.db, { districtId: await attemptDistrict(ctx, person), meta }, {
      action: "auth.login_failed",
      subjectType: person ? "person" : null,
      subjectId: person?.id ?? null,
      details: { email, ...(person ? {} : { reason: "unknown email" }) },
    });
    throw new AppError("unauthenticated", "Email or password is incorrect");
  }
  loginThrottle.recordSuccess(email);
  const session = await createSession(ctx.db, person.id, meta);
  await recordAudit(ctx.db, { actor: null, actorId: person.id, districtId: person.district_id, meta }, {
    action: "auth.login",
    subjectType: "person",
    subjectId: person.id,
  });
  return { me: await getMe(ctx, person.id, person.district_id, session.csrfToken), session };
}

/** Where links in emails point: PUBLIC_URL, else the district's recorded address; never a request header. */
export async function publicAddress(ctx: Ctx, districtId: string): Promise<string | null> {
  return ctx.config.publicUrl ?? (await loadDistrictSettings(ctx.db, districtId)).publicUrl;
}

/**
 * Starts a password reset: emails a one-hour link if the account exists. Never says whether it does;
 * the route answers before calling this, so the answer takes as long for a known email as an unknown one.
 */
export async function requestPasswordReset(ctx: Ctx, email: string, meta: RequestMeta): Promise<void> {
  const person = await findPersonByEmail(ctx.db, email);
  if (!person || person.status !== "active" || !person.email) return;
  const base = await publicAddress(ctx, person.district_id);
  if (!base) {
    ctx.log.warn({ personId: person.id }, "password reset not sent: set PUBLIC_URL or the district's public address in Settings");
    await recordAnonymousAttempt(ctx.db, { districtId: person.district_id, meta }, {
      action: "auth.password_reset_unsendable",
      subjectType: "person",
      subjectId: person.id,
      details: { reason: "no public address: set PUBLIC_URL or Settings → Security → Public address" },
    });
    return;
  }
  const token = randomToken();
  const link = `${base}/reset-password?token=${token}`;
  await ctx.db.transaction().execute(async (trx) => {
    await insertPasswordReset(trx, {
      personId: person.id,
      tokenHash: sha256(token),
      expiresAt: addMinutes(nowIso(), PasswordResetLimits.ttlMinutes),
    });
    await enqueueEmail(trx, {
      to: person.email ?? email,
      subject: "Reset your Coachwork password",
      text: `Hello ${person.given_name},\n\nSomeone (hopefully you) asked to reset your Coachwork password. This link works for ${PasswordResetLimits.ttlMinutes} minutes:\n\n${link}\n\nIf it wasn't you, ignore this email; your password stays the same.\n`,
    });
    await recordAnonymousAttempt(trx, { districtId: person.district_id, meta }, {
      action: "auth.password_reset_requested",
      subjectType: "person",
      subjectId: person.id,
    });
  });
  if (!ctx.config.smtpUrl) ctx.log.info({ to: person.email, link }, "password reset link (no SMTP_URL configured, so it is logged)");
}

/** Sets a new password from a reset token; ends every session of the account. */
export async function confirmPasswordReset(ctx: Ctx, token: string, password: string, meta: RequestMeta): Promise<void> {
  const reset = await findPasswordReset(ctx.db, sha256(token));
  if (!reset || reset.used_at !== null || Date.parse(reset.expires_at) <= Date.now()) {
    throw fieldError("body.token", "this reset link is invalid or has expired; ask for a new one");
  }
  const hash = await hashPassword(password);
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await markPasswordResetUsed(trx, reset.id))) throw fieldError("body.token", "this reset link was already used");
    await setPasswordHash(trx, reset.person_id, hash);
    await deleteSessionsOf(trx, reset.person_id);
    await recordAudit(trx, { actor: null, actorId: reset.person_id, meta }, { action: "auth.password_reset", subjectType: "person", subjectId: reset.person_id });
  });
}

/** Changes the actor's own password after checking the current one; other sessions end. */
export async function changeOwnPassword(
  ctx: Ctx,
  actor: Actor,
  body: { currentPassword: string; newPassword: string; revokeTokens: boolean },
  meta: RequestMeta,
): Promise<void> {
  const { currentPassword, newPassword } = body;
  const person = await findPerson(ctx.db, actor.districtId, actor.personId);
  if (!person) throw notFound("Account");
  if (person.password_hash && !(await verifyPassword(person.password_hash, currentPassword))) {
    throw fieldError("body.currentPassword", "is not your current password");
  }
  const hash = await hashPassword(newPassword);
  await ctx.db.transaction().execute(async (trx) => {
    await setPasswordHash(trx, actor.personId, hash);
    await deleteSessionsOf(trx, actor.personId, actor.sessionIdHash ?? undefined);
    // A password change after a leak should be able to end every way in; the person chooses.
    if (body.revokeTokens) await revokeApiTokensOf(trx, [actor.personId]);
    await recordAudit(trx, { actor, meta }, {
      action: "auth.password_change",
      subjectType: "person",
      subjectId: actor.personId,
      details: { tokensRevoked: body.revokeTokens },
    });
  });
}

/** Updates the actor's own name. */
export async function updateOwnProfile(
  ctx: Ctx,
  actor: Actor,
  body: { givenName?: string; familyName?: string },
  meta: RequestMeta,
): Promise<TMe> {
  const person = await findPerson(ctx.db, actor.districtId, actor.personId);
  if (!person) throw notFound("Account");
  await ctx.db.transaction().execute(async (trx) => {
    await updatePersonRow(trx, actor.personId, nameColumns(body.givenName ?? person.given_name, body.familyName ?? person.family_name));
    await recordAudit(trx, { actor, meta }, {
      action: "person.update",
      subjectType: "person",
      subjectId: actor.personId,
      details: { fields: Object.keys(body), self: true },
    });
  });
  return getMe(ctx, actor.personId, actor.districtId, actor.csrfToken);
}

function presentToken(row: {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  scope: "read" | "read_write";
}) {
  return { id: row.id, name: row.name, prefix: row.prefix, createdAt: row.created_at, lastUsedAt: row.last_used_at, expiresAt: row.expires_at, scope: row.scope };
}

export async function listOwnTokens(ctx: Ctx, actor: Actor) {
  const rows = await listApiTokens(ctx.db, actor.personId);
  return { items: rows.map(presentToken) };
}

/**
 * Creates a personal API token; the secret is returned once and only its hash is kept. Only from a
 * signed-in session: a leaked token must not be able to mint longer-lived ones.
 */
export async function createOwnToken(
  ctx: Ctx,
  actor: Actor,
  body: { name: string; expiresInDays?: number; scope: "read" | "read_write" },
  meta: RequestMeta,
) {
  if (actor.via !== "session") throw forbidden("API tokens are created from a signed-in session, not with another token");
  const { tokenMaxLifetimeDays } = await loadDistrictSettings(ctx.db, actor.districtId);
  const days = body.expiresInDays ?? Math.min(TokenLimits.defaultLifetimeDays, tokenMaxLifetimeDays);
  if (days > tokenMaxLifetimeDays) throw fieldError("body.expiresInDays", `must be at most ${tokenMaxLifetimeDays}, the district's longest token lifetime`);
  const existing = await listApiTokens(ctx.db, actor.personId);
  if (existing.length >= TokenLimits.maxPerPerson) {
    throw new AppError("bad_request", `You already have ${TokenLimits.maxPerPerson} tokens; revoke one first`);
  }
  const secret = randomToken();
  const token = `${TOKEN_PREFIX}${secret}`;
  const expiresAt = addMinutes(nowIso(), days * 24 * 60);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const tokenId = await insertApiToken(trx, {
      personId: actor.personId,
      name: body.name,
      prefix: token.slice(0, 12),
      tokenHash: sha256(token),
      expiresAt,
      scope: body.scope,
    });
    await recordAudit(trx, { actor, meta }, {
      action: "token.create",
      subjectType: "token",
      subjectId: tokenId,
      details: { name: body.name, scope: body.scope, expiresInDays: days },
    });
    return tokenId;
  });
  const row = (await listApiTokens(ctx.db, actor.personId)).find((t) => t.id === id);
  if (!row) throw new AppError("internal", "The token vanished after it was created");
  return { ...presentToken(row), token };
}

export async function revokeOwnToken(ctx: Ctx, actor: Actor, id: string, meta: RequestMeta): Promise<void> {
  if (!(await revokeApiToken(ctx.db, actor.personId, id))) throw notFound("Token");
  await recordAudit(ctx.db, { actor, meta }, { action: "token.revoke", subjectType: "token", subjectId: id });
}

/** Creates a district admin from the CLI, making the district if none exists yet. */
export async function createAdminFromCli(
  ctx: Ctx,
  input: { email: string; password: string; givenName: string; familyName: string; districtName?: string },
): Promise<{ personId: string; districtId: string; created: boolean }> {
  const hash = await hashPassword(input.password);
  return ctx.db.transaction().execute(async (trx) => {
    let district: { id: string } | undefined = (await listDistricts(trx))[0];
    if (!district) {
      const id = await insertDistrict(trx, { name: input.districtName ?? "My District", timezone: "America/New_York" });
      await insertSettingIfAbsent(trx, SETUP_DONE, nowIso());
      await deleteSetting(trx, SETUP_TOKEN);
      district = { id };
    }
    const existing = await findPersonInDistrictByEmail(trx, district.id, input.email);
    let personId: string;
    if (existing) {
      personId = existing.id;
      await setPasswordHash(trx, personId, hash);
      await updatePersonRow(trx, personId, { status: "active", deactivated_at: null });
      const roles = await rolesOf(trx, [personId]);
      if (!roles.some((r) => r.role === "district_admin")) {
        await grantRole(trx, { districtId: district.id, personId, role: "district_admin", schoolId: null });
      }
    } else {
      personId = await insertPerson(trx, {
        districtId: district.id,
        givenName: input.givenName,
        familyName: input.familyName,
        email: input.email,
        passwordHash: hash,
        gradeLevel: null,
        studentNumber: null,
      });
      await replaceRoles(trx, district.id, personId, [{ role: "district_admin", schoolId: null }]);
    }
    await recordAudit(trx, { actor: null, districtId: district.id, meta: { ip: null, userAgent: "cli" } }, {
      action: existing ? "cli.admin_update" : "cli.admin_create",
      subjectType: "person",
      subjectId: personId,
    });
    return { personId, districtId: district.id, created: !existing };
  });
}
