import { NavLink } from "react-router-dom";

/** Section navigation rendered as tabs (links, so each view has its own URL). */
export function TabNav({ label, tabs }: { label: string; tabs: { to: string; label: string }[] }) {
  return (
    <nav className="tabs" aria-label={label}>
      {tabs.map((tab) => (
        <NavLink key={tab.to} to={tab.to} className={({ isActive }) => `tabs__tab${isActive ? " is-active" : ""}`}>
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
