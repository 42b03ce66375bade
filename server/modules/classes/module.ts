import { defineModule } from "../../platform/module.js";
import { registerClassRoutes } from "./classes.routes.js";

/** Classes, courses, terms and enrollments from the roster, and each school's summary. */
export const classesModule = defineModule({
  name: "classes",
  tables: ["academic_sessions", "courses", "classes", "class_terms", "enrollments"],
  routes: registerClassRoutes,
});
