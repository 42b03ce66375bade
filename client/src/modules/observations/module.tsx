import { lazyPage, type ClientModule } from "../../lib/module.js";

/** Classroom observations on the Technology Integration Matrix: the offline form, the list and each observation with its feedback. */
export const observationsModule: ClientModule = {
  name: "observations",
  navigation: { label: "Observations", icon: "observations", path: "/observations", section: "modules" },
  routes: [{ path: "observations/*", element: lazyPage(() => import("./ObservationsRoutes.js"), "ObservationsRoutes", "Loading observations…") }],
  settings: {
    tabs: [{ path: "observations", label: "Observation rubrics", isAdminOnly: true, order: 25 }],
    routes: [{ path: "observations", element: lazyPage(() => import("./RubricsSettingsPage.js"), "RubricsSettingsPage") }],
  },
};
