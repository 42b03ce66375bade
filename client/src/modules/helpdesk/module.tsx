import { lazyPage, type ClientModule } from "../../lib/module.js";

/** The help desk: ask for help, the desk's live queue and kiosk, tickets, the punch list and reports. */
export const helpdeskModule: ClientModule = {
  name: "helpdesk",
  navigation: { label: "Help desk", icon: "helpdesk", path: "/helpdesk", section: "modules", isForStudents: true },
  routes: [{ path: "helpdesk/*", element: lazyPage(() => import("./HelpdeskRoutes.js"), "HelpdeskRoutes", "Loading the help desk…") }],
};
