import { useQuery } from "@tanstack/react-query";
import { useParams } from "react-router-dom";
import type { TChatPost, TTranscript } from "../../../../shared/schemas/chats.js";
import { asApiError } from "../../api/client.js";
import { ErrorState, PageHeader, Spinner } from "../../components/Feedback.js";
import { chatQueries, formatTime, formatWhen } from "./api.js";
import { PostText } from "./PostText.js";
import { ShareLink } from "./ShareLink.js";
import "./chats.css";

function Line({ p }: { p: TChatPost }) {
  return (
    <div className="chat-post">
      <div className="chat-post__meta">
        {p.label ? <span className="chat-label">{p.label}</span> : null}
        <strong>{p.author.name}</strong>
        <span className="chat-muted">{formatTime(p.createdAt)}</span>
        {p.likeCount ? <span className="chat-muted">♥ {p.likeCount}</span> : null}
      </div>
      <PostText text={p.body} />
    </div>
  );
}

/** A transcript's posts: the opening ones, then each question with its answers and their replies. */
export function TranscriptBody({ transcript }: { transcript: TTranscript }) {
  const { opening, questions } = transcript;
  return (
    <>
      {opening.length ? (
        <section className="panel chat-question" aria-label="Opening">
          {opening.map((p) => (
            <Line key={p.id} p={p} />
          ))}
        </section>
      ) : null}
      {questions.length === 0 && opening.length === 0 ? (
        <p className="chat-muted">{transcript.event.phase === "upcoming" || transcript.event.phase === "open" ? "This chat has not started yet: its transcript fills in as it runs." : "Nothing was posted in this chat."}</p>
      ) : null}
      {questions.map((q) => (
        <section key={q.question.id} className="panel chat-question" aria-label={q.question.label}>
          <h2 className="panel__title">
            {q.question.label}: {q.question.text}
          </h2>
          {q.answers.length === 0 ? <p className="chat-muted">No answers.</p> : null}
          {q.answers.map((a) => (
            <div key={a.id}>
              <Line p={a} />
              <div className="chat-thread">
                {a.replies.map((r) => (
                  <Line key={r.id} p={r} />
                ))}
              </div>
            </div>
          ))}
        </section>
      ))}
    </>
  );
}

/** The transcript of one chat, grouped by question, with its CSV (and, for a public series, its shareable page). */
export function ArchivePage() {
  const { id = "" } = useParams();
  const t = useQuery(chatQueries.transcript(id));
  if (t.isPending) return <Spinner label="Loading the transcript…" />;
  if (t.isError) return <ErrorState error={asApiError(t.error)} onRetry={() => void t.refetch()} />;
  const { event } = t.data;
  const publicPath = event.publicSeriesId ? `/chats/public/${event.publicSeriesId}/events/${event.id}/transcript` : null;
  return (
    <div className="chats-page">
      <PageHeader
        title={`${event.seriesName} ${event.hashtag}: transcript`}
        description={formatWhen(event.startsAt)}
        breadcrumb={{ to: `/chats/series/${event.seriesId}`, label: event.seriesName }}
        actions={
          <>
            <a className="button" href={`/api/v1/chats/events/${event.id}/transcript.csv`}>
              Download CSV
            </a>
          </>
        }
      />
      {publicPath ? (
        <section className="panel chat-question">
          <ShareLink path={publicPath} label="Anyone with this link can read the transcript, without signing in (hidden and removed posts are left out):" openLabel="Open the public page" />
        </section>
      ) : null}
      <TranscriptBody transcript={t.data} />
    </div>
  );
}
