import { z } from "zod";
import { ZCoachesQuery, ZCoachesReport, ZCoachingHome, ZPersonCoaching } from "../../../shared/schemas/home.js";
import { ZIdParams } from "../../../shared/schemas/common.js";
import type { Ctx } from "../../context.js";
import { ZErrorResponse, requireActor, type App } from "../../http.js";
import { csvStream } from "../../platform/csv.js";
import { compareCoaches } from "./coaches.service.js";
import { coachingHome, personCoaching } from "./home.service.js";

const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 403: ZErrorResponse, 404: ZErrorResponse };
const tags = ["Coaching"];

/** The home page's numbers, coaches compared and who is not yet reached this term. */
export function registerCoachingHomeRoutes(app: App, ctx: Ctx): void {
  app.get(
    "/api/v1/coaching/home",
    {
      schema: {
        tags,
        summary: "The home page's numbers for each of the caller's roles: the district's week, the schools they lead, their own coaching, their cycles",
        response: { 200: ZCoachingHome, ...errors },
      },
    },
    async (req) => coachingHome(ctx, requireActor(req)),
  );
  app.get(
    "/api/v1/coaching/coaches",
    {
      schema: {
        tags,
        summary: "Coaches compared (hours, coaching share, teachers reached) over a range, and the teachers and schools not yet reached this term: the district (admins, district-wide coaches) or one school (also its leaders)",
        querystring: ZCoachesQuery,
        response: { 200: ZCoachesReport, ...errors },
      },
    },
    async (req) => compareCoaches(ctx, requireActor(req), req.query),
  );
  app.get(
    "/api/v1/coaching/coaches.csv",
    {
      schema: {
        tags,
        summary: "Coaches compared, or the teachers or schools not yet reached this term, as CSV",
        querystring: ZCoachesQuery.extend({ table: z.enum(["coaches", "teachers", "schools"]).default("coaches") }),
        produces: ["text/csv"],
      },
    },
    async (req, reply) => {
      const r = await compareCoaches(ctx, requireActor(req), req.query);
      const [rows, columns, name] =
        req.query.table === "coaches"
          ? [
              r.coaches.map((c) => ({ ...c, schools: c.schools.join("; ") })),
              ["name", "schools", "minutes", "coachingMinutes", "supportMinutes", "coachingShare", "entries", "teachersReached", "id"],
              `coaches-${r.from}-to-${r.to}.csv`,
            ]
          : req.query.table === "teachers"
            ? [r.teachersNotReached, ["name", "schoolName", "id", "schoolId"], `teachers-not-reached-${r.term.key}.csv`]
            : [r.schoolsNotReached, ["name", "teachers", "id"], `schools-not-reached-${r.term.key}.csv`];
      return reply
        .headers({ "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"` })
        .send(csvStream(rows as Iterable<Record<string, string | number | null>>, columns));
    },
  );
  app.get(
    "/api/v1/coaching/people/:id",
    {
      schema: {
        tags,
        summary: "A staff member's coaching, for their page: every coach's entries and cycles (admins, the person), or the calling coach's own with them",
        params: ZIdParams,
        response: { 200: ZPersonCoaching, ...errors },
      },
    },
    async (req) => personCoaching(ctx, requireActor(req), req.params.id),
  );
}
