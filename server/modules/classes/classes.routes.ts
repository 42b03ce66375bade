import { ZIdParams, listResponse } from "../../../shared/schemas/common.js";
import { ZClassDetail, ZClassSummary, ZListClassesQuery, ZSchoolSummary } from "../../../shared/schemas/classes.js";
import type { Ctx } from "../../context.js";
import { ZErrorResponse, requireActor, requestMeta, type App } from "../../http.js";
import { getClass, getSchoolSummary, listClassesForActor } from "./classes.service.js";

const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 403: ZErrorResponse, 404: ZErrorResponse };

export function registerClassRoutes(app: App, ctx: Ctx): void {
  app.get(
    "/api/v1/classes",
    {
      schema: {
        tags: ["Classes"],
        summary: "Classes in the actor's scope",
        description: "Admins see every class; coaches, school leaders and IT staff their schools' classes; teachers the classes they teach; students none.",
        querystring: ZListClassesQuery,
        response: { 200: listResponse(ZClassSummary), ...errors },
      },
    },
    async (req) => listClassesForActor(ctx, requireActor(req), req.query, requestMeta(req)),
  );

  app.get(
    "/api/v1/classes/:id",
    {
      schema: {
        tags: ["Classes"],
        summary: "A class with its teachers and students (audited)",
        params: ZIdParams,
        response: { 200: ZClassDetail, ...errors },
      },
    },
    async (req) => getClass(ctx, requireActor(req), req.params.id, requestMeta(req)),
  );

  app.get(
    "/api/v1/schools/:id/summary",
    {
      schema: {
        tags: ["Classes"],
        summary: "A school's staff, class and student counts (by grade)",
        params: ZIdParams,
        response: { 200: ZSchoolSummary, ...errors },
      },
    },
    async (req) => getSchoolSummary(ctx, requireActor(req), req.params.id),
  );
}
