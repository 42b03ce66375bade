import { lazyPage, type ClientModule } from "../../../lib/module.js";

/**
 * Observation roll-ups (heat map, prevalence, growth, comparison), the printable teacher report and,
 * under Settings, the district's composite scores. It sits beside the observations module's own pages
 * (the form and the list) under /observations, whose navigation entry it shares (the list links here).
 */
export const observationReportsModule: ClientModule = {
  name: "observation-reports",
  routes: [
    { path: "observations/reports", element: lazyPage(() => import("./RollupsPage.js"), "RollupsPage") },
    { path: "observations/reports/teacher/:teacherId", element: lazyPage(() => import("./TeacherReportPage.js"), "TeacherReportPage") },
  ],
  settings: {
    tabs: [{ path: "composites", label: "Composite scores", isAdminOnly: true, order: 60 }],
    routes: [{ path: "composites", element: lazyPage(() => import("./CompositesPage.js"), "CompositesPage") }],
  },
};
