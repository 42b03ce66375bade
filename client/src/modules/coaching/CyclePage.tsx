import { useEffect, useMemo, useState } from "react";
import { Link, useLocation, useParams } from "react-router-dom";
import { CoachingLimits } from "../../../../shared/limits.js";
import { z } from "zod";
import { CYCLE_STAGES, ZAddStepRequest, ZCreateCycleRequest, type CycleStage, type TCycle } from "../../../../shared/schemas/coaching.js";
import { asApiError, type ApiError } from "../../api/client.js";
import { coachingApi, coachingKeys, coachingQueries } from "./api.js";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { EmptyState, ErrorState, FormAlert, Notice, PageHeader, Spinner } from "../../components/Feedback.js";
import { Icon } from "../../components/Icon.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { readNotice } from "../../lib/navigation.js";
import { useMe } from "../../lib/session.js";
import { Form, FormSelectField, FormTextAreaField, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { useCoachingAccess } from "./access.js";
import { addDays, formatDateShort, isIsoDate, todayLocal } from "./calendar.js";
import { useCategories } from "./data.js";
import { EntryCard } from "./EntryCard.js";
import { formatMinutes } from "./format.js";
import { STAGE_TRACK, StageTrack, StatusBadge, stageLabel } from "./stages.js";

/** The first stage on the path with no step yet: what the coach most likely records next. */
function suggestedStage(cycle: TCycle): CycleStage {
  const done = new Set(cycle.steps.map((s) => s.stage));
  for (const step of STAGE_TRACK) {
    if (!step.stages.some((s) => done.has(s))) return step.stages[0] ?? "next_step";
  }
  return "next_step";
}

/** One coaching cycle: where it started, its steps as a timeline, its status, and the time logged to it. */
export function CyclePage() {
  const { id = "" } = useParams();
  const me = useMe();
  const access = useCoachingAccess();
  const location = useLocation();
  const cycle = useQuery(coachingQueries.cycle(id));
  const queryClient = useQueryClient();
  const setCycle = (updated: TCycle) => queryClient.setQueryData(coachingKeys.cycle(updated.id), updated);
  const c = cycle.data;
  useDocumentTitle(c ? c.title : "Coaching cycle");
  const [notice, setNotice] = useState<string | null>(readNotice(location.state));
  const [statusError, setStatusError] = useState<ApiError | null>(null);
  const [isChangingStatus, setIsChangingStatus] = useState(false);
  const [isEditing, setIsEditing] = useState(false);

  if (cycle.error) return <ErrorState error={cycle.error} onRetry={() => void cycle.refetch()} />;
  if (!c) return <Spinner label="Loading the cycle…" />;

  const isManager = c.coach.id === me.person.id || access.isAdmin;
  const isCycleTeacher = c.teachers.some((t) => t.id === me.person.id);
  const canAddStep = isManager || isCycleTeacher;

  const setStatus = async (status: TCycle["status"]) => {
    setIsChangingStatus(true);
    setStatusError(null);
    try {
      const updated = await coachingApi.updateCycle(c.id, { status });
      setCycle(updated);
      setNotice(status === "complete" ? "Marked complete." : status === "paused" ? "Paused. Resume it any time." : "Active again.");
    } catch (cause) {
      setStatusError(asApiError(cause));
    } finally {
      setIsChangingStatus(false);
    }
  };

  return (
    <>
      <PageHeader
        breadcrumb={{ to: "/coaching/cycles", label: isManager ? "Cycles" : "My coaching cycles" }}
        title={
          <span className="title-with-avatar">
            {c.title}
            <StatusBadge status={c.status} />
          </span>
        }
        description={`${c.teachers.map((t) => t.name).join(", ")} · ${c.school.name} · Coach ${c.coach.name}`}
        actions={
          isManager ? (
            <>
              {c.coach.id === me.person.id && c.status === "active" ? (
                <Link className="button button--primary" to={`/coaching?cycleId=${encodeURIComponent(c.id)}`}>
                  <Icon name="plus" size={16} />
                  Log time for this cycle
                </Link>
              ) : null}
              {c.status === "active" ? (
                <>
                  <button type="button" className="button" onClick={() => void setStatus("paused")} disabled={isChangingStatus}>
                    Pause
                  </button>
                  <button type="button" className="button" onClick={() => void setStatus("complete")} disabled={isChangingStatus}>
                    <Icon name="check" size={16} />
                    Mark complete
                  </button>
                </>
              ) : (
                <button type="button" className="button" onClick={() => void setStatus("active")} disabled={isChangingStatus}>
                  {c.status === "paused" ? "Resume" : "Reopen"}
                </button>
              )}
            </>
          ) : null
        }
      />

      <div className="log-status" role="status" aria-live="polite">
        {notice ? <Notice tone="success">{notice}</Notice> : null}
      </div>
      <FormAlert error={statusError} />

      <div className="cycle-layout">
        <div className="cycle-layout__main">
          {isEditing ? (
            <EditCycleForm
              cycle={c}
              onCancel={() => setIsEditing(false)}
              onSaved={(updated) => {
                setCycle(updated);
                setIsEditing(false);
                setNotice("Saved.");
              }}
            />
          ) : (
            <section className={`starting-point starting-point--${c.startingPoint}`} aria-labelledby="starting-point-title">
              <h2 id="starting-point-title" className="starting-point__label">
                {c.startingPoint === "outcome" ? "Expected learning outcome" : "Classroom problem"}
              </h2>
              <p className="starting-point__text">{c.startingText}</p>
              {isManager ? (
                <button type="button" className="link-button starting-point__edit" onClick={() => setIsEditing(true)}>
                  Edit title and starting point
                </button>
              ) : null}
            </section>
          )}

          <section className="section" aria-labelledby="timeline-title">
            <h2 id="timeline-title" className="section__title">
              Steps
            </h2>
            <StageTrack cycle={c} />
            {c.steps.length === 0 ? (
              <EmptyState title="No steps yet" isCompact>
                {isManager ? "Record the goal you agreed on first; each step keeps its date and notes." : "Your coach records the steps; you can add reflections."}
              </EmptyState>
            ) : (
              <ol className="timeline">
                {c.steps.map((step) => (
                  <li key={step.id} className={`timeline__item timeline__item--${step.stage}`}>
                    <span className="timeline__dot" aria-hidden="true" />
                    <div className="timeline__body">
                      <div className="timeline__head">
                        <span className="timeline__stage">{stageLabel(step.stage)}</span>
                        <time className="timeline__date" dateTime={step.date}>
                          {formatDateShort(step.date)}
                        </time>
                        <span className="timeline__author">{step.author.name}</span>
                      </div>
                      <p className="timeline__notes">{step.notes}</p>
                    </div>
                  </li>
                ))}
              </ol>
            )}
            {canAddStep ? (
              <AddStepForm
                cycle={c}
                isTeacher={!isManager}
                onAdded={(updated) => {
                  setCycle(updated);
                  setNotice(isManager ? "Step added." : "Reflection added. Your coach will see it.");
                }}
              />
            ) : null}
          </section>
        </div>

        <aside className="cycle-layout__aside">
          <dl className="panel description-list cycle-facts">
            <div>
              <dt>Status</dt>
              <dd>
                <StatusBadge status={c.status} />
              </dd>
            </div>
            <div>
              <dt>Teachers</dt>
              <dd>{c.teachers.map((t) => t.name).join(", ")}</dd>
            </div>
            <div>
              <dt>School</dt>
              <dd>{c.school.name}</dd>
            </div>
            <div>
              <dt>Coach</dt>
              <dd>{c.coach.name}</dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>{formatDateShort(c.createdAt.slice(0, 10))}</dd>
            </div>
            {c.completedAt ? (
              <div>
                <dt>Completed</dt>
                <dd>{formatDateShort(c.completedAt.slice(0, 10))}</dd>
              </div>
            ) : null}
            <div>
              <dt>Time logged</dt>
              <dd>{formatMinutes(c.minutesLogged)}</dd>
            </div>
          </dl>
          {isManager && access.canLog ? <CycleEntries cycle={c} isOwn={c.coach.id === me.person.id} /> : null}
        </aside>
      </div>
    </>
  );
}

type StepValues = { stage: CycleStage; date: string; notes: string };

/** A step checked as the shared ZAddStepRequest, with the words a coach (or the cycle's teacher) reads. */
function stepSchema(isTeacher: boolean) {
  return ZAddStepRequest.extend({ date: z.string(), notes: z.string() }).superRefine((values, ctx) => {
    if (!values.notes.trim()) {
      ctx.addIssue({ code: "custom", path: ["notes"], message: isTeacher ? "Write your reflection" : "Add a note on what happened or was decided" });
    } else if (values.notes.trim().length > CoachingLimits.maxNotes) {
      ctx.addIssue({ code: "custom", path: ["notes"], message: `Use at most ${CoachingLimits.maxNotes} characters` });
    }
    if (!isIsoDate(values.date)) ctx.addIssue({ code: "custom", path: ["date"], message: "Enter a date" });
    else if (values.date > addDays(todayLocal(), CoachingLimits.maxDaysAhead)) ctx.addIssue({ code: "custom", path: ["date"], message: "This date is in the future" });
  });
}

function AddStepForm({ cycle, isTeacher, onAdded }: { cycle: TCycle; isTeacher: boolean; onAdded: (cycle: TCycle) => void }) {
  const schema = useMemo(() => stepSchema(isTeacher), [isTeacher]);
  const form = useZodForm(schema, { stage: isTeacher ? "reflect" : suggestedStage(cycle), date: todayLocal(), notes: "" });

  // After a step is added elsewhere (or here), suggest the next stage.
  const stepCount = cycle.steps.length;
  const suggestion = suggestedStage(cycle);
  useEffect(() => {
    if (!isTeacher) form.setValue("stage", suggestion);
  }, [stepCount, suggestion, isTeacher, form]);

  const submit = async (values: StepValues) => {
    const updated = await coachingApi.addStep(cycle.id, { ...values, notes: values.notes.trim() });
    form.reset({ ...values, notes: "" });
    onAdded(updated);
  };

  return (
    <Form
      form={form}
      onSubmit={submit}
      className="form form--panel form--inline-panel add-step"
      aria-labelledby="add-step-title"
      heading={
        <h3 id="add-step-title" className="form__title">
          {isTeacher ? "Add a reflection" : "Add a step"}
        </h3>
      }
    >
      <div className="form-row">
        {isTeacher ? null : <FormSelectField name="stage" label="Stage" options={CYCLE_STAGES.map((s) => ({ value: s, label: stageLabel(s) }))} />}
        <FormTextField name="date" label="Date" type="date" max={addDays(todayLocal(), 1)} />
      </div>
      <FormTextAreaField
        name="notes"
        label={isTeacher ? "Your reflection" : "Notes"}
        rows={3}
        maxLength={CoachingLimits.maxNotes}
        hint={isTeacher ? "What worked for your students? What would you change next time?" : "What was planned, taught, seen or decided."}
      />
      <div className="form__actions">
        <SubmitButton label={isTeacher ? "Add reflection" : "Add step"} pendingLabel="Saving…" />
      </div>
    </Form>
  );
}

/** Title and starting text, checked as the shared create request checks them (both required). */
const ZEditCycleForm = ZCreateCycleRequest.pick({ title: true, startingText: true });

function EditCycleForm({ cycle, onCancel, onSaved }: { cycle: TCycle; onCancel: () => void; onSaved: (cycle: TCycle) => void }) {
  const form = useZodForm(ZEditCycleForm, { title: cycle.title, startingText: cycle.startingText });
  return (
    <Form form={form} onSubmit={async (values) => onSaved(await coachingApi.updateCycle(cycle.id, values))} className="form form--panel form--inline-panel">
      <FormTextField name="title" label="Title" maxLength={160} />
      <FormTextAreaField
        name="startingText"
        label={cycle.startingPoint === "outcome" ? "Expected learning outcome" : "Classroom problem"}
        rows={4}
        maxLength={CoachingLimits.maxNotes}
      />
      <div className="form__actions">
        <SubmitButton label="Save" pendingLabel="Saving…" />
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Form>
  );
}

/** Log entries attached to the cycle (the coach's own; admins see the cycle's coach's). */
function CycleEntries({ cycle, isOwn }: { cycle: TCycle; isOwn: boolean }) {
  const { colors } = useCategories();
  const entries = useQuery({
    ...coachingQueries.entries({ cycleId: cycle.id, coachId: isOwn ? undefined : cycle.coach.id, limit: 50 }),
    placeholderData: keepPreviousData,
  });
  return (
    <section className="cycle-entries" aria-labelledby="cycle-entries-title">
      <h2 id="cycle-entries-title" className="section__title">
        Logged activities
      </h2>
      {entries.error ? (
        <ErrorState error={entries.error} onRetry={() => void entries.refetch()} />
      ) : !entries.data ? (
        <Spinner label="Loading entries…" />
      ) : entries.data.items.length === 0 ? (
        <p className="muted">
          Nothing logged to this cycle yet.
          {isOwn && cycle.status === "active" ? (
            <>
              {" "}
              <Link to={`/coaching?cycleId=${encodeURIComponent(cycle.id)}`}>Log time for it</Link>.
            </>
          ) : null}
        </p>
      ) : (
        <ul className="entry-list entry-list--compact">
          {entries.data.items.map((entry) => (
            <EntryCard
              key={entry.id}
              entry={entry}
              color={colors.get(entry.category.id)}
              isEditable={false}
              hasCycleLink={false}
              showDate={formatDateShort(entry.date)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
