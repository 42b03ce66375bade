import { z } from "zod";
import { ZIdParams, listResponse } from "../../../shared/schemas/common.js";
import {
  ZAddCommentRequest,
  ZApp,
  ZCreateAppRequest,
  ZCreateObservationRequest,
  ZCreateRubricRequest,
  ZListObservationsQuery,
  ZObservation,
  ZRubric,
  ZRubricVersion,
  ZUpdateObservationRequest,
  ZUpdateRubricRequest,
} from "../../../shared/schemas/observations.js";
import type { Ctx } from "../../context.js";
import { ZErrorResponse, requireActor, writer, type App } from "../../http.js";
import * as observations from "./observations.service.js";
import * as rubrics from "./rubrics.service.js";

const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 403: ZErrorResponse, 404: ZErrorResponse };
const gone = { 410: ZErrorResponse.describe("The observation was deleted on the server") };
const tags = ["Observations"];

export function registerObservationRoutes(app: App, ctx: Ctx): void {
  // ---- Rubrics ----
  app.get(
    "/api/v1/observations/rubrics",
    { schema: { tags, summary: "The district's rubrics (the Technology Integration Matrix by default), each with its current version", response: { 200: z.object({ items: z.array(ZRubric) }), ...errors } } },
    async (req) => rubrics.listRubrics(ctx, requireActor(req)),
  );
  app.post(
    "/api/v1/observations/rubrics",
    { schema: { tags, summary: "Add a rubric (district admins)", body: ZCreateRubricRequest, response: { 201: ZRubric, ...errors } } },
    async (req, reply) => reply.status(201).send(await rubrics.createRubric(ctx, writer(req), req.body)),
  );
  app.get(
    "/api/v1/observations/rubrics/:id",
    { schema: { tags, summary: "A rubric with its current version", params: ZIdParams, response: { 200: ZRubric, ...errors } } },
    async (req) => rubrics.getRubric(ctx, requireActor(req), req.params.id),
  );
  app.patch(
    "/api/v1/observations/rubrics/:id",
    {
      schema: {
        tags,
        summary: "Rename, retire, make default or re-define a rubric (district admins); a used version is frozen, so a new definition then becomes a new version",
        params: ZIdParams,
        body: ZUpdateRubricRequest,
        response: { 200: ZRubric, ...errors },
      },
    },
    async (req) => rubrics.updateRubric(ctx, writer(req), req.params.id, req.body),
  );
  app.get(
    "/api/v1/observations/rubric-versions/:id",
    { schema: { tags, summary: "One version of a rubric, old ones included", params: ZIdParams, response: { 200: ZRubricVersion, ...errors } } },
    async (req) => rubrics.getVersion(ctx, requireActor(req), req.params.id),
  );

  // ---- The district's app list ----
  app.get(
    "/api/v1/observations/apps",
    { schema: { tags, summary: "The district's list of apps and tools for \"technology in use\"", response: { 200: z.object({ items: z.array(ZApp) }), ...errors } } },
    async (req) => rubrics.listApps(ctx, requireActor(req)),
  );
  app.post(
    "/api/v1/observations/apps",
    { schema: { tags, summary: "Add an app to the district's list (district admins)", body: ZCreateAppRequest, response: { 201: z.object({ items: z.array(ZApp) }), ...errors } } },
    async (req, reply) => reply.status(201).send(await rubrics.addApp(ctx, writer(req), req.body.name)),
  );

  // ---- Observations ----
  app.get(
    "/api/v1/observations",
    {
      schema: {
        tags,
        summary: "Observations you may see, newest lesson first: your own, those shared with you, your schools' submitted ones",
        querystring: ZListObservationsQuery,
        response: { 200: listResponse(ZObservation), ...errors },
      },
    },
    async (req) => observations.listObservations(ctx, requireActor(req), req.query),
  );
  app.post(
    "/api/v1/observations",
    {
      schema: {
        tags,
        summary: "Record an observation (201; 200 when the same clientRef was already saved; 410 when that observation was deleted since)",
        body: ZCreateObservationRequest,
        response: { 200: ZObservation, 201: ZObservation, ...errors, ...gone },
      },
    },
    async (req, reply) => {
      const { observation, created } = await observations.createObservation(ctx, writer(req), req.body);
      return reply.status(created ? 201 : 200).send(observation);
    },
  );
  app.get(
    "/api/v1/observations/:id",
    { schema: { tags, summary: "One observation with its levels, feedback and comments", params: ZIdParams, response: { 200: ZObservation, ...errors, ...gone } } },
    async (req) => observations.getObservation(ctx, requireActor(req), req.params.id),
  );
  app.patch(
    "/api/v1/observations/:id",
    {
      schema: {
        tags,
        summary: "Edit, submit or share an observation (its observer); status moves forward only",
        params: ZIdParams,
        body: ZUpdateObservationRequest,
        response: { 200: ZObservation, ...errors, ...gone },
      },
    },
    async (req) => observations.updateObservation(ctx, writer(req), req.params.id, req.body),
  );
  app.delete(
    "/api/v1/observations/:id",
    { schema: { tags, summary: "Delete an observation (its observer, or a district admin)", params: ZIdParams, response: { 204: z.null(), ...errors, ...gone } } },
    async (req, reply) => {
      await observations.deleteObservation(ctx, writer(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    "/api/v1/observations/:id/acknowledge",
    { schema: { tags, summary: "Acknowledge an observation shared with you (its teacher)", params: ZIdParams, response: { 200: ZObservation, ...errors, ...gone } } },
    async (req) => observations.acknowledgeObservation(ctx, writer(req), req.params.id),
  );
  app.post(
    "/api/v1/observations/:id/comments",
    {
      schema: { tags, summary: "Comment on a shared observation (its teacher or its observer)", params: ZIdParams, body: ZAddCommentRequest, response: { 201: ZObservation, ...errors, ...gone } },
    },
    async (req, reply) => reply.status(201).send(await observations.addComment(ctx, writer(req), req.params.id, req.body.body)),
  );
}
