import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { RuleTester } from "eslint";
import tseslint from "typescript-eslint";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import moduleBoundaries, { readOwnership } from "../../scripts/eslint/module-boundaries.js";
import { DIALECTS } from "../../tests/helpers/db.js";
import { startTestServer, type TestServer } from "../../tests/helpers/server.js";
import { MODULES } from "../modules/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const modulesDir = path.join(here, "../modules");

describe("module definitions", () => {
  it("give every table exactly one owning module", async () => {
    const server = await startTestServer({ dialect: "sqlite" });
    try {
      const tables = (await server.ctx.db.introspection.getTables()).map((t) => t.name).filter((t) => !t.startsWith("kysely_"));
      const owners = new Map<string, string[]>();
      for (const m of MODULES) for (const t of m.tables) owners.set(t, [...(owners.get(t) ?? []), m.name]);
      const unowned = tables.filter((t) => !owners.has(t) && !PLATFORM_TABLES.includes(t));
      const shared = [...owners].filter(([, by]) => by.length > 1);
      expect({ unowned, shared }).toEqual({ unowned: [], shared: [] });
    } finally {
      await server.close();
    }
  });

  it("are what the lint rule reads from each module.ts", () => {
    for (const m of MODULES) {
      const source = readFileSync(path.join(modulesDir, m.name, "module.ts"), "utf8");
      const read = readOwnership(source);
      expect(read.tables, m.name).toEqual([...m.tables]);
      expect(read.alsoWrites, m.name).toEqual(Object.keys(m.alsoWrites ?? {}));
    }
  });
});

/** Tables the platform itself keeps (not a module's). */
const PLATFORM_TABLES: string[] = ["jobs"];

describe("the module-boundaries lint rule", () => {
  const tester = new RuleTester({ languageOptions: { parser: tseslint.parser as never } });
  const file = (module: string, name: string) => path.join(modulesDir, module, name);
  it("refuses another module's internals and tables, and allows its api.ts and the module's own tables", () => {
    tester.run("module-boundaries", moduleBoundaries, {
      valid: [
        { filename: file("coaching", "entries.service.ts"), code: `import { namesByIds } from "../people/api.js";` },
        { filename: file("coaching", "coaching.repository.ts"), code: `db.selectFrom("coaching_entries as e").innerJoin("coaching_categories as c", "c.id", "e.category_id");` },
        { filename: file("rostering", "rostering.repository.ts"), code: `db.insertInto("people").values(rows);` },
        { filename: file("people", "people.repository.ts"), code: `db.with("scope_people", q).selectFrom("scope_people");` },
        { filename: file("coaching", "coaching.test.ts"), code: `db.selectFrom("people");` },
      ],
      invalid: [
        { filename: file("coaching", "entries.service.ts"), code: `import { listPeople } from "../people/people.repository.js";`, errors: [{ messageId: "import" }] },
        { filename: file("coaching", "coaching.repository.ts"), code: `db.selectFrom("coaching_entries as e").innerJoin("people as p", "p.id", "e.coach_id");`, errors: [{ messageId: "table" }] },
        { filename: file("rostering", "rostering.repository.ts"), code: `db.deleteFrom("sessions");`, errors: [{ messageId: "table" }] },
      ],
    });
  });
});

for (const dialect of DIALECTS) {
  describe(`routes are signed-in unless public (${dialect})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ dialect });
    });
    afterAll(async () => server.close());

    it("answers 401 to an anonymous caller on every route that does not say it is public", async () => {
      const doc = (await (await fetch(`${server.baseUrl}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
      const publicRoutes = new Set(PUBLIC_ROUTES);
      const refused: string[] = [];
      const answered: string[] = [];
      for (const [p, methods] of Object.entries(doc.paths)) {
        for (const method of Object.keys(methods)) {
          const route = `${method.toUpperCase()} ${p}`;
          const url = server.baseUrl + p.replace(/\{[^}]+\}/g, "0193a9b0-0000-7000-8000-000000000000");
          const res = await fetch(url, { method: method.toUpperCase(), headers: { "content-type": "application/json" }, body: method === "get" ? undefined : "{}", redirect: "manual" });
          if (publicRoutes.has(route)) continue;
          (res.status === 401 ? refused : answered).push(`${route} → ${res.status}`);
        }
      }
      expect(answered).toEqual([]);
      expect(refused.length).toBeGreaterThan(40);
    });
  });
}

/** The routes that answer without a signed-in actor (each says `config: { public: true }`). */
const PUBLIC_ROUTES = [
  "GET /healthz",
  "GET /readyz",
  "GET /api/v1/setup",
  "POST /api/v1/setup",
  "POST /api/v1/auth/login",
  "POST /api/v1/auth/logout",
  "GET /api/v1/auth/session",
  "POST /api/v1/auth/password-reset",
  "POST /api/v1/auth/password-reset/confirm",
  "GET /api/v1/sso/providers",
  "GET /api/v1/sso/{id}/start",
  "GET /api/v1/sso/callback",
  "GET /api/v1/helpdesk/punch/{token}",
  "POST /api/v1/helpdesk/punch/{token}/fixed",
  "POST /api/v1/helpdesk/punch/{token}/fixed-form",
  "GET /api/v1/devices/resources/{id}/feed.ics",
  "GET /api/v1/chats/calendar/{token}",
  "GET /api/v1/chats/public/series/{id}",
  "POST /api/v1/chats/public/series/{id}/guests",
  "GET /api/v1/chats/public/events/{id}/transcript",
  // The token in the guest's verification email is the credential.
  "POST /api/v1/chats/public/guests/verify",
];
