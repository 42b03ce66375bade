import { useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router-dom";
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
import { ApiError, asApiError, humanizeIssue, type FieldErrors } from "../../api/client.js";
import { settingsKeys, settingsQueries, ssoApi } from "./api.js";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ErrorState, FormAlert, Notice, Spinner } from "../../components/Feedback.js";
import { SelectField, TextField } from "../../components/Field.js";
import { Icon } from "../../components/Icon.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { readNotice } from "../../lib/navigation.js";
import { useIsDistrictAdmin } from "../../lib/session.js";
import { focusFirstInvalid, hasErrors, validate } from "../../lib/validate.js";
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

/** Server and client paths like `allowedDomains.2` belong to the one domains field. */
function mapErrors(errors: FieldErrors): FieldErrors {
  const mapped: FieldErrors = {};
  for (const [key, message] of Object.entries(errors)) {
    const field = key.startsWith("allowedDomains") ? "allowedDomains" : key;
    if (mapped[field] === undefined) mapped[field] = humanizeIssue(message);
  }
  return mapped;
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
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<Values>(() => toValues(current));
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiError | string | null>(null);
  const [isSubmitting, setIsSubmitting] = useState(false);
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));

  const onKind = (value: string) => {
    const kind = SSO_KINDS.find((k) => k === value);
    if (!kind) return;
    // Keep a name the admin typed; swap only the preset's default.
    setValues((v) => ({ ...v, kind, displayName: v.displayName === DEFAULT_NAMES[v.kind] ? DEFAULT_NAMES[kind] : v.displayName }));
  };

  const fail = (errors: FieldErrors, message: ApiError | string) => {
    setFieldErrors(mapErrors(errors));
    setError(message);
    focusFirstInvalid(formRef.current);
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const allowedDomains = parseDomains(values.domains);
    const secret = values.clientSecret.trim() ? values.clientSecret.trim() : undefined;
    const common = {
      displayName: values.displayName.trim(),
      clientId: values.clientId.trim(),
      allowedDomains,
      allowSelfProvisioning: values.allowSelfProvisioning,
      defaultRole: values.defaultRole,
      isEnabled: values.isEnabled,
      ...(values.kind === "oidc" ? { issuer: values.issuer.trim() } : {}),
      ...(values.kind === "microsoft" ? { tenantId: values.tenantId.trim() } : {}),
    };
    let clientErrors: FieldErrors;
    let request: TUpdateSsoProviderRequest | null = null;
    if (current) {
      request = changesTo(current, { ...common, ...(secret ? { clientSecret: secret } : {}) });
      clientErrors = validate(ZUpdateSsoProviderRequest, request);
      for (const issue of ssoProviderIssues({ ...common, kind: current.kind })) clientErrors[issue.path] ??= issue.message;
    } else {
      clientErrors = validate(ZCreateSsoProviderRequest, { ...common, kind: values.kind, clientSecret: secret ?? null });
    }
    if (hasErrors(clientErrors)) {
      fail(clientErrors, "Please fix the highlighted fields.");
      return;
    }
    setFieldErrors({});
    setError(null);
    setIsSubmitting(true);
    try {
      if (current && request) {
        if (Object.keys(request).length === 0) {
          setIsSubmitting(false);
          onSaved(current, "Nothing to save: no changes.");
          return;
        }
        // The form remounts with the saved values (and an empty secret field).
        onSaved(await ssoApi.update(current.id, request), "Changes saved.");
      } else {
        const created = await ssoApi.create({ ...common, kind: values.kind, clientSecret: secret ?? null });
        navigate(providerPath(created), { replace: true, state: { notice: `${created.displayName} was added.` } });
      }
    } catch (cause) {
      const apiError = asApiError(cause);
      fail(apiError.fieldErrors, apiError);
      setIsSubmitting(false);
    }
  };

  const kind = current?.kind ?? values.kind;
  return (
    <form ref={formRef} className="form form--panel sso-form" onSubmit={onSubmit} noValidate>
      <FormAlert error={error} hasFieldErrors={hasErrors(fieldErrors)} />
      {current ? null : (
        <SelectField
          label="Provider"
          value={values.kind}
          onChange={onKind}
          options={SSO_KINDS.map((k) => ({ value: k, label: SSO_KIND_LABELS[k] }))}
          error={fieldErrors.kind}
        />
      )}
      <TextField
        label="Button label"
        value={values.displayName}
        onChange={(v) => set("displayName", v)}
        error={fieldErrors.displayName}
        hint={`The sign-in page shows “Sign in with ${values.displayName.trim() || "…"}”.`}
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
        <TextField
          label="Directory (tenant) ID"
          value={values.tenantId}
          onChange={(v) => set("tenantId", v)}
          error={fieldErrors.tenantId}
          hint="From Microsoft Entra admin center → Overview. Only accounts of this tenant can sign in."
          placeholder="00000000-0000-0000-0000-000000000000"
          autoComplete="off"
          required
        />
      ) : null}
      {kind === "oidc" ? (
        <TextField
          label="Issuer URL"
          type="url"
          value={values.issuer}
          onChange={(v) => set("issuer", v)}
          error={fieldErrors.issuer}
          hint="Coachwork reads <issuer>/.well-known/openid-configuration."
          placeholder="https://idp.example.org"
          autoComplete="off"
          required
        />
      ) : null}
      <TextField
        label="Client ID"
        value={values.clientId}
        onChange={(v) => set("clientId", v)}
        error={fieldErrors.clientId}
        autoComplete="off"
        required
      />
      <TextField
        label="Client secret"
        type="password"
        value={values.clientSecret}
        onChange={(v) => set("clientSecret", v)}
        error={fieldErrors.clientSecret}
        hint={
          current?.hasSecret
            ? "A secret is saved (encrypted). Leave this empty to keep it."
            : "Stored encrypted and never shown again."
        }
        isOptional={Boolean(current?.hasSecret)}
        autoComplete="new-password"
      />
      <TextField
        label="Allowed email domains"
        value={values.domains}
        onChange={(v) => set("domains", v)}
        error={fieldErrors.allowedDomains}
        hint="Separate with commas, e.g. riverside.k12.example, staff.riverside.example. Leave empty to accept any domain for people already in the directory."
        autoComplete="off"
        isOptional
      />
      <CheckboxField
        label="Let new people sign up themselves"
        checked={values.allowSelfProvisioning}
        onChange={(v) => set("allowSelfProvisioning", v)}
        hint="Someone with an allowed email who is not in the directory yet gets an account on first sign-in. Otherwise they are refused."
      />
      {values.allowSelfProvisioning ? (
        <SelectField
          label="Role for new people"
          value={values.defaultRole}
          onChange={(v) => {
            const role = SSO_DEFAULT_ROLES.find((r) => r === v);
            if (role) set("defaultRole", role);
          }}
          options={SSO_DEFAULT_ROLES.map((r) => ({ value: r, label: `${ROLE_LABELS[r]} (district-wide)` }))}
          error={fieldErrors.defaultRole}
          hint="Adjust roles and schools in the directory afterwards."
        />
      ) : null}
      <CheckboxField
        label="Show on the sign-in page"
        checked={values.isEnabled}
        onChange={(v) => set("isEnabled", v)}
        hint="Disabled providers keep their settings but nobody can sign in with them."
      />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : current ? "Save changes" : "Add provider"}
        </button>
        <Link className="button button--ghost" to={BACK.to}>
          {current ? "Back" : "Cancel"}
        </Link>
      </div>
    </form>
  );
}

function CheckboxField({
  label,
  checked,
  onChange,
  hint,
}: {
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="field sso-check">
      <input
        id={id}
        type="checkbox"
        className="sso-check__input"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <div>
        <label className="field__label" htmlFor={id}>
          {label}
        </label>
        {hint ? (
          <p className="field__hint" id={`${id}-hint`}>
            {hint}
          </p>
        ) : null}
      </div>
    </div>
  );
}

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
