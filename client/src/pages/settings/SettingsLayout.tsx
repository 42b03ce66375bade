import { Navigate, Outlet } from "react-router-dom";
import { PageHeader } from "../../components/Feedback.js";
import { TabNav } from "../../components/Tabs.js";
import { useIsDistrictAdmin } from "../../lib/session.js";

export function SettingsLayout() {
  const isAdmin = useIsDistrictAdmin();
  const tabs = [
    ...(isAdmin
      ? [
          { to: "/settings/audit", label: "Audit log" },
          { to: "/settings/rostering", label: "Roster imports" },
          { to: "/settings/sso", label: "Single sign-on" },
        ]
      : []),
    { to: "/settings/tokens", label: "API tokens" },
  ];
  return (
    <>
      <PageHeader title="Settings" />
      <TabNav label="Settings" tabs={tabs} />
      <Outlet />
    </>
  );
}

/** /settings opens the first tab the person can use. */
export function SettingsIndex() {
  const isAdmin = useIsDistrictAdmin();
  return <Navigate to={isAdmin ? "/settings/audit" : "/settings/tokens"} replace />;
}
