import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { ZSetupRequest, type TSetupRequest } from "../../../../shared/schemas/auth.js";
import { PasswordLimits } from "../../../../shared/limits.js";
import { asApiError } from "../../api/client.js";
import { authQueries, setupApi } from "./api.js";
import { useQuery } from "@tanstack/react-query";
import { AuthLayout } from "../../components/AuthLayout.js";
import { ErrorState, Spinner } from "../../components/Feedback.js";
import { Form, FormSelectField, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useSession } from "../../lib/session.js";
import { timeZoneOptions } from "../../lib/timezones.js";

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
  const [timeZones] = useState(timeZoneOptions);
  const form = useZodForm(ZSetupRequest, {
    token: searchParams.get("token") ?? "",
    districtName: "",
    timezone: "America/New_York",
    givenName: "",
    familyName: "",
    email: "",
    password: "",
  });

  const onSubmit = async (values: TSetupRequest) => {
    try {
      // The address this page was opened at becomes the district's public address (links in emails).
      const me = await setupApi.complete({ ...values, publicUrl: window.location.origin });
      signIn(me);
      navigate("/", { replace: true });
    } catch (cause) {
      // Someone finished setup meanwhile: say so instead of an error.
      if (asApiError(cause).code === "setup_complete") onAlreadyComplete();
      else throw cause;
    }
  };

  return (
    <AuthLayout
      isWide
      title="Set up Coachwork"
      description="Create your district and the first administrator account. You can add schools and people next."
    >
      <Form
        form={form}
        onSubmit={onSubmit}
        describeError={(error) =>
          error.code === "forbidden" || error.status === 403 ? "The setup token is not valid. Copy it again from the server log." : null
        }
      >
        <FormTextField
          name="token"
          label="Setup token"
          hint="Printed in the server log when Coachwork starts for the first time."
          autoComplete="off"
          spellCheck={false}
          required
        />
        <fieldset className="fieldset">
          <legend className="fieldset__legend">District</legend>
          <FormTextField name="districtName" label="District name" autoComplete="organization" required />
          <FormSelectField name="timezone" label="Time zone" options={timeZones} hint="Used for dates, schedules and reports." />
        </fieldset>
        <fieldset className="fieldset">
          <legend className="fieldset__legend">Administrator</legend>
          <div className="form-row">
            <FormTextField name="givenName" label="Given name" autoComplete="given-name" required />
            <FormTextField name="familyName" label="Family name" autoComplete="family-name" required />
          </div>
          <FormTextField name="email" label="Email" type="email" autoComplete="email" required />
          <FormTextField
            name="password"
            label="Password"
            type="password"
            hint={`At least ${PasswordLimits.min} characters. A short sentence is easy to remember.`}
            autoComplete="new-password"
            required
          />
        </fieldset>
        <SubmitButton label="Create district" pendingLabel="Setting up…" className="button button--primary button--block" />
      </Form>
    </AuthLayout>
  );
}
