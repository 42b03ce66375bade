import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { compositeFormula } from "../../../../../shared/observation-composites.js";
import { singleLine } from "../../../../../shared/schemas/common.js";
import type { TCompositeList } from "../../../../../shared/schemas/observation-reports.js";
import { asApiError, type ApiError } from "../../../api/client.js";
import { ErrorState, FormAlert, Spinner } from "../../../components/Feedback.js";
import { Form, FormTextField, SubmitButton, useZodForm } from "../../../kits/form/Form.js";
import { useDocumentTitle } from "../../../lib/hooks.js";
import { reportKeys, reportQueries, reportsApi } from "./api.js";
import "./reports.css";

// The form holds one weight per metric (blank or 0: not used); the request lists the used ones as terms.
const ZCompositeForm = z.object({
  name: singleLine({ max: 80 }),
  description: z.string().trim().max(500),
  weights: z.array(z.string().trim().refine((v) => v === "" || (Number.isFinite(Number(v)) && Number(v) >= 0 && Number(v) <= 1000), "must be a number from 0 to 1000")),
});

/** Settings → Composite scores: the district's named composites (district admins define them). */
export function CompositesPage() {
  useDocumentTitle("Composite scores");
  const list = useQuery(reportQueries.composites());
  const queryClient = useQueryClient();
  const [deleteError, setDeleteError] = useState<ApiError | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: reportKeys.all });
  if (list.error) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  if (!list.data) return <Spinner label="Loading composites…" />;
  const { items, metrics } = list.data;
  return (
    <div className="obs-composites-settings">
      <p className="page-description">
        A composite score is a weighted combination of metrics, each from 0 to 1, shown on every report as a score from 0 to 100 with its formula beside it. Weights need not add
        up to 1: the score divides by their total.
      </p>
      <FormAlert error={deleteError} />
      {items.length === 0 ? (
        <p className="obs-muted">No composite scores yet.</p>
      ) : (
        <ul className="obs-composites__list">
          {items.map((c) => (
            <li key={c.id} className="obs-composite">
              <span className="obs-composite__name">{c.name}</span>
              <code className="obs-composite__formula">{c.formula}</code>
              <button
                type="button"
                className="button button--small"
                onClick={() => {
                  setDeleteError(null);
                  reportsApi.deleteComposite(c.id).then(refresh, (e: unknown) => setDeleteError(asApiError(e)));
                }}
              >
                Delete<span className="visually-hidden"> {c.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <NewCompositeForm metrics={metrics} onCreated={refresh} />
    </div>
  );
}

function NewCompositeForm({ metrics, onCreated }: { metrics: TCompositeList["metrics"]; onCreated: () => void }) {
  const form = useZodForm(ZCompositeForm, { name: "", description: "", weights: metrics.map(() => "") });
  const weights = form.watch("weights");
  const terms = metrics.flatMap((m, i) => (Number(weights[i] ?? "") > 0 ? [{ metric: m.key, weight: Number(weights[i]) }] : []));
  const name = form.watch("name");
  return (
    <Form
      form={form}
      className="form form--panel"
      aria-labelledby="new-composite-title"
      heading={
        <h2 id="new-composite-title" className="form__title">
          New composite score
        </h2>
      }
      onSubmit={async (values) => {
        await reportsApi.createComposite({ name: values.name, description: values.description, terms });
        form.reset({ name: "", description: "", weights: metrics.map(() => "") });
        onCreated();
      }}
    >
      <div className="form-row">
        <FormTextField name="name" label="Name" maxLength={80} placeholder="Pilot score" />
        <FormTextField name="description" label="Description (optional)" maxLength={500} />
      </div>
      <fieldset className="obs-weights">
        <legend>Weights</legend>
        {metrics.map((m, i) => (
          <FormTextField key={m.key} name={`weights.${i}`} label={m.label} hint={m.description} inputMode="decimal" placeholder="0" />
        ))}
      </fieldset>
      <p className="obs-formula-preview">
        <span className="obs-muted">Formula: </span>
        <code>{terms.length ? compositeFormula({ name: name || "score", terms }, metrics) : "give at least one metric a weight"}</code>
      </p>
      <div className="form__actions">
        <SubmitButton label="Add composite" pendingLabel="Adding…" />
      </div>
    </Form>
  );
}
