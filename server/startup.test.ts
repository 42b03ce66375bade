import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../tests/helpers/db.js";
import { startServerProcess, type ServerProcess } from "../tests/helpers/server-process.js";

// `npm start` on a fresh machine: the first thing a newcomer reads is the log.

describe("the first start on an empty SQLite database", () => {
  let testDb: TestDatabase;
  let server: ServerProcess;
  beforeAll(async () => {
    testDb = await createTestDatabase("sqlite");
    server = startServerProcess({ COACHWORK_DATA_DIR: testDb.dataDir, COACHWORK_SECRET: "test-secret-test-secret-test-secret-0000" });
    await server.waitForLog(/no district yet: open the setup link/, 40_000);
  }, 60_000);
  afterAll(async () => {
    await server.stop();
    await testDb.drop();
  });

  it("migrates, then settles earlier imports, and logs no error or warning about missing tables", async () => {
    // The roster recovery waits for the migrations: it used to run as the server began listening and
    // logged "no such table: roster_imports" on every first start.
    const problems = server.logs.filter((l) => l.level >= 50 || /no such table|does not exist/i.test(JSON.stringify(l)));
    expect(problems).toEqual([]);
    const migrated = server.logs.findIndex((l) => l.msg === "migrations applied");
    expect(migrated).toBeGreaterThanOrEqual(0);
    expect((await fetch(`${server.baseUrl()}/api/v1/auth/session`)).status).toBe(200);
  });
});
