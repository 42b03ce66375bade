import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from "kysely";
import { describe, expect, it } from "vitest";
import { compileOnce } from "./compile-once.js";
import type { DB } from "./schema.js";

const db = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const build = (district: string, ids: readonly string[], limit: number) =>
  db.selectFrom("people").select("id").where("district_id", "=", district).where("status", "=", "active").where("id", "in", ids).limit(limit);

describe("compileOnce", () => {
  it("compiles a shape once and binds each call's values where Kysely put them", () => {
    let builds = 0;
    const once = (district: string, ids: string[], limit: number) =>
      compileOnce(db, `test:${ids.length}`, [district, ...ids, limit], (...v) => {
        builds++;
        return build(v[0] as string, v.slice(1, -1) as string[], v[v.length - 1] as number);
      });
    const a = once("d1", ["a", "b"], 10);
    const b = once("d2", ["c", "d"], 20);
    expect(builds).toBe(1);
    const direct = build("d2", ["c", "d"], 20).compile();
    expect(b.sql).toBe(direct.sql);
    expect(b.parameters).toEqual(direct.parameters);
    expect(a.parameters).toEqual(["d1", "active", "a", "b", 10]);
    // Another shape (three ids) is its own entry.
    expect(once("d3", ["e", "f", "g"], 5).parameters).toEqual(["d3", "active", "e", "f", "g", 5]);
    expect(builds).toBe(2);
  });

  it("refuses a value the query does not bind (it would be baked into the shape)", () => {
    const values: string[] = ["d1", "unused"];
    expect(() => compileOnce(db, "test:unbound", values, (...v) => db.selectFrom("people").select("id").where("district_id", "=", v[0] ?? ""))).toThrow(/value 1/);
  });
});
