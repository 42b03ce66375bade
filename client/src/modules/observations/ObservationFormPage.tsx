import { useQuery } from "@tanstack/react-query";
import { useId, useMemo, useRef, useState } from "react";
import { useController, useWatch, type UseFormReturn } from "react-hook-form";
import { Link, useSearchParams } from "react-router-dom";
import { z } from "zod";
import { ObservationLimits } from "../../../../shared/limits.js";
import { observingSchools } from "../../../../shared/policy/observations.js";
import {
  GRADE_LABELS,
  GRADES,
  ZCreateObservationRequest,
  type TApp,
  type TCreateObservationRequest,
  type TRubricVersion,
} from "../../../../shared/schemas/observations.js";
import { humanizeIssue } from "../../api/client.js";
import { EmptyState, ErrorState, Notice, PageHeader, Spinner } from "../../components/Feedback.js";
import { Form, FormSelectField, FormTextAreaField, FormTextField, useZodForm } from "../../kits/form/Form.js";
import { friendlyIssueMessage } from "../../kits/form/messages.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useMe } from "../../lib/session.js";
import { newClientRef } from "../coaching/clientRef.js";
import { observationsApi } from "./api.js";
import { DeviceQueue } from "./DeviceQueue.js";
import { forget, queuedItem, saveToDevice, withOfflineCopy, type QueuedObservation } from "./offline.js";
import { useDeviceQueue, useSyncWhenOnline } from "./useDeviceQueue.js";

/** Today on the device, YYYY-MM-DD in its own time zone (the lesson's date as the observer lives it). */
function todayLocal(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}
function nowTime(): string {
  const d = new Date();
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const DURATIONS = [10, 15, 20, 30, 45, 60];

export type ObservationValues = {
  schoolId: string;
  teacherId: string;
  subject: string;
  grade: string;
  date: string;
  startTime: string;
  durationMinutes: string;
  /** Level key per dimension; "" is not observed. */
  levels: Record<string, string>;
  appIds: string[];
  otherTechnology: string;
  evidence: string;
  feedback: string;
  nextStep: string;
};

function emptyValues(schoolId: string): ObservationValues {
  return {
    schoolId,
    teacherId: "",
    subject: "",
    grade: "",
    date: todayLocal(),
    startTime: nowTime(),
    durationMinutes: "20",
    levels: {},
    appIds: [],
    otherTechnology: "",
    evidence: "",
    feedback: "",
    nextStep: "",
  };
}

/** A device copy back into the form (one the server refused or had deleted), to fix and save again. */
function bodyToValues(body: TCreateObservationRequest, apps: readonly TApp[]): ObservationValues {
  const technology = body.technology ?? [];
  const isListed = (t: { appId?: string | null }) => t.appId != null && apps.some((a) => a.id === t.appId);
  return {
    schoolId: body.schoolId,
    teacherId: body.teacherId,
    subject: body.subject ?? "",
    grade: body.grade ?? "",
    date: body.date,
    startTime: body.startTime ?? "",
    durationMinutes: body.durationMinutes ? String(body.durationMinutes) : "",
    levels: Object.fromEntries(Object.entries(body.levels ?? {}).map(([k, v]) => [k, v ?? ""])),
    appIds: technology.filter(isListed).map((t) => t.appId ?? ""),
    otherTechnology: technology
      .filter((t) => !isListed(t))
      .map((t) => t.name)
      .join(", "),
    evidence: body.evidence ?? "",
    feedback: body.feedback ?? "",
    nextStep: body.nextStep ?? "",
  };
}

/** The request these values become (without the clientRef, rubric version and status, which the page adds). */
export function valuesToRequest(values: ObservationValues, apps: readonly TApp[]) {
  const technology = [
    ...values.appIds.flatMap((id) => {
      const app = apps.find((a) => a.id === id);
      return app ? [{ appId: app.id, name: app.name }] : [];
    }),
    ...values.otherTechnology
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)
      .map((name) => ({ appId: null, name })),
  ];
  return {
    schoolId: values.schoolId,
    teacherId: values.teacherId,
    subject: values.subject.trim(),
    grade: values.grade ? (values.grade as (typeof GRADES)[number]) : null,
    date: values.date,
    startTime: values.startTime || null,
    durationMinutes: values.durationMinutes ? Number(values.durationMinutes) : null,
    levels: Object.fromEntries(Object.entries(values.levels).map(([k, v]) => [k, v || null])),
    technology,
    evidence: values.evidence,
    feedback: values.feedback,
    nextStep: values.nextStep,
  };
}

const ZValues = z
  .object({
    schoolId: z.string(),
    teacherId: z.string(),
    subject: z.string(),
    grade: z.string(),
    date: z.string(),
    startTime: z.string(),
    durationMinutes: z.string(),
    levels: z.record(z.string(), z.string()),
    appIds: z.array(z.string()),
    otherTechnology: z.string(),
    evidence: z.string(),
    feedback: z.string(),
    nextStep: z.string(),
  })
  .superRefine((values, ctx) => {
    const own: Record<string, string> = {};
    if (!values.schoolId) own.schoolId = "Choose the school";
    if (!values.teacherId) own.teacherId = "Choose the teacher you observed";
    if (!values.date) own.date = "Enter the lesson's date";
    else if (values.date > addDays(todayLocal(), ObservationLimits.maxDaysAhead)) own.date = "This date is in the future; check the device's date";
    const minutes = Number(values.durationMinutes);
    if (values.durationMinutes && (!Number.isInteger(minutes) || minutes < 1)) own.durationMinutes = "Enter a whole number of minutes";
    for (const [field, message] of Object.entries(own)) ctx.addIssue({ code: "custom", path: [field], message });
    const result = ZCreateObservationRequest.safeParse({ ...valuesToRequest(values, []), date: values.date || "2000-01-01" }, { error: friendlyIssueMessage });
    for (const issue of result.error?.issues ?? []) {
      const field = String(issue.path[0] ?? "");
      if (own[field] === undefined) ctx.addIssue({ code: "custom", path: [field === "technology" ? "otherTechnology" : field], message: humanizeIssue(issue.message) });
    }
  });

type FormApi = UseFormReturn<ObservationValues, unknown, ObservationValues>;

/** The phone-first observation form. It opens and saves with the network off; saved observations wait on the device until they sync. */
export function ObservationFormPage() {
  useDocumentTitle("New observation");
  const me = useMe();
  const { sync } = useSyncWhenOnline();
  const observing = observingSchools(me.person);

  const rubrics = useQuery({ queryKey: ["observations", "offline", "rubrics"], queryFn: () => withOfflineCopy("rubrics", () => observationsApi.rubrics()) });
  const apps = useQuery({ queryKey: ["observations", "offline", "apps"], queryFn: () => withOfflineCopy("apps", () => observationsApi.apps()) });
  const allSchools = useQuery({
    queryKey: ["observations", "offline", "schools"],
    queryFn: () => withOfflineCopy("schools", () => observationsApi.schools()),
    enabled: observing === "all",
  });
  const schools = useMemo(() => {
    if (observing === "all") return (allSchools.data?.items ?? []).filter((s) => s.status === "active").map((s) => ({ id: s.id, name: s.name }));
    return observing.map((id) => ({ id, name: me.person.roles.find((r) => r.schoolId === id)?.schoolName ?? "Unknown school" }));
  }, [observing, allSchools.data, me.person.roles]);

  // "Edit and save again" from the device list: the copy the server did not take, back in the form.
  const [searchParams] = useSearchParams();
  const from = searchParams.get("from");
  const restored = useQuery({
    queryKey: ["observations", "device", from],
    queryFn: async () => (from ? ((await queuedItem(from)) ?? null) : null),
    staleTime: Infinity,
    gcTime: 0,
  });

  const rubric = rubrics.data?.items.find((r) => r.isDefault) ?? rubrics.data?.items[0];
  const isLoading = rubrics.isLoading || apps.isLoading || restored.isLoading || (observing === "all" && allSchools.isLoading);
  const error = rubrics.error ?? apps.error ?? allSchools.error;

  return (
    <>
      <PageHeader
        title="New observation"
        breadcrumb={{ to: "/observations", label: "Observations" }}
        description={rubric ? `Scored on the ${rubric.name}. Works without a network: it waits on this device and syncs when you are back online.` : undefined}
      />
      {error ? (
        <ErrorState error={error} onRetry={() => void Promise.all([rubrics.refetch(), apps.refetch()])} />
      ) : isLoading || !rubric ? (
        <Spinner label="Loading the form…" />
      ) : schools.length === 0 ? (
        <EmptyState title="No school to observe at">Coaches observe at the schools they coach.</EmptyState>
      ) : (
        <ObservationForm
          key={`${rubric.currentVersion.id}:${from ?? ""}`}
          version={rubric.currentVersion}
          restored={restored.data ?? null}
          apps={(apps.data?.items ?? []).filter((a) => a.status === "active")}
          schools={schools}
          onSaved={() => void sync()}
        />
      )}
    </>
  );
}

function ObservationForm({
  version,
  restored,
  apps,
  schools,
  onSaved,
}: {
  version: TRubricVersion;
  /** A device copy to fix and save again; saving replaces it with a new one (a new clientRef). */
  restored: QueuedObservation | null;
  apps: TApp[];
  schools: { id: string; name: string }[];
  onSaved: () => void;
}) {
  const me = useMe();
  const form = useZodForm(ZValues, restored ? bodyToValues(restored.body, apps) : emptyValues(schools.length === 1 ? (schools[0]?.id ?? "") : ""));
  const replaces = useRef(restored?.clientRef ?? null);
  const intent = useRef<"draft" | "submitted">("submitted");
  const clientRef = useRef(newClientRef());
  const [saved, setSaved] = useState<{ clientRef: string; status: "draft" | "submitted" } | null>(null);
  const schoolId = useWatch({ control: form.control, name: "schoolId" });
  const teachers = useQuery({
    queryKey: ["observations", "offline", "teachers", schoolId],
    queryFn: () => withOfflineCopy(`teachers:${schoolId}`, () => observationsApi.teachers(schoolId)),
    enabled: Boolean(schoolId),
  });

  const onSubmit = async (values: ObservationValues) => {
    const ref = clientRef.current;
    const body: TCreateObservationRequest & { clientRef: string } = {
      ...valuesToRequest(values, apps),
      clientRef: ref,
      rubricVersionId: version.id,
      status: intent.current,
    };
    // The device copy first, always: a closed tab or a dropped network loses nothing.
    await saveToDevice({
      clientRef: ref,
      personId: me.person.id,
      body,
      teacherName: teachers.data?.items.find((t) => t.id === values.teacherId)?.displayName ?? "",
      schoolName: schools.find((s) => s.id === values.schoolId)?.name ?? "",
      savedAt: new Date().toISOString(),
    });
    // The copy it was made from goes once the new one is safely on the device.
    if (replaces.current) await forget(replaces.current);
    replaces.current = null;
    setSaved({ clientRef: ref, status: intent.current });
    clientRef.current = newClientRef();
    form.reset(emptyValues(values.schoolId));
    window.scrollTo({ top: 0 });
    onSaved();
  };

  return (
    <div className="obs-form-page">
      {replaces.current && restored ? (
        <Notice tone="warning">
          Fix this observation and save it again. The server said: {restored.message ?? "it could not be saved"}
        </Notice>
      ) : null}
      {saved ? (
        <div className="obs-saved">
          <SavedNotice clientRef={saved.clientRef} what={saved.status === "draft" ? "Draft" : "Observation"} />
          <DeviceQueue only={saved.clientRef} />
        </div>
      ) : (
        <DeviceQueue />
      )}
      <Form form={form} onSubmit={onSubmit} className="form obs-form" aria-label="Observation">
        <section className="obs-form__section" aria-labelledby="obs-who">
          <h2 id="obs-who" className="obs-form__heading">
            Class
          </h2>
          <div className="obs-form__row">
            <FormSelectField name="schoolId" label="School" options={[{ value: "", label: "Choose a school" }, ...schools.map((s) => ({ value: s.id, label: s.name }))]} />
            <FormSelectField
              name="teacherId"
              label="Teacher"
              hint={teachers.isFetching ? "Loading teachers…" : undefined}
              options={[
                { value: "", label: schoolId ? "Choose a teacher" : "Choose a school first" },
                ...(teachers.data?.items ?? []).map((t) => ({ value: t.id, label: t.displayName })),
              ]}
            />
          </div>
          <div className="obs-form__row">
            <FormTextField name="subject" label="Class or subject" isOptional placeholder="e.g. Biology, 3rd period" maxLength={ObservationLimits.maxSubject} />
            <FormSelectField name="grade" label="Grade" isOptional options={[{ value: "", label: "—" }, ...GRADES.map((g) => ({ value: g, label: GRADE_LABELS[g] }))]} />
          </div>
          <div className="obs-form__row obs-form__row--three">
            <FormTextField name="date" label="Date" type="date" max={addDays(todayLocal(), ObservationLimits.maxDaysAhead)} />
            <FormTextField name="startTime" label="Start" type="time" isOptional />
            <FormSelectField name="durationMinutes" label="Minutes" isOptional options={[{ value: "", label: "—" }, ...DURATIONS.map((m) => ({ value: String(m), label: `${m} min` }))]} />
          </div>
        </section>

        <TechnologyField form={form} apps={apps} />

        <section className="obs-form__section" aria-labelledby="obs-levels">
          <h2 id="obs-levels" className="obs-form__heading">
            Levels
          </h2>
          <p className="obs-form__hint">One level per characteristic, or not observed. Open “What each level looks like” for the descriptors.</p>
          {version.definition.dimensions.map((d) => (
            <LevelPicker key={d.key} form={form} version={version} dimensionKey={d.key} />
          ))}
        </section>

        <section className="obs-form__section" aria-labelledby="obs-notes">
          <h2 id="obs-notes" className="obs-form__heading">
            Notes and feedback
          </h2>
          <FormTextAreaField name="evidence" label="Evidence" isOptional rows={3} hint="What you saw students and the teacher do." maxLength={ObservationLimits.maxText} />
          <FormTextAreaField name="feedback" label="Feedback for the teacher" isOptional rows={3} maxLength={ObservationLimits.maxText} />
          <FormTextAreaField name="nextStep" label="Suggested next step" isOptional rows={2} hint="One step toward the next level." maxLength={ObservationLimits.maxText} />
        </section>

        <div className="obs-form__actions">
          <SaveButtons intent={intent} form={form} />
        </div>
      </Form>
      <p className="obs-form__foot">
        <Link to="/observations">Back to observations</Link>
      </p>
    </div>
  );
}

/** What became of the observation just saved: waiting on the device, then synced (or kept here, and why). */
function SavedNotice({ clientRef, what }: { clientRef: string; what: string }) {
  const item = useDeviceQueue().find((i) => i.clientRef === clientRef);
  switch (item?.state ?? "waiting") {
    case "waiting":
      return <Notice tone="success">{what} saved on this device — will sync. You can start the next one below.</Notice>;
    case "synced":
      return <Notice tone="success">{what} saved and synced to the server. You can start the next one below.</Notice>;
    case "deleted_on_server":
    case "refused":
      return <Notice tone="warning">{what} kept on this device: the server did not take it (see below).</Notice>;
  }
}

function SaveButtons({ intent, form }: { intent: { current: "draft" | "submitted" }; form: FormApi }) {
  const isSubmitting = form.formState.isSubmitting;
  return (
    <>
      <button type="submit" className="button button--primary button--large" disabled={isSubmitting} onClick={() => (intent.current = "submitted")}>
        {isSubmitting && intent.current === "submitted" ? "Saving…" : "Submit observation"}
      </button>
      <button type="submit" className="button button--large" disabled={isSubmitting} onClick={() => (intent.current = "draft")}>
        {isSubmitting && intent.current === "draft" ? "Saving…" : "Save draft"}
      </button>
    </>
  );
}

/** Apps from the district's list as toggles, and anything else typed in. */
function TechnologyField({ form, apps }: { form: FormApi; apps: TApp[] }) {
  const { field } = useController({ control: form.control, name: "appIds" });
  const chosen = new Set(field.value);
  const toggle = (id: string) => field.onChange(chosen.has(id) ? field.value.filter((x) => x !== id) : [...field.value, id]);
  return (
    <section className="obs-form__section" aria-labelledby="obs-tech">
      <h2 id="obs-tech" className="obs-form__heading">
        Technology in use
      </h2>
      <div className="obs-apps" role="group" aria-labelledby="obs-tech">
        {apps.map((app) => (
          <button key={app.id} type="button" className="obs-app" aria-pressed={chosen.has(app.id)} onClick={() => toggle(app.id)}>
            {app.name}
          </button>
        ))}
      </div>
      <FormTextField name="otherTechnology" label="Other" isOptional placeholder="Names, separated by commas" />
    </section>
  );
}

/** One characteristic: its levels as a row of choices, and the descriptors of each cell a tap away. */
function LevelPicker({ form, version, dimensionKey }: { form: FormApi; version: TRubricVersion; dimensionKey: string }) {
  const id = useId();
  const def = version.definition;
  const dim = def.dimensions.find((d) => d.key === dimensionKey);
  const { field } = useController({ control: form.control, name: "levels" });
  const levels = field.value;
  const value = levels[dimensionKey] ?? "";
  const set = (key: string) => field.onChange({ ...levels, [dimensionKey]: key });
  if (!dim) return null;
  const descriptors = def.descriptors[dimensionKey] ?? [];
  const chosenIndex = def.levels.findIndex((l) => l.key === value);
  return (
    <fieldset className="obs-level">
      <legend className="obs-level__name">
        {dim.name}
        <span className="obs-level__chosen">{chosenIndex >= 0 ? def.levels[chosenIndex]?.name : "Not observed"}</span>
      </legend>
      <div className="obs-level__options">
        {[{ key: "", name: "Not observed" }, ...def.levels].map((l) => (
          <label key={l.key || "none"} className={`obs-level__option${l.key === "" ? " obs-level__option--none" : ""}`}>
            <input type="radio" name={`${id}-level`} value={l.key} checked={value === l.key} onChange={() => set(l.key)} />
            <span>{l.name}</span>
          </label>
        ))}
      </div>
      <details className="obs-level__details">
        <summary>What each level looks like</summary>
        {dim.description ? <p className="obs-level__about">{dim.description}</p> : null}
        <dl className="obs-level__cells">
          {def.levels.map((l, i) => (
            <div key={l.key} className={i === chosenIndex ? "is-chosen" : undefined}>
              <dt>{l.name}</dt>
              <dd>{descriptors[i]}</dd>
            </div>
          ))}
        </dl>
      </details>
    </fieldset>
  );
}
