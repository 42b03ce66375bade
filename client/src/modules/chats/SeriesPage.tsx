import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router-dom";
import { asApiError } from "../../api/client.js";
import { ErrorState, PageHeader, Spinner } from "../../components/Feedback.js";
import { DataTable } from "../../kits/DataTable.js";
import { chatQueries, formatWhen } from "./api.js";
import { ShareLink } from "./ShareLink.js";
import "./chats.css";

const PHASE = { upcoming: "Upcoming", open: "Room open", live: "Live now", ended: "Ended", cancelled: "Cancelled" } as const;

/** One series: its next events, the archive of past ones, the calendar feed and (moderators) participation. */
export function SeriesPage() {
  const { id = "" } = useParams();
  const series = useQuery(chatQueries.oneSeries(id));
  const upcoming = useQuery(chatQueries.events(id, "upcoming"));
  const past = useQuery(chatQueries.events(id, "past"));
  const canModerate = series.data?.abilities.canModerate === true;
  const analytics = useQuery({ ...chatQueries.analytics(id), enabled: canModerate });
  if (series.isPending) return <Spinner label="Loading the chat…" />;
  if (series.isError) return <ErrorState error={asApiError(series.error)} onRetry={() => void series.refetch()} />;
  const s = series.data;
  return (
    <div className="chats-page">
      <PageHeader
        title={`${s.name} ${s.hashtag}`}
        description={s.description}
        breadcrumb={{ to: "/chats", label: "Community chats" }}
        actions={
          s.abilities.canManage ? (
            <Link className="button" to={`/chats/series/${s.id}/settings`}>
              Chat settings
            </Link>
          ) : null
        }
      />
      <div className="chat-series__grid">
        <section className="panel" aria-labelledby="chat-upcoming">
          <h2 id="chat-upcoming" className="panel__title">
            Next chats
          </h2>
          <ul className="chat-events">
            {upcoming.data?.items.map((e) => (
              <li key={e.id}>
                <Link to={`/chats/events/${e.id}`}>{formatWhen(e.startsAt)}</Link> <span className={`chat-phase chat-phase--${e.phase}`}>{PHASE[e.phase]}</span>
                {canModerate ? (
                  <>
                    {" "}
                    <Link className="chat-muted" to={`/chats/events/${e.id}/questions`} aria-label={`Questions for ${formatWhen(e.startsAt)}`}>
                      Questions
                    </Link>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
          {s.calendarUrl ? (
            <p className="chat-muted">
              Add to your calendar: <a href={s.calendarUrl}>calendar feed (iCal)</a>
            </p>
          ) : null}
        </section>
        <section className="panel" aria-labelledby="chat-mods">
          <h2 id="chat-mods" className="panel__title">
            Moderators
          </h2>
          <ul className="chat-events">
            {s.moderators.map((m) => (
              <li key={m.personId}>
                {m.name} <span className="chat-muted">{m.role === "moderator" ? "moderator" : "co-moderator"}</span>
              </li>
            ))}
          </ul>
          <p className="chat-muted">
            {s.audience === "public" ? "Public: community members join with a name and email." : s.audience === "district" ? "Open to everyone on staff in the district." : "Open to staff of the chosen schools."}
          </p>
          {s.audience === "public" ? <ShareLink path={`/chats/public/${s.id}`} label="Share this link to invite the community:" openLabel="Open the public page" /> : null}
        </section>
      </div>
      <section className="panel" aria-labelledby="chat-past">
        <h2 id="chat-past" className="panel__title">
          Archive
        </h2>
        {past.data && past.data.items.length === 0 ? <p className="chat-muted">Past chats and their transcripts show here.</p> : null}
        <ul className="chat-events">
          {past.data?.items.map((e) => (
            <li key={e.id}>
              <Link to={`/chats/events/${e.id}/archive`}>{formatWhen(e.startsAt)}</Link>
            </li>
          ))}
        </ul>
      </section>
      {canModerate && analytics.data ? (
        <section className="panel" aria-labelledby="chat-stats">
          <h2 id="chat-stats" className="panel__title">
            Who is joining
          </h2>
          <p className="chat-muted">
            District participants by school level, across all chats:{" "}
            {analytics.data.byLevel.map((l) => `${l.level} ${l.participants}`).join(" · ")}
          </p>
          <DataTable
            caption="Participation by chat"
            rows={analytics.data.events}
            rowKey={(r) => r.eventId}
            columns={[
              { id: "when", header: "Chat", isPrimary: true, isRowHeader: true, cell: (r) => formatWhen(r.startsAt) },
              { id: "p", header: "Participants", cell: (r) => r.participants },
              { id: "n", header: "New", cell: (r) => r.newParticipants },
              { id: "r", header: "Returning", cell: (r) => r.returningParticipants },
              { id: "g", header: "Guests", cell: (r) => r.guests },
              { id: "posts", header: "Posts", cell: (r) => r.posts },
              { id: "q", header: "Posts per question", cell: (r) => r.postsPerQuestion.map((q) => `${q.label}: ${q.posts}`).join(", ") },
            ]}
            empty="No chats have happened yet."
          />
        </section>
      ) : null}
    </div>
  );
}
