import { defineModule } from "../../platform/module.js";
import { registerSsoRoutes } from "./sso.routes.js";

/** Single sign-on with OpenID Connect: providers, pending logins, linked identities. */
export const ssoModule = defineModule({
  name: "sso",
  tables: ["sso_providers", "sso_login_states", "person_identities"],
  routes: registerSsoRoutes,
});
