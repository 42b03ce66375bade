import { z } from "zod";
import type { TChatPost, TCrosspostStatus } from "./schemas/chats.js";

// The realtime hub's protocol (WebSocket at /api/v1/realtime), used by the server and the client.
// Messages are JSON objects with a `type`. A client subscribes to topics (`<prefix>:<id>`); each
// topic's events carry a sequence number that grows by one per event, so a client that sees a gap
// (or reconnects) refetches over HTTP instead of trusting a stream it may have missed part of.

export const RealtimeLimits = {
  maxTopicLength: 200,
  maxSubscriptions: 100,
  /** Largest frame a client may send; subscriptions are tiny. */
  maxClientMessageBytes: 4096,
} as const;

/** Close codes the client acts on (4000–4999 are ours). */
export const RealtimeCloseCodes = {
  /** The session ended (sign-out, expiry, deactivation): sign in again, do not reconnect as is. */
  sessionEnded: 4401,
  /** The client sent too many messages too fast. */
  policyViolation: 1008,
  /** The server is shutting down: reconnect (another server will answer). */
  goingAway: 1001,
} as const;

export const ZNotification = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  /** An app path to open, e.g. `/settings/roster-imports/…`. */
  link: z.string().nullable(),
  createdAt: z.string(),
});
export type TNotification = z.infer<typeof ZNotification>;

/** The events each topic family carries, by prefix. */
export type TopicEvents = {
  /** `person:<personId>`: things for one person (notifications); only that person may subscribe. */
  person: { type: "notification"; notification: TNotification };
  /** `helpdesk-queue:<queueId>`: a help desk queue changed (refetch it); its desk may subscribe. */
  "helpdesk-queue": { type: "queue.changed"; queueId: string };
  /** `rollout:<rolloutId>`: a device rollout's pickups changed (refetch the board); its board's readers may subscribe. */
  rollout: { type: "pickups"; at: string };
  /** `chat:<eventId>`: a chat room's new and changed posts, numbered by the room (`post.changedSeq`). */
  chat: { type: "post"; post: TChatPost };
  /** `chatmod:<eventId>`: what the room's moderators alone see (a cross-post that failed). */
  chatmod: { type: "crosspost"; crosspost: TCrosspostStatus };
};
export type TopicPrefix = keyof TopicEvents;
export type Topic<P extends TopicPrefix = TopicPrefix> = `${P}:${string}`;

export const ZTopic = z
  .string()
  .min(3)
  .max(RealtimeLimits.maxTopicLength)
  .regex(/^[a-z][a-z0-9_-]*:[A-Za-z0-9._:-]+$/, "must look like prefix:id");

/** Client → server messages, by type. */
export type ClientToServerMessages = {
  subscribe: { topic: string };
  unsubscribe: { topic: string };
};

export const ZClientToServerMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("subscribe"), topic: ZTopic }),
  z.object({ type: z.literal("unsubscribe"), topic: ZTopic }),
]);
export type TClientToServerMessage = z.infer<typeof ZClientToServerMessage>;

export type RealtimeErrorCode = "bad_request" | "forbidden" | "unauthenticated" | "too_many_subscriptions" | "rate_limited";

/** An event on a topic, typed by the topic's prefix. */
export type TopicEventMessage = {
  [P in TopicPrefix]: { type: "event"; topic: Topic<P>; seq: number; event: TopicEvents[P] };
}[TopicPrefix];

/** Server → client messages, by type. */
export type ServerToClientMessages = {
  /** `seq` is the topic's current number: the next event carries seq + 1. */
  subscribed: { topic: string; seq: number };
  unsubscribed: { topic: string };
  event: Omit<TopicEventMessage, "type">;
  /** A refused or malformed request; `topic` names the subscription it concerns. */
  error: { code: RealtimeErrorCode; message: string; topic?: string };
};

type Tagged<M> = { [K in keyof M]: { type: K } & M[K] }[keyof M];
export type TServerToClientMessage = Tagged<Omit<ServerToClientMessages, "event">> | TopicEventMessage;
