import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import type { ApiError } from "../api/client.js";
import { Icon } from "./Icon.js";

/**
 * The live region for a form's outcome. It is always in the DOM so screen readers announce
 * new messages; it renders nothing visible until there is something to say.
 */
export function FormAlert({ error, hasFieldErrors }: { error: ApiError | string | null | undefined; hasFieldErrors?: boolean }) {
  const message =
    typeof error === "string"
      ? error
      : error
        ? hasFieldErrors || error.code === "validation_failed" || error.formIssues.length > 0
          ? [error.formIssues.join(" "), "Please fix the highlighted fields."].filter(Boolean).join(" ")
          : error.message
        : null;
  return (
    <div className="form-alert-region" role="alert" aria-live="assertive">
      {message ? (
        <div className="alert alert--error">
          <Icon name="alert" />
          <span>{message}</span>
        </div>
      ) : null}
    </div>
  );
}

export function Notice({ tone = "info", children }: { tone?: "info" | "success" | "warning"; children: ReactNode }) {
  return (
    <div className={`alert alert--${tone}`} role="status">
      <Icon name={tone === "success" ? "check" : tone === "warning" ? "alert" : "info"} />
      <span>{children}</span>
    </div>
  );
}

export function Spinner({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function ErrorState({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  if (error.status === 404 || error.code === "not_found") {
    return (
      <div className="state">
        <h2 className="state__title">Not found</h2>
        <p className="state__text">This page or record does not exist, or it was removed.</p>
      </div>
    );
  }
  return (
    <div className="state state--error" role="alert">
      <Icon name="alert" size={22} />
      <h2 className="state__title">{error.status === 403 ? "You don't have access" : "Something went wrong"}</h2>
      <p className="state__text">{error.message}</p>
      {onRetry && error.status !== 403 ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function EmptyState({
  title,
  children,
  action,
  isCompact = false,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  isCompact?: boolean;
}) {
  return (
    <div className={isCompact ? "state state--compact" : "state"}>
      <h2 className="state__title">{title}</h2>
      {children ? <p className="state__text">{children}</p> : null}
      {action}
    </div>
  );
}

export function PageHeader({
  title,
  description,
  actions,
  breadcrumb,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  breadcrumb?: { to: string; label: string };
}) {
  return (
    <div className="page-header">
      {breadcrumb ? (
        <Link className="page-header__back" to={breadcrumb.to}>
          <Icon name="chevronLeft" size={16} />
          {breadcrumb.label}
        </Link>
      ) : null}
      <div className="page-header__row">
        <div className="page-header__text">
          <h1 className="page-title" tabIndex={-1}>
            {title}
          </h1>
          {description ? <p className="page-description">{description}</p> : null}
        </div>
        {actions ? <div className="page-header__actions">{actions}</div> : null}
      </div>
    </div>
  );
}
