import { ZCoachingHome } from "../../../shared/schemas/home.js";
import type { Ctx } from "../../context.js";
import { ZErrorResponse, requireActor, type App } from "../../http.js";
import { coachingHome } from "./home.service.js";

const errors = { 401: ZErrorResponse, 403: ZErrorResponse };

/** The home page's numbers, and (reports.routes.ts) coaches compared and who is not yet reached. */
export function registerCoachingHomeRoutes(app: App, ctx: Ctx): void {
  app.get(
    "/api/v1/coaching/home",
    {
      schema: {
        tags: ["Coaching"],
        summary: "The home page's numbers for each of the caller's roles: the district's week, the schools they lead, their own coaching, their cycles",
        response: { 200: ZCoachingHome, ...errors },
      },
    },
    async (req) => coachingHome(ctx, requireActor(req)),
  );
}
