import { useRef, useState, type FormEvent } from "react";
import { PasswordLimits } from "../../../../shared/limits.js";
import { ZChangePasswordRequest, ZUpdateMeRequest } from "../../../../shared/schemas/auth.js";
import { ApiError, asApiError, type FieldErrors } from "../../api/client.js";
import { meApi } from "./api.js";
import { FormAlert, Notice, PageHeader } from "../../components/Feedback.js";
import { TextField } from "../../components/Field.js";
import { RoleList } from "../../components/RoleList.js";
import { initials } from "../../lib/format.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useMe, useSession } from "../../lib/session.js";
import { focusFirstInvalid, hasErrors, validate } from "../../lib/validate.js";
import { ApiTokensSection } from "./ApiTokensSection.js";

export function ProfilePage() {
  useDocumentTitle("Profile");
  const me = useMe();
  return (
    <>
      <PageHeader title="Profile" description="Your name, password and personal API tokens." />
      <div className="profile-summary">
        <span className="avatar avatar--lg" aria-hidden="true">
          {initials(me.person)}
        </span>
        <div>
          <p className="profile-summary__name">{me.person.displayName}</p>
          <p className="profile-summary__email">{me.person.email ?? "No email"}</p>
        </div>
        <div className="profile-summary__roles">
          <RoleList roles={me.person.roles} />
        </div>
      </div>
      <NameSection />
      <PasswordSection />
      <ApiTokensSection />
    </>
  );
}

function NameSection() {
  const me = useMe();
  const { signIn } = useSession();
  const formRef = useRef<HTMLFormElement>(null);
  const [givenName, setGivenName] = useState(me.person.givenName);
  const [familyName, setFamilyName] = useState(me.person.familyName);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiError | string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [isSubmitting, setIsSubmitting] = useState(false);
  const isDirty = givenName !== me.person.givenName || familyName !== me.person.familyName;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setNotice(null);
    const body = { givenName: givenName.trim(), familyName: familyName.trim() };
    const clientErrors = validate(ZUpdateMeRequest, body);
    setFieldErrors(clientErrors);
    if (hasErrors(clientErrors)) {
      setError("Please fix the highlighted fields.");
      focusFirstInvalid(formRef.current);
      return;
    }
    setError(null);
    setIsSubmitting(true);
    try {
      const updated = await meApi.update(body, me);
      signIn(updated);
      setGivenName(updated.person.givenName);
      setFamilyName(updated.person.familyName);
      setNotice("Your name was updated.");
    } catch (cause) {
      const apiError = asApiError(cause);
      setFieldErrors(apiError.fieldErrors);
      setError(apiError);
    } finally {
      setIsSubmitting(false);
    }
  };

  return (
    <section className="section" aria-labelledby="profile-name-title">
      <h2 id="profile-name-title" className="section__title">
        Your name
      </h2>
      <form ref={formRef} className="form form--panel" onSubmit={onSubmit} noValidate>
        <FormAlert error={error} hasFieldErrors={hasErrors(fieldErrors)} />
        {notice ? <Notice tone="success">{notice}</Notice> : null}
        <div className="form-row">
          <TextField
            label="Given name"
            value={givenName}
            onChange={setGivenName}
            error={fieldErrors.givenName}
            autoComplete="given-name"
            required
          />
          <TextField
            label="Family name"
            value={familyName}
            onChange={setFamilyName}
            error={fieldErrors.familyName}
            autoComplete="family-name"
            required
          />
        </div>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={isSubmitting || !isDirty}>
            {isSubmitting ? "Saving…" : "Save name"}
          </button>
        </div>
      </form>
    </section>
  );
}

function PasswordSection() {
  const me = useMe();
  const formRef = useRef<HTMLFormElement>(null);
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiError | string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [isSubmitting, setIsSubmitting] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setNotice(null);
    const body = { currentPassword, newPassword };
    const clientErrors = validate(ZChangePasswordRequest, body);
    if (me.person.hasPassword && !currentPassword) clientErrors.currentPassword = "Enter your current password";
    if (!clientErrors.newPassword && newPassword !== confirmation) clientErrors.confirmation = "The passwords do not match";
    setFieldErrors(clientErrors);
    if (hasErrors(clientErrors)) {
      setError("Please fix the highlighted fields.");
      focusFirstInvalid(formRef.current);
      return;
    }
    setError(null);
    setIsSubmitting(true);
    try {
      await meApi.changePassword(body);
      setCurrentPassword("");
      setNewPassword("");
      setConfirmation("");
      setNotice("Your password was changed.");
    } catch (cause) {
      const apiError = asApiError(cause);
      setFieldErrors(apiError.fieldErrors);
      setError(apiError);
      focusFirstInvalid(formRef.current);
    } finally {
      setIsSubmitting(false);
    }
  };

  return (
    <section className="section" aria-labelledby="profile-password-title">
      <h2 id="profile-password-title" className="section__title">
        Password
      </h2>
      <form ref={formRef} className="form form--panel" onSubmit={onSubmit} noValidate>
        <FormAlert error={error} hasFieldErrors={hasErrors(fieldErrors)} />
        {notice ? <Notice tone="success">{notice}</Notice> : null}
        {/* A hidden username helps password managers file the new password under the right account. */}
        <input type="email" name="username" autoComplete="username" value={me.person.email ?? ""} readOnly hidden />
        {me.person.hasPassword ? (
          <TextField
            label="Current password"
            type="password"
            value={currentPassword}
            onChange={setCurrentPassword}
            error={fieldErrors.currentPassword}
            autoComplete="current-password"
            required
          />
        ) : null}
        <div className="form-row">
          <TextField
            label="New password"
            type="password"
            value={newPassword}
            onChange={setNewPassword}
            error={fieldErrors.newPassword}
            hint={`At least ${PasswordLimits.min} characters.`}
            autoComplete="new-password"
            required
          />
          <TextField
            label="Confirm new password"
            type="password"
            value={confirmation}
            onChange={setConfirmation}
            error={fieldErrors.confirmation}
            autoComplete="new-password"
            required
          />
        </div>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={isSubmitting}>
            {isSubmitting ? "Changing…" : "Change password"}
          </button>
        </div>
      </form>
    </section>
  );
}
