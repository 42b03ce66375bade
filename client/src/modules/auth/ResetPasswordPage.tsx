import { useState } from "react";
import { z } from "zod";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { PasswordLimits, PasswordResetLimits } from "../../../../shared/limits.js";
import { ZPasswordResetConfirm, ZPasswordResetRequest } from "../../../../shared/schemas/auth.js";
import type { ApiError } from "../../api/client.js";
import { authApi } from "./api.js";
import { AuthLayout } from "../../components/AuthLayout.js";
import { Notice } from "../../components/Feedback.js";
import { Form, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { issueFieldPath, readServerIssues } from "../../kits/form/serverIssues.js";
import { useDocumentTitle } from "../../lib/hooks.js";

export function ResetPasswordPage() {
  const [searchParams] = useSearchParams();
  const token = searchParams.get("token");
  return token ? <ChooseNewPassword token={token} /> : <RequestReset />;
}

function RequestReset() {
  useDocumentTitle("Reset password");
  const form = useZodForm(ZPasswordResetRequest, { email: "" });
  const [sentTo, setSentTo] = useState<string | null>(null);

  const onSubmit = async ({ email }: { email: string }) => {
    await authApi.requestPasswordReset(email);
    setSentTo(email);
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
      <Form form={form} onSubmit={onSubmit}>
        <FormTextField name="email" label="Email" type="email" autoComplete="email" autoFocus required />
        <SubmitButton label="Send reset link" pendingLabel="Sending…" className="button button--primary button--block" />
      </Form>
    </AuthLayout>
  );
}

/** The new password twice; the token comes from the link and is checked by the server. */
const ZChooseNewPassword = ZPasswordResetConfirm.omit({ token: true })
  .extend({ confirmation: z.string() })
  .refine((values) => values.password === values.confirmation, { path: ["confirmation"], message: "The passwords do not match" });

function ChooseNewPassword({ token }: { token: string }) {
  useDocumentTitle("Choose a new password");
  const navigate = useNavigate();
  const form = useZodForm(ZChooseNewPassword, { password: "", confirmation: "" });

  const onSubmit = async ({ password }: { password: string }) => {
    await authApi.confirmPasswordReset({ token, password });
    navigate("/login", {
      replace: true,
      state: { notice: "Your password has been changed. Sign in with your new password." },
    });
  };

  const describeError = (error: ApiError) => {
    const isBadLink =
      readServerIssues(error.details).some((issue) => issueFieldPath(issue.path) === "token") ||
      error.code === "not_found" ||
      error.code === "bad_request" ||
      error.code === "unauthenticated";
    return isBadLink ? "This reset link is invalid or has expired. Ask for a new one." : null;
  };

  return (
    <AuthLayout title="Choose a new password" footer={<Link to="/reset-password">Ask for a new link</Link>}>
      <Form form={form} onSubmit={onSubmit} describeError={describeError}>
        <FormTextField
          name="password"
          label="New password"
          type="password"
          hint={`At least ${PasswordLimits.min} characters.`}
          autoComplete="new-password"
          autoFocus
          required
        />
        <FormTextField name="confirmation" label="Confirm new password" type="password" autoComplete="new-password" required />
        <SubmitButton label="Set new password" pendingLabel="Saving…" className="button button--primary button--block" />
      </Form>
    </AuthLayout>
  );
}
