import { useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { PasswordLimits, PasswordResetLimits } from "../../../../shared/limits.js";
import { ZPasswordResetConfirm, ZPasswordResetRequest } from "../../../../shared/schemas/auth.js";
import { ApiError, asApiError, type FieldErrors } from "../../api/client.js";
import { authApi } from "./api.js";
import { AuthLayout } from "../../components/AuthLayout.js";
import { FormAlert, Notice } from "../../components/Feedback.js";
import { TextField } from "../../components/Field.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { focusFirstInvalid, hasErrors, validate } from "../../lib/validate.js";

export function ResetPasswordPage() {
  const [searchParams] = useSearchParams();
  const token = searchParams.get("token");
  return token ? <ChooseNewPassword token={token} /> : <RequestReset />;
}

function RequestReset() {
  useDocumentTitle("Reset password");
  const formRef = useRef<HTMLFormElement>(null);
  const [email, setEmail] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiError | string | null>(null);
  const [isSubmitting, setIsSubmitting] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const clientErrors = validate(ZPasswordResetRequest, { email });
    setFieldErrors(clientErrors);
    if (hasErrors(clientErrors)) {
      setError("Please fix the highlighted fields.");
      focusFirstInvalid(formRef.current);
      return;
    }
    setError(null);
    setIsSubmitting(true);
    try {
      await authApi.requestPasswordReset(email);
      setSentTo(email);
    } catch (cause) {
      const apiError = asApiError(cause);
      setFieldErrors(apiError.fieldErrors);
      setError(apiError);
    } finally {
      setIsSubmitting(false);
    }
  };

  if (sentTo) {
    return (
      <AuthLayout title="Check your email" footer={<Link to="/login">Back to sign in</Link>}>
        <Notice tone="success">
          If an account exists for <strong>{sentTo}</strong>, we have sent it a link to choose a new password. The
          link works for {PasswordResetLimits.ttlMinutes} minutes.
        </Notice>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title="Reset your password"
      description="Enter the email you sign in with and we will send you a link to choose a new password."
      footer={<Link to="/login">Back to sign in</Link>}
    >
      <form ref={formRef} className="form" onSubmit={onSubmit} noValidate>
        <FormAlert error={error} hasFieldErrors={hasErrors(fieldErrors)} />
        <TextField
          label="Email"
          type="email"
          value={email}
          onChange={setEmail}
          error={fieldErrors.email}
          autoComplete="email"
          autoFocus
          required
        />
        <button type="submit" className="button button--primary button--block" disabled={isSubmitting}>
          {isSubmitting ? "Sending…" : "Send reset link"}
        </button>
      </form>
    </AuthLayout>
  );
}

function ChooseNewPassword({ token }: { token: string }) {
  useDocumentTitle("Choose a new password");
  const navigate = useNavigate();
  const formRef = useRef<HTMLFormElement>(null);
  const [password, setPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiError | string | null>(null);
  const [isSubmitting, setIsSubmitting] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const clientErrors = validate(ZPasswordResetConfirm, { token, password });
    if (!clientErrors.password && password !== confirmation) clientErrors.confirmation = "The passwords do not match";
    delete clientErrors.token;
    setFieldErrors(clientErrors);
    if (hasErrors(clientErrors)) {
      setError("Please fix the highlighted fields.");
      focusFirstInvalid(formRef.current);
      return;
    }
    setError(null);
    setIsSubmitting(true);
    try {
      await authApi.confirmPasswordReset({ token, password });
      navigate("/login", {
        replace: true,
        state: { notice: "Your password has been changed. Sign in with your new password." },
      });
    } catch (cause) {
      const apiError = asApiError(cause);
      const errors = apiError.fieldErrors;
      setFieldErrors(errors);
      const isBadLink =
        Boolean(errors.token) ||
        apiError.code === "not_found" ||
        apiError.code === "bad_request" ||
        apiError.code === "unauthenticated";
      setError(isBadLink ? "This reset link is invalid or has expired. Ask for a new one." : apiError);
      setIsSubmitting(false);
    }
  };

  return (
    <AuthLayout
      title="Choose a new password"
      footer={<Link to="/reset-password">Ask for a new link</Link>}
    >
      <form ref={formRef} className="form" onSubmit={onSubmit} noValidate>
        <FormAlert error={error} hasFieldErrors={Boolean(fieldErrors.password ?? fieldErrors.confirmation)} />
        <TextField
          label="New password"
          type="password"
          value={password}
          onChange={setPassword}
          error={fieldErrors.password}
          hint={`At least ${PasswordLimits.min} characters.`}
          autoComplete="new-password"
          autoFocus
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
        <button type="submit" className="button button--primary button--block" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : "Set new password"}
        </button>
      </form>
    </AuthLayout>
  );
}
