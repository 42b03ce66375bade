import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { z } from "zod";
import { canHostChats } from "../../../../shared/policy/chats.js";
import { CHAT_WEEKDAYS } from "../../../../shared/schemas/chats.js";
import { asApiError } from "../../api/client.js";
import { EmptyState, ErrorState, PageHeader, Spinner } from "../../components/Feedback.js";
import { Form, FormSelectField, FormTextAreaField, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { useMe } from "../../lib/session.js";
import { chatQueries, chatsApi, chatKeys, formatWhen } from "./api.js";
import "./chats.css";

const AUDIENCE_LABEL = { public: "Public: anyone can join with a name and email", district: "Everyone on staff in the district", schools: "Staff of chosen schools" } as const;
const WEEKDAY_LABEL: Record<(typeof CHAT_WEEKDAYS)[number], string> = { MO: "Monday", TU: "Tuesday", WE: "Wednesday", TH: "Thursday", FR: "Friday", SA: "Saturday", SU: "Sunday" };

/** Community chats: the series you may join, and a form to start one (coaches). */
export function ChatsPage() {
  const me = useMe();
  const series = useQuery(chatQueries.series());
  const [isCreating, setIsCreating] = useState(false);
  const canHost = canHostChats({ roles: me.person.roles });
  return (
    <div className="chats-page">
      <PageHeader
        title="Community chats"
        description="Weekly question chats like #iiCHAT: questions go up on schedule, everyone answers A1, A2… in a live room, and the archive shows who joined."
        actions={
          <>
            <Link className="button" to="/chats/groups">
              Private groups
            </Link>
            {canHost && !isCreating ? (
              <button className="button button--primary" onClick={() => setIsCreating(true)}>
                Start a chat series
              </button>
            ) : null}
          </>
        }
      />
      {isCreating ? <CreateSeries onDone={() => setIsCreating(false)} /> : null}
      {series.isPending ? <Spinner label="Loading chats…" /> : series.isError ? <ErrorState error={asApiError(series.error)} onRetry={() => void series.refetch()} /> : null}
      {series.data && series.data.items.length === 0 ? <EmptyState title="No chats yet">{canHost ? "Start a series: pick a day and time, and your questions." : "When a coach starts a chat for you, it shows here."}</EmptyState> : null}
      <ul className="chat-cards">
        {series.data?.items.map((s) => (
          <li key={s.id} className="panel chat-card">
            <div className="chat-card__head">
              <Link to={`/chats/series/${s.id}`} className="chat-card__title">
                {s.name}
              </Link>
              <span className="chat-tag">{s.hashtag}</span>
            </div>
            <p className="chat-card__desc">{s.description}</p>
            <p className="chat-card__meta">
              {s.recurrence.frequency === "once" ? "Once" : `Every ${s.recurrence.frequency === "biweekly" ? "other " : ""}${WEEKDAY_LABEL[s.recurrence.weekday]}`} at {s.recurrence.startTime} ({s.recurrence.timeZone.replace("_", " ")}) · {s.durationMinutes} min ·{" "}
              {s.audience === "public" ? "Public" : s.audience === "district" ? "District staff" : "Chosen schools"}
            </p>
            {s.nextEvent ? (
              <p className="chat-card__next">
                Next: <strong>{formatWhen(s.nextEvent.startsAt)}</strong>{" "}
                <Link className="button button--small" to={`/chats/events/${s.nextEvent.id}`}>
                  {s.nextEvent.phase === "live" || s.nextEvent.phase === "open" ? "Join the room" : "Open"}
                </Link>
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

const ZSeriesForm = z.object({
  name: z.string().trim().min(1, "Name the chat").max(120),
  hashtag: z.string().trim().regex(/^#?[A-Za-z][A-Za-z0-9_]{1,49}$/, "Letters, digits and _ (e.g. #iiCHAT)"),
  description: z.string().max(2000),
  audience: z.enum(["public", "district", "schools"]),
  frequency: z.enum(["weekly", "biweekly", "monthly", "once"]),
  weekday: z.enum(CHAT_WEEKDAYS),
  startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM, 24-hour"),
  timeZone: z.string().min(1),
  startsOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Pick a date"),
  durationMinutes: z.string().regex(/^\d+$/, "Minutes"),
  questions: z.string().max(5000),
  welcomeText: z.string().max(560),
});
type SeriesForm = z.infer<typeof ZSeriesForm>;

function CreateSeries({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const form = useZodForm(ZSeriesForm, {
    name: "",
    hashtag: "",
    description: "",
    audience: "district",
    frequency: "weekly",
    weekday: "WE",
    startTime: "21:00",
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    startsOn: new Date().toISOString().slice(0, 10),
    durationMinutes: "30",
    questions: "5 | Q1: What does coaching the coaches mean to you?\n12 | Q2: What tool do you lean on most?\n25 | Closing: What will you try this week?",
    welcomeText: "Welcome! Introduce yourself: name, school, role. Answer Q1 with A1.",
  });
  const onSubmit = async (v: SeriesForm) => {
    const plan = v.questions
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean)
      .map((line) => {
        const [offset, ...rest] = line.split("|");
        const text = rest.join("|").trim().replace(/^(Q\d+|Closing):\s*/i, "");
        return { offsetMinutes: Number(offset?.trim() ?? 0), text, isClosing: /^\s*closing/i.test(rest.join("|")) };
      });
    const created = await chatsApi.createSeries({
      name: v.name,
      hashtag: v.hashtag,
      description: v.description,
      audience: v.audience,
      recurrence: { frequency: v.frequency, weekday: v.weekday, startTime: v.startTime, timeZone: v.timeZone, startsOn: v.startsOn },
      durationMinutes: Number(v.durationMinutes),
      questionPlan: plan,
      welcomeText: v.welcomeText,
      guideText: "New here? Each question is posted as Q1, Q2… Answer with A1, A2… so everyone can follow. Reply to others and like what helps you. Lurking is welcome too.",
    });
    await queryClient.invalidateQueries({ queryKey: chatKeys.all });
    onDone();
    void navigate(`/chats/series/${created.id}`);
  };
  return (
    <section className="panel chat-create" aria-labelledby="chat-create-title">
      <h2 id="chat-create-title" className="panel__title">
        Start a chat series
      </h2>
      <Form
        form={form}
        onSubmit={onSubmit}
        adaptServerIssues={(issues) => issues.map((i) => ({ ...i, path: i.path.replace("body.recurrence.", "body.").replace("body.questionPlan", "body.questions") }))}
      >
        <div className="chat-create__grid">
          <FormTextField name="name" label="Name" placeholder="Integration Innovation chat" />
          <FormTextField name="hashtag" label="Hashtag" placeholder="#iiCHAT" />
          <FormSelectField name="audience" label="Who can join" options={Object.entries(AUDIENCE_LABEL).map(([value, label]) => ({ value, label }))} />
          <FormSelectField
            name="frequency"
            label="How often"
            options={[
              { value: "weekly", label: "Every week" },
              { value: "biweekly", label: "Every other week" },
              { value: "monthly", label: "Once a month" },
              { value: "once", label: "Just once" },
            ]}
          />
          <FormSelectField name="weekday" label="Day" options={CHAT_WEEKDAYS.map((d) => ({ value: d, label: WEEKDAY_LABEL[d] }))} />
          <FormTextField name="startTime" label="Time" type="time" />
          <FormTextField name="timeZone" label="Time zone" hint="e.g. America/New_York" />
          <FormTextField name="startsOn" label="Starting" type="date" />
          <FormTextField name="durationMinutes" label="Length (minutes)" inputMode="numeric" />
        </div>
        <FormTextAreaField name="description" label="Description" isOptional rows={2} />
        <FormTextAreaField name="welcomeText" label="Welcome message" hint="Posted when the room opens." rows={2} />
        <FormTextAreaField name="questions" label="Questions" hint="One a line: minutes after the start | question. Start the last with Closing: for the short closing question." rows={5} />
        <div className="chat-create__actions">
          <SubmitButton label="Start the series" pendingLabel="Starting…" />
          <button type="button" className="button" onClick={onDone}>
            Cancel
          </button>
        </div>
      </Form>
    </section>
  );
}
