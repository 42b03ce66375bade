import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TSsoDiscoveryResult, TSsoProvider } from "../../shared/schemas/sso.js";
import { isNonPublicAddress } from "../../server/platform/guarded-fetch.js";
import type { ApiClient } from "../helpers/client.js";
import { DIALECTS } from "../helpers/db.js";
import { setUpDistrict, unique } from "../helpers/factories.js";
import { startTestIdp, type TestIdp } from "../helpers/oidc-provider.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

// Issue 11 item 12: "test discovery" (and sign-in) must not reach link-local, private or loopback
// addresses unless the district allows in-house providers, and must use https.

describe("isNonPublicAddress", () => {
  it("knows private, loopback, link-local and mapped addresses from public ones", () => {
    for (const a of ["169.254.169.254", "127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254"]) {
      expect(isNonPublicAddress(a), a).toBe(true);
    }
    for (const a of ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) expect(isNonPublicAddress(a), a).toBe(false);
  });
});

for (const dialect of DIALECTS) {
  describe(`SSO issuers on private addresses (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    let idp: TestIdp;
    // A listener on loopback that counts connections: a refused discovery never connects.
    let listener: Server;
    let connections = 0;
    let port = 0;

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
      idp = await startTestIdp({ redirectUri: `${server.baseUrl}/api/v1/sso/callback` });
      listener = createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
      port = (listener.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise((r) => listener.close(r));
      await idp.close();
      await server.close();
    });

    const provider = async (issuer: string) => {
      const res = await admin.post<TSsoProvider>("/api/v1/sso/admin/providers", { kind: "oidc", displayName: unique("IdP "), issuer, clientId: "client", clientSecret: "secret" });
      expect(res.status, res.text).toBe(201);
      return res.body;
    };
    const discover = async (p: TSsoProvider) => (await admin.post<TSsoDiscoveryResult>(`/api/v1/sso/admin/providers/${p.id}/test-discovery`)).body;

    it("refuses link-local, loopback and private issuers by default, without connecting", async () => {
      const before = connections;
      for (const issuer of ["https://169.254.169.254/latest/meta-data", `https://127.0.0.1:${port}`, `https://localhost:${port}`, "https://10.0.0.1"]) {
        const result = await discover(await provider(issuer));
        expect(result.ok, issuer).toBe(false);
        expect(result.message, issuer).toMatch(/private, loopback or link-local address/);
      }
      expect(connections).toBe(before);
    });

    it("requires https: the plain-http loopback provider is refused by default", async () => {
      const result = await discover(await provider(idp.issuer));
      expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/not https/) });
    });

    it("reaches an in-house provider once the district allows private issuers", async () => {
      const p = await provider(idp.issuer);
      expect((await admin.patch("/api/v1/settings", { allowPrivateSsoIssuers: true })).status).toBe(200);
      try {
        expect(await discover(p)).toMatchObject({ ok: true });
      } finally {
        await admin.patch("/api/v1/settings", { allowPrivateSsoIssuers: false });
      }
      // Turning it off takes effect at once, cached configurations included.
      expect((await discover(p)).ok).toBe(false);
    });
  });
}
