import { PASSWORD, unique } from "../../../tests/helpers/factories.js";
import { byAuth, everyone, must, na, signedIn, type ModuleMatrix } from "../../../tests/helpers/matrix.js";

// Setup, sign-in and reset answer anyone (they are how one becomes someone); everything under /me is
// the caller's own account. Routes that end sessions or change a password run as a fresh copy of the
// actor, so no other cell loses its session.
export const accountsMatrix: ModuleMatrix = {
  module: "accounts",
  routes: [
    { route: "GET /api/v1/setup", targets: { any: () => ({ path: "/api/v1/setup" }) }, expect: everyone(200) },
    {
      route: "POST /api/v1/setup",
      targets: {
        any: () => ({
          path: "/api/v1/setup",
          body: { token: "not-the-setup-token", districtName: "Second", givenName: "Eve", familyName: "Again", email: `${unique("eve")}@example.org`, password: PASSWORD },
        }),
      },
      // The district exists: setup is over for everyone, whoever asks.
      expect: everyone(409),
    },
    {
      route: "POST /api/v1/auth/login",
      // Each signs in as themselves (anonymous callers as a teacher), so no account meets a per-account throttle.
      targets: { any: ({ world, me }) => ({ path: "/api/v1/auth/login", body: { email: me.email ?? world.teacherA2.email, password: PASSWORD } }) },
      expect: everyone(200),
    },
    {
      route: "POST /api/v1/auth/logout",
      targets: { self: async ({ world, actor, auth }) => ({ path: "/api/v1/auth/logout", as: auth === "session" ? await world.freshPrincipal(actor, auth) : undefined }) },
      // Signing out without a session is not an error: the cookie is cleared either way.
      expect: everyone(200),
    },
    {
      route: "POST /api/v1/auth/password-reset",
      targets: { any: ({ me }) => ({ path: "/api/v1/auth/password-reset", body: { email: me.email ?? `${unique("nobody")}@example.org` } }) },
      expect: everyone(202),
    },
    {
      route: "POST /api/v1/auth/password-reset/confirm",
      targets: { any: () => ({ path: "/api/v1/auth/password-reset/confirm", body: { token: "not-a-reset-token", password: `${PASSWORD}!` } }) },
      // A reset link is the credential here; a wrong one is a validation error for anyone.
      expect: everyone(400),
    },
    // Anyone may ask whether they are signed in: 200 with the person, or 200 with null.
    { route: "GET /api/v1/auth/session", targets: { self: () => ({ path: "/api/v1/auth/session" }) }, expect: everyone(200) },
    { route: "GET /api/v1/me", targets: { self: () => ({ path: "/api/v1/me" }) }, expect: signedIn(200) },
    { route: "PATCH /api/v1/me", targets: { self: () => ({ path: "/api/v1/me", body: {} }) }, expect: signedIn(200) },
    {
      route: "POST /api/v1/me/password",
      targets: {
        self: async ({ world, actor, auth }) => ({
          path: "/api/v1/me/password",
          body: { currentPassword: PASSWORD, newPassword: `${PASSWORD}!` },
          as: await world.freshPrincipal(actor, auth),
        }),
      },
      expect: signedIn(200),
    },
    { route: "GET /api/v1/me/tokens", targets: { self: () => ({ path: "/api/v1/me/tokens" }) }, expect: signedIn(200) },
    {
      route: "POST /api/v1/me/tokens",
      targets: { self: () => ({ path: "/api/v1/me/tokens", body: { name: unique("cell "), expiresInDays: 1 } }) },
      // A token cannot mint tokens (issue 11 item 9): only a signed-in session can.
      expect: signedIn(byAuth(201, 403)),
    },
    {
      route: "DELETE /api/v1/me/tokens/:id",
      targets: {
        self: async ({ world, actor }) => {
          const created = await must<{ id: string }>(world, world.principal(actor, "session"), "POST", "/api/v1/me/tokens", 201, { name: unique("doomed "), expiresInDays: 1 });
          return { path: `/api/v1/me/tokens/${created.id}` };
        },
        private: async ({ world }) => {
          const theirs = await must<{ id: string }>(world, world.teacherA2Session, "POST", "/api/v1/me/tokens", 201, { name: unique("theirs "), expiresInDays: 1 });
          return { path: `/api/v1/me/tokens/${theirs.id}` };
        },
      },
      // Someone else's token is not found, never revoked.
      expect: { ...signedIn({ self: 204, private: 404 }), anonymous: { self: na("anonymous callers have no tokens"), private: 401 } },
    },
  ],
};
