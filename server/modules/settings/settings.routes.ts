import { ZDistrictProfile, ZDistrictSettings, ZUpdateDistrictProfileRequest, ZUpdateDistrictSettingsRequest } from "../../../shared/schemas/settings.js";
import type { Ctx } from "../../context.js";
import { ZErrorResponse, requireActor, writer, type App } from "../../http.js";
import { getDistrictProfile, getSettings, updateDistrictProfile, updateSettings } from "./settings.service.js";

const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 403: ZErrorResponse };
const tags = ["Settings"];

export function registerSettingsRoutes(app: App, ctx: Ctx): void {
  app.get(
    "/api/v1/settings",
    { schema: { tags, summary: "The district's security settings (district admins)", response: { 200: ZDistrictSettings, ...errors } } },
    async (req) => getSettings(ctx, requireActor(req)),
  );
  app.patch(
    "/api/v1/settings",
    {
      schema: {
        tags,
        summary: "Change the district's security settings (district admins); each change is audited",
        body: ZUpdateDistrictSettingsRequest,
        response: { 200: ZDistrictSettings, ...errors },
      },
    },
    async (req) => updateSettings(ctx, writer(req), req.body),
  );
  app.get(
    "/api/v1/settings/district",
    { schema: { tags, summary: "The district's name, time zone, terms and coaching target, with the roster's terms (district admins)", response: { 200: ZDistrictProfile, ...errors } } },
    async (req) => getDistrictProfile(ctx, requireActor(req)),
  );
  app.patch(
    "/api/v1/settings/district",
    {
      schema: {
        tags,
        summary: "Rename the district, change its time zone, coaching target or terms (district admins); audited",
        body: ZUpdateDistrictProfileRequest,
        response: { 200: ZDistrictProfile, ...errors },
      },
    },
    async (req) => updateDistrictProfile(ctx, writer(req), req.body),
  );
}
