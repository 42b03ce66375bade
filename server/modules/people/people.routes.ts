import { CountLimits } from "../../../shared/limits.js";
import { ZIdParams, cappedListResponse } from "../../../shared/schemas/common.js";
import {
  ZCreatePersonRequest,
  ZListPeopleQuery,
  ZPerson,
  ZUpdatePersonRequest,
} from "../../../shared/schemas/people.js";
import type { Ctx } from "../../context.js";
import { ZErrorResponse, requireActor, requestMeta, type App } from "../../http.js";
import { createPerson, getPerson, listPeopleForActor, setPersonStatus, updatePerson } from "./people.service.js";

const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 403: ZErrorResponse, 404: ZErrorResponse };

export function registerPeopleRoutes(app: App, ctx: Ctx): void {
  app.get(
    "/api/v1/people",
    {
      schema: {
        tags: ["Directory"],
        summary: "List people in the actor's scope",
        description:
          "Admins see the district; coaches, school leaders and IT staff their schools; teachers their schools' staff; students nobody but themselves (via /me). " +
          `Matches are counted up to ${CountLimits.cap}: past that \`total\` is ${CountLimits.cap} and \`totalIsCapped\` is true.`,
        querystring: ZListPeopleQuery,
        response: { 200: cappedListResponse(ZPerson), ...errors },
      },
    },
    async (req) => listPeopleForActor(ctx, requireActor(req), req.query, requestMeta(req)),
  );

  app.post(
    "/api/v1/people",
    {
      schema: {
        tags: ["Directory"],
        summary: "Add a person (district admins)",
        body: ZCreatePersonRequest,
        response: { 201: ZPerson, ...errors, 409: ZErrorResponse },
      },
    },
    async (req, reply) => {
      const person = await createPerson(ctx, requireActor(req), req.body, requestMeta(req));
      return reply.status(201).send(person);
    },
  );

  app.get(
    "/api/v1/people/:id",
    { schema: { tags: ["Directory"], summary: "Read a person (audited)", params: ZIdParams, response: { 200: ZPerson, ...errors } } },
    async (req) => getPerson(ctx, requireActor(req), req.params.id, requestMeta(req)),
  );

  app.patch(
    "/api/v1/people/:id",
    {
      schema: {
        tags: ["Directory"],
        summary: "Update a person and their roles (district admins)",
        params: ZIdParams,
        body: ZUpdatePersonRequest,
        response: { 200: ZPerson, ...errors, 409: ZErrorResponse },
      },
    },
    async (req) => updatePerson(ctx, requireActor(req), req.params.id, req.body, requestMeta(req)),
  );

  for (const [verb, status] of [
    ["deactivate", "inactive"],
    ["reactivate", "active"],
  ] as const) {
    app.post(
      `/api/v1/people/:id/${verb}`,
      {
        schema: {
          tags: ["Directory"],
          summary: `${verb === "deactivate" ? "Deactivate" : "Reactivate"} a person (district admins)`,
          params: ZIdParams,
          response: { 200: ZPerson, ...errors },
        },
      },
      async (req) => setPersonStatus(ctx, requireActor(req), req.params.id, status, requestMeta(req)),
    );
  }
}
