import { lazyPage, type ClientModule } from "../../lib/module.js";

/** Setup, sign-in and password reset: the pages shown before anyone is signed in. */
export const authModule: ClientModule = {
  name: "auth",
  publicRoutes: [
    { path: "/setup", element: lazyPage(() => import("./SetupPage.js"), "SetupPage") },
    { path: "/login", element: lazyPage(() => import("./LoginPage.js"), "LoginPage") },
    { path: "/reset-password", element: lazyPage(() => import("./ResetPasswordPage.js"), "ResetPasswordPage") },
  ],
};
