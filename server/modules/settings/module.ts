import { defineModule } from "../../platform/module.js";
import { registerSettingsRoutes } from "./settings.routes.js";

/** The district's settings: its terms and coaching target; security (public address, leaders' view of coaching, token lifetime, SSO issuers). */
export const settingsModule = defineModule({
  name: "settings",
  tables: ["district_settings", "district_terms"],
  routes: registerSettingsRoutes,
});
