import type { Kysely } from "kysely";
import { canModerateSeries, canSeeSeries } from "../../../shared/policy/chats.js";
import { ChatLimits, type TChatEvent, type TChatPost, type TGuestResend, type TGuestSignUp, type TGuestVerification, type TCreatePostRequest, type TRoomChanges, ZCreatePostRequest } from "../../../shared/schemas/chats.js";
import type { Actor } from "../../auth/actor.js";
import type { Ctx } from "../../context.js";
import { isUniqueViolation } from "../../db/index.js";
import type { DB } from "../../db/schema.js";
import { AppError, fieldError, forbidden, notFound } from "../../errors.js";
import { newId, nowIso, randomToken, sha256 } from "../../lib.js";
import { enqueueJob, nudgeJobWorkers } from "../../platform/jobs.js";
import type { RealtimeGuest, RealtimePublisher } from "../../platform/realtime.js";
import type { Writer } from "../../platform/writes.js";
import { recordAudit } from "../audit/api.js";
import { enqueueEmail } from "../mail/api.js";
import { loadDistrictSettings } from "../settings/api.js";
import { namesByIds } from "../people/api.js";
import * as repo from "./chats.repository.js";
import { presentPost, questionLabel } from "./chats.presenters.js";
import { ChatJobs, getEvent, loadEvent, loadQuestion, loadSeries, presentEvent, type LoadedSeries } from "./chats.service.js";

// The live room: numbered posts (answers A<n> under question n, replies, likes), moderation, and the
// community guests of public series. Every change takes the room's next number and is published on
// `chat:<eventId>` after commit; a client that missed some asks for the changes after its last number.

/** Who is in the room: a signed-in person, or a public series' guest (by the X-Chat-Guest token). */
export type RoomCaller = { kind: "person"; actor: Actor } | { kind: "guest"; participant: repo.ParticipantRow };

export const GUEST_COOKIE = "cw_chat_guest";
export const GUEST_HEADER = "x-chat-guest";

type RoomAccess = {
  event: repo.EventRow;
  series: LoadedSeries;
  isModerator: boolean;
  /** The caller's participant row, made on first use for a person. */
  participant: repo.ParticipantRow | null;
  caller: RoomCaller;
};

/** Resolves a guest token to its participant (for HTTP and the realtime hub). */
export async function guestFromToken(db: Kysely<DB>, token: string): Promise<repo.ParticipantRow | null> {
  if (!token || token.length > 200) return null;
  const row = await repo.participantByTokenHash(db, sha256(token));
  return row && row.person_id === null ? row : null;
}

async function roomAccess(ctx: Ctx, caller: RoomCaller, eventId: string): Promise<RoomAccess> {
  if (caller.kind === "person") {
    // The room and the caller's participant row at once: every post and like starts here.
    const [{ event, series }, participant] = await Promise.all([
      loadEvent(ctx.db, eventId, caller.actor.districtId),
      repo.participantOfPerson(ctx.db, caller.actor.districtId, caller.actor.personId).then((p) => p ?? null),
    ]);
    if (!canSeeSeries(caller.actor, series.facts)) throw forbidden("This chat is for another audience");
    return { event, series, isModerator: canModerateSeries(caller.actor, series.facts), participant, caller };
  }
  const { event, series } = await loadEvent(ctx.db, eventId, caller.participant.district_id);
  if (series.row.audience !== "public" || caller.participant.series_id !== series.row.id) throw forbidden("Your sign-up is for another chat");
  return { event, series, isModerator: false, participant: caller.participant, caller };
}

/**
 * The room's event for its caller: a person as `getEvent` shows it; a guest (of this public series)
 * sees only the questions already posted, and no moderator's plan or cross-post states.
 */
export async function eventForCaller(ctx: Ctx, caller: RoomCaller, eventId: string): Promise<TChatEvent> {
  if (caller.kind === "person") return getEvent(ctx, caller.actor, eventId);
  const { event, series } = await roomAccess(ctx, caller, eventId);
  const shown = await presentEvent(ctx, event, series, { canManage: false, canModerate: false, canPost: true });
  return { ...shown, questions: shown.questions.filter((q) => q.postedAt !== null) };
}

/** The caller's participant row, made for a person on their first post or like. */
async function ensureParticipant(db: Kysely<DB>, access: RoomAccess): Promise<repo.ParticipantRow> {
  if (access.participant) return access.participant;
  if (access.caller.kind !== "person") throw forbidden("Sign up to join the chat");
  const actor = access.caller.actor;
  const row: repo.ParticipantRow = {
    id: newId(),
    district_id: actor.districtId,
    person_id: actor.personId,
    series_id: null,
    display_name: actor.name,
    email: null,
    token_hash: null,
    email_verified_at: null,
    verify_token_hash: null,
    verify_expires_at: null,
    verify_sent_at: null,
    wants_reminders: 1,
    created_at: nowIso(),
  };
  try {
    await repo.insertParticipant(db, row);
    return row;
  } catch (err) {
    const again = await repo.participantOfPerson(db, actor.districtId, actor.personId);
    if (again) return again;
    throw err;
  }
}

async function presentPosts(ctx: Ctx, access: Pick<RoomAccess, "series" | "isModerator" | "participant" | "event">, rows: repo.PostRow[]): Promise<TChatPost[]> {
  const authors = new Map((await repo.participantsByIds(ctx.db, rows.map((r) => r.participant_id))).map((p) => [p.id, p]));
  const questions = new Map((await repo.questionsOf(ctx.db, [access.event.id])).map((q) => [q.id, q]));
  const moderatorPersonIds = new Set(access.series.facts.moderators.map((m) => m.personId));
  const liked = access.participant ? await repo.likedPostIds(ctx.db, access.participant.id, rows.map((r) => r.id)) : new Set<string>();
  return rows.map((p) =>
    presentPost(p, { author: authors.get(p.participant_id), moderatorPersonIds, questions, isModeratorView: access.isModerator, likedByMe: liked.has(p.id) }),
  );
}

/** Publishes a post as everyone sees it (read back after a change; hidden text stays out of the broadcast). */
async function publishPost(ctx: Ctx, realtime: RealtimePublisher | null, eventId: string, postId: string): Promise<void> {
  if (!realtime) return;
  const row = await repo.findPost(ctx.db, postId);
  if (!row) return;
  const { event, series } = await loadEvent(ctx.db, eventId, null);
  const [post] = await presentPosts(ctx, { event, series, isModerator: false, participant: null }, [row]);
  if (post) await broadcast(ctx, realtime, eventId, post);
}

/** Sends a post, presented as everyone sees it, to the room's followers. */
async function broadcast(ctx: Ctx, realtime: RealtimePublisher, eventId: string, post: TChatPost): Promise<void> {
  try {
    await realtime.publish(`chat:${eventId}`, { type: "post", post });
  } catch (err) {
    // The post is saved; clients see the gap in numbers and fetch it.
    ctx.log.warn({ err, eventId }, "chats: publishing a post failed");
  }
}

/** What changed in the room after a number (all of it from 0): the resume point of a reconnecting client. */
export async function roomChanges(ctx: Ctx, caller: RoomCaller, eventId: string, after: number): Promise<TRoomChanges> {
  const access = await roomAccess(ctx, caller, eventId);
  const rows = await repo.postsChangedAfter(ctx.db, eventId, after, 5000);
  const muted = access.participant ? await repo.isMuted(ctx.db, access.series.row.id, access.participant.id) : false;
  const lastSeq = rows.length === 5000 ? (rows.at(-1)?.changed_seq ?? after) : access.event.last_seq;
  return { posts: await presentPosts(ctx, access, rows), lastSeq: Math.max(lastSeq, after), me: { participantId: access.participant?.id ?? null, isMuted: muted } };
}

function isRoomOpen(event: repo.EventRow, now: number): boolean {
  const opens = Date.parse(event.starts_at) - ChatLimits.opensBeforeMinutes * 60_000;
  const closes = Date.parse(event.ends_at) + ChatLimits.closesAfterMinutes * 60_000;
  return event.status === "scheduled" && now >= opens && now < closes;
}

/**
 * Posts in the room: an answer to a question (A<n>), a reply, or a comment. Checks the room is open,
 * the caller not muted, the flood limit (per participant, across app servers: counted in the
 * database), and the length; a repeated clientRef returns the first post.
 */
export async function createPost(ctx: Ctx, realtime: RealtimePublisher | null, caller: RoomCaller, eventId: string, input: TCreatePostRequest): Promise<{ post: TChatPost; created: boolean }> {
  const body = ZCreatePostRequest.parse(input);
  const access = await roomAccess(ctx, caller, eventId);
  const now = Date.now();
  if (!access.isModerator && !isRoomOpen(access.event, now)) {
    throw new AppError("conflict", `The room is open from ${ChatLimits.opensBeforeMinutes} minutes before the chat until ${ChatLimits.closesAfterMinutes} minutes after it`);
  }
  const participant = await ensureParticipant(ctx.db, access);
  // What the checks need, read at once (one wait, not up to four in a row).
  const [existing, isMuted, parent, q] = await Promise.all([
    body.clientRef ? repo.postByClientRef(ctx.db, eventId, participant.id, body.clientRef) : undefined,
    repo.isMuted(ctx.db, access.series.row.id, participant.id),
    body.parentId ? repo.findPost(ctx.db, body.parentId) : undefined,
    !body.parentId && body.questionId ? repo.findQuestion(ctx.db, body.questionId) : undefined,
  ]);
  if (existing) return { post: (await presentPosts(ctx, { ...access, participant }, [existing]))[0] as TChatPost, created: false };
  if (isMuted) throw forbidden("A moderator has muted you in this chat");
  let questionId: string | null = null;
  let parentId: string | null = null;
  let kind: "answer" | "reply" | "comment" = "comment";
  let question: repo.QuestionRow | null = null; // an answer's, for its A<n> label
  if (body.parentId) {
    if (!parent || parent.event_id !== eventId || parent.status === "removed") throw fieldError("body.parentId", "is not a post in this room");
    kind = "reply";
    parentId = parent.id;
    questionId = parent.question_id;
  } else if (body.questionId) {
    if (!q || q.event_id !== eventId) throw fieldError("body.questionId", "is not a question of this chat");
    if (!q.post_id) throw fieldError("body.questionId", `${questionLabel(q)} has not been asked yet`);
    kind = "answer";
    questionId = q.id;
    question = q;
  }
  const at = new Date(now).toISOString();
  const fields = {
    id: newId(),
    event_id: eventId,
    kind,
    participant_id: participant.id,
    question_id: questionId,
    parent_id: parentId,
    body: body.body,
    status: "visible" as const,
    like_count: 0,
    client_ref: body.clientRef ?? null,
    created_at: at,
  };
  let seq: number;
  try {
    // The room's number is taken as late as possible and in the statement that inserts (see
    // insertNumberedPost): every post of the room waits for that lock, so it must not span round trips.
    seq = access.isModerator
      ? await repo.insertNumberedPost(ctx.db, fields)
      : await ctx.db.transaction().execute(async (trx) => {
          // One participant's posts are counted one at a time, without holding up anyone else's.
          await repo.lockParticipant(trx, participant.id);
          const since = new Date(now - ChatLimits.windowMs).toISOString();
          if ((await repo.recentPostCount(trx, eventId, participant.id, since)) >= ChatLimits.postsPerWindow) {
            throw new AppError("rate_limited", `At most ${ChatLimits.postsPerWindow} posts every ${ChatLimits.windowMs / 1000} seconds; give others a moment`);
          }
          return repo.insertNumberedPost(trx, fields);
        });
  } catch (err) {
    // Two sends of one clientRef racing: the second meets the unique index; answer with the first.
    if (body.clientRef) {
      const existing = await repo.postByClientRef(ctx.db, eventId, participant.id, body.clientRef);
      if (existing) return { post: (await presentPosts(ctx, { ...access, participant }, [existing]))[0] as TChatPost, created: false };
    }
    throw err;
  }
  // Presented from the row just written (a new post has no likes and is visible): nothing to read
  // back between the commit and the broadcast, nor before the answer.
  const row: repo.PostRow = { ...fields, seq, changed_seq: seq };
  const moderatorPersonIds = new Set(access.series.facts.moderators.map((m) => m.personId));
  const questions = new Map(question ? [[question.id, question]] : []);
  const present = (isModeratorView: boolean) => presentPost(row, { author: participant, moderatorPersonIds, questions, isModeratorView, likedByMe: false });
  if (realtime) await broadcast(ctx, realtime, eventId, present(false));
  return { post: present(access.isModerator), created: true };
}

/** Likes a post once per participant. */
export async function likePost(ctx: Ctx, realtime: RealtimePublisher | null, caller: RoomCaller, postId: string): Promise<TChatPost> {
  const post = await repo.findPost(ctx.db, postId);
  if (!post) throw notFound("Post");
  const access = await roomAccess(ctx, caller, post.event_id);
  const participant = await ensureParticipant(ctx.db, access);
  if (post.status !== "visible") throw new AppError("conflict", "This post is hidden");
  const isNew = await ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.insertLike(trx, post.id, participant.id, nowIso()))) return false;
    const seq = await repo.takeSeq(trx, post.event_id);
    const fresh = await repo.findPost(trx, post.id);
    await repo.updatePost(trx, post.id, { like_count: (fresh?.like_count ?? 0) + 1, changed_seq: seq });
    return true;
  });
  if (isNew) await publishPost(ctx, realtime, post.event_id, post.id);
  const row = await repo.findPost(ctx.db, post.id);
  if (!row) throw notFound("Post");
  return (await presentPosts(ctx, { ...access, participant }, [row]))[0] as TChatPost;
}

/** Hides, unhides or removes a post (moderators, checked against the current list every time). */
export async function moderatePost(ctx: Ctx, realtime: RealtimePublisher | null, who: Writer, postId: string, change: "hide" | "unhide" | "remove"): Promise<TChatPost> {
  const post = await repo.findPost(ctx.db, postId);
  if (!post) throw notFound("Post");
  const access = await roomAccess(ctx, { kind: "person", actor: who.actor }, post.event_id);
  if (!access.isModerator) throw forbidden("Only the chat's moderators and co-moderators do this");
  if (post.status === "removed") throw new AppError("conflict", "This post was removed");
  const status = change === "hide" ? "hidden" : change === "unhide" ? "visible" : "removed";
  await ctx.db.transaction().execute(async (trx) => {
    const seq = await repo.takeSeq(trx, post.event_id);
    await repo.updatePost(trx, post.id, { status, changed_seq: seq, ...(status === "removed" ? { body: "" } : {}) });
    await recordAudit(trx, who, { action: change === "hide" ? "chats.post.hide" : change === "unhide" ? "chats.post.unhide" : "chats.post.remove", subjectType: "chat_post", subjectId: post.id, details: { eventId: post.event_id } });
  });
  await publishPost(ctx, realtime, post.event_id, post.id);
  const row = await repo.findPost(ctx.db, post.id);
  if (!row) throw notFound("Post");
  return (await presentPosts(ctx, access, [row]))[0] as TChatPost;
}

/** Mutes (or unmutes) a participant in the whole series. */
export async function muteParticipant(ctx: Ctx, who: Writer, eventId: string, participantId: string, isMuted: boolean): Promise<{ participantId: string; isMuted: boolean }> {
  const access = await roomAccess(ctx, { kind: "person", actor: who.actor }, eventId);
  if (!access.isModerator) throw forbidden("Only the chat's moderators and co-moderators do this");
  const [target] = await repo.participantsByIds(ctx.db, [participantId]);
  if (!target || target.district_id !== access.event.district_id) throw fieldError("body.participantId", "is not a participant of this chat");
  if (target.person_id && access.series.facts.moderators.some((m) => m.personId === target.person_id)) throw fieldError("body.participantId", "is a moderator of this chat");
  await ctx.db.transaction().execute(async (trx) => {
    await repo.setMute(trx, access.series.row.id, participantId, isMuted, who.actor.personId, nowIso());
    await recordAudit(trx, who, { action: isMuted ? "chats.participant.mute" : "chats.participant.unmute", subjectType: "chat_series", subjectId: access.series.row.id, details: { participantId } });
  });
  return { participantId, isMuted };
}

/**
 * A community participant joins a public series with a name and an email. They get a random token
 * (its SHA-256 stored), valid for that series only: they can read its rooms, post and like at once,
 * nothing else. Their address is sent a verification link; only a verified address gets reminders.
 * Signing up again with the same email replaces the token (the old device is signed out) and keeps
 * their posts, history and verification.
 */
export async function guestSignUp(ctx: Ctx, seriesId: string, body: { name: string; email: string; wantsReminders: boolean }): Promise<TGuestSignUp> {
  const row = await repo.findSeries(ctx.db, seriesId);
  if (!row || row.audience !== "public" || row.archived_at !== null) throw notFound("Public chat");
  const token = `cwg_${randomToken(32)}`;
  const email = body.email.trim().toLowerCase();
  const patch = { token_hash: sha256(token), display_name: body.name, wants_reminders: body.wantsReminders ? 1 : 0 };
  // Read before the transaction: nothing in it waits for a second connection.
  const base = await publicBase(ctx, row.district_id);
  // The sign-up and its verification mail commit together: a mail is never queued for a sign-up that did not happen.
  const takeOver = (existing: repo.ParticipantRow) =>
    ctx.db.transaction().execute(async (trx) => {
      await repo.updateParticipant(trx, existing.id, patch);
      await sendVerification(trx, base, row, { ...existing, display_name: body.name }, { isRequested: false });
      return { participantId: existing.id, name: body.name, token, emailVerified: existing.email_verified_at !== null };
    });
  const existing = await repo.guestByEmail(ctx.db, seriesId, email);
  if (existing) return takeOver(existing);
  const id = newId();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const participant = { id, district_id: row.district_id, person_id: null, series_id: seriesId, email, created_at: nowIso(), ...patch };
      await repo.insertParticipant(trx, participant);
      await sendVerification(trx, base, row, { ...participant, email_verified_at: null, verify_sent_at: null }, { isRequested: false });
      return { participantId: id, name: body.name, token, emailVerified: false };
    });
  } catch (err) {
    // Two sign-ups with one email at once: the second takes over the first's row, as a later one would.
    const winner = isUniqueViolation(err) ? await repo.guestByEmail(ctx.db, seriesId, email) : undefined;
    if (!winner) throw err;
    return takeOver(winner);
  }
}

/** The address links in emails start with: the district's public URL, else PUBLIC_URL. */
async function publicBase(ctx: Ctx, districtId: string): Promise<string> {
  const settings = await loadDistrictSettings(ctx.db, districtId).catch(() => null);
  return (settings?.publicUrl ?? ctx.config.publicUrl ?? "").replace(/\/$/, "");
}

/**
 * Queues a verification email with a new single-use link (its SHA-256 stored, expiring), unless the
 * address is verified or a link went out less than `guestVerifyResendMinutes` ago. A sign-up in that
 * window sends nothing more (no mail bombing through repeated sign-ups); a guest's own request is
 * refused with 429. Returns whether a mail was queued.
 */
async function sendVerification(
  trx: Kysely<DB>,
  base: string,
  series: repo.SeriesRow,
  guest: Pick<repo.ParticipantRow, "id" | "email" | "display_name" | "email_verified_at" | "verify_sent_at">,
  opts: { isRequested: boolean },
): Promise<boolean> {
  if (guest.email_verified_at !== null || !guest.email) return false;
  const now = nowIso();
  const sentAt = guest.verify_sent_at ? Date.parse(guest.verify_sent_at) : 0;
  const nextAt = sentAt + ChatLimits.guestVerifyResendMinutes * 60_000;
  if (Date.now() < nextAt) {
    if (!opts.isRequested) return false;
    throw new AppError("rate_limited", `A link was sent to ${guest.email} a few minutes ago; you can ask for another after ${new Date(nextAt).toISOString()}`);
  }
  // Claimed by the time it was last sent: two requests at once send one mail.
  const token = `cwv_${randomToken(32)}`;
  const expiresAt = new Date(Date.now() + ChatLimits.guestVerifyTtlHours * 3_600_000).toISOString();
  if (!(await repo.claimGuestVerification(trx, guest.id, guest.verify_sent_at, { hash: sha256(token), expiresAt, sentAt: now }))) return false;
  const link = `${base}/chats/public/verify?token=${encodeURIComponent(token)}`;
  await enqueueEmail(trx, {
    to: guest.email,
    subject: `Confirm your email for ${series.name} (${series.hashtag})`,
    text: [
      `Hi ${guest.display_name},`,
      "",
      `You joined ${series.name} (${series.hashtag}). Confirm this address to get a reminder before each chat:`,
      "",
      link,
      "",
      `The link works once, for ${ChatLimits.guestVerifyTtlHours} hours. You can take part in the chat without confirming; you will just not get reminders.`,
      "If you did not sign up, ignore this email.",
    ].join("\n"),
  });
  return true;
}

/** Sends a guest a new verification link (rate-limited); says so when their address is already verified. */
export async function resendGuestVerification(ctx: Ctx, guest: repo.ParticipantRow): Promise<TGuestResend> {
  if (guest.email_verified_at !== null) return { emailVerified: true, sent: false };
  const series = guest.series_id ? await repo.findSeries(ctx.db, guest.series_id) : undefined;
  if (!series || series.audience !== "public" || series.archived_at !== null) throw notFound("Public chat");
  const base = await publicBase(ctx, series.district_id);
  const sent = await ctx.db.transaction().execute((trx) => sendVerification(trx, base, series, guest, { isRequested: true }));
  return { emailVerified: false, sent };
}

/**
 * Follows a verification link. The token works once: a second use changes nothing and answers
 * `already_verified`; an unknown or replaced token is 404, an expired one 410 (ask for a new link).
 */
export async function verifyGuestEmail(ctx: Ctx, token: string): Promise<TGuestVerification> {
  const hash = sha256(token);
  const guest = await repo.guestByVerifyHash(ctx.db, hash);
  const series = guest?.series_id ? await repo.findSeries(ctx.db, guest.series_id) : undefined;
  if (!guest || !series) throw new AppError("not_found", "This link is not valid; it may have been replaced by a newer one. Ask for a new link in the chat", { issues: [{ path: "body.token", message: "is not a current verification link" }] });
  const outcome = { seriesId: series.id, seriesName: series.name, name: guest.display_name };
  if (guest.email_verified_at !== null) return { outcome: "already_verified", ...outcome };
  if ((guest.verify_expires_at ?? "") <= nowIso()) throw new AppError("gone", `This link has expired (links work for ${ChatLimits.guestVerifyTtlHours} hours). Ask for a new one in the chat`);
  const isFirst = await repo.markGuestVerified(ctx.db, guest.id, hash, nowIso());
  return { outcome: isFirst ? "verified" : "already_verified", ...outcome };
}

/** The realtime hub's view of a guest: they may follow the rooms of their own public series. */
export async function realtimeGuest(ctx: Ctx, token: string): Promise<RealtimeGuest | null> {
  const guest = await guestFromToken(ctx.db, token);
  if (!guest) return null;
  return {
    guestId: guest.id,
    mayFollow: async (topic) => {
      if (!topic.startsWith("chat:")) return false;
      const event = await repo.findEvent(ctx.db, topic.slice(5));
      if (!event || event.series_id !== guest.series_id) return false;
      const series = await repo.findSeries(ctx.db, event.series_id);
      return series?.audience === "public";
    },
  };
}

/** Who may follow `chat:<eventId>` (those who see the series) and `chatmod:<eventId>` (its moderators). */
export async function mayFollowRoom(ctx: Ctx, actor: Actor, topic: string, isModeratorTopic: boolean): Promise<boolean> {
  const eventId = topic.slice(topic.indexOf(":") + 1);
  const event = await repo.findEvent(ctx.db, eventId);
  if (!event || event.district_id !== actor.districtId) return false;
  const series = await loadSeries(ctx.db, event.series_id, null);
  return isModeratorTopic ? canModerateSeries(actor, series.facts) : canSeeSeries(actor, series.facts);
}

/**
 * Posts a question into its room, once (the scheduled job and "post now" may race; the first wins).
 * The author is `byPersonId` (post now) or the series' creator (on schedule). Queues its cross-posts.
 */
export async function postQuestion(ctx: Ctx, realtime: RealtimePublisher | null, questionId: string, opts: { expectedPostAt?: string; byPersonId?: string }): Promise<{ posted: boolean; postId: string | null }> {
  const q = await repo.findQuestion(ctx.db, questionId);
  if (!q) return { posted: false, postId: null };
  if (q.post_id) return { posted: false, postId: q.post_id };
  if (opts.expectedPostAt !== undefined && Date.parse(opts.expectedPostAt) !== Date.parse(q.post_at)) return { posted: false, postId: null }; // rescheduled since
  const { event, series } = await loadEvent(ctx.db, q.event_id, null);
  if (event.status === "cancelled") return { posted: false, postId: null };
  const personId = opts.byPersonId ?? series.row.created_by;
  const participant = await hostParticipant(ctx.db, series.row.district_id, personId);
  const postId = newId();
  const isPosted = await ctx.db.transaction().execute(async (trx) => {
    const at = nowIso();
    if (!(await repo.claimQuestion(trx, q.id, postId, at))) return false;
    const seq = await repo.takeSeq(trx, event.id);
    await repo.insertPost(trx, {
      id: postId,
      event_id: event.id,
      seq,
      changed_seq: seq,
      kind: "question",
      participant_id: participant.id,
      question_id: q.id,
      parent_id: null,
      body: q.text,
      status: "visible",
      like_count: 0,
      client_ref: null,
      created_at: at,
    });
    const crosspost = JSON.parse(series.row.crosspost) as { mastodon?: unknown; bluesky?: unknown };
    for (const network of ["mastodon", "bluesky"] as const) {
      if (!crosspost[network]) continue;
      await repo.upsertCrosspost(trx, { id: newId(), questionId: q.id, eventId: event.id, network, status: "pending", remoteId: null, error: null, at });
      await enqueueJob(trx, { kind: ChatJobs.crosspost, payload: { questionId: q.id, network }, dedupeKey: `chatx:${q.id}:${network}`, maxAttempts: 3 });
    }
    return true;
  });
  if (!isPosted) return { posted: false, postId: (await repo.findQuestion(ctx.db, q.id))?.post_id ?? null };
  nudgeJobWorkers();
  await publishPost(ctx, realtime, event.id, postId);
  return { posted: true, postId };
}

/** "Post now": a moderator posts a question before its time. */
export async function postQuestionNow(ctx: Ctx, realtime: RealtimePublisher | null, who: Writer, questionId: string): Promise<{ postId: string }> {
  const { q } = await loadQuestion(ctx, who.actor, questionId);
  if (q.post_id) throw new AppError("conflict", `${questionLabel(q)} was already posted`);
  const result = await postQuestion(ctx, realtime, q.id, { byPersonId: who.actor.personId });
  if (!result.postId) throw new AppError("conflict", "The question could not be posted");
  return { postId: result.postId };
}

/** Posts the series' welcome when the room opens (once). */
export async function postWelcome(ctx: Ctx, realtime: RealtimePublisher | null, eventId: string): Promise<void> {
  const { event, series } = await loadEvent(ctx.db, eventId, null);
  if (event.welcome_post_id || event.status === "cancelled" || !series.row.welcome_text) return;
  const participant = await hostParticipant(ctx.db, series.row.district_id, series.row.created_by);
  const postId = newId();
  const isPosted = await ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.claimWelcome(trx, event.id, postId))) return false;
    const seq = await repo.takeSeq(trx, event.id);
    await repo.insertPost(trx, {
      id: postId,
      event_id: event.id,
      seq,
      changed_seq: seq,
      kind: "welcome",
      participant_id: participant.id,
      question_id: null,
      parent_id: null,
      body: series.row.welcome_text,
      status: "visible",
      like_count: 0,
      client_ref: null,
      created_at: nowIso(),
    });
    return true;
  });
  if (isPosted) await publishPost(ctx, realtime, event.id, postId);
}

async function hostParticipant(db: Kysely<DB>, districtId: string, personId: string): Promise<repo.ParticipantRow> {
  const existing = await repo.participantOfPerson(db, districtId, personId);
  if (existing) return existing;
  const name = (await namesByIds(db, [personId])).get(personId);
  const row: repo.ParticipantRow = {
    id: newId(),
    district_id: districtId,
    person_id: personId,
    series_id: null,
    display_name: name ? `${name.givenName} ${name.familyName}` : "Moderator",
    email: null,
    token_hash: null,
    email_verified_at: null,
    verify_token_hash: null,
    verify_expires_at: null,
    verify_sent_at: null,
    wants_reminders: 1,
    created_at: nowIso(),
  };
  try {
    await repo.insertParticipant(db, row);
    return row;
  } catch (err) {
    const again = await repo.participantOfPerson(db, districtId, personId);
    if (again) return again;
    throw err;
  }
}
