import { useState } from "react";
import { Link, useLocation } from "react-router-dom";
import { SSO_KIND_LABELS, SSO_SCOPES, type TSsoProvider } from "../../../../shared/schemas/sso.js";
import { ApiError } from "../../api/client.js";
import { settingsQueries } from "./api.js";
import { useQuery } from "@tanstack/react-query";
import { EmptyState, ErrorState, Notice, Spinner } from "../../components/Feedback.js";
import { Icon } from "../../components/Icon.js";
import { DataTable, type Column } from "../../kits/DataTable.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { readNotice } from "../../lib/navigation.js";
import { useIsDistrictAdmin } from "../../lib/session.js";
import { ProviderMark } from "../auth/SsoSignIn.js";
import "./sso-settings.css";

const forbidden = new ApiError({ status: 403, code: "forbidden", message: "Only district admins can manage single sign-on." });

const PROVIDER_COLUMNS: Column<TSsoProvider>[] = [
  {
    id: "name",
    header: "Provider",
    isPrimary: true,
    sortValue: (provider) => provider.displayName,
    cell: (provider) => (
      <span className="sso-provider__name">
        <ProviderMark kind={provider.kind} />
        <Link className="strong-link" to={providerPath(provider)}>
          {provider.displayName}
        </Link>
      </span>
    ),
  },
  {
    id: "kind",
    header: "Kind",
    cell: (provider) => (
      <>
        {SSO_KIND_LABELS[provider.kind]}
        <span className="sso-provider__meta">{provider.issuer}</span>
      </>
    ),
  },
  {
    id: "who",
    header: "Who may sign in",
    cell: (provider) => (
      <>
        {provider.allowedDomains.length ? `Domains: ${provider.allowedDomains.join(", ")}` : "Any email domain"}
        <span className="sso-provider__meta">
          {provider.allowSelfProvisioning ? "New people may sign up" : "Only people in the directory"}
        </span>
      </>
    ),
  },
  {
    id: "status",
    header: "Status",
    sortValue: (provider) => (provider.isEnabled ? 0 : 1),
    cell: (provider) => (
      <span className={`badge ${provider.isEnabled ? "badge--active" : "badge--inactive"}`}>{provider.isEnabled ? "Enabled" : "Disabled"}</span>
    ),
  },
];

export function providerPath(provider: Pick<TSsoProvider, "id">): string {
  return `/settings/sso/${encodeURIComponent(provider.id)}`;
}

/** Settings → Single sign-on: the district's identity providers and the redirect URI to register. */
export function SsoSettingsPage() {
  useDocumentTitle("Single sign-on");
  const isAdmin = useIsDistrictAdmin();
  const location = useLocation();
  const notice = readNotice(location.state);
  const providers = useQuery({ ...settingsQueries.ssoProviders(), enabled: isAdmin });

  if (!isAdmin) return <ErrorState error={forbidden} />;
  const data = providers.data;
  return (
    <section className="section" aria-labelledby="sso-title">
      <div className="section__header">
        <div>
          <h2 id="sso-title" className="section__title">
            Single sign-on
          </h2>
          <p className="section__description">
            Let staff sign in with the Google Workspace or Microsoft 365 account they already have. People are matched by
            email to someone in the directory; password sign-in stays available.
          </p>
        </div>
        <Link className="button button--primary" to="/settings/sso/new">
          <Icon name="plus" size={16} />
          Add provider
        </Link>
      </div>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {providers.error ? (
        <ErrorState error={providers.error} onRetry={() => void providers.refetch()} />
      ) : !data ? (
        <Spinner label="Loading providers…" />
      ) : (
        <>
          <RedirectUriPanel redirectUri={data.redirectUri} />
          {data.items.length === 0 ? (
            <EmptyState
              title="No identity providers yet"
              action={
                <Link className="button button--primary" to="/settings/sso/new">
                  Add Google Workspace or Microsoft 365
                </Link>
              }
            >
              Add your district's identity provider to put a “Sign in with …” button on the sign-in page.
            </EmptyState>
          ) : (
            <DataTable rows={data.items} columns={PROVIDER_COLUMNS} rowKey={(provider) => provider.id} caption="Identity providers" />
          )}
        </>
      )}
    </section>
  );
}

/** The redirect URI and scopes an admin registers with the provider, with a copy button. */
export function RedirectUriPanel({ redirectUri }: { redirectUri: string }) {
  const [copyState, setCopyState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(redirectUri);
      setCopyState("copied");
    } catch {
      setCopyState("failed");
    }
  };
  return (
    <div className="panel sso-redirect">
      <h3 className="panel__title">Register Coachwork with your provider</h3>
      <p className="sso-redirect__text">
        Create a web application (OAuth client) at the provider with this redirect URI and the scopes{" "}
        <code>{SSO_SCOPES}</code>, then paste its client ID and secret here.
      </p>
      <div className="copy-field">
        <label className="visually-hidden" htmlFor="sso-redirect-uri">
          Redirect URI
        </label>
        <input
          id="sso-redirect-uri"
          className="input input--mono"
          value={redirectUri}
          readOnly
          onFocus={(event) => event.target.select()}
        />
        <button type="button" className="button" onClick={() => void copy()}>
          <Icon name={copyState === "copied" ? "check" : "copy"} size={16} />
          {copyState === "copied" ? "Copied" : "Copy"}
        </button>
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {copyState === "copied" ? "Redirect URI copied" : copyState === "failed" ? "Copy failed; select the address and copy it" : ""}
      </p>
    </div>
  );
}
