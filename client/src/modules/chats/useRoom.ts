import { useCallback, useEffect, useRef, useState } from "react";
import type { TServerToClientMessage } from "../../../../shared/realtime.js";
import type { TChatPost, TCrosspostStatus } from "../../../../shared/schemas/chats.js";
import { chatsApi, type RoomAuth } from "./api.js";

// The live room's state: posts by id, merged from HTTP (the source of truth) and the realtime hub.
// Each post carries the room's number of its latest change; the room remembers the highest it has
// seen. On (re)subscribing, and whenever a number is skipped, it asks for the changes after it, so a
// reconnect resumes with nothing lost, and merging by id means nothing shows twice.

export type RoomState = { posts: TChatPost[]; status: "connecting" | "live" | "offline"; isMuted: boolean; participantId: string | null; crossposts: TCrosspostStatus[] };

/** `auth`: a public series' guest's credential for HTTP (the WebSocket sends the guest cookie set at sign-up). */
export function useRoom(eventId: string, opts: { isModerator: boolean; auth?: RoomAuth }) {
  const guestToken = opts.auth?.guestToken ?? null;
  const posts = useRef(new Map<string, TChatPost>());
  const lastSeq = useRef(0);
  const [state, setState] = useState<RoomState>({ posts: [], status: "connecting", isMuted: false, participantId: null, crossposts: [] });
  const catchingUp = useRef<Promise<void> | null>(null);

  const publish = useCallback(() => {
    setState((s) => ({ ...s, posts: [...posts.current.values()].sort((a, b) => a.seq - b.seq) }));
  }, []);

  const merge = useCallback(
    (incoming: TChatPost[]) => {
      for (const p of incoming) {
        const known = posts.current.get(p.id);
        if (!known || known.changedSeq <= p.changedSeq) posts.current.set(p.id, { ...p, likedByMe: p.likedByMe || (known?.likedByMe ?? false) });
      }
      publish();
    },
    [publish],
  );

  const catchUp = useCallback(async () => {
    if (catchingUp.current) return catchingUp.current;
    const run = (async () => {
      const changes = await chatsApi.changes(eventId, lastSeq.current, guestToken ? { guestToken } : null);
      merge(changes.posts);
      lastSeq.current = Math.max(lastSeq.current, changes.lastSeq);
      setState((s) => ({ ...s, isMuted: changes.me.isMuted, participantId: changes.me.participantId }));
    })().finally(() => {
      catchingUp.current = null;
    });
    catchingUp.current = run;
    return run;
  }, [eventId, merge, guestToken]);

  useEffect(() => {
    let socket: WebSocket | null = null;
    let retry = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let isClosed = false;
    const connect = () => {
      const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/realtime`;
      socket = new WebSocket(url);
      socket.onopen = () => {
        retry = 0;
        socket?.send(JSON.stringify({ type: "subscribe", topic: `chat:${eventId}` }));
        if (opts.isModerator) socket?.send(JSON.stringify({ type: "subscribe", topic: `chatmod:${eventId}` }));
      };
      socket.onmessage = (e: MessageEvent<string>) => {
        const m = JSON.parse(e.data) as TServerToClientMessage;
        if (m.type === "subscribed" && m.topic.startsWith("chat:")) {
          setState((s) => ({ ...s, status: "live" }));
          void catchUp();
        } else if (m.type === "event" && m.event.type === "post") {
          const post = m.event.post;
          const isGap = post.changedSeq > lastSeq.current + 1;
          merge([post]);
          if (isGap) void catchUp();
          else lastSeq.current = Math.max(lastSeq.current, post.changedSeq);
        } else if (m.type === "event" && m.event.type === "crosspost") {
          const c = m.event.crosspost;
          setState((s) => ({ ...s, crossposts: [...s.crossposts.filter((x) => !(x.questionId === c.questionId && x.network === c.network)), c] }));
        }
      };
      socket.onclose = (e) => {
        setState((s) => ({ ...s, status: "offline" }));
        if (isClosed || e.code === 4401) return;
        timer = setTimeout(connect, Math.min(10_000, 500 * 2 ** retry++));
      };
    };
    void catchUp().catch(() => undefined);
    connect();
    return () => {
      isClosed = true;
      if (timer) clearTimeout(timer);
      socket?.close();
    };
  }, [eventId, opts.isModerator, catchUp, merge]);

  const applyOwn = useCallback((p: TChatPost) => merge([p]), [merge]);
  return { ...state, applyOwn, refresh: catchUp };
}
