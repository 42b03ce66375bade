import { defineModule } from "../../platform/module.js";
import { registerSchoolRoutes } from "./schools.routes.js";

/** The district's schools. */
export const schoolsModule = defineModule({
  name: "schools",
  tables: ["schools"],
  routes: registerSchoolRoutes,
});
