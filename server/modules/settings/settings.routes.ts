import { ZDistrictSettings, ZUpdateDistrictSettingsRequest } from "../../../shared/schemas/settings.js";
import type { Ctx } from "../../context.js";
import { ZErrorResponse, requireActor, writer, type App } from "../../http.js";
import { getSettings, updateSettings } from "./settings.service.js";

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
}
