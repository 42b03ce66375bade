import { lazyPage, type ClientModule } from "../../lib/module.js";

/** The signed-in person's profile, password and API tokens (reached from the account menu). */
export const profileModule: ClientModule = {
  name: "profile",
  routes: [{ path: "profile", element: lazyPage(() => import("./ProfilePage.js"), "ProfilePage") }],
};
