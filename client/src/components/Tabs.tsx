import { NavLink } from "react-router-dom";

/**
 * Section navigation rendered as tabs (links, so each view has its own URL). `end`: the tab is current
 * only at its exact address, not below it (a module's home tab whose address prefixes the others').
 */
export function TabNav({ label, tabs }: { label: string; tabs: { to: string; label: string; end?: boolean }[] }) {
  return (
    <nav className="tabs" aria-label={label}>
      {tabs.map((tab) => (
        <NavLink key={tab.to} to={tab.to} end={tab.end} className={({ isActive }) => `tabs__tab${isActive ? " is-active" : ""}`}>
          {tab.label}
        </NavLink>
      ))}
    </nav>
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
