import { PostgresAdapter, sql, type Insertable, type Kysely, type Selectable, type Updateable } from "kysely";
import type {
  ChatEventsTable,
  ChatGroupMessagesTable,
  ChatGroupsTable,
  ChatParticipantsTable,
  ChatPostsTable,
  ChatQuestionsTable,
  ChatSeriesTable,
  DB,
} from "../../db/schema.js";

// All of the chats module's SQL, over its own tables only.

export type SeriesRow = Selectable<ChatSeriesTable>;
export type EventRow = Selectable<ChatEventsTable>;
export type QuestionRow = Selectable<ChatQuestionsTable>;
export type ParticipantRow = Selectable<ChatParticipantsTable>;
export type PostRow = Selectable<ChatPostsTable>;
export type GroupRow = Selectable<ChatGroupsTable>;
export type GroupMessageRow = Selectable<ChatGroupMessagesTable>;
export type ModeratorRow = { series_id: string; person_id: string; role: "moderator" | "co_moderator" };

// ---- Series ----

export async function insertSeries(db: Kysely<DB>, row: Insertable<ChatSeriesTable>): Promise<void> {
  await db.insertInto("chat_series").values(row).execute();
}

export async function updateSeries(db: Kysely<DB>, id: string, patch: Updateable<ChatSeriesTable>): Promise<void> {
  await db.updateTable("chat_series").set(patch).where("id", "=", id).execute();
}

export function findSeries(db: Kysely<DB>, id: string): Promise<SeriesRow | undefined> {
  return db.selectFrom("chat_series").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The series of an event, by the event's id (read alongside the event rather than after it). */
export function seriesOfEvent(db: Kysely<DB>, eventId: string): Promise<SeriesRow | undefined> {
  return db
    .selectFrom("chat_series")
    .selectAll()
    .where("id", "=", (eb) => eb.selectFrom("chat_events").select("series_id").where("id", "=", eventId))
    .executeTakeFirst();
}

/** The moderators of an event's series, by the event's id. */
export function moderatorsOfEvent(db: Kysely<DB>, eventId: string): Promise<ModeratorRow[]> {
  return db
    .selectFrom("chat_moderators")
    .select(["series_id", "person_id", "role"])
    .where("series_id", "=", (eb) => eb.selectFrom("chat_events").select("series_id").where("id", "=", eventId))
    .orderBy("created_at")
    .execute();
}

export function findSeriesByCalendarToken(db: Kysely<DB>, token: string): Promise<SeriesRow | undefined> {
  return db.selectFrom("chat_series").selectAll().where("calendar_token", "=", token).executeTakeFirst();
}

/** A district's series, newest first (a district has tens, not thousands: the policy filters in the service). */
export function seriesOfDistrict(db: Kysely<DB>, districtId: string): Promise<SeriesRow[]> {
  return db.selectFrom("chat_series").selectAll().where("district_id", "=", districtId).orderBy("created_at", "desc").orderBy("id").execute();
}

/** Series not archived, for the materialising job. */
export function activeSeries(db: Kysely<DB>): Promise<SeriesRow[]> {
  return db.selectFrom("chat_series").selectAll().where("archived_at", "is", null).execute();
}

export function moderatorsOf(db: Kysely<DB>, seriesIds: readonly string[]): Promise<ModeratorRow[]> {
  if (seriesIds.length === 0) return Promise.resolve([]);
  return db.selectFrom("chat_moderators").select(["series_id", "person_id", "role"]).where("series_id", "in", [...seriesIds]).orderBy("created_at").execute();
}

export async function replaceModerators(db: Kysely<DB>, seriesId: string, moderators: readonly { personId: string; role: "moderator" | "co_moderator" }[], at: string): Promise<void> {
  await db.deleteFrom("chat_moderators").where("series_id", "=", seriesId).execute();
  if (moderators.length === 0) return;
  await db
    .insertInto("chat_moderators")
    .values(moderators.map((m) => ({ series_id: seriesId, person_id: m.personId, role: m.role, created_at: at })))
    .execute();
}

// ---- Events ----

export function startsOfSeries(db: Kysely<DB>, seriesId: string): Promise<{ starts_at: string }[]> {
  return db.selectFrom("chat_events").select("starts_at").where("series_id", "=", seriesId).execute();
}

export async function insertEvent(db: Kysely<DB>, row: Insertable<ChatEventsTable>): Promise<void> {
  await db.insertInto("chat_events").values(row).execute();
}

export function findEvent(db: Kysely<DB>, id: string): Promise<EventRow | undefined> {
  return db.selectFrom("chat_events").selectAll().where("id", "=", id).executeTakeFirst();
}

/** A series' events, soonest first; `endsAfter` keeps upcoming and running ones, `isScheduledOnly` drops cancelled ones. */
export function eventsOfSeries(db: Kysely<DB>, seriesId: string, opts: { endsAfter?: string; endsBefore?: string; limit: number; isDescending?: boolean; isScheduledOnly?: boolean },
): Promise<EventRow[]> {
  let q = db.selectFrom("chat_events").selectAll().where("series_id", "=", seriesId);
  if (opts.endsAfter) q = q.where("ends_at", ">", opts.endsAfter);
  if (opts.endsBefore) q = q.where("ends_at", "<=", opts.endsBefore);
  if (opts.isScheduledOnly) q = q.where("status", "=", "scheduled");
  return q
    .orderBy("starts_at", opts.isDescending ? "desc" : "asc")
    .limit(opts.limit)
    .execute();
}

/** Changes an event that has not opened yet (a new schedule: cancelled, back on, or a new length). */
export async function updateEvent(db: Kysely<DB>, id: string, patch: Pick<Updateable<ChatEventsTable>, "status" | "ends_at">): Promise<void> {
  await db.updateTable("chat_events").set(patch).where("id", "=", id).execute();
}

/** The next event of each series (ending after `now`). */
export async function nextEvents(db: Kysely<DB>, seriesIds: readonly string[], now: string): Promise<Map<string, EventRow>> {
  if (seriesIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("chat_events")
    .selectAll()
    .where("series_id", "in", [...seriesIds])
    .where("ends_at", ">", now)
    .where("status", "=", "scheduled")
    .orderBy("starts_at")
    .execute();
  const next = new Map<string, EventRow>();
  for (const r of rows) if (!next.has(r.series_id)) next.set(r.series_id, r);
  return next;
}

/** Takes the room's next sequence number (the row lock orders concurrent posts on PostgreSQL). */
export async function takeSeq(db: Kysely<DB>, eventId: string): Promise<number> {
  const row = await db
    .updateTable("chat_events")
    .set((eb) => ({ last_seq: eb("last_seq", "+", 1) }))
    .where("id", "=", eventId)
    .returning("last_seq")
    .executeTakeFirstOrThrow();
  return row.last_seq;
}

/** Sets the welcome post once; false when another run got there first. */
export async function claimWelcome(db: Kysely<DB>, eventId: string, postId: string): Promise<boolean> {
  const r = await db.updateTable("chat_events").set({ welcome_post_id: postId }).where("id", "=", eventId).where("welcome_post_id", "is", null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- Questions ----

export function questionsOf(db: Kysely<DB>, eventIds: readonly string[]): Promise<QuestionRow[]> {
  if (eventIds.length === 0) return Promise.resolve([]);
  return db.selectFrom("chat_questions").selectAll().where("event_id", "in", [...eventIds]).orderBy("event_id").orderBy("number").execute();
}

export function findQuestion(db: Kysely<DB>, id: string): Promise<QuestionRow | undefined> {
  return db.selectFrom("chat_questions").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function insertQuestions(db: Kysely<DB>, rows: Insertable<ChatQuestionsTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto("chat_questions").values(rows).execute();
}

export async function updateQuestion(db: Kysely<DB>, id: string, patch: Updateable<ChatQuestionsTable>): Promise<void> {
  await db.updateTable("chat_questions").set(patch).where("id", "=", id).execute();
}

export async function deleteQuestion(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom("chat_questions").where("id", "=", id).where("post_id", "is", null).execute();
}

/** Marks a question posted; false when it already was (a second job run, "post now" racing the schedule). */
export async function claimQuestion(db: Kysely<DB>, id: string, postId: string, at: string): Promise<boolean> {
  const r = await db.updateTable("chat_questions").set({ post_id: postId, posted_at: at }).where("id", "=", id).where("post_id", "is", null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- Participants ----

export function participantOfPerson(db: Kysely<DB>, districtId: string, personId: string): Promise<ParticipantRow | undefined> {
  return db.selectFrom("chat_participants").selectAll().where("district_id", "=", districtId).where("person_id", "=", personId).executeTakeFirst();
}

export function participantByTokenHash(db: Kysely<DB>, tokenHash: string): Promise<ParticipantRow | undefined> {
  return db.selectFrom("chat_participants").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
}

export function guestByEmail(db: Kysely<DB>, seriesId: string, email: string): Promise<ParticipantRow | undefined> {
  return db.selectFrom("chat_participants").selectAll().where("series_id", "=", seriesId).where("person_id", "is", null).where("email", "=", email).executeTakeFirst();
}

export function guestByVerifyHash(db: Kysely<DB>, hash: string): Promise<ParticipantRow | undefined> {
  return db.selectFrom("chat_participants").selectAll().where("verify_token_hash", "=", hash).where("person_id", "is", null).executeTakeFirst();
}

/** Stores a new verification link for a guest, if no one else sent one since `previousSentAt`; false when someone did. */
export async function claimGuestVerification(db: Kysely<DB>, id: string, previousSentAt: string | null, link: { hash: string; expiresAt: string; sentAt: string }): Promise<boolean> {
  const r = await db
    .updateTable("chat_participants")
    .set({ verify_token_hash: link.hash, verify_expires_at: link.expiresAt, verify_sent_at: link.sentAt })
    .where("id", "=", id)
    .where("email_verified_at", "is", null)
    .where((eb) => (previousSentAt === null ? eb("verify_sent_at", "is", null) : eb("verify_sent_at", "=", previousSentAt)))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Marks a guest's address verified by its link; false when it already was. */
export async function markGuestVerified(db: Kysely<DB>, id: string, hash: string, at: string): Promise<boolean> {
  const r = await db.updateTable("chat_participants").set({ email_verified_at: at }).where("id", "=", id).where("verify_token_hash", "=", hash).where("email_verified_at", "is", null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertParticipant(db: Kysely<DB>, row: Insertable<ChatParticipantsTable>): Promise<void> {
  await db.insertInto("chat_participants").values(row).execute();
}

export async function updateParticipant(db: Kysely<DB>, id: string, patch: Updateable<ChatParticipantsTable>): Promise<void> {
  await db.updateTable("chat_participants").set(patch).where("id", "=", id).execute();
}

export function participantsByIds(db: Kysely<DB>, ids: readonly string[]): Promise<ParticipantRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom("chat_participants").selectAll().where("id", "in", [...new Set(ids)]).execute();
}

/** Who gets a series' reminders: its guests who asked and verified their address, and staff who have posted in it and asked. */
export async function reminderRecipients(db: Kysely<DB>, seriesId: string): Promise<ParticipantRow[]> {
  // Guests only once they have verified their address.
  const guests = await db.selectFrom("chat_participants").selectAll().where("series_id", "=", seriesId).where("wants_reminders", "=", 1).where("email_verified_at", "is not", null).execute();
  const staff = await db
    .selectFrom("chat_participants as p")
    .selectAll("p")
    .where("p.person_id", "is not", null)
    .where("p.wants_reminders", "=", 1)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("chat_posts as cp")
          .innerJoin("chat_events as e", "e.id", "cp.event_id")
          .select("cp.id")
          .whereRef("cp.participant_id", "=", "p.id")
          .where("e.series_id", "=", seriesId),
      ),
    )
    .execute();
  return [...guests, ...staff];
}

// ---- Posts ----

export async function insertPost(db: Kysely<DB>, row: Insertable<ChatPostsTable>): Promise<void> {
  await db.insertInto("chat_posts").values(row).execute();
}

/**
 * Inserts a post with the room's next number (seq = changed_seq), returning it. On PostgreSQL one
 * statement takes the number and inserts, so the room row's lock (which numbers a room's changes
 * one at a time) is held for that statement only, or from it to the caller's commit inside a
 * transaction: no round trip to the app server in between. On SQLite the two statements run in the
 * caller's transaction, or in one made here (the writer is one connection behind a lock).
 */
export async function insertNumberedPost(db: Kysely<DB>, row: Omit<Insertable<ChatPostsTable>, "seq" | "changed_seq">): Promise<number> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const inserted = await db
      .with("next", (qb) => qb.updateTable("chat_events").set((eb) => ({ last_seq: eb("last_seq", "+", 1) })).where("id", "=", row.event_id).returning("last_seq"))
      .insertInto("chat_posts")
      .values({ ...row, seq: sql<number>`(select last_seq from next)`, changed_seq: sql<number>`(select last_seq from next)` })
      .returning("seq")
      .executeTakeFirstOrThrow();
    return inserted.seq;
  }
  const insert = async (trx: Kysely<DB>) => {
    const seq = await takeSeq(trx, row.event_id);
    await insertPost(trx, { ...row, seq, changed_seq: seq });
    return seq;
  };
  return db.isTransaction ? insert(db) : db.transaction().execute(insert);
}

/**
 * Holds a participant's row until the transaction ends (PostgreSQL), so their posts are counted
 * for the flood limit one at a time. SQLite's single writer already runs transactions one at a time.
 */
export async function lockParticipant(db: Kysely<DB>, participantId: string): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await db.selectFrom("chat_participants").select("id").where("id", "=", participantId).forUpdate().execute();
}

export function findPost(db: Kysely<DB>, id: string): Promise<PostRow | undefined> {
  return db.selectFrom("chat_posts").selectAll().where("id", "=", id).executeTakeFirst();
}

export function postByClientRef(db: Kysely<DB>, eventId: string, participantId: string, clientRef: string): Promise<PostRow | undefined> {
  return db
    .selectFrom("chat_posts")
    .selectAll()
    .where("event_id", "=", eventId)
    .where("participant_id", "=", participantId)
    .where("client_ref", "=", clientRef)
    .executeTakeFirst();
}

/** Posts new or changed after a room number, in room order: what a reconnecting client missed. */
export function postsChangedAfter(db: Kysely<DB>, eventId: string, after: number, limit: number): Promise<PostRow[]> {
  return db.selectFrom("chat_posts").selectAll().where("event_id", "=", eventId).where("changed_seq", ">", after).orderBy("changed_seq").limit(limit).execute();
}

/** Every post of some events, in room order (transcripts, analytics). */
export function postsOfEvents(db: Kysely<DB>, eventIds: readonly string[]): Promise<PostRow[]> {
  if (eventIds.length === 0) return Promise.resolve([]);
  return db.selectFrom("chat_posts").selectAll().where("event_id", "in", [...eventIds]).orderBy("event_id").orderBy("seq").execute();
}

/** How many posts a participant made in a room since a time (the flood limit). */
export async function recentPostCount(db: Kysely<DB>, eventId: string, participantId: string, since: string): Promise<number> {
  const row = await db
    .selectFrom("chat_posts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("event_id", "=", eventId)
    .where("participant_id", "=", participantId)
    .where("created_at", ">", since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updatePost(db: Kysely<DB>, id: string, patch: Updateable<ChatPostsTable>): Promise<void> {
  await db.updateTable("chat_posts").set(patch).where("id", "=", id).execute();
}

/** Adds a like once; false when the participant had already liked the post. */
export async function insertLike(db: Kysely<DB>, postId: string, participantId: string, at: string): Promise<boolean> {
  const r = await db
    .insertInto("chat_likes")
    .values({ post_id: postId, participant_id: participantId, created_at: at })
    .onConflict((oc) => oc.columns(["post_id", "participant_id"]).doNothing())
    .returning("post_id")
    .executeTakeFirst();
  return r !== undefined;
}

export async function likedPostIds(db: Kysely<DB>, participantId: string, postIds: readonly string[]): Promise<Set<string>> {
  if (postIds.length === 0) return new Set();
  const rows = await db.selectFrom("chat_likes").select("post_id").where("participant_id", "=", participantId).where("post_id", "in", [...postIds]).execute();
  return new Set(rows.map((r) => r.post_id));
}

// ---- Mutes ----

export async function isMuted(db: Kysely<DB>, seriesId: string, participantId: string): Promise<boolean> {
  const row = await db.selectFrom("chat_mutes").select("participant_id").where("series_id", "=", seriesId).where("participant_id", "=", participantId).executeTakeFirst();
  return row !== undefined;
}

export async function setMute(db: Kysely<DB>, seriesId: string, participantId: string, isMutedNow: boolean, by: string, at: string): Promise<void> {
  if (!isMutedNow) {
    await db.deleteFrom("chat_mutes").where("series_id", "=", seriesId).where("participant_id", "=", participantId).execute();
    return;
  }
  await db
    .insertInto("chat_mutes")
    .values({ series_id: seriesId, participant_id: participantId, muted_by: by, created_at: at })
    .onConflict((oc) => oc.columns(["series_id", "participant_id"]).doNothing())
    .execute();
}

// ---- Reminders and cross-posts ----

/** Records a reminder to one recipient once; false when it was recorded (and so sent) before. */
export async function claimReminderSend(db: Kysely<DB>, eventId: string, kind: string, recipient: string, at: string): Promise<boolean> {
  const r = await db
    .insertInto("chat_reminder_sends")
    .values({ event_id: eventId, kind, recipient, created_at: at })
    .onConflict((oc) => oc.columns(["event_id", "kind", "recipient"]).doNothing())
    .returning("event_id")
    .executeTakeFirst();
  return r !== undefined;
}

export async function upsertCrosspost(
  db: Kysely<DB>,
  row: { id: string; questionId: string; eventId: string; network: "mastodon" | "bluesky"; status: "pending" | "posted" | "failed"; remoteId: string | null; error: string | null; at: string },
): Promise<void> {
  await db
    .insertInto("chat_crossposts")
    .values({ id: row.id, question_id: row.questionId, event_id: row.eventId, network: row.network, status: row.status, remote_id: row.remoteId, error: row.error, updated_at: row.at })
    .onConflict((oc) => oc.columns(["question_id", "network"]).doUpdateSet({ status: row.status, remote_id: row.remoteId, error: row.error, updated_at: row.at }))
    .execute();
}

export function crosspostsOfEvent(db: Kysely<DB>, eventId: string) {
  return db.selectFrom("chat_crossposts").selectAll().where("event_id", "=", eventId).orderBy("updated_at").execute();
}

// ---- Private groups ----

export async function insertGroup(db: Kysely<DB>, row: Insertable<ChatGroupsTable>): Promise<void> {
  await db.insertInto("chat_groups").values(row).execute();
}

export function findGroup(db: Kysely<DB>, id: string): Promise<GroupRow | undefined> {
  return db.selectFrom("chat_groups").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The groups a person belongs to. */
export function groupsOfPerson(db: Kysely<DB>, districtId: string, personId: string): Promise<GroupRow[]> {
  return db
    .selectFrom("chat_groups as g")
    .innerJoin("chat_group_members as m", "m.group_id", "g.id")
    .selectAll("g")
    .where("g.district_id", "=", districtId)
    .where("m.person_id", "=", personId)
    .orderBy("g.name")
    .execute();
}

export function membersOf(db: Kysely<DB>, groupIds: readonly string[]): Promise<{ group_id: string; person_id: string }[]> {
  if (groupIds.length === 0) return Promise.resolve([]);
  return db.selectFrom("chat_group_members").select(["group_id", "person_id"]).where("group_id", "in", [...groupIds]).execute();
}

export async function replaceMembers(db: Kysely<DB>, groupId: string, personIds: readonly string[], at: string): Promise<void> {
  await db.deleteFrom("chat_group_members").where("group_id", "=", groupId).execute();
  if (personIds.length === 0) return;
  await db
    .insertInto("chat_group_members")
    .values([...new Set(personIds)].map((person_id) => ({ group_id: groupId, person_id, created_at: at })))
    .execute();
}

export async function insertGroupMessage(db: Kysely<DB>, row: Insertable<ChatGroupMessagesTable>): Promise<void> {
  await db.insertInto("chat_group_messages").values(row).execute();
}

export function findGroupMessage(db: Kysely<DB>, id: string): Promise<GroupMessageRow | undefined> {
  return db.selectFrom("chat_group_messages").selectAll().where("id", "=", id).executeTakeFirst();
}

/** A group's threads (newest first) or one thread's replies (oldest first). */
export function groupMessages(db: Kysely<DB>, groupId: string, threadId: string | null, limit: number): Promise<GroupMessageRow[]> {
  let q = db.selectFrom("chat_group_messages").selectAll().where("group_id", "=", groupId);
  q = threadId === null ? q.where("thread_id", "is", null).orderBy("created_at", "desc") : q.where("thread_id", "=", threadId).orderBy("created_at", "asc");
  return q.limit(limit).execute();
}

export async function replyCounts(db: Kysely<DB>, threadIds: readonly string[]): Promise<Map<string, number>> {
  if (threadIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("chat_group_messages")
    .select((eb) => ["thread_id", eb.fn.countAll<number>().as("n")])
    .where("thread_id", "in", [...threadIds])
    .groupBy("thread_id")
    .execute();
  return new Map(rows.map((r) => [r.thread_id ?? "", Number(r.n)]));
}
