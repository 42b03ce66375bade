import { useState } from "react";
import { z } from "zod";
import { PasswordLimits } from "../../../../shared/limits.js";
import { ZChangePasswordRequest, ZUpdateMeRequest } from "../../../../shared/schemas/auth.js";
import { meApi } from "./api.js";
import { Notice, PageHeader } from "../../components/Feedback.js";
import { Form, FormSelectField, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { RoleList } from "../../components/RoleList.js";
import { initials } from "../../lib/format.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useMe, useSession } from "../../lib/session.js";
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

const ZName = ZUpdateMeRequest.required();

function NameSection() {
  const me = useMe();
  const { signIn } = useSession();
  const [notice, setNotice] = useState<string | null>(null);
  const form = useZodForm(ZName, { givenName: me.person.givenName, familyName: me.person.familyName });

  const onSubmit = async (body: z.output<typeof ZName>) => {
    setNotice(null);
    const updated = await meApi.update(body, me);
    signIn(updated);
    form.reset({ givenName: updated.person.givenName, familyName: updated.person.familyName });
    setNotice("Your name was updated.");
  };

  return (
    <section className="section" aria-labelledby="profile-name-title">
      <h2 id="profile-name-title" className="section__title">
        Your name
      </h2>
      <Form form={form} onSubmit={onSubmit} className="form form--panel">
        {notice ? <Notice tone="success">{notice}</Notice> : null}
        <div className="form-row">
          <FormTextField name="givenName" label="Given name" autoComplete="given-name" required />
          <FormTextField name="familyName" label="Family name" autoComplete="family-name" required />
        </div>
        <div className="form__actions">
          <SubmitButton label="Save name" pendingLabel="Saving…" isDisabled={!form.formState.isDirty} />
        </div>
      </Form>
    </section>
  );
}

/** The new password twice; the current one too when the person has one (not for SSO-only accounts). */
function passwordSchema(hasPassword: boolean) {
  return ZChangePasswordRequest.extend({ confirmation: z.string(), revokeTokens: z.enum(["yes", "no"]) }).superRefine((values, ctx) => {
    if (hasPassword && !values.currentPassword) ctx.addIssue({ code: "custom", path: ["currentPassword"], message: "Enter your current password" });
    if (values.newPassword !== values.confirmation) ctx.addIssue({ code: "custom", path: ["confirmation"], message: "The passwords do not match" });
  });
}

function PasswordSection() {
  const me = useMe();
  const [notice, setNotice] = useState<string | null>(null);
  const [schema] = useState(() => passwordSchema(me.person.hasPassword));
  const form = useZodForm(schema, { currentPassword: "", newPassword: "", confirmation: "", revokeTokens: "no" });

  const onSubmit = async ({ currentPassword, newPassword, revokeTokens }: { currentPassword: string; newPassword: string; revokeTokens: "yes" | "no" }) => {
    setNotice(null);
    await meApi.changePassword({ currentPassword, newPassword, revokeTokens: revokeTokens === "yes" });
    form.reset();
    setNotice(revokeTokens === "yes" ? "Your password was changed and your API tokens were revoked." : "Your password was changed.");
  };

  return (
    <section className="section" aria-labelledby="profile-password-title">
      <h2 id="profile-password-title" className="section__title">
        Password
      </h2>
      <Form form={form} onSubmit={onSubmit} className="form form--panel">
        {notice ? <Notice tone="success">{notice}</Notice> : null}
        {/* A hidden username helps password managers file the new password under the right account. */}
        <input type="email" name="username" autoComplete="username" value={me.person.email ?? ""} readOnly hidden />
        {me.person.hasPassword ? (
          <FormTextField name="currentPassword" label="Current password" type="password" autoComplete="current-password" required />
        ) : null}
        <div className="form-row">
          <FormTextField
            name="newPassword"
            label="New password"
            type="password"
            hint={`At least ${PasswordLimits.min} characters.`}
            autoComplete="new-password"
            required
          />
          <FormTextField name="confirmation" label="Confirm new password" type="password" autoComplete="new-password" required />
        </div>
        <FormSelectField
          name="revokeTokens"
          label="Also revoke your API tokens?"
          hint="Your other sessions end either way. Revoke the tokens too if you think your password or a token leaked; scripts using them stop working."
          options={[
            { value: "no", label: "No, keep my API tokens" },
            { value: "yes", label: "Yes, revoke every API token" },
          ]}
        />
        <div className="form__actions">
          <SubmitButton label="Change password" pendingLabel="Changing…" />
        </div>
      </Form>
    </section>
  );
}
