import { ZIdParams, listResponse } from "../../../shared/schemas/common.js";
import { ZCreateSchoolRequest, ZListSchoolsQuery, ZSchool, ZUpdateSchoolRequest } from "../../../shared/schemas/schools.js";
import type { Ctx } from "../../context.js";
import { ZErrorResponse, requireActor, requestMeta, type App } from "../../http.js";
import { createSchool, getSchool, listSchoolsForActor, updateSchool } from "./schools.service.js";

const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 403: ZErrorResponse, 404: ZErrorResponse };

export function registerSchoolRoutes(app: App, ctx: Ctx): void {
  app.get(
    "/api/v1/schools",
    { schema: { tags: ["Directory"], summary: "List the district's schools", querystring: ZListSchoolsQuery, response: { 200: listResponse(ZSchool), ...errors } } },
    async (req) => listSchoolsForActor(ctx, requireActor(req), req.query),
  );
  app.post(
    "/api/v1/schools",
    { schema: { tags: ["Directory"], summary: "Add a school (district admins)", body: ZCreateSchoolRequest, response: { 201: ZSchool, ...errors, 409: ZErrorResponse } } },
    async (req, reply) => reply.status(201).send(await createSchool(ctx, requireActor(req), req.body, requestMeta(req))),
  );
  app.get(
    "/api/v1/schools/:id",
    { schema: { tags: ["Directory"], summary: "Read a school", params: ZIdParams, response: { 200: ZSchool, ...errors } } },
    async (req) => getSchool(ctx, requireActor(req), req.params.id),
  );
  app.patch(
    "/api/v1/schools/:id",
    {
      schema: {
        tags: ["Directory"],
        summary: "Update a school (district admins)",
        params: ZIdParams,
        body: ZUpdateSchoolRequest,
        response: { 200: ZSchool, ...errors, 409: ZErrorResponse },
      },
    },
    async (req) => updateSchool(ctx, requireActor(req), req.params.id, req.body, requestMeta(req)),
  );
}
