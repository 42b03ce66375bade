import { Navigate, Outlet } from "react-router-dom";
import { SETTINGS_TABS } from "../lib/modules.js";
import { useIsDistrictAdmin } from "../lib/session.js";
import { PageHeader } from "./Feedback.js";
import { TabNav } from "./Tabs.js";

/** The tabs this person may use, from every module's Settings tabs. */
function useSettingsTabs() {
  const isAdmin = useIsDistrictAdmin();
  return SETTINGS_TABS.filter((tab) => isAdmin || !tab.isAdminOnly);
}

/** Settings: a frame whose tabs the modules contribute (audit, roster imports, single sign-on, tokens). */
export function SettingsLayout() {
  const tabs = useSettingsTabs().map((tab) => ({ to: `/settings/${tab.path}`, label: tab.label }));
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
  const [first] = useSettingsTabs();
  return <Navigate to={first ? `/settings/${first.path}` : "/"} replace />;
}
