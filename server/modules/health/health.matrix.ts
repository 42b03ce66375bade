import { everyone, type ModuleMatrix } from "../../../tests/helpers/matrix.js";

// Probes and the API description answer anyone: a load balancer has no account. The OpenAPI
// document is registered in app.ts; it is declared here with the other routes that need no actor.
export const healthMatrix: ModuleMatrix = {
  module: "health",
  routes: [
    { route: "GET /healthz", targets: { any: () => ({ path: "/healthz" }) }, expect: everyone(200) },
    { route: "GET /readyz", targets: { any: () => ({ path: "/readyz" }) }, expect: everyone(200) },
    { route: "GET /api/v1/openapi.json", targets: { any: () => ({ path: "/api/v1/openapi.json" }) }, expect: everyone(200) },
  ],
};
