import { Fragment, useEffect, useRef, useState } from "react";
import { Link, NavLink, Outlet, useLocation } from "react-router-dom";
import { initials } from "../lib/format.js";
import { useMediaQuery } from "../lib/hooks.js";
import type { NavEntry } from "../lib/module.js";
import { navigationFor } from "../lib/modules.js";
import { useIsStudentOnly, useMe, useSession } from "../lib/session.js";
import { Icon } from "./Icon.js";
import { LogoMark } from "./Logo.js";
import { MenuButton } from "./Menu.js";

// The sidebar comes from the module list; Settings is the shell's own frame that modules add tabs to.
const NAV_MAIN = navigationFor("main");
const NAV_MODULES = navigationFor("modules");
const NAV_ADMIN: NavEntry[] = [
  ...navigationFor("district"),
  { path: "/settings", label: "Settings", icon: "settings", section: "district", matchPrefix: "/settings" },
];

/** The signed-in frame: header, navigation (a drawer on phones) and the page. */
export function AppShell() {
  const me = useMe();
  const isStudentOnly = useIsStudentOnly();
  const { signOut } = useSession();
  const location = useLocation();
  const isCompact = useMediaQuery("(max-width: 800px)");
  const [isNavOpen, setIsNavOpen] = useState(false);
  const menuButtonRef = useRef<HTMLButtonElement>(null);
  const navRef = useRef<HTMLElement>(null);
  const mainRef = useRef<HTMLElement>(null);
  const previousPath = useRef(location.pathname);

  // Close the phone drawer on navigation and move focus to the new page's heading,
  // so keyboard and screen-reader users start reading where the content starts.
  useEffect(() => {
    if (previousPath.current === location.pathname) return;
    previousPath.current = location.pathname;
    setIsNavOpen(false);
    const heading = mainRef.current?.querySelector<HTMLElement>("h1");
    (heading ?? mainRef.current)?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [location.pathname]);

  useEffect(() => {
    if (!isCompact) setIsNavOpen(false);
  }, [isCompact]);

  useEffect(() => {
    if (!isNavOpen) return;
    navRef.current?.querySelector<HTMLElement>("a")?.focus();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setIsNavOpen(false);
        menuButtonRef.current?.focus();
      }
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [isNavOpen]);

  // The session provider's signed-out state sends the browser to /login with a notice.
  const onSignOut = () => void signOut();

  const renderItem = (item: NavEntry) => (
    <li key={item.path}>
      <NavLink
        to={item.path}
        end={item.isEnd}
        className={({ isActive }) => {
          const isCurrent = item.matchPrefix ? location.pathname.startsWith(item.matchPrefix) : isActive;
          return `nav__link${isCurrent ? " is-active" : ""}`;
        }}
        onClick={() => setIsNavOpen(false)}
      >
        <Icon name={item.icon} />
        <span>{item.label}</span>
      </NavLink>
    </li>
  );

  const person = me.person;
  // A student (or student tech) sees only what is theirs; staff modules would answer "not allowed".
  const visible = (items: NavEntry[]) => (isStudentOnly ? items.filter((item) => item.isForStudents) : items);
  const sections = [
    { heading: null, items: visible(NAV_MAIN) },
    { heading: "Modules", items: visible(NAV_MODULES) },
    { heading: "District", items: visible(NAV_ADMIN) },
  ].filter((section) => section.items.length > 0);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button
          ref={menuButtonRef}
          type="button"
          className="icon-button topbar__nav-toggle"
          aria-expanded={isNavOpen}
          aria-controls="primary-nav"
          onClick={() => setIsNavOpen((open) => !open)}
        >
          <Icon name={isNavOpen ? "close" : "menu"} size={20} />
          <span className="visually-hidden">{isNavOpen ? "Close navigation" : "Open navigation"}</span>
        </button>
        <Link to="/" className="brand">
          <LogoMark />
          <span className="brand__name">Coachwork</span>
        </Link>
        <span className="topbar__divider" aria-hidden="true" />
        <span className="topbar__district" title={me.district.name}>
          {me.district.name}
        </span>
        <div className="topbar__spacer" />
        <MenuButton
          // Starts with what the button shows (the initials; the name too when wide), so a speech user
          // saying "AA" reaches it (WCAG 2.5.3 Label in Name).
          label={`${initials(person)} ${person.displayName}, account menu`}
          className="user-menu"
          buttonContent={
            <>
              <span className="avatar" aria-hidden="true">
                {initials(person)}
              </span>{" "}
              <span className="user-menu__name">{person.displayName}</span>
              <Icon name="chevronDown" size={16} />
            </>
          }
          header={
            <>
              <div className="menu__header-name">{person.displayName}</div>
              {person.email ? <div className="menu__header-email">{person.email}</div> : null}
            </>
          }
          items={[
            { kind: "link", label: "Profile", to: "/profile", icon: <Icon name="user" /> },
            { kind: "action", label: "Sign out", onSelect: onSignOut, icon: <Icon name="signOut" /> },
          ]}
        />
      </header>
      <div className="layout">
        <nav
          ref={navRef}
          id="primary-nav"
          className={`sidebar${isNavOpen ? " is-open" : ""}`}
          aria-label="Main"
        >
          {sections.map((section) => (
            <Fragment key={section.heading ?? "main"}>
              {section.heading ? <h2 className="nav__heading">{section.heading}</h2> : null}
              <ul className="nav__list">{section.items.map(renderItem)}</ul>
            </Fragment>
          ))}
        </nav>
        {isNavOpen ? <div className="sidebar-backdrop" onClick={() => setIsNavOpen(false)} aria-hidden="true" /> : null}
        <main id="main" ref={mainRef} className="main" tabIndex={-1}>
          <div className="main__inner">
            <Outlet />
          </div>
        </main>
      </div>
    </div>
  );
}
