import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TErrorResponse } from "../../shared/errors.js";
import { ApiClient } from "../helpers/client.js";
import { DIALECTS } from "../helpers/db.js";
import { PASSWORD, makePerson, makeSchool, setUpDistrict, signedIn } from "../helpers/factories.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

// Issue 11 item 9: tokens end with their person, cannot mint tokens, live at most as long as the
// district allows, can be read-only, and a password change can revoke them.

type Created = { id: string; token: string; expiresAt: string | null; scope: string };

for (const dialect of DIALECTS) {
  describe(`API tokens (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    let schoolId: string;

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
      schoolId = (await makeSchool(admin)).id;
    });
    afterAll(async () => server.close());

    const newTeacher = async () => {
      const { person, email } = await makePerson(admin, { roles: [{ role: "teacher", schoolId }] });
      return { person, email, client: await signedIn(server, email) };
    };
    const bearer = (token: string) => Object.assign(new ApiClient(server.baseUrl), { bearer: token });
    const mint = async (client: ApiClient, body: Record<string, unknown> = {}) => {
      const res = await client.post<Created>("/api/v1/me/tokens", { name: "script", ...body });
      expect(res.status).toBe(201);
      return res.body;
    };

    it("deactivating a person revokes their tokens for good: reactivation does not bring them back", async () => {
      const t = await newTeacher();
      const { token } = await mint(t.client);
      expect((await bearer(token).get("/api/v1/me")).status).toBe(200);
      expect((await admin.post(`/api/v1/people/${t.person.id}/deactivate`)).status).toBe(200);
      expect((await bearer(token).get("/api/v1/me")).status).toBe(401);
      expect((await admin.post(`/api/v1/people/${t.person.id}/reactivate`)).status).toBe(200);
      expect((await bearer(token).get("/api/v1/me")).status).toBe(401);
    });

    it("a token cannot create tokens", async () => {
      const t = await newTeacher();
      const { token } = await mint(t.client);
      const res = await bearer(token).post<TErrorResponse>("/api/v1/me/tokens", { name: "child" });
      expect(res.status).toBe(403);
      expect((await t.client.get<{ items: unknown[] }>("/api/v1/me/tokens")).body.items).toHaveLength(1);
    });

    it("a read-only token reads but cannot write", async () => {
      const t = await newTeacher();
      const created = await mint(t.client, { scope: "read" });
      expect(created.scope).toBe("read");
      const reader = bearer(created.token);
      expect((await reader.get("/api/v1/me")).status).toBe(200);
      const write = await reader.patch<TErrorResponse>("/api/v1/me", { givenName: "Changed" });
      expect(write.status).toBe(403);
      expect((await t.client.get<{ person: { givenName: string } }>("/api/v1/me")).body.person.givenName).toBe(t.person.givenName);
      const rw = await mint(t.client, { scope: "read_write" });
      expect((await bearer(rw.token).patch("/api/v1/me", { givenName: "Changed" })).status).toBe(200);
    });

    it("tokens live at most the district's maximum lifetime (one year unless the admin says otherwise)", async () => {
      const t = await newTeacher();
      const days = (c: Created) => Math.round((Date.parse(c.expiresAt ?? "") - Date.now()) / 86_400_000);
      expect(days(await mint(t.client))).toBe(365);
      expect((await t.client.post("/api/v1/me/tokens", { name: "forever", expiresInDays: null })).status).toBe(400);
      expect((await t.client.post("/api/v1/me/tokens", { name: "long", expiresInDays: 366 })).status).toBe(400);
      expect((await admin.patch("/api/v1/settings", { tokenMaxLifetimeDays: 30 })).status).toBe(200);
      try {
        const tooLong = await t.client.post<TErrorResponse>("/api/v1/me/tokens", { name: "long", expiresInDays: 90 });
        expect(tooLong.status).toBe(400);
        expect(tooLong.body.error.message).toContain("30");
        expect(days(await mint(t.client))).toBe(30);
        expect(days(await mint(t.client, { expiresInDays: 7 }))).toBe(7);
      } finally {
        await admin.patch("/api/v1/settings", { tokenMaxLifetimeDays: 365 });
      }
    });

    it("a password change revokes the tokens when asked to, and keeps them otherwise", async () => {
      const t = await newTeacher();
      const kept = await mint(t.client);
      expect((await t.client.post("/api/v1/me/password", { currentPassword: PASSWORD, newPassword: "second password 22" })).status).toBe(200);
      expect((await bearer(kept.token).get("/api/v1/me")).status).toBe(200);
      expect((await t.client.post("/api/v1/me/password", { currentPassword: "second password 22", newPassword: "third password 333", revokeTokens: true })).status).toBe(200);
      expect((await bearer(kept.token).get("/api/v1/me")).status).toBe(401);
    });
  });
}
