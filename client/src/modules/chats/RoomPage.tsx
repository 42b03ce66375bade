import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Link, useParams } from "react-router-dom";
import { ChatLimits, type TChatEvent, type TChatPost } from "../../../../shared/schemas/chats.js";
import { asApiError, type ApiError } from "../../api/client.js";
import { ErrorState, FormAlert, PageHeader, Spinner } from "../../components/Feedback.js";
import { chatKeys, chatQueries, chatsApi, formatTime, formatWhen, type RoomAuth } from "./api.js";
import { PostText } from "./PostText.js";
import { roomWindow } from "./roomWindow.js";
import { useRoom } from "./useRoom.js";
import "./chats.css";

const PHASE_TEXT = { upcoming: "The room opens 30 minutes before the chat.", open: "The room is open: the chat starts soon.", live: "Live now", ended: "This chat has ended.", cancelled: "This chat was cancelled." } as const;

/** The live room: questions as they are posted, answers A1, A2… under each, replies, likes, moderation. */
export function RoomPage() {
  const { id = "" } = useParams();
  const event = useQuery(chatQueries.event(id));
  if (event.isPending) return <Spinner label="Opening the room…" />;
  if (event.isError) return <ErrorState error={asApiError(event.error)} onRetry={() => void event.refetch()} />;
  return <Room event={event.data} />;
}

/**
 * The room, for a signed-in person or (with `guest`) a public series' community guest: the same posts,
 * answers, replies and likes, sent with the guest's credential; a guest gets no moderator tools.
 */
export function Room({ event, guest }: { event: TChatEvent; guest?: { auth: RoomAuth; breadcrumb: { to: string; label: string }; notice?: ReactNode } }) {
  const isModerator = event.abilities.canModerate && !guest;
  const auth = guest?.auth ?? null;
  const room = useRoom(event.id, { isModerator, auth });
  const queryClient = useQueryClient();
  const [answering, setAnswering] = useState<string>("");
  const [replyTo, setReplyTo] = useState<TChatPost | null>(null);
  const [text, setText] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [isSending, setIsSending] = useState(false);
  const composer = useRef<HTMLTextAreaElement>(null);
  // The clock the room's window is read against: a tab opened early starts taking posts when the room opens.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  const postWindow = isModerator ? ({ state: "open" } as const) : roomWindow(event, now);
  const questionPosts = room.posts.filter((p) => p.kind === "question");
  const latestQuestion = questionPosts.at(-1);
  const answerTo = answering || latestQuestion?.questionId || "";

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    setIsSending(true);
    setError(null);
    try {
      // The same clientRef on a retry after a lost connection returns the first post, never a second.
      const post = await chatsApi.post(event.id, { body: text, clientRef: crypto.randomUUID(), ...(replyTo ? { parentId: replyTo.id } : answerTo ? { questionId: answerTo } : {}) }, auth);
      room.applyOwn(post);
      setText("");
      setReplyTo(null);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setIsSending(false);
    }
  };
  const act = async (f: () => Promise<unknown>) => {
    try {
      const out = await f();
      if (out && typeof out === "object" && "changedSeq" in out) room.applyOwn(out as TChatPost);
      else void room.refresh();
    } catch (err) {
      setError(asApiError(err));
    }
  };

  const byParent = new Map<string, TChatPost[]>();
  for (const p of room.posts) if (p.parentId) byParent.set(p.parentId, [...(byParent.get(p.parentId) ?? []), p]);
  const opening = room.posts.filter((p) => !p.questionId && !p.parentId);
  const renderPost = (p: TChatPost, depth = 0) => (
    <li key={p.id} className={`chat-post chat-post--${p.kind}${p.status !== "visible" ? " chat-post--muted" : ""}`} style={{ marginLeft: depth ? "1.5rem" : 0 }}>
      <div className="chat-post__meta">
        {p.label ? <span className="chat-label">{p.label}</span> : null}
        <strong>{p.author.name}</strong>
        {p.author.isModerator ? <span className="chat-badge">moderator</span> : null}
        {p.author.isGuest ? <span className="chat-badge chat-badge--guest">guest</span> : null}
        <span className="chat-muted">{formatTime(p.createdAt)}</span>
      </div>
      {p.status === "removed" ? <p className="chat-muted">Removed by a moderator.</p> : p.status === "hidden" && !p.body ? <p className="chat-muted">Hidden by a moderator.</p> : <PostText text={p.body} />}
      {p.status === "hidden" && p.body ? <p className="chat-muted">Hidden from everyone but moderators.</p> : null}
      {p.status === "visible" && p.kind !== "welcome" ? (
        <div className="chat-post__actions">
          <button type="button" className="button button--small" aria-pressed={p.likedByMe} onClick={() => void act(() => chatsApi.like(p.id, auth))}>
            ♥ {p.likeCount > 0 ? p.likeCount : "Like"}
          </button>
          {p.kind !== "question" ? (
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                setReplyTo(p);
                composer.current?.focus();
              }}
            >
              Reply
            </button>
          ) : null}
          {isModerator && p.kind !== "question" ? (
            <>
              <button type="button" className="button button--small" onClick={() => void act(() => chatsApi.moderate(p.id, "hide"))}>
                Hide
              </button>
              <button type="button" className="button button--small button--danger" onClick={() => void act(() => chatsApi.moderate(p.id, "remove"))}>
                Remove
              </button>
              {!p.author.isModerator ? (
                <button type="button" className="button button--small" onClick={() => void act(() => chatsApi.mute(event.id, p.author.participantId, true))}>
                  Mute {p.author.name.split(" ")[0]}
                </button>
              ) : null}
            </>
          ) : null}
        </div>
      ) : isModerator && p.status === "hidden" ? (
        <div className="chat-post__actions">
          <button type="button" className="button button--small" onClick={() => void act(() => chatsApi.moderate(p.id, "unhide"))}>
            Show again
          </button>
        </div>
      ) : null}
      {(byParent.get(p.id) ?? []).length > 0 ? <ul className="chat-thread">{(byParent.get(p.id) ?? []).map((r) => renderPost(r, 1))}</ul> : null}
    </li>
  );

  return (
    <div className="chats-page chat-room">
      <PageHeader
        title={`${event.seriesName} ${event.hashtag}`}
        description={`${formatWhen(event.startsAt)} · ${PHASE_TEXT[event.phase]}`}
        breadcrumb={guest?.breadcrumb ?? { to: `/chats/series/${event.seriesId}`, label: event.seriesName }}
        actions={
          <span className={`chat-status chat-status--${room.status}`} role="status">
            {room.status === "live" ? "Connected" : room.status === "connecting" ? "Connecting…" : "Reconnecting…"}
          </span>
        }
      />
      {guest?.notice ? <div className="chat-public__notice">{guest.notice}</div> : null}
      <div className="chat-room__grid">
        <section className="chat-room__stream" aria-label="The chat">
          <ul className="chat-stream">{opening.map((p) => renderPost(p))}</ul>
          {questionPosts.map((q) => (
            <section key={q.id} className="panel chat-question" aria-label={q.label ?? "Question"}>
              <ul className="chat-stream">{renderPost(q)}</ul>
              <ul className="chat-stream chat-answers">{room.posts.filter((p) => p.questionId === q.questionId && p.kind === "answer").map((p) => renderPost(p))}</ul>
            </section>
          ))}
          {room.posts.length === 0 ? <p className="chat-muted">Nothing yet. The moderator's welcome and questions appear here as they are posted.</p> : null}
          <form className="panel chat-composer" onSubmit={(e) => void send(e)}>
            <FormAlert error={error} />
            {room.isMuted ? <p className="chat-muted">A moderator has muted you in this chat.</p> : null}
            {postWindow.state === "not_yet" ? (
              <p className="chat-room__closed" role="status">
                The room opens at {formatWhen(postWindow.opensAt)}, {ChatLimits.opensBeforeMinutes} minutes before the chat: you can post from then. Until then, read along.
              </p>
            ) : postWindow.state === "closed" ? (
              <p className="chat-room__closed" role="status">
                {postWindow.reason === "cancelled" ? "This chat was cancelled: the room takes no posts." : "This chat has ended: the room takes no more posts."}
              </p>
            ) : null}
            {replyTo ? (
              <p className="chat-muted">
                Replying to {replyTo.author.name}{" "}
                <button type="button" className="button button--small" onClick={() => setReplyTo(null)}>
                  Cancel reply
                </button>
              </p>
            ) : (
              <label className="chat-composer__to">
                Answering{" "}
                <select value={answerTo} onChange={(e) => setAnswering(e.target.value)}>
                  <option value="">— a general comment —</option>
                  {questionPosts.map((q) => (
                    <option key={q.id} value={q.questionId ?? ""}>
                      {q.label}: {q.body.slice(0, 60)}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label htmlFor="chat-text" className="visually-hidden">
              Your post
            </label>
            <textarea id="chat-text" ref={composer} value={text} onChange={(e) => setText(e.target.value)} maxLength={ChatLimits.maxPostLength} rows={3} placeholder={latestQuestion ? `Your answer to ${latestQuestion.label ?? "the question"}…` : "Say hello…"} />
            <div className="chat-composer__foot">
              <span className="chat-muted">
                {text.length}/{ChatLimits.maxPostLength}
              </span>
              <button type="submit" className="button button--primary" disabled={isSending || room.isMuted || postWindow.state !== "open" || !text.trim()}>
                {isSending ? "Posting…" : "Post"}
              </button>
            </div>
          </form>
        </section>
        <aside className="chat-room__side">
          <section className="panel" aria-labelledby="chat-guide">
            <h2 id="chat-guide" className="panel__title">
              First time here?
            </h2>
            <p>{event.guideText || "Each question is posted as Q1, Q2… Answer with A1, A2… so everyone can follow. Reply to others and like what helps you."}</p>
          </section>
          {isModerator ? (
            <section className="panel" aria-labelledby="chat-plan">
              <h2 id="chat-plan" className="panel__title">
                Questions
              </h2>
              <ol className="chat-plan">
                {event.questions.map((q) => (
                  <li key={q.id}>
                    <strong>{q.label}</strong> at {formatTime(q.postAt)}: {q.text}{" "}
                    {q.postedAt || room.posts.some((p) => p.kind === "question" && p.questionId === q.id) ? (
                      <span className="chat-muted">posted</span>
                    ) : (
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => void act(async () => (await chatsApi.postNow(q.id), await queryClient.invalidateQueries({ queryKey: chatKeys.event(event.id) })))}
                      >
                        Post now
                      </button>
                    )}
                  </li>
                ))}
              </ol>
              <p>
                <Link to={`/chats/events/${event.id}/questions`}>Edit this chat's questions</Link>
              </p>
              {[...event.crossposts, ...room.crossposts]
                .filter((c) => c.status === "failed")
                .map((c) => (
                  <p key={`${c.questionId}${c.network}`} className="chat-warning" role="alert">
                    Cross-post to {c.network === "mastodon" ? "Mastodon" : "Bluesky"} failed: {c.error}
                  </p>
                ))}
              <p>
                <Link to={`/chats/events/${event.id}/archive`}>Transcript and CSV</Link>
              </p>
            </section>
          ) : null}
        </aside>
      </div>
    </div>
  );
}
