import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { TokenLimits } from "../../../../shared/limits.js";
import { ZPublicUrl, type TDistrictSettings } from "../../../../shared/schemas/settings.js";
import { ApiError } from "../../api/client.js";
import { ErrorState, Notice, Spinner } from "../../components/Feedback.js";
import { Form, FormSelectField, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useIsDistrictAdmin } from "../../lib/session.js";
import { settingsApi, settingsKeys, settingsQueries } from "./api.js";

const forbidden = new ApiError({ status: 403, code: "forbidden", message: "Only district admins can change the district's security settings." });

const YES_NO = [
  { value: "no", label: "No" },
  { value: "yes", label: "Yes" },
];

/** The form's values are the inputs' text; they become the API's types on submit. */
const ZSecurityForm = z
  .object({
    publicUrl: z.union([z.literal(""), ZPublicUrl]),
    leadersSeeTeacherNames: z.enum(["yes", "no"]),
    tokenMaxLifetimeDays: z.coerce.number<string>().int().min(1).max(TokenLimits.maxLifetimeDays),
    allowPrivateSsoIssuers: z.enum(["yes", "no"]),
    allowPrivateChatWebhooks: z.enum(["yes", "no"]),
  })
  .transform((v) => ({
    publicUrl: v.publicUrl === "" ? null : v.publicUrl,
    leadersSeeTeacherNames: v.leadersSeeTeacherNames === "yes",
    tokenMaxLifetimeDays: v.tokenMaxLifetimeDays,
    allowPrivateSsoIssuers: v.allowPrivateSsoIssuers === "yes",
    allowPrivateChatWebhooks: v.allowPrivateChatWebhooks === "yes",
  }));

/** Settings → Security: the public address for links in emails, leaders' view of coaching, token lifetime, SSO issuers, chat webhooks. */
export function SecuritySettingsPage() {
  useDocumentTitle("Security");
  const isAdmin = useIsDistrictAdmin();
  const settings = useQuery({ ...settingsQueries.security(), enabled: isAdmin });
  if (!isAdmin) return <ErrorState error={forbidden} />;
  return (
    <section className="section section--narrow" aria-labelledby="security-title">
      <div className="section__header">
        <div>
          <h2 id="security-title" className="section__title">
            Security
          </h2>
          <p className="section__description">
            District-wide choices about addresses, privacy and access. Every change is recorded in the audit log.
          </p>
        </div>
      </div>
      {settings.error ? (
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
      ) : !settings.data ? (
        <Spinner label="Loading settings…" />
      ) : (
        <SecurityForm settings={settings.data} />
      )}
    </section>
  );
}

function SecurityForm({ settings }: { settings: TDistrictSettings }) {
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const form = useZodForm(ZSecurityForm, {
    publicUrl: settings.publicUrl ?? "",
    leadersSeeTeacherNames: settings.leadersSeeTeacherNames ? "yes" : "no",
    tokenMaxLifetimeDays: String(settings.tokenMaxLifetimeDays),
    allowPrivateSsoIssuers: settings.allowPrivateSsoIssuers ? "yes" : "no",
    allowPrivateChatWebhooks: settings.allowPrivateChatWebhooks ? "yes" : "no",
  });
  const onSubmit = async (body: z.output<typeof ZSecurityForm>) => {
    setSaved(false);
    const next = await settingsApi.updateSecurity(body);
    queryClient.setQueryData(settingsKeys.security(), next);
    setSaved(true);
  };
  return (
    <Form form={form} onSubmit={onSubmit} className="form form--panel">
      {saved ? <Notice tone="success">Settings saved.</Notice> : null}
      <FormTextField
        name="publicUrl"
        label="Public address"
        hint={
          settings.publicUrlFromEnvironment
            ? `The server's PUBLIC_URL (${settings.publicUrlFromEnvironment}) is set and takes precedence over this address.`
            : "The address people open Coachwork at, e.g. https://coachwork.example.org. Links in emails (password resets) use it; without it they cannot be sent."
        }
        inputMode="url"
        autoComplete="off"
        isOptional
      />
      <FormSelectField
        name="leadersSeeTeacherNames"
        label="School leaders see which teachers were coached"
        hint="Coaching is non-evaluative: by default a school leader's dashboard shows the school's totals, not teachers' names."
        options={YES_NO}
      />
      <FormTextField
        name="tokenMaxLifetimeDays"
        label="Longest API token lifetime (days)"
        hint="New personal API tokens expire within this many days."
        inputMode="numeric"
        autoComplete="off"
      />
      <FormSelectField
        name="allowPrivateSsoIssuers"
        label="Allow single sign-on providers on private addresses"
        hint="Only for an identity provider inside the district's network (private, loopback or link-local addresses). Provider addresses must use https either way."
        options={YES_NO}
      />
      <FormSelectField
        name="allowPrivateChatWebhooks"
        label="Allow chat webhooks and Mastodon or Bluesky servers on private addresses"
        hint="Only for a service inside the district's network, such as an in-house SMS gateway. Otherwise moderators can send reminders and cross-posts to public addresses only."
        options={YES_NO}
      />
      <div className="form__actions">
        <SubmitButton label="Save settings" pendingLabel="Saving…" />
      </div>
    </Form>
  );
}
