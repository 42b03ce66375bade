import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { z } from "zod";
import { ObservationLimits } from "../../../../shared/limits.js";
import { GRADE_LABELS, OBSERVATION_STATUS_LABELS, type TObservation } from "../../../../shared/schemas/observations.js";
import { asApiError } from "../../api/client.js";
import { ErrorState, FormAlert, Notice, PageHeader, Spinner } from "../../components/Feedback.js";
import { Form, FormTextAreaField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { observationKeys, observationQueries, observationsApi } from "./api.js";
import { CoachingLinks } from "./CoachingLinks.js";
import { levelName, MatrixTable } from "./Matrix.js";

/** One observation: the lesson, the level of each characteristic on the matrix, the feedback and the conversation about it. */
export function ObservationPage() {
  const { id = "" } = useParams();
  const query = useQuery(observationQueries.one(id));
  const o = query.data;
  const version = useQuery({ ...observationQueries.version(o?.rubric.versionId ?? ""), enabled: Boolean(o) });
  useDocumentTitle(o ? `Observation of ${o.teacher.name}` : "Observation");

  if (query.error) {
    return (
      <>
        <PageHeader title="Observation" breadcrumb={{ to: "/observations", label: "Observations" }} />
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      </>
    );
  }
  if (!o) return <Spinner label="Loading the observation…" />;
  const def = version.data?.definition;
  return (
    <div className="obs-page">
      <PageHeader
        title={`${o.teacher.name}, ${o.date}`}
        breadcrumb={{ to: "/observations", label: "Observations" }}
        description={[o.school.name, o.subject, o.grade ? GRADE_LABELS[o.grade] : null, o.startTime, o.durationMinutes ? `${o.durationMinutes} min` : null]
          .filter(Boolean)
          .join(" · ")}
        actions={<Actions observation={o} />}
      />
      <p className="obs-page__meta">
        <span className={`obs-status obs-status--${o.status}`}>{OBSERVATION_STATUS_LABELS[o.status]}</span>
        Observed by {o.observer.name} on the {o.rubric.name} (version {o.rubric.version})
        {o.acknowledgedAt ? <span className="obs-page__ack"> · Acknowledged by the teacher</span> : null}
      </p>

      <section className="panel obs-page__section" aria-labelledby="obs-matrix-title">
        <h2 id="obs-matrix-title" className="panel__title">
          Levels
        </h2>
        <ul className="obs-summary">
          {Object.entries(o.levels).map(([key, level]) => (
            <li key={key}>
              <span>{def?.dimensions.find((d) => d.key === key)?.name ?? key}</span>
              <strong className={level ? undefined : "is-none"}>{levelName(def, level)}</strong>
            </li>
          ))}
        </ul>
        {def ? <MatrixTable definition={def} levels={o.levels} caption={`The ${o.rubric.name} with the observed levels`} /> : <Spinner label="Loading the matrix…" />}
      </section>

      <section className="panel obs-page__section" aria-labelledby="obs-notes-title">
        <h2 id="obs-notes-title" className="panel__title">
          Notes and feedback
        </h2>
        <dl className="obs-notes">
          <dt>Technology in use</dt>
          <dd>{o.technology.length ? o.technology.map((t) => t.name).join(", ") : "—"}</dd>
          <dt>Evidence</dt>
          <dd>{o.evidence || "—"}</dd>
          <dt>Feedback</dt>
          <dd>{o.feedback || "—"}</dd>
          <dt>Suggested next step</dt>
          <dd>{o.nextStep || "—"}</dd>
        </dl>
      </section>

      <CoachingLinks observation={o} />

      {o.status === "shared" ? <Conversation observation={o} /> : null}
    </div>
  );
}

function Actions({ observation: o }: { observation: TObservation }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const done = (next: TObservation) => {
    queryClient.setQueryData(observationKeys.one(next.id), next);
    void queryClient.invalidateQueries({ queryKey: observationKeys.all });
  };
  const advance = useMutation({ mutationFn: (status: "submitted" | "shared") => observationsApi.update(o.id, { status }), onSuccess: done, onError: setError });
  const acknowledge = useMutation({ mutationFn: () => observationsApi.acknowledge(o.id), onSuccess: done, onError: setError });
  const remove = useMutation({
    mutationFn: () => observationsApi.remove(o.id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: observationKeys.all });
      void navigate("/observations");
    },
    onError: setError,
  });
  const isBusy = advance.isPending || acknowledge.isPending || remove.isPending;
  return (
    <div className="obs-actions">
      {error ? <FormAlert error={asApiError(error)} /> : null}
      {o.can.edit && o.status === "draft" ? (
        <button type="button" className="button" disabled={isBusy} onClick={() => advance.mutate("submitted")}>
          Submit
        </button>
      ) : null}
      {o.can.edit && o.status !== "shared" ? (
        <button type="button" className="button button--primary" disabled={isBusy} onClick={() => advance.mutate("shared")}>
          Share with {o.teacher.name}
        </button>
      ) : null}
      {o.can.acknowledge ? (
        <button type="button" className="button button--primary" disabled={isBusy} onClick={() => acknowledge.mutate()}>
          Acknowledge
        </button>
      ) : null}
      {o.can.delete ? (
        <button
          type="button"
          className="button button--danger-quiet"
          disabled={isBusy}
          onClick={() => {
            if (window.confirm("Delete this observation? It leaves every list and report.")) remove.mutate();
          }}
        >
          Delete
        </button>
      ) : null}
    </div>
  );
}

const ZComment = z.object({ body: z.string().trim().min(1, "Write a comment first").max(ObservationLimits.maxComment) });

function Conversation({ observation: o }: { observation: TObservation }) {
  const queryClient = useQueryClient();
  const form = useZodForm(ZComment, { body: "" });
  const onSubmit = async (values: { body: string }) => {
    const next = await observationsApi.comment(o.id, values.body);
    queryClient.setQueryData(observationKeys.one(o.id), next);
    form.reset({ body: "" });
  };
  return (
    <section className="panel obs-page__section" aria-labelledby="obs-talk-title">
      <h2 id="obs-talk-title" className="panel__title">
        Comments
      </h2>
      {o.comments.length === 0 ? <p className="obs-page__empty">No comments yet.</p> : null}
      <ol className="obs-comments">
        {o.comments.map((c) => (
          <li key={c.id}>
            <strong>{c.author.name}</strong> <time dateTime={c.createdAt}>{c.createdAt.slice(0, 10)}</time>
            <p>{c.body}</p>
          </li>
        ))}
      </ol>
      {o.can.comment ? (
        <Form form={form} onSubmit={onSubmit} className="form obs-comment-form">
          <FormTextAreaField name="body" label="Add a comment" rows={2} maxLength={ObservationLimits.maxComment} />
          <SubmitButton label="Comment" pendingLabel="Sending…" />
        </Form>
      ) : (
        <Notice>The teacher and the observer talk here.</Notice>
      )}
    </section>
  );
}
