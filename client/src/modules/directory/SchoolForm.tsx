import { z } from "zod";
import { SCHOOL_LEVEL_LABELS, SCHOOL_LEVELS, type SchoolLevel } from "../../../../shared/roles.js";
import { ZCreateSchoolRequest, type TSchool } from "../../../../shared/schemas/schools.js";
import { Form, FormSelectField, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";

export type SchoolFormValues = { name: string; level: SchoolLevel; code: string; status: "active" | "inactive" };

export function schoolToValues(school: TSchool | null): SchoolFormValues {
  return {
    name: school?.name ?? "",
    level: school?.level ?? "elementary",
    code: school?.code ?? "",
    status: school?.status ?? "active",
  };
}

/** The shared create schema (name, level, code: an empty code is none) plus the status when editing. */
const ZSchoolForm = ZCreateSchoolRequest.extend({
  code: z.string().trim().max(32).transform((code) => code || null),
  status: z.enum(["active", "inactive"]),
});

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
  onSubmit: (values: z.output<typeof ZSchoolForm>) => Promise<void>;
  onCancel: () => void;
}) {
  const form = useZodForm(ZSchoolForm, initialValues);
  return (
    <Form form={form} onSubmit={onSubmit} className="form form--panel">
      <FormTextField name="name" label="School name" autoComplete="off" required />
      <div className="form-row">
        <FormSelectField name="level" label="Level" options={SCHOOL_LEVELS.map((level) => ({ value: level, label: SCHOOL_LEVEL_LABELS[level] }))} />
        <FormTextField
          name="code"
          label="School code"
          isOptional
          hint="The code your SIS uses, so roster imports match this school."
          maxLength={32}
          autoComplete="off"
        />
      </div>
      {isNew ? null : (
        <FormSelectField
          name="status"
          label="Status"
          options={[
            { value: "active", label: "Active" },
            { value: "inactive", label: "Inactive (closed or merged)" },
          ]}
        />
      )}
      <div className="form__actions">
        <SubmitButton label={submitLabel} pendingLabel="Saving…" />
        <button type="button" className="button button--ghost" onClick={onCancel} disabled={form.formState.isSubmitting}>
          Cancel
        </button>
      </div>
    </Form>
  );
}
