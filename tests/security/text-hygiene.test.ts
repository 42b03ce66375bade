import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TErrorResponse } from "../../shared/errors.js";
import type { TList } from "../../shared/schemas/common.js";
import type { TPerson } from "../../shared/schemas/people.js";
import type { ApiClient } from "../helpers/client.js";
import { DIALECTS } from "../helpers/db.js";
import { PASSWORD, makeSchool, setUpDistrict, signedIn, unique } from "../helpers/factories.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

// Issue 11 item 13: single-line fields (names, titles, codes) refuse C0 control characters; a NUL
// was stored in a name. Each field is a shared zod helper (singleLine) the client forms use too.

const CONTROLS = ["\u0000", "\n", "\r", "\t", "\u001b[31m", "\u007f"];

for (const dialect of DIALECTS) {
  describe(`control characters in single-line fields (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    let schoolId: string;

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
      schoolId = (await makeSchool(admin)).id;
    });
    afterAll(async () => server.close());

    const expectRefused = async (res: Promise<{ status: number; body: unknown }>, field: string) => {
      const r = await res;
      expect(r.status, field).toBe(400);
      expect(JSON.stringify((r.body as TErrorResponse).error.details), field).toContain(field);
    };

    it("refuses them in people's names, and stores nothing", async () => {
      for (const c of CONTROLS) {
        const email = `${unique("ctl")}@example.org`;
        await expectRefused(
          admin.post("/api/v1/people", { givenName: `Ada${c}Byron`, familyName: "Lovelace", email, roles: [{ role: "teacher", schoolId }], password: PASSWORD }),
          "body.givenName",
        );
        expect((await admin.get<TList<TPerson>>(`/api/v1/people?q=${encodeURIComponent(email)}&status=all`)).body.total).toBe(0);
      }
      await expectRefused(admin.patch("/api/v1/me", { familyName: "Admin\u0000" }), "body.familyName");
    });

    it("refuses them in school, category, cycle, token and SSO provider names", async () => {
      await expectRefused(admin.post("/api/v1/schools", { name: "North\u0000High", level: "high" }), "body.name");
      await expectRefused(admin.post("/api/v1/coaching/categories", { name: "Co-planning\n=1+1", kind: "coaching" }), "body.name");
      await expectRefused(admin.post("/api/v1/me/tokens", { name: "sync\u001b[2J" }), "body.name");
      await expectRefused(
        admin.post("/api/v1/sso/admin/providers", { kind: "oidc", displayName: "IdP\u0007", issuer: "https://idp.example.org", clientId: "c", clientSecret: "s" }),
        "body.displayName",
      );
      await expectRefused(
        admin.post("/api/v1/coaching/cycles", { title: "Cycle\r\nInjected: yes", startingPoint: "problem", startingText: "Two\nlines are fine here", schoolId, teacherIds: [] }),
        "body.title",
      );
    });

    it("still accepts names in any script, with inner spaces, and multi-line notes", async () => {
      const res = await admin.post<TPerson>("/api/v1/people", {
        givenName: "José María",
        familyName: "Núñez-Ōtsuka 李",
        email: `${unique("intl")}@example.org`,
        roles: [{ role: "coach", schoolId }],
        password: PASSWORD,
      });
      expect(res.status).toBe(201);
      const coach = await signedIn(server, res.body.email ?? "");
      const cats = await coach.get<{ items: { id: string }[] }>("/api/v1/coaching/categories");
      const entry = await coach.post("/api/v1/coaching/entries", {
        date: new Date().toISOString().slice(0, 10),
        minutes: 15,
        categoryId: cats.body.items[0]?.id,
        notes: "First line\nSecond line\twith a tab",
      });
      expect(entry.status).toBe(201);
    });
  });
}
