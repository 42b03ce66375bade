import { useRef, useState, type FormEvent } from "react";
import { Link, Navigate, useLocation, useNavigate, useSearchParams } from "react-router-dom";
import { ZLoginRequest } from "../../../../shared/schemas/auth.js";
import { ApiError, asApiError, type FieldErrors } from "../../api/client.js";
import { authApi, authQueries } from "./api.js";
import { useQuery } from "@tanstack/react-query";
import { AuthLayout } from "../../components/AuthLayout.js";
import { FormAlert, Notice } from "../../components/Feedback.js";
import { TextField } from "../../components/Field.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { readNotice, safeNextPath } from "../../lib/navigation.js";
import { useSession } from "../../lib/session.js";
import { focusFirstInvalid, hasErrors, validate } from "../../lib/validate.js";
import { SsoButtons, SsoErrorNotice } from "./SsoSignIn.js";

export function LoginPage() {
  useDocumentTitle("Sign in");
  const { state, signIn } = useSession();
  const [searchParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const formRef = useRef<HTMLFormElement>(null);
  const next = safeNextPath(searchParams.get("next"));
  const notice = readNotice(location.state);
  const setup = useQuery(authQueries.setupStatus());

  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiError | string | null>(null);
  const [isSubmitting, setIsSubmitting] = useState(false);

  if (state.status === "signedIn") return <Navigate to={next} replace />;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const clientErrors = validate(ZLoginRequest, { email, password });
    setFieldErrors(clientErrors);
    if (hasErrors(clientErrors)) {
      setError("Please fix the highlighted fields.");
      focusFirstInvalid(formRef.current);
      return;
    }
    setError(null);
    setIsSubmitting(true);
    try {
      const me = await authApi.login({ email, password });
      signIn(me);
      navigate(next, { replace: true });
    } catch (cause) {
      const apiError = asApiError(cause);
      setFieldErrors(apiError.fieldErrors);
      if (apiError.code === "unauthenticated" || apiError.status === 401) {
        setError("Email or password is incorrect.");
      } else {
        setError(apiError);
      }
      setIsSubmitting(false);
    }
  };

  return (
    <AuthLayout
      title="Sign in to Coachwork"
      footer={setup.data?.needsSetup ? null : <span>Trouble signing in? Ask your district administrator.</span>}
    >
      {setup.data?.needsSetup ? (
        <Notice tone="warning">
          This server is not set up yet. <Link to="/setup">Set up Coachwork</Link> with the token from the server log.
        </Notice>
      ) : null}
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      <SsoErrorNotice />
      <SsoButtons next={next} />
      <form ref={formRef} className="form" onSubmit={onSubmit} noValidate>
        <FormAlert error={error} hasFieldErrors={hasErrors(fieldErrors)} />
        <TextField
          label="Email"
          type="email"
          value={email}
          onChange={setEmail}
          error={fieldErrors.email}
          autoComplete="username"
          autoFocus
          required
        />
        <TextField
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          error={fieldErrors.password}
          autoComplete="current-password"
          required
        />
        <button type="submit" className="button button--primary button--block" disabled={isSubmitting}>
          {isSubmitting ? "Signing in…" : "Sign in"}
        </button>
        <p className="form__aside">
          <Link to="/reset-password">Forgot password?</Link>
        </p>
      </form>
    </AuthLayout>
  );
}
