import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { ZIdParams, ZOk } from "../../../shared/schemas/common.js";
import {
  ZChatAnalytics,
  ZChatEvent,
  ZChatEventSummary,
  ZChatGroup,
  ZChatPost,
  ZChatQuestion,
  ZChatSeries,
  ZCreateGroupRequest,
  ZCreatePostRequest,
  ZCreateSeriesRequest,
  ZGroupMembersRequest,
  ZGroupMessage,
  ZGroupMessageRequest,
  ZGuestSignUp,
  ZGuestResend,
  ZGuestSignUpRequest,
  ZGuestVerification,
  ZGuestVerifyRequest,
  ZModerateRequest,
  ZMuteRequest,
  ZPublicSeries,
  ZQuestionRequest,
  ZRoomChanges,
  ZRoomChangesQuery,
  ZTranscript,
  ZUpdateQuestionRequest,
  ZUpdateSeriesRequest,
  ChatLimits,
} from "../../../shared/schemas/chats.js";
import { isHttps } from "../../auth/session-cookie.js";
import type { Ctx } from "../../context.js";
import { AppError, notFound } from "../../errors.js";
import { ZErrorResponse, requireActor, writer, type App } from "../../http.js";
import { nowIso } from "../../lib.js";
import { realtimeOf } from "../../platform/realtime.js";
import * as archive from "./archive.service.js";
import * as repo from "./chats.repository.js";
import { presentEventSummary } from "./chats.presenters.js";
import { calendarFeed } from "./chats.jobs.js";
import * as chats from "./chats.service.js";
import * as groups from "./groups.service.js";
import * as room from "./room.service.js";

const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 403: ZErrorResponse, 404: ZErrorResponse, 409: ZErrorResponse };
const tags = ["Chats"];
const ZEventsQuery = z.object({ when: z.enum(["upcoming", "past"]).default("upcoming") });
const ZThreadQuery = z.object({ threadId: z.string().max(64).optional() });

/** Before validation, like the signed-in routes: an anonymous caller without a guest token learns nothing about parameters. */
const guestOrActor = async (req: FastifyRequest) => {
  if (!req.actor && typeof req.headers[room.GUEST_HEADER] !== "string") throw new AppError("unauthenticated", "Sign in, or sign up for this chat with your name and email");
};

/** Routes for guests only: a signed-in person has no guest address to verify. */
const guestOnly = async (req: FastifyRequest) => {
  if (typeof req.headers[room.GUEST_HEADER] !== "string") throw new AppError("unauthenticated", "Sign up for this chat with your name and email first");
};

/** The room's caller: a signed-in person, or a guest by the X-Chat-Guest header (no cookie, so no CSRF to forge). */
async function roomCaller(ctx: Ctx, req: FastifyRequest): Promise<room.RoomCaller> {
  if (req.actor) return { kind: "person", actor: req.actor };
  const header = req.headers[room.GUEST_HEADER];
  const guest = typeof header === "string" ? await room.guestFromToken(ctx.db, header) : null;
  if (!guest) throw new AppError("unauthenticated", "Sign in, or sign up for this chat with your name and email");
  return { kind: "guest", participant: guest };
}

export function registerChatRoutes(app: App, ctx: Ctx): void {
  // ---- Series ----
  app.get("/api/v1/chats/series", { schema: { tags, summary: "The chat series you may see", response: { 200: z.object({ items: z.array(ZChatSeries) }), ...errors } } }, async (req) =>
    chats.listSeries(ctx, requireActor(req)),
  );
  app.post(
    "/api/v1/chats/series",
    { schema: { tags, summary: "Start a chat series (coaches and district admins); its next events are scheduled from the recurrence", body: ZCreateSeriesRequest, response: { 201: ZChatSeries, ...errors } } },
    async (req, reply) => reply.status(201).send(await chats.createSeries(ctx, writer(req), req.body)),
  );
  app.get("/api/v1/chats/series/:id", { schema: { tags, summary: "One chat series", params: ZIdParams, response: { 200: ZChatSeries, ...errors } } }, async (req) =>
    chats.getSeries(ctx, requireActor(req), req.params.id),
  );
  app.patch(
    "/api/v1/chats/series/:id",
    { schema: { tags, summary: "Change a series (its moderators); secrets are write-only", params: ZIdParams, body: ZUpdateSeriesRequest, response: { 200: ZChatSeries, ...errors } } },
    async (req) => chats.updateSeries(ctx, writer(req), req.params.id, req.body),
  );
  app.get(
    "/api/v1/chats/series/:id/events",
    { schema: { tags, summary: "A series' upcoming (soonest first) or past (newest first) events", params: ZIdParams, querystring: ZEventsQuery, response: { 200: z.object({ items: z.array(ZChatEventSummary) }), ...errors } } },
    async (req) => chats.listEvents(ctx, requireActor(req), req.params.id, req.query.when),
  );
  app.get(
    "/api/v1/chats/series/:id/analytics",
    { schema: { tags, summary: "Participation across the series' events: new vs returning, posts per question, by school and level (moderators)", params: ZIdParams, response: { 200: ZChatAnalytics, ...errors } } },
    async (req) => archive.analytics(ctx, requireActor(req), req.params.id),
  );
  app.get(
    "/api/v1/chats/calendar/:token",
    {
      schema: { tags, summary: "A series' iCal feed, by its secret address (`<token>.ics`)", params: z.object({ token: z.string().max(80) }), response: { 200: z.string(), 404: ZErrorResponse } },
      config: { public: true },
    },
    async (req, reply) => {
      const ics = await calendarFeed(ctx, req.params.token.replace(/\.ics$/, ""));
      return reply.type("text/calendar; charset=utf-8").header("cache-control", "private, max-age=300").send(ics);
    },
  );

  // ---- Events and questions ----
  app.get(
    "/api/v1/chats/events/:id",
    {
      schema: { tags, summary: "An event with its questions (a public series' guest, by X-Chat-Guest: only those already posted)", params: ZIdParams, response: { 200: ZChatEvent, ...errors } },
      config: { public: true },
      preValidation: guestOrActor,
    },
    async (req) => room.eventForCaller(ctx, await roomCaller(ctx, req), req.params.id),
  );
  app.post(
    "/api/v1/chats/events/:id/questions",
    { schema: { tags, summary: "Add a question at an offset from the start (moderators); a time already past is refused", params: ZIdParams, body: ZQuestionRequest, response: { 201: ZChatQuestion, ...errors } } },
    async (req, reply) => reply.status(201).send(await chats.addQuestion(ctx, writer(req), req.params.id, req.body)),
  );
  app.patch(
    "/api/v1/chats/questions/:id",
    { schema: { tags, summary: "Edit a question until it is posted (409 after)", params: ZIdParams, body: ZUpdateQuestionRequest, response: { 200: ZChatQuestion, ...errors } } },
    async (req) => chats.updateQuestion(ctx, writer(req), req.params.id, req.body),
  );
  app.delete("/api/v1/chats/questions/:id", { schema: { tags, summary: "Delete a question not yet posted", params: ZIdParams, response: { 200: ZOk, ...errors } } }, async (req) => {
    await chats.deleteQuestion(ctx, writer(req), req.params.id);
    return { ok: true as const };
  });
  app.post(
    "/api/v1/chats/questions/:id/post",
    { schema: { tags, summary: "Post a question now, before its time (moderators)", params: ZIdParams, response: { 200: z.object({ postId: z.string() }), ...errors } } },
    async (req) => room.postQuestionNow(ctx, realtimeOf(req.server), writer(req), req.params.id),
  );

  // ---- The live room (people and a public series' guests) ----
  app.get(
    "/api/v1/chats/events/:id/changes",
    {
      schema: { tags, summary: "Posts new or changed after room number `after` (0: all): what a reconnecting client missed. Guests send X-Chat-Guest", params: ZIdParams, querystring: ZRoomChangesQuery, response: { 200: ZRoomChanges, ...errors } },
      config: { public: true },
      preValidation: guestOrActor,
    },
    async (req) => room.roomChanges(ctx, await roomCaller(ctx, req), req.params.id, req.query.after),
  );
  app.post(
    "/api/v1/chats/events/:id/posts",
    {
      schema: {
        tags,
        summary: `Post in the room: an answer (questionId), a reply (parentId) or a comment; at most ${ChatLimits.maxPostLength} characters and ${ChatLimits.postsPerWindow} posts per ${ChatLimits.windowMs / 1000} s`,
        params: ZIdParams,
        body: ZCreatePostRequest,
        response: { 200: ZChatPost, 201: ZChatPost, ...errors, 429: ZErrorResponse },
      },
      config: { public: true },
      preValidation: guestOrActor,
    },
    async (req, reply) => {
      const { post, created } = await room.createPost(ctx, realtimeOf(req.server), await roomCaller(ctx, req), req.params.id, req.body);
      return reply.status(created ? 201 : 200).send(post);
    },
  );
  app.post(
    "/api/v1/chats/posts/:id/like",
    { schema: { tags, summary: "Like a post (once)", params: ZIdParams, response: { 200: ZChatPost, ...errors } }, config: { public: true }, preValidation: guestOrActor },
    async (req) => room.likePost(ctx, realtimeOf(req.server), await roomCaller(ctx, req), req.params.id),
  );
  app.post(
    "/api/v1/chats/posts/:id/moderate",
    { schema: { tags, summary: "Hide, unhide or remove a post (moderators and co-moderators)", params: ZIdParams, body: ZModerateRequest, response: { 200: ZChatPost, ...errors } } },
    async (req) => room.moderatePost(ctx, realtimeOf(req.server), writer(req), req.params.id, req.body.action),
  );
  app.post(
    "/api/v1/chats/events/:id/mutes",
    { schema: { tags, summary: "Mute or unmute a participant in the series (moderators and co-moderators)", params: ZIdParams, body: ZMuteRequest, response: { 200: z.object({ participantId: z.string(), isMuted: z.boolean() }), ...errors } } },
    async (req) => room.muteParticipant(ctx, writer(req), req.params.id, req.body.participantId, req.body.isMuted),
  );

  // ---- Public series: the join page and community guests ----
  app.get(
    "/api/v1/chats/public/series/:id",
    { schema: { tags, summary: "A public series' join page", params: ZIdParams, response: { 200: ZPublicSeries, 404: ZErrorResponse } }, config: { public: true } },
    async (req) => {
      const row = await repo.findSeries(ctx.db, req.params.id);
      if (!row || row.audience !== "public" || row.archived_at !== null) throw notFound("Public chat");
      const now = nowIso();
      const [upcoming, past] = await Promise.all([
        repo.eventsOfSeries(ctx.db, row.id, { endsAfter: now, limit: 4, isScheduledOnly: true }),
        repo.eventsOfSeries(ctx.db, row.id, { endsBefore: now, limit: 6, isScheduledOnly: true, isDescending: true }),
      ]);
      return {
        id: row.id,
        name: row.name,
        hashtag: row.hashtag,
        description: row.description,
        guideText: row.guide_text,
        timeZone: row.time_zone,
        durationMinutes: row.duration_minutes,
        upcoming: upcoming.map((e) => presentEventSummary(e, now, ChatLimits.opensBeforeMinutes)),
        past: past.map((e) => presentEventSummary(e, now, ChatLimits.opensBeforeMinutes)),
      };
    },
  );
  app.post(
    "/api/v1/chats/public/series/:id/guests",
    {
      schema: { tags, summary: "Join a public series with a name and email; returns a guest token (also set as an HttpOnly cookie for the room's WebSocket)", params: ZIdParams, body: ZGuestSignUpRequest, response: { 201: ZGuestSignUp, ...errors, 429: ZErrorResponse } },
      config: { public: true, rateLimit: { max: 60, timeWindow: "1 minute" } },
    },
    async (req, reply) => {
      const guest = await room.guestSignUp(ctx, req.params.id, req.body);
      void reply.setCookie(room.GUEST_COOKIE, guest.token, { path: "/api/v1/realtime", httpOnly: true, sameSite: "strict", secure: isHttps(ctx, req), maxAge: 180 * 86_400 });
      return reply.status(201).send(guest);
    },
  );
  app.post(
    "/api/v1/chats/public/guests/verify",
    {
      schema: {
        tags,
        summary: "Confirm a guest's email with the token from the verification link (works once; a second use answers already_verified; 404 unknown or replaced, 410 expired)",
        body: ZGuestVerifyRequest,
        response: { 200: ZGuestVerification, ...errors, 410: ZErrorResponse, 429: ZErrorResponse },
      },
      config: { public: true, rateLimit: { max: 30, timeWindow: "1 minute" } },
    },
    async (req) => room.verifyGuestEmail(ctx, req.body.token),
  );
  app.post(
    "/api/v1/chats/public/guests/verification",
    {
      schema: {
        tags,
        summary: `Send the guest (X-Chat-Guest) a new verification link; at most one every ${ChatLimits.guestVerifyResendMinutes} minutes (429)`,
        response: { 200: ZGuestResend, ...errors, 429: ZErrorResponse },
      },
      config: { public: true },
      preValidation: guestOnly,
    },
    async (req) => {
      const caller = await roomCaller(ctx, req);
      if (caller.kind !== "guest") throw new AppError("unauthenticated", "Only a chat guest has an address to verify");
      return room.resendGuestVerification(ctx, caller.participant);
    },
  );
  app.get(
    "/api/v1/chats/public/events/:id/transcript",
    { schema: { tags, summary: "The shareable transcript of a public series' event, once it has ended", params: ZIdParams, response: { 200: ZTranscript, ...errors } }, config: { public: true } },
    async (req) => archive.publicTranscript(ctx, req.params.id),
  );

  // ---- Archive ----
  app.get("/api/v1/chats/events/:id/transcript", { schema: { tags, summary: "The transcript grouped by question", params: ZIdParams, response: { 200: ZTranscript, ...errors } } }, async (req) =>
    archive.transcript(ctx, requireActor(req), req.params.id),
  );
  app.get(
    "/api/v1/chats/events/:id/transcript.csv",
    { schema: { tags, summary: "The transcript as CSV (audited)", params: ZIdParams, response: { 200: z.string(), ...errors } } },
    async (req, reply) => {
      const { filename, csv } = await archive.transcriptCsv(ctx, writer(req), req.params.id);
      return reply.type("text/csv; charset=utf-8").header("content-disposition", `attachment; filename="${filename}"`).send(csv);
    },
  );

  // ---- Private groups ----
  app.get("/api/v1/chats/groups", { schema: { tags, summary: "Your private groups", response: { 200: z.object({ items: z.array(ZChatGroup) }), ...errors } } }, async (req) =>
    groups.listGroups(ctx, requireActor(req)),
  );
  app.post("/api/v1/chats/groups", { schema: { tags, summary: "Make a private group (for a series: its moderators)", body: ZCreateGroupRequest, response: { 201: ZChatGroup, ...errors } } }, async (req, reply) =>
    reply.status(201).send(await groups.createGroup(ctx, writer(req), req.body)),
  );
  app.put(
    "/api/v1/chats/groups/:id/members",
    { schema: { tags, summary: "Set who is in a group (its creator)", params: ZIdParams, body: ZGroupMembersRequest, response: { 200: ZChatGroup, ...errors } } },
    async (req) => groups.setGroupMembers(ctx, writer(req), req.params.id, req.body.memberIds),
  );
  app.get(
    "/api/v1/chats/groups/:id/messages",
    { schema: { tags, summary: "A group's threads, or one thread's messages (members)", params: ZIdParams, querystring: ZThreadQuery, response: { 200: z.object({ items: z.array(ZGroupMessage) }), ...errors } } },
    async (req) => groups.listMessages(ctx, requireActor(req), req.params.id, req.query.threadId ?? null),
  );
  app.post(
    "/api/v1/chats/groups/:id/messages",
    { schema: { tags, summary: "Start a thread (title) or reply in one (threadId) (members)", params: ZIdParams, body: ZGroupMessageRequest, response: { 201: ZGroupMessage, ...errors } } },
    async (req, reply) => reply.status(201).send(await groups.postMessage(ctx, requireActor(req), req.params.id, req.body)),
  );
}
