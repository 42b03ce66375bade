import { defineModule } from "../../platform/module.js";
import { VERSION } from "../../version.js";
import { registerHealthRoutes } from "./health.routes.js";

/** Liveness and readiness probes for load balancers and orchestrators. */
export const healthModule = defineModule({
  name: "health",
  tables: [],
  routes: (app, ctx) => registerHealthRoutes(app, ctx, VERSION),
});
