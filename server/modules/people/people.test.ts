import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TErrorResponse } from "../../../shared/errors.js";
import { CountLimits } from "../../../shared/limits.js";
import type { TMe } from "../../../shared/schemas/auth.js";
import type { TList } from "../../../shared/schemas/common.js";
import type { TPerson } from "../../../shared/schemas/people.js";
import type { TSchool } from "../../../shared/schemas/schools.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn, unique } from "../../../tests/helpers/factories.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";
import { nameColumns } from "./people.repository.js";

for (const dialect of DIALECTS) {
  describe(`people (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    let districtId: string;
    let north: TSchool;
    let south: TSchool;
    let northTeacher: { person: TPerson; email: string };
    let southTeacher: { person: TPerson; email: string };
    let northStudent: { person: TPerson; email: string };
    let northCoach: { person: TPerson; email: string };

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      let me: TMe;
      ({ admin, me } = await setUpDistrict(server));
      districtId = me.district.id;
      north = await makeSchool(admin, { name: "North Elementary", level: "elementary" });
      south = await makeSchool(admin, { name: "South High", level: "high" });
      northTeacher = await makePerson(admin, { roles: [{ role: "teacher", schoolId: north.id }], givenName: "Nora", familyName: "Nguyen" });
      southTeacher = await makePerson(admin, { roles: [{ role: "teacher", schoolId: south.id }], givenName: "Sam", familyName: "Santos" });
      northStudent = await makePerson(admin, {
        roles: [{ role: "student", schoolId: north.id }],
        givenName: "Nia",
        familyName: "Nakamura",
        gradeLevel: "4",
      });
      northCoach = await makePerson(admin, { roles: [{ role: "coach", schoolId: north.id }], givenName: "Cora", familyName: "Castillo" });
    });
    afterAll(async () => server.close());

    it("lets the admin search by a prefix of the family name, given name or email, accent-blind", async () => {
      await makePerson(admin, { roles: [{ role: "teacher", schoolId: north.id }], givenName: "José", familyName: "Álvarez" });
      const byFamily = await admin.get<TList<TPerson>>("/api/v1/people?q=alv");
      expect(byFamily.body.items.map((p) => p.displayName)).toEqual(["José Álvarez"]);
      const byGiven = await admin.get<TList<TPerson>>("/api/v1/people?q=JOSE");
      expect(byGiven.body.items.map((p) => p.familyName)).toEqual(["Álvarez"]);
      const both = await admin.get<TList<TPerson>>("/api/v1/people?q=jos%20alv");
      expect(both.body.total).toBe(1);
      const byEmail = await admin.get<TList<TPerson>>(`/api/v1/people?q=${encodeURIComponent(northTeacher.email.slice(0, 6))}`);
      expect(byEmail.body.items.map((p) => p.id)).toContain(northTeacher.person.id);
    });

    it("filters by role and school, and pages with a cursor without gaps or repeats", async () => {
      const school = await makeSchool(admin);
      const made: string[] = [];
      for (let i = 0; i < 7; i++) {
        made.push((await makePerson(admin, { roles: [{ role: "teacher", schoolId: school.id }], familyName: `Page${i % 3}` })).person.id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `/api/v1/people?limit=3&schoolId=${school.id}&role=teacher${cursor ? `&cursor=${cursor}` : ""}`;
        const res: { body: TList<TPerson> } = await admin.get<TList<TPerson>>(url);
        expect(res.body.total).toBe(7);
        seen.push(...res.body.items.map((p) => p.id));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(7);
      expect(seen.sort()).toEqual(made.sort());
      const students = await admin.get<TList<TPerson>>(`/api/v1/people?schoolId=${school.id}&role=student`);
      expect(students.body.total).toBe(0);
      const badCursor = await admin.get<TErrorResponse>("/api/v1/people?cursor=garbage");
      expect(badCursor.status).toBe(400);
      expect(badCursor.body.error.message).toContain("query.cursor");
    });

    it("shows a teacher only their own school's staff, never another school's people or students", async () => {
      const teacher = await signedIn(server, northTeacher.email);
      const list = await teacher.get<TList<TPerson>>("/api/v1/people?limit=200");
      const ids = list.body.items.map((p) => p.id);
      expect(ids).toContain(northCoach.person.id);
      expect(ids).not.toContain(southTeacher.person.id);
      expect(ids).not.toContain(northStudent.person.id);
      const other = await teacher.get<TErrorResponse>(`/api/v1/people/${southTeacher.person.id}`);
      expect(other.status).toBe(403);
      expect(other.body.error.code).toBe("forbidden");
      expect((await teacher.get(`/api/v1/people/${northStudent.person.id}`)).status).toBe(403);
      const filtered = await teacher.get<TList<TPerson>>(`/api/v1/people?schoolId=${south.id}`);
      expect(filtered.body.total).toBe(0);
    });

    it("refuses to let a student list people, and lets them read only themselves", async () => {
      const student = await signedIn(server, northStudent.email);
      const list = await student.get<TErrorResponse>("/api/v1/people");
      expect(list.status).toBe(403);
      expect((await student.get(`/api/v1/people/${northTeacher.person.id}`)).status).toBe(403);
      expect((await student.get(`/api/v1/people/${northStudent.person.id}`)).status).toBe(200);
    });

    it("shows a coach everyone at their schools, students included, and nobody elsewhere", async () => {
      const coach = await signedIn(server, northCoach.email);
      const list = await coach.get<TList<TPerson>>("/api/v1/people?limit=200");
      const ids = list.body.items.map((p) => p.id);
      expect(ids).toContain(northStudent.person.id);
      expect(ids).not.toContain(southTeacher.person.id);
      const student = await coach.get<TPerson>(`/api/v1/people/${northStudent.person.id}`);
      expect(student.body.gradeLevel).toBe("4");
    });

    it("refuses people management to everyone but the district admin", async () => {
      const coach = await signedIn(server, northCoach.email);
      const create = await coach.post<TErrorResponse>("/api/v1/people", {
        givenName: "X",
        familyName: "Y",
        roles: [{ role: "teacher", schoolId: north.id }],
      });
      expect(create.status).toBe(403);
      const update = await coach.patch(`/api/v1/people/${northTeacher.person.id}`, { givenName: "Hacked" });
      expect(update.status).toBe(403);
      expect((await coach.post(`/api/v1/people/${northTeacher.person.id}/deactivate`)).status).toBe(403);
      const check = await admin.get<TPerson>(`/api/v1/people/${northTeacher.person.id}`);
      expect(check.body.givenName).toBe("Nora");
      expect(check.body.status).toBe("active");
    });

    it("refuses a duplicate email (any case) with a conflict naming the field, saving nothing", async () => {
      const before = (await admin.get<TList<TPerson>>("/api/v1/people?status=all")).body.total;
      const res = await admin.post<TErrorResponse>("/api/v1/people", {
        givenName: "Dup",
        familyName: "Licate",
        email: northTeacher.email.toUpperCase(),
        roles: [{ role: "teacher", schoolId: north.id }],
      });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("conflict");
      expect(JSON.stringify(res.body.error.details)).toContain("body.email");
      expect((await admin.get<TList<TPerson>>("/api/v1/people?status=all")).body.total).toBe(before);
    });

    it("validates role grants: unknown school, student without a school, unknown role", async () => {
      const unknownSchool = await admin.post<TErrorResponse>("/api/v1/people", {
        givenName: "A",
        familyName: "B",
        roles: [{ role: "teacher", schoolId: "no-such-school" }],
      });
      expect(unknownSchool.body.error.message).toContain("body.roles.0.schoolId");
      const homeless = await admin.post<TErrorResponse>("/api/v1/people", {
        givenName: "A",
        familyName: "B",
        roles: [{ role: "student", schoolId: null }],
      });
      expect(homeless.body.error.message).toContain("body.roles.0.schoolId");
      const badRole = await admin.post<TErrorResponse>("/api/v1/people", {
        givenName: "A",
        familyName: "B",
        roles: [{ role: "wizard", schoolId: null }],
      });
      expect(badRole.status).toBe(400);
      expect(badRole.body.error.message).toContain("body.roles.0.role");
    });

    it("updates a person's details and roles, and keeps the last admin an admin", async () => {
      // Schools of this test's own: a person moved into North and South would show up in other tests' lists.
      const from = await makeSchool(admin, { name: unique("From ") });
      const to = await makeSchool(admin, { name: unique("To ") });
      const { person } = await makePerson(admin, { roles: [{ role: "teacher", schoolId: from.id }] });
      const newEmail = `${unique("moved")}@example.org`;
      const res = await admin.patch<TPerson>(`/api/v1/people/${person.id}`, {
        familyName: "Moved",
        email: newEmail.toUpperCase(),
        roles: [{ role: "teacher", schoolId: to.id }, { role: "coach", schoolId: from.id }],
      });
      expect(res.status).toBe(200);
      expect(res.body.familyName).toBe("Moved");
      expect(res.body.email).toBe(newEmail);
      expect(res.body.roles.map((r) => `${r.role}@${r.schoolName}`).sort()).toEqual([`coach@${from.name}`, `teacher@${to.name}`]);

      const me = await admin.get<{ person: TPerson }>("/api/v1/me");
      const demote = await admin.patch<TErrorResponse>(`/api/v1/people/${me.body.person.id}`, {
        roles: [{ role: "teacher", schoolId: north.id }],
      });
      expect(demote.status).toBe(400);
      expect(demote.body.error.message).toContain("body.roles");
      const self = await admin.post<TErrorResponse>(`/api/v1/people/${me.body.person.id}/deactivate`);
      expect(self.status).toBe(400);
    });

    it("deactivates instead of deleting, hides the person from the default list, and can reactivate", async () => {
      const { person } = await makePerson(admin, { roles: [{ role: "teacher", schoolId: north.id }], familyName: "Leaving" });
      const off = await admin.post<TPerson>(`/api/v1/people/${person.id}/deactivate`);
      expect(off.body.status).toBe("inactive");
      expect((await admin.get<TList<TPerson>>("/api/v1/people?q=leaving")).body.total).toBe(0);
      expect((await admin.get<TList<TPerson>>("/api/v1/people?q=leaving&status=inactive")).body.total).toBe(1);
      const on = await admin.post<TPerson>(`/api/v1/people/${person.id}/reactivate`);
      expect(on.body.status).toBe("active");
    });

    it("answers 404 for an unknown person and 401 without a session", async () => {
      expect((await admin.get("/api/v1/people/does-not-exist")).status).toBe(404);
      const anon = await fetch(`${server.baseUrl}/api/v1/people`);
      expect(anon.status).toBe(401);
    });

    // Last: it adds more people than the cap, which would cap the totals the tests above expect.
    it("counts matches only up to the cap and says so, accent-blind search included", async () => {
      const school = await makeSchool(admin);
      const now = new Date().toISOString();
      const rows = Array.from({ length: CountLimits.cap + 1 }, (_, i) => ({
        id: `capped-${dialect}-${i}`,
        district_id: districtId,
        ...nameColumns(i === 0 ? "Teodora" : "Émilie", "Capwell"),
        email: null,
        password_hash: null,
        status: "active" as const,
        grade_level: null,
        student_number: null,
        source_id: null,
        created_at: now,
        updated_at: now,
        deactivated_at: null,
      }));
      for (let i = 0; i < rows.length; i += 200) {
        const batch = rows.slice(i, i + 200);
        await server.ctx.db.insertInto("people").values(batch).execute();
        await server.ctx.db
          .insertInto("role_assignments")
          .values(batch.map((r, j) => ({ id: `${r.id}-role`, person_id: r.id, district_id: districtId, role: i + j === 0 ? ("teacher" as const) : ("student" as const), school_id: school.id, created_at: now })))
          .execute();
      }
      type Capped = TList<TPerson> & { totalIsCapped: boolean };
      // 1,001 match: the count stops at the cap and the answer says there are more.
      const all = await admin.get<Capped>("/api/v1/people?q=capw");
      expect(all.body).toMatchObject({ total: CountLimits.cap, totalIsCapped: true });
      expect(all.body.items).toHaveLength(50);
      expect(all.body.nextCursor).not.toBeNull();
      const accentBlind = await admin.get<Capped>(`/api/v1/people?q=${encodeURIComponent("EMILIE capw")}`);
      expect(accentBlind.body).toMatchObject({ total: CountLimits.cap, totalIsCapped: false });
      expect(accentBlind.body.items[0]?.givenName).toBe("Émilie");
      const bySchool = await admin.get<Capped>(`/api/v1/people?schoolId=${school.id}&limit=1`);
      expect(bySchool.body).toMatchObject({ total: CountLimits.cap, totalIsCapped: true });
      // Exactly the cap, and well under it: exact totals.
      const students = await admin.get<Capped>(`/api/v1/people?schoolId=${school.id}&role=student&limit=1`);
      expect(students.body).toMatchObject({ total: CountLimits.cap, totalIsCapped: false });
      const teacher = await admin.get<Capped>(`/api/v1/people?q=${encodeURIComponent("téo capw")}`);
      expect(teacher.body).toMatchObject({ total: 1, totalIsCapped: false });
      expect(teacher.body.items.map((p) => p.givenName)).toEqual(["Teodora"]);
      const none = await admin.get<Capped>("/api/v1/people?q=capwellx");
      expect(none.body).toMatchObject({ total: 0, totalIsCapped: false, nextCursor: null });
    });
  });
}
