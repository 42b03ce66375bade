import { adminOnly, type ModuleMatrix } from "../../../tests/helpers/matrix.js";

// The district's security settings: district admins only.
export const settingsMatrix: ModuleMatrix = {
  module: "settings",
  routes: [
    { route: "GET /api/v1/settings", targets: { any: () => ({ path: "/api/v1/settings" }) }, expect: adminOnly(200) },
    // An empty change: the cell checks who may write without changing what other cells read.
    { route: "GET /api/v1/settings/district", targets: { any: () => ({ path: "/api/v1/settings/district" }) }, expect: adminOnly(200) },
    { route: "PATCH /api/v1/settings/district", targets: { any: () => ({ path: "/api/v1/settings/district", body: {} }) }, expect: adminOnly(200) },
    { route: "PATCH /api/v1/settings", targets: { any: () => ({ path: "/api/v1/settings", body: {} }) }, expect: adminOnly(200) },
  ],
};
