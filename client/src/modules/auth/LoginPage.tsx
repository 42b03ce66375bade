import { Link, Navigate, useLocation, useNavigate, useSearchParams } from "react-router-dom";
import { ZLoginRequest, type TLoginRequest } from "../../../../shared/schemas/auth.js";
import { authApi, authQueries } from "./api.js";
import { useQuery } from "@tanstack/react-query";
import { AuthLayout } from "../../components/AuthLayout.js";
import { Notice } from "../../components/Feedback.js";
import { Form, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { readNotice, safeNextPath } from "../../lib/navigation.js";
import { useSession } from "../../lib/session.js";
import { SsoButtons, SsoErrorNotice } from "./SsoSignIn.js";

export function LoginPage() {
  useDocumentTitle("Sign in");
  const { state, signIn } = useSession();
  const [searchParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const next = safeNextPath(searchParams.get("next"));
  const notice = readNotice(location.state);
  const setup = useQuery(authQueries.setupStatus());

  const form = useZodForm(ZLoginRequest, { email: "", password: "" });

  if (state.status === "signedIn") return <Navigate to={next} replace />;

  const onSubmit = async (values: TLoginRequest) => {
    const me = await authApi.login(values);
    signIn(me);
    navigate(next, { replace: true });
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
      <Form
        form={form}
        onSubmit={onSubmit}
        describeError={(error) => (error.code === "unauthenticated" || error.status === 401 ? "Email or password is incorrect." : null)}
      >
        <FormTextField name="email" label="Email" type="email" autoComplete="username" autoFocus required />
        <FormTextField name="password" label="Password" type="password" autoComplete="current-password" required />
        <SubmitButton label="Sign in" pendingLabel="Signing in…" className="button button--primary button--block" />
        <p className="form__aside">
          <Link to="/reset-password">Forgot password?</Link>
        </p>
      </Form>
    </AuthLayout>
  );
}
