import fastifyWebsocket from "@fastify/websocket";
import type { FastifyRequest } from "fastify";
import { Redis } from "ioredis";
import type { WebSocket } from "ws";
import {
  RealtimeCloseCodes,
  RealtimeLimits,
  ZClientToServerMessage,
  type RealtimeErrorCode,
  type TServerToClientMessage,
  type Topic,
  type TopicEvents,
  type TopicPrefix,
} from "../../shared/realtime.js";
import type { Actor } from "../auth/actor.js";
import { SESSION_COOKIE, actorFromApiToken, actorFromSession } from "../auth/session-store.js";
import type { Ctx } from "../context.js";
import { AppError } from "../errors.js";
import type { App } from "../http.js";

// The realtime hub: one WebSocket endpoint, topics guarded by their module's authorizer, and
// fan-out to every app server through Redis pub/sub when REDIS_URL is set. Events are small
// "something changed" messages; clients refetch over HTTP, so nothing here is a source of truth.

/** Decides whether an actor may subscribe to a topic of the prefix it is registered under. */
export type TopicAuthorizer = (actor: Actor, topic: string, ctx: Ctx) => boolean | Promise<boolean>;

/**
 * Someone who is not a signed-in person but may follow some topics: a public chat's community
 * participant. Resolved from a module's HttpOnly cookie at connect and again at every check.
 */
export type RealtimeGuest = { guestId: string; mayFollow: (topic: string) => boolean | Promise<boolean> };
export type RealtimeGuests = { cookie: string; resolve: (ctx: Ctx, token: string) => Promise<RealtimeGuest | null> };
/** Authorizers by topic prefix (`person` guards `person:<id>`). */
export type TopicAuthorizers = Readonly<Record<string, TopicAuthorizer>>;

/** Sends an event to every subscriber of a topic, on this server and (with Redis) every other. */
export type RealtimePublisher = {
  publish<P extends TopicPrefix>(topic: Topic<P>, event: TopicEvents[P]): Promise<void>;
};

export type RealtimeHub = RealtimePublisher & {
  /** Open sockets on this server. */
  readonly connectionCount: number;
  close(): Promise<void>;
};

export type RealtimeOptions = {
  authorizers: TopicAuthorizers;
  /** Guests (no session) a module lets follow some of its topics; at most one module declares them. */
  guests?: RealtimeGuests | null;
  /** Ping interval; a socket that missed the previous pong is dropped, and credentials are checked again. */
  heartbeatMs?: number;
};

const REDIS_CHANNEL = "coachwork:realtime";
const SEQ_KEY_PREFIX = "coachwork:realtime:seq:";
// A topic nobody published to for 30 days starts again at 1; a client then sees a lower seq and refetches.
const SEQ_TTL_MS = 30 * 86_400_000;
// INCR and PUBLISH in one script, which Redis runs atomically: events reach every server in seq order.
const PUBLISH_SCRIPT = `
local seq = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[1], seq .. ' ' .. ARGV[2])
return seq`;

// Each client message costs a session check; a client sending more than this is closed.
const MESSAGE_BUDGET = { messages: 30, perMs: 10_000 };

type Credential = { kind: "session" | "token" | "guest"; value: string };
type Connection = {
  socket: WebSocket;
  /** The signed-in person, or null for a guest. */
  actor: Actor | null;
  guest: RealtimeGuest | null;
  credential: Credential;
  topics: Set<string>;
  isAlive: boolean;
  /** Message times within the current budget window. */
  recent: number[];
  /** Client messages are handled one at a time, in order. */
  queue: Promise<void>;
};

function bearerToken(req: FastifyRequest): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  return match?.[1] ?? null;
}

/**
 * A cookie rides along with any page's WebSocket to us, so a cookie-authenticated socket must come
 * from our own pages: its Origin must be this server's (as the request addressed it) or PUBLIC_URL's.
 */
export function isOwnOrigin(req: FastifyRequest, publicUrl: string | null): boolean {
  const header = req.headers.origin;
  if (!header) return false;
  let origin: string;
  try {
    origin = new URL(header).origin;
  } catch {
    return false;
  }
  if (publicUrl && new URL(publicUrl).origin === origin) return true;
  return origin === `${req.protocol}://${req.host}`;
}

const realtimeByApp = new WeakMap<object, RealtimePublisher>();

/**
 * The hub of the app serving a request, for routes that publish (the hub is built after the modules'
 * routes are registered, so they look it up when they run): `realtimeOf(req.server)`.
 */
export function realtimeOf(app: object): RealtimePublisher | null {
  return realtimeByApp.get(app) ?? null;
}

/** Joins the topic authorizers of several modules; two modules claiming one prefix is a programming error. */
export function mergeTopicAuthorizers(sets: readonly TopicAuthorizers[]): TopicAuthorizers {
  const merged: Record<string, TopicAuthorizer> = {};
  for (const set of sets) {
    for (const [prefix, authorize] of Object.entries(set)) {
      if (merged[prefix]) throw new Error(`two modules guard the realtime topic prefix "${prefix}"`);
      merged[prefix] = authorize;
    }
  }
  return merged;
}

/** Registers GET /api/v1/realtime and returns the hub that publishes to it. */
export async function registerRealtime(app: App, ctx: Ctx, opts: RealtimeOptions): Promise<RealtimeHub> {
  const heartbeatMs = opts.heartbeatMs ?? 30_000;
  const byTopic = new Map<string, Set<Connection>>();
  const connections = new Set<Connection>();
  const localSeq = new Map<string, number>();
  const redisUrl = ctx.config.redisUrl ?? null;
  // A publish fails after a few retries rather than holding its caller while Redis is away;
  // the subscriber reconnects and subscribes again by itself (clients see the gap in numbers).
  const publisher = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 3 }) : null;
  const subscriber = redisUrl ? new Redis(redisUrl) : null;

  const send = (conn: Connection, message: TServerToClientMessage) => {
    if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(JSON.stringify(message));
  };
  const sendError = (conn: Connection, code: RealtimeErrorCode, message: string, topic?: string) =>
    send(conn, { type: "error", code, message, ...(topic === undefined ? {} : { topic }) });

  const deliver = (topic: string, seq: number, event: unknown) => {
    const subscribers = byTopic.get(topic);
    if (!subscribers) return;
    const frame = JSON.stringify({ type: "event", topic, seq, event });
    for (const conn of subscribers) {
      if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(frame);
    }
  };

  if (subscriber) {
    subscriber.on("error", (err) => ctx.log.warn({ err }, "realtime: Redis subscriber connection problem"));
    subscriber.on("message", (_channel: string, message: string) => {
      const space = message.indexOf(" ");
      try {
        const seq = Number(message.slice(0, space));
        const { topic, event } = JSON.parse(message.slice(space + 1)) as { topic: string; event: unknown };
        deliver(topic, seq, event);
      } catch (err) {
        ctx.log.warn({ err }, "realtime: ignoring a malformed message from Redis");
      }
    });
    await subscriber.subscribe(REDIS_CHANNEL);
  }
  publisher?.on("error", (err) => ctx.log.warn({ err }, "realtime: Redis publisher connection problem"));

  const currentSeq = async (topic: string): Promise<number> => {
    if (publisher) return Number((await publisher.get(SEQ_KEY_PREFIX + topic)) ?? 0);
    return localSeq.get(topic) ?? 0;
  };

  const isAuthorized = async (conn: Pick<Connection, "actor" | "guest">, topic: string): Promise<boolean> => {
    if (!conn.actor) return conn.guest ? await conn.guest.mayFollow(topic) : false;
    const authorize = opts.authorizers[topic.slice(0, topic.indexOf(":"))];
    return authorize ? await authorize(conn.actor, topic, ctx) : false;
  };

  const unsubscribe = (conn: Connection, topic: string) => {
    conn.topics.delete(topic);
    const subscribers = byTopic.get(topic);
    subscribers?.delete(conn);
    if (subscribers?.size === 0) byTopic.delete(topic);
  };

  const drop = (conn: Connection) => {
    for (const topic of [...conn.topics]) unsubscribe(conn, topic);
    connections.delete(conn);
  };

  /** Checks the session or token again; closes the socket when it ended, drops topics no longer allowed. */
  const revalidate = async (conn: Connection): Promise<boolean> => {
    if (conn.credential.kind === "guest") {
      const guest = opts.guests ? await opts.guests.resolve(ctx, conn.credential.value) : null;
      if (!guest) {
        sendError(conn, "unauthenticated", "Your place in the chat has ended; sign up again");
        conn.socket.close(RealtimeCloseCodes.sessionEnded, "guest ended");
        drop(conn);
        return false;
      }
      conn.guest = guest;
    } else {
      const actor =
        conn.credential.kind === "session"
          ? await actorFromSession(ctx.db, conn.credential.value)
          : await actorFromApiToken(ctx.db, conn.credential.value);
      if (!actor) {
      sendError(conn, "unauthenticated", "Your session has ended; sign in again");
      conn.socket.close(RealtimeCloseCodes.sessionEnded, "session ended");
        drop(conn);
        return false;
      }
      conn.actor = actor;
    }
    for (const topic of [...conn.topics]) {
      if (!(await isAuthorized(conn, topic))) {
        unsubscribe(conn, topic);
        sendError(conn, "forbidden", `You may no longer follow ${topic}`, topic);
      }
    }
    return true;
  };

  const handleMessage = async (conn: Connection, raw: string) => {
    if (!(await revalidate(conn))) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      sendError(conn, "bad_request", "Messages are JSON objects");
      return;
    }
    const parsed = ZClientToServerMessage.safeParse(json);
    if (!parsed.success) {
      const topic = typeof json === "object" && json && "topic" in json && typeof json.topic === "string" ? json.topic.slice(0, 200) : undefined;
      sendError(conn, "bad_request", `Not a message we know: ${parsed.error.issues[0]?.message ?? "invalid"}`, topic);
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case "subscribe": {
        const { topic } = message;
        if (conn.topics.has(topic)) {
          send(conn, { type: "subscribed", topic, seq: await currentSeq(topic) });
          return;
        }
        if (conn.topics.size >= RealtimeLimits.maxSubscriptions) {
          sendError(conn, "too_many_subscriptions", `At most ${RealtimeLimits.maxSubscriptions} topics per connection`, topic);
          return;
        }
        if (!(await isAuthorized(conn, topic))) {
          sendError(conn, "forbidden", `You may not follow ${topic}`, topic);
          return;
        }
        // Read the number before joining: an event in between is missed, and the client sees its gap.
        const seq = await currentSeq(topic);
        if (conn.socket.readyState !== conn.socket.OPEN) return;
        conn.topics.add(topic);
        let subscribers = byTopic.get(topic);
        if (!subscribers) byTopic.set(topic, (subscribers = new Set()));
        subscribers.add(conn);
        send(conn, { type: "subscribed", topic, seq });
        return;
      }
      case "unsubscribe":
        unsubscribe(conn, message.topic);
        send(conn, { type: "unsubscribed", topic: message.topic });
        return;
      default: {
        const unknown: never = message;
        throw new Error(`unhandled realtime message ${String(unknown)}`);
      }
    }
  };

  // Guests resolved by the upgrade's preHandler, picked up by the socket handler.
  const guests = new WeakMap<FastifyRequest, { guest: RealtimeGuest; token: string }>();

  await app.register(fastifyWebsocket, {
    options: { maxPayload: RealtimeLimits.maxClientMessageBytes },
    // Close with "going away" so clients reconnect to another server.
    preClose(done) {
      for (const conn of connections) conn.socket.close(RealtimeCloseCodes.goingAway, "server shutting down");
      done();
    },
  });

  // An upgrade refused by a hook that runs before @fastify/websocket's own (the auth hook throws on a
  // bad token) would leave its socket open and unread, holding the server open on close: end it
  // once the refusal is written. (An accepted upgrade never gets an HTTP response.)
  app.addHook("onResponse", async (req) => {
    if (req.raw.headers.upgrade?.toLowerCase() === "websocket") req.raw.socket.destroy();
  });

  app.get(
    "/api/v1/realtime",
    {
      websocket: true,
      // Guests have no actor: this handler checks who is connecting itself.
      config: { public: true },
      // registerAuth's onRequest hook has resolved req.actor from the cookie or the Bearer token by now.
      preHandler: async (req) => {
        const guestCookie = opts.guests ? req.cookies[opts.guests.cookie] : undefined;
        if (!req.actor && guestCookie && opts.guests) {
          // A cookie-authenticated guest, like a session: only from our own pages.
          if (!isOwnOrigin(req, ctx.config.publicUrl)) throw new AppError("forbidden", "A cookie-authenticated realtime connection must come from this site's own pages");
          const guest = await opts.guests.resolve(ctx, guestCookie);
          if (!guest) throw new AppError("unauthenticated", "Sign up for the chat again");
          guests.set(req, { guest, token: guestCookie });
          return;
        }
        if (!req.actor) throw new AppError("unauthenticated", "Sign in to continue");
        if (req.actor.via === "session" && !isOwnOrigin(req, ctx.config.publicUrl)) {
          throw new AppError("forbidden", "A cookie-authenticated realtime connection must come from this site's own pages");
        }
      },
    },
    (socket, req) => {
      const actor = req.actor;
      const token = bearerToken(req);
      const cookie = req.cookies[SESSION_COOKIE];
      const guest = guests.get(req) ?? null;
      const credential: Credential | null = guest
        ? { kind: "guest", value: guest.token }
        : actor?.via === "token" && token
          ? { kind: "token", value: token }
          : actor?.via === "session" && cookie
            ? { kind: "session", value: cookie }
            : null;
      if ((!actor && !guest) || !credential) {
        socket.close(RealtimeCloseCodes.sessionEnded, "sign in to continue");
        return;
      }
      const conn: Connection = { socket, actor: guest ? null : actor, guest: guest?.guest ?? null, credential, topics: new Set(), isAlive: true, recent: [], queue: Promise.resolve() };
      connections.add(conn);
      socket.on("pong", () => {
        conn.isAlive = true;
      });
      socket.on("message", (data, isBinary) => {
        const now = Date.now();
        conn.recent = conn.recent.filter((at) => at > now - MESSAGE_BUDGET.perMs);
        conn.recent.push(now);
        if (conn.recent.length > MESSAGE_BUDGET.messages) {
          sendError(conn, "rate_limited", `At most ${MESSAGE_BUDGET.messages} messages per ${MESSAGE_BUDGET.perMs / 1000} seconds`);
          socket.close(RealtimeCloseCodes.policyViolation, "too many messages");
          drop(conn);
          return;
        }
        const raw = isBinary ? "" : Buffer.isBuffer(data) ? data.toString("utf8") : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString("utf8");
        conn.queue = conn.queue
          .then(() => handleMessage(conn, raw))
          .catch((err: unknown) => {
            ctx.log.error({ err }, "realtime: handling a client message failed");
            sendError(conn, "bad_request", "That message could not be handled");
          });
      });
      socket.on("close", () => drop(conn));
      socket.on("error", (err) => ctx.log.debug({ err }, "realtime: socket error"));
    },
  );

  const heartbeat = setInterval(() => {
    for (const conn of connections) {
      if (!conn.isAlive) {
        conn.socket.terminate();
        drop(conn);
        continue;
      }
      conn.isAlive = false;
      conn.socket.ping();
      conn.queue = conn.queue
        .then(() => revalidate(conn))
        .then(() => undefined)
        .catch((err: unknown) => ctx.log.warn({ err }, "realtime: checking a connection's session failed"));
    }
  }, heartbeatMs);
  heartbeat.unref();

  const hub: RealtimeHub = {
    get connectionCount() {
      return connections.size;
    },
    async publish(topic, event) {
      const body = JSON.stringify({ topic, event });
      if (publisher) {
        await publisher.eval(PUBLISH_SCRIPT, 1, SEQ_KEY_PREFIX + topic, REDIS_CHANNEL, body, SEQ_TTL_MS);
        return; // delivered to our own sockets too, by our subscription, in seq order
      }
      const seq = (localSeq.get(topic) ?? 0) + 1;
      localSeq.set(topic, seq);
      deliver(topic, seq, event);
    },
    async close() {
      clearInterval(heartbeat);
      await Promise.all([subscriber?.quit(), publisher?.quit()]);
    },
  };
  app.addHook("onClose", async () => hub.close());
  realtimeByApp.set(app, hub);
  return hub;
}
