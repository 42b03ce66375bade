import { defineModule } from "../../platform/module.js";
import { registerObservationRoutes } from "./observations.routes.js";

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
  ],
  routes: registerObservationRoutes,
});
