import { defineModule } from "../../platform/module.js";
import { registerAccountRoutes } from "./accounts.routes.js";

/** Setup, sign-in and out, password reset, /me and personal API tokens. Sessions and tokens are read by `server/auth`. */
export const accountsModule = defineModule({
  name: "accounts",
  tables: ["districts", "instance_settings", "password_resets", "sessions", "api_tokens"],
  routes: registerAccountRoutes,
});
