import { lazy, Suspense } from "react";
import { Navigate, Route, Routes, useLocation } from "react-router-dom";
import { AppShell } from "./components/AppShell.js";
import { ErrorState, Spinner } from "./components/Feedback.js";
import { useSession } from "./lib/session.js";
import { UPCOMING_MODULES } from "./lib/modules.js";
import { LoginPage } from "./pages/auth/LoginPage.js";
import { ResetPasswordPage } from "./pages/auth/ResetPasswordPage.js";
import { SetupPage } from "./pages/auth/SetupPage.js";
import { PeopleListPage } from "./pages/directory/PeopleListPage.js";
import { NewPersonPage } from "./pages/directory/NewPersonPage.js";
import { PersonPage } from "./pages/directory/PersonPage.js";
import { SchoolsListPage } from "./pages/directory/SchoolsListPage.js";
import { NewSchoolPage } from "./pages/directory/NewSchoolPage.js";
import { SchoolPage } from "./pages/directory/SchoolPage.js";
import { HomePage } from "./pages/home/HomePage.js";
import { ComingSoonPage } from "./pages/modules/ComingSoonPage.js";
import { NotFoundPage } from "./pages/NotFoundPage.js";
import { ProfilePage } from "./pages/profile/ProfilePage.js";
import { ClassPage } from "./pages/rostering/ClassPage.js";
import { RosterImportPage, RosterImportsPage } from "./pages/rostering/RosterImportsPage.js";
import { AuditLogPage } from "./pages/settings/AuditLogPage.js";
import { SettingsIndex, SettingsLayout } from "./pages/settings/SettingsLayout.js";
import { ApiTokensPage } from "./pages/settings/ApiTokensPage.js";
import { SsoProviderPage } from "./pages/settings/SsoProviderPage.js";
import { SsoSettingsPage } from "./pages/settings/SsoSettingsPage.js";

// The coaching module (charts, CSV import) loads on first visit, with its own stylesheet.
const CoachingModule = lazy(() => import("./pages/coaching/CoachingModule.js"));

export function App() {
  return (
    <Routes>
      <Route path="/setup" element={<SetupPage />} />
      <Route path="/login" element={<LoginPage />} />
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      <Route element={<RequireSession />}>
        <Route index element={<HomePage />} />
        {UPCOMING_MODULES.map((module) => (
          <Route key={module.slug} path={`${module.path.slice(1)}/*`} element={<ComingSoonPage module={module} />} />
        ))}
        <Route
          path="coaching/*"
          element={
            <Suspense fallback={<Spinner label="Loading coaching…" />}>
              <CoachingModule />
            </Suspense>
          }
        />
        <Route path="directory" element={<Navigate to="/directory/people" replace />} />
        <Route path="directory/people" element={<PeopleListPage />} />
        <Route path="directory/people/new" element={<NewPersonPage />} />
        <Route path="directory/people/:id" element={<PersonPage />} />
        <Route path="directory/schools" element={<SchoolsListPage />} />
        <Route path="directory/schools/new" element={<NewSchoolPage />} />
        <Route path="directory/schools/:id" element={<SchoolPage />} />
        <Route path="directory/classes/:id" element={<ClassPage />} />
        <Route path="profile" element={<ProfilePage />} />
        <Route path="settings" element={<SettingsLayout />}>
          <Route index element={<SettingsIndex />} />
          <Route path="audit" element={<AuditLogPage />} />
          <Route path="rostering" element={<RosterImportsPage />} />
          <Route path="rostering/:id" element={<RosterImportPage />} />
          <Route path="tokens" element={<ApiTokensPage />} />
          <Route path="sso" element={<SsoSettingsPage />} />
          <Route path="sso/new" element={<SsoProviderPage />} />
          <Route path="sso/:id" element={<SsoProviderPage />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
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
