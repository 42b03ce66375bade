import { useSearchParams } from "react-router-dom";
import { ssoErrorMessage, type SsoKind } from "../../../../shared/schemas/sso.js";
import { authApi, authQueries } from "./api.js";
import { useQuery } from "@tanstack/react-query";
import { Icon } from "../../components/Icon.js";
import "./sso-sign-in.css";

/** The reason a single sign-on attempt came back to `/login?error=<code>`, in words. */
export function SsoErrorNotice() {
  const [searchParams] = useSearchParams();
  const code = searchParams.get("error");
  if (!code) return null;
  return (
    <div className="alert alert--error sso-error" role="alert">
      <Icon name="alert" />
      <span>{ssoErrorMessage(code)}</span>
    </div>
  );
}

/** "Sign in with …" buttons, one per enabled provider; nothing at all when there are none. */
export function SsoButtons({ next }: { next: string }) {
  const providers = useQuery(authQueries.ssoProviders());
  const items = providers.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <div className="sso">
      <ul className="sso__buttons" aria-label="Single sign-on">
        {items.map((provider) => (
          <li key={provider.id}>
            {/* A plain link: the browser leaves for the provider and comes back signed in. */}
            <a className="button button--block sso__button" href={authApi.ssoStartUrl(provider.id, next)}>
              <ProviderMark kind={provider.kind} />
              <span>Sign in with {provider.displayName}</span>
            </a>
          </li>
        ))}
      </ul>
      <p className="sso__divider">
        <span>or with your email and password</span>
      </p>
    </div>
  );
}

/** The provider's mark, drawn inline (no requests to the provider before the person chooses it). */
export function ProviderMark({ kind }: { kind: SsoKind }) {
  switch (kind) {
    case "google":
      return (
        <svg className="sso__mark" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
          <path fill="#FFC107" d="M43.6 20.1H42V20H24v8h11.3C33.7 32.7 29.2 36 24 36c-6.6 0-12-5.4-12-12s5.4-12 12-12c3.1 0 5.8 1.2 8 3l5.7-5.7C34 6.1 29.3 4 24 4 13 4 4 13 4 24s9 20 20 20 20-9 20-20c0-1.3-.1-2.6-.4-3.9z" />
          <path fill="#FF3D00" d="m6.3 14.7 6.6 4.8C14.7 15.1 19 12 24 12c3.1 0 5.8 1.2 8 3l5.7-5.7C34 6.1 29.3 4 24 4 16.3 4 9.7 8.3 6.3 14.7z" />
          <path fill="#4CAF50" d="M24 44c5.2 0 9.9-2 13.4-5.2l-6.2-5.2c-2 1.5-4.5 2.4-7.2 2.4-5.2 0-9.6-3.3-11.3-7.9l-6.5 5C9.5 39.6 16.2 44 24 44z" />
          <path fill="#1976D2" d="M43.6 20.1H42V20H24v8h11.3c-.8 2.2-2.2 4.2-4.1 5.6l6.2 5.2C37 39.2 44 34 44 24c0-1.3-.1-2.6-.4-3.9z" />
        </svg>
      );
    case "microsoft":
      return (
        <svg className="sso__mark" viewBox="0 0 21 21" aria-hidden="true" focusable="false">
          <path fill="#F25022" d="M1 1h9v9H1z" />
          <path fill="#7FBA00" d="M11 1h9v9h-9z" />
          <path fill="#00A4EF" d="M1 11h9v9H1z" />
          <path fill="#FFB900" d="M11 11h9v9h-9z" />
        </svg>
      );
    case "oidc":
      return <Icon name="key" size={18} />;
    default: {
      const exhaustive: never = kind;
      return exhaustive;
    }
  }
}
