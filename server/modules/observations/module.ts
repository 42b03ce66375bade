import { defineModule } from "../../platform/module.js";
import { registerObservationRoutes } from "./observations.routes.js";
import { registerObservationReportRoutes } from "./reports.routes.js";

/** Classroom observations scored on a rubric (the Technology Integration Matrix by default). */
export const observationsModule = defineModule({
  name: "observations",
  tables: [
    "observation_rubrics",
    "observation_rubric_versions",
    "observation_apps",
    "observations",
    "observation_levels",
    "observation_technologies",
    "observation_comments",
    "observation_rollup_cells",
    "observation_rollup_profiles",
    "observation_composites",
  ],
  routes: (app, ctx) => {
    registerObservationRoutes(app, ctx);
    registerObservationReportRoutes(app, ctx);
  },
});
