import { useEffect, useId, useRef, type FormEvent, type ReactNode, type RefObject } from "react";
import { CoachingLimits } from "../../../../shared/limits.js";
import type { TCategory, TCycle, TEntry } from "../../../../shared/schemas/coaching.js";
import type { ApiError, FieldErrors } from "../../api/client.js";
import { FormAlert } from "../../components/Feedback.js";
import { TextAreaField } from "../../components/Field.js";
import { Icon } from "../../components/Icon.js";
import { focusFirstInvalid } from "../../lib/validate.js";
import type { SchoolRef } from "./access.js";
import { addDays, isIsoDate, todayLocal } from "./calendar.js";
import { formatMinutes, KIND_LABELS } from "./format.js";
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

/** The checks the server makes that need no database, so the common mistakes show before a round trip. */
export function validateEntryValues(values: EntryValues): FieldErrors {
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
 * Server field errors keyed for this form: `teacherIds.2` becomes a message on the teachers field
 * naming the teacher.
 */
export function entryFieldErrors(error: ApiError, teachers: PersonRef[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const [field, message] of Object.entries(error.fieldErrors)) {
    const teacher = /^teacherIds\.(\d+)$/.exec(field);
    if (teacher) {
      const name = teachers[Number(teacher[1])]?.name ?? "A teacher";
      errors.teachers ??= `${name}: ${message.replace(/^This /, "").replace(/^./, (c) => c.toLowerCase())}`;
    } else if (field === "teacherIds") errors.teachers ??= message;
    else errors[field] ??= message;
  }
  // A school the coach does not coach at is refused as `forbidden`, with the field in the message.
  if (error.code === "forbidden" && /coach at this school/i.test(error.message)) errors.schoolId ??= error.message;
  return errors;
}

/**
 * Category chips, minutes, date, school, teachers, notes and cycle: the fields of a log entry,
 * laid out for a thumb on a phone first.
 */
export function EntryForm({
  values,
  onChange,
  categories,
  colors,
  schools,
  cycles,
  fieldErrors,
  error,
  isSubmitting,
  submitLabel,
  onSubmit,
  secondaryActions,
  submitRef,
  isSticky = false,
}: {
  values: EntryValues;
  onChange: (values: EntryValues) => void;
  categories: TCategory[];
  colors: Map<string, string>;
  schools: SchoolRef[];
  cycles: TCycle[];
  fieldErrors: FieldErrors;
  error: ApiError | string | null;
  isSubmitting: boolean;
  submitLabel: string;
  onSubmit: () => void;
  secondaryActions?: ReactNode;
  submitRef?: RefObject<HTMLButtonElement | null>;
  /** Keep the submit button in view at the bottom of a phone screen. */
  isSticky?: boolean;
}) {
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const set = <K extends keyof EntryValues>(field: K, value: EntryValues[K]) => onChange({ ...values, [field]: value });
  const today = todayLocal();
  const yesterday = addDays(today, -1);

  // Retired categories stay listed only when an edited entry already uses one.
  const visible = categories.filter((c) => c.status === "active" || c.id === values.categoryId);
  const groups = (["coaching", "support"] as const)
    .map((kind) => ({ kind, items: visible.filter((c) => c.kind === kind) }))
    .filter((g) => g.items.length > 0);
  const cycleOptions = cycles.filter((c) => c.status === "active" || c.id === values.cycleId);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSubmit();
  };

  // After a failed save (checked here or by the server), start the fix at the first flagged field.
  useEffect(() => {
    if (Object.keys(fieldErrors).length > 0) focusFirstInvalid(formRef.current);
  }, [fieldErrors]);

  const err = (field: string) => (fieldErrors[field] ? `${id}-${field}-error` : undefined);
  const minutes = Number(values.minutes);

  return (
    <form ref={formRef} className="form entry-form" onSubmit={submit} noValidate>
      <FormAlert error={error} hasFieldErrors={Object.keys(fieldErrors).length > 0} />

      <fieldset className="entry-form__group" aria-describedby={err("categoryId")}>
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
                    type="radio"
                    className="cat-chip__input"
                    name={`${id}-category`}
                    value={category.id}
                    checked={values.categoryId === category.id}
                    onChange={() => set("categoryId", category.id)}
                    aria-invalid={fieldErrors.categoryId ? true : undefined}
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
        {fieldErrors.categoryId ? (
          <p className="field__error" id={`${id}-categoryId-error`}>
            {fieldErrors.categoryId}
          </p>
        ) : null}
      </fieldset>

      <div className={`field entry-form__minutes${fieldErrors.minutes ? " field--invalid" : ""}`}>
        <label className="field__label" htmlFor={`${id}-minutes`}>
          Minutes
        </label>
        <div className="minutes-row">
          <div className="minute-presets" role="group" aria-label="Common durations">
            {CoachingLimits.minutePresets.map((preset) => (
              <button
                key={preset}
                type="button"
                className="minute-preset"
                aria-pressed={minutes === preset}
                aria-label={formatMinutes(preset)}
                onClick={() => set("minutes", String(preset))}
              >
                {preset}
              </button>
            ))}
          </div>
          <input
            id={`${id}-minutes`}
            className="input minutes-input"
            type="number"
            inputMode="numeric"
            min={1}
            max={CoachingLimits.maxMinutesPerEntry}
            step={1}
            placeholder="Other"
            value={values.minutes}
            onChange={(event) => set("minutes", event.target.value)}
            aria-invalid={fieldErrors.minutes ? true : undefined}
            aria-describedby={err("minutes")}
          />
        </div>
        {fieldErrors.minutes ? (
          <p className="field__error" id={`${id}-minutes-error`}>
            {fieldErrors.minutes}
          </p>
        ) : null}
      </div>

      <div className="entry-form__row">
        <div className={`field${fieldErrors.date ? " field--invalid" : ""}`}>
          <label className="field__label" htmlFor={`${id}-date`}>
            Date
          </label>
          <div className="date-row">
            <input
              id={`${id}-date`}
              className="input"
              type="date"
              value={values.date}
              max={addDays(today, CoachingLimits.maxDaysAhead)}
              onChange={(event) => set("date", event.target.value)}
              aria-invalid={fieldErrors.date ? true : undefined}
              aria-describedby={err("date")}
              required
            />
            <div className="date-shortcuts" role="group" aria-label="Date shortcuts">
              <button type="button" className="minute-preset" aria-pressed={values.date === today} onClick={() => set("date", today)}>
                Today
              </button>
              <button
                type="button"
                className="minute-preset"
                aria-pressed={values.date === yesterday}
                onClick={() => set("date", yesterday)}
              >
                Yesterday
              </button>
            </div>
          </div>
          {fieldErrors.date ? (
            <p className="field__error" id={`${id}-date-error`}>
              {fieldErrors.date}
            </p>
          ) : null}
        </div>

        <div className={`field${fieldErrors.schoolId ? " field--invalid" : ""}`}>
          <label className="field__label" htmlFor={`${id}-school`}>
            School
          </label>
          <select
            id={`${id}-school`}
            className="select"
            value={values.schoolId}
            onChange={(event) => set("schoolId", event.target.value)}
            aria-invalid={fieldErrors.schoolId ? true : undefined}
            aria-describedby={err("schoolId")}
          >
            <option value="">No school (district work)</option>
            {schools.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          {fieldErrors.schoolId ? (
            <p className="field__error" id={`${id}-schoolId-error`}>
              {fieldErrors.schoolId}
            </p>
          ) : null}
        </div>
      </div>

      <PersonPicker
        label="Teachers"
        role="teacher"
        schoolId={values.schoolId || undefined}
        value={values.teachers}
        onChange={(teachers) => set("teachers", teachers)}
        isOptional
        placeholder="Type a name"
        maxSelected={CoachingLimits.maxTeachersPerEntry}
        error={fieldErrors.teachers}
      />

      <TextAreaField
        label="Notes"
        isOptional
        rows={2}
        maxLength={CoachingLimits.maxNotes}
        value={values.notes}
        onChange={(value) => set("notes", value)}
        error={fieldErrors.notes}
      />

      {cycleOptions.length > 0 ? (
        <div className={`field${fieldErrors.cycleId ? " field--invalid" : ""}`}>
          <label className="field__label" htmlFor={`${id}-cycle`}>
            Coaching cycle<span className="field__optional"> (optional)</span>
          </label>
          <select
            id={`${id}-cycle`}
            className="select"
            value={values.cycleId}
            onChange={(event) => set("cycleId", event.target.value)}
            aria-invalid={fieldErrors.cycleId ? true : undefined}
            aria-describedby={err("cycleId")}
          >
            <option value="">Not part of a cycle</option>
            {cycleOptions.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title} — {c.teachers.map((t) => t.name).join(", ")}
              </option>
            ))}
          </select>
          {fieldErrors.cycleId ? (
            <p className="field__error" id={`${id}-cycleId-error`}>
              {fieldErrors.cycleId}
            </p>
          ) : null}
        </div>
      ) : null}

      <div className={`entry-form__actions${isSticky ? " entry-form__actions--sticky" : ""}`}>
        <button ref={submitRef} type="submit" className="button button--primary button--large" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : submitLabel}
        </button>
        {secondaryActions}
      </div>
    </form>
  );
}
