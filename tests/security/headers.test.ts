import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { ApiClient } from "../helpers/client.js";
import { DIALECTS } from "../helpers/db.js";
import { makePerson, makeSchool, setUpDistrict } from "../helpers/factories.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

// Issue 11 item 8: a CSP allowing scripts from Coachwork only and no framing, HSTS when the public
// address is https, and no caching of API answers that carry personal data.

for (const dialect of DIALECTS) {
  describe(`security headers (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
    });
    afterAll(async () => server.close());

    it("sends a CSP with script-src 'self' and frame-ancestors 'none' on pages and API answers", async () => {
      for (const path of ["/", "/login", "/api/v1/setup"]) {
        const res = await fetch(server.baseUrl + path, { headers: { accept: "text/html" } });
        const csp = res.headers.get("content-security-policy") ?? "";
        expect(csp.split("; ")).toEqual(expect.arrayContaining(["script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "default-src 'self'"]));
        expect(csp).not.toContain("unsafe");
      }
    });

    it("marks API answers with personal data no-store", async () => {
      const { person } = await makePerson(admin, { roles: [{ role: "teacher", schoolId: (await makeSchool(admin)).id }] });
      for (const path of ["/api/v1/me", `/api/v1/people/${person.id}`, "/api/v1/people", "/api/v1/audit.csv"]) {
        const res = await admin.get(path);
        expect(res.status).toBe(200);
        expect(res.headers.get("cache-control")).toBe("no-store");
      }
    });

    it("sends HSTS only when the public address is https", async () => {
      expect((await fetch(`${server.baseUrl}/api/v1/setup`)).headers.get("strict-transport-security")).toBeNull();
      const https = await startTestServer({ dialect, config: { publicUrl: "https://coachwork.example.org" } });
      onTestFinished(() => https.close());
      const hsts = (await fetch(`${https.baseUrl}/api/v1/setup`)).headers.get("strict-transport-security");
      expect(hsts).toMatch(/^max-age=\d{8}/);
    });
  });
}
