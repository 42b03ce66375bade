import { useId, type ReactNode, type RefObject } from "react";
import { useController, useWatch, type UseFormReturn } from "react-hook-form";
import { z } from "zod";
import { CoachingLimits } from "../../../../shared/limits.js";
import { ZCreateEntryRequest, type TCategory, type TCycle, type TEntry } from "../../../../shared/schemas/coaching.js";
import { humanizeIssue, type FieldErrors } from "../../api/client.js";
import { describedBy, FieldFrame, SelectField } from "../../components/Field.js";
import { Icon } from "../../components/Icon.js";
import { Form, FormSelectField, FormTextAreaField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { friendlyIssueMessage } from "../../kits/form/messages.js";
import type { SchoolRef } from "./access.js";
import { addDays, isIsoDate, todayLocal } from "./calendar.js";
import { formatMinutes, KIND_LABELS } from "./format.js";
import { coachingServerIssues } from "./formIssues.js";
import { PersonPicker, type PersonRef } from "./PersonPicker.js";

export type EntryValues = {
  categoryId: string;
  minutes: string;
  date: string;
  schoolId: string;
  teachers: PersonRef[];
  notes: string;
  cycleId: string;
};

export function emptyEntryValues(opts: { date?: string; schoolId?: string; cycleId?: string } = {}): EntryValues {
  return {
    categoryId: "",
    minutes: "",
    date: opts.date ?? todayLocal(),
    schoolId: opts.schoolId ?? "",
    teachers: [],
    notes: "",
    cycleId: opts.cycleId ?? "",
  };
}

export function entryToValues(entry: TEntry): EntryValues {
  return {
    categoryId: entry.category.id,
    minutes: String(entry.minutes),
    date: entry.date,
    schoolId: entry.school?.id ?? "",
    teachers: entry.teachers,
    notes: entry.notes,
    cycleId: entry.cycleId ?? "",
  };
}

/** The request body for these values (the same for a new entry and an edit). */
export function valuesToRequest(values: EntryValues) {
  return {
    date: values.date,
    minutes: Number(values.minutes),
    categoryId: values.categoryId,
    schoolId: values.schoolId || null,
    teacherIds: values.teachers.map((t) => t.id),
    notes: values.notes.trim(),
    cycleId: values.cycleId || null,
  };
}

/** The checks the server makes that need no database, in the words a coach reads, so the common mistakes show before a round trip. */
function entryIssues(values: EntryValues): FieldErrors {
  const errors: FieldErrors = {};
  if (!values.categoryId) errors.categoryId = "Choose what kind of activity this was";
  const minutes = Number(values.minutes);
  if (values.minutes.trim() === "") errors.minutes = "Enter the minutes, or tap a duration";
  else if (!Number.isInteger(minutes) || minutes < 1) errors.minutes = "Enter a whole number of minutes, at least 1";
  else if (minutes > CoachingLimits.maxMinutesPerEntry) errors.minutes = "One entry can be at most 16 hours (960 minutes)";
  const latest = addDays(todayLocal(), CoachingLimits.maxDaysAhead);
  if (!isIsoDate(values.date)) errors.date = "Enter a date";
  else if (values.date > latest) errors.date = "This date is in the future; log activities once they happen";
  else if (values.date < CoachingLimits.earliestDate) errors.date = `Use a date after ${CoachingLimits.earliestDate}`;
  if (values.notes.length > CoachingLimits.maxNotes) errors.notes = `Use at most ${CoachingLimits.maxNotes} characters`;
  return errors;
}

/**
 * The form's values checked as the request they become (the shared ZCreateEntryRequest, so the
 * limits are the server's), with the common mistakes worded for a coach first.
 */
const ZEntryForm = z
  .object({
    categoryId: z.string(),
    minutes: z.string(),
    date: z.string(),
    schoolId: z.string(),
    teachers: z.array(z.object({ id: z.string(), name: z.string() })),
    notes: z.string(),
    cycleId: z.string(),
  })
  .superRefine((values, ctx) => {
    const own = entryIssues(values);
    for (const [field, message] of Object.entries(own)) ctx.addIssue({ code: "custom", path: [field], message });
    const result = ZCreateEntryRequest.safeParse(valuesToRequest(values), { error: friendlyIssueMessage });
    for (const issue of result.error?.issues ?? []) {
      const field = issue.path[0] === "teacherIds" ? "teachers" : String(issue.path[0] ?? "");
      if (own[field] === undefined) ctx.addIssue({ code: "custom", path: [field], message: humanizeIssue(issue.message) });
    }
  });

export type EntryFormApi = UseFormReturn<EntryValues, unknown, EntryValues>;

/** The entry form's state, checked with the shared request schema; the page keeps it to fill, reset or read it. */
export function useEntryForm(initialValues: EntryValues): EntryFormApi {
  return useZodForm(ZEntryForm, initialValues);
}

/**
 * Category chips, minutes, date, school, teachers, notes and cycle: the fields of a log entry,
 * laid out for a thumb on a phone first.
 */
export function EntryForm({
  form,
  onSubmit,
  categories,
  colors,
  schools,
  cycles,
  submitLabel,
  secondaryActions,
  submitRef,
  isSticky = false,
}: {
  form: EntryFormApi;
  /** Called with the checked values; a thrown ApiError lands on the fields (teacherIds.2 on the teachers). */
  onSubmit: (values: EntryValues) => Promise<void>;
  categories: TCategory[];
  colors: Map<string, string>;
  schools: SchoolRef[];
  cycles: TCycle[];
  submitLabel: string;
  secondaryActions?: ReactNode;
  submitRef?: RefObject<HTMLButtonElement | null>;
  /** Keep the submit button in view at the bottom of a phone screen. */
  isSticky?: boolean;
}) {
  const [teachers, cycleId] = useWatch({ control: form.control, name: ["teachers", "cycleId"] });
  const cycleOptions = cycles.filter((c) => c.status === "active" || c.id === cycleId);

  return (
    <Form form={form} onSubmit={onSubmit} adaptServerIssues={coachingServerIssues(teachers)} className="form entry-form">
      <CategoryChips form={form} categories={categories} colors={colors} />
      <MinutesField form={form} />

      <div className="entry-form__row">
        <DateField form={form} />
        <FormSelectField
          name="schoolId"
          label="School"
          options={[{ value: "", label: "No school (district work)" }, ...schools.map((s) => ({ value: s.id, label: s.name }))]}
        />
      </div>

      <TeachersField form={form} />

      <FormTextAreaField name="notes" label="Notes" isOptional rows={2} maxLength={CoachingLimits.maxNotes} />

      {cycleOptions.length > 0 ? <CycleField form={form} cycles={cycleOptions} /> : null}

      <div className={`entry-form__actions${isSticky ? " entry-form__actions--sticky" : ""}`}>
        <SubmitButton ref={submitRef} label={submitLabel} pendingLabel="Saving…" className="button button--primary button--large" />
        {secondaryActions}
      </div>
    </Form>
  );
}

/**
 * The coaching cycle an entry belongs to. Choosing one fills in its teachers (added to any already
 * chosen) and its school, so an entry for a cycle is never saved with nobody; they can still be changed.
 */
function CycleField({ form, cycles }: { form: EntryFormApi; cycles: TCycle[] }) {
  const { field, fieldState } = useController({ control: form.control, name: "cycleId" });
  return (
    <SelectField
      ref={field.ref}
      name={field.name}
      label="Coaching cycle"
      isOptional
      hint={field.value ? "Its teachers and school are filled in; change them if this activity was with fewer." : undefined}
      value={field.value}
      onBlur={field.onBlur}
      error={fieldState.error?.message}
      onChange={(value) => {
        field.onChange(value);
        const cycle = cycles.find((c) => c.id === value);
        if (!cycle) return;
        const chosen = form.getValues("teachers");
        const added = cycle.teachers.filter((t) => !chosen.some((c) => c.id === t.id));
        if (added.length > 0) form.setValue("teachers", [...chosen, ...added], { shouldDirty: true, shouldValidate: true });
        if (form.getValues("schoolId") !== cycle.school.id) form.setValue("schoolId", cycle.school.id, { shouldDirty: true });
      }}
      options={[
        { value: "", label: "Not part of a cycle" },
        ...cycles.map((c) => ({ value: c.id, label: `${c.title} — ${c.teachers.map((t) => t.name).join(", ")}` })),
      ]}
    />
  );
}

function CategoryChips({ form, categories, colors }: { form: EntryFormApi; categories: TCategory[]; colors: Map<string, string> }) {
  const id = useId();
  const { field, fieldState } = useController({ control: form.control, name: "categoryId" });
  const error = fieldState.error?.message;
  // Retired categories stay listed only when an edited entry already uses one.
  const visible = categories.filter((c) => c.status === "active" || c.id === field.value);
  const groups = (["coaching", "support"] as const)
    .map((kind) => ({ kind, items: visible.filter((c) => c.kind === kind) }))
    .filter((g) => g.items.length > 0);
  // Focus goes to the chosen chip, or the first, when this is the first field to fix.
  const focusId = visible.some((c) => c.id === field.value) ? field.value : groups[0]?.items[0]?.id;
  return (
    <fieldset className="entry-form__group" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="entry-form__legend">Activity</legend>
      {groups.map((group) => (
        <div key={group.kind} className={`cat-group cat-group--${group.kind}`}>
          <p className="cat-group__label" id={`${id}-kind-${group.kind}`}>
            {KIND_LABELS[group.kind]}
          </p>
          <div className="cat-chips" role="group" aria-labelledby={`${id}-kind-${group.kind}`}>
            {group.items.map((category) => (
              <label key={category.id} className={`cat-chip cat-chip--${category.kind}`}>
                <input
                  ref={category.id === focusId ? field.ref : undefined}
                  type="radio"
                  className="cat-chip__input"
                  name={`${id}-category`}
                  value={category.id}
                  checked={field.value === category.id}
                  onChange={() => field.onChange(category.id)}
                  onBlur={field.onBlur}
                  aria-invalid={error ? true : undefined}
                />
                <span className="cat-chip__dot" style={{ background: colors.get(category.id) }} aria-hidden="true" />
                <span className="cat-chip__name">{category.name}</span>
                {category.status === "retired" ? <span className="cat-chip__note">(retired)</span> : null}
                <Icon name="check" size={16} className="cat-chip__check" />
              </label>
            ))}
          </div>
        </div>
      ))}
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** Minutes: a tap on a common duration, or any number typed in. */
function MinutesField({ form }: { form: EntryFormApi }) {
  const id = useId();
  const { field, fieldState } = useController({ control: form.control, name: "minutes" });
  const error = fieldState.error?.message;
  const minutes = Number(field.value);
  return (
    <FieldFrame id={id} label="Minutes" error={error} className="entry-form__minutes">
      <div className="minutes-row">
        <div className="minute-presets" role="group" aria-label="Common durations">
          {CoachingLimits.minutePresets.map((preset) => (
            <button
              key={preset}
              type="button"
              className="minute-preset"
              aria-pressed={minutes === preset}
              // The name starts with the number shown ("60 min, 1 h"), so saying "60" presses it (WCAG 2.5.3).
              aria-label={preset >= 60 ? `${preset} min, ${formatMinutes(preset)}` : `${preset} min`}
              onClick={() => field.onChange(String(preset))}
            >
              {preset}
            </button>
          ))}
        </div>
        <input
          ref={field.ref}
          id={id}
          name={field.name}
          className="input minutes-input"
          type="number"
          inputMode="numeric"
          min={1}
          max={CoachingLimits.maxMinutesPerEntry}
          step={1}
          placeholder="Other"
          value={field.value}
          onChange={(event) => field.onChange(event.target.value)}
          onBlur={field.onBlur}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, null, error)}
        />
      </div>
    </FieldFrame>
  );
}

/** The date, with Today and Yesterday a tap away (most entries are logged the same day or the next). */
function DateField({ form }: { form: EntryFormApi }) {
  const id = useId();
  const { field, fieldState } = useController({ control: form.control, name: "date" });
  const error = fieldState.error?.message;
  const today = todayLocal();
  const yesterday = addDays(today, -1);
  return (
    <FieldFrame id={id} label="Date" error={error}>
      <div className="date-row">
        <input
          ref={field.ref}
          id={id}
          name={field.name}
          className="input"
          type="date"
          value={field.value}
          max={addDays(today, CoachingLimits.maxDaysAhead)}
          onChange={(event) => field.onChange(event.target.value)}
          onBlur={field.onBlur}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, null, error)}
          required
        />
        <div className="date-shortcuts" role="group" aria-label="Date shortcuts">
          <button type="button" className="minute-preset" aria-pressed={field.value === today} onClick={() => field.onChange(today)}>
            Today
          </button>
          <button type="button" className="minute-preset" aria-pressed={field.value === yesterday} onClick={() => field.onChange(yesterday)}>
            Yesterday
          </button>
        </div>
      </div>
    </FieldFrame>
  );
}

function TeachersField({ form }: { form: EntryFormApi }) {
  const { field, fieldState } = useController({ control: form.control, name: "teachers" });
  const schoolId = useWatch({ control: form.control, name: "schoolId" });
  return (
    <PersonPicker
      ref={field.ref}
      name="teachers"
      label="Teachers"
      role="teacher"
      schoolId={schoolId || undefined}
      value={field.value}
      onChange={field.onChange}
      isOptional
      placeholder="Type a name"
      maxSelected={CoachingLimits.maxTeachersPerEntry}
      error={fieldState.error?.message}
    />
  );
}
