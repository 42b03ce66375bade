import type { ReactNode } from "react";
import { LogoMark } from "./Logo.js";

/** Centred card used by setup, sign-in and password reset, before anyone is signed in. */
export function AuthLayout({
  title,
  description,
  children,
  footer,
  isWide,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
  isWide?: boolean;
}) {
  return (
    <div className="auth">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <div className="auth__brand">
        <LogoMark size={32} />
        <span>Coachwork</span>
      </div>
      <main id="main" className={`auth__card${isWide ? " auth__card--wide" : ""}`} tabIndex={-1}>
        <h1 className="auth__title">{title}</h1>
        {description ? <p className="auth__description">{description}</p> : null}
        {children}
      </main>
      {footer ? <div className="auth__footer">{footer}</div> : null}
    </div>
  );
}
