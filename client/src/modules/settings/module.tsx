import { lazyPage, type ClientModule } from "../../lib/module.js";

/** District settings: the district (name, time zone, terms, coaching target), the audit log, single sign-on, security, and everyone's API tokens tab. */
export const settingsModule: ClientModule = {
  name: "settings",
  settings: {
    tabs: [
      { path: "district", label: "District", isAdminOnly: true, order: 5 },
      { path: "audit", label: "Audit log", isAdminOnly: true, order: 10 },
      { path: "sso", label: "Single sign-on", isAdminOnly: true, order: 30 },
      { path: "security", label: "Security", isAdminOnly: true, order: 40 },
      { path: "tokens", label: "API tokens", isAdminOnly: false, order: 90 },
    ],
    routes: [
      { path: "district", element: lazyPage(() => import("./DistrictSettingsPage.js"), "DistrictSettingsPage") },
      { path: "audit", element: lazyPage(() => import("./AuditLogPage.js"), "AuditLogPage") },
      { path: "security", element: lazyPage(() => import("./SecuritySettingsPage.js"), "SecuritySettingsPage") },
      { path: "tokens", element: lazyPage(() => import("./ApiTokensPage.js"), "ApiTokensPage") },
      { path: "sso", element: lazyPage(() => import("./SsoSettingsPage.js"), "SsoSettingsPage") },
      { path: "sso/new", element: lazyPage(() => import("./SsoProviderPage.js"), "SsoProviderPage") },
      { path: "sso/:id", element: lazyPage(() => import("./SsoProviderPage.js"), "SsoProviderPage") },
    ],
  },
};
