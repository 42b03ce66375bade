import { adminOnly, type ModuleMatrix } from "../../../tests/helpers/matrix.js";

// Who read whose record: district admins only.
export const auditMatrix: ModuleMatrix = {
  module: "audit",
  routes: [
    { route: "GET /api/v1/audit", targets: { any: () => ({ path: "/api/v1/audit" }) }, expect: adminOnly(200) },
    { route: "GET /api/v1/audit.csv", targets: { any: () => ({ path: "/api/v1/audit.csv" }) }, expect: adminOnly(200) },
  ],
};
