import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { TAuditEntry } from "../../shared/schemas/audit.js";
import type { TList } from "../../shared/schemas/common.js";
import { parseTrustProxy } from "../../server/env.js";
import { RESETS_PER_ADDRESS } from "../../server/modules/accounts/accounts.routes.js";
import { ApiClient } from "../helpers/client.js";
import { DIALECTS } from "../helpers/db.js";
import { PASSWORD, makePerson, makeSchool, setUpDistrict, signedIn, unique } from "../helpers/factories.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

// Issue 11 items 4 (sign-in throttling), 5 (TRUST_PROXY) and 10 (audit gaps), over real HTTP. The test
// server trusts its loopback "proxy", so X-Forwarded-For picks each request's client address.

let octet = 0;
/** A client address of this test file alone (throttles and audit budgets are per process). */
const nextAddress = () => `203.0.${113 + Math.floor(++octet / 250)}.${octet % 250}`;

describe("TRUST_PROXY parsing", () => {
  it("accepts a hop count or proxy addresses and ranges, and refuses true", () => {
    expect(parseTrustProxy("false")).toBe(false);
    expect(parseTrustProxy("1")).toBe(1);
    expect(parseTrustProxy("10.0.0.5, 10.1.0.0/16,::1")).toEqual(["10.0.0.5", "10.1.0.0/16", "::1"]);
    expect(parseTrustProxy("true")).toMatch(/must not be "true"/);
    expect(parseTrustProxy("proxy.internal")).toMatch(/not an address: proxy.internal/);
    expect(parseTrustProxy("10.0.0.0/33")).toMatch(/not an address/);
  });
});

for (const dialect of DIALECTS) {
  describe(`sign-in throttling, proxies and audit (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    let schoolId: string;

    beforeAll(async () => {
      server = await startTestServer({ dialect, config: { trustProxy: ["127.0.0.1"] } });
      ({ admin } = await setUpDistrict(server));
      schoolId = (await makeSchool(admin)).id;
    });
    afterAll(async () => server.close());

    const login = (email: string, password: string, address: string, base = server.baseUrl) =>
      new ApiClient(base).request("POST", "/api/v1/auth/login", { email, password }, { headers: { "x-forwarded-for": address } });
    const auditOf = async (action: string) => (await admin.get<TList<TAuditEntry>>(`/api/v1/audit?action=${action}&limit=200`)).body.items;

    it("slows down guessing at one account from many addresses, without locking its owner out", async () => {
      const { email } = await makePerson(admin, { roles: [{ role: "teacher", schoolId }] });
      for (let i = 0; i < 6; i++) expect((await login(email, "wrong password 1", nextAddress())).status).toBe(401);
      const throttled = await login(email, "wrong password 1", nextAddress());
      expect(throttled.status).toBe(429);
      const retryAfter = Number(throttled.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Even the right password waits its turn (or the throttle would tell a guesser when they are right)…
      expect((await login(email, PASSWORD, nextAddress())).status).toBe(429);
      // …and gets in once the delay has passed.
      await new Promise((r) => setTimeout(r, retryAfter * 1000 + 100));
      expect((await login(email, PASSWORD, nextAddress())).status).toBe(200);
      const recorded = await auditOf("auth.login_throttled");
      expect(recorded.some((e) => e.details?.email === email)).toBe(true);
    });

    it("refuses one address trying many accounts, while other addresses sign in", async () => {
      const sprayer = nextAddress();
      for (let i = 0; i < 20; i++) expect((await login(`${unique("sprayed")}@example.org`, "Winter2026!", sprayer)).status).toBe(401);
      const refused = await login(`${unique("sprayed")}@example.org`, "Winter2026!", sprayer);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(60);
      const { email } = await makePerson(admin, { roles: [{ role: "teacher", schoolId }] });
      expect((await login(email, PASSWORD, nextAddress())).status).toBe(200);
    });

    it("refuses one address asking for reset links to many emails, while other addresses still can", async () => {
      const reset = (email: string, address: string) =>
        new ApiClient(server.baseUrl).request("POST", "/api/v1/auth/password-reset", { email }, { headers: { "x-forwarded-for": address } });
      const mailer = nextAddress();
      for (let i = 0; i < RESETS_PER_ADDRESS.max; i++) expect((await reset(`${unique("staff")}@example.org`, mailer)).status).toBe(202);
      const refused = await reset(`${unique("staff")}@example.org`, mailer);
      expect(refused.status).toBe(429);
      expect((refused.body as { error: { code: string } }).error.code).toBe("rate_limited");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(60);
      expect((await reset(`${unique("staff")}@example.org`, nextAddress())).status).toBe(202);
    });

    it("records failed sign-ins for unknown emails in the district's log, and keeps anonymous noise bounded", async () => {
      const address = nextAddress();
      const ghost = `${unique("ghost")}@example.org`;
      expect((await login(ghost, "nope nope nope", address)).status).toBe(401);
      const failed = await auditOf("auth.login_failed");
      expect(failed.find((e) => e.details?.email === ghost)).toMatchObject({ ip: address, details: { email: ghost, reason: "unknown email" } });

      const noisy = nextAddress();
      for (let i = 0; i < 60; i++) await login(`${unique("noise")}@example.org`, "nope nope nope", noisy);
      const rows = await server.ctx.db.selectFrom("audit_log").select(["action"]).where("ip", "=", noisy).execute();
      expect(rows.length).toBeLessThanOrEqual(21);
      expect(rows.filter((r) => r.action === "audit.suppressed")).toHaveLength(1);
    });

    it("records a refused request for a protected record (403)", async () => {
      const { email, person } = await makePerson(admin, { roles: [{ role: "teacher", schoolId }] });
      const teacher = await signedIn(server, email);
      expect((await teacher.get(`/api/v1/audit`)).status).toBe(403);
      const other = await makePerson(admin, { roles: [{ role: "teacher", schoolId: (await makeSchool(admin)).id }] });
      expect((await teacher.get(`/api/v1/people/${other.person.id}`)).status).toBe(403);
      const denied = (await auditOf("access.denied")).filter((e) => e.actorId === person.id);
      expect(denied.map((e) => e.details?.route)).toEqual(expect.arrayContaining(["/api/v1/audit", "/api/v1/people/:id"]));
      expect(denied.find((e) => e.details?.route === "/api/v1/people/:id")?.subjectId).toBe(other.person.id);
    });

    it("believes X-Forwarded-For only from the configured proxies or hops", async () => {
      const ghost = () => `${unique("proxy")}@example.org`;
      const ipOf = async (email: string) => (await auditOf("auth.login_failed")).find((e) => e.details?.email === email)?.ip;

      // This server trusts 127.0.0.1: the forwarded address is the client's.
      const viaTrusted = ghost();
      await login(viaTrusted, "nope nope nope", "198.51.100.7");
      expect(await ipOf(viaTrusted)).toBe("198.51.100.7");

      // A server trusting another proxy ignores what a direct client claims.
      const elsewhere = await startTestServer({ dialect, config: { trustProxy: ["10.9.9.9"] } });
      onTestFinished(() => elsewhere.close());
      const otherAdmin = (await setUpDistrict(elsewhere)).admin;
      const direct = ghost();
      await login(direct, "nope nope nope", "198.51.100.8", elsewhere.baseUrl);
      const row = (await otherAdmin.get<TList<TAuditEntry>>("/api/v1/audit?action=auth.login_failed")).body.items.find((e) => e.details?.email === direct);
      expect(row?.ip).toBe("127.0.0.1");

      // One hop: only the address the proxy itself appended counts, not what the client put before it.
      const oneHop = await startTestServer({ dialect, config: { trustProxy: 1 } });
      onTestFinished(() => oneHop.close());
      const hopAdmin = (await setUpDistrict(oneHop)).admin;
      const hopped = ghost();
      await login(hopped, "nope nope nope", "6.6.6.6, 198.51.100.9", oneHop.baseUrl);
      const hopRow = (await hopAdmin.get<TList<TAuditEntry>>("/api/v1/audit?action=auth.login_failed")).body.items.find((e) => e.details?.email === hopped);
      expect(hopRow?.ip).toBe("198.51.100.9");
    });
  });
}
