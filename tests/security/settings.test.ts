import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { TErrorResponse } from "../../shared/errors.js";
import type { TCategory, TDashboard, TEntry } from "../../shared/schemas/coaching.js";
import type { TDistrictSettings } from "../../shared/schemas/settings.js";
import type { TSchool } from "../../shared/schemas/schools.js";
import { publicAddressWarning } from "../../server/modules/settings/api.js";
import { ApiClient } from "../helpers/client.js";
import { DIALECTS } from "../helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn, districtToday } from "../helpers/factories.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { waitFor } from "../helpers/wait.js";

// Issue 11: the district's security settings (a new module), reset links that never come from the
// Host header (item 1), leaders' dashboard without names (item 7), the reset answer that does not
// depend on whether the email is known (item 13).

for (const dialect of DIALECTS) {
  describe(`district settings, reset links, leaders' dashboard (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
    });
    afterAll(async () => server.close());

    const resetMailFor = (email: string) =>
      waitFor(`a reset email to ${email}`, () => server.ctx.db.selectFrom("outbox").select("body_text").where("to_address", "=", email).executeTakeFirst());

    it("records the address setup ran at, shows it to the admin only, and lets the admin change it (audited)", async () => {
      const settings = await admin.get<TDistrictSettings>("/api/v1/settings");
      expect(settings.status).toBe(200);
      expect(settings.body).toEqual({
        publicUrl: server.baseUrl,
        publicUrlFromEnvironment: null,
        leadersSeeTeacherNames: false,
        tokenMaxLifetimeDays: 365,
        allowPrivateSsoIssuers: false,
        allowPrivateChatWebhooks: false,
      });
      const bad = await admin.patch<TErrorResponse>("/api/v1/settings", { publicUrl: "javascript:alert(1)" });
      expect(bad.status).toBe(400);
      const changed = await admin.patch<TDistrictSettings>("/api/v1/settings", { publicUrl: "https://coachwork.riverside.example/" });
      expect(changed.body.publicUrl).toBe("https://coachwork.riverside.example");
      const audit = await admin.get<{ items: { action: string; details: Record<string, unknown> }[] }>("/api/v1/audit?action=settings.update");
      expect(audit.body.items[0]?.details).toEqual({ publicUrl: { from: server.baseUrl, to: "https://coachwork.riverside.example" } });
      const teacher = await signedIn(server, (await makePerson(admin, { roles: [{ role: "teacher", schoolId: (await makeSchool(admin)).id }] })).email);
      expect((await teacher.get("/api/v1/settings")).status).toBe(403);
      expect((await teacher.patch("/api/v1/settings", { leadersSeeTeacherNames: true })).status).toBe(403);
      await admin.patch("/api/v1/settings", { publicUrl: server.baseUrl });
    });

    it("a reset link never follows the Host header: it uses the district's address", async () => {
      const { email } = await makePerson(admin, { roles: [{ role: "teacher", schoolId: (await makeSchool(admin)).id }] });
      const res = await new ApiClient(server.baseUrl).request("POST", "/api/v1/auth/password-reset", { email }, { headers: { host: "evil.example", "x-forwarded-host": "evil.example" } });
      expect(res.status).toBe(202);
      const mail = await resetMailFor(email);
      expect(mail.body_text).not.toContain("evil.example");
      expect(mail.body_text).toContain(`${server.baseUrl}/reset-password?token=`);
    });

    it("PUBLIC_URL wins over the district's address; with neither, no link is sent and the start warns", async () => {
      const withEnv = await startTestServer({ dialect, config: { publicUrl: "https://cw.example.org" } });
      onTestFinished(() => withEnv.close());
      const envAdmin = (await setUpDistrict(withEnv)).admin;
      const { email } = await makePerson(envAdmin, { roles: [{ role: "teacher", schoolId: (await makeSchool(envAdmin)).id }] });
      expect((await new ApiClient(withEnv.baseUrl).request("POST", "/api/v1/auth/password-reset", { email }, { headers: { host: "evil.example" } })).status).toBe(202);
      const mail = await waitFor("the reset email", () => withEnv.ctx.db.selectFrom("outbox").select("body_text").where("to_address", "=", email).executeTakeFirst());
      expect(mail.body_text).toContain("https://cw.example.org/reset-password?token=");
      expect(await publicAddressWarning(withEnv.ctx)).toBeNull();

      // This server: no PUBLIC_URL; the admin clears the recorded address.
      expect(await publicAddressWarning(server.ctx)).toBeNull();
      await admin.patch("/api/v1/settings", { publicUrl: null });
      onTestFinished(async () => void (await admin.patch("/api/v1/settings", { publicUrl: server.baseUrl })));
      expect(await publicAddressWarning(server.ctx)).toMatch(/PUBLIC_URL is not set/);
      const other = await makePerson(admin, { roles: [{ role: "teacher", schoolId: (await makeSchool(admin)).id }] });
      expect((await new ApiClient(server.baseUrl).post("/api/v1/auth/password-reset", { email: other.email })).status).toBe(202);
      // The request is audited once handled; still no email.
      await waitFor("the audit record", () =>
        server.ctx.db.selectFrom("audit_log").select("id").where("action", "=", "auth.password_reset_unsendable").where("subject_id", "=", other.person.id).executeTakeFirst(),
      );
      expect(await server.ctx.db.selectFrom("outbox").select("id").where("to_address", "=", other.email).executeTakeFirst()).toBeUndefined();
    });

    it("answers a reset request without waiting on the lookup, for a known email as for an unknown one", async () => {
      const { email } = await makePerson(admin, { roles: [{ role: "teacher", schoolId: (await makeSchool(admin)).id }] });
      // Hold the database: SQLite's one connection by an open transaction, PostgreSQL's people table by a lock.
      let release = (): void => undefined;
      const gate = new Promise<void>((r) => (release = r));
      let held = (): void => undefined;
      const isHeld = new Promise<void>((r) => (held = r));
      const holder = server.ctx.db.transaction().execute(async (trx) => {
        if (dialect === "postgres") await sql`lock table people in access exclusive mode`.execute(trx);
        held();
        await gate;
      });
      try {
        await isHeld;
        const anon = new ApiClient(server.baseUrl);
        const ask = async (e: string) => {
          const started = Date.now();
          const res = await anon.post("/api/v1/auth/password-reset", { email: e });
          return { status: res.status, ms: Date.now() - started };
        };
        const known = await Promise.race([ask(email), new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
        const unknown = await Promise.race([ask("nobody-" + email), new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
        expect(known?.status).toBe(202);
        expect(unknown?.status).toBe(202);
      } finally {
        release();
        await holder;
      }
      expect((await resetMailFor(email)).body_text).toContain("reset-password?token=");
    });

    it("a school leader sees the school's totals without teacher names unless the district allows them", async () => {
      const school: TSchool = await makeSchool(admin);
      const teacher = await makePerson(admin, { givenName: "Named", familyName: "Teacher", roles: [{ role: "teacher", schoolId: school.id }] });
      const coach = await signedIn(server, (await makePerson(admin, { roles: [{ role: "coach", schoolId: school.id }] })).email);
      const leader = await signedIn(server, (await makePerson(admin, { roles: [{ role: "school_leader", schoolId: school.id }] })).email);
      const cats = await coach.get<{ items: TCategory[] }>("/api/v1/coaching/categories");
      const entry = await coach.post<TEntry>("/api/v1/coaching/entries", {
        date: districtToday(),
        minutes: 45,
        categoryId: cats.body.items[0]?.id,
        schoolId: school.id,
        teacherIds: [teacher.person.id],
      });
      expect(entry.status).toBe(201);
      const path = `/api/v1/coaching/dashboard?scope=school&schoolId=${school.id}`;

      const asLeader = await leader.get<TDashboard>(path);
      expect(asLeader.status).toBe(200);
      expect(asLeader.body.totals).toMatchObject({ minutes: 45, teachersReached: 1 });
      expect(asLeader.body.topTeachers).toEqual([]);
      expect(asLeader.body.teacherNamesHidden).toBe(true);
      expect(asLeader.text).not.toContain(teacher.person.id);
      const csv = await leader.get(`/api/v1/coaching/dashboard.csv?scope=school&schoolId=${school.id}&table=teachers`);
      expect(csv.text).not.toContain("Named");

      const asCoach = await coach.get<TDashboard>(path);
      expect(asCoach.body.topTeachers.map((t) => t.id)).toEqual([teacher.person.id]);

      await admin.patch("/api/v1/settings", { leadersSeeTeacherNames: true });
      onTestFinished(async () => void (await admin.patch("/api/v1/settings", { leadersSeeTeacherNames: false })));
      const allowed = await leader.get<TDashboard>(path);
      expect(allowed.body.topTeachers.map((t) => t.id)).toEqual([teacher.person.id]);
      expect(allowed.body.teacherNamesHidden).toBe(false);
    });
  });
}
