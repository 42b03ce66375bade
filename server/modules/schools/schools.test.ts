import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TErrorResponse } from "../../../shared/errors.js";
import type { TList } from "../../../shared/schemas/common.js";
import type { TSchool } from "../../../shared/schemas/schools.js";
import type { ApiClient } from "../../../tests/helpers/client.js";
import { DIALECTS } from "../../../tests/helpers/db.js";
import { makePerson, makeSchool, setUpDistrict, signedIn, unique } from "../../../tests/helpers/factories.js";
import { startTestServer, type TestServer } from "../../../tests/helpers/server.js";

for (const dialect of DIALECTS) {
  describe(`schools (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
    });
    afterAll(async () => server.close());

    it("creates schools, lists them by name with people counts, filters by level and search", async () => {
      // A word of this test's own in every name, so schools other tests add never show up here.
      const tag = unique("t");
      const oak = await makeSchool(admin, { name: `Oak Park Elementary ${tag}`, level: "elementary" });
      await makeSchool(admin, { name: `Pine Hill Middle ${tag}`, level: "middle" });
      await makePerson(admin, { roles: [{ role: "teacher", schoolId: oak.id }] });
      await makePerson(admin, { roles: [{ role: "student", schoolId: oak.id }] });
      const all = await admin.get<TList<TSchool>>(`/api/v1/schools?q=${tag}`);
      expect(all.status).toBe(200);
      expect(all.body.items.map((s) => s.name)).toEqual([`Oak Park Elementary ${tag}`, `Pine Hill Middle ${tag}`]);
      expect(all.body.items[0]?.peopleCount).toBe(2);
      const middle = await admin.get<TList<TSchool>>(`/api/v1/schools?level=middle&q=${tag}`);
      expect(middle.body.items.map((s) => s.name)).toEqual([`Pine Hill Middle ${tag}`]);
      const search = await admin.get<TList<TSchool>>(`/api/v1/schools?q=park%20${tag}`);
      expect(search.body.total).toBe(1);
    });

    it("refuses a duplicate name and an unknown level, naming the field", async () => {
      await makeSchool(admin, { name: "Unique High", level: "high" });
      const dup = await admin.post<TErrorResponse>("/api/v1/schools", { name: "Unique High", level: "high" });
      expect(dup.status).toBe(409);
      expect(JSON.stringify(dup.body.error.details)).toContain("body.name");
      expect((await admin.post("/api/v1/schools", { name: "Coded One", level: "high", code: "501" })).status).toBe(201);
      const dupCode = await admin.post<TErrorResponse>("/api/v1/schools", { name: "Coded Two", level: "high", code: "501" });
      expect(dupCode.status).toBe(409);
      expect(JSON.stringify(dupCode.body.error.details)).toContain("body.code");
      const level = await admin.post<TErrorResponse>("/api/v1/schools", { name: "Nowhere", level: "college" });
      expect(level.status).toBe(400);
      expect(level.body.error.message).toContain("body.level");
    });

    it("lets every signed-in role list schools but only the admin change them", async () => {
      const school = await makeSchool(admin);
      const { email } = await makePerson(admin, { roles: [{ role: "teacher", schoolId: school.id }] });
      const teacher = await signedIn(server, email);
      expect((await teacher.get("/api/v1/schools")).status).toBe(200);
      expect((await teacher.post("/api/v1/schools", { name: "Rogue", level: "other" })).status).toBe(403);
      expect((await teacher.patch(`/api/v1/schools/${school.id}`, { name: "Renamed" })).status).toBe(403);
      const renamed = await admin.patch<TSchool>(`/api/v1/schools/${school.id}`, { name: "Renamed School", status: "inactive" });
      expect(renamed.body.name).toBe("Renamed School");
      expect((await admin.get<TList<TSchool>>("/api/v1/schools?q=renamed")).body.total).toBe(0);
      expect((await admin.get<TList<TSchool>>("/api/v1/schools?q=renamed&status=inactive")).body.total).toBe(1);
    });
  });
}
