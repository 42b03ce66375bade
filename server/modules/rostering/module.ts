import { defineModule } from "../../platform/module.js";
import { rosteringEvents } from "./rostering.events.js";
import { registerRosteringRoutes } from "./rostering.routes.js";

const BULK = "a roster import writes up to a million rows in one transaction; a call per row through the owner's API would take hours";

/** OneRoster and staff CSV imports: checked whole, then applied in bulk to the directory and classes. */
export const rosteringModule = defineModule({
  name: "rostering",
  tables: ["roster_orgs", "roster_imports"],
  alsoWrites: {
    schools: BULK,
    people: BULK,
    role_assignments: BULK,
    academic_sessions: BULK,
    courses: BULK,
    classes: BULK,
    class_terms: BULK,
    enrollments: BULK,
  },
  routes: registerRosteringRoutes,
  events: rosteringEvents,
});
