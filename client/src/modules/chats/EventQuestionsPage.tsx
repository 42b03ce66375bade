import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useWatch } from "react-hook-form";
import { Link, useParams } from "react-router-dom";
import { z } from "zod";
import { ChatLimits, type TChatEvent, type TChatQuestion } from "../../../../shared/schemas/chats.js";
import { ApiError, asApiError } from "../../api/client.js";
import { EmptyState, ErrorState, FormAlert, PageHeader, Spinner } from "../../components/Feedback.js";
import { Form, FormCheckboxField, FormTextAreaField, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { chatKeys, chatQueries, chatsApi, formatWhen } from "./api.js";
import "./chats.css";

const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** "9:05 PM EST", in a zone (the viewer's when none). */
function clock(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit", timeZoneName: "short", ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));
}

/** A question's time, in the viewer's zone and (when it differs) the series' zone. */
export function QuestionTime({ iso, seriesZone }: { iso: string; seriesZone: string | undefined }) {
  const mine = clock(iso);
  const theirs = seriesZone ? clock(iso, seriesZone) : null;
  return (
    <span className="chat-qtime">
      <time dateTime={iso}>{mine}</time>
      {theirs && seriesZone !== localZone && theirs !== mine ? <span className="chat-muted"> · {theirs} for the chat</span> : null}
    </span>
  );
}

const addMinutes = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
const durationOf = (e: TChatEvent) => Math.round((Date.parse(e.endsAt) - Date.parse(e.startsAt)) / 60_000);

/** One event's questions, for its moderators: add, edit, reorder and delete them until they are posted. */
export function EventQuestionsPage() {
  const { id = "" } = useParams();
  const event = useQuery(chatQueries.event(id));
  const series = useQuery({ ...chatQueries.oneSeries(event.data?.seriesId ?? ""), enabled: event.data !== undefined });
  useDocumentTitle(event.data ? `Questions: ${event.data.title}` : null);
  if (event.isPending) return <Spinner label="Loading the chat…" />;
  if (event.isError) return <ErrorState error={asApiError(event.error)} onRetry={() => void event.refetch()} />;
  const e = event.data;
  if (!e.abilities.canModerate) return <ErrorState error={new ApiError({ status: 403, code: "forbidden", message: "Only the chat's moderators and co-moderators edit its questions." })} />;
  const zone = series.data?.recurrence.timeZone;
  return (
    <div className="chats-page chat-questions">
      <PageHeader
        title="Questions"
        description={
          <>
            {e.seriesName} {e.hashtag}, {formatWhen(e.startsAt)} ({durationOf(e)} minutes). Times are shown in your time zone
            {zone && zone !== localZone ? ` and the chat's (${zone.replaceAll("_", " ")})` : ""}.
          </>
        }
        breadcrumb={{ to: `/chats/series/${e.seriesId}`, label: e.seriesName }}
        actions={
          <Link className="button" to={`/chats/events/${e.id}`}>
            Open the room
          </Link>
        }
      />
      {e.phase === "ended" || e.phase === "cancelled" ? <p className="chat-warning">This chat has {e.phase === "ended" ? "ended" : "been cancelled"}: its questions can no longer change.</p> : null}
      <QuestionList event={e} zone={zone} />
      {e.phase !== "ended" && e.phase !== "cancelled" ? <AddQuestion event={e} zone={zone} /> : null}
    </div>
  );
}

function QuestionList({ event, zone }: { event: TChatEvent; zone: string | undefined }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const qs = event.questions;
  const refresh = () => queryClient.invalidateQueries({ queryKey: chatKeys.event(event.id) });
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (cause) {
      setError(asApiError(cause));
    } finally {
      await refresh();
      setBusy(false);
    }
  };
  // Questions go up in offset order: moving one earlier or later trades times with its neighbour
  // (the closing question stays last, and posted questions stay where they are).
  const neighbour = (q: TChatQuestion, step: -1 | 1) => {
    const order = qs.filter((x) => x.isClosing === q.isClosing);
    const other = order[order.indexOf(q) + step];
    return other && !other.postedAt ? other : null;
  };
  const move = (q: TChatQuestion, step: -1 | 1) => {
    const other = neighbour(q, step);
    if (!other) return;
    const mine = other.offsetMinutes === q.offsetMinutes ? Math.max(0, q.offsetMinutes + step) : other.offsetMinutes;
    void run(async () => {
      await chatsApi.updateQuestion(q.id, { offsetMinutes: mine });
      if (other.offsetMinutes !== q.offsetMinutes) await chatsApi.updateQuestion(other.id, { offsetMinutes: q.offsetMinutes });
    });
  };
  if (qs.length === 0) {
    return (
      <section className="panel" aria-labelledby="q-list">
        <h2 id="q-list" className="panel__title">
          This chat's questions
        </h2>
        <EmptyState isCompact title="No questions yet">
          Add the questions below: each goes up by itself at its time as Q1, Q2…, and the closing question last.
        </EmptyState>
      </section>
    );
  }
  return (
    <section className="panel" aria-labelledby="q-list">
      <h2 id="q-list" className="panel__title">
        This chat's questions
      </h2>
      <FormAlert error={error} />
      <ol className="chat-qlist">
        {qs.map((q) => {
          const isPast = !q.postedAt && Date.parse(q.postAt) <= Date.now();
          const isLocked = q.postedAt !== null || isPast || event.phase === "ended" || event.phase === "cancelled";
          return (
            <li key={q.id} className={`chat-qitem${q.postedAt ? " chat-qitem--posted" : ""}`}>
              <div className="chat-qitem__head">
                <span className="chat-label">{q.label}</span>
                <span>
                  {q.offsetMinutes} min in · <QuestionTime iso={q.postAt} seriesZone={zone} />
                </span>
              </div>
              {editing === q.id ? (
                <EditQuestion event={event} question={q} zone={zone} onDone={() => setEditing(null)} />
              ) : (
                <>
                  <p className="chat-qitem__text">{q.text}</p>
                  {q.postedAt ? (
                    <p className="chat-muted">Posted at {clock(q.postedAt)}: a posted question can no longer change (hide it in the room if you must).</p>
                  ) : isPast ? (
                    <p className="chat-muted">Its time has come: it is being posted and can no longer change.</p>
                  ) : null}
                  {isLocked ? null : confirming === q.id ? (
                    <div className="chat-qitem__actions" role="group" aria-label={`Delete ${q.label}?`}>
                      <button type="button" className="button button--small button--danger" disabled={busy} onClick={() => void run(() => chatsApi.deleteQuestion(q.id)).then(() => setConfirming(null))}>
                        Delete {q.label}
                      </button>
                      <button type="button" className="button button--small" onClick={() => setConfirming(null)}>
                        Keep it
                      </button>
                    </div>
                  ) : (
                    <div className="chat-qitem__actions">
                      <button type="button" className="button button--small" onClick={() => setEditing(q.id)}>
                        Edit <span className="visually-hidden">{q.label}</span>
                      </button>
                      {q.isClosing ? null : (
                        <>
                          <button type="button" className="button button--small" disabled={busy || !neighbour(q, -1)} onClick={() => move(q, -1)}>
                            Move earlier <span className="visually-hidden">{q.label}</span>
                          </button>
                          <button type="button" className="button button--small" disabled={busy || !neighbour(q, 1)} onClick={() => move(q, 1)}>
                            Move later <span className="visually-hidden">{q.label}</span>
                          </button>
                        </>
                      )}
                      <button type="button" className="button button--small" onClick={() => setConfirming(q.id)}>
                        Delete <span className="visually-hidden">{q.label}</span>
                      </button>
                    </div>
                  )}
                </>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

const ZQuestionForm = z.object({
  text: z.string().trim().min(1, "Write the question").max(ChatLimits.maxQuestionLength),
  offsetMinutes: z.string().regex(/^\d{1,3}$/, "Minutes after the start, a whole number"),
  isClosing: z.boolean(),
});
type QuestionForm = z.infer<typeof ZQuestionForm>;

/** When the question would go up, as the offset is typed. */
function WhenPreview({ event, zone }: { event: TChatEvent; zone: string | undefined }) {
  const offset = useWatch<QuestionForm, "offsetMinutes">({ name: "offsetMinutes" });
  if (!/^\d{1,3}$/.test(offset)) return null;
  const minutes = Number(offset);
  if (minutes > durationOf(event)) return <p className="chat-muted">After the chat ends ({durationOf(event)} minutes).</p>;
  return (
    <p className="chat-muted" aria-live="polite">
      Goes up at <QuestionTime iso={addMinutes(event.startsAt, minutes)} seriesZone={zone} />
    </p>
  );
}

function EditQuestion({ event, question, zone, onDone }: { event: TChatEvent; question: TChatQuestion; zone: string | undefined; onDone: () => void }) {
  const queryClient = useQueryClient();
  const form = useZodForm(ZQuestionForm, { text: question.text, offsetMinutes: String(question.offsetMinutes), isClosing: question.isClosing });
  const onSubmit = async (v: QuestionForm) => {
    const offsetMinutes = Number(v.offsetMinutes);
    await chatsApi.updateQuestion(question.id, {
      text: v.text,
      ...(offsetMinutes !== question.offsetMinutes ? { offsetMinutes } : {}),
      ...(v.isClosing !== question.isClosing ? { isClosing: v.isClosing } : {}),
    });
    await queryClient.invalidateQueries({ queryKey: chatKeys.event(event.id) });
    onDone();
  };
  const hasOtherClosing = event.questions.some((q) => q.isClosing && q.id !== question.id);
  return (
    <Form form={form} onSubmit={onSubmit} className="form chat-qform">
      <FormTextAreaField name="text" label={`${question.label}: question`} rows={2} />
      <FormTextField name="offsetMinutes" label="Minutes after the start" inputMode="numeric" />
      <WhenPreview event={event} zone={zone} />
      {hasOtherClosing ? null : <FormCheckboxField name="isClosing" label="Closing question" hint="Goes up last, labelled Closing." />}
      <div className="chat-create__actions">
        <SubmitButton label="Save" pendingLabel="Saving…" />
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </Form>
  );
}

function AddQuestion({ event, zone }: { event: TChatEvent; zone: string | undefined }) {
  const queryClient = useQueryClient();
  const hasClosing = event.questions.some((q) => q.isClosing);
  const last = Math.max(0, ...event.questions.filter((q) => !q.isClosing).map((q) => q.offsetMinutes));
  const next = Math.min(durationOf(event), last + 7);
  const form = useZodForm(ZQuestionForm, { text: "", offsetMinutes: String(next), isClosing: false });
  const onSubmit = async (v: QuestionForm) => {
    await chatsApi.addQuestion(event.id, { text: v.text, offsetMinutes: Number(v.offsetMinutes), isClosing: !hasClosing && v.isClosing });
    form.reset({ text: "", offsetMinutes: String(Math.min(durationOf(event), Number(v.offsetMinutes) + 7)), isClosing: false });
    await queryClient.invalidateQueries({ queryKey: chatKeys.event(event.id) });
  };
  if (event.questions.length >= ChatLimits.maxQuestions) return <p className="chat-muted">A chat has at most {ChatLimits.maxQuestions} questions.</p>;
  return (
    <section className="panel" aria-labelledby="q-add">
      <h2 id="q-add" className="panel__title">
        Add a question
      </h2>
      <Form form={form} onSubmit={onSubmit} className="form chat-qform">
        <FormTextAreaField name="text" label="Question" rows={2} hint={`Up to ${ChatLimits.maxQuestionLength} characters.`} />
        <FormTextField name="offsetMinutes" label="Minutes after the start" inputMode="numeric" />
        <WhenPreview event={event} zone={zone} />
        {hasClosing ? null : <FormCheckboxField name="isClosing" label="Closing question" hint="Goes up last, labelled Closing." />}
        <div className="chat-create__actions">
          <SubmitButton label="Add the question" pendingLabel="Adding…" />
        </div>
      </Form>
    </section>
  );
}
