import { lazyPage, type ClientModule } from "../../lib/module.js";

/** 1:1 devices: inventory, imports, labels, assignment, pickup stations with a live board, loaners, repairs, bookings. */
export const devicesModule: ClientModule = {
  name: "devices",
  navigation: { label: "Devices", icon: "devices", path: "/devices", section: "modules" },
  routes: [{ path: "devices/*", element: lazyPage(() => import("./DevicesRoutes.js"), "DevicesRoutes", "Loading devices…") }],
};
