import { useEffect, useRef, type ReactNode } from "react";
import { Navigate, NavLink, Outlet, Route, Routes, useLocation } from "react-router-dom";
import { EmptyState } from "../../components/Feedback.js";
import { NotFoundPage } from "../../pages/NotFoundPage.js";
import { useCoachingAccess, type CoachingAccess } from "./access.js";
import { CategoriesPage } from "./CategoriesPage.js";
import { CoachesPage } from "./CoachesPage.js";
import { CyclePage } from "./CyclePage.js";
import { CyclesPage } from "./CyclesPage.js";
import { DashboardPage } from "./DashboardPage.js";
import { EntriesPage } from "./EntriesPage.js";
import { ImportPage } from "./ImportPage.js";
import { NewCyclePage } from "./NewCyclePage.js";
import { QuickLogPage } from "./QuickLogPage.js";
import { WeekPage } from "./WeekPage.js";
import "./coaching.css";

type Tab = { to: string; label: string; isEnd?: boolean; /** Another path that belongs to this section. */ alsoMatches?: string };

/** The module's sections, by what the person may do: teachers see their cycles, leaders the dashboard. */
export function coachingTabs(access: CoachingAccess): Tab[] {
  const tabs: Tab[] = [];
  if (access.canLog) {
    tabs.push({ to: "/coaching", label: "Log", isEnd: true }, { to: "/coaching/week", label: "Week" });
  }
  if (access.canLog || access.canSeeSchoolDashboard) tabs.push({ to: "/coaching/dashboard", label: "Dashboard" });
  if (access.compareSchools === "all" || access.compareSchools.length > 0) tabs.push({ to: "/coaching/coaches", label: "Coaches" });
  if (access.canLog) tabs.push({ to: "/coaching/cycles", label: "Cycles" });
  else if (access.isTeacher) tabs.push({ to: "/coaching/cycles", label: "My coaching cycles" });
  if (access.canLog) tabs.push({ to: "/coaching/log", label: "All entries", alsoMatches: "/coaching/import" });
  if (access.isAdmin) tabs.push({ to: "/coaching/categories", label: "Categories" });
  return tabs;
}

function CoachingLayout() {
  const access = useCoachingAccess();
  const tabs = coachingTabs(access);
  const navRef = useRef<HTMLElement>(null);
  const { pathname } = useLocation();

  // On a phone the tab strip scrolls sideways; keep the current section in view.
  useEffect(() => {
    navRef.current?.querySelector<HTMLElement>("[aria-current='page']")?.scrollIntoView({ block: "nearest", inline: "nearest" });
  });

  return (
    <div className="coaching">
      {tabs.length > 1 ? (
        <nav ref={navRef} className="coach-nav" aria-label="Coaching">
          {tabs.map((tab) => (
            <NavLink
              key={tab.to}
              to={tab.to}
              end={tab.isEnd}
              className={({ isActive }) =>
                `coach-nav__tab${isActive || (tab.alsoMatches && pathname.startsWith(tab.alsoMatches)) ? " is-active" : ""}`
              }
            >
              {tab.label}
            </NavLink>
          ))}
        </nav>
      ) : null}
      <Outlet />
    </div>
  );
}

function NoAccess() {
  return (
    <EmptyState title="Coaching is for coaches, teachers and school leaders">
      Your role does not include the coaching log. If you coach or teach here, ask a district admin to add that role to your
      account.
    </EmptyState>
  );
}

/** Renders the page when allowed, else the best page this person may see. */
function Allow({ when, children }: { when: boolean; children: ReactNode }) {
  const access = useCoachingAccess();
  if (when) return children;
  if (access.canLog) return <Navigate to="/coaching" replace />;
  if (access.canSeeSchoolDashboard) return <Navigate to="/coaching/dashboard" replace />;
  if (access.isTeacher) return <Navigate to="/coaching/cycles" replace />;
  return <NoAccess />;
}

function CoachingIndex() {
  const access = useCoachingAccess();
  if (access.canLog) return <QuickLogPage />;
  return <Allow when={false}>{null}</Allow>;
}

function Routed() {
  const access = useCoachingAccess();
  const canCycles = access.canLog || access.isTeacher;
  return (
    <Routes>
      <Route element={<CoachingLayout />}>
        <Route index element={<CoachingIndex />} />
        <Route path="week" element={<Allow when={access.canLog}><WeekPage /></Allow>} />
        <Route path="dashboard" element={<Allow when={access.canLog || access.canSeeSchoolDashboard}><DashboardPage /></Allow>} />
        <Route path="coaches" element={<Allow when={access.compareSchools === "all" || access.compareSchools.length > 0}><CoachesPage /></Allow>} />
        <Route path="cycles" element={<Allow when={canCycles}><CyclesPage /></Allow>} />
        <Route path="cycles/new" element={<Allow when={access.canLog}><NewCyclePage /></Allow>} />
        <Route path="cycles/:id" element={<Allow when={canCycles}><CyclePage /></Allow>} />
        <Route path="log" element={<Allow when={access.canLog}><EntriesPage /></Allow>} />
        <Route path="import" element={<Allow when={access.canLog}><ImportPage /></Allow>} />
        <Route path="categories" element={<Allow when={access.isAdmin}><CategoriesPage /></Allow>} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

/** The coaching module under /coaching/*, loaded on demand with its own stylesheet. */
export function CoachingRoutes() {
  return <Routed />;
}
