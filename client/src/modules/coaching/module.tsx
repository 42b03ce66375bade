import { lazyPage, type ClientModule } from "../../lib/module.js";

/** The coaching log, cycles and dashboards; its routes check the person's coaching access themselves. */
export const coachingModule: ClientModule = {
  name: "coaching",
  navigation: { label: "Coaching", icon: "coaching", path: "/coaching", section: "modules" },
  // One lazy chunk for the whole module (charts, CSV import, its stylesheet), with nested routes.
  routes: [{ path: "coaching/*", element: lazyPage(() => import("./CoachingRoutes.js"), "CoachingRoutes", "Loading coaching…") }],
};
