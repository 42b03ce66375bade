import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useFieldArray } from "react-hook-form";
import { z } from "zod";
import { isKnownTimeZone, ZTermDefinition, type TDistrictProfile } from "../../../../shared/schemas/settings.js";
import { singleLine } from "../../../../shared/schemas/common.js";
import type { TMe } from "../../../../shared/schemas/auth.js";
import { ApiError, http } from "../../api/client.js";
import { ErrorState, Notice, Spinner } from "../../components/Feedback.js";
import { Form, FormSelectField, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useIsDistrictAdmin, useSession } from "../../lib/session.js";
import { settingsApi, settingsKeys, settingsQueries } from "./api.js";
import "./district-settings.css";

const forbidden = new ApiError({ status: 403, code: "forbidden", message: "Only district admins can change the district's settings." });

/** The form's values are the inputs' text; they become the API's types on submit. */
const ZDistrictForm = z
  .object({
    name: singleLine({ max: 120 }),
    timeZone: z.string().refine(isKnownTimeZone, "Choose a time zone from the list"),
    coachingShareTarget: z.union([z.literal(""), z.coerce.number<string>().int().min(0).max(100)]),
    terms: z.array(ZTermDefinition),
  })
  .transform((v) => ({
    name: v.name,
    timeZone: v.timeZone,
    coachingShareTarget: v.coachingShareTarget === "" ? null : v.coachingShareTarget,
    terms: v.terms,
  }));

function timeZones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return [...new Set([current, ...known])].sort();
}

/** Settings → District: the district's name, time zone, coaching target, school years and terms. */
export function DistrictSettingsPage() {
  useDocumentTitle("District");
  const isAdmin = useIsDistrictAdmin();
  const profile = useQuery({ ...settingsQueries.district(), enabled: isAdmin });
  if (!isAdmin) return <ErrorState error={forbidden} />;
  return (
    <section className="section section--narrow" aria-labelledby="district-title">
      <div className="section__header">
        <div>
          <h2 id="district-title" className="section__title">
            District
          </h2>
          <p className="section__description">The district's name and calendar, and what coaching dashboards compare against. Every change is recorded in the audit log.</p>
        </div>
      </div>
      {profile.error ? (
        <ErrorState error={profile.error} onRetry={() => void profile.refetch()} />
      ) : !profile.data ? (
        <Spinner label="Loading settings…" />
      ) : (
        <DistrictForm profile={profile.data} />
      )}
    </section>
  );
}

const emptyTerm = () => ({ name: "", schoolYear: "", startDate: "", endDate: "" });

function DistrictForm({ profile }: { profile: TDistrictProfile }) {
  const queryClient = useQueryClient();
  const { signIn } = useSession();
  const [saved, setSaved] = useState(false);
  const form = useZodForm(ZDistrictForm, {
    name: profile.name,
    timeZone: profile.timeZone,
    coachingShareTarget: profile.coachingShareTarget === null ? "" : String(profile.coachingShareTarget),
    terms: profile.terms,
  });
  const terms = useFieldArray({ control: form.control, name: "terms" });
  const zones = useMemo(() => timeZones(profile.timeZone).map((z) => ({ value: z, label: z.replaceAll("_", " ") })), [profile.timeZone]);
  const onSubmit = async (body: z.output<typeof ZDistrictForm>) => {
    setSaved(false);
    const next = await settingsApi.updateDistrict(body);
    queryClient.setQueryData(settingsKeys.district(), next);
    // Terms and the target change what every coaching dashboard shows; the name shows in the shell.
    await queryClient.invalidateQueries({ queryKey: ["coaching"] });
    // The shell shows the district's name: take the new one without reloading the page.
    signIn(await http.get<TMe>("/me"));
    form.reset({ ...form.getValues(), terms: next.terms });
    setSaved(true);
  };
  return (
    <Form form={form} onSubmit={onSubmit} className="form form--panel">
      {saved ? <Notice tone="success">Settings saved.</Notice> : null}
      <FormTextField name="name" label="District name" autoComplete="organization" />
      <FormSelectField name="timeZone" label="Time zone" hint={'What "today" and "this week" mean on dashboards and the home page.'} options={zones} />
      <FormTextField
        name="coachingShareTarget"
        label="Target share of coaching time (%)"
        hint="The share of coaches' time that should go to coaching (co-planning, co-teaching, modeling, observing, PD) rather than support. Dashboards compare against it; leave empty for no target."
        inputMode="numeric"
        autoComplete="off"
        isOptional
      />
      <fieldset className="term-editor">
        <legend className="field__label">School years and terms</legend>
        <p className="field__hint">
          Coaching dashboards count teachers reached and coverage per term. Without terms here, Fall runs July–December and Spring January–June. A day between two terms counts in
          the term that just ended.
        </p>
        {profile.rosterTerms.length > 0 ? (
          <p className="term-editor__roster">
            The roster has {profile.rosterTerms.length === 1 ? "1 term" : `${profile.rosterTerms.length} terms`} ({profile.rosterTerms.map((t) => t.name).join(", ")}).{" "}
            <button
              type="button"
              className="link-button"
              onClick={() => terms.replace(profile.rosterTerms.map(({ name, schoolYear, startDate, endDate }) => ({ name, schoolYear, startDate, endDate })))}
            >
              Use the roster's terms
            </button>
          </p>
        ) : null}
        {terms.fields.length === 0 ? <p className="term-editor__empty">No terms defined: the Fall / Spring rule applies.</p> : null}
        <ol className="term-editor__list">
          {terms.fields.map((field, index) => (
            <li key={field.id} className="term-editor__row">
              <FormTextField name={`terms.${index}.name`} label="Name" autoComplete="off" />
              <FormTextField name={`terms.${index}.schoolYear`} label="School year" placeholder="2026-27" autoComplete="off" />
              <FormTextField name={`terms.${index}.startDate`} label="First day" type="date" />
              <FormTextField name={`terms.${index}.endDate`} label="Last day" type="date" />
              <button type="button" className="button button--small term-editor__remove" onClick={() => terms.remove(index)}>
                Remove<span className="visually-hidden"> term {index + 1}</span>
              </button>
            </li>
          ))}
        </ol>
        <button type="button" className="button" onClick={() => terms.append(emptyTerm())}>
          Add a term
        </button>
      </fieldset>
      <div className="form__actions">
        <SubmitButton label="Save settings" pendingLabel="Saving…" />
      </div>
    </Form>
  );
}
