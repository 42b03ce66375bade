import { sql, type Kysely } from "kysely";
import { timestamp } from "../migration-helpers.js";

// Frozen in time: never import application code here.
//
// Issue 16: community question chats. A series (#iiCHAT, a district chat) has a recurrence rule and
// moderators; its events are materialised from the rule; each event has scheduled questions and a
// live room of numbered posts (seq per event, so a reconnecting client resumes from the last it saw).
// Participants are district people or community guests of a public series (name + email, a token
// stored as its SHA-256). Reminders, cross-posts and private groups hang off the series.
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestamp(db);
  await db.schema
    .createTable("chat_series")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("hashtag", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("audience", "text", (c) => c.notNull())
    // JSON array of school ids when audience = "schools".
    .addColumn("audience_school_ids", "text", (c) => c.notNull())
    // The recurrence as RFC 5545 text (DTSTART;TZID=…, RRULE:…), as the iCal feed shows it.
    .addColumn("rrule", "text", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("duration_minutes", "integer", (c) => c.notNull())
    .addColumn("welcome_text", "text", (c) => c.notNull())
    .addColumn("guide_text", "text", (c) => c.notNull())
    // JSON: default question plan [{offsetMinutes, text, isClosing}] copied into each new event.
    .addColumn("question_plan", "text", (c) => c.notNull())
    .addColumn("reminder_email", "integer", (c) => c.notNull())
    // JSON: cross-posting settings; secrets sealed (AES-256-GCM), never returned by the API.
    .addColumn("crosspost", "text", (c) => c.notNull())
    // JSON: outgoing reminder webhooks [{id, url, secretSealed, label}].
    .addColumn("webhooks", "text", (c) => c.notNull())
    // Random: the calendar feed's address for calendar apps that cannot sign in.
    .addColumn("calendar_token", "text", (c) => c.notNull().unique())
    .addColumn("created_by", "text", (c) => c.notNull().references("people.id"))
    .addColumn("archived_at", ts)
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("chat_series_district").on("chat_series").columns(["district_id", "created_at"]).execute();

  await db.schema
    .createTable("chat_moderators")
    .addColumn("series_id", "text", (c) => c.notNull().references("chat_series.id").onDelete("cascade"))
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addPrimaryKeyConstraint("chat_moderators_pk", ["series_id", "person_id"])
    .execute();
  await db.schema.createIndex("chat_moderators_person").on("chat_moderators").column("person_id").execute();

  await db.schema
    .createTable("chat_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("series_id", "text", (c) => c.notNull().references("chat_series.id").onDelete("cascade"))
    .addColumn("district_id", "text", (c) => c.notNull())
    .addColumn("starts_at", ts, (c) => c.notNull())
    .addColumn("ends_at", ts, (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    // The room's last sequence number: every new or changed post takes the next one.
    .addColumn("last_seq", "integer", (c) => c.notNull())
    .addColumn("welcome_post_id", "text")
    .addColumn("created_at", ts, (c) => c.notNull())
    .addUniqueConstraint("chat_events_series_start", ["series_id", "starts_at"])
    .execute();

  await db.schema
    .createTable("chat_questions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("event_id", "text", (c) => c.notNull().references("chat_events.id").onDelete("cascade"))
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("is_closing", "integer", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("offset_minutes", "integer", (c) => c.notNull())
    .addColumn("post_at", ts, (c) => c.notNull())
    .addColumn("post_id", "text")
    .addColumn("posted_at", ts)
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("chat_questions_event").on("chat_questions").columns(["event_id", "number"]).execute();

  await db.schema
    .createTable("chat_participants")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull())
    // A district person, or null for a community guest of a public series.
    .addColumn("person_id", "text", (c) => c.references("people.id"))
    .addColumn("series_id", "text", (c) => c.references("chat_series.id").onDelete("cascade"))
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("token_hash", "text", (c) => c.unique())
    .addColumn("wants_reminders", "integer", (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("chat_participants_person").on("chat_participants").columns(["district_id", "person_id"]).unique().where(sql.ref("person_id"), "is not", null).execute();
  await db.schema.createIndex("chat_participants_guest").on("chat_participants").columns(["series_id", "email"]).unique().where(sql.ref("person_id"), "is", null).execute();

  await db.schema
    .createTable("chat_posts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("event_id", "text", (c) => c.notNull().references("chat_events.id").onDelete("cascade"))
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("changed_seq", "integer", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("participant_id", "text", (c) => c.notNull().references("chat_participants.id"))
    .addColumn("question_id", "text")
    .addColumn("parent_id", "text")
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("like_count", "integer", (c) => c.notNull())
    .addColumn("client_ref", "text")
    .addColumn("created_at", ts, (c) => c.notNull())
    .addUniqueConstraint("chat_posts_event_seq", ["event_id", "seq"])
    .execute();
  await db.schema.createIndex("chat_posts_changed").on("chat_posts").columns(["event_id", "changed_seq"]).execute();
  await db.schema.createIndex("chat_posts_author").on("chat_posts").columns(["event_id", "participant_id", "created_at"]).execute();
  await db.schema.createIndex("chat_posts_client_ref").on("chat_posts").columns(["event_id", "participant_id", "client_ref"]).unique().where(sql.ref("client_ref"), "is not", null).execute();

  await db.schema
    .createTable("chat_likes")
    .addColumn("post_id", "text", (c) => c.notNull().references("chat_posts.id").onDelete("cascade"))
    .addColumn("participant_id", "text", (c) => c.notNull().references("chat_participants.id"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .addPrimaryKeyConstraint("chat_likes_pk", ["post_id", "participant_id"])
    .execute();

  await db.schema
    .createTable("chat_mutes")
    .addColumn("series_id", "text", (c) => c.notNull().references("chat_series.id").onDelete("cascade"))
    .addColumn("participant_id", "text", (c) => c.notNull().references("chat_participants.id"))
    .addColumn("muted_by", "text", (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addPrimaryKeyConstraint("chat_mutes_pk", ["series_id", "participant_id"])
    .execute();

  await db.schema
    .createTable("chat_reminder_sends")
    .addColumn("event_id", "text", (c) => c.notNull().references("chat_events.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("recipient", "text", (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addPrimaryKeyConstraint("chat_reminder_sends_pk", ["event_id", "kind", "recipient"])
    .execute();

  await db.schema
    .createTable("chat_crossposts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("question_id", "text", (c) => c.notNull().references("chat_questions.id").onDelete("cascade"))
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("network", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("remote_id", "text")
    .addColumn("error", "text")
    .addColumn("updated_at", ts, (c) => c.notNull())
    .addUniqueConstraint("chat_crossposts_question_network", ["question_id", "network"])
    .execute();

  await db.schema
    .createTable("chat_groups")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull())
    .addColumn("series_id", "text", (c) => c.references("chat_series.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("chat_group_members")
    .addColumn("group_id", "text", (c) => c.notNull().references("chat_groups.id").onDelete("cascade"))
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .addPrimaryKeyConstraint("chat_group_members_pk", ["group_id", "person_id"])
    .execute();
  await db.schema.createIndex("chat_group_members_person").on("chat_group_members").column("person_id").execute();
  await db.schema
    .createTable("chat_group_messages")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("group_id", "text", (c) => c.notNull().references("chat_groups.id").onDelete("cascade"))
    .addColumn("thread_id", "text")
    .addColumn("author_id", "text", (c) => c.notNull())
    .addColumn("title", "text")
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("chat_group_messages_group").on("chat_group_messages").columns(["group_id", "thread_id", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "chat_group_messages",
    "chat_group_members",
    "chat_groups",
    "chat_crossposts",
    "chat_reminder_sends",
    "chat_mutes",
    "chat_likes",
    "chat_posts",
    "chat_participants",
    "chat_questions",
    "chat_events",
    "chat_moderators",
    "chat_series",
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
