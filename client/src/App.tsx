import { Navigate, useLocation, useRoutes, type RouteObject } from "react-router-dom";
import { AppShell } from "./components/AppShell.js";
import { ErrorState, Spinner } from "./components/Feedback.js";
import { SettingsIndex, SettingsLayout } from "./components/SettingsLayout.js";
import { PUBLIC_ROUTES, SETTINGS_ROUTES, SHELL_ROUTES, UPCOMING_MODULES } from "./lib/modules.js";
import { useSession } from "./lib/session.js";
import { ComingSoonPage } from "./pages/ComingSoonPage.js";
import { NotFoundPage } from "./pages/NotFoundPage.js";

/** Every route, built from the module list (modules/index.ts) and the modules still to come. */
const ROUTES: RouteObject[] = [
  ...PUBLIC_ROUTES,
  {
    element: <RequireSession />,
    children: [
      ...SHELL_ROUTES,
      ...UPCOMING_MODULES.map((module) => ({ path: `${module.path.slice(1)}/*`, element: <ComingSoonPage module={module} /> })),
      {
        path: "settings",
        element: <SettingsLayout />,
        children: [{ index: true, element: <SettingsIndex /> }, ...SETTINGS_ROUTES],
      },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];

export function App() {
  return useRoutes(ROUTES);
}

/** Renders the app shell for a signed-in person; everyone else goes to the sign-in page. */
function RequireSession() {
  const { state, refresh } = useSession();
  const location = useLocation();
  switch (state.status) {
    case "loading":
      return (
        <div className="fullpage">
          <Spinner label="Loading Coachwork…" />
        </div>
      );
    case "error":
      return (
        <main className="fullpage">
          <ErrorState error={state.error} onRetry={refresh} />
        </main>
      );
    case "signedOut": {
      if (state.reason === "signedOut") {
        return <Navigate to="/login" replace state={{ notice: "You have signed out." }} />;
      }
      const next = `${location.pathname}${location.search}`;
      return (
        <Navigate
          to={next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`}
          replace
          state={state.reason === "expired" ? { notice: "Your session ended. Please sign in again." } : undefined}
        />
      );
    }
    case "signedIn":
      return <AppShell />;
  }
}
