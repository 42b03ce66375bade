import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TMe } from "../../../shared/schemas/auth.js";
import type { TList } from "../../../shared/schemas/common.js";
import type { TAuditEntry } from "../../../shared/schemas/audit.js";
import type { TSsoDiscoveryResult, TSsoProvider, TSsoProviderList, TSsoPublicProvider } from "../../../shared/schemas/sso.js";
import { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, setUpDistrict, signedIn, unique } from "../../../tests/helpers/factories.js";
import { CookieJar, browse, follow, signInAtIdp, startTestIdp, type TestIdp } from "../../../tests/helpers/oidc-provider.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";

const DOMAIN = "example.org";

for (const dialect of DIALECTS) {
  describe(`single sign-on (${dialect})`, () => {
    let server: TestServer;
    let idp: TestIdp;
    let admin: ApiClient;
    let provider: TSsoProvider;

    const startUrl = (returnTo?: string, id = provider.id) =>
      `${server.baseUrl}/api/v1/sso/${id}/start${returnTo === undefined ? "" : `?returnTo=${encodeURIComponent(returnTo)}`}`;

    /** A browser's whole trip: Coachwork → provider (login + consent) → callback; returns where the callback sent it. */
    async function signInWithSso(login: string, opts: { returnTo?: string; jar?: CookieJar } = {}) {
      const jar = opts.jar ?? new CookieJar();
      const callback = await signInAtIdp(jar, startUrl(opts.returnTo), login);
      const res = await browse(jar, callback);
      expect(res.status).toBe(302);
      return { jar, location: res.location ?? "", callback };
    }

    function loginError(location: string): string | null {
      const url = new URL(location);
      return url.pathname === "/login" ? url.searchParams.get("error") : null;
    }

    async function meOf(jar: CookieJar) {
      const client = new ApiClient(server.baseUrl);
      const session = jar.get("cw_session");
      client.cookie = session ? `cw_session=${session}` : null;
      return client.get<TMe>("/api/v1/me");
    }

    /** A person in the directory plus a provider account with their (verified) email. */
    async function personWithAccount(claims: { email_verified?: boolean } = { email_verified: true }) {
      const { person, email } = await makePerson(admin, { roles: [{ role: "teacher", schoolId: null }] });
      const login = unique("sub-");
      idp.accounts.set(login, { email, ...claims, given_name: person.givenName, family_name: person.familyName });
      return { person, email, login };
    }

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      idp = await startTestIdp({ redirectUri: `${server.baseUrl}/api/v1/sso/callback` });
      ({ admin } = await setUpDistrict(server));
      // The test provider listens on plain http on loopback: an in-house provider, which the district must allow.
      expect((await admin.patch("/api/v1/settings", { allowPrivateSsoIssuers: true })).status).toBe(200);
      const res = await admin.post<TSsoProvider>("/api/v1/sso/admin/providers", {
        kind: "oidc",
        displayName: "District IdP",
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        allowedDomains: [DOMAIN],
      });
      expect(res.status, res.text).toBe(201);
      provider = res.body;
    });

    afterAll(async () => {
      await idp?.close();
      await server?.close();
    });

    describe("administration", () => {
      it("never returns the client secret and stores it encrypted", async () => {
        expect(provider).toMatchObject({ kind: "oidc", issuer: idp.issuer, hasSecret: true, allowedDomains: [DOMAIN], isEnabled: true });
        expect(provider).not.toHaveProperty("clientSecret");
        const list = await admin.get<TSsoProviderList>("/api/v1/sso/admin/providers");
        expect(list.status).toBe(200);
        expect(list.text).not.toContain(idp.clientSecret);
        expect(list.body.redirectUri).toBe(`${server.baseUrl}/api/v1/sso/callback`);
        const row = await server.ctx.db.selectFrom("sso_providers").select("client_secret_enc").where("id", "=", provider.id).executeTakeFirstOrThrow();
        expect(row.client_secret_enc).toMatch(/^v1\./);
        expect(row.client_secret_enc).not.toContain(idp.clientSecret);
      });

      it("tests discovery and reports a provider that cannot be reached", async () => {
        const ok = await admin.post<TSsoDiscoveryResult>(`/api/v1/sso/admin/providers/${provider.id}/test-discovery`);
        expect(ok.status).toBe(200);
        expect(ok.body).toMatchObject({ ok: true, issuer: idp.issuer, authorizationEndpoint: `${idp.issuer}/auth` });

        const broken = await admin.post<TSsoProvider>("/api/v1/sso/admin/providers", {
          kind: "oidc",
          displayName: "Nowhere",
          issuer: "http://127.0.0.1:9/nowhere",
          clientId: "x",
          isEnabled: false,
        });
        expect(broken.status).toBe(201);
        const failed = await admin.post<TSsoDiscoveryResult>(`/api/v1/sso/admin/providers/${broken.body.id}/test-discovery`);
        expect(failed.body.ok).toBe(false);
        expect(failed.body.message.length).toBeGreaterThan(0);
        expect((await admin.delete(`/api/v1/sso/admin/providers/${broken.body.id}`)).status).toBe(204);
        expect((await admin.get(`/api/v1/sso/admin/providers/${broken.body.id}`)).status).toBe(404);
      });

      it("applies the Google and Microsoft presets and validates across fields", async () => {
        const google = await admin.post<TSsoProvider>("/api/v1/sso/admin/providers", {
          kind: "google",
          displayName: "Google",
          clientId: "123.apps.googleusercontent.com",
          clientSecret: "GOCSPX-x",
          isEnabled: false,
        });
        expect(google.body.issuer).toBe("https://accounts.google.com");
        const tenant = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
        const microsoft = await admin.post<TSsoProvider>("/api/v1/sso/admin/providers", {
          kind: "microsoft",
          displayName: "Microsoft",
          tenantId: tenant.toUpperCase(),
          clientId: "app-id",
          clientSecret: "s",
          isEnabled: false,
        });
        expect(microsoft.body).toMatchObject({ issuer: `https://login.microsoftonline.com/${tenant}/v2.0`, tenantId: tenant });

        const noTenant = await admin.post("/api/v1/sso/admin/providers", { kind: "microsoft", displayName: "M", clientId: "a" });
        expect(noTenant.status).toBe(400);
        expect(noTenant.text).toContain("body.tenantId");
        const insecure = await admin.post("/api/v1/sso/admin/providers", {
          kind: "oidc",
          displayName: "Plain HTTP",
          issuer: "http://idp.example",
          clientId: "a",
        });
        expect(insecure.status).toBe(400);
        expect(insecure.text).toContain("body.issuer");
        const moved = await admin.patch(`/api/v1/sso/admin/providers/${google.body.id}`, { issuer: "https://evil.example" });
        expect(moved.status).toBe(400);
        expect(moved.text).toContain("body.issuer");
        const openDoor = await admin.patch(`/api/v1/sso/admin/providers/${google.body.id}`, { allowSelfProvisioning: true });
        expect(openDoor.status).toBe(400);
        expect(openDoor.text).toContain("body.allowedDomains");

        for (const id of [google.body.id, microsoft.body.id]) expect((await admin.delete(`/api/v1/sso/admin/providers/${id}`)).status).toBe(204);
      });

      it("refuses everyone but district admins", async () => {
        const { email } = await makePerson(admin, { roles: [{ role: "coach", schoolId: null }] });
        const coach = await signedIn(server, email);
        expect((await coach.get("/api/v1/sso/admin/providers")).status).toBe(403);
        expect((await coach.post(`/api/v1/sso/admin/providers/${provider.id}/test-discovery`)).status).toBe(403);
        const patch = await coach.patch(`/api/v1/sso/admin/providers/${provider.id}`, { isEnabled: false });
        expect(patch.status).toBe(403);
        const anonymous = new ApiClient(server.baseUrl);
        expect((await anonymous.get("/api/v1/sso/admin/providers")).status).toBe(401);
      });

      it("lists only enabled providers publicly, without settings", async () => {
        const res = await new ApiClient(server.baseUrl).get<{ items: TSsoPublicProvider[] }>("/api/v1/sso/providers");
        expect(res.status).toBe(200);
        expect(res.body.items).toEqual([{ id: provider.id, displayName: "District IdP", kind: "oidc" }]);
      });
    });

    describe("signing in", () => {
      it("redirects to the provider with code + PKCE S256, state and nonce", async () => {
        const res = await browse(new CookieJar(), startUrl("/directory"));
        expect(res.status).toBe(302);
        const url = new URL(res.location ?? "");
        expect(`${url.origin}${url.pathname}`).toBe(`${idp.issuer}/auth`);
        expect(url.searchParams.get("response_type")).toBe("code");
        expect(url.searchParams.get("code_challenge_method")).toBe("S256");
        expect(url.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
        expect(url.searchParams.get("state")).toBeTruthy();
        expect(url.searchParams.get("nonce")).toBeTruthy();
        expect(url.searchParams.get("scope")).toBe("openid email profile");
        expect(url.searchParams.get("redirect_uri")).toBe(`${server.baseUrl}/api/v1/sso/callback`);
      });

      it("signs a known person in, with a session that works on /me, and audits it", async () => {
        const { person, login } = await personWithAccount();
        const { jar, location } = await signInWithSso(login, { returnTo: "/directory/people?q=a" });
        expect(location).toBe(`${server.baseUrl}/directory/people?q=a`);
        const me = await meOf(jar);
        expect(me.status).toBe(200);
        expect(me.body.person.id).toBe(person.id);

        const audit = await admin.get<TList<TAuditEntry>>(`/api/v1/audit?action=auth.login&subjectId=${person.id}`);
        expect(audit.body.items[0]?.details).toMatchObject({ via: "sso", provider: provider.id, linked: true });
      });

      it("matches by subject first on later sign-ins, even after the email changed", async () => {
        const { person, login } = await personWithAccount();
        await signInWithSso(login);
        const renamed = `${unique("renamed")}@${DOMAIN}`;
        expect((await admin.patch(`/api/v1/people/${person.id}`, { email: renamed })).status).toBe(200);
        const { jar, location } = await signInWithSso(login);
        expect(location).toBe(`${server.baseUrl}/`);
        expect((await meOf(jar)).body.person.id).toBe(person.id);
      });

      it("refuses an email that has no account", async () => {
        const login = unique("stranger-");
        idp.accounts.set(login, { email: `${login}@${DOMAIN}`, email_verified: true });
        const { jar, location } = await signInWithSso(login);
        expect(loginError(location)).toBe("sso_unknown");
        expect(jar.get("cw_session")).toBeUndefined();
      });

      it("refuses an email domain that is not allowed, even for a person in the directory", async () => {
        const email = `${unique("outsider")}@other.example`;
        expect((await admin.post("/api/v1/people", { givenName: "Out", familyName: "Sider", email, roles: [{ role: "teacher", schoolId: null }] })).status).toBe(201);
        const login = unique("outsider-");
        idp.accounts.set(login, { email, email_verified: true });
        expect(loginError((await signInWithSso(login)).location)).toBe("sso_domain");
      });

      it("refuses an email the provider has not verified", async () => {
        const { login } = await personWithAccount({ email_verified: false });
        expect(loginError((await signInWithSso(login)).location)).toBe("sso_email_unverified");
      });

      it("refuses an inactive person", async () => {
        const { person, login } = await personWithAccount();
        expect((await admin.post(`/api/v1/people/${person.id}/deactivate`)).status).toBe(200);
        const { jar, location } = await signInWithSso(login);
        expect(loginError(location)).toBe("sso_inactive");
        expect(jar.get("cw_session")).toBeUndefined();
        const audit = await admin.get<TList<TAuditEntry>>(`/api/v1/audit?action=auth.login_failed&subjectId=${person.id}`);
        expect(audit.body.items[0]?.details).toMatchObject({ via: "sso", reason: "inactive" });
      });

      it("refuses a tampered state, and a state used twice", async () => {
        const { person, login } = await personWithAccount();
        const jar = new CookieJar();
        const callback = await signInAtIdp(jar, startUrl(), login);
        const tampered = new URL(callback);
        tampered.searchParams.set("state", `${tampered.searchParams.get("state") ?? ""}x`);
        expect(loginError((await browse(jar, tampered.href)).location ?? "")).toBe("sso_state");
        const missing = new URL(callback);
        missing.searchParams.delete("state");
        expect(loginError((await browse(jar, missing.href)).location ?? "")).toBe("sso_state");

        const genuine = await browse(jar, callback);
        expect(genuine.location).toBe(`${server.baseUrl}/`);
        expect((await meOf(jar)).body.person.id).toBe(person.id);

        const replay = new CookieJar();
        replay.store(new Response(null, { headers: [["set-cookie", `cw_sso=${jar.get("cw_sso") ?? ""}; Path=/api/v1/sso`]] }));
        expect(loginError((await browse(replay, callback)).location ?? "")).toBe("sso_state");
      });

      it("refuses a callback link opened in another browser (login CSRF)", async () => {
        const { login } = await personWithAccount();
        const attacker = new CookieJar();
        const callback = await signInAtIdp(attacker, startUrl(), login);
        const victim = new CookieJar();
        const res = await browse(victim, callback);
        expect(loginError(res.location ?? "")).toBe("sso_state");
        expect(victim.get("cw_session")).toBeUndefined();
      });

      it("refuses an expired state", async () => {
        const { login } = await personWithAccount();
        const jar = new CookieJar();
        const callback = await signInAtIdp(jar, startUrl(), login);
        await server.ctx.db.updateTable("sso_login_states").set({ expires_at: new Date(Date.now() - 1000).toISOString() }).execute();
        expect(loginError((await browse(jar, callback)).location ?? "")).toBe("sso_state");
      });

      it("ignores open redirects in returnTo", async () => {
        for (const returnTo of ["//evil.example", "https://evil.example/", "/\\evil.example", "/\t/evil.example", "/api/v1/me"]) {
          const { login } = await personWithAccount();
          const { location } = await signInWithSso(login, { returnTo });
          expect(location, returnTo).toBe(`${server.baseUrl}/`);
        }
      });

      it("says so when the person cancels at the provider", async () => {
        const jar = new CookieJar();
        const start = await browse(jar, startUrl());
        const state = new URL(start.location ?? "").searchParams.get("state") ?? "";
        const res = await browse(jar, `${server.baseUrl}/api/v1/sso/callback?error=access_denied&state=${encodeURIComponent(state)}`);
        expect(loginError(res.location ?? "")).toBe("sso_cancelled");
      });

      it("creates unknown people when self-provisioning is on, with the default role", async () => {
        const patched = await admin.patch<TSsoProvider>(`/api/v1/sso/admin/providers/${provider.id}`, {
          allowSelfProvisioning: true,
          defaultRole: "teacher",
        });
        expect(patched.status, patched.text).toBe(200);
        try {
          const login = unique("newbie-");
          const email = `${login}@${DOMAIN}`;
          idp.accounts.set(login, { email, email_verified: true, given_name: "Nia", family_name: "Newcomer" });
          const { jar, location } = await signInWithSso(login);
          expect(location).toBe(`${server.baseUrl}/`);
          const me = await meOf(jar);
          expect(me.body.person).toMatchObject({ email, givenName: "Nia", familyName: "Newcomer", hasPassword: false });
          expect(me.body.person.roles.map((r) => [r.role, r.schoolId])).toEqual([["teacher", null]]);
          // Other domains stay out even now.
          const outsider = unique("other-");
          idp.accounts.set(outsider, { email: `${outsider}@other.example`, email_verified: true });
          expect(loginError((await signInWithSso(outsider)).location)).toBe("sso_domain");
        } finally {
          await admin.patch(`/api/v1/sso/admin/providers/${provider.id}`, { allowSelfProvisioning: false });
        }
      });

      it("sends people back to the sign-in page when the provider is disabled", async () => {
        expect((await admin.patch(`/api/v1/sso/admin/providers/${provider.id}`, { isEnabled: false })).status).toBe(200);
        try {
          const res = await new ApiClient(server.baseUrl).get<{ items: TSsoPublicProvider[] }>("/api/v1/sso/providers");
          expect(res.body.items).toEqual([]);
          const start = await follow(new CookieJar(), startUrl(), () => true);
          expect(loginError(start.location ?? "")).toBe("sso_unavailable");
        } finally {
          await admin.patch(`/api/v1/sso/admin/providers/${provider.id}`, { isEnabled: true });
        }
      });

      it("keeps password sign-in working", async () => {
        const { email } = await personWithAccount();
        const client = await signedIn(server, email);
        expect((await client.get("/api/v1/me")).status).toBe(200);
      });
    });
  });
}
