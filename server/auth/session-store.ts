import type { Kysely } from "kysely";
import { SessionLimits } from "../../shared/limits.js";
import type { Role } from "../../shared/roles.js";
import type { DB } from "../db/schema.js";
import { addMinutes, nowIso, randomToken, sha256 } from "../lib.js";
import type { RequestMeta } from "../context.js";
import type { Actor } from "./actor.js";

const IDLE_MINUTES = SessionLimits.idleDays * 24 * 60;
const ABSOLUTE_MINUTES = SessionLimits.absoluteDays * 24 * 60;
// Touching a session on every request would turn every read into a write; once a minute is enough.
const TOUCH_EVERY_MS = 60_000;

export const SESSION_COOKIE = "cw_session";
export const TOKEN_PREFIX = "cwk_";

/** Creates a server-side session; returns the cookie value (only its hash is stored). */
export async function createSession(
  db: Kysely<DB>,
  personId: string,
  meta: RequestMeta,
): Promise<{ token: string; csrfToken: string; expiresAt: string }> {
  const token = randomToken();
  const csrfToken = randomToken();
  const now = nowIso();
  const expiresAt = addMinutes(now, IDLE_MINUTES);
  await db
    .insertInto("sessions")
    .values({
      id_hash: sha256(token),
      person_id: personId,
      csrf_token: csrfToken,
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

export async function deleteSession(db: Kysely<DB>, idHash: string): Promise<void> {
  await db.deleteFrom("sessions").where("id_hash", "=", idHash).execute();
}

/** Ends every session of a person, e.g. after a password change or deactivation. */
export async function deleteSessionsOf(db: Kysely<DB>, personId: string, exceptIdHash?: string): Promise<void> {
  let q = db.deleteFrom("sessions").where("person_id", "=", personId);
  if (exceptIdHash) q = q.where("id_hash", "!=", exceptIdHash);
  await q.execute();
}

/** Ends every session of these people at once (a roster import deactivating them); for other modules. */
export async function endSessionsOf(db: Kysely<DB>, personIds: readonly string[]): Promise<void> {
  if (personIds.length === 0) return;
  await db.deleteFrom("sessions").where("person_id", "in", [...personIds]).execute();
}

/** Revokes every live API token of these people, for good: reactivating a person does not bring them back. */
export async function revokeApiTokensOf(db: Kysely<DB>, personIds: readonly string[]): Promise<void> {
  if (personIds.length === 0) return;
  await db.updateTable("api_tokens").set({ revoked_at: nowIso() }).where("person_id", "in", [...personIds]).where("revoked_at", "is", null).execute();
}

/** A deactivated person's way in ends: sessions end and API tokens are revoked (in the caller's transaction). */
export async function endAccessOf(db: Kysely<DB>, personIds: readonly string[]): Promise<void> {
  await endSessionsOf(db, personIds);
  await revokeApiTokensOf(db, personIds);
}

type PersonOfCredential = { person_id: string; district_id: string; given_name: string; family_name: string };
type RoleColumns = { role: string | null; school_id: string | null };

/**
 * The actor a session or token stands for: the person, their roles, and how they came in. The
 * credential's rows come joined with the person's role assignments (one row per role, one row
 * with null role columns when there is none), so the request pays one round trip, not two.
 */
function actorOf(
  rows: readonly (PersonOfCredential & RoleColumns)[],
  how: Pick<Actor, "via" | "tokenScope" | "sessionIdHash" | "csrfToken">,
): Actor {
  const [row] = rows as [PersonOfCredential & RoleColumns];
  const roles: Actor["roles"] = [];
  for (const r of rows) if (r.role !== null) roles.push({ role: r.role as Role, schoolId: r.school_id });
  return {
    personId: row.person_id,
    districtId: row.district_id,
    name: `${row.given_name} ${row.family_name}`,
    roles,
    ...how,
  };
}

/** Resolves a session cookie to an actor, sliding its idle expiry; undefined when expired or unknown. */
export async function actorFromSession(db: Kysely<DB>, token: string): Promise<Actor | undefined> {
  const idHash = sha256(token);
  const rows = await db
    .selectFrom("sessions")
    .innerJoin("people", "people.id", "sessions.person_id")
    .leftJoin("role_assignments", "role_assignments.person_id", "sessions.person_id")
    .select([
      "sessions.person_id",
      "sessions.csrf_token",
      "sessions.created_at",
      "sessions.last_seen_at",
      "sessions.expires_at",
      "people.district_id",
      "people.given_name",
      "people.family_name",
      "people.status",
      "role_assignments.role",
      "role_assignments.school_id",
    ])
    .where("sessions.id_hash", "=", idHash)
    .execute();
  const row = rows[0];
  if (!row) return undefined;
  const now = Date.now();
  if (Date.parse(row.expires_at) <= now || row.status !== "active") {
    await deleteSession(db, idHash);
    return undefined;
  }
  if (now - Date.parse(row.last_seen_at) > TOUCH_EVERY_MS) {
    const nowS = new Date(now).toISOString();
    const absoluteEnd = addMinutes(row.created_at, ABSOLUTE_MINUTES);
    const idleEnd = addMinutes(nowS, IDLE_MINUTES);
    await db
      .updateTable("sessions")
      .set({ last_seen_at: nowS, expires_at: idleEnd < absoluteEnd ? idleEnd : absoluteEnd })
      .where("id_hash", "=", idHash)
      .execute();
  }
  return actorOf(rows, { via: "session", tokenScope: null, sessionIdHash: idHash, csrfToken: row.csrf_token });
}

/** Resolves a personal API token to an actor; undefined when unknown, revoked or expired. */
export async function actorFromApiToken(db: Kysely<DB>, token: string): Promise<Actor | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const rows = await db
    .selectFrom("api_tokens")
    .innerJoin("people", "people.id", "api_tokens.person_id")
    .leftJoin("role_assignments", "role_assignments.person_id", "api_tokens.person_id")
    .select([
      "api_tokens.id",
      "api_tokens.person_id",
      "api_tokens.expires_at",
      "api_tokens.revoked_at",
      "api_tokens.last_used_at",
      "api_tokens.scope",
      "people.district_id",
      "people.given_name",
      "people.family_name",
      "people.status",
      "role_assignments.role",
      "role_assignments.school_id",
    ])
    .where("api_tokens.token_hash", "=", sha256(token))
    .execute();
  const row = rows[0];
  if (!row || row.revoked_at !== null || row.status !== "active") return undefined;
  const now = Date.now();
  if (row.expires_at !== null && Date.parse(row.expires_at) <= now) return undefined;
  if (row.last_used_at === null || now - Date.parse(row.last_used_at) > TOUCH_EVERY_MS) {
    await db
      .updateTable("api_tokens")
      .set({ last_used_at: new Date(now).toISOString() })
      .where("id", "=", row.id)
      .execute();
  }
  return actorOf(rows, { via: "token", tokenScope: row.scope, sessionIdHash: null, csrfToken: null });
}

/** Removes expired sessions and used or expired reset tokens; run periodically. */
export async function purgeExpired(db: Kysely<DB>): Promise<void> {
  const now = nowIso();
  await db.deleteFrom("sessions").where("expires_at", "<", now).execute();
  await db.deleteFrom("password_resets").where("expires_at", "<", now).execute();
}
