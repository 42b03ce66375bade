import type { TSsoProvider } from "../../../shared/schemas/sso.js";
import { unique } from "../../../tests/helpers/factories.js";
import { adminOnly, everyone, must, worldRecords, type MatrixWorld, type ModuleMatrix } from "../../../tests/helpers/matrix.js";

// Single sign-on: the sign-in buttons, start and callback answer anyone (they redirect, 302, to the
// provider or back to /login with an error); providers are managed by district admins only.
// The issuer is a closed loopback port, so discovery fails at once and nothing leaves the machine.
const records = worldRecords<{ providerId: string }>();

const ISSUER = "http://localhost:9";

const newProvider = (world: MatrixWorld) =>
  must<TSsoProvider>(world, world.root, "POST", "/api/v1/sso/admin/providers", 201, { kind: "oidc", displayName: unique("IdP "), issuer: ISSUER, clientId: "matrix" });

export const ssoMatrix: ModuleMatrix = {
  module: "sso",
  async seed(world) {
    records.set(world, { providerId: (await newProvider(world)).id });
  },
  routes: [
    { route: "GET /api/v1/sso/providers", targets: { any: () => ({ path: "/api/v1/sso/providers" }) }, expect: everyone(200) },
    { route: "GET /api/v1/sso/:id/start", targets: { any: ({ world }) => ({ path: `/api/v1/sso/${records.of(world).providerId}/start` }) }, expect: everyone(302) },
    { route: "GET /api/v1/sso/callback", targets: { any: () => ({ path: "/api/v1/sso/callback?state=not-a-state&code=not-a-code" }) }, expect: everyone(302) },
    { route: "GET /api/v1/sso/admin/providers", targets: { any: () => ({ path: "/api/v1/sso/admin/providers" }) }, expect: adminOnly(200) },
    {
      route: "POST /api/v1/sso/admin/providers",
      targets: { any: () => ({ path: "/api/v1/sso/admin/providers", body: { kind: "oidc", displayName: unique("IdP "), issuer: ISSUER, clientId: "matrix" } }) },
      expect: adminOnly(201),
    },
    {
      route: "GET /api/v1/sso/admin/providers/:id",
      targets: { any: ({ world }) => ({ path: `/api/v1/sso/admin/providers/${records.of(world).providerId}` }) },
      expect: adminOnly(200),
    },
    {
      route: "PATCH /api/v1/sso/admin/providers/:id",
      targets: { any: async ({ world }) => ({ path: `/api/v1/sso/admin/providers/${(await newProvider(world)).id}`, body: { displayName: unique("Renamed ") } }) },
      expect: adminOnly(200),
    },
    {
      route: "DELETE /api/v1/sso/admin/providers/:id",
      targets: { any: async ({ world }) => ({ path: `/api/v1/sso/admin/providers/${(await newProvider(world)).id}` }) },
      expect: adminOnly(204),
    },
    {
      route: "POST /api/v1/sso/admin/providers/:id/test-discovery",
      targets: { any: ({ world }) => ({ path: `/api/v1/sso/admin/providers/${records.of(world).providerId}/test-discovery` }) },
      // 200 with ok: false: discovery ran and failed, which is the admin's answer.
      expect: adminOnly(200),
    },
  ],
};
