import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { Link, Navigate, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { ChatLimits, ZGuestSignUpRequest, type TGuestVerification, type TPublicSeries } from "../../../../shared/schemas/chats.js";
import { asApiError, type ApiError } from "../../api/client.js";
import { ErrorState, Notice, Spinner } from "../../components/Feedback.js";
import { LogoMark } from "../../components/Logo.js";
import { Form, FormCheckboxField, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { chatQueries, chatsApi, formatInZone, formatWhen } from "./api.js";
import { forgetGuest, loadGuest, saveGuest, type GuestCredential } from "./guest.js";
import { TranscriptBody } from "./ArchivePage.js";
import { Room } from "./RoomPage.js";
import "./chats.css";

// Pages for people without an account: a public series' join page, its room for a community guest,
// and the email verification link. Outside the app shell and its sign-in gate (publicRoutes).

const PHASE = { upcoming: "Upcoming", open: "Room open", live: "Live now", ended: "Ended", cancelled: "Cancelled" } as const;
const DEFAULT_GUIDE = "Each question is posted as Q1, Q2… Answer with A1, A2… so everyone can follow. Reply to others and like what helps you. Lurking is welcome too.";

/** The public pages' frame: the product's mark, then the page. */
function PublicLayout({ children }: { children: ReactNode }) {
  return (
    <div className="chat-public">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="chat-public__bar">
        <LogoMark size={28} />
        <span className="chat-public__brand">Coachwork</span>
        <span className="chat-muted">Community chats</span>
      </header>
      <main id="main" className="chat-public__main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

function NotFound() {
  useDocumentTitle("Chat not found");
  return (
    <PublicLayout>
      <section className="panel chat-public__card">
        <h1 className="page-title">Chat not found</h1>
        <p>There is no public chat at this address. The link may be mistyped, the chat may have been retired, or it may be for district staff only.</p>
        <p>
          <Link to="/login">Staff: sign in</Link>
        </p>
      </section>
    </PublicLayout>
  );
}

/** The series' next events, in the reader's time and the series' own zone. */
function NextEvents({ series, guest }: { series: TPublicSeries; guest: GuestCredential | null }) {
  const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (series.upcoming.length === 0) return <p className="chat-muted">No chats are scheduled right now.</p>;
  return (
    <ul className="chat-events chat-public__events">
      {series.upcoming.map((e) => (
        <li key={e.id}>
          <div>
            <strong>{formatWhen(e.startsAt)}</strong> <span className="chat-muted">your time</span> <span className={`chat-phase chat-phase--${e.phase}`}>{PHASE[e.phase]}</span>
          </div>
          {localZone !== series.timeZone ? <div className="chat-muted">{formatInZone(e.startsAt, series.timeZone)} (the chat's time zone)</div> : null}
          {guest ? (
            <Link className="button button--small" to={`/chats/public/${series.id}/events/${e.id}`}>
              {e.phase === "live" || e.phase === "open" ? "Enter the room" : "Open the room"}
            </Link>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** A public series' join page: what it is, when, the first-timer's guide, and sign-up with a name and email. */
export function PublicSeriesPage() {
  const { seriesId = "" } = useParams();
  const series = useQuery(chatQueries.publicSeries(seriesId));
  const [guest, setGuest] = useState<GuestCredential | null>(() => loadGuest(seriesId));
  useDocumentTitle(series.data ? `${series.data.name} ${series.data.hashtag}` : "Community chat");
  if (series.isPending) return <Spinner label="Loading the chat…" />;
  if (series.isError) {
    const error = asApiError(series.error);
    if (error.status === 404) return <NotFound />;
    return (
      <PublicLayout>
        <ErrorState error={error} onRetry={() => void series.refetch()} />
      </PublicLayout>
    );
  }
  const s = series.data;
  return (
    <PublicLayout>
      <div className="chat-public__grid">
        <section className="panel chat-public__card" aria-labelledby="chat-public-title">
          <p className="chat-tag chat-public__tag">{s.hashtag}</p>
          <h1 id="chat-public-title" className="page-title">
            {s.name}
          </h1>
          {s.description ? <p className="chat-public__desc">{s.description}</p> : null}
          <h2 className="panel__title">Next chats</h2>
          <p className="chat-muted">{s.durationMinutes} minutes each. The room opens {ChatLimits.opensBeforeMinutes} minutes before.</p>
          <NextEvents series={s} guest={guest} />
          {s.past.length ? (
            <>
              <h2 className="panel__title chat-public__past">Past chats</h2>
              <ul className="chat-events chat-public__events">
                {s.past.map((e) => (
                  <li key={e.id}>
                    <Link to={`/chats/public/${s.id}/events/${e.id}/transcript`}>Transcript of {formatWhen(e.startsAt)}</Link>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
        <div className="chat-public__side">
          {guest ? (
            <section className="panel chat-public__card" aria-labelledby="chat-public-you">
              <h2 id="chat-public-you" className="panel__title">
                You are signed up as {guest.name}
              </h2>
              <p>Open a chat's room above. This browser remembers your sign-up for this chat.</p>
              <button
                type="button"
                className="button button--small"
                onClick={() => {
                  forgetGuest(s.id);
                  setGuest(null);
                }}
              >
                Not you? Leave on this device
              </button>
            </section>
          ) : (
            <SignUp series={s} onJoined={setGuest} />
          )}
          <section className="panel chat-public__card" aria-labelledby="chat-public-guide">
            <h2 id="chat-public-guide" className="panel__title">
              First time here?
            </h2>
            <p className="chat-public__guide">{s.guideText || DEFAULT_GUIDE}</p>
          </section>
        </div>
      </div>
    </PublicLayout>
  );
}

function SignUp({ series, onJoined }: { series: TPublicSeries; onJoined: (g: GuestCredential) => void }) {
  const navigate = useNavigate();
  const form = useZodForm(ZGuestSignUpRequest, { name: "", email: "", wantsReminders: true });
  const onSubmit = async (body: { name: string; email: string; wantsReminders: boolean }) => {
    const signUp = await chatsApi.guestSignUp(series.id, body);
    const guest = saveGuest(series.id, signUp, body.email.trim().toLowerCase());
    onJoined(guest);
    // Straight into the room of the running (or next) chat.
    const next = series.upcoming.find((e) => e.phase !== "cancelled");
    if (next) navigate(`/chats/public/${series.id}/events/${next.id}`);
  };
  return (
    <section className="panel chat-public__card" aria-labelledby="chat-public-join">
      <h2 id="chat-public-join" className="panel__title">
        Join the chat
      </h2>
      <p className="chat-muted">No account needed: your name is shown with your posts; your email is never shown.</p>
      <Form form={form} onSubmit={onSubmit}>
        <FormTextField name="name" label="Your name" autoComplete="name" required />
        <FormTextField name="email" label="Email" type="email" autoComplete="email" required hint="We send a link to confirm it; reminders go only to a confirmed address." />
        <FormCheckboxField name="wantsReminders" label="Email me a reminder before each chat" />
        <SubmitButton label="Join the chat" pendingLabel="Joining…" className="button button--primary button--block" />
      </Form>
    </section>
  );
}

/** Tells an unconfirmed guest a link is on its way, and lets them ask for another. */
function VerifyNotice({ guest, onChange }: { guest: GuestCredential; onChange: (g: GuestCredential) => void }) {
  const [state, setState] = useState<{ sent?: boolean; error?: ApiError }>({});
  if (guest.emailVerified) return null;
  const resend = async () => {
    try {
      const out = await chatsApi.resendVerification({ guestToken: guest.token });
      if (out.emailVerified) onChange(saveGuest(guest.seriesId, { ...guest, emailVerified: true }, guest.email));
      setState({ sent: out.sent });
    } catch (err) {
      setState({ error: asApiError(err) });
    }
  };
  return (
    <Notice>
      You can take part now. To get reminders, confirm your email with the link we sent{guest.email ? ` to ${guest.email}` : ""}.{" "}
      {state.sent ? (
        "A new link is on its way."
      ) : (
        <button type="button" className="button button--small" onClick={() => void resend()}>
          Send the link again
        </button>
      )}
      {state.error ? <span className="chat-muted"> {state.error.message}</span> : null}
    </Notice>
  );
}

/** A public series' room for a community guest: the same room as staff see, with the guest's credential. */
export function GuestRoomPage() {
  const { seriesId = "", eventId = "" } = useParams();
  const [guest, setGuest] = useState<GuestCredential | null>(() => loadGuest(seriesId));
  const event = useQuery({ ...chatQueries.guestEvent(eventId, guest?.token ?? ""), enabled: guest !== null });
  useDocumentTitle(event.data ? `${event.data.seriesName} ${event.data.hashtag}` : "Community chat");
  if (!guest) return <Navigate to={`/chats/public/${seriesId}`} replace />;
  if (event.isPending) return <Spinner label="Opening the room…" />;
  if (event.isError) {
    const error = asApiError(event.error);
    if (error.status === 401) {
      // The token was replaced (a sign-up with this email elsewhere): this device's sign-up has ended.
      return (
        <PublicLayout>
          <section className="panel chat-public__card">
            <h1 className="page-title">Please join again</h1>
            <p>Your sign-up on this device has ended, most likely because this email was used to join from another device.</p>
            <Link
              className="button button--primary"
              to={`/chats/public/${seriesId}`}
              onClick={() => {
                forgetGuest(seriesId);
              }}
            >
              Join again
            </Link>
          </section>
        </PublicLayout>
      );
    }
    if (error.status === 404 || error.status === 403) return <NotFound />;
    return (
      <PublicLayout>
        <ErrorState error={error} onRetry={() => void event.refetch()} />
      </PublicLayout>
    );
  }
  return (
    <PublicLayout>
      <Room
        event={event.data}
        guest={{
          auth: { guestToken: guest.token },
          breadcrumb: { to: `/chats/public/${seriesId}`, label: event.data.seriesName },
          notice: <VerifyNotice guest={guest} onChange={setGuest} />,
        }}
      />
    </PublicLayout>
  );
}

/** A public series' chat after it ended: its transcript grouped by question, for anyone with the link. */
export function PublicTranscriptPage() {
  const { seriesId = "", eventId = "" } = useParams();
  const t = useQuery(chatQueries.publicTranscript(eventId));
  useDocumentTitle(t.data ? `${t.data.event.seriesName} ${t.data.event.hashtag}: transcript` : "Chat transcript");
  if (t.isPending) return <Spinner label="Loading the transcript…" />;
  if (t.isError) {
    const error = asApiError(t.error);
    if (error.status === 404) return <NotFound />;
    return (
      <PublicLayout>
        <section className="panel chat-public__card">
          <h1 className="page-title">Transcript not ready</h1>
          <ErrorState error={error} onRetry={() => void t.refetch()} />
          <p>
            <Link to={`/chats/public/${seriesId}`}>Back to the chat</Link>
          </p>
        </section>
      </PublicLayout>
    );
  }
  const { event } = t.data;
  return (
    <PublicLayout>
      <div className="chats-page">
        <p>
          <Link to={`/chats/public/${event.publicSeriesId ?? seriesId}`}>← {event.seriesName}</Link>
        </p>
        <h1 className="page-title">
          {event.seriesName} {event.hashtag}: transcript
        </h1>
        <p className="chat-muted chat-public__when">{formatWhen(event.startsAt)}</p>
        <TranscriptBody transcript={t.data} />
      </div>
    </PublicLayout>
  );
}

/** The link in the verification email: confirms the address (once; a second visit says it already is). */
export function VerifyGuestPage() {
  useDocumentTitle("Confirm your email");
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [result, setResult] = useState<{ ok?: TGuestVerification; error?: ApiError } | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    chatsApi.verifyGuest(token).then(
      (ok) => {
        const stored = loadGuest(ok.seriesId);
        if (stored) saveGuest(ok.seriesId, { ...stored, emailVerified: true }, stored.email);
        setResult({ ok });
      },
      (err: unknown) => setResult({ error: asApiError(err) }),
    );
  }, [token]);
  return (
    <PublicLayout>
      <section className="panel chat-public__card chat-public__narrow" aria-live="polite">
        <h1 className="page-title">Confirm your email</h1>
        {!result ? <Spinner label="Confirming…" /> : null}
        {result?.ok ? (
          <>
            <Notice tone="success">
              {result.ok.outcome === "verified"
                ? `Thank you, ${result.ok.name}: your email is confirmed. You will get reminders for ${result.ok.seriesName}.`
                : `This email was already confirmed for ${result.ok.seriesName}; nothing more to do.`}
            </Notice>
            <p>
              <Link to={`/chats/public/${result.ok.seriesId}`}>Go to {result.ok.seriesName}</Link>
            </p>
          </>
        ) : null}
        {result?.error ? (
          <Notice tone="warning">
            {result.error.status === 410
              ? result.error.message
              : result.error.status === 404 || result.error.status === 400
                ? "This link is not valid: it may be incomplete, or a newer link has replaced it. Open the chat and ask for a new link."
                : result.error.message}
          </Notice>
        ) : null}
      </section>
    </PublicLayout>
  );
}
