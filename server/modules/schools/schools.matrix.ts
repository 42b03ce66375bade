import { unique } from "../../../tests/helpers/factories.js";
import { adminOnly, sees, signedIn, type ModuleMatrix } from "../../../tests/helpers/matrix.js";

// School names are not sensitive: every signed-in role lists and reads them. Changing them is the admin's.
export const schoolsMatrix: ModuleMatrix = {
  module: "schools",
  routes: [
    {
      route: "GET /api/v1/schools",
      targets: {
        own: ({ world }) => ({ path: "/api/v1/schools?limit=200", isList: true, probe: (res) => res.text.includes(world.schoolA.id) }),
        other: ({ world }) => ({ path: "/api/v1/schools?limit=200", isList: true, probe: (res) => res.text.includes(world.schoolB.id) }),
      },
      expect: signedIn(sees(200)),
    },
    {
      route: "POST /api/v1/schools",
      targets: { any: () => ({ path: "/api/v1/schools", body: { name: unique("Cell School "), level: "elementary" } }) },
      expect: adminOnly(201),
    },
    {
      route: "GET /api/v1/schools/:id",
      targets: {
        own: ({ world }) => ({ path: `/api/v1/schools/${world.schoolA.id}` }),
        other: ({ world }) => ({ path: `/api/v1/schools/${world.schoolB.id}` }),
      },
      expect: signedIn(200),
    },
    {
      route: "PATCH /api/v1/schools/:id",
      targets: {
        // Changing nothing: the schools are shared by every cell.
        own: ({ world }) => ({ path: `/api/v1/schools/${world.schoolA.id}`, body: { status: "active" } }),
        other: ({ world }) => ({ path: `/api/v1/schools/${world.schoolB.id}`, body: { status: "active" } }),
      },
      expect: adminOnly(200),
    },
  ],
};
