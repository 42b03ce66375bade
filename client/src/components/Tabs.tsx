import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import { NavLink, useLocation } from "react-router-dom";

/**
 * A row of tabs (links with `tabs__tab`, the current one with aria-current="page"). On a phone the row
 * scrolls sideways; that it does is shown, not left to be discovered: an edge with more tabs beyond it
 * fades out under a chevron, and the current tab is scrolled into view whenever the address changes.
 * Fades and chevrons are CSS only (a mask, pseudo-elements without text), so screen readers, which read
 * every tab in the nav, meet nothing extra; a tab reached with the keyboard scrolls into view clear of
 * them (scroll-padding). A tap on a chevron scrolls the row that way.
 */
export function TabBar({ label, children }: { label: string; children: ReactNode }) {
  const ref = useRef<HTMLElement>(null);
  const [more, setMore] = useState({ isBefore: false, isAfter: false });
  const { pathname, search } = useLocation();

  useEffect(() => {
    const nav = ref.current;
    if (!nav) return;
    const update = () => {
      // A pixel of slack: zoomed pages report fractional scroll positions.
      const isBefore = nav.scrollLeft > 1;
      const isAfter = nav.scrollLeft + nav.clientWidth < nav.scrollWidth - 1;
      setMore((m) => (m.isBefore === isBefore && m.isAfter === isAfter ? m : { isBefore, isAfter }));
    };
    update();
    nav.addEventListener("scroll", update, { passive: true });
    const resized = new ResizeObserver(update);
    resized.observe(nav);
    return () => {
      nav.removeEventListener("scroll", update);
      resized.disconnect();
    };
  }, []);

  // Before paint, so the row does not jump: the current tab centred in the row. Not scrollIntoView,
  // which would also scroll the page up or down to the tabs.
  useLayoutEffect(() => {
    const nav = ref.current;
    const current = nav?.querySelector<HTMLElement>("[aria-current='page']");
    if (!nav || !current || nav.scrollWidth <= nav.clientWidth) return;
    const row = nav.getBoundingClientRect();
    const tab = current.getBoundingClientRect();
    nav.scrollLeft += tab.left + tab.width / 2 - (row.left + row.width / 2);
  }, [pathname, search]);

  /** A tap on a chevron scrolls the row most of its width that way (swiping does too). */
  const scrollRow = (direction: -1 | 1) => {
    const nav = ref.current;
    if (!nav) return;
    const isReduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    nav.scrollBy({ left: direction * nav.clientWidth * 0.7, behavior: isReduced ? "auto" : "smooth" });
  };

  return (
    <div className={`tabs-bar${more.isBefore ? " has-more-before" : ""}${more.isAfter ? " has-more-after" : ""}`}>
      <nav ref={ref} className="tabs" aria-label={label}>
        {children}
      </nav>
      {/* Tap targets over the chevrons, for touch. Hidden from screen readers and out of the tab order:
          they read and reach every tab in the nav, and a focused tab scrolls itself into view. */}
      {more.isBefore ? <button type="button" className="tabs-bar__scroll tabs-bar__scroll--before" tabIndex={-1} aria-hidden="true" onClick={() => scrollRow(-1)} /> : null}
      {more.isAfter ? <button type="button" className="tabs-bar__scroll tabs-bar__scroll--after" tabIndex={-1} aria-hidden="true" onClick={() => scrollRow(1)} /> : null}
    </div>
  );
}

/**
 * Section navigation rendered as tabs (links, so each view has its own URL). `end`: the tab is current
 * only at its exact address, not below it (a module's home tab whose address prefixes the others').
 */
export function TabNav({ label, tabs }: { label: string; tabs: { to: string; label: string; end?: boolean }[] }) {
  return (
    <TabBar label={label}>
      {tabs.map((tab) => (
        <NavLink key={tab.to} to={tab.to} end={tab.end} className={({ isActive }) => `tabs__tab${isActive ? " is-active" : ""}`}>
          {tab.label}
        </NavLink>
      ))}
    </TabBar>
  );
}

export function DirectoryTabs() {
  return (
    <TabNav
      label="Directory"
      tabs={[
        { to: "/directory/people", label: "People" },
        { to: "/directory/schools", label: "Schools" },
      ]}
    />
  );
}
