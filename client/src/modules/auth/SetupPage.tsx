import { useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { ZSetupRequest, type TSetupRequest } from "../../../../shared/schemas/auth.js";
import { PasswordLimits } from "../../../../shared/limits.js";
import { ApiError, asApiError, type FieldErrors } from "../../api/client.js";
import { authQueries, setupApi } from "./api.js";
import { useQuery } from "@tanstack/react-query";
import { AuthLayout } from "../../components/AuthLayout.js";
import { ErrorState, FormAlert, Spinner } from "../../components/Feedback.js";
import { SelectField, TextField } from "../../components/Field.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useSession } from "../../lib/session.js";
import { timeZoneOptions } from "../../lib/timezones.js";
import { focusFirstInvalid, hasErrors, validate } from "../../lib/validate.js";

export function SetupPage() {
  useDocumentTitle("Set up Coachwork");
  const status = useQuery(authQueries.setupStatus());
  const [isCompleteAfterConflict, setIsCompleteAfterConflict] = useState(false);

  if (status.isPending) {
    return (
      <AuthLayout title="Set up Coachwork">
        <Spinner />
      </AuthLayout>
    );
  }
  if (status.error) {
    return (
      <AuthLayout title="Set up Coachwork">
        <ErrorState error={status.error} onRetry={() => void status.refetch()} />
      </AuthLayout>
    );
  }
  if (isCompleteAfterConflict || status.data?.needsSetup === false) {
    return (
      <AuthLayout
        title="Setup is complete"
        description="This Coachwork server already has a district and an administrator."
      >
        <Link className="button button--primary button--block" to="/login">
          Sign in
        </Link>
      </AuthLayout>
    );
  }
  return <SetupForm onAlreadyComplete={() => setIsCompleteAfterConflict(true)} />;
}

function SetupForm({ onAlreadyComplete }: { onAlreadyComplete: () => void }) {
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const { signIn } = useSession();
  const formRef = useRef<HTMLFormElement>(null);
  const [timeZones] = useState(timeZoneOptions);
  const [values, setValues] = useState<TSetupRequest>({
    token: searchParams.get("token") ?? "",
    districtName: "",
    timezone: "America/New_York",
    givenName: "",
    familyName: "",
    email: "",
    password: "",
  });
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiError | string | null>(null);
  const [isSubmitting, setIsSubmitting] = useState(false);

  const set = (field: keyof TSetupRequest) => (value: string) => setValues((v) => ({ ...v, [field]: value }));

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const clientErrors = validate(ZSetupRequest, values);
    setFieldErrors(clientErrors);
    if (hasErrors(clientErrors)) {
      setError("Please fix the highlighted fields.");
      focusFirstInvalid(formRef.current);
      return;
    }
    setError(null);
    setIsSubmitting(true);
    try {
      const me = await setupApi.complete(values);
      signIn(me);
      navigate("/", { replace: true });
    } catch (cause) {
      const apiError = asApiError(cause);
      if (apiError.code === "setup_complete") {
        onAlreadyComplete();
        return;
      }
      setFieldErrors(apiError.fieldErrors);
      setError(apiError.code === "forbidden" || apiError.status === 403 ? "The setup token is not valid. Copy it again from the server log." : apiError);
      focusFirstInvalid(formRef.current);
    } finally {
      setIsSubmitting(false);
    }
  };

  return (
    <AuthLayout
      isWide
      title="Set up Coachwork"
      description="Create your district and the first administrator account. You can add schools and people next."
    >
      <form ref={formRef} className="form" onSubmit={onSubmit} noValidate>
        <FormAlert error={error} hasFieldErrors={hasErrors(fieldErrors)} />
        <TextField
          label="Setup token"
          value={values.token}
          onChange={set("token")}
          error={fieldErrors.token}
          hint="Printed in the server log when Coachwork starts for the first time."
          autoComplete="off"
          spellCheck={false}
          required
        />
        <fieldset className="fieldset">
          <legend className="fieldset__legend">District</legend>
          <TextField
            label="District name"
            value={values.districtName}
            onChange={set("districtName")}
            error={fieldErrors.districtName}
            autoComplete="organization"
            required
          />
          <SelectField
            label="Time zone"
            value={values.timezone}
            onChange={set("timezone")}
            options={timeZones}
            error={fieldErrors.timezone}
            hint="Used for dates, schedules and reports."
          />
        </fieldset>
        <fieldset className="fieldset">
          <legend className="fieldset__legend">Administrator</legend>
          <div className="form-row">
            <TextField
              label="Given name"
              value={values.givenName}
              onChange={set("givenName")}
              error={fieldErrors.givenName}
              autoComplete="given-name"
              required
            />
            <TextField
              label="Family name"
              value={values.familyName}
              onChange={set("familyName")}
              error={fieldErrors.familyName}
              autoComplete="family-name"
              required
            />
          </div>
          <TextField
            label="Email"
            type="email"
            value={values.email}
            onChange={set("email")}
            error={fieldErrors.email}
            autoComplete="email"
            required
          />
          <TextField
            label="Password"
            type="password"
            value={values.password}
            onChange={set("password")}
            error={fieldErrors.password}
            hint={`At least ${PasswordLimits.min} characters. A short sentence is easy to remember.`}
            autoComplete="new-password"
            required
          />
        </fieldset>
        <button type="submit" className="button button--primary button--block" disabled={isSubmitting}>
          {isSubmitting ? "Setting up…" : "Create district"}
        </button>
      </form>
    </AuthLayout>
  );
}
