import { z } from "zod";
import { ZId, ZTimestamp, singleLine } from "./common.js";

// Community question chats (issue 16): series, events, questions, the live room, archive and groups.

export const ChatLimits = {
  maxPostLength: 560,
  /** Posts per participant per window (moderators are exempt). */
  postsPerWindow: 6,
  windowMs: 30_000,
  maxQuestions: 12,
  maxQuestionLength: 400,
  maxDurationMinutes: 240,
  /** How many events ahead the series keeps materialised. */
  eventsAhead: 8,
  /** The room opens this long before the start (to read the first-timer's guide) and stays open after the end. */
  opensBeforeMinutes: 30,
  closesAfterMinutes: 30,
  /** "Shortly before" reminder. */
  shortlyBeforeMinutes: 15,
  /** Day-of reminder, local time. */
  dayOfHour: 9,
  maxWebhooks: 5,
  maxGroupMessage: 4000,
  /** A guest's email verification link works this long, and a new one is sent at most this often. */
  guestVerifyTtlHours: 72,
  guestVerifyResendMinutes: 10,
} as const;

export const CHAT_AUDIENCES = ["public", "district", "schools"] as const;
export type ChatAudience = (typeof CHAT_AUDIENCES)[number];
export const CHAT_FREQUENCIES = ["weekly", "biweekly", "monthly", "once"] as const;
export const CHAT_WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;

const ZHashtag = z
  .string()
  .trim()
  .regex(/^#?[A-Za-z][A-Za-z0-9_]{1,49}$/, "a hashtag is letters, digits and _ (e.g. #iiCHAT)")
  .transform((s) => (s.startsWith("#") ? s : `#${s}`));

const ZTimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "is not a time zone we know (e.g. America/New_York)");

export const ZRecurrence = z
  .object({
    frequency: z.enum(CHAT_FREQUENCIES),
    weekday: z.enum(CHAT_WEEKDAYS).describe("Weekly and biweekly: the day; monthly: the day of the first event's week"),
    startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM, 24-hour"),
    timeZone: ZTimeZone,
    startsOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD").describe("The first event is on or after this day"),
    until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD").nullable().optional(),
  })
  .meta({ id: "ChatRecurrence" });
export type TRecurrence = z.infer<typeof ZRecurrence>;

export const ZQuestionPlanItem = z.object({
  offsetMinutes: z.number().int().min(0).max(ChatLimits.maxDurationMinutes),
  text: z.string().trim().min(1).max(ChatLimits.maxQuestionLength),
  isClosing: z.boolean().default(false),
});

const ZWebhookInput = z.object({
  id: z.string().max(64).optional().describe("An existing webhook's id: it keeps its secret even when its address changes"),
  label: singleLine({ max: 80 }),
  url: z.url({ protocol: /^https?$/ }).max(500),
  /** Shared secret for the HMAC signature; write-only. */
  secret: z.string().min(16).max(200).nullable().optional().describe("Write-only. Left out: the webhook keeps the secret it has; null: no signature from now on"),
});

const ZCrosspostInput = z.object({
  mastodon: z
    .object({ instanceUrl: z.url({ protocol: /^https?$/ }).max(300), accessToken: z.string().min(1).max(500).optional() })
    .nullable()
    .optional(),
  bluesky: z
    .object({ service: z.url({ protocol: /^https?$/ }).max(300), identifier: singleLine({ max: 200 }), appPassword: z.string().min(1).max(200).optional() })
    .nullable()
    .optional(),
});

export const ZCreateSeriesRequest = z
  .strictObject({
    name: singleLine({ max: 120 }),
    hashtag: ZHashtag,
    description: z.string().trim().max(2000).default(""),
    audience: z.enum(CHAT_AUDIENCES),
    audienceSchoolIds: z.array(ZId).max(200).default([]),
    recurrence: ZRecurrence,
    durationMinutes: z.number().int().min(10).max(ChatLimits.maxDurationMinutes),
    moderatorIds: z.array(ZId).max(20).default([]).describe("Moderators besides you"),
    coModeratorIds: z.array(ZId).max(20).default([]),
    welcomeText: z.string().trim().max(ChatLimits.maxPostLength).default(""),
    guideText: z.string().trim().max(4000).default(""),
    questionPlan: z.array(ZQuestionPlanItem).max(ChatLimits.maxQuestions).default([]),
    reminderEmail: z.boolean().default(true),
    webhooks: z.array(ZWebhookInput).max(ChatLimits.maxWebhooks).default([]),
    crosspost: ZCrosspostInput.default({}),
  })
  .meta({ id: "CreateChatSeriesRequest" });
export type TCreateSeriesRequest = z.input<typeof ZCreateSeriesRequest>;

export const ZUpdateSeriesRequest = z
  .strictObject({
    name: singleLine({ max: 120 }).optional(),
    hashtag: ZHashtag.optional(),
    description: z.string().trim().max(2000).optional(),
    audience: z.enum(CHAT_AUDIENCES).optional(),
    audienceSchoolIds: z.array(ZId).max(200).optional(),
    recurrence: ZRecurrence.optional().describe(
      "A new schedule: events not yet open that the new rule no longer has are cancelled, and the rule's next events are made; open and past events stay",
    ),
    durationMinutes: z.number().int().min(10).max(ChatLimits.maxDurationMinutes).optional().describe("Applies to events not yet open"),
    moderatorIds: z.array(ZId).max(20).optional(),
    coModeratorIds: z.array(ZId).max(20).optional(),
    welcomeText: z.string().trim().max(ChatLimits.maxPostLength).optional(),
    guideText: z.string().trim().max(4000).optional(),
    questionPlan: z.array(ZQuestionPlanItem).max(ChatLimits.maxQuestions).optional(),
    reminderEmail: z.boolean().optional(),
    webhooks: z.array(ZWebhookInput).max(ChatLimits.maxWebhooks).optional(),
    crosspost: ZCrosspostInput.optional(),
    isArchived: z.boolean().optional(),
  })
  .meta({ id: "UpdateChatSeriesRequest" });
export type TUpdateSeriesRequest = z.input<typeof ZUpdateSeriesRequest>;

export const ZChatAbilities = z.object({
  canManage: z.boolean(),
  canModerate: z.boolean(),
  canPost: z.boolean(),
});

export const ZChatModerator = z.object({ personId: ZId, name: z.string(), role: z.enum(["moderator", "co_moderator"]) });

export const ZChatSeries = z
  .object({
    id: ZId,
    name: z.string(),
    hashtag: z.string(),
    description: z.string(),
    audience: z.enum(CHAT_AUDIENCES),
    audienceSchoolIds: z.array(ZId),
    recurrence: ZRecurrence,
    rrule: z.string().describe("The recurrence as RFC 5545 text"),
    durationMinutes: z.number().int(),
    moderators: z.array(ZChatModerator),
    welcomeText: z.string(),
    guideText: z.string(),
    questionPlan: z.array(ZQuestionPlanItem),
    reminderEmail: z.boolean(),
    webhooks: z.array(z.object({ id: z.string(), label: z.string(), url: z.string(), hasSecret: z.boolean() })),
    crosspost: z.object({
      mastodon: z.object({ instanceUrl: z.string(), hasToken: z.boolean() }).nullable(),
      bluesky: z.object({ service: z.string(), identifier: z.string(), hasPassword: z.boolean() }).nullable(),
    }),
    calendarUrl: z.string().nullable().describe("The iCal feed (only for those who may see the series)"),
    nextEvent: z.lazy(() => ZChatEventSummary).nullable(),
    isArchived: z.boolean(),
    abilities: ZChatAbilities,
    createdAt: ZTimestamp,
  })
  .meta({ id: "ChatSeries" });
export type TChatSeries = z.infer<typeof ZChatSeries>;

export const ZChatQuestion = z
  .object({
    id: ZId,
    number: z.number().int(),
    label: z.string().describe("Q1, Q2… or \"Closing\""),
    isClosing: z.boolean(),
    text: z.string(),
    offsetMinutes: z.number().int(),
    postAt: ZTimestamp,
    postedAt: ZTimestamp.nullable(),
    postId: ZId.nullable(),
  })
  .meta({ id: "ChatQuestion" });
export type TChatQuestion = z.infer<typeof ZChatQuestion>;

export const ZChatEventSummary = z
  .object({
    id: ZId,
    seriesId: ZId,
    title: z.string(),
    startsAt: ZTimestamp,
    endsAt: ZTimestamp,
    phase: z.enum(["upcoming", "open", "live", "ended", "cancelled"]),
  })
  .meta({ id: "ChatEventSummary" });
export type TChatEventSummary = z.infer<typeof ZChatEventSummary>;

export const ZCrosspostStatus = z.object({
  questionId: ZId,
  network: z.enum(["mastodon", "bluesky"]),
  status: z.enum(["pending", "posted", "failed"]),
  error: z.string().nullable(),
  updatedAt: ZTimestamp,
});
export type TCrosspostStatus = z.infer<typeof ZCrosspostStatus>;

export const ZChatEvent = ZChatEventSummary.extend({
  seriesName: z.string(),
  hashtag: z.string(),
  audience: z.enum(CHAT_AUDIENCES),
  guideText: z.string(),
  questions: z.array(ZChatQuestion),
  lastSeq: z.number().int(),
  abilities: ZChatAbilities,
  crossposts: z.array(ZCrosspostStatus).describe("Moderators only; empty for others"),
}).meta({ id: "ChatEvent" });
export type TChatEvent = z.infer<typeof ZChatEvent>;

export const ZQuestionRequest = z
  .strictObject({
    text: z.string().trim().min(1).max(ChatLimits.maxQuestionLength),
    offsetMinutes: z.number().int().min(0).max(ChatLimits.maxDurationMinutes),
    isClosing: z.boolean().default(false),
  })
  .meta({ id: "ChatQuestionRequest" });
export const ZUpdateQuestionRequest = z
  .strictObject({
    text: z.string().trim().min(1).max(ChatLimits.maxQuestionLength).optional(),
    offsetMinutes: z.number().int().min(0).max(ChatLimits.maxDurationMinutes).optional(),
    isClosing: z.boolean().optional(),
  })
  .meta({ id: "ChatUpdateQuestionRequest" });

export const ZChatPost = z
  .object({
    id: ZId,
    seq: z.number().int().describe("When the post was made, in the room's numbering"),
    changedSeq: z.number().int().describe("The room number of the post's latest change (new, like, hidden, removed)"),
    kind: z.enum(["welcome", "question", "answer", "reply", "comment"]),
    label: z.string().nullable().describe("Q1 / A1 / Closing, as participants write them"),
    questionId: ZId.nullable(),
    parentId: ZId.nullable(),
    author: z.object({ participantId: ZId, name: z.string(), isModerator: z.boolean(), isGuest: z.boolean() }),
    body: z.string().describe("Plain text: render as text, never as HTML"),
    status: z.enum(["visible", "hidden", "removed"]),
    likeCount: z.number().int(),
    likedByMe: z.boolean(),
    createdAt: ZTimestamp,
  })
  .meta({ id: "ChatPost" });
export type TChatPost = z.infer<typeof ZChatPost>;

export const ZRoomChanges = z
  .object({ posts: z.array(ZChatPost), lastSeq: z.number().int(), me: z.object({ participantId: ZId.nullable(), isMuted: z.boolean() }) })
  .meta({ id: "ChatRoomChanges" });
export type TRoomChanges = z.infer<typeof ZRoomChanges>;

export const ZRoomChangesQuery = z.object({ after: z.coerce.number().int().min(0).default(0) });

export const ZCreatePostRequest = z
  .strictObject({
    body: z.string().trim().min(1).max(ChatLimits.maxPostLength),
    questionId: ZId.optional().describe("Answering this question (A<n>)"),
    parentId: ZId.optional().describe("Replying to this post"),
    clientRef: z.string().min(8).max(64).optional().describe("A client-made id: sending again (a lost connection mid-post) returns the first post"),
  })
  .meta({ id: "ChatCreatePostRequest" });
export type TCreatePostRequest = z.input<typeof ZCreatePostRequest>;

export const ZModerateRequest = z.strictObject({ action: z.enum(["hide", "unhide", "remove"]) }).meta({ id: "ChatModerateRequest" });
export const ZMuteRequest = z.strictObject({ participantId: ZId, isMuted: z.boolean() }).meta({ id: "ChatMuteRequest" });

export const ZGuestSignUpRequest = z
  .strictObject({ name: singleLine({ max: 80, min: 2 }), email: z.email().max(254), wantsReminders: z.boolean().default(true) })
  .meta({ id: "ChatGuestSignUpRequest" });
export type TGuestSignUpRequest = z.input<typeof ZGuestSignUpRequest>;
export const ZGuestSignUp = z
  .object({
    participantId: ZId,
    name: z.string(),
    token: z.string().describe("Send as X-Chat-Guest on writes; also set as an HttpOnly cookie for the room's WebSocket"),
    emailVerified: z.boolean().describe("Only verified addresses get reminders; an unverified guest is sent a link and can take part at once"),
  })
  .meta({ id: "ChatGuestSignUp" });
export type TGuestSignUp = z.infer<typeof ZGuestSignUp>;

export const ZGuestVerifyRequest = z
  .strictObject({ token: z.string().min(10).max(200).describe("From the link in the verification email") })
  .meta({ id: "ChatGuestVerifyRequest" });
export const ZGuestVerification = z
  .object({
    outcome: z.enum(["verified", "already_verified"]).describe("already_verified: the link was used before; nothing changed"),
    seriesId: ZId,
    seriesName: z.string(),
    name: z.string(),
  })
  .meta({ id: "ChatGuestVerification" });
export type TGuestVerification = z.infer<typeof ZGuestVerification>;
export const ZGuestResend = z
  .object({ emailVerified: z.boolean(), sent: z.boolean().describe("False when the address is already verified") })
  .meta({ id: "ChatGuestResend" });
export type TGuestResend = z.infer<typeof ZGuestResend>;

export const ZPublicSeries = z
  .object({
    id: ZId,
    name: z.string(),
    hashtag: z.string(),
    description: z.string(),
    guideText: z.string(),
    timeZone: z.string().describe("The series' IANA time zone, in which its times are set"),
    durationMinutes: z.number().int(),
    upcoming: z.array(ZChatEventSummary).describe("The next events (a running one first), at most four"),
    past: z.array(ZChatEventSummary).describe("The chats that have ended, newest first, at most six; each one's transcript is public (GET /api/v1/chats/public/events/{id}/transcript)"),
  })
  .meta({ id: "ChatPublicSeries" });
export type TPublicSeries = z.infer<typeof ZPublicSeries>;

export const ZTranscript = z
  .object({
    event: ZChatEventSummary.extend({
      seriesName: z.string(),
      hashtag: z.string(),
      publicSeriesId: ZId.nullable().describe("The series' id when it is public: its transcript has a page anyone can open, /chats/public/{publicSeriesId}/events/{event.id}/transcript"),
    }),
    opening: z.array(ZChatPost),
    questions: z.array(z.object({ question: ZChatQuestion, answers: z.array(ZChatPost.extend({ replies: z.array(ZChatPost) })) })),
  })
  .meta({ id: "ChatTranscript" });
export type TTranscript = z.infer<typeof ZTranscript>;

export const ZChatAnalytics = z
  .object({
    events: z.array(
      z.object({
        eventId: ZId,
        startsAt: ZTimestamp,
        participants: z.number().int(),
        newParticipants: z.number().int(),
        returningParticipants: z.number().int(),
        guests: z.number().int(),
        posts: z.number().int(),
        postsPerQuestion: z.array(z.object({ label: z.string(), posts: z.number().int() })),
        byLevel: z.record(z.string(), z.number().int()),
      }),
    ),
    bySchool: z.array(z.object({ schoolId: ZId, schoolName: z.string(), level: z.string(), participants: z.number().int(), events: z.number().int() })),
    byLevel: z.array(z.object({ level: z.string(), participants: z.number().int() })),
  })
  .meta({ id: "ChatAnalytics" });
export type TChatAnalytics = z.infer<typeof ZChatAnalytics>;

export const ZChatGroup = z
  .object({
    id: ZId,
    seriesId: ZId.nullable(),
    name: z.string(),
    createdBy: ZId.describe("Who made the group: always a member"),
    members: z.array(z.object({ personId: ZId, name: z.string() })),
    canManage: z.boolean(),
  })
  .meta({ id: "ChatGroup" });
export type TChatGroup = z.infer<typeof ZChatGroup>;
export const ZCreateGroupRequest = z
  .strictObject({ name: singleLine({ max: 120 }), seriesId: ZId.nullable().default(null), memberIds: z.array(ZId).max(500).default([]) })
  .meta({ id: "ChatCreateGroupRequest" });
export const ZGroupMembersRequest = z.strictObject({ memberIds: z.array(ZId).max(500) }).meta({ id: "ChatGroupMembersRequest" });
export const ZGroupMessage = z
  .object({ id: ZId, threadId: ZId.nullable(), title: z.string().nullable(), author: z.object({ personId: ZId, name: z.string() }), body: z.string(), createdAt: ZTimestamp, replyCount: z.number().int() })
  .meta({ id: "ChatGroupMessage" });
export type TGroupMessage = z.infer<typeof ZGroupMessage>;
export const ZGroupMessageRequest = z
  .strictObject({ title: singleLine({ max: 160 }).optional(), body: z.string().trim().min(1).max(ChatLimits.maxGroupMessage), threadId: ZId.optional() })
  .meta({ id: "ChatGroupMessageRequest" });
