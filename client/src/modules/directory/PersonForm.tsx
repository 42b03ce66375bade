import { useRef, useState, type FormEvent } from "react";
import { PasswordLimits } from "../../../../shared/limits.js";
import { ROLE_LABELS, ROLES, STUDENT_ROLES, type Role } from "../../../../shared/roles.js";
import {
  ZCreatePersonRequest,
  type TCreatePersonRequest,
  type TPerson,
  type TUpdatePersonRequest,
} from "../../../../shared/schemas/people.js";
import { ApiError, asApiError, type FieldErrors } from "../../api/client.js";
import { FormAlert } from "../../components/Feedback.js";
import { TextField } from "../../components/Field.js";
import { Icon } from "../../components/Icon.js";
import { focusFirstInvalid, hasErrors, validate } from "../../lib/validate.js";
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
    roles: person.roles.map((r) => ({ key: nextKey(), role: r.role, schoolId: r.schoolId ?? "" })),
  };
}

function hasStudentRole(values: PersonFormValues): boolean {
  return values.roles.some((r) => STUDENT_ROLES.includes(r.role));
}

function toRequest(values: PersonFormValues): TCreatePersonRequest {
  const isStudent = hasStudentRole(values);
  const request: TCreatePersonRequest = {
    givenName: values.givenName.trim(),
    familyName: values.familyName.trim(),
    email: values.email.trim() ? values.email.trim() : null,
    gradeLevel: isStudent && values.gradeLevel.trim() ? values.gradeLevel.trim() : null,
    studentNumber: isStudent && values.studentNumber.trim() ? values.studentNumber.trim() : null,
    roles: values.roles.map((r) => ({ role: r.role, schoolId: r.schoolId || null })),
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
  const formRef = useRef<HTMLFormElement>(null);
  const { options: schoolOptions, isLoading: isLoadingSchools } = useSchoolOptions();
  const [values, setValues] = useState(initialValues);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiError | string | null>(null);
  const [isSubmitting, setIsSubmitting] = useState(false);

  const set = (field: "givenName" | "familyName" | "email" | "gradeLevel" | "studentNumber" | "password") =>
    (value: string) => setValues((v) => ({ ...v, [field]: value }));

  const setRole = (key: number, patch: Partial<Omit<RoleRow, "key">>) =>
    setValues((v) => ({ ...v, roles: v.roles.map((r) => (r.key === key ? { ...r, ...patch } : r)) }));

  const addRole = () =>
    setValues((v) => ({ ...v, roles: [...v.roles, { key: nextKey(), role: "teacher", schoolId: "" }] }));

  const removeRole = (key: number) => setValues((v) => ({ ...v, roles: v.roles.filter((r) => r.key !== key) }));

  const onFormSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const request = toRequest(values);
    const clientErrors = validate(ZCreatePersonRequest, request);
    if (values.password && values.password.length < PasswordLimits.min) {
      clientErrors.password = `Use at least ${PasswordLimits.min} characters`;
    }
    const seen = new Set<string>();
    values.roles.forEach((r, index) => {
      const id = `${r.role}:${r.schoolId}`;
      if (seen.has(id)) clientErrors[`roles.${index}.role`] = "This role is already listed";
      seen.add(id);
    });
    setFieldErrors(clientErrors);
    if (hasErrors(clientErrors)) {
      setError("Please fix the highlighted fields.");
      focusFirstInvalid(formRef.current);
      return;
    }
    setError(null);
    setIsSubmitting(true);
    try {
      await onSubmit(values);
    } catch (cause) {
      const apiError = asApiError(cause);
      setFieldErrors(apiError.fieldErrors);
      setError(apiError);
      focusFirstInvalid(formRef.current);
      setIsSubmitting(false);
    }
  };

  const isStudent = hasStudentRole(values);
  const rolesError = fieldErrors.roles;

  return (
    <form ref={formRef} className="form form--panel" onSubmit={onFormSubmit} noValidate>
      <FormAlert error={error} hasFieldErrors={hasErrors(fieldErrors)} />
      <div className="form-row">
        <TextField
          label="Given name"
          value={values.givenName}
          onChange={set("givenName")}
          error={fieldErrors.givenName}
          autoComplete="off"
          required
        />
        <TextField
          label="Family name"
          value={values.familyName}
          onChange={set("familyName")}
          error={fieldErrors.familyName}
          autoComplete="off"
          required
        />
      </div>
      <TextField
        label="Email"
        type="email"
        value={values.email}
        onChange={set("email")}
        error={fieldErrors.email}
        isOptional
        hint="Used to sign in and for notifications. Students without an email can still be rostered."
        autoComplete="off"
      />

      <fieldset className="fieldset" aria-describedby={rolesError ? "roles-error" : undefined}>
        <legend className="fieldset__legend">Roles</legend>
        <p className="field__hint">
          Each role applies to one school, or to the whole district.
        </p>
        <div className="role-rows">
          <div className="role-rows__header only-wide" aria-hidden="true">
            <span>Role</span>
            <span>School</span>
            <span />
          </div>
          {values.roles.map((row, index) => {
            const roleError = fieldErrors[`roles.${index}.role`] ?? fieldErrors[`roles.${index}`];
            const schoolError = fieldErrors[`roles.${index}.schoolId`];
            return (
              <div className="role-rows__row" key={row.key}>
                <div className={`field${roleError ? " field--invalid" : ""}`}>
                  <label className="field__label role-rows__label" htmlFor={`role-${row.key}`}>
                    Role {values.roles.length > 1 ? index + 1 : ""}
                  </label>
                  <select
                    id={`role-${row.key}`}
                    className="select"
                    value={row.role}
                    onChange={(event) => {
                      const role = ROLES.find((r) => r === event.target.value);
                      if (role) setRole(row.key, { role });
                    }}
                    aria-invalid={roleError ? true : undefined}
                    aria-describedby={roleError ? `role-${row.key}-error` : undefined}
                  >
                    {ROLES.map((role) => (
                      <option key={role} value={role}>
                        {ROLE_LABELS[role]}
                      </option>
                    ))}
                  </select>
                  {roleError ? (
                    <p className="field__error" id={`role-${row.key}-error`}>
                      {roleError}
                    </p>
                  ) : null}
                </div>
                <div className={`field${schoolError ? " field--invalid" : ""}`}>
                  <label className="field__label role-rows__label" htmlFor={`school-${row.key}`}>
                    School{values.roles.length > 1 ? ` for role ${index + 1}` : ""}
                  </label>
                  <select
                    id={`school-${row.key}`}
                    className="select"
                    value={row.schoolId}
                    onChange={(event) => setRole(row.key, { schoolId: event.target.value })}
                    aria-invalid={schoolError ? true : undefined}
                    aria-describedby={schoolError ? `school-${row.key}-error` : undefined}
                  >
                    <option value="">District-wide</option>
                    {isLoadingSchools && row.schoolId ? <option value={row.schoolId}>Loading…</option> : null}
                    {schoolOptions.map((option) => (
                      <option key={option.value} value={option.value}>
                        {option.label}
                      </option>
                    ))}
                  </select>
                  {schoolError ? (
                    <p className="field__error" id={`school-${row.key}-error`}>
                      {schoolError}
                    </p>
                  ) : null}
                </div>
                <button
                  type="button"
                  className="icon-button role-rows__remove"
                  onClick={() => removeRole(row.key)}
                  disabled={values.roles.length <= 1}
                  title={values.roles.length <= 1 ? "A person needs at least one role" : undefined}
                >
                  <Icon name="trash" size={18} />
                  <span className="visually-hidden">
                    Remove role {index + 1} ({ROLE_LABELS[row.role]})
                  </span>
                </button>
              </div>
            );
          })}
        </div>
        {rolesError ? (
          <p className="field__error" id="roles-error">
            {rolesError}
          </p>
        ) : null}
        <button type="button" className="button button--small" onClick={addRole}>
          <Icon name="plus" size={16} />
          Add role
        </button>
      </fieldset>

      {isStudent ? (
        <fieldset className="fieldset">
          <legend className="fieldset__legend">Student details</legend>
          <div className="form-row">
            <TextField
              label="Grade level"
              value={values.gradeLevel}
              onChange={set("gradeLevel")}
              error={fieldErrors.gradeLevel}
              isOptional
              hint="For example K, 5 or 11."
              maxLength={16}
            />
            <TextField
              label="Student number"
              value={values.studentNumber}
              onChange={set("studentNumber")}
              error={fieldErrors.studentNumber}
              isOptional
              maxLength={64}
            />
          </div>
        </fieldset>
      ) : null}

      {isNew ? (
        <TextField
          label="Initial password"
          type="password"
          value={values.password}
          onChange={set("password")}
          error={fieldErrors.password}
          isOptional
          hint={`At least ${PasswordLimits.min} characters. Leave empty and they can use “Forgot password?” to choose one.`}
          autoComplete="new-password"
        />
      ) : null}

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
