import { useRef, useState, type FormEvent } from "react";
import { SCHOOL_LEVEL_LABELS, SCHOOL_LEVELS, type SchoolLevel } from "../../../../shared/roles.js";
import { ZCreateSchoolRequest, type TSchool } from "../../../../shared/schemas/schools.js";
import { ApiError, asApiError, type FieldErrors } from "../../api/client.js";
import { FormAlert } from "../../components/Feedback.js";
import { SelectField, TextField } from "../../components/Field.js";
import { focusFirstInvalid, hasErrors, validate } from "../../lib/validate.js";

export type SchoolFormValues = { name: string; level: SchoolLevel; code: string; status: "active" | "inactive" };

export function schoolToValues(school: TSchool | null): SchoolFormValues {
  return {
    name: school?.name ?? "",
    level: school?.level ?? "elementary",
    code: school?.code ?? "",
    status: school?.status ?? "active",
  };
}

/** Add or edit a school: name, level, an optional code (the SIS id), and status when editing. */
export function SchoolForm({
  initialValues,
  isNew,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initialValues: SchoolFormValues;
  isNew: boolean;
  submitLabel: string;
  onSubmit: (values: { name: string; level: SchoolLevel; code: string | null; status: "active" | "inactive" }) => Promise<void>;
  onCancel: () => void;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState(initialValues);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiError | string | null>(null);
  const [isSubmitting, setIsSubmitting] = useState(false);

  const onFormSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const request = { name: values.name.trim(), level: values.level, code: values.code.trim() || null };
    const clientErrors = validate(ZCreateSchoolRequest, request);
    setFieldErrors(clientErrors);
    if (hasErrors(clientErrors)) {
      setError("Please fix the highlighted fields.");
      focusFirstInvalid(formRef.current);
      return;
    }
    setError(null);
    setIsSubmitting(true);
    try {
      await onSubmit({ ...request, status: values.status });
    } catch (cause) {
      const apiError = asApiError(cause);
      setFieldErrors(apiError.fieldErrors);
      setError(apiError);
      focusFirstInvalid(formRef.current);
      setIsSubmitting(false);
    }
  };

  return (
    <form ref={formRef} className="form form--panel" onSubmit={onFormSubmit} noValidate>
      <FormAlert error={error} hasFieldErrors={hasErrors(fieldErrors)} />
      <TextField
        label="School name"
        value={values.name}
        onChange={(name) => setValues((v) => ({ ...v, name }))}
        error={fieldErrors.name}
        autoComplete="off"
        required
      />
      <div className="form-row">
        <SelectField
          label="Level"
          value={values.level}
          onChange={(value) => {
            const level = SCHOOL_LEVELS.find((l) => l === value);
            if (level) setValues((v) => ({ ...v, level }));
          }}
          options={SCHOOL_LEVELS.map((level) => ({ value: level, label: SCHOOL_LEVEL_LABELS[level] }))}
          error={fieldErrors.level}
        />
        <TextField
          label="School code"
          value={values.code}
          onChange={(code) => setValues((v) => ({ ...v, code }))}
          error={fieldErrors.code}
          isOptional
          hint="The code your SIS uses, so roster imports match this school."
          maxLength={32}
          autoComplete="off"
        />
      </div>
      {isNew ? null : (
        <SelectField
          label="Status"
          value={values.status}
          onChange={(value) => setValues((v) => ({ ...v, status: value === "inactive" ? "inactive" : "active" }))}
          options={[
            { value: "active", label: "Active" },
            { value: "inactive", label: "Inactive (closed or merged)" },
          ]}
          error={fieldErrors.status}
        />
      )}
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : submitLabel}
        </button>
        <button type="button" className="button button--ghost" onClick={onCancel} disabled={isSubmitting}>
          Cancel
        </button>
      </div>
    </form>
  );
}
