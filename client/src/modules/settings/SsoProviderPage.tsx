import { useMemo, useState, type ChangeEvent } from "react";
import { useWatch } from "react-hook-form";
import { Link, useLocation, useNavigate, useParams } from "react-router-dom";
import { z } from "zod";
import { ROLE_LABELS } from "../../../../shared/roles.js";
import {
  GOOGLE_ISSUER,
  SSO_DEFAULT_ROLES,
  SSO_KIND_LABELS,
  SSO_KINDS,
  ZCreateSsoProviderRequest,
  ZUpdateSsoProviderRequest,
  ssoProviderIssues,
  type SsoDefaultRole,
  type SsoKind,
  type TSsoDiscoveryResult,
  type TSsoProvider,
  type TUpdateSsoProviderRequest,
} from "../../../../shared/schemas/sso.js";
import { ApiError, asApiError, humanizeIssue } from "../../api/client.js";
import { settingsKeys, settingsQueries, ssoApi } from "./api.js";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ErrorState, FormAlert, Notice, Spinner } from "../../components/Feedback.js";
import { Icon } from "../../components/Icon.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { readNotice } from "../../lib/navigation.js";
import { useIsDistrictAdmin } from "../../lib/session.js";
import { Form, FormCheckboxField, FormSelectField, FormTextField, SubmitButton, useZodForm, type AdaptServerIssues } from "../../kits/form/Form.js";
import { friendlyIssueMessage } from "../../kits/form/messages.js";
import { RedirectUriPanel, providerPath } from "./SsoSettingsPage.js";
import "./sso-settings.css";

const forbidden = new ApiError({ status: 403, code: "forbidden", message: "Only district admins can manage single sign-on." });
const BACK = { to: "/settings/sso", label: "Single sign-on" };

type Values = {
  kind: SsoKind;
  displayName: string;
  issuer: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  domains: string;
  allowSelfProvisioning: boolean;
  defaultRole: SsoDefaultRole;
  isEnabled: boolean;
};

const DEFAULT_NAMES: Record<SsoKind, string> = { google: "Google", microsoft: "Microsoft", oidc: "" };

function toValues(p: TSsoProvider | null): Values {
  return {
    kind: p?.kind ?? "google",
    displayName: p?.displayName ?? DEFAULT_NAMES.google,
    issuer: p?.kind === "oidc" ? p.issuer : "",
    tenantId: p?.tenantId ?? "",
    clientId: p?.clientId ?? "",
    clientSecret: "",
    domains: p?.allowedDomains.join(", ") ?? "",
    allowSelfProvisioning: p?.allowSelfProvisioning ?? false,
    defaultRole: p?.defaultRole ?? "teacher",
    isEnabled: p?.isEnabled ?? true,
  };
}

/** "a.org, b.org\nc.org" → ["a.org", "b.org", "c.org"] */
function parseDomains(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((d) => d.trim().toLowerCase().replace(/^@/, ""))
    .filter(Boolean);
}

/** Only what changed, so the audit log says what was edited. */
function changesTo(current: TSsoProvider, next: TUpdateSsoProviderRequest): TUpdateSsoProviderRequest {
  const changes: TUpdateSsoProviderRequest = { ...next };
  if (changes.displayName === current.displayName) delete changes.displayName;
  if (changes.clientId === current.clientId) delete changes.clientId;
  if (changes.issuer === current.issuer) delete changes.issuer;
  if (changes.tenantId === current.tenantId) delete changes.tenantId;
  if (changes.allowedDomains?.join(",") === current.allowedDomains.join(",")) delete changes.allowedDomains;
  if (changes.allowSelfProvisioning === current.allowSelfProvisioning) delete changes.allowSelfProvisioning;
  if (changes.defaultRole === current.defaultRole) delete changes.defaultRole;
  if (changes.isEnabled === current.isEnabled) delete changes.isEnabled;
  return changes;
}

/** The request fields a form field stands for; `allowedDomains.2` belongs to the one domains field. */
function formField(path: string): string {
  const field = path.replace(/^body\.?/, "");
  return field.startsWith("allowedDomains") ? "domains" : field.split(".")[0] ?? "";
}

function commonFields(values: Values) {
  return {
    displayName: values.displayName.trim(),
    clientId: values.clientId.trim(),
    allowedDomains: parseDomains(values.domains),
    allowSelfProvisioning: values.allowSelfProvisioning,
    defaultRole: values.defaultRole,
    isEnabled: values.isEnabled,
    ...(values.kind === "oidc" ? { issuer: values.issuer.trim() } : {}),
    ...(values.kind === "microsoft" ? { tenantId: values.tenantId.trim() } : {}),
  };
}

const secretOf = (values: Values) => values.clientSecret.trim() || undefined;

function createRequest(values: Values) {
  return { ...commonFields(values), kind: values.kind, clientSecret: secretOf(values) ?? null };
}

/** Only what changed (a new secret when one is typed), so the audit log says what was edited. */
function updateRequest(values: Values, current: TSsoProvider): TUpdateSsoProviderRequest {
  const secret = secretOf(values);
  return changesTo(current, { ...commonFields(values), ...(secret ? { clientSecret: secret } : {}) });
}

/**
 * The form checked as the request it becomes: the shared create schema for a new provider; for an
 * edit, the update schema over what changed plus the rules that span fields (as the server checks
 * the merged record).
 */
function providerFormSchema(current: TSsoProvider | null) {
  return z
    .object({
      kind: z.enum(SSO_KINDS),
      displayName: z.string(),
      issuer: z.string(),
      tenantId: z.string(),
      clientId: z.string(),
      clientSecret: z.string(),
      domains: z.string(),
      allowSelfProvisioning: z.boolean(),
      defaultRole: z.enum(SSO_DEFAULT_ROLES),
      isEnabled: z.boolean(),
    })
    .superRefine((values, ctx) => {
      const request: Record<string, unknown> = current ? updateRequest(values, current) : createRequest(values);
      const parsed = (current ? ZUpdateSsoProviderRequest : ZCreateSsoProviderRequest).safeParse(request, { error: friendlyIssueMessage });
      const issues = (parsed.error?.issues ?? []).map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
      if (current) issues.push(...ssoProviderIssues({ ...commonFields(values), kind: current.kind }));
      const seen = new Set<string>();
      for (const issue of issues) {
        const field = formField(issue.path);
        if (seen.has(field)) continue;
        seen.add(field);
        const value = request[issue.path];
        const message = typeof value === "string" && value.trim() === "" ? "This field is required" : humanizeIssue(issue.message);
        ctx.addIssue({ code: "custom", path: [field], message });
      }
    });
}

/** /settings/sso/new and /settings/sso/:id: add or edit a provider, test its discovery, remove it. */
export function SsoProviderPage() {
  const { id } = useParams();
  const isAdmin = useIsDistrictAdmin();
  const isNew = id === undefined;
  const location = useLocation();
  const [notice, setNotice] = useState<string | null>(readNotice(location.state));
  const provider = useQuery({ ...settingsQueries.ssoProvider(id ?? ""), enabled: isAdmin && id !== undefined });
  const list = useQuery({ ...settingsQueries.ssoProviders(), enabled: isAdmin });
  const queryClient = useQueryClient();
  useDocumentTitle(isNew ? "Add identity provider" : (provider.data?.displayName ?? "Identity provider"));

  if (!isAdmin) return <ErrorState error={forbidden} />;
  if (provider.error) return <ErrorState error={provider.error} onRetry={() => void provider.refetch()} />;
  if (!isNew && !provider.data) return <Spinner label="Loading provider…" />;
  const current = provider.data ?? null;
  return (
    <section className="section" aria-labelledby="sso-provider-title">
      <Link className="page-header__back" to={BACK.to}>
        <Icon name="chevronLeft" size={16} />
        {BACK.label}
      </Link>
      <h2 id="sso-provider-title" className="section__title">
        {current ? current.displayName : "Add identity provider"}
      </h2>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {list.data ? <RedirectUriPanel redirectUri={list.data.redirectUri} /> : null}
      <ProviderForm
        key={current?.updatedAt ?? "new"}
        current={current}
        onSaved={(saved, message) => {
          setNotice(message);
          queryClient.setQueryData(settingsKeys.ssoProvider(saved.id), saved);
          void queryClient.invalidateQueries({ queryKey: settingsKeys.ssoProviders() });
        }}
      />
      {current ? <DiscoveryTest provider={current} /> : null}
      {current ? <DeleteProvider provider={current} /> : null}
    </section>
  );
}

function ProviderForm({
  current,
  onSaved,
}: {
  current: TSsoProvider | null;
  onSaved: (provider: TSsoProvider, message: string) => void;
}) {
  const navigate = useNavigate();
  const schema = useMemo(() => providerFormSchema(current), [current]);
  const form = useZodForm(schema, toValues(current));
  const [chosenKind, displayName, allowSelfProvisioning] = useWatch({ control: form.control, name: ["kind", "displayName", "allowSelfProvisioning"] });

  // Keep a name the admin typed; swap only the preset's default. (Capture runs before the field takes the new kind.)
  const onKindChange = (event: ChangeEvent<HTMLSelectElement>) => {
    const kind = SSO_KINDS.find((k) => k === event.currentTarget.value);
    if (kind && form.getValues("displayName") === DEFAULT_NAMES[form.getValues("kind")]) form.setValue("displayName", DEFAULT_NAMES[kind]);
  };

  const submit = async (values: Values) => {
    if (!current) {
      const created = await ssoApi.create(createRequest(values));
      navigate(providerPath(created), { replace: true, state: { notice: `${created.displayName} was added.` } });
      return;
    }
    const request = updateRequest(values, current);
    if (Object.keys(request).length === 0) {
      onSaved(current, "Nothing to save: no changes.");
      return;
    }
    // The form remounts with the saved values (and an empty secret field).
    onSaved(await ssoApi.update(current.id, request), "Changes saved.");
  };

  const kind = current?.kind ?? chosenKind;
  return (
    <Form form={form} onSubmit={submit} adaptServerIssues={domainIssues} className="form form--panel sso-form">
      {current ? null : (
        <FormSelectField
          name="kind"
          label="Provider"
          options={SSO_KINDS.map((k) => ({ value: k, label: SSO_KIND_LABELS[k] }))}
          onChangeCapture={onKindChange}
        />
      )}
      <FormTextField
        name="displayName"
        label="Button label"
        hint={`The sign-in page shows “Sign in with ${displayName.trim() || "…"}”.`}
        autoComplete="off"
        required
      />
      {kind === "google" ? (
        <p className="field__hint sso-form__fixed">
          Issuer: <code>{GOOGLE_ISSUER}</code>. Create the client in Google Cloud console → APIs &amp; Services → Credentials
          (OAuth client ID, type “Web application”).
        </p>
      ) : null}
      {kind === "microsoft" ? (
        <FormTextField
          name="tenantId"
          label="Directory (tenant) ID"
          hint="From Microsoft Entra admin center → Overview. Only accounts of this tenant can sign in."
          placeholder="00000000-0000-0000-0000-000000000000"
          autoComplete="off"
          required
        />
      ) : null}
      {kind === "oidc" ? (
        <FormTextField
          name="issuer"
          label="Issuer URL"
          type="url"
          hint="Coachwork reads <issuer>/.well-known/openid-configuration."
          placeholder="https://idp.example.org"
          autoComplete="off"
          required
        />
      ) : null}
      <FormTextField name="clientId" label="Client ID" autoComplete="off" required />
      <FormTextField
        name="clientSecret"
        label="Client secret"
        type="password"
        hint={current?.hasSecret ? "A secret is saved (encrypted). Leave this empty to keep it." : "Stored encrypted and never shown again."}
        isOptional={Boolean(current?.hasSecret)}
        autoComplete="new-password"
      />
      <FormTextField
        name="domains"
        label="Allowed email domains"
        hint="Separate with commas, e.g. riverside.k12.example, staff.riverside.example. Leave empty to accept any domain for people already in the directory."
        autoComplete="off"
        isOptional
      />
      <FormCheckboxField
        name="allowSelfProvisioning"
        label="Let new people sign up themselves"
        hint="Someone with an allowed email who is not in the directory yet gets an account on first sign-in. Otherwise they are refused."
      />
      {allowSelfProvisioning ? (
        <FormSelectField
          name="defaultRole"
          label="Role for new people"
          options={SSO_DEFAULT_ROLES.map((r) => ({ value: r, label: `${ROLE_LABELS[r]} (district-wide)` }))}
          hint="Adjust roles and schools in the directory afterwards."
        />
      ) : null}
      <FormCheckboxField
        name="isEnabled"
        label="Show on the sign-in page"
        hint="Disabled providers keep their settings but nobody can sign in with them."
      />
      <div className="form__actions">
        <SubmitButton label={current ? "Save changes" : "Add provider"} pendingLabel="Saving…" />
        <Link className="button button--ghost" to={BACK.to}>
          {current ? "Back" : "Cancel"}
        </Link>
      </div>
    </Form>
  );
}

/** The server names each domain (`allowedDomains.2`); the form has one field for them all. */
const domainIssues: AdaptServerIssues = (issues) => issues.map((issue) => ({ ...issue, path: formField(issue.path) }));


function DiscoveryTest({ provider }: { provider: TSsoProvider }) {
  const [result, setResult] = useState<TSsoDiscoveryResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [isTesting, setIsTesting] = useState(false);
  const run = async () => {
    setIsTesting(true);
    setError(null);
    try {
      setResult(await ssoApi.testDiscovery(provider.id));
    } catch (cause) {
      setError(asApiError(cause));
      setResult(null);
    }
    setIsTesting(false);
  };
  return (
    <div className="panel sso-test">
      <h3 className="panel__title">Test the connection</h3>
      <p className="sso-redirect__text">
        Fetches <code>{provider.issuer}/.well-known/openid-configuration</code> now, as Coachwork will when someone signs in.
      </p>
      <button type="button" className="button" onClick={() => void run()} disabled={isTesting}>
        {isTesting ? "Testing…" : "Test discovery"}
      </button>
      <div className="sso-test__result" aria-live="polite">
        {error ? <FormAlert error={error} /> : null}
        {result ? (
          result.ok ? (
            <Notice tone="success">
              {result.message} Authorization endpoint: <code>{result.authorizationEndpoint ?? "—"}</code>
            </Notice>
          ) : (
            <div className="alert alert--error" role="alert">
              <Icon name="alert" />
              <span>Discovery failed: {result.message}</span>
            </div>
          )
        ) : null}
      </div>
    </div>
  );
}

function DeleteProvider({ provider }: { provider: TSsoProvider }) {
  const navigate = useNavigate();
  const [isConfirming, setIsConfirming] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const remove = async () => {
    try {
      await ssoApi.remove(provider.id);
      navigate("/settings/sso", { state: { notice: `${provider.displayName} was removed.` } });
    } catch (cause) {
      setError(asApiError(cause));
    }
  };
  if (!isConfirming) {
    return (
      <p className="sso-delete">
        <button type="button" className="button button--danger-quiet" onClick={() => setIsConfirming(true)}>
          <Icon name="trash" size={16} />
          Remove provider
        </button>
      </p>
    );
  }
  return (
    <div className="confirm sso-delete" role="group" aria-labelledby="sso-delete-title">
      <h3 id="sso-delete-title" className="confirm__title">
        Remove {provider.displayName}?
      </h3>
      <p className="confirm__text">
        Nobody can sign in with it any more. People keep their Coachwork accounts and can still use a password.
      </p>
      <FormAlert error={error} />
      <div className="form__actions">
        <button type="button" className="button button--danger" onClick={() => void remove()}>
          Remove provider
        </button>
        <button type="button" className="button button--ghost" onClick={() => setIsConfirming(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}
