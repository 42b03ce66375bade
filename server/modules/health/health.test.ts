import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";

for (const dialect of DIALECTS) {
  describe(`health and API conventions (${dialect})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ dialect });
    });
    afterAll(async () => server.close());

    it("reports liveness with the database kind and version", async () => {
      const res = await fetch(`${server.baseUrl}/healthz`);
      expect(await res.json()).toEqual({ status: "ok", db: dialect, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    });

    it("reports readiness after checking the database and disk", async () => {
      const res = await fetch(`${server.baseUrl}/readyz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "ok", checks: { database: { ok: true }, disk: { ok: true } } });
    });

    it("describes every /api/v1 route in the OpenAPI document", async () => {
      const doc = (await (await fetch(`${server.baseUrl}/api/v1/openapi.json`)).json()) as {
        openapi: string;
        paths: Record<string, Record<string, unknown>>;
      };
      expect(doc.openapi).toMatch(/^3\./);
      const routes = server.app.printRoutes({ commonPrefix: false });
      for (const path of ["/api/v1/people", "/api/v1/people/{id}", "/api/v1/schools", "/api/v1/auth/login", "/api/v1/audit", "/api/v1/me/tokens"]) {
        expect(doc.paths[path], path).toBeDefined();
      }
      expect(Object.keys(doc.paths["/api/v1/people"] ?? {})).toEqual(expect.arrayContaining(["get", "post"]));
      expect(routes).toContain("people");
    });

    it("answers unknown API routes with the JSON error shape", async () => {
      const res = await fetch(`${server.baseUrl}/api/v1/nope`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: "not_found", message: "No route for GET /api/v1/nope" } });
    });

    it("refuses a non-JSON body with 415 and the error shape", async () => {
      const res = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: "email=a&password=b",
      });
      expect(res.status).toBe(415);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unsupported_media_type");
    });
  });
}
