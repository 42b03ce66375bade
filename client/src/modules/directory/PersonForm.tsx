import { useController, useFieldArray } from "react-hook-form";
import { z } from "zod";
import { PasswordLimits } from "../../../../shared/limits.js";
import { ROLE_LABELS, ROLES, STUDENT_ROLES, type Role } from "../../../../shared/roles.js";
import {
  ZCreatePersonRequest,
  type TCreatePersonRequest,
  type TPerson,
  type TUpdatePersonRequest,
} from "../../../../shared/schemas/people.js";
import { humanizeIssue } from "../../api/client.js";
import { Icon } from "../../components/Icon.js";
import { Form, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { friendlyIssueMessage } from "../../kits/form/messages.js";
import { useSchoolOptions } from "./useSchoolOptions.js";

type RoleRow = { key: number; role: Role; schoolId: string };

export type PersonFormValues = {
  givenName: string;
  familyName: string;
  email: string;
  gradeLevel: string;
  studentNumber: string;
  password: string;
  roles: RoleRow[];
};

let rowKey = 0;
const nextKey = () => ++rowKey;

/** A role row's school: a school's id, this for district-wide, or "" until one is chosen. */
const DISTRICT_WIDE = "district";

export function emptyPersonValues(): PersonFormValues {
  return {
    givenName: "",
    familyName: "",
    email: "",
    gradeLevel: "",
    studentNumber: "",
    password: "",
    roles: [{ key: nextKey(), role: "teacher", schoolId: "" }],
  };
}

export function personToValues(person: TPerson): PersonFormValues {
  return {
    givenName: person.givenName,
    familyName: person.familyName,
    email: person.email ?? "",
    gradeLevel: person.gradeLevel ?? "",
    studentNumber: person.studentNumber ?? "",
    password: "",
    roles: person.roles.map((r) => ({ key: nextKey(), role: r.role, schoolId: r.schoolId ?? DISTRICT_WIDE })),
  };
}

function hasStudentRole(values: { roles: { role: Role }[] }): boolean {
  return values.roles.some((r) => STUDENT_ROLES.includes(r.role));
}

function toRequest(values: Omit<PersonFormValues, "roles"> & { roles: Omit<RoleRow, "key">[] }): TCreatePersonRequest {
  const isStudent = hasStudentRole(values);
  const request: TCreatePersonRequest = {
    givenName: values.givenName.trim(),
    familyName: values.familyName.trim(),
    email: values.email.trim() ? values.email.trim() : null,
    gradeLevel: isStudent && values.gradeLevel.trim() ? values.gradeLevel.trim() : null,
    studentNumber: isStudent && values.studentNumber.trim() ? values.studentNumber.trim() : null,
    roles: values.roles.map((r) => ({ role: r.role, schoolId: r.schoolId === DISTRICT_WIDE || r.schoolId === "" ? null : r.schoolId })),
  };
  if (values.password) request.password = values.password;
  return request;
}

/**
 * Only the fields that changed, so the audit log records what was actually edited.
 * Roles are compared as a set of role/school pairs.
 */
export function toUpdateRequest(values: PersonFormValues, person: TPerson): TUpdatePersonRequest {
  const { password: _password, ...next } = toRequest(values);
  const { password: _unused, ...before } = toRequest(personToValues(person));
  const roleKey = (roles: TCreatePersonRequest["roles"]) =>
    roles
      .map((r) => `${r.role}:${r.schoolId ?? ""}`)
      .sort()
      .join("|");
  const changes: TUpdatePersonRequest = {};
  if (next.givenName !== before.givenName) changes.givenName = next.givenName;
  if (next.familyName !== before.familyName) changes.familyName = next.familyName;
  if (next.email !== before.email) changes.email = next.email;
  if (next.gradeLevel !== before.gradeLevel) changes.gradeLevel = next.gradeLevel;
  if (next.studentNumber !== before.studentNumber) changes.studentNumber = next.studentNumber;
  if (roleKey(next.roles) !== roleKey(before.roles)) changes.roles = next.roles;
  return changes;
}

export function toCreateRequest(values: PersonFormValues): TCreatePersonRequest {
  return toRequest(values);
}

const ZRoleRow = z.object({ key: z.number(), role: z.enum(ROLES), schoolId: z.string() });

/**
 * The form's values checked as the request they become (the shared ZCreatePersonRequest, so the
 * limits match the server's), plus what only the form knows: an initial password's length and a
 * role listed twice.
 */
const ZPersonForm = z
  .object({
    givenName: z.string(),
    familyName: z.string(),
    email: z.string(),
    gradeLevel: z.string(),
    studentNumber: z.string(),
    password: z.string(),
    roles: z.array(ZRoleRow),
  })
  .superRefine((values, ctx) => {
    const result = ZCreatePersonRequest.safeParse(toRequest(values), { error: friendlyIssueMessage });
    for (const issue of result.error?.issues ?? []) ctx.addIssue({ code: "custom", path: issue.path, message: humanizeIssue(issue.message) });
    if (values.password && values.password.length < PasswordLimits.min) {
      ctx.addIssue({ code: "custom", path: ["password"], message: `Use at least ${PasswordLimits.min} characters` });
    }
    const seen = new Set<string>();
    values.roles.forEach((r, index) => {
      // A new role starts at a school, not district-wide: the admin picks which (or district-wide, on purpose).
      if (r.schoolId === "") ctx.addIssue({ code: "custom", path: ["roles", index, "schoolId"], message: "Choose a school (or District-wide)" });
      const id = `${r.role}:${r.schoolId}`;
      if (seen.has(id)) ctx.addIssue({ code: "custom", path: ["roles", index, "role"], message: "This role is already listed" });
      seen.add(id);
    });
  });

/** The add/edit person form: names, email, roles with their schools, student details. */
export function PersonForm({
  initialValues,
  isNew,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initialValues: PersonFormValues;
  isNew: boolean;
  submitLabel: string;
  onSubmit: (values: PersonFormValues) => Promise<void>;
  onCancel: () => void;
}) {
  const { options: schoolOptions, isLoading: isLoadingSchools } = useSchoolOptions();
  const form = useZodForm(ZPersonForm, initialValues);
  const roles = useFieldArray({ control: form.control, name: "roles", keyName: "fieldKey" });
  const watchedRoles = form.watch("roles");
  const isStudent = watchedRoles.some((r) => STUDENT_ROLES.includes(r.role));
  const rolesError = form.formState.errors.roles?.message ?? form.formState.errors.roles?.root?.message;

  return (
    <Form form={form} onSubmit={onSubmit} className="form form--panel">
      <div className="form-row">
        <FormTextField name="givenName" label="Given name" autoComplete="off" required />
        <FormTextField name="familyName" label="Family name" autoComplete="off" required />
      </div>
      <FormTextField
        name="email"
        label="Email"
        type="email"
        isOptional
        hint="Used to sign in and for notifications. Students without an email can still be rostered."
        autoComplete="off"
      />

      <fieldset className="fieldset" aria-describedby={rolesError ? "roles-error" : undefined}>
        <legend className="fieldset__legend">Roles</legend>
        <p className="field__hint">Each role applies to one school, or to the whole district.</p>
        <div className="role-rows">
          <div className="role-rows__header only-wide" aria-hidden="true">
            <span>Role</span>
            <span>School</span>
            <span />
          </div>
          {roles.fields.map((row, index) => (
            <div className="role-rows__row" key={row.fieldKey}>
              <RoleSelect index={index} count={roles.fields.length} htmlId={`role-${row.key}`} />
              <SchoolSelect
                index={index}
                count={roles.fields.length}
                htmlId={`school-${row.key}`}
                options={schoolOptions}
                isLoading={isLoadingSchools}
              />
              <button
                type="button"
                className="icon-button role-rows__remove"
                onClick={() => roles.remove(index)}
                disabled={roles.fields.length <= 1}
                title={roles.fields.length <= 1 ? "A person needs at least one role" : undefined}
              >
                <Icon name="trash" size={18} />
                <span className="visually-hidden">
                  Remove role {index + 1} ({ROLE_LABELS[watchedRoles[index]?.role ?? row.role]})
                </span>
              </button>
            </div>
          ))}
        </div>
        {rolesError ? (
          <p className="field__error" id="roles-error">
            {rolesError}
          </p>
        ) : null}
        <button type="button" className="button button--small" onClick={() => roles.append({ key: nextKey(), role: "teacher", schoolId: "" })}>
          <Icon name="plus" size={16} />
          Add role
        </button>
      </fieldset>

      {isStudent ? (
        <fieldset className="fieldset">
          <legend className="fieldset__legend">Student details</legend>
          <div className="form-row">
            <FormTextField name="gradeLevel" label="Grade level" isOptional hint="For example K, 5 or 11." maxLength={16} />
            <FormTextField name="studentNumber" label="Student number" isOptional maxLength={64} />
          </div>
        </fieldset>
      ) : null}

      {isNew ? (
        <FormTextField
          name="password"
          label="Initial password"
          type="password"
          isOptional
          hint={`At least ${PasswordLimits.min} characters. Leave empty and they can use “Forgot password?” to choose one.`}
          autoComplete="new-password"
        />
      ) : null}

      <div className="form__actions">
        <SubmitButton label={submitLabel} pendingLabel="Saving…" />
        <button type="button" className="button button--ghost" onClick={onCancel} disabled={form.formState.isSubmitting}>
          Cancel
        </button>
      </div>
    </Form>
  );
}

/** One role's select; its label and error stay as before (the field kit's frame has no per-row label). */
function RoleSelect({ index, count, htmlId }: { index: number; count: number; htmlId: string }) {
  const { field, fieldState } = useController<PersonFormValues>({ name: `roles.${index}.role` });
  const error = fieldState.error?.message;
  return (
    <div className={`field${error ? " field--invalid" : ""}`}>
      <label className="field__label role-rows__label" htmlFor={htmlId}>
        Role {count > 1 ? index + 1 : ""}
      </label>
      <select
        ref={field.ref}
        id={htmlId}
        className="select"
        value={String(field.value)}
        onChange={(event) => field.onChange(event.target.value)}
        onBlur={field.onBlur}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${htmlId}-error` : undefined}
      >
        {ROLES.map((role) => (
          <option key={role} value={role}>
            {ROLE_LABELS[role]}
          </option>
        ))}
      </select>
      {error ? (
        <p className="field__error" id={`${htmlId}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function SchoolSelect({
  index,
  count,
  htmlId,
  options,
  isLoading,
}: {
  index: number;
  count: number;
  htmlId: string;
  options: { value: string; label: string }[];
  isLoading: boolean;
}) {
  const { field, fieldState } = useController<PersonFormValues>({ name: `roles.${index}.schoolId` });
  const error = fieldState.error?.message;
  const value = String(field.value);
  return (
    <div className={`field${error ? " field--invalid" : ""}`}>
      <label className="field__label role-rows__label" htmlFor={htmlId}>
        School{count > 1 ? ` for role ${index + 1}` : ""}
      </label>
      <select
        ref={field.ref}
        id={htmlId}
        className="select"
        value={value}
        onChange={(event) => field.onChange(event.target.value)}
        onBlur={field.onBlur}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${htmlId}-error` : undefined}
      >
        <option value="" disabled>
          Choose a school
        </option>
        {isLoading && value && value !== DISTRICT_WIDE ? <option value={value}>Loading…</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
        <option value={DISTRICT_WIDE}>District-wide</option>
      </select>
      {error ? (
        <p className="field__error" id={`${htmlId}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
