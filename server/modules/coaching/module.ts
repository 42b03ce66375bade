import { defineModule } from "../../platform/module.js";
import { registerCoachingRoutes } from "./coaching.routes.js";
import { registerCoachingHomeRoutes } from "./home.routes.js";

/** The coaching log, its dashboards, coaching cycles and the home page's numbers. */
export const coachingModule = defineModule({
  name: "coaching",
  tables: [
    "coaching_categories",
    "coaching_category_aliases",
    "coaching_cycles",
    "coaching_cycle_teachers",
    "coaching_cycle_steps",
    "coaching_entries",
    "coaching_entry_teachers",
    "coaching_rollup_weekly",
    "coaching_rollup_teacher_terms",
    "coaching_term_state",
  ],
  routes: (app, ctx) => {
    registerCoachingRoutes(app, ctx);
    registerCoachingHomeRoutes(app, ctx);
  },
});
