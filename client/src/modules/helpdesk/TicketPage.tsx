import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { z } from "zod";
import { canOpenInventory } from "../../../../shared/policy/devices.js";
import { ASSET_STATUS_LABELS, type TAssetStatus } from "../../../../shared/schemas/devices.js";
import { HelpdeskLimits, TICKET_STATUS_LABELS, VISIBILITY_LABELS, type TicketStatus, type TTicket, type Visibility } from "../../../../shared/schemas/helpdesk.js";
import { asApiError } from "../../api/client.js";
import { ErrorState, FormAlert, Notice, PageHeader, Spinner } from "../../components/Feedback.js";
import { Form, FormSelectField, FormTextAreaField, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { TextField } from "../../components/Field.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useMe } from "../../lib/session.js";
import { helpdeskApi, helpdeskKeys, helpdeskQueries } from "./api.js";
import { PriorityBadge, SlaFlag, StatusBadge, when } from "./shared.js";

const ACTION_LABELS: Partial<Record<TicketStatus, string>> = {
  triaged: "Mark triaged",
  in_progress: "Start working",
  waiting: "Wait for the requester",
  resolved: "Mark resolved",
  closed: "Close",
};

/** One ticket: what is wrong, the conversation, photos, the workflow's next steps, the rating and the history. */
export function TicketPage() {
  const { id = "" } = useParams();
  const query = useQuery(helpdeskQueries.one(id));
  const t = query.data;
  // Why the rating form went away without this page's rating being saved (it was rated elsewhere).
  // Kept with its ticket: this page stays mounted when a link opens another ticket.
  const [refused, setRefused] = useState<{ ticketId: string; notice: string } | null>(null);
  const rateNotice = refused?.ticketId === id ? refused.notice : null;
  useDocumentTitle(t ? t.title : "Ticket");
  if (query.error) {
    return (
      <>
        <PageHeader title="Ticket" breadcrumb={{ to: "/helpdesk", label: "Help desk" }} />
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      </>
    );
  }
  if (!t) return <Spinner label="Loading the ticket…" />;
  return (
    <div className="hd-ticket">
      <PageHeader
        title={t.title}
        breadcrumb={t.can.work ? { to: "/helpdesk/queue", label: "Queue" } : { to: "/helpdesk", label: "Help desk" }}
        description={`${t.category.name} · ${[t.schoolName, t.location].filter(Boolean).join(", ")} · for ${t.requesterName}`}
      />
      <p className="hd-ticket__meta">
        <StatusBadge status={t.status} /> <PriorityBadge priority={t.priority} /> <SlaFlag t={t} />
        <span>{t.assigneeName ? `Taken by ${t.assigneeName}` : "Not taken yet"}</span>
        {t.department ? <span>Escalated to {t.department.name}{t.escalationDueOn ? `, due ${t.escalationDueOn}` : ""}</span> : null}
      </p>
      <div className="hd-ticket__grid">
        <div className="hd-ticket__main">
          <section className="panel" aria-labelledby="hd-desc">
            <h2 id="hd-desc" className="panel__title">The problem</h2>
            <p className="hd-pre">{t.description}</p>
            {t.attachments.length ? (
              <ul className="hd-photos" aria-label="Photos">
                {t.attachments.map((a, i) => (
                  <li key={a.id}>
                    <a href={a.url} target="_blank" rel="noreferrer">
                      <img src={a.url} alt={`Photo ${i + 1} of the problem`} width={a.width} height={a.height} loading="lazy" />
                    </a>
                  </li>
                ))}
              </ul>
            ) : null}
            {t.can.attach ? <PhotoUpload ticket={t} /> : null}
          </section>
          <Conversation ticket={t} />
        </div>
        <aside className="hd-ticket__side">
          {t.can.work ? <WorkPanel ticket={t} /> : null}
          {t.can.escalate && (t.status === "in_progress") ? <EscalatePanel ticket={t} /> : null}
          {t.device ? <DevicePanel ticket={t} /> : null}
          {t.can.rate ? <RatePanel ticket={t} onRefused={(notice) => setRefused({ ticketId: t.id, notice })} /> : null}
          {t.rating ? <RatedPanel rating={t.rating} notice={rateNotice} /> : rateNotice ? <Notice tone="warning">{rateNotice}</Notice> : null}
          <History ticket={t} />
        </aside>
      </div>
    </div>
  );
}

function useTicketUpdate(t: TTicket) {
  const queryClient = useQueryClient();
  return (next: TTicket) => {
    queryClient.setQueryData(helpdeskKeys.one(t.id), next);
    void queryClient.invalidateQueries({ queryKey: helpdeskKeys.all });
  };
}

function WorkPanel({ ticket: t }: { ticket: TTicket }) {
  const done = useTicketUpdate(t);
  const [error, setError] = useState<unknown>(null);
  const take = useMutation({ mutationFn: () => helpdeskApi.take(t.id), onSuccess: done, onError: setError });
  const move = useMutation({ mutationFn: (status: TicketStatus) => helpdeskApi.update(t.id, { status }), onSuccess: done, onError: setError });
  const busy = take.isPending || move.isPending;
  return (
    <section className="panel hd-first" aria-labelledby="hd-work">
      <h2 id="hd-work" className="panel__title">Work on it</h2>
      {error ? <FormAlert error={asApiError(error)} /> : null}
      <div className="hd-actions">
        {!t.assigneeId && ["new", "triaged", "in_progress", "waiting"].includes(t.status) ? (
          <button type="button" className="button button--primary" disabled={busy} onClick={() => take.mutate()}>
            Take this ticket
          </button>
        ) : null}
        {t.nextStatuses.map((s) => (
          <button key={s} type="button" className={`button${s === "resolved" ? " button--primary" : ""}`} disabled={busy} onClick={() => move.mutate(s)}>
            {/* Back to work from resolved is a reopening: "Start working" there read as the first step. */}
            {t.status === "resolved" && s === "in_progress" ? "Reopen" : (ACTION_LABELS[s] ?? TICKET_STATUS_LABELS[s])}
          </button>
        ))}
      </div>
      {t.status === "closed" ? <p className="hd-muted">This ticket is closed.</p> : null}
    </section>
  );
}

/** The device the ticket is about (devices module), and for those who manage it: send it to repair. */
function DevicePanel({ ticket: t }: { ticket: TTicket }) {
  const me = useMe();
  const done = useTicketUpdate(t);
  const [note, setNote] = useState("");
  const [error, setError] = useState<unknown>(null);
  const send = useMutation({ mutationFn: () => helpdeskApi.sendToRepair(t.id, { note }), onSuccess: done, onError: setError });
  const d = t.device;
  if (!d) return null;
  const status = d.status in ASSET_STATUS_LABELS ? ASSET_STATUS_LABELS[d.status as TAssetStatus] : d.status;
  return (
    <section className="panel" aria-labelledby="hd-device">
      <h2 id="hd-device" className="panel__title">Device</h2>
      <p className="hd-device">
        {canOpenInventory({ roles: me.person.roles }) ? (
          <Link to={`/devices/assets/${d.id}`} className="hd-device__tag">
            {d.tag}
          </Link>
        ) : (
          <strong className="hd-device__tag">{d.tag}</strong>
        )}{" "}
        <span className="hd-muted">{d.modelName}</span>
        <br />
        <span className="hd-device__status">{status}</span>
        {d.schoolName ? <span className="hd-muted"> · {d.schoolName}</span> : null}
      </p>
      {t.can.sendToRepair ? (
        <div className="hd-device__repair">
          {error ? <FormAlert error={asApiError(error)} /> : null}
          <TextField label="What to repair" value={note} onChange={setNote} isOptional maxLength={2000} placeholder="e.g. Cracked screen" />
          <button type="button" className="button" disabled={send.isPending} onClick={() => send.mutate()}>
            {send.isPending ? "Sending…" : "Send device to repair"}
          </button>
        </div>
      ) : null}
    </section>
  );
}

const ZMessage = z.object({ visibility: z.enum(["reply", "note", "staff_note"]), body: z.string().trim().min(1, "write something").max(HelpdeskLimits.maxMessage) });

function Conversation({ ticket: t }: { ticket: TTicket }) {
  const done = useTicketUpdate(t);
  const canned = useQuery({ ...helpdeskQueries.canned(), enabled: t.can.work });
  const form = useZodForm(ZMessage, { visibility: "reply", body: "" });
  const visibilities: Visibility[] = t.can.seeStaffNotes ? ["reply", "note", "staff_note"] : t.can.work ? ["reply", "note"] : ["reply"];
  return (
    <section className="panel" aria-labelledby="hd-conv">
      <h2 id="hd-conv" className="panel__title">Conversation</h2>
      {t.messages.length === 0 ? <p className="hd-muted">No messages yet.</p> : null}
      <ol className="hd-messages">
        {t.messages.map((m) => (
          <li key={m.id} className={`hd-message hd-message--${m.visibility}`}>
            <p className="hd-message__head">
              <strong>{m.authorName}</strong> <span className="hd-muted">{when(m.createdAt)}</span>
              {m.visibility !== "reply" ? <span className="hd-note-tag">{m.visibility === "note" ? "Internal note" : "Staff only"}</span> : null}
            </p>
            <p className="hd-pre">{m.body}</p>
          </li>
        ))}
      </ol>
      {t.can.reply && t.status !== "closed" ? (
        <Form
          form={form}
          className="form hd-composer"
          onSubmit={async (values) => {
            done(await helpdeskApi.message(t.id, values));
            form.reset({ visibility: values.visibility, body: "" });
          }}
        >
          {visibilities.length > 1 ? <FormSelectField name="visibility" label="Who sees it" options={visibilities.map((v) => ({ value: v, label: VISIBILITY_LABELS[v] }))} /> : null}
          {canned.data?.items.length ? (
            <label className="field">
              <span className="field__label">Canned reply</span>
              <select className="select" value="" onChange={(e) => { const c = canned.data?.items.find((x) => x.id === e.target.value); if (c) form.setValue("body", c.body); }}>
                <option value="">Insert a canned reply…</option>
                {canned.data.items.map((c) => (
                  <option key={c.id} value={c.id}>{c.title}</option>
                ))}
              </select>
            </label>
          ) : null}
          <FormTextAreaField name="body" label={t.can.work ? "Message" : "Reply to the help desk"} rows={3} />
          <SubmitButton label="Send" pendingLabel="Sending…" />
        </Form>
      ) : null}
    </section>
  );
}

function PhotoUpload({ ticket: t }: { ticket: TTicket }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const upload = useMutation({
    mutationFn: (file: File) => helpdeskApi.attach(t.id, file),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: helpdeskKeys.one(t.id) }),
    onError: setError,
  });
  return (
    <div className="hd-upload">
      {error ? <FormAlert error={asApiError(error)} /> : null}
      <label className="field">
        <span className="field__label">Add a photo</span>
        <input className="input" type="file" accept="image/*" disabled={upload.isPending} onChange={(e) => { const f = e.target.files?.[0]; if (f) { setError(null); upload.mutate(f); } e.target.value = ""; }} />
        <span className="field__hint">Location data in photos is removed.</span>
      </label>
      {upload.isPending ? <Spinner label="Uploading…" /> : null}
    </div>
  );
}

const ZRate = z.object({ score: z.string().regex(/^[1-5]$/, "choose 1 to 5 stars"), comment: z.string().trim().max(HelpdeskLimits.maxComment) });

/**
 * The rating form. A 409 means this page was stale: the ticket was rated meanwhile (another tab, another
 * device) or is no longer resolved. The ticket is read again so the page shows what is stored, not the
 * stars clicked here, and `onRefused` says why the form went away.
 */
function RatePanel({ ticket: t, onRefused }: { ticket: TTicket; onRefused: (notice: string) => void }) {
  const done = useTicketUpdate(t);
  const queryClient = useQueryClient();
  const form = useZodForm(ZRate, { score: "", comment: "" });
  const score = form.watch("score");
  const rate = async (v: z.output<typeof ZRate>) => {
    try {
      done(await helpdeskApi.rate(t.id, { score: Number(v.score), comment: v.comment }));
    } catch (cause) {
      const error = asApiError(cause);
      if (error.status !== 409) throw error;
      const fresh = await queryClient.fetchQuery({ ...helpdeskQueries.one(t.id), staleTime: 0 });
      void queryClient.invalidateQueries({ queryKey: helpdeskKeys.all });
      // Still open to rating (not expected after a 409): leave the form and its error where they are.
      if (fresh.can.rate) throw error;
      onRefused(
        fresh.rating
          ? "This ticket was already rated, perhaps from another tab or device, and a ticket is rated once. The rating shown is the one that was saved."
          : "This ticket can no longer be rated from this page: it changed since the page was opened, and is shown as it is now.",
      );
    }
  };
  return (
    <section className="panel hd-rate hd-first" aria-labelledby="hd-rate">
      <h2 id="hd-rate" className="panel__title">How was the help?</h2>
      <Form form={form} onSubmit={rate}>
        <fieldset className="hd-stars-input">
          <legend>Your rating</legend>
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} className={Number(score) >= n ? "is-on" : undefined}>
              <input type="radio" name="score" value={String(n)} checked={score === String(n)} onChange={() => form.setValue("score", String(n), { shouldValidate: true })} />
              <span aria-hidden="true">★</span>
              <span className="visually-hidden">{n} of 5</span>
            </label>
          ))}
        </fieldset>
        {form.formState.errors.score ? <p className="field__error">{form.formState.errors.score.message}</p> : null}
        <FormTextAreaField name="comment" label="Anything to tell the helper?" isOptional rows={2} />
        <SubmitButton label="Send rating" pendingLabel="Sending…" />
      </Form>
    </section>
  );
}

/** The stored rating; after a refused rating, with why (focused, so the reader lands on it, not on the page's start). */
function RatedPanel({ rating, notice }: { rating: NonNullable<TTicket["rating"]>; notice: string | null }) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (notice) ref.current?.focus();
  }, [notice]);
  return (
    <section ref={ref} className="panel hd-rated" aria-labelledby="hd-rated" tabIndex={-1}>
      <h2 id="hd-rated" className="panel__title">Rating</h2>
      {notice ? <Notice tone="warning">{notice}</Notice> : null}
      <p className="hd-stars" role="img" aria-label={`${rating.score} of 5 stars`}>{"★".repeat(rating.score)}{"☆".repeat(5 - rating.score)}</p>
      {rating.comment ? <p className="hd-pre">{rating.comment}</p> : null}
    </section>
  );
}

const ZEscalate = z.object({ departmentId: z.string().min(1, "choose who should fix it"), dueOn: z.iso.date("choose a date"), note: z.string().trim().max(HelpdeskLimits.maxMessage) });

function EscalatePanel({ ticket: t }: { ticket: TTicket }) {
  const done = useTicketUpdate(t);
  const departments = useQuery(helpdeskQueries.departments());
  const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const form = useZodForm(ZEscalate, { departmentId: "", dueOn: inAWeek, note: "" });
  const active = (departments.data?.items ?? []).filter((d) => d.status === "active");
  return (
    <section className="panel" aria-labelledby="hd-esc">
      <h2 id="hd-esc" className="panel__title">Escalate</h2>
      {departments.data && active.length === 0 ? <Notice>No departments or contractors yet: a district admin adds them.</Notice> : null}
      <Form form={form} onSubmit={async (v) => done(await helpdeskApi.escalate(t.id, v))}>
        <FormSelectField name="departmentId" label="Department or contractor" options={[{ value: "", label: "Choose…" }, ...active.map((d) => ({ value: d.id, label: d.kind === "contractor" ? `${d.name} (contractor)` : d.name }))]} />
        <FormTextField name="dueOn" label="Fix by" type="date" />
        <FormTextAreaField name="note" label="What they should know" hint="Shown with the item on the punch list." isOptional rows={2} />
        <SubmitButton label="Escalate" pendingLabel="Escalating…" className="button" />
      </Form>
    </section>
  );
}

const FIELD_LABELS: Record<string, string> = {
  created: "Filed",
  status: "Status",
  assignee: "Taken by",
  priority: "Priority",
  category: "Category",
  queue: "Queue",
  escalated: "Escalated to",
  rating: "Rated",
  attachment: "Photo added",
  reply: "Replied",
  note: "Internal note",
  staff_note: "Staff note",
  device: "Sent the device to repair",
};

function History({ ticket: t }: { ticket: TTicket }) {
  const label = (v: string | null) => (v && v in TICKET_STATUS_LABELS ? TICKET_STATUS_LABELS[v as TicketStatus] : v);
  return (
    <section className="panel" aria-labelledby="hd-hist">
      <h2 id="hd-hist" className="panel__title">History</h2>
      <ol className="hd-history">
        {t.history.map((h) => (
          <li key={h.id}>
            <span className="hd-muted">{when(h.createdAt)}</span> {h.actorName}: {FIELD_LABELS[h.field] ?? h.field}
            {h.field === "status" ? ` ${label(h.from)} → ${label(h.to)}` : h.to && h.field !== "created" && h.field !== "device" ? ` ${h.to}` : ""}
          </li>
        ))}
      </ol>
    </section>
  );
}
