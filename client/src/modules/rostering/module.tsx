import { lazyPage, type ClientModule } from "../../lib/module.js";

/** Roster imports (OneRoster, staff CSV) under Settings. */
export const rosteringModule: ClientModule = {
  name: "rostering",
  settings: {
    tabs: [{ path: "rostering", label: "Roster imports", isAdminOnly: true, order: 20 }],
    routes: [
      { path: "rostering", element: lazyPage(() => import("./RosterImportsPage.js"), "RosterImportsPage") },
      { path: "rostering/:id", element: lazyPage(() => import("./RosterImportsPage.js"), "RosterImportPage") },
    ],
  },
};
