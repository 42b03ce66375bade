import type { Ctx } from "../../context.js";
import { defineModule } from "../../platform/module.js";
import { registerDeviceRoutes } from "./devices.routes.js";
import { devicesJobs, mayFollowBoard } from "./rollouts.service.js";

// A topic authorizer is handed the actor only; deciding who may follow a rollout's board needs the
// database, so the module keeps the context its routes were registered with (one app, one context).
let registeredCtx: Ctx | null = null;

/** 1:1 devices: inventory, assignment from the roster, pickup stations and their live board, loaners, repairs, bookings. */
export const devicesModule = defineModule({
  name: "devices",
  tables: ["device_models", "device_assets", "device_assignments", "device_events", "device_repairs", "device_rollouts", "device_pickups", "device_resources", "device_bookings"],
  routes: (app, ctx) => {
    registeredCtx = ctx;
    registerDeviceRoutes(app, ctx);
  },
  jobs: devicesJobs,
  topics: {
    rollout: async (actor, topic) => registeredCtx !== null && mayFollowBoard(registeredCtx, actor, topic.slice("rollout:".length)),
  },
});
