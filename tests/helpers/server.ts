import type { AddressInfo } from "node:net";
import { buildApp } from "../../server/app.js";
import type { Ctx } from "../../server/context.js";
import { migrateToLatest, openDatabase, type Database } from "../../server/db/index.js";
import type { Config } from "../../server/env.js";
import type { App } from "../../server/http.js";
import { ensureSetupToken } from "../../server/modules/accounts/accounts.service.js";
import { createTestDatabase, type TestDatabase, type TestDialect } from "./db.js";

export type TestServer = {
  baseUrl: string;
  dialect: TestDialect;
  setupToken: string;
  app: App;
  ctx: Ctx;
  database: Database;
  close(): Promise<void>;
};

/** The configuration a test server runs with on `testDb`: quiet, no mail, loopback only. */
export function testConfig(testDb: Pick<TestDatabase, "database" | "dataDir">, overrides: Partial<Config> = {}): Config {
  return {
    env: "test",
    port: 0,
    host: "127.0.0.1",
    database: testDb.database,
    dataDir: testDb.dataDir,
    secret: "test-secret-test-secret-test-secret-0000",
    publicUrl: null,
    logLevel: "silent",
    smtpUrl: null,
    mailFrom: "Coachwork <test@localhost>",
    trustProxy: false,
    ...overrides,
  };
}

/** Starts the real app on a random loopback port against a fresh database of the given dialect. */
export async function startTestServer(opts: { dialect: TestDialect; config?: Partial<Config>; parentDir?: string }): Promise<TestServer> {
  const testDb = await createTestDatabase(opts.dialect, { parentDir: opts.parentDir });
  const config = testConfig(testDb, opts.config);
  const database = openDatabase(config.database, { onPoolError: () => undefined });
  await migrateToLatest(database.db);
  const { app, ctx } = await buildApp({ config, database, logger: { level: config.logLevel } });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  const setupToken = (await ensureSetupToken(ctx)) ?? "";
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    dialect: opts.dialect,
    setupToken,
    app,
    ctx,
    database,
    async close() {
      await app.close();
      await database.close();
      await testDb.drop();
    },
  };
}
