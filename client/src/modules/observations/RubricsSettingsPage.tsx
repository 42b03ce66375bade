import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { ObservationLimits } from "../../../../shared/limits.js";
import { ZRubricDefinition, type TRubric, type TUpdateRubricRequest } from "../../../../shared/schemas/observations.js";
import { asApiError } from "../../api/client.js";
import { ErrorState, FormAlert, Notice, Spinner } from "../../components/Feedback.js";
import { DataTable, type Column } from "../../kits/DataTable.js";
import { Form, FormTextAreaField, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { observationsApi } from "./api.js";
import "./observations.css";

const rubricKeys = ["observations", "settings", "rubrics"] as const;
const appKeys = ["observations", "settings", "apps"] as const;

/** A small second rubric to start from: SAMR's four levels over one dimension. */
const EXAMPLE = JSON.stringify(
  {
    dimensions: [{ key: "use", name: "Technology use" }],
    levels: [
      { key: "substitution", name: "Substitution" },
      { key: "augmentation", name: "Augmentation" },
      { key: "modification", name: "Modification" },
      { key: "redefinition", name: "Redefinition" },
    ],
    descriptors: {
      use: [
        "Technology stands in for a tool, with no change to the task.",
        "Technology stands in for a tool and makes the task work better.",
        "Technology lets the task be redesigned in a meaningful way.",
        "Technology makes a task possible that could not be done without it.",
      ],
    },
  },
  null,
  2,
);

const ZRubricForm = z
  .object({ name: z.string().trim().min(1, "Name the rubric").max(120), description: z.string().max(ObservationLimits.maxText), definition: z.string() })
  .superRefine((values, ctx) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(values.definition);
    } catch {
      ctx.addIssue({ code: "custom", path: ["definition"], message: "This is not valid JSON" });
      return;
    }
    const result = ZRubricDefinition.safeParse(parsed);
    const first = result.error?.issues[0];
    if (first) ctx.addIssue({ code: "custom", path: ["definition"], message: `${first.path.join(".") || "definition"}: ${first.message}` });
  });

/**
 * Settings → Observations (district admins): the rubrics observations are scored with (the TIM by
 * default; add SAMR, Triple E or the district's own) and the app list the form offers.
 */
export function RubricsSettingsPage() {
  useDocumentTitle("Observation rubrics");
  const queryClient = useQueryClient();
  const rubrics = useQuery({ queryKey: rubricKeys, queryFn: ({ signal }) => observationsApi.rubrics({ signal }) });
  const apps = useQuery({ queryKey: appKeys, queryFn: ({ signal }) => observationsApi.apps({ signal }) });
  const [error, setError] = useState<unknown>(null);
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: TUpdateRubricRequest }) => observationsApi.updateRubric(id, body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["observations"] }),
    onError: setError,
  });

  const columns: Column<TRubric>[] = [
    { id: "name", header: "Rubric", isPrimary: true, cell: (r) => r.name },
    { id: "version", header: "Version", cell: (r) => `${r.currentVersion.version}${r.currentVersion.isFrozen ? " (in use: edits make a new version)" : ""}` },
    { id: "shape", header: "Matrix", cell: (r) => `${r.currentVersion.definition.dimensions.length} × ${r.currentVersion.definition.levels.length}` },
    { id: "status", header: "Status", cell: (r) => (r.isDefault ? "Default" : r.status === "retired" ? "Retired" : "Active") },
    {
      id: "actions",
      header: "Actions",
      isEmpty: (r) => r.isDefault,
      cell: (r) =>
        r.isDefault ? null : (
          <span className="obs-actions">
            {r.status === "active" ? (
              <button type="button" className="button button--small" disabled={update.isPending} onClick={() => update.mutate({ id: r.id, body: { isDefault: true } })}>
                Make default
              </button>
            ) : null}
            <button
              type="button"
              className="button button--small button--ghost"
              disabled={update.isPending}
              onClick={() => update.mutate({ id: r.id, body: { status: r.status === "active" ? "retired" : "active" } })}
            >
              {r.status === "active" ? "Retire" : "Restore"}
            </button>
          </span>
        ),
    },
  ];

  return (
    <section className="section" aria-labelledby="obs-rubrics-title">
      <div className="section__header">
        <div>
          <h2 id="obs-rubrics-title" className="section__title">
            Observation rubrics
          </h2>
          <p className="section__description">
            Observations are scored on the default rubric. A version that observations use is frozen: editing the rubric makes a new
            version, and old observations keep theirs.
          </p>
        </div>
      </div>
      {error ? <FormAlert error={asApiError(error)} /> : null}
      {rubrics.error ? (
        <ErrorState error={rubrics.error} onRetry={() => void rubrics.refetch()} />
      ) : !rubrics.data ? (
        <Spinner label="Loading rubrics…" />
      ) : (
        <DataTable rows={rubrics.data.items} columns={columns} rowKey={(r) => r.id} caption="Rubrics" />
      )}
      <AddRubric />
      <section className="panel obs-page__section" aria-labelledby="obs-apps-title">
        <h3 id="obs-apps-title" className="panel__title">
          Apps and tools
        </h3>
        <p className="obs-form__hint">What the form offers under “Technology in use” (observers can also type others).</p>
        <ul className="obs-apps obs-apps--list">{apps.data?.items.map((a) => <li key={a.id} className="obs-app">{a.name}</li>)}</ul>
        <AddApp />
      </section>
    </section>
  );
}

function AddRubric() {
  const queryClient = useQueryClient();
  const form = useZodForm(ZRubricForm, { name: "", description: "", definition: EXAMPLE });
  const [added, setAdded] = useState<string | null>(null);
  const onSubmit = async (values: { name: string; description: string; definition: string }) => {
    const rubric = await observationsApi.createRubric({ name: values.name, description: values.description, definition: JSON.parse(values.definition) as z.infer<typeof ZRubricDefinition> });
    setAdded(rubric.name);
    form.reset({ name: "", description: "", definition: EXAMPLE });
    void queryClient.invalidateQueries({ queryKey: ["observations"] });
  };
  return (
    <section className="panel obs-page__section" aria-labelledby="obs-add-rubric">
      <h3 id="obs-add-rubric" className="panel__title">
        Add a rubric
      </h3>
      {added ? <Notice tone="success">Added {added}.</Notice> : null}
      <Form form={form} onSubmit={onSubmit} adaptServerIssues={(issues) => issues.map((i) => (i.path.startsWith("body.definition") ? { ...i, path: "body.definition" } : i))}>
        <FormTextField name="name" label="Name" />
        <FormTextAreaField name="description" label="Description" isOptional rows={2} />
        <FormTextAreaField
          name="definition"
          label="Dimensions, levels and descriptors (JSON)"
          rows={14}
          hint="Levels in order, lowest first; one descriptor per level for each dimension."
          fieldClassName="obs-json"
        />
        <div>
          <SubmitButton label="Add rubric" pendingLabel="Adding…" />
        </div>
      </Form>
    </section>
  );
}

const ZAppForm = z.object({ name: z.string().trim().min(1, "Name the app").max(ObservationLimits.maxTechnologyName) });

function AddApp() {
  const queryClient = useQueryClient();
  const form = useZodForm(ZAppForm, { name: "" });
  const onSubmit = async (values: { name: string }) => {
    await observationsApi.addApp(values.name);
    form.reset({ name: "" });
    void queryClient.invalidateQueries({ queryKey: ["observations"] });
  };
  return (
    <Form form={form} onSubmit={onSubmit} className="form obs-add-app">
      <FormTextField name="name" label="Add an app" />
      <div>
        <SubmitButton label="Add" pendingLabel="Adding…" />
      </div>
    </Form>
  );
}
