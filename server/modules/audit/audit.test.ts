import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TAuditEntry } from "../../../shared/schemas/audit.js";
import type { TList } from "../../../shared/schemas/common.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn } from "../../../tests/helpers/factories.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";

for (const dialect of DIALECTS) {
  describe(`audit log (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
    });
    afterAll(async () => server.close());

    it("records who read and changed a student's record, and from where", async () => {
      const school = await makeSchool(admin);
      const { person: student } = await makePerson(admin, { roles: [{ role: "student", schoolId: school.id }], gradeLevel: "7" });
      const { email } = await makePerson(admin, { roles: [{ role: "coach", schoolId: school.id }] });
      const coach = await signedIn(server, email);
      expect((await coach.get(`/api/v1/people/${student.id}`)).status).toBe(200);
      expect((await admin.patch(`/api/v1/people/${student.id}`, { gradeLevel: "8", givenName: student.givenName })).status).toBe(200);

      const log = await admin.get<TList<TAuditEntry>>(`/api/v1/audit?subjectId=${student.id}`);
      const actions = log.body.items.map((e) => e.action);
      expect(actions).toEqual(["person.update", "person.read", "person.create"]);
      const read = log.body.items[1];
      expect(read?.actorName).toMatch(/\S+ \S+/);
      expect(read?.ip).toBe("127.0.0.1");
      expect(log.body.items[0]?.details).toMatchObject({ fields: ["gradeLevel"] });

      await coach.get(`/api/v1/people?schoolId=${school.id}`);
      const lists = await admin.get<TList<TAuditEntry>>("/api/v1/audit?action=person.list");
      expect(JSON.stringify(lists.body.items[0]?.details)).toContain(student.id);
    });

    it("names the person as the actor of their sign-in and of setup, and the district subject by its name", async () => {
      const { email, person } = await makePerson(admin, { roles: [{ role: "teacher", schoolId: null }], givenName: "Tess", familyName: "Signin" });
      await signedIn(server, email);
      const logins = await admin.get<TList<TAuditEntry>>(`/api/v1/audit?action=auth.login&subjectId=${person.id}`);
      expect(logins.body.items[0]).toMatchObject({ actorId: person.id, actorName: "Tess Signin" });
      const setup = await admin.get<TList<TAuditEntry>>("/api/v1/audit?action=setup.complete");
      expect(setup.body.items[0]?.actorName).toBe("Ada Admin");
      expect(setup.body.items[0]?.actorId).toBe(setup.body.items[0]?.subjectId);

      expect((await admin.patch("/api/v1/settings", { leadersSeeTeacherNames: true })).status).toBe(200);
      const settings = await admin.get<TList<TAuditEntry>>("/api/v1/audit?action=settings.update");
      expect(settings.body.items[0]).toMatchObject({ subjectType: "district", subjectName: "Riverside Unified" });
    });

    it("pages newest first and filters by date", async () => {
      const first = await admin.get<TList<TAuditEntry>>("/api/v1/audit?limit=2");
      expect(first.body.items).toHaveLength(2);
      expect(first.body.nextCursor).not.toBeNull();
      const second = await admin.get<TList<TAuditEntry>>(`/api/v1/audit?limit=2&cursor=${first.body.nextCursor}`);
      const firstIds = first.body.items.map((e) => e.id);
      expect(second.body.items.some((e) => firstIds.includes(e.id))).toBe(false);
      expect((first.body.items[1]?.at ?? "") >= (second.body.items[0]?.at ?? "")).toBe(true);
      const future = await admin.get<TList<TAuditEntry>>("/api/v1/audit?from=2999-01-01");
      expect(future.body.total).toBe(0);
      const bad = await admin.get("/api/v1/audit?from=yesterday");
      expect(bad.status).toBe(400);
    });

    it("exports the log as CSV for admins", async () => {
      // A read of this test's own, so the export has a row whichever test ran before.
      const { person } = await makePerson(admin, { roles: [{ role: "teacher", schoolId: (await makeSchool(admin)).id }] });
      expect((await admin.get(`/api/v1/people/${person.id}`)).status).toBe(200);
      const res = await admin.get("/api/v1/audit.csv?action=person.read");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/csv");
      expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="coachwork-audit-/);
      const [header, ...rows] = parse(res.text, { bom: true }) as string[][];
      expect(header).toEqual(["at", "actorName", "actorId", "action", "subjectType", "subjectName", "subjectId", "ip", "details"]);
      expect(rows.some((r) => r.includes(person.id))).toBe(true);
      expect(rows.every((r) => r[3] === "person.read")).toBe(true);
    });

    it("refuses the audit log to everyone but the district admin", async () => {
      const school = await makeSchool(admin);
      const { email } = await makePerson(admin, { roles: [{ role: "school_leader", schoolId: school.id }] });
      const leader = await signedIn(server, email);
      expect((await leader.get("/api/v1/audit")).status).toBe(403);
      expect((await leader.get("/api/v1/audit.csv")).status).toBe(403);
    });
  });
}
